"""Shared fixtures for the repairs tests: homes of each tenure, an operative team with slots,
an officer, and a quick way to report a repair."""

import uuid
from datetime import date

import pytest

from portal.models import Tenure
from repairs import services
from repairs.models import OperativeTeam, RepairPriority
from tests import factories


@pytest.fixture(autouse=True)
def _priorities(request):
    """The seeded priorities. A transactional test's flush removes what migrations put in, so put
    them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    services.ensure_default_priorities()


def priority(code: str) -> RepairPriority:
    return RepairPriority.objects.get(code=code)


def home_in_block(*, tenure=Tenure.SOCIAL_RENT, neighbourhood=None, **fields):
    estate = factories.EstateFactory(
        neighbourhood=neighbourhood or factories.NeighbourhoodFactory()
    )
    block = factories.BlockFactory(estate=estate)
    return factories.HomeFactory(
        estate=estate, block=block, tenure=tenure, has_communal_areas=True, **fields
    )


def resident_in(home, **fields):
    resident = factories.ResidentFactory(**fields)
    factories.TenancyFactory(home=home, residents=[resident])
    resident.user = factories.UserFactory(email=resident.email)
    resident.save()
    return resident


@pytest.fixture
def tenant(db):
    return resident_in(home_in_block(), phone="07700 900123")


@pytest.fixture
def tenant_home(tenant):
    return tenant.tenancies.get().home


@pytest.fixture
def leaseholder(db):
    return resident_in(home_in_block(tenure=Tenure.LEASEHOLD))


@pytest.fixture
def team(tenant_home):
    team = OperativeTeam.objects.create(name="Millbrook Repairs Team", trade="All trades")
    team.neighbourhoods.add(tenant_home.neighbourhood)
    return team


@pytest.fixture
def repairs_officer(db):
    return factories.OfficerFactory(name="Rita Repairs")


def report(
    resident,
    *,
    location="kitchen",
    category="kitchen",
    problem="kitchen_tap",
    answers=None,
    description="The kitchen tap is loose and wobbles.",
    token=None,
    **kwargs,
):
    home = resident.tenancies.get().home
    return services.report_repair(
        resident=resident,
        home=home,
        location=location,
        category=category,
        problem=problem,
        answers=answers or {},
        description=description,
        access_notes="",
        contact_phone="07700 900123",
        token=token or uuid.uuid4(),
        **kwargs,
    )


def slots_for(team, start: date, days: int = 14, capacity: int = 2, **kwargs):
    return services.create_slots(team=team, start=start, days=days, capacity=capacity, **kwargs)
