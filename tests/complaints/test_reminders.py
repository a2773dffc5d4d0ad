"""The ten-day complaint deadline reminders: every complaint clock is a Deadline the beat sweep
watches, so officers are reminded before, on the day and when overdue, and overdue clocks go to the
team leader and the complaints manager too."""

from datetime import datetime

import pytest
import time_machine

from portal.models import Notification
from portal.services.reminders import sweep_deadline_reminders
from portal.workdays import LONDON
from tests.complaints.builders import (
    acknowledge_at,
    answered_complaint,
    at,
    escalate_at,
    make_complaint_at,
)

pytestmark = pytest.mark.django_db


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return sweep_deadline_reminders()


def subjects_to(officer):
    return list(
        Notification.objects.filter(officer=officer).order_by("created_at", "id").values_list("subject", flat=True)
    )


def test_the_acknowledgement_clock_reminds_before_on_the_day_and_when_overdue(
    tenant, handler, team, complaints_manager
):
    # Friday 27 November 2026: acknowledge by the end of Friday 4 December.
    complaint = make_complaint_at(at(2026, 11, 27, 11), tenant)
    reference = complaint.reference

    sweep_at(at(2026, 12, 1, 12))
    assert subjects_to(handler) == []
    sweep_at(at(2026, 12, 2, 9, 5))  # two working days before
    sweep_at(at(2026, 12, 4, 9, 5))  # on the day
    sweep_at(at(2026, 12, 4, 16))  # nothing new
    sweep_at(datetime(2026, 12, 5, 0, 5, tzinfo=LONDON))  # overdue

    assert subjects_to(handler) == [
        f"Due soon: acknowledge complaint for {reference}",
        f"Due today: acknowledge complaint for {reference}",
        f"Overdue: acknowledge complaint for {reference}",
    ]
    assert subjects_to(team.leader) == [f"Overdue: acknowledge complaint for {reference}"]
    assert subjects_to(complaints_manager) == [f"Overdue: acknowledge complaint for {reference}"]


def test_acknowledging_stops_its_reminders_and_starts_the_response_clocks(tenant, handler, complaints_manager):
    complaint = make_complaint_at(at(2026, 11, 27, 11), tenant)
    acknowledge_at(at(2026, 12, 3, 10), complaint, handler)  # response due Thursday 17 December
    reference = complaint.reference

    sweep_at(at(2026, 12, 5, 9))  # the acknowledgement would have been overdue now
    sweep_at(at(2026, 12, 15, 9, 5))
    sweep_at(datetime(2026, 12, 18, 0, 5, tzinfo=LONDON))

    assert subjects_to(handler) == [
        f"Due soon: respond to complaint for {reference}",
        f"Overdue: respond to complaint for {reference}",
    ]
    assert subjects_to(complaints_manager) == [f"Overdue: respond to complaint for {reference}"]


def test_an_extension_moves_the_reminders_to_the_new_date(tenant, handler):
    from complaints import services

    complaint = make_complaint_at(at(2026, 11, 27, 11), tenant)
    acknowledge_at(at(2026, 12, 3, 10), complaint, handler)
    complaint.refresh_from_db()
    with time_machine.travel(at(2026, 12, 10), tick=False):
        services.extend_response_deadline(
            complaint=complaint, officer=handler, working_days=5, reason="Awaiting survey"
        )
    # Now due Thursday 24 December: nothing overdue on the 18th.
    sweep_at(datetime(2026, 12, 18, 0, 5, tzinfo=LONDON))
    assert not any(s.startswith("Overdue") for s in subjects_to(handler))
    sweep_at(datetime(2026, 12, 25, 0, 5, tzinfo=LONDON))
    assert subjects_to(handler)[-1] == f"Overdue: respond to complaint for {complaint.reference}"


def test_the_stage_2_clock_reminds_its_handler_not_the_stage_1_handler(tenant, handler, complaints_manager):
    complaint = answered_complaint(tenant, handler, received=at(2026, 11, 2))
    escalate_at(at(2026, 11, 9), complaint)  # acknowledge by Monday 16 November
    before = len(subjects_to(handler))

    sweep_at(datetime(2026, 11, 17, 0, 5, tzinfo=LONDON))

    assert subjects_to(complaints_manager)[-1] == f"Overdue: acknowledge complaint for {complaint.reference}"
    assert len(subjects_to(handler)) == before
