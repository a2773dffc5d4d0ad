"""Extensions: within the Code's limits, with a reason, and the resident told with the Ombudsman's
contact details."""

from datetime import date

import pytest
import time_machine

from complaints import services
from portal.models import DeadlineKind, Notification
from portal.workdays import end_of_day
from tests.complaints.builders import (
    acknowledge_at,
    answered_complaint,
    at,
    escalate_at,
    make_complaint_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigating(tenant, handler):
    complaint = make_complaint_at(at(2026, 6, 1), tenant)
    acknowledge_at(at(2026, 6, 2), complaint, handler)  # response due Tuesday 16 June 2026
    complaint.refresh_from_db()
    return complaint


def extend(complaint, officer, days, reason="We are waiting for the contractor's report."):
    with time_machine.travel(at(2026, 6, 10), tick=False):
        return services.extend_response_deadline(complaint=complaint, officer=officer, working_days=days, reason=reason)


def test_a_stage_1_response_can_be_extended_by_ten_working_days_and_the_resident_is_told_why(investigating, handler):
    record = extend(investigating, handler, 10)

    assert record.extension_days == 10
    assert record.response_due_on == date(2026, 6, 30)
    deadline = investigating.case.deadlines.get(kind=DeadlineKind.COMPLAINT_RESPONSE)
    assert deadline.due_at == end_of_day(date(2026, 6, 16))
    assert deadline.extended_to == end_of_day(date(2026, 6, 30))
    assert deadline.extension_reason == "We are waiting for the contractor's report."
    message = Notification.objects.get(template="complaint_extended")
    assert message.resident == investigating.case.resident
    assert "We are waiting for the contractor's report." in message.body
    assert "Tuesday 30 June 2026" in message.body
    for detail in (
        "Housing Ombudsman Service",
        "PO Box 152",
        "L33 7WQ",
        "0300 111 3000",
        "info@housing-ombudsman.org.uk",
    ):
        assert detail in message.body


def test_a_stage_1_extension_of_more_than_ten_working_days_is_refused(investigating, handler):
    with pytest.raises(services.ComplaintError, match="at most 10 working days"):
        extend(investigating, handler, 11)
    assert investigating.stages.get().extension_days == 0
    assert not Notification.objects.filter(template="complaint_extended").exists()


def test_extensions_add_up_to_the_limit_and_no_further(investigating, handler):
    extend(investigating, handler, 6)
    with pytest.raises(services.ComplaintError, match="You can extend it by 4 more"):
        extend(investigating, handler, 5)
    record = extend(investigating, handler, 4)
    assert record.extension_days == 10
    with pytest.raises(services.ComplaintError, match="cannot be extended any further"):
        extend(investigating, handler, 1)


def test_an_extension_needs_a_reason(investigating, handler):
    with pytest.raises(services.ComplaintError, match="reason"):
        extend(investigating, handler, 3, reason="  ")


def test_a_complaint_not_yet_acknowledged_cannot_be_extended(tenant, handler):
    complaint = make_complaint_at(at(2026, 6, 1), tenant)
    with pytest.raises(services.ComplaintError, match="acknowledged"):
        extend(complaint, handler, 3)


@pytest.fixture
def stage2_investigating(tenant, handler, complaints_manager):
    complaint = answered_complaint(tenant, handler, received=at(2026, 5, 4))
    escalate_at(at(2026, 5, 11), complaint)
    acknowledge_at(at(2026, 5, 12), complaint, complaints_manager)
    complaint.refresh_from_db()
    return complaint


def test_a_stage_2_response_can_be_extended_up_to_the_setting_and_no_more(
    stage2_investigating, complaints_manager, settings
):
    settings.COMPLAINT_STAGE2_MAX_EXTENSION_DAYS = 20
    with pytest.raises(services.ComplaintError, match="at most 20 working days"):
        extend(stage2_investigating, complaints_manager, 21)
    record = extend(stage2_investigating, complaints_manager, 20)
    assert record.extension_days == 20


def test_the_stage_2_extension_limit_is_a_setting(stage2_investigating, complaints_manager, settings):
    settings.COMPLAINT_STAGE2_MAX_EXTENSION_DAYS = 15
    with pytest.raises(services.ComplaintError, match="at most 15 working days"):
        extend(stage2_investigating, complaints_manager, 16)
    assert extend(stage2_investigating, complaints_manager, 15).extension_days == 15


def test_the_extension_page_refuses_more_than_is_left_with_an_error_summary(investigating, handler, client):
    client.force_login(handler.user)
    extend(investigating, handler, 8)
    url = f"/staff/complaints/{investigating.reference}/extend/"
    response = client.post(url, {"working_days": "3", "reason": "More time"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "at most 2 more working days" in html
    response = client.post(url, {"working_days": "2", "reason": "More time"})
    assert response.status_code == 302
    assert investigating.stages.get().extension_days == 10
