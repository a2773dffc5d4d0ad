"""Reads for the repairs pages, and the measures other apps read (RP02, repair satisfaction).

Every list here is a fixed number of queries however many rows it shows, and the measures are
aggregated in the database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case as Choose
from django.db.models import (
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone

from portal.models import (
    Case,
    CaseKind,
    CaseStatus,
    Deadline,
    DeadlineKind,
    Event,
    Resident,
    Tenure,
)
from portal.workdays import LONDON, financial_year_bounds, financial_year_of, local_date
from repairs.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    RepairPhoto,
    RepairRequest,
    RepairSatisfaction,
    RepairVisit,
    SatisfactionScore,
)

REPAIR_CASE_KINDS = (CaseKind.REPAIR, CaseKind.HAZARD, CaseKind.SAFETY_CONCERN)


def _running_deadlines():
    return Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True).order_by(
        "effective_due_at"
    )


def _booked_appointments():
    return Appointment.objects.filter(status=AppointmentStatus.BOOKED).select_related("slot")


# -- residents ------------------------------------------------------------------------------------------


def resident_repair_cases(resident: Resident):
    """A resident's repairs, hazards and safety concerns, newest first, each with its running
    deadlines and booked appointment: a fixed number of queries however many there are."""
    return (
        Case.objects.filter(resident=resident, kind__in=REPAIR_CASE_KINDS)
        .select_related("home", "repair__priority", "safety_concern", "hazard")
        .prefetch_related(
            Prefetch("deadlines", queryset=_running_deadlines(), to_attr="running_deadlines"),
            Prefetch(
                "repair__appointments",
                queryset=_booked_appointments(),
                to_attr="booked_appointments",
            ),
        )
        .order_by("-opened_at", "-id")
    )


def case_for_resident(resident: Resident, reference: str) -> Case | None:
    """One of the resident's own repairs, hazards or safety concerns, with everything its page
    shows; None when it is not theirs (the page answers 404 either way)."""
    return (
        Case.objects.filter(resident=resident, reference=reference, kind__in=REPAIR_CASE_KINDS)
        .select_related(
            "home",
            "repair__priority",
            "repair__assigned_team",
            "repair__satisfaction",
            "hazard",
            "safety_concern",
        )
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.order_by("effective_due_at", "id")),
            Prefetch(
                "events",
                queryset=Event.objects.filter(visible_to_resident=True).order_by(
                    "created_at", "id"
                ),
                to_attr="resident_events",
            ),
            Prefetch(
                "repair__appointments",
                queryset=_booked_appointments(),
                to_attr="booked_appointments",
            ),
            Prefetch("repair__photos", queryset=RepairPhoto.objects.order_by("uploaded_at", "id")),
            Prefetch("repair__visits"),
        )
        .first()
    )


def repair_for_resident(resident: Resident, reference: str) -> RepairRequest | None:
    return (
        RepairRequest.objects.filter(case__resident=resident, case__reference=reference)
        .select_related("case__home", "priority", "satisfaction")
        .first()
    )


def photo_for_resident(resident: Resident, public_id) -> RepairPhoto | None:
    """A photo the resident added, or one on a repair of theirs; None for anyone else's."""
    return RepairPhoto.objects.filter(
        Q(uploaded_by=resident) | Q(repair__case__resident=resident), public_id=public_id
    ).first()


def pending_photos(resident: Resident, token) -> list[RepairPhoto]:
    return list(
        RepairPhoto.objects.filter(uploaded_by=resident, report_token=token, repair__isnull=True)
    )


def current_home(resident: Resident):
    tenancy = (
        resident.tenancies.filter(end_date__isnull=True)
        .select_related("home__block")
        .order_by("-start_date")
        .first()
    )
    return tenancy.home if tenancy else None


# -- appointments ---------------------------------------------------------------------------------------


def booking_window(
    repair: RepairRequest, *, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """From tomorrow to the repair's target. If the target is close or has passed (a follow-on
    visit, a missed appointment), the next two weeks."""
    now = now or timezone.now()
    earliest = datetime.combine(local_date(now) + timedelta(days=1), time(0, 0), tzinfo=LONDON)
    target = (
        repair.case.deadlines.filter(
            kind=DeadlineKind.REPAIR_TARGET, met_at__isnull=True, stopped_at__isnull=True
        )
        .values_list("effective_due_at", flat=True)
        .first()
    )
    latest = (
        target
        if target and target >= earliest + timedelta(days=1)
        else earliest + timedelta(days=14)
    )
    return earliest, latest


def offered_slots(repair: RepairRequest, *, now: datetime | None = None):
    """Slots with room, from teams covering the repair's area, open to its priority, in its
    booking window; Saturdays only where the landlord offers them."""
    if repair.is_complete or not repair.priority.bookable or repair.case.home_id is None:
        return AppointmentSlot.objects.none()
    earliest, latest = booking_window(repair, now=now)
    slots = AppointmentSlot.objects.filter(
        Q(priorities__isnull=True) | Q(priorities=repair.priority_id),
        team__is_active=True,
        team__neighbourhoods=repair.case.home.neighbourhood_id,
        starts_at__gte=earliest,
        starts_at__lte=latest,
        booked__lt=F("capacity"),
    )
    if not settings.REPAIRS_SATURDAY_APPOINTMENTS:
        slots = slots.exclude(starts_at__iso_week_day=6)
    return slots.order_by("starts_at", "id")


@dataclass
class OfferedTime:
    window: str
    label: str
    starts_at: datetime
    ends_at: datetime
    places: int


@dataclass
class OfferedDay:
    day: date
    times: list[OfferedTime] = field(default_factory=list)


def offered_days(
    repair: RepairRequest, *, now: datetime | None = None, limit: int | None = None
) -> list[OfferedDay]:
    """The days with a free slot, each with its times (one per window, however many teams offer it)."""
    from repairs.models import SlotWindow

    rows = (
        offered_slots(repair, now=now)
        .values("starts_at", "ends_at", "window")
        .annotate(places=Sum(F("capacity") - F("booked")))
        .order_by("starts_at", "window")
    )
    days: OrderedDict[date, OfferedDay] = OrderedDict()
    labels = dict(SlotWindow.choices)
    for row in rows:
        day = local_date(row["starts_at"])
        offered = days.setdefault(day, OfferedDay(day))
        if any(t.window == row["window"] for t in offered.times):
            continue
        offered.times.append(
            OfferedTime(
                row["window"],
                labels[row["window"]],
                row["starts_at"],
                row["ends_at"],
                row["places"],
            )
        )
    result = list(days.values())
    return result[:limit] if limit else result


def booked_appointment(repair: RepairRequest) -> Appointment | None:
    return (
        repair.appointments.filter(status=AppointmentStatus.BOOKED)
        .select_related("slot__team")
        .first()
    )


# -- staff ----------------------------------------------------------------------------------------------


def staff_case_list(*, kind: str = "", status: str = "open", priority: str = "", team: str = ""):
    """Repairs, hazards and safety concerns for the staff list, soonest deadline first."""
    cases = Case.objects.filter(kind__in=[kind] if kind in REPAIR_CASE_KINDS else REPAIR_CASE_KINDS)
    if status == "open":
        cases = cases.filter(status__in=CaseStatus.open_values())
    elif status == "closed":
        cases = cases.exclude(status__in=CaseStatus.open_values())
    if priority:
        cases = cases.filter(repair__priority__code=priority)
    if team:
        cases = cases.filter(repair__assigned_team_id=team)
    return cases.select_related(
        "home",
        "resident",
        "owner",
        "team",
        "repair__priority",
        "repair__assigned_team",
        "repair__block",
        "repair__estate",
        "hazard",
        "safety_concern",
    ).order_by(F("next_due_at").asc(nulls_last=True), "id")


def staff_case(reference: str) -> Case | None:
    return (
        Case.objects.filter(reference=reference, kind__in=REPAIR_CASE_KINDS)
        .select_related(
            "home__neighbourhood",
            "home__block",
            "resident",
            "owner",
            "team",
            "repair__priority",
            "repair__assigned_team",
            "repair__satisfaction",
            "repair__block",
            "repair__estate__neighbourhood",
            "hazard",
            "safety_concern",
        )
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.order_by("effective_due_at", "id")),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("actor").order_by("-created_at", "-id"),
            ),
            Prefetch(
                "repair__appointments", queryset=Appointment.objects.select_related("slot__team")
            ),
            Prefetch("repair__photos", queryset=RepairPhoto.objects.order_by("uploaded_at", "id")),
            Prefetch("repair__visits", queryset=RepairVisit.objects.select_related("recorded_by")),
        )
        .first()
    )


def staff_repair(reference: str) -> RepairRequest | None:
    """A repair for the staff booking pages, with what they show about it and its resident."""
    return (
        RepairRequest.objects.filter(case__reference=reference)
        .select_related("case__resident", "case__home", "priority")
        .first()
    )


# -- RP02 and satisfaction -------------------------------------------------------------------------------


def financial_year_start(day: date) -> date:
    return financial_year_bounds(financial_year_of(day))[0]


def _share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class RP02Row:
    period: date  # the first day of the month, or of the financial year (1 April)
    emergency_completed: int = 0
    emergency_in_time: int = 0
    non_emergency_completed: int = 0
    non_emergency_in_time: int = 0

    @property
    def emergency_share(self) -> float | None:
        return _share(self.emergency_in_time, self.emergency_completed)

    @property
    def non_emergency_share(self) -> float | None:
        return _share(self.non_emergency_in_time, self.non_emergency_completed)

    @property
    def label(self) -> str:
        return f"{self.period:%B %Y}"

    @property
    def financial_year_label(self) -> str:
        return f"{self.period.year} to {self.period.year + 1}"


def repairs_completed_within_target(
    *, start: date, end: date, by: str = "month", tenure: str | None = Tenure.SOCIAL_RENT
) -> list[RP02Row]:
    """RP02: the share of emergency and of non-emergency repairs completed within the landlord's
    target, for repairs completed from `start` up to (not including) `end`, by calendar month or
    by financial year (April to March). Counted in the database by conditional aggregation over
    the repair_target deadlines met in the period: in time when met_at <= effective_due_at (the
    due date after any extension). The regulator asks for social rent homes only (tenure LCRA);
    pass tenure=None for every home."""
    if by not in ("month", "year"):
        raise ValueError("by must be 'month' or 'year'")
    begin = datetime.combine(start, time(0, 0), tzinfo=LONDON)
    finish = datetime.combine(end, time(0, 0), tzinfo=LONDON)
    deadlines = Deadline.objects.filter(
        kind=DeadlineKind.REPAIR_TARGET,
        met_at__gte=begin,
        met_at__lt=finish,
        case__repair__isnull=False,
    )
    if tenure:
        deadlines = deadlines.filter(case__home__tenure=tenure)
    if by == "month":
        period = TruncMonth("met_at", tzinfo=LONDON)
    else:
        year = ExtractYear("met_at", tzinfo=LONDON)
        period = Choose(
            When(Q(met_month__gte=4), then=year),
            default=year - Value(1),
            output_field=IntegerField(),
        )
        deadlines = deadlines.annotate(met_month=ExtractMonth("met_at", tzinfo=LONDON))
    in_time = Q(met_at__lte=F("effective_due_at"))
    emergency = Q(case__repair__priority__is_emergency=True)
    rows = (
        deadlines.annotate(period=period)
        .values("period")
        .annotate(
            emergency_completed=Count("id", filter=emergency),
            emergency_in_time=Count("id", filter=emergency & in_time),
            non_emergency_completed=Count("id", filter=~emergency),
            non_emergency_in_time=Count("id", filter=~emergency & in_time),
        )
        .order_by("period")
    )
    result = []
    for row in rows:
        period_value = row.pop("period")
        if by == "year":
            period_value = date(period_value, 4, 1)
        elif isinstance(period_value, datetime):
            period_value = period_value.astimezone(LONDON).date()
        result.append(RP02Row(period=period_value, **row))
    return result


def rp02_totals(rows: list[RP02Row]) -> RP02Row:
    total = RP02Row(period=rows[0].period if rows else date.today())
    for row in rows:
        total.emergency_completed += row.emergency_completed
        total.emergency_in_time += row.emergency_in_time
        total.non_emergency_completed += row.non_emergency_completed
        total.non_emergency_in_time += row.non_emergency_in_time
    return total


def repair_satisfaction(*, start: date, end: date, tenure: str | None = None) -> dict:
    """Answers to 'How satisfied are you with this repair?' in a period: the count at each point
    and the share very or fairly satisfied, as the charter's measures count them."""
    begin = datetime.combine(start, time(0, 0), tzinfo=LONDON)
    finish = datetime.combine(end, time(0, 0), tzinfo=LONDON)
    answers = RepairSatisfaction.objects.filter(answered_at__gte=begin, answered_at__lt=finish)
    if tenure:
        answers = answers.filter(repair__case__home__tenure=tenure)
    counts = answers.aggregate(
        total=Count("id"),
        satisfied=Count("id", filter=Q(score__gte=SatisfactionScore.FAIRLY_SATISFIED)),
        **{f"score_{s.value}": Count("id", filter=Q(score=s.value)) for s in SatisfactionScore},
    )
    return {
        "responses": counts["total"],
        "satisfied": counts["satisfied"],
        "share_satisfied": _share(counts["satisfied"], counts["total"]),
        "by_score": {s.label: counts[f"score_{s.value}"] for s in SatisfactionScore},
    }
