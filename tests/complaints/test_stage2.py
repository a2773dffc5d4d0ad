"""Stage 2: on request with one click, handled by someone who did not handle stage 1, and a final
response that explains the Ombudsman route."""

import pytest
import time_machine

from complaints import services
from complaints.models import ComplaintStage, ComplaintStatus, Outcome
from portal.models import CaseStatus, DeadlineKind, Notification
from tests.complaints.builders import (
    acknowledge_at,
    answered_complaint,
    at,
    escalate_at,
    respond_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(tenant, handler):
    return answered_complaint(tenant, handler)


@pytest.fixture
def escalated(answered):
    escalate_at(at(2026, 11, 9), answered)
    answered.refresh_from_db()
    return answered


def test_the_officer_who_handled_stage_1_cannot_acknowledge_stage_2(escalated, handler):
    with pytest.raises(services.SameOfficerError) as refused:
        acknowledge_at(at(2026, 11, 10), escalated, handler)
    assert "Hana Handler handled this complaint at stage 1, so cannot handle it at stage 2" in str(refused.value)
    escalated.refresh_from_db()
    assert escalated.status == ComplaintStatus.AWAITING_ACKNOWLEDGEMENT


def test_the_officer_who_handled_stage_1_cannot_answer_extend_or_take_stage_2(escalated, handler, colleague):
    acknowledge_at(at(2026, 11, 10), escalated, colleague)
    escalated.refresh_from_db()
    with pytest.raises(services.SameOfficerError):
        respond_at(at(2026, 11, 12), escalated, handler)
    with pytest.raises(services.SameOfficerError):
        services.extend_response_deadline(complaint=escalated, officer=handler, working_days=2, reason="Busy")
    with pytest.raises(services.SameOfficerError):
        services.assign_stage_handler(complaint=escalated, handler=handler, actor=colleague)


def test_whoever_acknowledged_stage_1_is_also_kept_off_stage_2(tenant, handler, colleague, complaints_manager):
    from tests.complaints.builders import make_complaint_at

    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    acknowledge_at(at(2026, 11, 3), complaint, colleague)
    respond_at(at(2026, 11, 5), complaint, handler)
    escalate_at(at(2026, 11, 9), complaint)
    complaint.refresh_from_db()
    with pytest.raises(services.SameOfficerError):
        acknowledge_at(at(2026, 11, 10), complaint, colleague)


def test_stage_2_goes_to_the_complaints_manager_and_not_back_to_the_stage_1_handler(answered, complaints_manager):
    stage2 = escalate_at(at(2026, 11, 9), answered)
    assert stage2.handler == complaints_manager
    answered.case.refresh_from_db()
    assert answered.case.owner == complaints_manager
    assert answered.case.status == CaseStatus.OPEN
    assert answered.case.closed_at is None


def test_without_a_complaints_manager_stage_2_goes_to_the_team_leader(answered, team):
    stage2 = escalate_at(at(2026, 11, 9), answered)
    assert stage2.handler == team.leader


def test_a_different_officer_answers_stage_2_with_the_ombudsman_route(escalated, complaints_manager):
    acknowledge_at(at(2026, 11, 10), escalated, complaints_manager)
    escalated.refresh_from_db()
    response = respond_at(
        at(2026, 11, 20), escalated, complaints_manager, decisions=(Outcome.UPHELD, Outcome.NOT_UPHELD)
    )

    escalated.refresh_from_db()
    assert escalated.status == ComplaintStatus.RESPONDED and escalated.is_final
    assert response.outcome == Outcome.PARTLY_UPHELD
    assert "within 12 months of this final response" in response.how_to_escalate
    assert escalated.case.status == CaseStatus.CLOSED
    assert not escalated.case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).exists()
    message = Notification.objects.get(template="complaint_response", subject__startswith="Our final response")
    assert "within 12 months" in message.body
    assert "0300 111 3000" in message.body


def test_a_resident_escalates_with_one_click_and_a_second_click_changes_nothing(
    tenant_client, answered, complaints_manager
):
    page = tenant_client.get(f"/complaints/{answered.reference}/")
    assert "Escalate my complaint to stage 2" in page.content.decode()

    with time_machine.travel(at(2026, 11, 9), tick=False):
        first = tenant_client.post(f"/complaints/{answered.reference}/escalate/")
        second = tenant_client.post(f"/complaints/{answered.reference}/escalate/")

    assert first.status_code == second.status_code == 302
    assert ComplaintStage.objects.filter(complaint=answered, stage=2).count() == 1
    assert answered.case.deadlines.filter(kind=DeadlineKind.COMPLAINT_ACK, met_at__isnull=True).count() == 1
    assert Notification.objects.filter(template="complaint_escalated").count() == 1
    with time_machine.travel(at(2026, 11, 10), tick=False):
        page = tenant_client.get(f"/complaints/{answered.reference}/").content.decode()
    assert "Escalate my complaint to stage 2" not in page
    assert "We will acknowledge your complaint by end of" in page


def test_a_complaint_cannot_be_escalated_before_its_stage_1_response(tenant, handler):
    from tests.complaints.builders import make_complaint_at

    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    with pytest.raises(services.ComplaintError, match="once we have sent our stage 1 response"):
        escalate_at(at(2026, 11, 3), complaint)


def test_staff_can_log_an_escalation_asked_for_by_phone(answered, colleague, client, complaints_manager):
    client.force_login(colleague.user)
    response = client.post(f"/staff/complaints/{answered.reference}/escalate/", {"channel": "phone"})
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.stage == 2
    assert answered.case.events.filter(message__startswith="You asked us by phone to escalate").exists()


def test_the_stage_1_handler_is_warned_on_the_stage_2_page_and_not_offered_the_actions(escalated, handler, client):
    client.force_login(handler.user)
    html = client.get(f"/staff/complaints/{escalated.reference}/").content.decode()
    assert "you cannot handle it at stage 2" in html
    assert f"/staff/complaints/{escalated.reference}/acknowledge/" not in html
    response = client.post(
        f"/staff/complaints/{escalated.reference}/acknowledge/",
        {"understanding": "Looked at again", "outcome_sought": ""},
    )
    assert response.status_code == 200
    assert "cannot handle it at stage 2" in response.content.decode()
