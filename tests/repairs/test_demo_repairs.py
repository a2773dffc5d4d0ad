"""`manage.py load_demo_repairs`: teams, slots and the demo tenant's repairs, safe to run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from portal.models import CaseStatus, DeadlineKind
from repairs.models import (
    AppointmentSlot,
    AppointmentStatus,
    OperativeTeam,
    RepairRequest,
    RepairSatisfaction,
    SafetyConcern,
)
from tests import factories

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_repairs", stdout=out)
    return out.getvalue()


def test_without_the_demo_tenant_it_says_so_and_still_offers_slots():
    output = run()
    assert "There is no demo tenant (tenant@example.com)" in output
    assert OperativeTeam.objects.count() == 3
    assert AppointmentSlot.objects.filter(window="evening").exists()
    assert not RepairRequest.objects.exists()


def test_it_gives_the_demo_tenant_repairs_at_each_stage_and_running_it_again_changes_nothing():
    tenant = factories.resident_with_home(email="tenant@example.com")
    factories.OfficerFactory(user=factories.UserFactory(email="officer@example.com"))
    assert "4 new" in run()
    slots = AppointmentSlot.objects.count()
    assert "0 new" in run()
    assert AppointmentSlot.objects.count() == slots
    assert RepairRequest.objects.filter(case__resident=tenant).count() == 3
    assert SafetyConcern.objects.count() == 1

    done = RepairRequest.objects.get(problem="kitchen_tap")
    assert done.case.status == CaseStatus.RESOLVED
    assert done.completed_at is not None
    assert not RepairSatisfaction.objects.filter(
        repair=done
    ).exists()  # waiting for the tenant's answer

    fan = RepairRequest.objects.get(problem="bathroom_extractor")
    assert fan.appointments.get(status=AppointmentStatus.BOOKED).slot.window == "evening"

    mould = RepairRequest.objects.get(problem="mould")
    hazard = mould.case.hazard
    assert hazard.investigated_at is not None
    running = set(
        mould.case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    assert {
        DeadlineKind.HAZARD_SUMMARY,
        DeadlineKind.HAZARD_SAFETY_WORK,
        DeadlineKind.HAZARD_FURTHER_WORK,
    } <= running
    assert mould.case.deadlines.get(kind=DeadlineKind.HAZARD_INVESTIGATION).was_met_in_time

    saturdays = AppointmentSlot.objects.filter(starts_at__iso_week_day=6)
    assert saturdays.exists()
