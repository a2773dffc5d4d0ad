"""Reads the plans and fund pages share. Totals are aggregates in the database, never Python loops."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from engagement.plans.models import (
    MAX_CHOICES,
    ActionUpdate,
    ApplicationStatus,
    Assessment,
    CommunityFund,
    NeighbourhoodPlan,
    PlanAction,
    ProjectApplication,
    ProjectUpdate,
    points_for,
)
from portal.models import Neighbourhood, Tenancy


def resident_neighbourhood_ids(resident) -> set[int]:
    """The neighbourhoods the resident lives in now (through their current tenancies)."""
    return set(
        Tenancy.objects.filter(residents=resident, end_date__isnull=True).values_list(
            "home__neighbourhood_id", flat=True
        )
    )


def resident_neighbourhood(resident) -> Neighbourhood | None:
    tenancy = (
        Tenancy.objects.filter(residents=resident, end_date__isnull=True)
        .select_related("home__neighbourhood")
        .order_by("-start_date", "id")
        .first()
    )
    return tenancy.home.neighbourhood if tenancy else None


def is_assessor_resident(resident) -> bool:
    """A resident may score fund applications while they sit on a resident panel: the engagement
    app decides who that is."""
    from engagement.selectors import is_active_panel_member

    return is_active_panel_member(resident)


# -- plans ---------------------------------------------------------------------------------------------------


def published_plans():
    return NeighbourhoodPlan.objects.filter(published_at__isnull=False).select_related(
        "neighbourhood"
    )


def latest_published_plan(neighbourhood) -> NeighbourhoodPlan | None:
    return (
        published_plans()
        .filter(neighbourhood=neighbourhood)
        .order_by("-voting_opens_on", "-id")
        .first()
    )


def latest_closed_plan(neighbourhood, *, before) -> NeighbourhoodPlan | None:
    from django.utils import timezone

    from portal.workdays import local_date

    return (
        published_plans()
        .filter(neighbourhood=neighbourhood, voting_closes_on__lt=local_date(timezone.now()))
        .exclude(pk=before.pk)
        .order_by("-voting_closes_on", "-id")
        .first()
    )


def neighbourhoods_with_latest_plan():
    """Every neighbourhood, with its latest published plan's id, title and dates in one query."""
    from django.db.models import OuterRef, Subquery

    latest = (
        published_plans().filter(neighbourhood=OuterRef("pk")).order_by("-voting_opens_on", "-id")
    )
    return Neighbourhood.objects.annotate(
        plan_id=Subquery(latest.values("pk")[:1]),
        plan_title=Subquery(latest.values("title")[:1]),
        plan_opens_on=Subquery(latest.values("voting_opens_on")[:1]),
        plan_closes_on=Subquery(latest.values("voting_closes_on")[:1]),
    ).order_by("name")


def priority_results(plan):
    """The plan's priorities, best first: points (3 for a first choice, 2 for a second, 1 for a
    third), then first choices, then the order offered."""
    points = Case(
        *[
            When(choices__rank=rank, then=Value(points_for(rank)))
            for rank in range(1, MAX_CHOICES + 1)
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    return plan.priorities.annotate(
        votes=Count("choices"),
        first_choices=Count("choices", filter=Q(choices__rank=1)),
        points=Coalesce(Sum(points), 0),
    ).order_by("-points", "-first_choices", "order", "id")


def plan_actions(plan):
    return (
        PlanAction.objects.filter(plan=plan)
        .select_related("owner", "priority")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.select_related("written_by").order_by("-created_at"),
            )
        )
        .order_by("priority__order", "due_on", "id")
    )


def action_progress(plan) -> dict:
    by_status = dict(
        plan.actions.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    total = sum(by_status.values())
    return {"total": total, "by_status": by_status, "done": by_status.get("done", 0)}


def staff_plans(neighbourhood_id=None):
    plans = NeighbourhoodPlan.objects.select_related("neighbourhood").annotate(
        ballot_count=Count("ballots", distinct=True), action_count=Count("actions", distinct=True)
    )
    if neighbourhood_id:
        plans = plans.filter(neighbourhood_id=neighbourhood_id)
    return plans.order_by("neighbourhood__name", "-voting_opens_on", "-id")


def open_plan_for_resident(resident) -> NeighbourhoodPlan | None:
    """The published plan open for voting now in the resident's neighbourhood, if any."""
    from django.utils import timezone

    from portal.workdays import local_date

    today = local_date(timezone.now())
    return (
        published_plans()
        .filter(
            neighbourhood_id__in=resident_neighbourhood_ids(resident),
            voting_opens_on__lte=today,
            voting_closes_on__gte=today,
        )
        .order_by("voting_closes_on")
        .first()
    )


# -- the fund ----------------------------------------------------------------------------------------------


def funds_with_figures():
    """Each fund with what has been awarded, paid and is left, computed in the database."""
    awarded = Q(applications__status__in=ApplicationStatus.awarded_values())
    return CommunityFund.objects.annotate(
        awarded_total=Coalesce(Sum("applications__awarded_pence", filter=awarded), 0),
        paid_total=Coalesce(Sum("applications__paid_pence", filter=awarded), 0),
        awarded_count=Count("applications", filter=awarded),
        application_count=Count("applications"),
        waiting_count=Count(
            "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
        ),
    ).annotate(remaining=F("budget_pence") - F("awarded_total"))


def fund_with_figures(fund_id) -> CommunityFund | None:
    return funds_with_figures().filter(pk=fund_id).first()


def current_fund(today=None) -> CommunityFund | None:
    """This financial year's fund, or else the latest one."""
    from django.utils import timezone

    from engagement.plans.models import financial_year_of
    from portal.workdays import local_date

    today = today or local_date(timezone.now())
    funds = funds_with_figures()
    return funds.filter(year=financial_year_of(today)).first() or funds.order_by("-year").first()


def awarded_total(fund) -> int:
    return ProjectApplication.objects.filter(
        fund=fund, status__in=ApplicationStatus.awarded_values()
    ).aggregate(total=Coalesce(Sum("awarded_pence"), 0))["total"]


def applications_with_counts():
    return ProjectApplication.objects.select_related("fund", "neighbourhood").annotate(
        supporter_count=Count("supporters", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )


def staff_applications(*, fund=None, status=""):
    applications = applications_with_counts().select_related("applicant")
    if fund is not None:
        applications = applications.filter(fund=fund)
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("-submitted_at", "-id")


def resident_applications(resident):
    return applications_with_counts().filter(applicant=resident).order_by("-submitted_at", "-id")


def application_for_applicant(resident, reference) -> ProjectApplication | None:
    """The applicant's own application, with everything it holds; None for anyone else's."""
    return (
        applications_with_counts()
        .filter(applicant=resident, reference=reference)
        .prefetch_related(_updates_with_photos())
        .first()
    )


def _updates_with_photos():
    return Prefetch(
        "updates", queryset=ProjectUpdate.objects.prefetch_related("photos").order_by("-created_at")
    )


def public_projects(*, status=None, neighbourhood_id=None):
    """Applications anyone may see the public side of: seeking support, or funded."""
    projects = applications_with_counts().filter(
        status__in=[ApplicationStatus.SUBMITTED, *ApplicationStatus.awarded_values()]
    )
    if status:
        projects = projects.filter(
            status__in=status if isinstance(status, list | tuple) else [status]
        )
    if neighbourhood_id:
        projects = projects.filter(neighbourhood_id=neighbourhood_id)
    return projects.order_by("-submitted_at", "-id")


def public_project(reference) -> ProjectApplication | None:
    return (
        public_projects()
        .filter(reference=reference)
        .prefetch_related(_updates_with_photos())
        .first()
    )


def staff_application(reference) -> ProjectApplication | None:
    return (
        applications_with_counts()
        .select_related("applicant", "decided_by")
        .filter(reference=reference)
        .prefetch_related(
            _updates_with_photos(),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("officer", "resident").prefetch_related(
                    "scores__criterion"
                ),
            ),
            "fund__criteria",
        )
        .first()
    )


def assessment_summary(application) -> list[dict]:
    """Each criterion with its average score across assessors, in the database."""
    from django.db.models import Avg

    rows = (
        application.fund.criteria.annotate(
            average=Avg("scores__score", filter=Q(scores__assessment__application=application)),
            scored_by=Count("scores", filter=Q(scores__assessment__application=application)),
        )
        .order_by("order", "id")
        .values("title", "max_score", "average", "scored_by")
    )
    return list(rows)


def applications_to_assess():
    """Applications waiting for a decision, for assessors: oldest first."""
    return (
        applications_with_counts()
        .filter(status=ApplicationStatus.SUBMITTED)
        .order_by("submitted_at", "id")
    )
