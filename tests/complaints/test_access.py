"""Who may see what: a resident only their own complaints and documents; staff pages need an
officer; the annual report pages need a manager; the public pages need nobody."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaints.models import ComplaintDocument
from tests import factories
from tests.complaints.builders import acknowledge_at, at, make_complaint_at, respond_at, tenant_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbours_complaint(patch, handler):
    """Someone else's complaint, answered, with a document."""
    neighbour = tenant_in(patch)
    complaint = make_complaint_at(
        at(2026, 11, 2),
        neighbour,
        documents=[SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)],
    )
    acknowledge_at(at(2026, 11, 3), complaint, handler)
    respond_at(at(2026, 11, 4), complaint, handler)
    return complaint


def test_a_resident_cannot_see_another_residents_complaint_its_response_or_its_documents(
    tenant_client, neighbours_complaint
):
    reference = neighbours_complaint.reference
    document = ComplaintDocument.objects.get()
    for url in (
        f"/complaints/{reference}/",
        f"/complaints/{reference}/response/1/",
        f"/complaints/{reference}/documents/{document.pk}/",
    ):
        assert tenant_client.get(url).status_code == 404, url
    assert tenant_client.post(f"/complaints/{reference}/escalate/").status_code == 404
    neighbours_complaint.refresh_from_db()
    assert neighbours_complaint.stage == 1


def test_a_resident_cannot_reach_their_own_document_through_another_complaints_address(
    tenant_client, tenant, neighbours_complaint
):
    own = make_complaint_at(at(2026, 11, 5), tenant)
    document = ComplaintDocument.objects.get()
    assert tenant_client.get(f"/complaints/{own.reference}/documents/{document.pk}/").status_code == 404


def test_a_resident_lists_only_their_own_complaints(tenant_client, tenant, neighbours_complaint):
    own = make_complaint_at(at(2026, 11, 5), tenant)
    html = tenant_client.get("/complaints/").content.decode()
    assert own.reference in html and neighbours_complaint.reference not in html


def test_the_staff_complaint_pages_are_for_officers_only(tenant_client, neighbours_complaint):
    reference = neighbours_complaint.reference
    for url in (
        "/staff/complaints/",
        f"/staff/complaints/{reference}/",
        "/staff/complaints/actions/",
        f"/staff/complaints/{reference}/acknowledge/",
        "/staff/complaints/report/",
    ):
        assert tenant_client.get(url).status_code == 403, url
    anonymous = Client()
    response = anonymous.get(f"/staff/complaints/{reference}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_can_open_any_complaint_and_its_documents_and_each_read_is_audited(neighbours_complaint, colleague):
    client = Client()
    client.force_login(colleague.user)
    document = ComplaintDocument.objects.get()
    assert client.get(f"/staff/complaints/{neighbours_complaint.reference}/").status_code == 200
    response = client.get(f"/staff/complaints/{neighbours_complaint.reference}/documents/{document.pk}/")
    assert response.status_code == 200
    from portal.models import AuditEntry

    assert AuditEntry.objects.filter(actor=colleague.user, resident=neighbours_complaint.case.resident).count() == 2


def test_officers_cannot_use_the_residents_complaint_form(neighbours_complaint, colleague):
    client = Client()
    client.force_login(colleague.user)
    assert client.get("/complaints/new/").status_code == 403


def test_anyone_can_read_the_public_pages(db):
    assert Client().get("/complaints/you-said-we-did/").status_code == 200


def test_someone_signed_in_without_a_linked_home_is_sent_to_link_one(db):
    client = Client()
    client.force_login(factories.UserFactory())
    response = client.post("/complaints/new/", {"what_happened": "x", "submission_token": str(uuid.uuid4())})
    assert response.status_code == 302 and response["Location"] == "/account/link-your-home/"
