"""Repair priorities are data, and each repair's target is counted with the working-day calendar."""

from datetime import datetime

import pytest
import time_machine

from portal.models import DeadlineKind
from portal.workdays import LONDON
from repairs.models import RepairPriority, TargetUnit
from tests.repairs.conftest import priority, report

pytestmark = pytest.mark.django_db


def test_the_seeded_priorities_follow_the_common_pattern():
    seeded = {
        p.code: (p.target_amount, p.target_unit, p.is_emergency)
        for p in RepairPriority.objects.all()
    }
    assert seeded == {
        "emergency": (24, TargetUnit.HOURS, True),
        "urgent": (5, TargetUnit.WORKING_DAYS, False),
        "routine": (20, TargetUnit.WORKING_DAYS, False),
        "planned": (90, TargetUnit.CALENDAR_DAYS, False),
    }
    assert [p.code for p in RepairPriority.objects.all()] == [
        "emergency",
        "urgent",
        "routine",
        "planned",
    ]


@pytest.mark.parametrize(
    ("code", "reported", "due"),
    [
        # Emergency: 24 hours on the clock, weekends included.
        (
            "emergency",
            datetime(2026, 11, 27, 17, 30, tzinfo=LONDON),
            datetime(2026, 11, 28, 17, 30, tzinfo=LONDON),
        ),
        # Urgent on a Friday: five working days is the end of the next Friday.
        (
            "urgent",
            datetime(2026, 11, 27, 15, 0, tzinfo=LONDON),
            datetime(2026, 12, 4, 23, 59, 59, tzinfo=LONDON),
        ),
        # Urgent on a Saturday: counting starts on Monday.
        (
            "urgent",
            datetime(2026, 11, 28, 10, 0, tzinfo=LONDON),
            datetime(2026, 12, 4, 23, 59, 59, tzinfo=LONDON),
        ),
        # Urgent on Maundy Thursday 2026: Good Friday and Easter Monday do not count.
        (
            "urgent",
            datetime(2026, 4, 2, 9, 0, tzinfo=LONDON),
            datetime(2026, 4, 13, 23, 59, 59, tzinfo=LONDON),
        ),
        # Routine before Christmas 2026: Christmas Day, Boxing Day (moved to Monday 28th) and
        # New Year's Day are skipped as well as the weekends.
        (
            "routine",
            datetime(2026, 12, 18, 12, 0, tzinfo=LONDON),
            datetime(2027, 1, 20, 23, 59, 59, tzinfo=LONDON),
        ),
        # Planned: 90 calendar days to the end of the day.
        (
            "planned",
            datetime(2026, 1, 10, 12, 0, tzinfo=LONDON),
            datetime(2026, 4, 10, 23, 59, 59, tzinfo=LONDON),
        ),
    ],
)
def test_a_priority_target_counts_weekends_and_bank_holidays_as_the_landlord_does(
    code, reported, due
):
    assert priority(code).target_from(reported) == due


def test_every_repair_gets_a_repair_target_deadline_on_its_case(tenant):
    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=LONDON), tick=False):
        repair = report(tenant, problem="kitchen_tap")  # routine
    target = repair.case.deadlines.get(kind=DeadlineKind.REPAIR_TARGET)
    assert repair.priority.code == "routine"
    # 20 working days from a Friday before Christmas: Christmas Day and the Boxing Day holiday skipped.
    assert target.due_at == datetime(2026, 12, 29, 23, 59, 59, tzinfo=LONDON)
    assert repair.case.next_due_at == target.due_at


def test_a_priority_the_landlord_changes_gives_new_repairs_the_new_target(tenant):
    RepairPriority.objects.filter(code="urgent").update(target_amount=3)
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON), tick=False):
        repair = report(
            tenant,
            location="kitchen",
            category="leaks",
            problem="pipe_leak",
            answers={"can_stop_water": True},
        )
    assert repair.priority.code == "urgent"
    assert repair.case.deadlines.get().due_at == datetime(2026, 11, 26, 23, 59, 59, tzinfo=LONDON)


def test_target_words_read_naturally():
    assert priority("emergency").target_words == "24 hours"
    assert priority("urgent").target_words == "5 working days"
    assert priority("planned").target_words == "90 days"
    assert (
        RepairPriority(target_amount=1, target_unit=TargetUnit.WORKING_DAYS).target_words
        == "1 working day"
    )
