"""Reads of ASB reports and cases shared by views, the charter and the demo: each list a fixed
number of queries, NM01 an aggregate in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from engagement.asb.models import (
    Action,
    AsbCase,
    AsbReport,
    Contact,
    Incident,
    InvolvedPerson,
    ReportUpdate,
    RiskAssessment,
)
from portal.models import CaseStatus, Deadline, Event, Home
from portal.workdays import LONDON
from portal.workdays import financial_year_bounds as financial_year_bounds
from portal.workdays import financial_year_label as financial_year_label
from portal.workdays import financial_year_of as financial_year_of

TWO_PLACES = Decimal("0.01")


# -- NM01 -----------------------------------------------------------------------------------------------


def per_1000(count: int, homes: int) -> Decimal:
    """Per 1,000 homes to two decimal places, rounded half up (0.00 with no homes)."""
    if not homes:
        return Decimal("0.00")
    return (Decimal(count) * 1000 / Decimal(homes)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _year_window(year: int) -> tuple[datetime, datetime]:
    """The financial year as London instants: from midnight on 1 April to midnight after 31 March."""
    start, end = financial_year_bounds(year)
    return _london_midnight(start), _london_midnight(end + timedelta(days=1))


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _counted_cases():
    """The cases NM01 counts: every ASB case except one an officer joined into another."""
    return AsbCase.objects.filter(merged_into__isnull=True)


def _nm01_figures(cases: int, hate_cases: int, homes: int) -> dict:
    return {
        "homes": homes,
        "cases": cases,
        "hate_cases": hate_cases,
        "per_1000": per_1000(cases, homes),
        "hate_per_1000": per_1000(hate_cases, homes),
    }


def nm01(*, year: int) -> dict:
    """NM01: anti-social behaviour cases opened in the financial year (1 April `year` to 31 March
    `year + 1`, London dates) per 1,000 homes, and those involving hate incidents.

    A case counts in the year it was opened, whatever its outcome; a case an officer joined into
    another (closed as "joined") is not counted, so the same behaviour is not counted twice.
    Homes: the current count of homes the landlord owns or manages (every Home row), as the portal
    keeps no stock history; at the end of the year this is the year-end figure the regulator asks for.
    """
    since, until = _year_window(year)
    figures = (
        _counted_cases()
        .filter(opened_at__gte=since, opened_at__lt=until)
        .aggregate(cases=Count("id"), hate_cases=Count("id", filter=Q(is_hate_incident=True)))
    )
    return _nm01_figures(figures["cases"], figures["hate_cases"], Home.objects.count())


def nm01_by_estate(*, year: int):
    """The year's cases by estate, for the table beside NM01 (one grouped query)."""
    since, until = _year_window(year)
    return (
        _counted_cases()
        .filter(opened_at__gte=since, opened_at__lt=until)
        .values("estate__name", "neighbourhood__name")
        .annotate(cases=Count("id"), hate_cases=Count("id", filter=Q(is_hate_incident=True)))
        .order_by("-cases", "estate__name")
    )


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first of the month
    cases: int
    hate_cases: int
    is_future: bool

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.month:%b}"


def nm01_by_month(*, year: int, today: date | None = None) -> list[MonthCount]:
    """The year's cases month by month, April to March, months in London time (a case opened at
    23:30 on 31 May in summer time is a May case): one grouped query. Months with no cases are
    there with 0; months still to come are marked so the chart and table can leave them out."""
    today = today or timezone.localdate()
    since, until = _year_window(year)
    rows = (
        _counted_cases()
        .filter(opened_at__gte=since, opened_at__lt=until)
        .annotate(month=TruncMonth("opened_at", tzinfo=LONDON))
        .values("month")
        .annotate(cases=Count("id"), hate_cases=Count("id", filter=Q(is_hate_incident=True)))
        .order_by("month")
    )
    by_month = {row["month"].astimezone(LONDON).date(): row for row in rows}
    months = []
    for offset in range(12):  # April (month 4) of `year` to March of the next
        month = date(year + (3 + offset) // 12, (3 + offset) % 12 + 1, 1)
        row = by_month.get(month, {})
        months.append(
            MonthCount(
                month=month,
                cases=row.get("cases", 0),
                hate_cases=row.get("hate_cases", 0),
                is_future=month > today,
            )
        )
    return months


def _same_day_a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the year before has no such day
        return day.replace(year=day.year - 1, day=28)


def change_in_words(now: Decimal, before: Decimal) -> str:
    """The change in a rate in words: "up 2.50 per 1,000 homes", "down 0.75 per 1,000 homes" or
    "no change". Neither is called good or bad: more cases can mean residents trust us to act."""
    difference = now - before
    if not difference:
        return "no change"
    return f"{'up' if difference > 0 else 'down'} {abs(difference)} per 1,000 homes"


def nm01_compared(*, year: int, today: date | None = None) -> dict:
    """NM01 for the year beside the year before, in one aggregate query (and one count of homes).

    While the year is still running its figures are the year so far, so the change is measured
    against the same part of the year before (1 April to the same date); the year before in full
    is given too. Both years use today's count of homes, as the portal keeps no stock history, so
    the change in the rates is the change in cases.
    """
    today = today or timezone.localdate()
    since, until = _year_window(year)
    last_since, last_until = _year_window(year - 1)
    first, last = financial_year_bounds(year)
    in_progress = first <= today <= last
    if in_progress:
        like_until = _london_midnight(_same_day_a_year_before(today) + timedelta(days=1))
    else:
        like_until = last_until
    this_year = Q(opened_at__gte=since, opened_at__lt=until)
    year_before = Q(opened_at__gte=last_since, opened_at__lt=last_until)
    same_part = Q(opened_at__gte=last_since, opened_at__lt=like_until)
    hate = Q(is_hate_incident=True)
    counts = (
        _counted_cases()
        .filter(opened_at__gte=last_since, opened_at__lt=until)
        .aggregate(
            cases=Count("id", filter=this_year),
            hate_cases=Count("id", filter=this_year & hate),
            before=Count("id", filter=year_before),
            hate_before=Count("id", filter=year_before & hate),
            same_part=Count("id", filter=same_part),
            hate_same_part=Count("id", filter=same_part & hate),
        )
    )
    homes = Home.objects.count()
    figures = _nm01_figures(counts["cases"], counts["hate_cases"], homes)
    before = _nm01_figures(counts["before"], counts["hate_before"], homes)
    compared_with = (
        _nm01_figures(counts["same_part"], counts["hate_same_part"], homes)
        if in_progress
        else before
    )
    return {
        "year": figures,
        "year_before": before,
        "in_progress": in_progress,
        # What the change is measured against: the same part of the year before, or all of it.
        "compared_with": compared_with,
        "compared_until": _same_day_a_year_before(today) if in_progress else date(year, 3, 31),
        "change": change_in_words(figures["per_1000"], compared_with["per_1000"]),
        "hate_change": change_in_words(figures["hate_per_1000"], compared_with["hate_per_1000"]),
    }


# -- residents ------------------------------------------------------------------------------------------


def resident_reports(resident):
    return (
        AsbReport.objects.filter(reporter=resident)
        .select_related("asb_case__case", "contact_deadline")
        .order_by("-reported_at", "-id")
    )


def report_for_resident(resident, pk: int) -> AsbReport | None:
    """The resident's own report with their timeline, or None: the same answer whether it does not
    exist or is someone else's."""
    return (
        AsbReport.objects.filter(pk=pk, reporter=resident)
        .select_related("asb_case__case__owner", "contact_deadline", "home")
        .prefetch_related(
            Prefetch("people", queryset=InvolvedPerson.objects.order_by("id")),
            Prefetch(
                "updates",
                queryset=ReportUpdate.objects.select_related("author").order_by("created_at", "id"),
            ),
        )
        .first()
    )


def next_review(asb_case: AsbCase) -> Deadline | None:
    """The case's running review, which every reporter may know of: when we will next look at it."""
    return (
        Deadline.objects.filter(
            case_id=asb_case.case_id,
            kind="asb_review",
            met_at__isnull=True,
            stopped_at__isnull=True,
        )
        .order_by("effective_due_at")
        .first()
    )


def open_reports_count(resident) -> int:
    return AsbReport.objects.filter(
        reporter=resident, asb_case__case__status__in=CaseStatus.open_values()
    ).count()


# -- staff ----------------------------------------------------------------------------------------------

STAFF_FILTERS = {
    "open": ("Open", Q(case__status__in=CaseStatus.open_values())),
    "mine": ("Mine", None),  # filled in with the officer
    "high": ("High risk, open", Q(risk_level="high", case__status__in=CaseStatus.open_values())),
    "hate": ("Hate incidents", Q(is_hate_incident=True)),
    "closed": ("Closed", ~Q(case__status__in=CaseStatus.open_values())),
}


def staff_cases(filter_key: str = "", *, officer=None, estate_id=None):
    # A subquery per row of the page, not a GROUP BY over every case.
    reports = (
        AsbReport.objects.filter(asb_case=OuterRef("pk"))
        .order_by()
        .values("asb_case")
        .annotate(n=Count("id"))
        .values("n")
    )
    cases = AsbCase.objects.select_related("case__owner", "estate", "neighbourhood").annotate(
        report_count=Subquery(reports)
    )
    if filter_key == "mine" and officer is not None:
        cases = cases.filter(case__owner=officer, case__status__in=CaseStatus.open_values())
    elif filter_key in STAFF_FILTERS and STAFF_FILTERS[filter_key][1] is not None:
        cases = cases.filter(STAFF_FILTERS[filter_key][1])
    if estate_id:
        cases = cases.filter(estate_id=estate_id)
    return cases.order_by(F("case__next_due_at").asc(nulls_last=True), "-opened_at", "-id")


def case_for_staff(reference: str) -> AsbCase | None:
    """A case with everything its page shows, in a fixed number of queries."""
    return (
        AsbCase.objects.filter(case__reference=reference)
        .select_related(
            "case__resident",
            "case__home",
            "case__owner__team",
            "case__team",
            "estate",
            "neighbourhood",
            "closed_by",
            "merged_into__case",
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=AsbReport.objects.select_related(
                    "reporter", "home", "contact_deadline", "logged_by"
                ),
            ),
            Prefetch(
                "people",
                queryset=InvolvedPerson.objects.select_related("home").order_by("role", "id"),
            ),
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related("recorded_by").order_by(
                    "-happened_on", "-id"
                ),
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").order_by(
                    "completed_on", "due_on", "id"
                ),
            ),
            Prefetch(
                "risk_assessments",
                queryset=RiskAssessment.objects.select_related("assessed_by").order_by(
                    "-assessed_at", "-id"
                ),
            ),
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related("officer", "report__reporter").order_by(
                    "-made_at", "-id"
                ),
            ),
            Prefetch(
                "case__deadlines", queryset=Deadline.objects.order_by("effective_due_at", "id")
            ),
            Prefetch(
                "case__events",
                queryset=Event.objects.select_related("actor__officer", "actor__resident").order_by(
                    "-created_at", "-id"
                ),
            ),
        )
        .first()
    )


def open_actions_for(officer):
    return (
        Action.objects.filter(owner=officer, completed_on__isnull=True)
        .select_related("asb_case__case")
        .order_by("due_on", "id")
    )


def estates_with_cases():
    from portal.models import Estate

    return Estate.objects.filter(asb_cases__isnull=False).distinct().order_by("name")


def report_counts(asb_case: AsbCase) -> dict:
    return asb_case.reports.aggregate(
        total=Count("id"), hate=Count("id", filter=Q(is_hate_incident=True))
    )
