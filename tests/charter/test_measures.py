"""The live measures count kept and missed promises from the portal's own records, in the
database, one query for a whole year of months."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.measures import MEASURES, MEASURES_BY_KEY
from portal.extensions import MeasureResult, live_measure, live_measures
from portal.models import DeadlineKind
from repairs import services as repairs
from repairs.models import AppointmentSlot, OperativeTeam, SatisfactionScore, SlotWindow
from tests import factories as core
from tests.charter.factories import at, deadline
from tests.repairs.conftest import home_in_block, report, resident_in

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 6, 15), 12)
callbacks = MEASURES_BY_KEY["callbacks_within_one_working_day"]


@pytest.fixture
def june_callbacks():
    """Call-backs due in June 2026, seen at noon on 15 June."""
    due = at(date(2026, 6, 10), 23, 59)
    kind = DeadlineKind.CALLBACK
    return {
        "met": deadline(kind, due=due, met=at(date(2026, 6, 10), 16)),
        "met_on_the_last_minute": deadline(kind, due=due, met=due),
        "met_late": deadline(kind, due=due, met=at(date(2026, 6, 11), 9)),
        "running_overdue": deadline(kind, due=due),
        "running_in_time": deadline(kind, due=at(date(2026, 6, 16), 23, 59)),
        "met_early_for_later_this_month": deadline(
            kind, due=at(date(2026, 6, 20), 23, 59), met=at(date(2026, 6, 15), 9)
        ),
        "stopped_before_due": deadline(kind, due=due, stopped=at(date(2026, 6, 9), 10)),
        "stopped_after_due": deadline(kind, due=due, stopped=at(date(2026, 6, 12), 10)),
        "met_within_its_extension": deadline(
            kind, due=due, extended_to=at(date(2026, 6, 12), 23, 59), met=at(date(2026, 6, 12), 10)
        ),
        "outside_the_period": deadline(
            kind, due=at(date(2026, 5, 29), 23, 59), met=at(date(2026, 5, 29), 10)
        ),
        "another_kind": deadline(DeadlineKind.CONTACT, due=due, met=at(date(2026, 6, 10), 10)),
    }


def test_call_backs_kept_missed_and_not_yet_due_are_counted_as_documented(june_callbacks):
    result = callbacks.compute(date(2026, 6, 1), date(2026, 6, 30), now=NOW)
    # Kept: in time, on the last minute, early for a later due date, within an extension (4).
    # Missed: late, running overdue, stopped after it fell due (3).
    # Not counted: running in time, stopped before due, May's, another kind of deadline.
    assert result == MeasureResult(met=4, total=7)
    assert str(result.percent) == "57.1"


def test_a_running_call_back_counts_as_missed_once_its_due_date_passes(june_callbacks):
    later = at(date(2026, 6, 17), 9)
    assert callbacks.compute(date(2026, 6, 1), date(2026, 6, 30), now=later) == MeasureResult(
        met=4, total=8
    )


def test_a_deadline_counts_in_the_month_its_extended_due_date_falls_in():
    deadline(
        DeadlineKind.CALLBACK,
        due=at(date(2026, 5, 29), 23, 59),
        extended_to=at(date(2026, 6, 2), 23, 59),
        met=at(date(2026, 6, 1), 10),
    )
    assert callbacks.compute(date(2026, 5, 1), date(2026, 5, 31), now=NOW) == MeasureResult(0, 0)
    assert callbacks.compute(date(2026, 6, 1), date(2026, 6, 30), now=NOW) == MeasureResult(1, 1)


def test_the_period_is_whole_london_days():
    # 23:30 on 31 May in London is 22:30 UTC: still May.
    deadline(DeadlineKind.CALLBACK, due=at(date(2026, 5, 31), 23, 30), met=at(date(2026, 5, 31), 9))
    assert callbacks.compute(date(2026, 5, 31), date(2026, 5, 31), now=NOW) == MeasureResult(1, 1)
    assert callbacks.compute(date(2026, 6, 1), date(2026, 6, 1), now=NOW) == MeasureResult(0, 0)


def test_months_come_from_one_query_and_agree_with_the_period_figures(june_callbacks):
    with CaptureQueriesContext(connection) as queries:
        months = callbacks.by_month(date(2026, 4, 1), date(2026, 6, 30), now=NOW)
    assert len(queries) == 1
    assert months == {date(2026, 5, 1): MeasureResult(1, 1), date(2026, 6, 1): MeasureResult(4, 7)}


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("complaints_acknowledged_in_time", DeadlineKind.COMPLAINT_ACK),
        ("complaints_answered_in_time", DeadlineKind.COMPLAINT_RESPONSE),
        ("safety_concerns_acted_on_in_time", DeadlineKind.SAFETY_ACTION),
        ("hazards_investigated_in_time", DeadlineKind.HAZARD_INVESTIGATION),
        ("hazards_made_safe_in_time", DeadlineKind.HAZARD_SAFETY_WORK),
        ("asb_cases_reviewed_in_time", DeadlineKind.ASB_REVIEW),
    ],
)
def test_each_deadline_measure_reads_its_own_kind(key, kind):
    due = at(date(2026, 6, 10), 23, 59)
    deadline(kind, due=due, met=at(date(2026, 6, 9), 10))
    deadline(kind, due=due)
    deadline(DeadlineKind.CALLBACK, due=due, met=at(date(2026, 6, 9), 10))
    assert MEASURES_BY_KEY[key].compute(
        date(2026, 6, 1), date(2026, 6, 30), now=NOW
    ) == MeasureResult(1, 2)


def test_every_measure_is_registered_for_other_apps():
    keys = {m.key for m in live_measures()}
    assert {m.key for m in MEASURES} <= keys
    assert (
        live_measure("complaints_answered_in_time").label
        == "Complaints answered within 10 working days"
    )


# -- repairs ------------------------------------------------------------------------------------------


@pytest.fixture
def repairs_year():
    repairs.ensure_default_priorities()
    tenant = resident_in(home_in_block())
    officer = core.OfficerFactory()

    def completed(reported, done):
        with time_machine.travel(reported, tick=False):
            repair = report(tenant)
        with time_machine.travel(done, tick=False):
            repairs.complete_repair(repair=repair, officer=officer)
        return repair

    # Routine repairs (a target of some working days): one done the next day, one months late.
    quick = completed(at(date(2026, 4, 6), 10), at(date(2026, 4, 7), 10))
    slow = completed(at(date(2026, 1, 5), 10), at(date(2026, 5, 20), 10))
    # Completed before the period: not counted.
    completed(at(date(2026, 3, 2), 10), at(date(2026, 3, 3), 10))
    with time_machine.travel(at(date(2026, 5, 21), 10), tick=False):
        repairs.answer_satisfaction(
            repair=slow, resident=tenant, score=SatisfactionScore.FAIRLY_DISSATISFIED
        )
    with time_machine.travel(at(date(2026, 4, 8), 10), tick=False):
        repairs.answer_satisfaction(
            repair=quick, resident=tenant, score=SatisfactionScore.VERY_SATISFIED
        )
    return tenant


def test_repairs_completed_on_time_count_as_rp02_counts_them(repairs_year):
    measure = MEASURES_BY_KEY["repairs_completed_on_time"]
    assert measure.compute(date(2026, 4, 1), date(2026, 6, 30)) == MeasureResult(1, 2)
    assert measure.by_month(date(2026, 4, 1), date(2026, 6, 30)) == {
        date(2026, 4, 1): MeasureResult(1, 1),
        date(2026, 5, 1): MeasureResult(0, 1),
    }


def test_satisfaction_with_repairs_counts_very_and_fairly_satisfied(repairs_year):
    measure = MEASURES_BY_KEY["repair_satisfaction"]
    assert measure.compute(date(2026, 4, 1), date(2026, 6, 30)) == MeasureResult(1, 2)
    with CaptureQueriesContext(connection) as queries:
        months = measure.by_month(date(2026, 4, 1), date(2026, 6, 30))
    assert len(queries) == 1
    assert months == {date(2026, 4, 1): MeasureResult(1, 1), date(2026, 5, 1): MeasureResult(0, 1)}


def test_evening_appointments_are_the_share_of_places_offered_in_the_evening():
    team = OperativeTeam.objects.create(name="Evening team")
    monday = date(2026, 6, 1)
    for day_offset, window, capacity in [
        (0, SlotWindow.MORNING, 3),
        (0, SlotWindow.EVENING, 1),
        (1, SlotWindow.EVENING, 2),
    ]:
        starts = at(monday + timedelta(days=day_offset), 18 if window == SlotWindow.EVENING else 8)
        AppointmentSlot.objects.create(
            team=team,
            window=window,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            capacity=capacity,
        )
    # July: outside the period.
    starts = at(date(2026, 7, 1), 18)
    AppointmentSlot.objects.create(
        team=team, window=SlotWindow.EVENING, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    measure = MEASURES_BY_KEY["evening_appointments_offered"]
    assert measure.compute(date(2026, 6, 1), date(2026, 6, 30)) == MeasureResult(3, 6)
    assert measure.by_month(date(2026, 6, 1), date(2026, 7, 31)) == {
        date(2026, 6, 1): MeasureResult(3, 6),
        date(2026, 7, 1): MeasureResult(1, 1),
    }


def test_enquiries_answered_at_first_contact_count_in_the_month_they_were_made():
    from portal.models import Enquiry

    for opened, first_time in [
        (at(date(2026, 6, 3), 10), True),
        (at(date(2026, 6, 4), 10), True),
        (at(date(2026, 6, 5), 10), False),
        (at(date(2026, 7, 1), 10), True),
        (at(date(2026, 5, 31), 23, 30), False),
    ]:
        case = core.CaseFactory(opened_at=opened, resident=None, home=None)
        Enquiry.objects.create(
            case=case, question="When is my rent due?", resolved_at_first_contact=first_time
        )
    measure = MEASURES_BY_KEY["enquiries_answered_at_first_contact"]
    assert measure.compute(date(2026, 6, 1), date(2026, 6, 30)) == MeasureResult(2, 3)
    assert measure.by_month(date(2026, 5, 1), date(2026, 7, 31)) == {
        date(2026, 5, 1): MeasureResult(0, 1),
        date(2026, 6, 1): MeasureResult(2, 3),
        date(2026, 7, 1): MeasureResult(1, 1),
    }


def test_anti_social_behaviour_follow_ups_count_only_contact_deadlines_on_asb_cases():
    from portal.models import CaseKind

    due = at(date(2026, 6, 10), 23, 59)
    deadline(DeadlineKind.CONTACT, due=due, met=at(date(2026, 6, 9), 10), case_kind=CaseKind.ASB)
    deadline(DeadlineKind.CONTACT, due=due, case_kind=CaseKind.ASB)
    deadline(DeadlineKind.CONTACT, due=due, met=at(date(2026, 6, 9), 10), case_kind=CaseKind.REPAIR)
    measure = MEASURES_BY_KEY["asb_reporters_contacted_in_time"]
    assert measure.compute(date(2026, 6, 1), date(2026, 6, 30), now=NOW) == MeasureResult(1, 2)
    assert measure.by_month(date(2026, 6, 1), date(2026, 6, 30), now=NOW) == {
        date(2026, 6, 1): MeasureResult(1, 2)
    }
