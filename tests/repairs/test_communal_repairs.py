"""Communal repairs staff raise with no resident (a light out on a block's stairs, fly-tipping on
an estate's open space): each gets its priority's target, goes to the repairs team, and shows
in the queue under its estate's patch although it has no home."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.extensions import open_case_for
from portal.models import AuditEntry, Case, CaseChannel, CaseKind, DeadlineKind
from portal.queue import team_workload
from portal.selectors import patch_open_cases, patch_summary
from portal.services.cases import change_status
from portal.workdays import LONDON
from repairs import services
from repairs.models import RepairRequest
from tests import factories
from tests.repairs.conftest import home_in_block, priority, resident_in

pytestmark = pytest.mark.django_db

# Tuesday 24 November 2026, 10am in London.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
QUEUE = "/staff/queue/"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def patch():
    return factories.NeighbourhoodFactory(name="Millbrook North")


@pytest.fixture
def estate(patch):
    return factories.EstateFactory(neighbourhood=patch, name="Elm Estate")


@pytest.fixture
def block(estate):
    return factories.BlockFactory(estate=estate, name="Holly Court")


@pytest.fixture
def patch_officer(patch):
    return factories.OfficerFactory(name="Pat Patch", patch=patch)


@pytest.fixture
def other_officer():
    return factories.OfficerFactory(name="Olu Elsewhere")


def raise_communal(officer, **fields):
    fields.setdefault("summary", "Stairwell light out")
    fields.setdefault("details", "Second floor landing, dark since the weekend")
    fields.setdefault("channel", CaseChannel.WALK_IN)
    return services.report_communal_repair(officer=officer, **fields)


def queue_references(client, officer, **params):
    client.force_login(officer.user)
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [row["reference"] for row in response.context["rows"]]


# The service --------------------------------------------------------------------------------


def test_a_block_repair_has_no_home_but_knows_its_block_and_estate(patch_officer, block, estate):
    repair = raise_communal(patch_officer, block=block, location="communal_stairs")

    case = repair.case
    assert case.kind == CaseKind.REPAIR
    assert case.home is None and case.resident is None
    assert case.estate == estate
    assert repair.is_communal
    assert repair.block == block and repair.estate == estate
    assert repair.location_label == "Shared stairs, landings or corridors"
    assert repair.communal_place == "Holly Court, Elm Estate"
    assert case.summary == "Stairwell light out"
    assert "Second floor landing" in repair.description
    assert repair.reported_by == patch_officer.user
    assert case.team.name == settings.REPAIRS_TEAM_NAME


def test_a_block_repair_gets_its_priority_target_as_a_resident_repair_would(patch_officer, block):
    repair = raise_communal(patch_officer, block=block)

    routine = priority("routine")
    target = repair.case.deadlines.get()
    assert repair.priority == routine
    assert target.kind == DeadlineKind.REPAIR_TARGET
    assert target.due_at == routine.target_from(NOW)
    assert Case.objects.get(pk=repair.case.pk).next_due_at == target.due_at


def test_an_open_space_repair_is_raised_for_the_estate_alone(patch_officer, estate):
    repair = raise_communal(
        patch_officer,
        estate=estate,
        summary="Fly-tipping on the green",
        details="Mattress and two sofas by the play area",
        priority="urgent",
    )

    case = Case.objects.get(pk=repair.case.pk)
    assert case.home is None and case.estate == estate
    assert repair.block is None and repair.estate == estate
    assert repair.location == "communal_grounds"
    assert repair.communal_place == "Elm Estate"
    assert repair.priority == priority("urgent")
    assert case.deadlines.get().due_at == priority("urgent").target_from(NOW)


def test_words_that_mean_gas_make_it_an_emergency_whatever_was_chosen(patch_officer, block):
    repair = raise_communal(
        patch_officer, block=block, summary="Smell of gas in the bin store", priority="routine"
    )

    assert repair.priority.is_emergency
    assert repair.emergency == "gas"
    assert repair.case.deadlines.get().due_at == repair.priority.target_from(NOW)


def test_raising_it_leaves_an_audit_entry_by_the_officer(patch_officer, estate):
    repair = raise_communal(patch_officer, estate=estate)

    entry = AuditEntry.objects.get(subject=f"case {repair.case.reference}")
    assert entry.actor == patch_officer.user
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.detail["communal_repair"] == "Elm Estate"


@pytest.mark.parametrize("where", ["neither", "both"])
def test_it_needs_exactly_one_of_a_block_or_an_estate(patch_officer, block, estate, where):
    places = {} if where == "neither" else {"block": block, "estate": estate}

    with pytest.raises(services.RepairError):
        raise_communal(patch_officer, **places)

    assert not Case.objects.exists()
    assert not RepairRequest.objects.exists()


def test_it_refuses_a_place_inside_a_home_and_a_report_with_no_words(patch_officer, block):
    with pytest.raises(services.RepairError):
        raise_communal(patch_officer, block=block, location="kitchen")
    with pytest.raises(services.RepairError):
        raise_communal(patch_officer, block=block, summary=" ", details="")
    assert not Case.objects.exists()


# The queue and the patch --------------------------------------------------------------------


def test_a_block_repair_shows_in_my_patch_with_its_deadline(
    client, patch_officer, other_officer, block
):
    repair = raise_communal(patch_officer, block=block)

    assert queue_references(client, patch_officer, view="patch") == [repair.case.reference]
    client.force_login(patch_officer.user)
    page = client.get(QUEUE, {"view": "patch"}).content.decode()
    assert "Complete repair" in page
    assert queue_references(client, other_officer, view="patch") == []


def test_an_open_space_repair_shows_under_its_estates_neighbourhood(
    client, patch_officer, other_officer, patch, estate
):
    repair = raise_communal(patch_officer, estate=estate, summary="Fly-tipping on the green")

    assert queue_references(client, patch_officer, view="patch") == [repair.case.reference]
    assert queue_references(client, other_officer, view="all", neighbourhood=patch.pk) == [
        repair.case.reference
    ]
    assert queue_references(client, other_officer, view="patch") == []
    elsewhere = factories.NeighbourhoodFactory(name="Millbrook South")
    assert queue_references(client, other_officer, neighbourhood=elsewhere.pk) == []


def test_home_cases_in_the_patch_still_show_beside_communal_ones(client, patch_officer, estate):
    tenant = resident_in(home_in_block(neighbourhood=patch_officer.patch))
    at_home = services.report_repair(
        resident=tenant,
        home=tenant.tenancies.get().home,
        location="kitchen",
        category="kitchen",
        problem="kitchen_tap",
        description="Loose tap",
    )
    communal = raise_communal(patch_officer, estate=estate)

    assert set(queue_references(client, patch_officer, view="patch")) == {
        at_home.case.reference,
        communal.case.reference,
    }


def test_a_closed_communal_repair_leaves_the_patch(client, patch_officer, estate):
    repair = raise_communal(patch_officer, estate=estate)
    change_status(case=repair.case, status="closed")

    assert queue_references(client, patch_officer, view="patch") == []


def test_the_patch_page_and_the_team_leaders_figures_count_it(patch_officer, patch, estate):
    repair = raise_communal(patch_officer, estate=estate)
    manager = factories.OfficerFactory(role="manager", patch=None)

    assert list(patch_open_cases(patch)) == [repair.case]
    assert patch_summary(patch)["open_cases"] == 1
    rows = {row.neighbourhood: row for row in team_workload(manager)["patches"]}
    assert rows[patch].open_cases == 1


@pytest.mark.parametrize("size", [2, 12])
def test_the_patch_view_costs_the_same_queries_however_many_communal_repairs(
    client, patch_officer, block, estate, django_assert_num_queries, size
):
    for number in range(size):
        raise_communal(patch_officer, **({"block": block} if number % 2 else {"estate": estate}))
    client.force_login(patch_officer.user)

    # As tests/portal/test_queue.py: session, user, officer, neighbourhoods, the page, the
    # officers to assign to, the unread reminders.
    with django_assert_num_queries(7):
        response = client.get(QUEUE, {"view": "patch"})

    assert len(response.context["rows"]) == size


# The case opener ----------------------------------------------------------------------------


def test_the_opener_raises_an_inspection_finding_through_the_service(
    client, monkeypatch, patch_officer, block, estate
):
    calls = []
    real = services.report_communal_repair

    def spy(**fields):
        calls.append(fields)
        return real(**fields)

    monkeypatch.setattr(services, "report_communal_repair", spy)

    case = open_case_for(
        "communal_repair",
        officer=patch_officer,
        summary="Stairwell light out",
        details="Found on the estate inspection",
        channel=CaseChannel.WALK_IN,
        block=block,
        estate=estate,
    )

    assert len(calls) == 1
    assert calls[0]["block"] == block and calls[0]["estate"] is None
    assert case.summary == "Stairwell light out"
    assert case.estate == estate and case.home is None
    assert "Holly Court" in case.repair.description
    assert queue_references(client, patch_officer, view="patch") == [case.reference]


def test_the_opener_raises_an_open_space_problem_for_the_estate(patch_officer, estate):
    case = open_case_for(
        "communal_repair", officer=patch_officer, summary="Bench broken", estate=estate
    )

    assert case.repair.estate == estate and case.repair.block is None
    assert case.deadlines.get().kind == DeadlineKind.REPAIR_TARGET


def test_the_opener_refuses_a_communal_repair_with_nowhere_to_put_it(patch_officer):
    with pytest.raises(ValueError):
        open_case_for("communal_repair", officer=patch_officer, summary="Somewhere")


def test_a_resident_in_a_block_still_reports_through_their_home(monkeypatch, patch_officer):
    tenant = resident_in(home_in_block(neighbourhood=patch_officer.patch))
    home = tenant.tenancies.get().home
    monkeypatch.setattr(services, "report_communal_repair", None)  # must not be called

    case = open_case_for(
        "communal_repair",
        officer=patch_officer,
        summary="Door entry broken",
        resident=tenant,
        home=home,
    )

    assert case.home == home and case.resident == tenant and case.estate is None
    assert case.repair.block == home.block and case.repair.estate == home.block.estate


def test_a_resident_in_a_house_on_the_estate_stays_on_the_case_they_raised(
    client, patch_officer, estate
):
    house = factories.HomeFactory(estate=estate, neighbourhood=estate.neighbourhood, block=None)
    resident = resident_in(house)

    case = open_case_for(
        "communal_repair",
        officer=patch_officer,
        summary="Streetlight out on the path",
        resident=resident,
        home=house,
        estate=estate,
    )

    assert case.resident == resident and case.home is None and case.estate == estate
    assert AuditEntry.objects.filter(resident=resident, subject=f"case {case.reference}").exists()
    assert queue_references(client, patch_officer, view="patch") == [case.reference]


# The repairs staff pages --------------------------------------------------------------------


def test_the_repairs_list_and_page_say_which_block_or_estate(client, patch_officer, block, estate):
    at_block = raise_communal(patch_officer, block=block)
    on_green = raise_communal(patch_officer, estate=estate, summary="Fly-tipping on the green")
    client.force_login(patch_officer.user)

    listing = client.get("/staff/repairs/").content.decode()
    assert "Shared area: Holly Court, Elm Estate" in listing
    assert "Shared area: Elm Estate" in listing

    page = client.get(f"/staff/repairs/{at_block.case.reference}/").content.decode()
    assert "Holly Court, Elm Estate" in page and "Millbrook North" in page
    page = client.get(f"/staff/repairs/{on_green.case.reference}/").content.decode()
    assert "Fly-tipping on the green" in page and "Elm Estate" in page


def test_the_repairs_list_costs_the_same_queries_however_many_communal_repairs(
    client, patch_officer, block, estate
):
    client.force_login(patch_officer.user)
    counts = []
    for _ in range(2):
        for number in range(5):
            raise_communal(
                patch_officer, **({"block": block} if number % 2 else {"estate": estate})
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/repairs/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# The demo -----------------------------------------------------------------------------------


def test_the_demo_puts_two_communal_repairs_in_the_demo_officers_patch(client, patch, block):
    factories.resident_with_home(email="tenant@example.com")
    officer = factories.OfficerFactory(
        user=factories.UserFactory(email="officer@example.com"), patch=patch
    )
    out = StringIO()
    call_command("load_demo_repairs", stdout=out)
    assert "Communal repairs found on the walk round Elm Estate (Millbrook North): 2 added" in (
        out.getvalue()
    )
    call_command("load_demo_repairs", stdout=StringIO())

    communal = RepairRequest.objects.filter(is_communal=True, case__home__isnull=True)
    assert communal.count() == 2
    assert {repair.communal_place for repair in communal} == {
        "Holly Court, Elm Estate",
        "Elm Estate",
    }
    assert len(queue_references(client, officer, view="patch")) == 2
