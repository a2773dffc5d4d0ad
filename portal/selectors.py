"""Reads shared by several views."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from portal.models import (
    Case,
    CaseStatus,
    Deadline,
    Estate,
    Event,
    Home,
    Notification,
    NotificationStatus,
    Resident,
    Tenancy,
)


def current_tenancies(resident: Resident):
    return (
        resident.tenancies.filter(end_date__isnull=True)
        .select_related("home__estate", "home__block", "home__neighbourhood")
        .prefetch_related("residents")
    )


def resident_cases(resident: Resident, *, open_only: bool = False):
    cases = Case.objects.filter(resident=resident).select_related("home")
    if open_only:
        cases = cases.filter(status__in=CaseStatus.open_values())
    return cases.order_by("-opened_at")


def resident_open_cases_with_deadlines(resident: Resident):
    """A resident's open cases, each with its running deadlines (earliest first) in
    `running_deadlines`: two queries however many cases there are."""
    running = Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True).order_by("effective_due_at")
    return resident_cases(resident, open_only=True).prefetch_related(
        Prefetch("deadlines", queryset=running, to_attr="running_deadlines")
    )


def resident_closed_cases(resident: Resident):
    return resident_cases(resident).exclude(status__in=CaseStatus.open_values())


def case_for_resident(resident: Resident, reference: str) -> Case | None:
    """A case the resident may see: their own, or one about a home they hold now."""
    homes = Tenancy.objects.filter(residents=resident, end_date__isnull=True).values("home")
    return (
        Case.objects.filter(Q(resident=resident) | Q(home__in=homes, resident__isnull=True), reference=reference)
        .select_related("home", "owner")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(visible_to_resident=True).order_by("created_at", "id"),
                to_attr="resident_events",
            ),
            Prefetch("deadlines", queryset=Deadline.objects.order_by("effective_due_at")),
        )
        .first()
    )


def in_patch(neighbourhood_id) -> Q:
    """Cases in a patch: at one of its homes, or about a place on one of its estates with no home
    (a communal repair found on an estate inspection). Subqueries over homes and estates, so
    each open case is tested against two small hashed lists rather than joined to both tables."""
    return Q(home__in=Home.objects.filter(neighbourhood_id=neighbourhood_id).values("pk")) | Q(
        estate__in=Estate.objects.filter(neighbourhood_id=neighbourhood_id).values("pk")
    )


def patch_homes(neighbourhood):
    return (
        Home.objects.filter(neighbourhood=neighbourhood)
        .select_related("estate", "block")
        # Within a block or an estate, by postcode first, which keeps each street together.
        .order_by("estate__name", "block__name", "postcode", "address_sort")
    )


def patch_summary(neighbourhood):
    """Counts for an officer's patch, each computed in the database."""
    homes = Home.objects.filter(neighbourhood=neighbourhood)
    by_tenure = dict(homes.values_list("tenure").annotate(n=Count("id")).values_list("tenure", "n"))
    open_cases = Case.objects.filter(in_patch(neighbourhood.pk), status__in=CaseStatus.open_values())
    return {
        "homes": sum(by_tenure.values()),
        "by_tenure": by_tenure,
        "open_cases": open_cases.count(),
        "overdue_cases": open_cases.filter(next_due_at__lt=timezone.now()).count(),
    }


def patch_open_cases(neighbourhood):
    return (
        Case.objects.filter(in_patch(neighbourhood.pk), status__in=CaseStatus.open_values())
        .select_related("resident", "home", "owner")
        # Cases with no deadline after those with one (SQLite would put them first; this is
        # also PostgreSQL's default for ASC, so the case_open_by_due index still serves it).
        .order_by(F("next_due_at").asc(nulls_last=True), "id")
    )


def organisation_summary():
    """The landlord-wide counts shown to staff without a patch (managers, the contact centre).
    Each is one indexed count, whatever the size of the landlord."""
    open_cases = Case.objects.filter(closed_at__isnull=True, status__in=CaseStatus.open_values())
    return {
        "homes": Home.objects.count(),
        "open_cases": open_cases.count(),
        "overdue_cases": open_cases.filter(next_due_at__lt=timezone.now()).count(),
        "failed_notifications": Notification.objects.filter(status=NotificationStatus.FAILED).count(),
    }
