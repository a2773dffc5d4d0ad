"""The team leader's view: per officer and per patch, open cases, due today, overdue, and the
share of call-backs made within one working day this month, all counted in the database."""

from datetime import datetime, timedelta

import pytest
import time_machine

from portal.models import CaseStatus, Deadline, DeadlineKind, Landlord, OfficerRole
from portal.queue import team_workload
from portal.workdays import LONDON, end_of_day
from tests import factories

pytestmark = pytest.mark.django_db

# Wednesday 18 November 2026, 11am in London.
NOW = datetime(2026, 11, 18, 11, 0, tzinfo=LONDON)
TEAM = "/staff/team/"


@pytest.fixture(autouse=True)
def _mid_november():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return factories.TeamFactory(name="North team")


@pytest.fixture
def leader(team):
    leader = factories.OfficerFactory(name="Lee Leader", role=OfficerRole.TEAM_LEADER, team=team, patch=None)
    team.leader = leader
    team.save()
    return leader


@pytest.fixture
def ada(team):
    return factories.OfficerFactory(name="Ada Able", team=team)


@pytest.fixture
def ben(team):
    return factories.OfficerFactory(name="Ben Busy", team=team)


@pytest.fixture
def outsider():
    return factories.OfficerFactory(name="Omar Outsider", team=factories.TeamFactory(name="South team"))


def home_in(patch):
    return factories.HomeFactory(estate=factories.EstateFactory(neighbourhood=patch))


def a_case(*, owner=None, home=None, next_due_at=None, closed=False, **fields):
    """A case with its next deadline written straight onto it (the queue reads that column)."""
    return factories.CaseFactory(
        owner=owner,
        home=home or factories.HomeFactory(),
        next_due_at=next_due_at,
        status=CaseStatus.RESOLVED if closed else CaseStatus.OPEN,
        closed_at=NOW - timedelta(days=1) if closed else None,
        **fields,
    )


def a_callback(case, *, due_at, met_at=None, stopped_at=None):
    return Deadline.objects.create(
        case=case, kind=DeadlineKind.CALLBACK, due_at=due_at, met_at=met_at, stopped_at=stopped_at
    )


def row_for(rows, label):
    return next(row for row in rows if row.label == label)


# Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [OfficerRole.OFFICER, OfficerRole.CONTACT_CENTRE])
def test_officers_who_lead_nobody_are_refused_the_team_view(client, role):
    client.force_login(factories.OfficerFactory(role=role).user)

    assert client.get(TEAM).status_code == 403


def test_a_resident_is_refused_the_team_view(resident_client):
    assert resident_client.get(TEAM).status_code == 403


@pytest.mark.parametrize("role", [OfficerRole.TEAM_LEADER, OfficerRole.MANAGER])
def test_team_leaders_and_managers_see_the_team_view(client, role):
    client.force_login(factories.OfficerFactory(role=role).user)

    response = client.get(TEAM)

    assert response.status_code == 200
    assert '<caption class="govuk-table__caption govuk-table__caption--m" id="officers-caption">' in response.content.decode()


def test_a_team_leader_sees_their_own_team_and_a_manager_sees_everyone(client, leader, ada, ben, outsider):
    manager = factories.OfficerFactory(name="Mo Manager", role=OfficerRole.MANAGER, patch=None)

    assert [row.label for row in team_workload(leader)["officers"]] == ["Ada Able", "Ben Busy", "Lee Leader"]
    everyone = [row.label for row in team_workload(manager)["officers"]]
    assert everyone == ["Ada Able", "Ben Busy", "Lee Leader", "Mo Manager", "Omar Outsider"]


# The figures ------------------------------------------------------------------------------


def test_open_cases_due_today_and_overdue_are_counted_per_officer_and_per_patch(leader, ada, ben):
    later_today = NOW + timedelta(hours=3)
    ada_patch_home = home_in(ada.patch)
    a_case(owner=ada, home=ada_patch_home, next_due_at=later_today)
    a_case(owner=ada, next_due_at=NOW - timedelta(days=2))  # overdue, somewhere else
    a_case(owner=ada, next_due_at=NOW - timedelta(hours=1))  # due earlier today: overdue and due today
    a_case(owner=ada, next_due_at=NOW + timedelta(days=5))
    a_case(owner=ada, next_due_at=NOW - timedelta(days=9), closed=True)  # closed: not counted
    a_case(owner=ben, home=home_in(ada.patch))  # no deadline, in Ada's patch
    a_case(owner=None, team=leader.team, next_due_at=NOW - timedelta(days=1))  # the team's, nobody's

    workload = team_workload(leader)

    ada_row = row_for(workload["officers"], "Ada Able")
    assert (ada_row.open_cases, ada_row.due_today, ada_row.overdue) == (4, 2, 2)
    ben_row = row_for(workload["officers"], "Ben Busy")
    assert (ben_row.open_cases, ben_row.due_today, ben_row.overdue) == (1, 0, 0)
    patch = row_for(workload["patches"], ada.patch.name)
    assert (patch.open_cases, patch.due_today, patch.overdue) == (2, 1, 0)
    unassigned = workload["unassigned"]
    assert (unassigned.open_cases, unassigned.due_today, unassigned.overdue) == (1, 0, 1)


def test_the_share_of_call_backs_made_within_a_working_day_this_month(client, leader, ada):
    case = a_case(owner=ada, home=home_in(ada.patch))
    due_monday = end_of_day(datetime(2026, 11, 16).date())
    # Three kept in time, one made late, one missed and still open.
    for hours in (2, 5, 20):
        a_callback(case, due_at=due_monday, met_at=due_monday - timedelta(hours=hours))
    a_callback(case, due_at=due_monday, met_at=due_monday + timedelta(hours=10))
    a_callback(case, due_at=due_monday)
    # Not counted: not yet due, stopped before it fell due, due last month.
    a_callback(case, due_at=end_of_day(datetime(2026, 11, 19).date()))
    a_callback(case, due_at=due_monday, stopped_at=due_monday - timedelta(hours=3))
    a_callback(case, due_at=end_of_day(datetime(2026, 10, 30).date()), met_at=datetime(2026, 10, 30, 9, tzinfo=LONDON))
    # Stopped after it fell due without anyone calling: missed, so counted.
    a_callback(case, due_at=end_of_day(datetime(2026, 11, 2).date()), stopped_at=datetime(2026, 11, 4, tzinfo=LONDON))

    workload = team_workload(leader)

    ada_row = row_for(workload["officers"], "Ada Able")
    assert (ada_row.callbacks_on_time, ada_row.callbacks_counted) == (3, 6)
    assert ada_row.callback_percentage == 50
    patch = row_for(workload["patches"], ada.patch.name)
    assert (patch.callbacks_on_time, patch.callbacks_counted) == (3, 6)
    client.force_login(leader.user)
    page = client.get(TEAM).content.decode()
    assert "3 of 6 (50%)" in page
    assert "call-backs due in November 2026" in page


def test_the_month_is_the_calendar_month_in_london(leader, ada):
    case = a_case(owner=ada)
    # In summer London is an hour ahead of UTC: half past midnight on 1 July in London is
    # still 30 June in UTC, but it is July's call-back.
    a_callback(case, due_at=datetime(2026, 7, 1, 0, 30, tzinfo=LONDON), met_at=datetime(2026, 6, 30, 23, 0, tzinfo=LONDON))
    a_callback(case, due_at=datetime(2026, 6, 30, 23, 30, tzinfo=LONDON), met_at=datetime(2026, 6, 30, 12, 0, tzinfo=LONDON))

    with time_machine.travel(datetime(2026, 7, 15, 12, 0, tzinfo=LONDON), tick=False):
        ada_row = row_for(team_workload(leader)["officers"], "Ada Able")

    assert (ada_row.callbacks_on_time, ada_row.callbacks_counted) == (1, 1)


def test_an_officer_with_no_call_backs_due_yet_says_so(client, leader, ada):
    client.force_login(leader.user)

    page = client.get(TEAM).content.decode()

    assert "None due yet" in page
    assert row_for(team_workload(leader)["officers"], "Ada Able").callback_percentage is None


@pytest.mark.parametrize("size", [2, 12])
def test_the_team_view_costs_the_same_queries_whatever_the_number_of_officers_and_cases(
    client, leader, django_assert_num_queries, size
):
    for number in range(size):
        officer = factories.OfficerFactory(team=leader.team)
        case = a_case(owner=officer, home=home_in(officer.patch), next_due_at=NOW + timedelta(hours=number - 5))
        a_callback(case, due_at=NOW - timedelta(days=1), met_at=NOW - timedelta(days=2))
    client.force_login(leader.user)
    Landlord.current()  # cached, as it is in a running site

    # Session, user, officer and their team; the officers; cases by officer; cases by patch;
    # call-backs by officer and patch; cases nobody owns; the header's count of unread reminders.
    with django_assert_num_queries(10):
        response = client.get(TEAM)

    assert response.status_code == 200
    assert len(response.context["officers"]) == size + 1
