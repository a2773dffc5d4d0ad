"""Live measures: how we keep the charter's promises, computed from the portal's own records.

Each measure counts `met` of `total` over a period and is aggregated in the database: one query
for a single period, and one query for a run of months (TruncMonth with conditional counts).

How a deadline counts (the call-back, complaint and safety measures):
- It belongs to the month its due date falls in (`effective_due_at`, after any extension,
  Europe/London), so each deadline is counted once, in one month.
- Met in time (`met_at <= effective_due_at`): met. Counted even when met early for a due date
  later in the month.
- Met late, or still running after its due date has passed (running overdue), or stopped after
  it fell due without being met: missed. A promise we have already broken does not wait for the
  case to close to count against us.
- Still running and not yet due (running within time): not counted yet.
- Stopped before it fell due without being met (the case closed first: an enquiry answered
  another way, a complaint withdrawn): not counted, there was nothing left to keep.

Repairs completed within target follows the regulator's RP02 (repairs completed in the period,
through `repairs.selectors.repairs_completed_within_target`), for every home, not only social
rent homes, because the charter is a promise to every resident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from portal.extensions import LiveMeasure, MeasureResult, register_live_measure
from portal.models import CaseKind, Deadline, DeadlineKind
from portal.workdays import LONDON

EMPTY = MeasureResult(0, 0)


@dataclass(frozen=True)
class CharterMeasure(LiveMeasure):
    """A LiveMeasure that can also count a run of months in one query, for the charts.
    by_month(start, end) returns {first day of month: MeasureResult} for the months with data."""

    by_month: Callable = field(default=None, compare=False)
    unit: str = "of"  # "37 of 40 call-backs": the words between met and total
    noun: str = ""


def _begin(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def _after(day: date) -> datetime:
    return _begin(day + timedelta(days=1))


def month_start(value) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return value.replace(day=1)


# -- deadlines ----------------------------------------------------------------------------------------


def _deadline_conditions(now: datetime) -> tuple[Q, Q]:
    met = Q(met_at__isnull=False, met_at__lte=F("effective_due_at"))
    missed = Q(effective_due_at__lt=now) & (
        Q(met_at__gt=F("effective_due_at"))
        | Q(met_at__isnull=True, stopped_at__isnull=True)
        | Q(met_at__isnull=True, stopped_at__gt=F("effective_due_at"))
    )
    return met, missed


def _deadlines(kinds: tuple[str, ...], start: date, end: date, where: Q):
    finish = _after(end)
    # due_at <= effective_due_at always, so the extra bound on due_at is true of every row we
    # want and lets PostgreSQL read the (kind, due_at) index instead of the whole table.
    return Deadline.objects.filter(
        where,
        kind__in=kinds,
        effective_due_at__gte=_begin(start),
        effective_due_at__lt=finish,
        due_at__lt=finish,
    )


def deadline_measure(kinds: tuple[str, ...], where: Q | None = None):
    where = where or Q()

    def compute(start: date, end: date, *, now: datetime | None = None) -> MeasureResult:
        met, missed = _deadline_conditions(now or timezone.now())
        counts = _deadlines(kinds, start, end, where).aggregate(
            met=Count("id", filter=met), total=Count("id", filter=met | missed)
        )
        return MeasureResult(counts["met"], counts["total"])

    def by_month(
        start: date, end: date, *, now: datetime | None = None
    ) -> dict[date, MeasureResult]:
        met, missed = _deadline_conditions(now or timezone.now())
        rows = (
            _deadlines(kinds, start, end, where)
            .annotate(month=TruncMonth("effective_due_at", tzinfo=LONDON))
            .values("month")
            .annotate(met=Count("id", filter=met), total=Count("id", filter=met | missed))
            .order_by("month")
        )
        return {month_start(row["month"]): MeasureResult(row["met"], row["total"]) for row in rows}

    return compute, by_month


# -- repairs ------------------------------------------------------------------------------------------


def repairs_on_time(start: date, end: date, **_) -> MeasureResult:
    from repairs.selectors import repairs_completed_within_target

    rows = repairs_completed_within_target(
        start=start, end=end + timedelta(days=1), by="year", tenure=None
    )
    return _sum_rp02(rows)


def repairs_on_time_by_month(start: date, end: date, **_) -> dict[date, MeasureResult]:
    from repairs.selectors import repairs_completed_within_target

    rows = repairs_completed_within_target(
        start=start, end=end + timedelta(days=1), by="month", tenure=None
    )
    return {row.period: _sum_rp02([row]) for row in rows}


def _sum_rp02(rows) -> MeasureResult:
    met = sum(r.emergency_in_time + r.non_emergency_in_time for r in rows)
    total = sum(r.emergency_completed + r.non_emergency_completed for r in rows)
    return MeasureResult(met, total)


def repair_satisfaction(start: date, end: date, **_) -> MeasureResult:
    from repairs.selectors import repair_satisfaction as answers

    counts = answers(start=start, end=end + timedelta(days=1))
    return MeasureResult(counts["satisfied"], counts["responses"])


def repair_satisfaction_by_month(start: date, end: date, **_) -> dict[date, MeasureResult]:
    from repairs.models import RepairSatisfaction, SatisfactionScore

    rows = (
        RepairSatisfaction.objects.filter(
            answered_at__gte=_begin(start), answered_at__lt=_after(end)
        )
        .annotate(month=TruncMonth("answered_at", tzinfo=LONDON))
        .values("month")
        .annotate(
            met=Count("id", filter=Q(score__gte=SatisfactionScore.FAIRLY_SATISFIED)),
            total=Count("id"),
        )
        .order_by("month")
    )
    return {month_start(row["month"]): MeasureResult(row["met"], row["total"]) for row in rows}


def _appointment_places(start: date, end: date):
    from repairs.models import AppointmentSlot, SlotWindow

    slots = AppointmentSlot.objects.filter(starts_at__gte=_begin(start), starts_at__lt=_after(end))
    evening = Sum("capacity", filter=Q(window=SlotWindow.EVENING))
    return slots, Coalesce(evening, 0), Coalesce(Sum("capacity"), 0)


def evening_appointments(start: date, end: date, **_) -> MeasureResult:
    slots, evening, places = _appointment_places(start, end)
    counts = slots.aggregate(met=evening, total=places)
    return MeasureResult(counts["met"], counts["total"])


def evening_appointments_by_month(start: date, end: date, **_) -> dict[date, MeasureResult]:
    slots, evening, places = _appointment_places(start, end)
    rows = (
        slots.annotate(month=TruncMonth("starts_at", tzinfo=LONDON))
        .values("month")
        .annotate(met=evening, total=places)
        .order_by("month")
    )
    return {month_start(row["month"]): MeasureResult(row["met"], row["total"]) for row in rows}


# -- enquiries ----------------------------------------------------------------------------------------


def _enquiries(start: date, end: date):
    from portal.models import Enquiry

    return Enquiry.objects.filter(
        case__opened_at__gte=_begin(start), case__opened_at__lt=_after(end)
    )


def first_contact(start: date, end: date, **_) -> MeasureResult:
    counts = _enquiries(start, end).aggregate(
        met=Count("id", filter=Q(resolved_at_first_contact=True)), total=Count("id")
    )
    return MeasureResult(counts["met"], counts["total"])


def first_contact_by_month(start: date, end: date, **_) -> dict[date, MeasureResult]:
    rows = (
        _enquiries(start, end)
        .annotate(month=TruncMonth("case__opened_at", tzinfo=LONDON))
        .values("month")
        .annotate(met=Count("id", filter=Q(resolved_at_first_contact=True)), total=Count("id"))
        .order_by("month")
    )
    return {month_start(row["month"]): MeasureResult(row["met"], row["total"]) for row in rows}


# -- the list -------------------------------------------------------------------------------------


def _deadline(key, label, kinds, description, noun, where=None):
    compute, by_month = deadline_measure(kinds, where)
    return CharterMeasure(
        key=key, label=label, compute=compute, by_month=by_month, description=description, noun=noun
    )


MEASURES: list[CharterMeasure] = [
    CharterMeasure(
        key="enquiries_answered_at_first_contact",
        label="Enquiries answered at first contact",
        compute=first_contact,
        by_month=first_contact_by_month,
        description="Enquiries (online, by phone, text, email, letter or in person) answered the first time "
        "you contacted us, counted in the month you made them.",
        noun="enquiries",
    ),
    _deadline(
        "callbacks_within_one_working_day",
        "Call-backs made within one working day",
        (DeadlineKind.CALLBACK,),
        "Call-backs we promised when an enquiry could not be answered straight away, made by the end "
        "of the next working day.",
        "call-backs",
    ),
    _deadline(
        "complaints_acknowledged_in_time",
        "Complaints acknowledged within 5 working days",
        (DeadlineKind.COMPLAINT_ACK,),
        "Stage 1 complaints and stage 2 escalations acknowledged within 5 working days, as the "
        "Housing Ombudsman's Complaint Handling Code requires.",
        "complaints",
    ),
    _deadline(
        "complaints_answered_in_time",
        "Complaints answered within 10 working days",
        (DeadlineKind.COMPLAINT_RESPONSE,),
        "Complaint responses sent on time: within 10 working days of acknowledgement at stage 1 "
        "(20 at stage 2), or by an agreed extension.",
        "complaints",
    ),
    CharterMeasure(
        key="repairs_completed_on_time",
        label="Repairs completed within target",
        compute=repairs_on_time,
        by_month=repairs_on_time_by_month,
        description="Emergency and non-emergency repairs completed within our target time, counted as "
        "the regulator's RP02 measure counts them.",
        noun="repairs",
    ),
    CharterMeasure(
        key="evening_appointments_offered",
        label="Repair appointments offered in the evening",
        compute=evening_appointments,
        by_month=evening_appointments_by_month,
        description="The share of repair appointment places we offered in the evening, for people "
        "who cannot be at home in the day.",
        noun="appointment places",
        higher_is_better=True,
    ),
    CharterMeasure(
        key="repair_satisfaction",
        label="Residents satisfied with their repair",
        compute=repair_satisfaction,
        by_month=repair_satisfaction_by_month,
        description="Answers to 'How satisfied are you with this repair?' that were very or fairly "
        "satisfied.",
        noun="answers",
    ),
    _deadline(
        "safety_concerns_acted_on_in_time",
        "Building-safety concerns acted on in time",
        (DeadlineKind.SAFETY_ACTION,),
        "Building-safety concerns (fire doors, alarms, escape routes, lifts) acted on by the time we "
        "promised.",
        "concerns",
    ),
    _deadline(
        "hazards_investigated_in_time",
        "Damp, mould and other hazards investigated in time",
        (DeadlineKind.HAZARD_INVESTIGATION,),
        "Hazards investigated within Awaab's Law timescales: 24 hours for an emergency, 10 working "
        "days for a significant hazard.",
        "hazards",
    ),
    _deadline(
        "hazards_made_safe_in_time",
        "Hazards made safe in time",
        (DeadlineKind.HAZARD_SAFETY_WORK,),
        "Safety work done within 5 working days of the investigation (24 hours for an emergency).",
        "hazards",
    ),
]

MEASURES += [
    _deadline(
        "asb_reporters_contacted_in_time",
        "Anti-social behaviour reports followed up in time",
        (DeadlineKind.CONTACT,),
        "People who reported anti-social behaviour contacted by the time the case's risk level sets.",
        "reports",
        where=Q(case__kind=CaseKind.ASB),
    ),
    _deadline(
        "asb_cases_reviewed_in_time",
        "Anti-social behaviour cases reviewed in time",
        (DeadlineKind.ASB_REVIEW,),
        "Anti-social behaviour cases reviewed by the date their risk level sets.",
        "cases",
    ),
]

MEASURES_BY_KEY = {m.key: m for m in MEASURES}


def register_all() -> None:
    for measure in MEASURES:
        register_live_measure(measure)


def measure_choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in MEASURES]
