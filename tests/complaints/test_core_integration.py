"""How complaints show up in the shared core: the menus, links from any case, the subject access
export."""

import json

import pytest
from django.urls import reverse

from portal.models import CaseKind
from portal.services.cases import open_case
from tests.complaints.builders import at, make_complaint_at

pytestmark = pytest.mark.django_db


def test_residents_and_staff_find_complaints_in_their_menus(tenant_client, client, handler):
    assert 'href="/complaints/"' in tenant_client.get(reverse("home")).content.decode()
    client.force_login(handler.user)
    assert 'href="/staff/complaints/"' in client.get(reverse("staff:home")).content.decode()


def test_the_generic_case_page_leads_to_the_complaint(tenant, tenant_client, client, handler):
    complaint = make_complaint_at(at(2026, 6, 1), tenant)
    reference = complaint.case.reference
    page = tenant_client.get(reverse("case_detail", args=[reference])).content.decode()
    assert f'href="{reverse("complaints:detail", args=[reference])}"' in page
    client.force_login(handler.user)
    page = client.get(reverse("staff:case", args=[reference])).content.decode()
    assert f'href="{reverse("complaints_staff:detail", args=[reference])}"' in page


def test_an_officer_can_raise_a_complaint_from_any_open_case(tenant, client, handler):
    enquiry = open_case(
        kind=CaseKind.ENQUIRY, summary="Fob", channel="phone", resident=tenant, home=tenant.tenancies.get().home
    )
    client.force_login(handler.user)
    page = client.get(reverse("staff:case", args=[enquiry.reference])).content.decode()
    assert reverse("complaints_staff:raise_from_case", args=[enquiry.reference]) in page


def test_the_subject_access_export_includes_the_residents_complaints(tenant, tenant_client):
    complaint = make_complaint_at(at(2026, 6, 1), tenant)
    data = json.loads(tenant_client.get(reverse("download_your_data", args=["json"])).content)
    assert [c["reference"] for c in data["complaints"]] == [complaint.case.reference]
    assert data["complaints"][0]["stages"][0]["stage"] == 1
    csv_text = tenant_client.get(reverse("download_your_data", args=["csv"])).content.decode()
    assert complaint.case.reference in csv_text
