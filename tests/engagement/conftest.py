import pytest

from portal.models import OfficerRole
from tests import factories


@pytest.fixture
def manager(db):
    return factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager.user)
    return client
