"""The structured response, sent in the resident's channel and kept as a print-ready page; the
actions it promised stay tracked; learning and "you said, we did"; compensation."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from complaints import services
from complaints.models import ComplaintStatus, LearningEntry, Outcome, RemedyAction
from portal.models import CaseStatus, Channel, Notification
from tests.complaints.builders import acknowledge_at, at, make_complaint_at, respond_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigating(tenant, handler):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    acknowledge_at(at(2026, 11, 3), complaint, handler)
    complaint.refresh_from_db()
    return complaint


def response_form(**fields):
    return {
        "definition": "Two missed appointments for the boiler repair, and no call back.",
        "point_1": "The engineer missed two appointments.",
        "point_1_decision": Outcome.UPHELD,
        "point_1_reasons": "Our contractor's records show both were missed.",
        "point_2": "Nobody called back.",
        "point_2_decision": Outcome.NOT_UPHELD,
        "point_2_reasons": "We called on 4 November and left a message.",
        "reasons": "We checked the contractor's records and our call log.",
        "apology": "We are sorry the engineer did not come.",
        "action_1": "Replace the boiler",
        "action_1_due_on_0": "4",
        "action_1_due_on_1": "12",
        "action_1_due_on_2": "2026",
        "compensation": "75.50",
        "how_to_escalate": "Ask us online to escalate it to stage 2.",
        **fields,
    }


def test_an_officer_writes_the_response_from_the_structured_form(investigating, handler, client, tenant):
    tenant.preferred_channel = Channel.LETTER
    tenant.save()
    client.force_login(handler.user)
    with time_machine.travel(at(2026, 11, 10), tick=False):
        form = client.get(f"/staff/complaints/{investigating.reference}/respond/").content.decode()
        assert "Two missed boiler repair appointments and no call back." in form  # the acknowledgement
        response = client.post(f"/staff/complaints/{investigating.reference}/respond/", response_form())
    assert response.status_code == 302

    investigating.refresh_from_db()
    stage1 = investigating.stages.get()
    assert investigating.status == ComplaintStatus.RESPONDED and investigating.can_escalate
    assert investigating.case.status == CaseStatus.RESOLVED
    assert stage1.responded_on == date(2026, 11, 10)
    assert stage1.outcome == Outcome.PARTLY_UPHELD
    assert stage1.compensation_pence == 7550
    assert stage1.working_days_to_respond == 6
    assert stage1.answered_on_time
    written = stage1.response
    assert [(p.position, p.decision) for p in written.points.all()] == [(1, "upheld"), (2, "not_upheld")]
    assert [(a.description, a.due_on) for a in written.actions.all()] == [("Replace the boiler", date(2026, 12, 4))]

    message = Notification.objects.get(template="complaint_response")
    assert message.channel == "letter"  # the resident's preferred way
    assert written.notification == message
    for text in (
        "The engineer missed two appointments.",
        "Decision: Upheld.",
        "£75.50",
        "Replace the boiler, by 4 December 2026",
    ):
        assert text in message.body


def test_the_response_needs_a_decision_on_each_point_it_names(investigating, handler, client):
    client.force_login(handler.user)
    response = client.post(
        f"/staff/complaints/{investigating.reference}/respond/",
        response_form(point_2_decision="", action_1_due_on_0="", action_1_due_on_1="", action_1_due_on_2=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a decision on point 2" in html
    assert "Enter when action 1 will be done" in html
    investigating.refresh_from_db()
    assert investigating.status == ComplaintStatus.INVESTIGATING


def test_a_complaint_must_be_acknowledged_before_it_is_answered(tenant, handler):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    with pytest.raises(services.ComplaintError, match="Acknowledge the complaint before"):
        respond_at(at(2026, 11, 3), complaint, handler)


def test_the_response_is_kept_as_a_print_ready_page_for_the_resident_and_staff(investigating, handler, tenant_client):
    respond_at(
        at(2026, 11, 10),
        investigating,
        handler,
        decisions=(Outcome.UPHELD,),
        compensation_pence=5000,
        actions=[("Replace the boiler", date(2026, 12, 4))],
    )
    url = f"/complaints/{investigating.reference}/response/1/"
    html = tenant_client.get(url).content.decode()
    assert "Our stage 1 response to your complaint" in html
    assert "complaints/complaints.css" in html  # the A4 print layout
    assert "£50" in html and "Replace the boiler, by 4 December 2026" in html
    assert "ds-no-print" in html
    staff = Client()
    staff.force_login(handler.user)
    assert staff.get(f"/staff/complaints/{investigating.reference}/response/1/").status_code == 200
    assert tenant_client.get(f"/complaints/{investigating.reference}/response/2/").status_code == 404


def test_promised_actions_stay_on_the_open_actions_list_until_done(investigating, handler, colleague, client):
    respond_at(at(2026, 11, 10), investigating, handler, actions=[("Replace the boiler", date(2026, 12, 4))])
    action = RemedyAction.objects.get()
    client.force_login(colleague.user)
    assert "Replace the boiler" in client.get("/staff/complaints/actions/").content.decode()

    response = client.post(f"/staff/complaints/actions/{action.pk}/done/", {"note": "New boiler fitted."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/complaints/{investigating.reference}/"
    action.refresh_from_db()
    assert action.completed_on is not None and action.completed_by == colleague
    assert "Replace the boiler" not in client.get("/staff/complaints/actions/").content.decode()
    assert investigating.case.events.filter(
        message__startswith="We did what we promised: Replace the boiler", visible_to_resident=True
    ).exists()


def test_learning_is_recorded_once_a_complaint_is_answered(investigating, handler):
    with pytest.raises(services.ComplaintError, match="once the complaint has been answered"):
        services.record_learning(
            complaint=investigating, officer=handler, category="repairs", root_cause="contractor", learning="x"
        )
    respond_at(at(2026, 11, 10), investigating, handler)
    investigating.refresh_from_db()
    services.record_learning(
        complaint=investigating,
        officer=handler,
        category="repairs",
        root_cause="contractor",
        learning="Contractors must call ahead when running late.",
    )
    investigating.refresh_from_db()
    assert (investigating.category, investigating.root_cause) == ("repairs", "contractor")


def test_a_you_said_we_did_entry_is_published_from_a_complaints_learning(investigating, handler, team, client):
    respond_at(at(2026, 11, 10), investigating, handler)
    investigating.refresh_from_db()
    services.record_learning(
        complaint=investigating,
        officer=handler,
        category="repairs",
        root_cause="contractor",
        learning="Contractors must call ahead when running late.",
    )
    with pytest.raises(services.ComplaintError, match="team leader or manager"):
        services.create_learning_entry(complaint=investigating, officer=handler, you_said="x", we_did="y", publish=True)
    draft = services.create_learning_entry(
        complaint=investigating,
        officer=handler,
        you_said="Engineers did not turn up and nobody told you.",
        we_did="Our contractor now texts you if they are running late.",
    )
    assert "Our contractor now texts you" not in client.get("/complaints/you-said-we-did/").content.decode()

    client.force_login(team.leader.user)
    client.post(f"/staff/complaints/learning/{draft.pk}/publish/", {"publish": "1"})
    client.logout()
    page = client.get("/complaints/you-said-we-did/").content.decode()
    assert "Our contractor now texts you if they are running late." in page
    assert "Repairs and maintenance" in page
    assert LearningEntry.objects.get().published_at is not None


def test_compensation_paid_is_recorded_against_the_complaint(investigating, handler, client):
    respond_at(at(2026, 11, 10), investigating, handler, compensation_pence=5000)
    client.force_login(handler.user)
    response = client.post(
        f"/staff/complaints/{investigating.reference}/compensation/",
        {"amount": "50", "paid_on_0": "20", "paid_on_1": "11", "paid_on_2": "2026", "note": "BACS"},
    )
    assert response.status_code == 302
    page = client.get(f"/staff/complaints/{investigating.reference}/").content.decode()
    assert "Offered: £50. Paid: £50." in page
