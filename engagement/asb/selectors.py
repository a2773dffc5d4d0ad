"""Reads of ASB reports and cases shared by views, the charter and the demo: each list a fixed
number of queries, NM01 an aggregate in the database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery

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

TWO_PLACES = Decimal("0.01")


# -- NM01 -----------------------------------------------------------------------------------------------


def financial_year_bounds(year: int) -> tuple[date, date]:
    """2025 is 1 April 2025 to 31 March 2026."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def per_1000(count: int, homes: int) -> Decimal:
    """Per 1,000 homes to two decimal places, rounded half up (0.00 with no homes)."""
    if not homes:
        return Decimal("0.00")
    return (Decimal(count) * 1000 / Decimal(homes)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def nm01(*, year: int) -> dict:
    """NM01: anti-social behaviour cases opened in the financial year (1 April `year` to 31 March
    `year + 1`, London dates) per 1,000 homes, and those involving hate incidents.

    A case counts in the year it was opened, whatever its outcome; a case an officer joined into
    another (closed as "joined") is not counted, so the same behaviour is not counted twice.
    Homes: the current count of homes the landlord owns or manages (every Home row), as the portal
    keeps no stock history; at the end of the year this is the year-end figure the regulator asks for.
    """
    start, end = financial_year_bounds(year)
    since = datetime.combine(start, time.min, tzinfo=LONDON)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=LONDON)
    figures = AsbCase.objects.filter(
        opened_at__gte=since, opened_at__lt=until, merged_into__isnull=True
    ).aggregate(cases=Count("id"), hate_cases=Count("id", filter=Q(is_hate_incident=True)))
    homes = Home.objects.count()
    return {
        "homes": homes,
        "cases": figures["cases"],
        "hate_cases": figures["hate_cases"],
        "per_1000": per_1000(figures["cases"], homes),
        "hate_per_1000": per_1000(figures["hate_cases"], homes),
    }


def nm01_by_estate(*, year: int):
    """The year's cases by estate, for the table beside NM01 (one grouped query)."""
    start, end = financial_year_bounds(year)
    since = datetime.combine(start, time.min, tzinfo=LONDON)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=LONDON)
    return (
        AsbCase.objects.filter(opened_at__gte=since, opened_at__lt=until, merged_into__isnull=True)
        .values("estate__name", "neighbourhood__name")
        .annotate(cases=Count("id"), hate_cases=Count("id", filter=Q(is_hate_incident=True)))
        .order_by("-cases", "estate__name")
    )


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
