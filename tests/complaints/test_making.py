"""Making a complaint: online by the resident (with documents), logged by staff (with a
representative), raised from a repair, or refused as out of time."""

import io
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.models import Complaint, ComplaintDocument, ComplaintStatus, MadeBy, RefusalGround
from portal.models import AuditEntry, Case, CaseKind, CaseStatus, DeadlineKind, Notification
from tests import factories
from tests.complaints.builders import acknowledge_at, at, make_complaint_at

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="letter.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="notes.docx", *, word=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml" if word else "other/thing.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def complaint_form(**fields):
    return {
        "what_happened": "The repair to my boiler was missed twice.",
        "outcome_wanted": "Fix it and say sorry.",
        "submission_token": str(uuid.uuid4()),
        **fields,
    }


# -- online, by the resident -------------------------------------------------------------------------------


def test_a_resident_complains_online_and_sees_when_we_will_acknowledge_it(tenant_client, tenant, handler):
    with time_machine.travel(at(2026, 11, 23, 14), tick=False):
        response = tenant_client.post("/complaints/new/", complaint_form(documents=[pdf(), docx()]))
        complaint = Complaint.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/complaints/{complaint.reference}/"
        page = tenant_client.get(response["Location"]).content.decode()

    assert complaint.case.kind == CaseKind.COMPLAINT
    assert complaint.case.resident == tenant
    assert complaint.case.owner == handler  # the patch officer
    assert complaint.status == ComplaintStatus.AWAITING_ACKNOWLEDGEMENT
    assert "We will acknowledge your complaint by end of Monday 30 November" in page
    assert "The repair to my boiler was missed twice." in page
    assert Notification.objects.get(template="complaint_received").resident == tenant
    assert complaint.case.deadlines.get().kind == DeadlineKind.COMPLAINT_ACK


def test_documents_are_stored_under_random_names_and_served_only_as_downloads(tenant_client, tenant, settings):
    tenant_client.post("/complaints/new/", complaint_form(documents=[pdf("My letter.pdf")]))
    document = ComplaintDocument.objects.get()

    stored = Path(document.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "complaints")
    assert "letter" not in stored.name.lower() and stored.suffix == ".pdf" and len(stored.stem) == 32
    assert stored.read_bytes() == PDF_BYTES
    assert document.content_type == "application/pdf"

    response = tenant_client.get(f"/complaints/{document.complaint.reference}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            pdf("fake.pdf", b"<html><script>alert(1)</script></html>"),
            "fake.pdf must be a PDF, JPG, PNG or Word document",
        ),
        (docx("archive.docx", word=False), "archive.docx must be a PDF, JPG, PNG or Word document"),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "The submitted file is empty"),
    ],
)
def test_a_document_is_checked_by_what_is_in_it_not_its_name(tenant_client, upload, message):
    response = tenant_client.post("/complaints/new/", complaint_form(documents=[upload]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert not Complaint.objects.exists()


def test_a_document_too_big_is_refused(tenant_client, settings):
    settings.COMPLAINT_DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("photo.png", PNG_BYTES + b"\x00" * 2048, content_type="image/png")
    response = tenant_client.post("/complaints/new/", complaint_form(documents=[big]))
    assert "photo.png must be smaller than 1.0" in response.content.decode()
    assert not Complaint.objects.exists()


def test_sending_the_same_form_twice_makes_one_complaint(tenant_client):
    form = complaint_form()
    first = tenant_client.post("/complaints/new/", form)
    second = tenant_client.post("/complaints/new/", form)
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert Notification.objects.filter(template="complaint_received").count() == 1


def test_a_complaint_needs_to_say_what_happened(tenant_client):
    response = tenant_client.post("/complaints/new/", complaint_form(what_happened=""))
    assert "Tell us what happened" in response.content.decode()
    assert not Complaint.objects.exists()


# -- logged by staff ---------------------------------------------------------------------------------------


def log_form(**fields):
    return {
        "channel": "letter",
        "received_on_0": "18",
        "received_on_1": "11",
        "received_on_2": "2026",
        "what_happened": "Her councillor writes that the damp in the bedroom has not been treated.",
        "outcome_wanted": "Treat the damp.",
        "made_by": MadeBy.REPRESENTATIVE,
        "representative_name": "Cllr Jo Baker",
        "representative_role": "councillor",
        "representative_contact": "jo.baker@council.example",
        "representative_consent": "on",
        "representative_consent_note": "Signed consent form with the letter",
        **fields,
    }


def test_an_officer_logs_a_letter_from_a_councillor_with_the_residents_consent(tenant, handler, colleague, client):
    client.force_login(colleague.user)
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):
        finder = client.get("/staff/complaints/new/", {"tenancy_reference": tenant.tenancies.get().reference})
        assert f"?resident={tenant.pk}" in finder.content.decode()
        response = client.post(f"/staff/complaints/new/?resident={tenant.pk}", log_form())

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.has_representative and complaint.representative_consent
    assert complaint.representative_name == "Cllr Jo Baker"
    assert complaint.case.channel == "letter"
    # The clock runs from the day the letter arrived, Wednesday 18 November, not the day it was logged.
    assert complaint.stages.get().acknowledgement_due_on == date(2026, 11, 25)
    assert complaint.case.events.filter(message__contains="Cllr Jo Baker", visible_to_resident=True).exists()
    assert AuditEntry.objects.filter(actor=colleague.user, resident=tenant, action="create").exists()


def test_a_complaint_through_a_representative_needs_the_residents_consent(tenant, colleague, client):
    client.force_login(colleague.user)
    response = client.post(f"/staff/complaints/new/?resident={tenant.pk}", log_form(representative_consent=""))
    assert response.status_code == 200
    assert "Confirm the resident agreed that this person may complain for them" in response.content.decode()
    assert not Complaint.objects.exists()
    with pytest.raises(services.ComplaintError, match="consent"):
        services.make_complaint(
            resident=tenant, what_happened="Damp", made_by=MadeBy.REPRESENTATIVE, representative_name="Cllr Baker"
        )


# -- from a repair --------------------------------------------------------------------------------------------


def test_a_complaint_raised_from_a_repair_is_linked_both_ways_and_the_repair_carries_on(tenant, colleague, client):
    repair = factories.CaseFactory(
        reference="R-2026-000042",
        kind=CaseKind.REPAIR,
        summary="Boiler not working",
        resident=tenant,
        home=tenant.tenancies.get().home,
        status=CaseStatus.IN_PROGRESS,
    )
    client.force_login(colleague.user)
    page = client.get(f"/staff/complaints/from-case/{repair.reference}/")
    assert "Boiler not working" in page.content.decode()
    response = client.post(
        f"/staff/complaints/from-case/{repair.reference}/",
        {"what_happened": "Unhappy that the engineer missed two appointments.", "channel": "phone"},
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302

    assert complaint.related_case == repair
    assert list(repair.complaints_about.all()) == [complaint]
    event = repair.events.get(message__contains=complaint.reference)
    assert event.visible_to_resident and "carries on" in event.message
    repair.refresh_from_db()
    assert repair.status == CaseStatus.IN_PROGRESS and repair.closed_at is None
    staff_page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert f"/staff/cases/{repair.reference}/" in staff_page

    client.force_login(tenant.user)
    resident_page = client.get(f"/complaints/{complaint.reference}/").content.decode()
    assert f'href="/cases/{repair.reference}/"' in resident_page
    repair_page = client.get(f"/cases/{repair.reference}/").content.decode()
    assert complaint.reference in repair_page


def test_a_complaint_cannot_be_raised_from_a_complaint(tenant, colleague):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    with pytest.raises(services.ComplaintError, match="already a complaint"):
        services.raise_complaint_from_case(case=complaint.case, officer=colleague, what_happened="Again")


# -- refusing ---------------------------------------------------------------------------------------------------


def refuse(complaint, officer, began, ground=RefusalGround.OUT_OF_TIME):
    with time_machine.travel(at(2026, 11, 4), tick=False):
        return services.refuse_complaint(
            complaint=complaint,
            officer=officer,
            ground=ground,
            events_began_on=began,
            reason="The works you describe finished in 2024 and we have no record of a report then.",
        )


def test_a_complaint_about_events_more_than_twelve_months_old_can_be_refused_and_the_resident_sees_why(
    tenant, tenant_client, handler
):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    refuse(complaint, handler, began=date(2025, 10, 1))

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REFUSED
    assert complaint.case.status == CaseStatus.CLOSED
    assert not complaint.case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).exists()
    page = tenant_client.get(f"/complaints/{complaint.reference}/").content.decode()
    assert "We cannot take this complaint forward" in page
    assert "The works you describe finished in 2024" in page
    assert "right to ask the Housing Ombudsman" in page and "0300 111 3000" in page
    message = Notification.objects.get(template="complaint_refused")
    assert "right to ask the Housing Ombudsman" in message.body


def test_a_complaint_about_recent_events_cannot_be_refused_as_out_of_time(tenant, handler):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    with pytest.raises(services.ComplaintError, match="more than 12 months"):
        refuse(complaint, handler, began=date(2025, 12, 1))
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.AWAITING_ACKNOWLEDGEMENT


def test_an_answered_complaint_cannot_be_refused(tenant, handler):
    from tests.complaints.builders import respond_at

    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    acknowledge_at(at(2026, 11, 3), complaint, handler)
    respond_at(at(2026, 11, 3, 15), complaint, handler)
    complaint.refresh_from_db()
    with pytest.raises(services.ComplaintError, match="not yet answered"):
        refuse(complaint, handler, began=date(2024, 1, 1))


def test_cases_of_the_complaint_kind_are_made_by_the_complaints_service(tenant):
    make_complaint_at(at(2026, 11, 2), tenant)
    assert Case.objects.get().reference.startswith("C-2026-")
