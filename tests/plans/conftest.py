import pytest

from tests import factories as core
from tests.plans import factories


@pytest.fixture
def patch(db):
    return core.NeighbourhoodFactory(name="Northgate")


@pytest.fixture
def elsewhere(db):
    return core.NeighbourhoodFactory(name="Riverside")


@pytest.fixture
def tenant(patch):
    return factories.resident_in(patch, first_name="Amira", last_name="Hussain")


@pytest.fixture
def neighbour(patch):
    return factories.resident_in(patch, first_name="Dev", last_name="Patel")


@pytest.fixture
def stranger(elsewhere):
    return factories.resident_in(elsewhere, first_name="Ruth", last_name="Okafor")


@pytest.fixture
def manager(db):
    from portal.models import OfficerRole

    return core.OfficerFactory(name="Marcus Reid", role=OfficerRole.MANAGER, patch=None)


@pytest.fixture
def fund(db):
    return factories.fund_with_criteria()


def make_panel_member(resident):
    """A current member of an active resident panel, through the engagement app's own models."""
    from engagement.models import MembershipStatus, Panel, PanelKind, PanelMembership

    panel, _ = Panel.objects.get_or_create(
        slug="engagement-panel",
        defaults={
            "name": "Engagement panel",
            "kind": PanelKind.ENGAGEMENT,
            "purpose": "Residents shaping services.",
            "what_members_do": "Meet monthly.",
            "time_commitment": "2 hours a month",
        },
    )
    return PanelMembership.objects.create(
        panel=panel, resident=resident, status=MembershipStatus.MEMBER, why="To help."
    )
