"""The setting-up pages: managers change service centres, drop-in hours, contractors and their
estates, and open spaces; other officers can look; residents cannot. Errors show next to the
answer with what was typed kept, a closed centre leaves Where to find us, and the lists read a
fixed number of queries however many rows there are."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement.neighbourhoods import services
from engagement.neighbourhoods.models import (
    ContractorAssignment,
    DropInHours,
    OpenSpace,
    ServiceCentre,
)
from portal.models import AuditEntry, OfficerRole
from tests import factories as core
from tests.neighbourhoods import factories

pytestmark = pytest.mark.django_db

BASE = "/staff/neighbourhoods"


@pytest.fixture
def manager(db):
    return core.OfficerFactory(role=OfficerRole.MANAGER, patch=None, name="Marcus Reid")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager.user)
    return client


def centre_form(**changes):
    form = {
        "name": "Castle Fields Hub",
        "kind": "community_hub",
        "address": "2 Castle Street\nMillbrook",
        "postcode": "MB2 4QQ",
        "phone": "01632 960001",
        "email": "",
        "helps_with": "Rent and money advice\nRepairs",
        "access_information": "",
        "submission_token": str(uuid.uuid4()),
    }
    form.update(changes)
    return form


def hours_form(**changes):
    form = {"weekday": "2", "opens": "10:00", "closes": "13:00", "note": ""}
    form.update(changes)
    return form


def test_a_manager_adds_a_centre_and_a_double_submit_makes_one(manager_client, manager):
    patch = core.NeighbourhoodFactory(name="Castle")
    form = centre_form(neighbourhoods=[patch.pk])
    first = manager_client.post(f"{BASE}/centres/new/", form)
    second = manager_client.post(f"{BASE}/centres/new/", form)
    centre = ServiceCentre.objects.get()
    assert first.url == second.url == f"{BASE}/centres/{centre.pk}/"
    assert list(centre.neighbourhoods.all()) == [patch]
    page = manager_client.get(first.url).content.decode()
    assert "Castle Fields Hub" in page and "Add drop-in hours" in page and "Close Castle" in page
    assert AuditEntry.objects.get().actor == manager.user


def test_a_missing_answer_is_shown_next_to_it_and_what_was_typed_stays(manager_client):
    response = manager_client.post(f"{BASE}/centres/new/", centre_form(address="", phone="0161"))
    page = response.content.decode()
    assert response.status_code == 200 and "Error: Add a service centre" in page
    assert 'id="id_address_1_error"' in page and "Enter the address" in page
    assert 'value="0161"' in page and "Castle Fields Hub" in page
    assert not ServiceCentre.objects.exists()


def test_a_name_already_taken_is_refused_next_to_the_name(manager_client):
    factories.ServiceCentreFactory(name="Castle Fields Hub")
    page = manager_client.post(f"{BASE}/centres/new/", centre_form()).content.decode()
    assert 'id="id_name_1_error"' in page and "There is already a centre called" in page
    assert ServiceCentre.objects.count() == 1


def test_a_manager_changes_a_centre(manager_client):
    centre = factories.ServiceCentreFactory(name="Old Hall")
    url = f"{BASE}/centres/{centre.pk}/change/"
    assert "Old Hall" in manager_client.get(url).content.decode()
    response = manager_client.post(url, centre_form(name="New Hall", kind="office"))
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.name == "New Hall" and centre.kind == "office"


def test_hours_that_end_before_they_start_are_refused_next_to_the_closing_time(manager_client):
    centre = factories.ServiceCentreFactory()
    url = f"{BASE}/centres/{centre.pk}/hours/new/"
    page = manager_client.post(url, hours_form(opens="14:00", closes="11:00")).content.decode()
    assert 'id="id_closes_1_error"' in page
    assert "The closing time must be after the opening time" in page
    assert 'value="14:00"' in page and 'value="11:00"' in page
    page = manager_client.post(url, hours_form(opens="half ten")).content.decode()
    assert "Enter the opening time in the form 14:30 or 2:30pm" in page
    assert not DropInHours.objects.exists()


def test_overlapping_hours_are_refused_next_to_the_opening_time(manager_client):
    hours = factories.DropInHoursFactory(weekday=2)
    url = f"{BASE}/centres/{hours.centre_id}/hours/new/"
    page = manager_client.post(url, hours_form(opens="12:00", closes="14:00")).content.decode()
    assert (
        'id="id_opens_1_error"' in page
        and "is already open from 09:30 to 12:30 on Wednesdays" in page
    )
    assert manager_client.post(url, hours_form(opens="12:30")).status_code == 302
    assert hours.centre.drop_in_hours.count() == 2


def test_a_manager_changes_and_removes_hours(manager_client):
    hours = factories.DropInHoursFactory()
    base = f"{BASE}/centres/{hours.centre_id}/hours/{hours.pk}"
    assert 'value="09:30"' in manager_client.get(f"{base}/change/").content.decode()
    manager_client.post(f"{base}/change/", hours_form(weekday="4", opens="9am", closes="1pm"))
    hours.refresh_from_db()
    assert (hours.weekday, hours.opens, hours.closes) == (4, dt.time(9), dt.time(13))
    assert manager_client.post(f"{base}/remove/").status_code == 302
    assert manager_client.post(f"{base}/remove/").status_code == 302  # a second click
    assert not DropInHours.objects.exists()


def test_a_closed_centre_is_not_shown_to_residents_and_returns_when_reopened(
    manager_client, tenant, estate
):
    centre = factories.DropInHoursFactory(centre__name="Wharf Side Office").centre
    closed = manager_client.post(f"{BASE}/centres/{centre.pk}/close/", follow=True)
    assert "Wharf Side Office is closed" in closed.content.decode()
    manager_client.force_login(tenant.user)
    assert "Wharf Side Office" not in manager_client.get("/neighbourhood/").content.decode()
    manager_client.logout()
    assert "Wharf Side Office" not in manager_client.get("/neighbourhood/").content.decode()
    manager = core.OfficerFactory(role=OfficerRole.MANAGER)
    manager_client.force_login(manager.user)
    listing = manager_client.get(f"{BASE}/centres/").content.decode()
    assert "Wharf Side Office" in listing and "Closed" in listing
    manager_client.post(f"{BASE}/centres/{centre.pk}/reopen/")
    assert "Wharf Side Office" in manager_client.get("/neighbourhood/").content.decode()


def test_a_manager_adds_a_contractor_gives_them_an_estate_and_ends_it(manager_client, estate):
    form = {"name": "Brightway", "service": "cleaning", "submission_token": str(uuid.uuid4())}
    manager_client.post(f"{BASE}/contractors/new/", form)
    response = manager_client.post(f"{BASE}/contractors/new/", form)
    contractor = factories.ContractorFactory._meta.model.objects.get(name="Brightway")
    assert response.url == f"{BASE}/contractors/{contractor.pk}/"
    assign = {
        "estate": estate.pk,
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "submission_token": str(uuid.uuid4()),
    }
    assert (
        manager_client.post(f"{BASE}/contractors/{contractor.pk}/estates/new/", assign).status_code
        == 302
    )
    assignment = ContractorAssignment.objects.get()
    page = manager_client.get(f"{BASE}/contractors/{contractor.pk}/").content.decode()
    assert "Estates they hold" in page and "Hollybank" in page and "1 April 2026" in page
    end_url = f"{BASE}/contractors/{contractor.pk}/estates/{assignment.pk}/end/"
    early = {"last_day_0": "31", "last_day_1": "3", "last_day_2": "2026"}
    page = manager_client.post(end_url, early).content.decode()
    assert 'id="id_last_day_1_error"' in page and "on or after the day it started" in page
    manager_client.post(end_url, {**early, "last_day_1": "5"})
    assignment.refresh_from_db()
    assert assignment.ends_on == dt.date(2026, 5, 31)


def test_giving_an_estate_before_the_current_contract_is_refused_next_to_the_date(
    manager_client, estate
):
    factories.ContractorAssignmentFactory(estate=estate, starts_on=dt.date(2025, 1, 1))
    contractor = factories.ContractorFactory()
    page = manager_client.post(
        f"{BASE}/contractors/{contractor.pk}/estates/new/",
        {"estate": estate.pk, "starts_on_0": "1", "starts_on_1": "1", "starts_on_2": "2024"},
    ).content.decode()
    assert 'id="id_starts_on_1_error"' in page and "The new contract must start after that" in page


def test_a_manager_stops_using_a_contractor_and_can_use_them_again(manager_client, estate):
    assignment = factories.ContractorAssignmentFactory(estate=estate)
    contractor = assignment.contractor
    url = f"{BASE}/contractors/{contractor.pk}/stop/"
    assert "They stop holding Hollybank" in manager_client.get(url).content.decode()
    today = dt.date.today()
    manager_client.post(
        url, {"last_day_0": today.day, "last_day_1": today.month, "last_day_2": today.year}
    )
    contractor.refresh_from_db()
    assert not contractor.is_active
    listing = manager_client.get(f"{BASE}/contractors/").content.decode()
    assert "Not in use" in listing
    manager_client.post(f"{BASE}/contractors/{contractor.pk}/use-again/")
    contractor.refresh_from_db()
    assert contractor.is_active


def test_a_manager_adds_renames_and_retires_an_open_space(manager_client, estate, patch_officer):
    url = f"{BASE}/open-spaces/new/?estate={estate.pk}"
    assert f'<option value="{estate.pk}" selected>' in manager_client.get(url).content.decode()
    form = {"estate": estate.pk, "name": "Play area", "submission_token": str(uuid.uuid4())}
    manager_client.post(url, form)
    response = manager_client.post(url, form)
    space = OpenSpace.objects.get()
    assert response.url == f"{BASE}/open-spaces/#estate-{estate.pk}"
    page = manager_client.post(url, {**form, "submission_token": ""}).content.decode()
    assert 'id="id_name_1_error"' in page and "already has an open space called Play area" in page
    manager_client.post(f"{BASE}/open-spaces/{space.pk}/rename/", {"name": "Play park"})
    manager_client.post(f"{BASE}/open-spaces/{space.pk}/retire/")
    space.refresh_from_db()
    assert space.name == "Play park" and not space.is_active
    assert "Retired" in manager_client.get(f"{BASE}/open-spaces/").content.decode()
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    assert (
        "Play park"
        not in manager_client.get(f"{BASE}/inspections/{inspection.pk}/").content.decode()
    )
    manager_client.post(f"{BASE}/open-spaces/{space.pk}/inspect-again/")
    assert (
        "Play park" in manager_client.get(f"{BASE}/inspections/{inspection.pk}/").content.decode()
    )


# -- who may do what ----------------------------------------------------------------------------------------------


def _things():
    hours = factories.DropInHoursFactory()
    assignment = factories.ContractorAssignmentFactory()
    space = factories.OpenSpaceFactory()
    return hours, assignment, space


def _change_urls(hours, assignment, space):
    centre, contractor = hours.centre_id, assignment.contractor_id
    return [
        f"{BASE}/centres/new/",
        f"{BASE}/centres/{centre}/change/",
        f"{BASE}/centres/{centre}/close/",
        f"{BASE}/centres/{centre}/reopen/",
        f"{BASE}/centres/{centre}/hours/new/",
        f"{BASE}/centres/{centre}/hours/{hours.pk}/change/",
        f"{BASE}/centres/{centre}/hours/{hours.pk}/remove/",
        f"{BASE}/contractors/new/",
        f"{BASE}/contractors/{contractor}/change/",
        f"{BASE}/contractors/{contractor}/stop/",
        f"{BASE}/contractors/{contractor}/use-again/",
        f"{BASE}/contractors/{contractor}/estates/new/",
        f"{BASE}/contractors/{contractor}/estates/{assignment.pk}/end/",
        f"{BASE}/open-spaces/new/",
        f"{BASE}/open-spaces/{space.pk}/rename/",
        f"{BASE}/open-spaces/{space.pk}/retire/",
        f"{BASE}/open-spaces/{space.pk}/inspect-again/",
    ]


def _view_urls(hours, assignment, space):
    return [
        f"{BASE}/centres/",
        f"{BASE}/centres/{hours.centre_id}/",
        f"{BASE}/contractors/",
        f"{BASE}/contractors/{assignment.contractor_id}/",
        f"{BASE}/open-spaces/",
    ]


def test_an_officer_can_see_the_setup_pages_but_not_change_anything(staff_client):
    things = _things()
    for url in _view_urls(*things):
        page = staff_client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        for action in ("Add a", "Close ", "Give them an estate", "Retire", "/change/"):
            assert action not in text, (url, action)
    for url in _change_urls(*things):
        assert staff_client.get(url).status_code in (403, 405), url
        assert staff_client.post(url, {"name": "Changed"}).status_code == 403, url
    hours, assignment, space = things
    hours.refresh_from_db()
    space.refresh_from_db()
    assert hours.centre.is_active and space.is_active and space.name != "Changed"
    assert DropInHours.objects.count() == 1 and not AuditEntry.objects.exists()


def test_residents_and_strangers_are_refused(tenant_client):
    things = _things()
    for url in _view_urls(*things) + _change_urls(*things):
        assert tenant_client.post(url).status_code == 403, url
        assert tenant_client.get(url).status_code in (403, 405), url
    tenant_client.logout()
    for url in _view_urls(*things):
        assert tenant_client.get(url).status_code == 302, url


def test_the_staff_home_page_links_to_setting_up(staff_client):
    page = staff_client.get(f"{BASE}/").content.decode()
    for url in ("centres/", "contractors/", "open-spaces/"):
        assert f'href="{BASE}/{url}"' in page


# -- query counts -------------------------------------------------------------------------------------------------


def _more(estate):
    patch = core.NeighbourhoodFactory()
    for closed in (False, True):
        centre = factories.ServiceCentreFactory(is_active=not closed)
        centre.neighbourhoods.add(patch, estate.neighbourhood)
        factories.DropInHoursFactory(centre=centre, weekday=0)
        factories.DropInHoursFactory(centre=centre, weekday=3)
    other = core.EstateFactory(neighbourhood=patch)
    for where in (estate, other):
        factories.OpenSpaceFactory(estate=where)
        factories.OpenSpaceFactory(estate=where, is_active=False)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["centres/", "open-spaces/", "contractors/", "contractor"])
def test_setup_lists_use_a_fixed_number_of_queries(
    manager_client, estate, page, django_assert_max_num_queries
):
    contractor = factories.ContractorFactory()
    url = f"{BASE}/contractors/{contractor.pk}/" if page == "contractor" else f"{BASE}/{page}"

    def grow():
        _more(estate)
        factories.ContractorAssignmentFactory(contractor=contractor)
        factories.ContractorAssignmentFactory()

    grow()
    with django_assert_max_num_queries(20):
        assert manager_client.get(url).status_code == 200
    before = _queries(manager_client, url)
    grow()
    grow()
    assert _queries(manager_client, url) == before
