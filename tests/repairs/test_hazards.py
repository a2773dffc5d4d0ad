"""Awaab's Law: a damp or mould report, or a hazard an officer flags, starts the statutory clocks,
each a deadline on the case; officers record each step and the tenant sees them."""

from datetime import datetime

import pytest
import time_machine

from portal.models import CaseKind, CaseStatus, DeadlineKind, Notification, Reminder
from portal.services.reminders import sweep_deadline_reminders
from portal.workdays import LONDON
from repairs import services
from repairs.models import HazardSeverity
from tests import factories
from tests.repairs.conftest import report

pytestmark = pytest.mark.django_db

# Thursday 17 December 2026: the clocks run over Christmas and the Boxing Day holiday.
AWARE = datetime(2026, 12, 17, 10, 0, tzinfo=LONDON)


def eod(year, month, day):
    return datetime(year, month, day, 23, 59, 59, tzinfo=LONDON)


def due(case, kind):
    return case.deadlines.get(kind=kind, stopped_at__isnull=True)


@pytest.fixture
def damp(tenant):
    with time_machine.travel(AWARE, tick=False):
        return report(
            tenant,
            location="bedroom",
            category="damp_mould",
            problem="mould",
            description="Black mould behind the wardrobe",
        )


def test_a_damp_and_mould_report_must_be_investigated_within_10_working_days(damp):
    # 18, 21, 22, 23, 24, (25, 28 holidays), 29, 30, 31, (1 Jan holiday), 4, 5 January.
    assert due(damp.case, DeadlineKind.HAZARD_INVESTIGATION).due_at == eod(2027, 1, 5)
    assert damp.case.hazard.aware_at == AWARE
    assert damp.case.hazard.severity == HazardSeverity.NOT_YET_KNOWN


def test_the_investigation_starts_the_summary_safety_and_further_work_clocks(damp, repairs_officer):
    investigated = datetime(2027, 1, 4, 14, 0, tzinfo=LONDON)  # a Monday
    with time_machine.travel(investigated, tick=False):
        services.record_investigation(
            hazard=damp.case.hazard,
            officer=repairs_officer,
            findings="Mould over 2 square metres",
            severity=HazardSeverity.SIGNIFICANT,
            further_work_needed=True,
        )
    case = damp.case
    investigation = case.deadlines.get(kind=DeadlineKind.HAZARD_INVESTIGATION)
    assert investigation.met_at == investigated and investigation.was_met_in_time
    assert due(case, DeadlineKind.HAZARD_SUMMARY).due_at == eod(2027, 1, 7)  # 3 working days
    assert due(case, DeadlineKind.HAZARD_SAFETY_WORK).due_at == eod(2027, 1, 11)  # 5 working days
    assert due(case, DeadlineKind.HAZARD_FURTHER_WORK).due_at == eod(2027, 1, 11)


def test_no_hazard_found_needs_a_summary_but_no_works(damp, repairs_officer):
    services.record_investigation(
        hazard=damp.case.hazard,
        officer=repairs_officer,
        findings="Condensation only",
        severity=HazardSeverity.NONE_FOUND,
        further_work_needed=True,
    )
    kinds = set(damp.case.deadlines.filter(stopped_at__isnull=True).values_list("kind", flat=True))
    assert DeadlineKind.HAZARD_SAFETY_WORK not in kinds
    assert DeadlineKind.HAZARD_FURTHER_WORK not in kinds
    assert DeadlineKind.HAZARD_SUMMARY in kinds


def test_an_emergency_hazard_must_be_investigated_and_made_safe_within_24_hours(
    tenant, repairs_officer
):
    home = tenant.tenancies.get().home
    with time_machine.travel(datetime(2026, 12, 24, 16, 0, tzinfo=LONDON), tick=False):
        hazard = services.flag_hazard(
            officer=repairs_officer,
            home=home,
            description="Ceiling bowing with water",
            is_emergency=True,
        )
    case = hazard.case
    assert case.kind == CaseKind.HAZARD
    assert case.resident == tenant
    christmas_day_afternoon = datetime(
        2026, 12, 25, 16, 0, tzinfo=LONDON
    )  # hours, not working days
    assert due(case, DeadlineKind.HAZARD_INVESTIGATION).due_at == christmas_day_afternoon
    assert due(case, DeadlineKind.HAZARD_SAFETY_WORK).due_at == christmas_day_afternoon
    assert Notification.objects.filter(template="repair_hazard_opened", resident=tenant).exists()


def test_an_officer_can_flag_a_hazard_on_a_repair_and_the_clocks_start_then(
    tenant, repairs_officer
):
    repair = report(tenant, location="bathroom", category="bathroom", problem="bathroom_extractor")
    with time_machine.travel(AWARE, tick=False):
        services.flag_hazard(
            officer=repairs_officer, case=repair.case, description="Mould spreading from the fan"
        )
    assert due(repair.case, DeadlineKind.HAZARD_INVESTIGATION).due_at == eod(2027, 1, 5)
    with pytest.raises(services.RepairError):
        services.flag_hazard(officer=repairs_officer, case=repair.case, description="Again")


def test_the_written_summary_is_sent_to_the_tenant_in_their_channel_and_meets_its_clock(
    damp, repairs_officer, tenant
):
    hazard = damp.case.hazard
    with pytest.raises(services.RepairError):
        services.send_hazard_summary(hazard=hazard, officer=repairs_officer, summary="Too soon")
    services.record_investigation(
        hazard=hazard,
        officer=repairs_officer,
        findings="Mould",
        severity=HazardSeverity.SIGNIFICANT,
    )
    services.send_hazard_summary(
        hazard=hazard,
        officer=repairs_officer,
        summary="We found mould caused by a blocked air brick. We will clear it and treat "
        "the wall by Friday.",
    )
    assert damp.case.deadlines.get(kind=DeadlineKind.HAZARD_SUMMARY).met_at is not None
    message = Notification.objects.get(template="repair_hazard_summary", resident=tenant)
    assert "blocked air brick" in message.body


def test_the_tenant_sees_each_step_of_the_awaab_clocks(client, damp, repairs_officer, tenant):
    hazard = damp.case.hazard
    reference = damp.case.reference
    with time_machine.travel(AWARE, tick=False):  # the day it was reported, the clock running
        client.force_login(tenant.user)
        page = client.get(f"/repairs/{reference}/").content.decode()
    assert "We will investigate the problem by end of Tuesday 5 January 2027" in page
    assert "Awaab&#x27;s Law" in page
    client.force_login(tenant.user)  # that sign-in's session runs out by the real clock

    services.record_investigation(
        hazard=hazard,
        officer=repairs_officer,
        findings="Mould",
        severity=HazardSeverity.SIGNIFICANT,
        further_work_needed=True,
    )
    services.send_hazard_summary(
        hazard=hazard, officer=repairs_officer, summary="Blocked air brick; we will clear it."
    )
    services.record_safety_work(
        hazard=hazard, officer=repairs_officer, note="Air brick cleared, wall treated."
    )
    services.record_further_work_begun(
        hazard=hazard, officer=repairs_officer, note="Insulation work started."
    )
    page = client.get(f"/repairs/{reference}/").content.decode()
    for text in [
        "Blocked air brick; we will clear it.",
        "We have done the work to make your home safe.",
        "Insulation work started.",
        "Significant hazard",
    ]:
        assert text.lower() in page.lower(), text


def test_a_repair_with_a_hazard_cannot_be_completed_before_the_investigation_and_summary(
    damp, repairs_officer
):
    with pytest.raises(services.RepairError, match="investigation"):
        services.complete_repair(repair=damp, officer=repairs_officer)
    services.record_investigation(
        hazard=damp.case.hazard,
        officer=repairs_officer,
        findings="Mould",
        severity=HazardSeverity.SIGNIFICANT,
        further_work_needed=True,
    )
    with pytest.raises(services.RepairError, match="summary"):
        services.complete_repair(repair=damp, officer=repairs_officer)
    services.send_hazard_summary(
        hazard=damp.case.hazard, officer=repairs_officer, summary="Mould; we will treat it."
    )
    services.complete_repair(repair=damp, officer=repairs_officer)
    # Completing the works meets the safety and further-work clocks as well as the target.
    assert not damp.case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).exists()
    assert damp.case.deadlines.filter(
        kind=DeadlineKind.HAZARD_SAFETY_WORK, met_at__isnull=False
    ).exists()


def test_a_hazard_case_of_its_own_closes_once_its_clocks_are_done(tenant, repairs_officer):
    hazard = services.flag_hazard(
        officer=repairs_officer,
        home=tenant.tenancies.get().home,
        description="Loose stair handrail",
    )
    services.record_investigation(
        hazard=hazard,
        officer=repairs_officer,
        findings="Handrail loose",
        severity=HazardSeverity.SIGNIFICANT,
    )
    services.send_hazard_summary(
        hazard=hazard, officer=repairs_officer, summary="We will fix the handrail."
    )
    with pytest.raises(services.RepairError, match="works"):
        services.close_hazard(hazard=hazard, officer=repairs_officer)
    services.record_safety_work(hazard=hazard, officer=repairs_officer, note="Handrail fixed")
    services.close_hazard(hazard=hazard, officer=repairs_officer)
    hazard.case.refresh_from_db()
    assert hazard.case.status == CaseStatus.RESOLVED


def test_the_hazard_clocks_get_the_same_reminders_as_every_deadline(damp, repairs_officer):
    damp.case.owner = repairs_officer
    damp.case.save()
    with time_machine.travel(datetime(2027, 1, 6, 9, 0, tzinfo=LONDON), tick=False):
        sweep_deadline_reminders()
    assert Reminder.objects.filter(
        deadline__kind=DeadlineKind.HAZARD_INVESTIGATION, stage="overdue"
    ).exists()


def test_an_officer_flags_a_hazard_at_a_home_through_the_page(client, repairs_officer):
    home = factories.HomeFactory(uprn="100012345678")
    client.force_login(repairs_officer.user)
    wrong = client.post("/staff/repairs/hazards/new/", {"uprn": "999", "description": "Mould"})
    assert "No home has that UPRN" in wrong.content.decode()
    made = client.post(
        "/staff/repairs/hazards/new/", {"uprn": "100012345678", "description": "Mould in the hall"}
    )
    assert made.status_code == 302
    assert home.cases.get().kind == CaseKind.HAZARD


def test_officers_record_the_steps_on_the_staff_page(client, damp, repairs_officer):
    reference = damp.case.reference
    client.force_login(repairs_officer.user)
    page = client.get(f"/staff/repairs/{reference}/").content.decode()
    assert "Record the investigation" in page
    client.post(
        f"/staff/repairs/{reference}/",
        {
            "action": "investigation",
            "investigation-severity": "significant",
            "investigation-findings": "Mould",
            "investigation-further_work_needed": "on",
        },
    )
    page = client.get(f"/staff/repairs/{reference}/").content.decode()
    assert "Send the written summary" in page
    assert "Record safety work done" in page
    assert "Record further works begun" in page
    client.post(
        f"/staff/repairs/{reference}/", {"action": "summary", "summary-summary": "We found mould."}
    )
    client.post(
        f"/staff/repairs/{reference}/", {"action": "safety_work", "safety_work-note": "Treated"}
    )
    client.post(
        f"/staff/repairs/{reference}/", {"action": "further_work", "further_work-note": "Begun"}
    )
    hazard = damp.case.hazard
    hazard.refresh_from_db()
    assert hazard.summary_sent_at and hazard.safety_work_done_at and hazard.further_work_begun_at
