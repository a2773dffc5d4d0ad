"""People and helpers for the complaints tests: a tenant in a patch, the patch officer who handles
stage 1, their team leader, and the landlord's complaints manager."""

import pytest

from portal.models import Landlord, OfficerRole
from tests import factories
from tests.complaints.builders import tenant_in


@pytest.fixture
def patch(db):
    return factories.NeighbourhoodFactory(name="Northgate")


@pytest.fixture
def team(db):
    leader = factories.OfficerFactory(name="Tess Leader", role=OfficerRole.TEAM_LEADER, patch=None)
    team = factories.TeamFactory(name="Neighbourhood Housing", leader=leader)
    leader.team = team
    leader.save()
    return team


@pytest.fixture
def handler(patch, team):
    """The patch officer: new complaints in the patch go to them."""
    return factories.OfficerFactory(name="Hana Handler", patch=patch, team=team)


@pytest.fixture
def colleague(patch, team):
    return factories.OfficerFactory(name="Cole Colleague", patch=None, team=team)


@pytest.fixture
def complaints_manager(db):
    manager = factories.OfficerFactory(name="Mo Manager", role=OfficerRole.MANAGER, patch=None)
    landlord = Landlord.current()
    landlord.complaints_manager = manager
    landlord.save()
    return manager


@pytest.fixture
def tenant(patch, handler):
    return tenant_in(patch, first_name="Amira", last_name="Hussain")


@pytest.fixture
def tenant_client(client, tenant):
    client.force_login(tenant.user)
    return client
