"""Reads the neighbourhood pages share: what is next near a resident, the calendars, and the
contractors' scores over time (aggregated in the database, a row per contractor and month)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from engagement.neighbourhoods.models import (
    Contractor,
    DoorstepDay,
    DropInHours,
    InspectionScore,
    OfficerProfile,
    ServiceCentre,
    Surgery,
    SurgeryBooking,
    Walkabout,
    WalkaboutSignup,
)
from portal.models import Officer, OfficerRole

TREND_MONTHS = 12


def _home_first(queryset, estate):
    """Order a calendar with the resident's own estate first, then by time."""
    if estate is None:
        return queryset.order_by("starts_at", "id")
    return queryset.annotate(
        elsewhere=Case(
            When(estate=estate, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("elsewhere", "starts_at", "id")


def patch_officers():
    """Each neighbourhood's housing officers, with what residents see of them."""
    return (
        Officer.objects.filter(is_active=True, role=OfficerRole.OFFICER, patch__isnull=False)
        .select_related("patch", "public_profile", "user")
        .order_by("patch__name", "name")
    )


def officer_for(neighbourhood_id):
    return patch_officers().filter(patch_id=neighbourhood_id).first()


def service_centres(neighbourhood=None):
    centres = ServiceCentre.objects.filter(is_active=True).prefetch_related(
        Prefetch("drop_in_hours", queryset=DropInHours.objects.order_by("weekday", "opens")),
        "neighbourhoods",
    )
    if neighbourhood is None:
        return centres.order_by("name")
    # An EXISTS, not a join: a centre serving several neighbourhoods is still listed once.
    serves = ServiceCentre.neighbourhoods.through.objects.filter(
        servicecentre_id=OuterRef("pk"), neighbourhood=neighbourhood
    )
    return centres.annotate(
        elsewhere=Case(
            When(Exists(serves), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("elsewhere", "name")


def upcoming_surgeries(*, estate=None, only_estate=None):
    now = timezone.now()
    surgeries = (
        Surgery.objects.filter(ends_at__gt=now, cancelled_at__isnull=True)
        .select_related("estate", "officer")
        .annotate(
            places_left=Sum("slots__capacity", filter=Q(slots__starts_at__gt=now))
            - Sum("slots__booked", filter=Q(slots__starts_at__gt=now))
        )
    )
    if only_estate is not None:
        surgeries = surgeries.filter(estate=only_estate)
    return _home_first(surgeries, estate)


def upcoming_walkabouts(*, estate=None, only_estate=None):
    walkabouts = (
        Walkabout.objects.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True)
        .select_related("estate", "officer")
        .annotate(joining=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
    )
    if only_estate is not None:
        walkabouts = walkabouts.filter(estate=only_estate)
    return _home_first(walkabouts, estate)


def upcoming_doorstep_days(*, estate=None, only_estate=None):
    days = DoorstepDay.objects.filter(ends_at__gt=timezone.now()).select_related(
        "estate", "officer"
    )
    if only_estate is not None:
        days = days.filter(estate=only_estate)
    return _home_first(days, estate)


def resident_bookings(resident):
    return (
        SurgeryBooking.objects.filter(
            resident=resident, cancelled_at__isnull=True, slot__ends_at__gt=timezone.now()
        )
        .select_related("slot", "surgery__estate", "surgery__officer")
        .order_by("slot__starts_at")
    )


def resident_signups(resident):
    return (
        WalkaboutSignup.objects.filter(
            resident=resident, cancelled_at__isnull=True, walkabout__starts_at__gt=timezone.now()
        )
        .select_related("walkabout__estate", "walkabout__officer")
        .order_by("walkabout__starts_at")
    )


@dataclass
class NearYou:
    home: object = None
    estate: object = None
    officer: object = None
    next_surgery: object = None
    next_walkabout: object = None
    next_doorstep_day: object = None
    bookings: list = field(default_factory=list)
    signups: list = field(default_factory=list)


def near_resident(resident, home) -> NearYou:
    """A resident's own officer and what is next on their estate: a fixed number of queries."""
    if home is None:
        return NearYou()
    estate = home.estate
    return NearYou(
        home=home,
        estate=estate,
        officer=officer_for(home.neighbourhood_id),
        next_surgery=upcoming_surgeries(only_estate=estate).first() if estate else None,
        next_walkabout=upcoming_walkabouts(only_estate=estate).first() if estate else None,
        next_doorstep_day=upcoming_doorstep_days(only_estate=estate).first() if estate else None,
        bookings=list(resident_bookings(resident)[:5]),
        signups=list(resident_signups(resident)[:5]),
    )


def home_page_summary(resident) -> NearYou | None:
    """The resident's officer, next surgery and next walkabout on their estate for their home
    page, in three queries: each reads the resident's current home through a subquery."""
    from portal.models import Home

    homes = Home.objects.filter(tenancies__residents=resident, tenancies__end_date__isnull=True)
    estates = homes.values("estate_id")
    officer = patch_officers().filter(patch_id__in=homes.values("neighbourhood_id")).first()
    surgery = upcoming_surgeries().filter(estate_id__in=estates).first()
    walkabout = upcoming_walkabouts().filter(estate_id__in=estates).first()
    if officer is None and surgery is None and walkabout is None:
        return None
    return NearYou(officer=officer, next_surgery=surgery, next_walkabout=walkabout)


def profile_of(officer) -> OfficerProfile | None:
    return getattr(officer, "public_profile", None) if officer else None


# -- contractors' scores over time ----------------------------------------------------------------------------


def trend_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    month = today.month - (TREND_MONTHS - 1)
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def contractors_with_scores(*, since: date | None = None):
    """Every contractor with their average score and number of scores over the trend period."""
    since = since or trend_start()
    in_period = Q(scores__inspected_on__gte=since)
    return Contractor.objects.annotate(
        average=Avg("scores__score", filter=in_period),
        scored=Count("scores", filter=in_period),
        estates=Count(
            "assignments__estate", filter=Q(assignments__ends_on__isnull=True), distinct=True
        ),
    ).order_by("service", "name")


def monthly_scores(*, contractor=None, estate=None, since: date | None = None) -> list[dict]:
    """Average score per month (and per contractor, when not given one), from the database."""
    since = since or trend_start()
    scores = InspectionScore.objects.filter(inspected_on__gte=since)
    if contractor is not None:
        scores = scores.filter(contractor=contractor)
    else:
        scores = scores.filter(contractor__isnull=False)
    if estate is not None:
        scores = scores.filter(estate=estate)
    return list(
        scores.annotate(month=TruncMonth("inspected_on"))
        .values("month", "contractor_id", "contractor__name")
        .annotate(
            average=Avg("score"), scored=Count("id"), poor=Count("id", filter=Q(score__lte=2))
        )
        .order_by("contractor__name", "month")
    )


def element_averages(*, contractor=None, estate=None, since: date | None = None) -> list[dict]:
    since = since or trend_start()
    scores = InspectionScore.objects.filter(inspected_on__gte=since)
    if contractor is not None:
        scores = scores.filter(contractor=contractor)
    if estate is not None:
        scores = scores.filter(estate=estate)
    return list(
        scores.values("element")
        .annotate(average=Avg("score"), scored=Count("id"))
        .order_by("element")
    )


def estate_averages(*, contractor=None, since: date | None = None) -> list[dict]:
    since = since or trend_start()
    scores = InspectionScore.objects.filter(inspected_on__gte=since)
    if contractor is not None:
        scores = scores.filter(contractor=contractor)
    return list(
        scores.values("estate_id", "estate__name")
        .annotate(average=Avg("score"), scored=Count("id"))
        .order_by("estate__name")
    )
