"""The reminder sweep: before, on the day, overdue; each reminder exactly once."""

import threading
from datetime import datetime

import pytest
import time_machine
from django.db import connection, connections

from portal.models import CaseKind, CaseStatus, DeadlineKind, Notification, Reminder, ReminderStage
from portal.services import cases
from portal.services.reminders import stage_times, sweep_deadline_reminders
from portal.workdays import LONDON, deadline_after
from tests.factories import OfficerFactory, TeamFactory, resident_with_home

pytestmark = pytest.mark.django_db

# Friday 27 November 2026, 11am: a call-back is due by the end of Monday 30 November.
FRIDAY_11AM = datetime(2026, 11, 27, 11, 0, tzinfo=LONDON)


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def team():
    leader = OfficerFactory(name="Tess Leader", role="team_leader")
    team = TeamFactory(leader=leader)
    leader.team = team
    leader.save()
    return team


@pytest.fixture
def owner(team):
    return OfficerFactory(name="Owen Officer", team=team)


def callback_case(owner, opened_at=FRIDAY_11AM):
    with time_machine.travel(opened_at, tick=False):
        resident = resident_with_home()
        case = cases.open_case(
            kind=CaseKind.ENQUIRY, summary="Rent query", channel="phone", resident=resident, owner=owner
        )
        deadline = cases.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=deadline_after(opened_at, 1))
    return case, deadline


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return sweep_deadline_reminders()


def reminders_to(officer):
    return list(Notification.objects.filter(officer=officer).order_by("created_at").values_list("subject", flat=True))


def test_a_call_back_is_reminded_on_its_morning_two_office_hours_before_and_when_overdue(owner):
    case, deadline = callback_case(owner)
    assert [(stage, moment) for stage, moment in stage_times(deadline)] == [
        (ReminderStage.DUE_TODAY, at(30, 9)),
        (ReminderStage.DUE_SOON, at(30, 15)),
        (ReminderStage.OVERDUE, datetime(2026, 11, 30, 23, 59, 59, tzinfo=LONDON)),
    ]
    sweep_at(at(28, 12))  # the weekend: nothing yet
    assert reminders_to(owner) == []
    sweep_at(at(30, 9, 5))
    sweep_at(at(30, 15, 5))
    sweep_at(datetime(2026, 12, 1, 0, 5, tzinfo=LONDON))
    assert reminders_to(owner) == [
        f"Due today: call back for {case.reference}",
        f"Due soon: call back for {case.reference}",
        f"Overdue: call back for {case.reference}",
    ]


def test_running_the_sweep_twice_sends_each_reminder_once(owner):
    callback_case(owner)
    first = sweep_at(at(30, 9, 5))
    second = sweep_at(at(30, 9, 10))
    assert (first.notifications, second.notifications) == (1, 0)
    assert Notification.objects.filter(officer=owner).count() == 1
    assert Reminder.objects.count() == 1


def test_an_overdue_reminder_also_goes_to_the_team_leader(owner, team):
    case, _ = callback_case(owner)
    sweep_at(datetime(2026, 12, 1, 8, 0, tzinfo=LONDON))
    assert reminders_to(team.leader) == [f"Overdue: call back for {case.reference}"]
    body = Notification.objects.get(officer=team.leader).body
    assert "Owen Officer owns the case" in body


def test_a_sweep_that_was_down_sends_only_the_latest_stage_and_never_the_missed_ones(owner):
    case, _ = callback_case(owner)
    sweep_at(datetime(2026, 12, 2, 10, 0, tzinfo=LONDON))
    sweep_at(datetime(2026, 12, 2, 10, 5, tzinfo=LONDON))
    assert reminders_to(owner) == [f"Overdue: call back for {case.reference}"]


def test_a_met_deadline_sends_nothing(owner):
    _, deadline = callback_case(owner)
    with time_machine.travel(at(30, 8), tick=False):
        cases.meet_deadline(deadline=deadline)
    sweep_at(at(30, 9, 5))
    sweep_at(datetime(2026, 12, 1, 9, 0, tzinfo=LONDON))
    assert Notification.objects.filter(officer__isnull=False).count() == 0


def test_a_closed_case_stops_its_reminders(owner):
    case, _ = callback_case(owner)
    sweep_at(at(30, 9, 5))
    with time_machine.travel(at(30, 10), tick=False):
        cases.change_status(case=case, status=CaseStatus.RESOLVED)
    sweep_at(datetime(2026, 12, 1, 9, 0, tzinfo=LONDON))
    assert len(reminders_to(owner)) == 1


def test_an_extended_deadline_is_reminded_again_for_its_new_date_only(owner):
    case, deadline = callback_case(owner)
    sweep_at(at(30, 9, 5))  # due today, for Monday
    with time_machine.travel(at(30, 12), tick=False):
        cases.extend_deadline(
            deadline=deadline,
            to=datetime(2026, 12, 2, 23, 59, 59, tzinfo=LONDON),
            reason="Resident asked us to call on Wednesday",
        )
    sweep_at(at(30, 15, 5))  # Monday's 'due soon' no longer applies
    sweep_at(datetime(2026, 12, 1, 0, 5, tzinfo=LONDON))  # nor Monday's 'overdue'
    assert len(reminders_to(owner)) == 1
    sweep_at(datetime(2026, 12, 2, 9, 5, tzinfo=LONDON))
    assert reminders_to(owner)[-1] == f"Due today: call back for {case.reference}"


def test_a_longer_clock_is_reminded_two_working_days_before(owner):
    with time_machine.travel(at(2, 10), tick=False):
        resident = resident_with_home()
        case = cases.open_case(kind=CaseKind.COMPLAINT, summary="Repairs delay", channel="web", resident=resident, owner=owner)
        # Due by the end of Tuesday 15 December: two working days before is Friday 11 December.
        deadline = cases.set_deadline(
            case=case, kind=DeadlineKind.COMPLAINT_RESPONSE, due_at=datetime(2026, 12, 15, 23, 59, 59, tzinfo=LONDON)
        )
    assert stage_times(deadline)[0] == (ReminderStage.DUE_SOON, datetime(2026, 12, 11, 9, 0, tzinfo=LONDON))


def test_a_stage_that_would_fall_before_the_clock_started_is_left_out(owner):
    # A 24-hour clock set at 3pm has no 'two working days before' and no 'morning of'.
    with time_machine.travel(at(23, 15), tick=False):
        resident = resident_with_home()
        case = cases.open_case(kind=CaseKind.HAZARD, summary="Exposed wiring", channel="web", resident=resident, owner=owner)
        deadline = cases.set_deadline(case=case, kind=DeadlineKind.HAZARD_SAFETY_WORK, due_at=at(24, 15))
    assert [stage for stage, _ in stage_times(deadline)] == [ReminderStage.DUE_TODAY, ReminderStage.OVERDUE]


def test_the_sweep_query_count_does_not_grow_with_open_deadlines_not_yet_due(owner, django_assert_max_num_queries):
    for _ in range(20):
        callback_case(owner)
    with django_assert_max_num_queries(5):
        sweep_at(at(28, 12))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database server: two connections at once")
def test_two_sweeps_at_the_same_moment_send_each_reminder_once(owner):
    for _ in range(30):
        callback_case(owner)
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(sweep_at(at(30, 9, 5)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.notifications for result in results) == 30
    assert Notification.objects.filter(officer=owner).count() == 30
    assert Reminder.objects.filter(stage=ReminderStage.DUE_TODAY).count() == 30


def test_the_sweep_lead_times_are_settings(owner, settings):
    settings.REMINDER_LEAD_WORKING_HOURS = 4
    _, deadline = callback_case(owner)
    assert (ReminderStage.DUE_SOON, at(30, 13)) in stage_times(deadline)


def test_an_overdue_complaint_deadline_also_goes_to_the_complaints_manager(owner, team):
    from portal.models import Landlord

    manager = OfficerFactory(name="Carla Complaints", role="manager")
    landlord = Landlord.current()
    landlord.complaints_manager = manager
    landlord.save()
    with time_machine.travel(at(2, 10), tick=False):
        case = cases.open_case(
            kind=CaseKind.COMPLAINT, summary="Ignored", channel="web", resident=resident_with_home(), owner=owner
        )
        cases.set_deadline(case=case, kind=DeadlineKind.COMPLAINT_ACK, due_at=at(9, 23, 59))
        callback = cases.open_case(kind=CaseKind.ENQUIRY, summary="Fob", channel="web", owner=owner)
        cases.set_deadline(case=callback, kind=DeadlineKind.CALLBACK, due_at=at(3, 23, 59))
    sweep_at(at(10, 9))
    assert reminders_to(manager) == [f"Overdue: acknowledge complaint for {case.reference}"]
