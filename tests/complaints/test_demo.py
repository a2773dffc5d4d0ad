"""The complaints demo: on top of the portal's demo tenant, loaded once, with an overdue complaint
whose reminders fire, one ready to escalate, and a published 2025/26 report."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from complaints.models import AnnualReport, Complaint, ComplaintStatus, LearningEntry
from complaints.selectors import annual_figures
from portal.models import Case, CaseKind, CaseStatus, Deadline, Notification, OfficerRole
from portal.services.reminders import sweep_deadline_reminders
from tests import factories
from tests.complaints.builders import tenant_in

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_complaints", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_people(patch, handler, team):
    manager = factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None, name="Marcus Reid")
    tenant = tenant_in(patch, email="tenant@example.com", first_name="Amira", last_name="Hussain")
    kitchen = factories.CaseFactory(
        kind=CaseKind.ENQUIRY,
        summary="Permission to replace my kitchen",
        resident=tenant,
        home=tenant.tenancies.get().home,
        status=CaseStatus.IN_PROGRESS,
    )
    for _ in range(3):
        tenant_in(patch)
    for _ in range(20):
        factories.HomeFactory()
    return {"tenant": tenant, "officer": handler, "manager": manager, "kitchen": kitchen}


def test_without_the_demo_tenant_it_says_so_and_does_nothing(db):
    assert "run `python manage.py load_demo` first" in load()
    assert not Complaint.objects.exists()


def test_the_demo_loads_once_with_complaints_at_every_stage(demo_people):
    assert "Loaded the demo complaints" in load()
    counts = (Complaint.objects.count(), Case.objects.count(), Deadline.objects.count(), LearningEntry.objects.count())
    assert "already loaded" in load()
    assert (
        Complaint.objects.count(),
        Case.objects.count(),
        Deadline.objects.count(),
        LearningEntry.objects.count(),
    ) == counts

    tenant = demo_people["tenant"]
    mine = {c.external_reference: c for c in Complaint.objects.filter(case__resident=tenant)}
    assert mine["DEMO-TENANT-1"].status == ComplaintStatus.AWAITING_ACKNOWLEDGEMENT
    assert mine["DEMO-TENANT-2"].can_escalate
    assert mine["DEMO-TENANT-3"].status == ComplaintStatus.INVESTIGATING
    assert mine["DEMO-TENANT-3"].related_case == demo_people["kitchen"]  # raised from the open enquiry
    assert Complaint.objects.get(external_reference="DEMO-STAGE2-1").stage == 2

    figures = annual_figures(2025)
    assert figures["CH01"]["stage1_received"] > 20
    assert figures["CH02"]["stage1_percent"] is not None
    assert AnnualReport.objects.get(year=2025).is_published
    assert Client().get("/complaints/report/2025/").status_code == 200


def test_the_overdue_demo_complaint_sets_the_reminders_going(demo_people):
    load()
    sweep_deadline_reminders()
    overdue = Complaint.objects.get(external_reference="DEMO-TENANT-1")
    assert Notification.objects.filter(
        officer=demo_people["officer"], subject=f"Overdue: acknowledge complaint for {overdue.reference}"
    ).exists()


def test_the_demo_tenant_can_escalate_the_answered_complaint(demo_people):
    load()
    client = Client()
    client.force_login(demo_people["tenant"].user)
    answered = Complaint.objects.get(external_reference="DEMO-TENANT-2")
    assert "Escalate my complaint to stage 2" in client.get(f"/complaints/{answered.reference}/").content.decode()
    client.post(f"/complaints/{answered.reference}/escalate/")
    answered.refresh_from_db()
    assert answered.stage == 2
