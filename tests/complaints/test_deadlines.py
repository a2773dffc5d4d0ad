"""The Code's clocks, counted in working days through the real bank holidays of England and Wales."""

from datetime import date

import pytest

from complaints import rules
from complaints.models import ComplaintStage, ComplaintStatus
from portal.models import DeadlineKind
from portal.workdays import end_of_day
from tests.complaints.builders import (
    acknowledge_at,
    answered_complaint,
    at,
    escalate_at,
    make_complaint_at,
)

pytestmark = pytest.mark.django_db


def running(complaint, kind):
    return complaint.case.deadlines.get(kind=kind, met_at__isnull=True, stopped_at__isnull=True)


def test_a_complaint_made_just_before_christmas_is_acknowledged_five_working_days_later_after_the_holidays(tenant):
    # Wednesday 23 December 2026: Christmas Day, Boxing Day (moved to Monday 28th) and New Year's
    # Day do not count, nor do the weekends: Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 January.
    complaint = make_complaint_at(at(2026, 12, 23, 16), tenant)

    stage1 = complaint.stages.get()
    assert stage1.requested_on == date(2026, 12, 23)
    assert stage1.acknowledgement_due_on == date(2027, 1, 4)
    assert running(complaint, DeadlineKind.COMPLAINT_ACK).due_at == end_of_day(date(2027, 1, 4))
    assert complaint.case.next_due_at == end_of_day(date(2027, 1, 4))


def test_a_complaint_made_on_a_saturday_is_counted_from_the_monday(tenant):
    complaint = make_complaint_at(at(2026, 11, 28, 9), tenant)  # a Saturday

    assert complaint.stages.get().acknowledgement_due_on == date(2026, 12, 4)  # Mon 30 Nov is day 1


def test_the_stage_1_response_is_due_ten_working_days_after_acknowledgement_not_counting_easter(tenant, handler):
    complaint = make_complaint_at(at(2026, 3, 31), tenant)
    # Acknowledged on Thursday 2 April 2026; Good Friday and Easter Monday do not count.
    stage1 = acknowledge_at(at(2026, 4, 2, 15), complaint, handler)

    assert stage1.acknowledged_on == date(2026, 4, 2)
    assert stage1.response_due_on == date(2026, 4, 20)
    assert running(complaint, DeadlineKind.COMPLAINT_RESPONSE).due_at == end_of_day(date(2026, 4, 20))
    acknowledgement = complaint.case.deadlines.get(kind=DeadlineKind.COMPLAINT_ACK)
    assert acknowledgement.was_met_in_time


def test_stage_2_is_acknowledged_within_five_and_answered_within_twenty_working_days(
    tenant, handler, colleague, complaints_manager
):
    complaint = answered_complaint(tenant, handler, received=at(2026, 5, 4))
    # Asked on Friday 22 May 2026; the spring bank holiday is Monday 25 May.
    stage2 = escalate_at(at(2026, 5, 22, 18), complaint)
    assert stage2.acknowledgement_due_on == date(2026, 6, 1)
    assert running(complaint, DeadlineKind.COMPLAINT_ACK).due_at == end_of_day(date(2026, 6, 1))

    stage2 = acknowledge_at(at(2026, 6, 1, 11), complaint, complaints_manager)
    assert stage2.response_due_on == date(2026, 6, 29)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING
    assert ComplaintStage.objects.filter(complaint=complaint).count() == 2


def test_the_last_day_for_a_response_adds_extensions_only_up_to_the_limit():
    acknowledged = date(2025, 9, 2)
    assert rules.response_due_on(acknowledged, 1, 0) == date(2025, 9, 16)
    assert rules.response_due_on(acknowledged, 1, 10) == date(2025, 9, 30)
    assert rules.response_due_on(acknowledged, 1, 15) == date(2025, 9, 30)  # capped at 10


@pytest.mark.parametrize(
    ("numerator", "denominator", "per", "expected"),
    [(1, 16, 100, "6.3"), (1, 3, 100, "33.3"), (2, 3, 100, "66.7"), (6, 7, 1000, "857.1"), (0, 5, 100, "0.0")],
)
def test_figures_are_rounded_half_up_to_one_decimal_place(numerator, denominator, per, expected):
    assert str(rules.rate(numerator, denominator, per)) == expected


def test_a_rate_with_nothing_to_measure_is_none():
    assert rules.rate(0, 0, 100) is None


def test_events_more_than_twelve_months_before_the_complaint_are_out_of_time():
    assert rules.is_out_of_time(events_began_on=date(2025, 2, 28), received_on=date(2026, 3, 1))
    assert not rules.is_out_of_time(events_began_on=date(2025, 3, 1), received_on=date(2026, 3, 1))
    assert not rules.is_out_of_time(events_began_on=None, received_on=date(2026, 3, 1))
    assert rules.months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)


def test_the_financial_year_runs_from_april_to_march():
    assert rules.financial_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    assert rules.financial_year_label(2025) == "2025/26"
    assert rules.financial_year_label(2099) == "2099/00"
    assert rules.financial_year_of(date(2026, 3, 31)) == 2025
    assert rules.financial_year_of(date(2026, 4, 1)) == 2026
