"""How repairs show up in the shared core: menus, links from the generic case pages, the subject
access export."""

import json

import pytest
from django.urls import reverse

from tests.factories import OfficerFactory
from tests.repairs.conftest import report

pytestmark = pytest.mark.django_db


def test_residents_and_staff_find_repairs_in_their_menus(client, tenant):
    client.force_login(tenant.user)
    assert f'href="{reverse("repairs:index")}"' in client.get(reverse("home")).content.decode()
    client.force_login(OfficerFactory().user)
    assert f'href="{reverse("repairs_staff:list")}"' in client.get(reverse("staff:home")).content.decode()


def test_the_generic_case_pages_lead_to_the_repair(client, tenant):
    repair = report(tenant)
    reference = repair.case.reference
    client.force_login(tenant.user)
    page = client.get(reverse("case_detail", args=[reference])).content.decode()
    assert f'href="{reverse("repairs:detail", args=[reference])}"' in page
    client.force_login(OfficerFactory().user)
    page = client.get(reverse("staff:case", args=[reference])).content.decode()
    assert f'href="{reverse("repairs_staff:detail", args=[reference])}"' in page


def test_the_subject_access_export_includes_the_residents_repairs(client, tenant):
    repair = report(tenant)
    client.force_login(tenant.user)
    data = json.loads(client.get(reverse("download_your_data", args=["json"])).content)
    assert [r["reference"] for r in data["repairs"]] == [repair.case.reference]
    assert data["repairs"][0]["problem"] == repair.problem_label
