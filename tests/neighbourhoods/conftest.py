import pytest

from tests import factories as core
from tests.neighbourhoods import factories


@pytest.fixture
def estate(db):
    return core.EstateFactory(name="Hollybank")


@pytest.fixture
def patch_officer(estate):
    return core.OfficerFactory(patch=estate.neighbourhood, name="Priya Shah")


@pytest.fixture
def tenant(estate):
    return factories.resident_on(estate, first_name="Amira", last_name="Hussain")


@pytest.fixture
def tenant_client(client, tenant):
    client.force_login(tenant.user)
    return client


@pytest.fixture
def staff_client(client, patch_officer):
    client.force_login(patch_officer.user)
    return client


@pytest.fixture(autouse=True)
def _repair_priorities(request):
    """Cases opened as repairs need the seeded repair priorities, which a transactional test's
    flush removes: put them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from repairs.services import ensure_default_priorities

    ensure_default_priorities()
