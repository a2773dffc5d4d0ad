"""Staff take a repair from triage to completion; the resident sees each step on their repair's
page; the lists stay a fixed number of queries however long they are."""

from datetime import date, datetime

import pytest
import time_machine

from portal.models import AuditEntry, CaseStatus, DeadlineKind, Notification
from portal.workdays import LONDON
from repairs import services
from repairs.models import (
    AppointmentSlot,
    AppointmentStatus,
    OperativeTeam,
    SlotWindow,
    VisitOutcome,
)
from tests.repairs.conftest import priority, report, slots_for

pytestmark = pytest.mark.django_db

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)


@pytest.fixture
def routine(tenant):
    with time_machine.travel(FRIDAY, tick=False):
        return report(tenant)  # routine: due by the end of Tuesday 29 December


def target(repair):
    return repair.case.deadlines.get(kind=DeadlineKind.REPAIR_TARGET, stopped_at__isnull=True)


# -- triage -------------------------------------------------------------------------------------------------


def test_raising_the_priority_stops_the_old_target_and_starts_an_earlier_one(
    routine, repairs_officer
):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=LONDON), tick=False):
        services.change_priority(
            repair=routine,
            priority=priority("urgent"),
            reason="Water is getting into the unit",
            officer=repairs_officer,
        )
    deadlines = routine.case.deadlines.filter(kind=DeadlineKind.REPAIR_TARGET).order_by("id")
    old, new = deadlines
    assert old.stopped_at is not None and old.met_at is None
    assert new.due_at == datetime(
        2026, 12, 4, 23, 59, 59, tzinfo=LONDON
    )  # 5 working days from the report
    routine.case.refresh_from_db()
    assert routine.case.next_due_at == new.due_at


def test_lowering_the_priority_extends_the_target_with_the_reason(tenant, repairs_officer):
    with time_machine.travel(FRIDAY, tick=False):
        urgent = report(
            tenant,
            location="kitchen",
            category="leaks",
            problem="pipe_leak",
            answers={"can_stop_water": True},
        )
        services.change_priority(
            repair=urgent,
            priority=priority("planned"),
            reason="Part of the kitchen renewal",
            officer=repairs_officer,
        )
    running = target(urgent)
    assert running.due_at == datetime(2026, 12, 4, 23, 59, 59, tzinfo=LONDON)
    assert running.extended_to == datetime(
        2027, 2, 25, 23, 59, 59, tzinfo=LONDON
    )  # 90 days from the report
    assert running.extension_reason == "Part of the kitchen renewal"


def test_raising_a_repair_to_emergency_long_after_it_was_reported_counts_from_now(
    routine, repairs_officer
):
    with time_machine.travel(datetime(2026, 12, 10, 9, 0, tzinfo=LONDON), tick=False):
        services.change_priority(
            repair=routine,
            priority=priority("emergency"),
            reason="Now leaking onto wiring",
            officer=repairs_officer,
        )
    assert target(routine).due_at == datetime(2026, 12, 11, 9, 0, tzinfo=LONDON)


def test_the_resident_sees_the_new_priority_and_why(client, routine, repairs_officer, tenant):
    services.change_priority(
        repair=routine,
        priority=priority("urgent"),
        reason="Your neighbour's ceiling is wet",
        officer=repairs_officer,
    )
    client.force_login(tenant.user)
    page = client.get(f"/repairs/{routine.case.reference}/").content.decode()
    assert (
        "We changed the priority from routine to urgent: Your neighbour&#x27;s ceiling is wet"
        in page
    )
    assert Notification.objects.filter(template="repair_priority_changed", resident=tenant).exists()


def test_a_priority_change_needs_a_reason(routine, repairs_officer):
    with pytest.raises(services.RepairError):
        services.change_priority(
            repair=routine, priority=priority("urgent"), reason=" ", officer=repairs_officer
        )


# -- assignment, visits, completion ---------------------------------------------------------------------------


def test_an_officer_takes_a_repair_from_assignment_to_completion_and_the_resident_sees_each_step(
    client, routine, repairs_officer, tenant, team
):
    contractor = OperativeTeam.objects.create(
        name="Acme Plumbing Ltd", kind=OperativeTeam.Kind.CONTRACTOR
    )
    slots_for(team, date(2026, 11, 30), days=3, windows=[SlotWindow.EVENING])
    reference = routine.case.reference
    client.force_login(repairs_officer.user)
    assert client.get(f"/staff/repairs/{reference}/").status_code == 200

    assert (
        client.post(
            f"/staff/repairs/{reference}/", {"action": "assign", "assign-team": contractor.pk}
        ).status_code
        == 302
    )
    services.book_appointment(repair=routine, slot=AppointmentSlot.objects.first())
    client.post(
        f"/staff/repairs/{reference}/", {"action": "visit", "visit-outcome": VisitOutcome.NO_ACCESS}
    )
    client.post(
        f"/staff/repairs/{reference}/",
        {
            "action": "visit",
            "visit-outcome": VisitOutcome.FOLLOW_ON,
            "visit-follow_on_work": "A new tap is on order",
        },
    )
    with time_machine.travel(datetime(2026, 12, 8, 11, 0, tzinfo=LONDON), tick=False):
        done = client.post(
            f"/staff/repairs/{reference}/",
            {"action": "complete", "complete-note": "New tap fitted."},
        )
    assert done.status_code == 302

    routine.refresh_from_db()
    routine.case.refresh_from_db()
    assert routine.assigned_team == contractor
    assert routine.case.status == CaseStatus.RESOLVED
    met = target(routine)
    assert met.met_at == datetime(2026, 12, 8, 11, 0, tzinfo=LONDON) and met.was_met_in_time
    assert routine.appointments.get().status == AppointmentStatus.NO_ACCESS
    assert Notification.objects.filter(template="repair_satisfaction", resident=tenant).exists()
    assert Notification.objects.filter(template="repair_visit", resident=tenant).count() == 2
    assert AuditEntry.objects.filter(resident=tenant, action=AuditEntry.Action.CHANGE).count() >= 4

    client.force_login(tenant.user)
    page = client.get(f"/repairs/{reference}/").content.decode()
    for step in [
        "We have given this repair to our contractor Acme Plumbing Ltd.",
        "Our operative called but could not get in. Please choose another appointment.",
        "More work is needed: A new tap is on order.",
        "Repair completed. New tap fitted.",
        "done on 8 December 2026 (on time)",
        "Tell us how satisfied you are",
    ]:
        assert step in page, step


def test_follow_on_work_must_say_what_is_needed(client, routine, repairs_officer):
    client.force_login(repairs_officer.user)
    page = client.post(
        f"/staff/repairs/{routine.case.reference}/",
        {"action": "visit", "visit-outcome": "follow_on"},
    )
    assert page.status_code == 200
    assert "Say what follow-on work is needed" in page.content.decode()
    assert "There is a problem" in page.content.decode()


def test_a_completed_repair_cannot_be_completed_or_visited_again(routine, repairs_officer):
    services.complete_repair(repair=routine, officer=repairs_officer)
    again = services.complete_repair(repair=routine, officer=repairs_officer)
    assert again.case.deadlines.filter(met_at__isnull=False).count() == 1
    with pytest.raises(services.RepairError):
        services.record_visit(
            repair=routine, officer=repairs_officer, outcome=VisitOutcome.ATTENDED
        )


def test_a_late_completion_is_recorded_as_late(routine, repairs_officer):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=LONDON), tick=False):
        services.complete_repair(repair=routine, officer=repairs_officer)
    met = routine.case.deadlines.get(kind=DeadlineKind.REPAIR_TARGET)
    assert met.met_at is not None and not met.was_met_in_time


def test_the_staff_repair_pages_are_for_officers_only(client, routine, tenant):
    client.force_login(tenant.user)
    for url in [
        "/staff/repairs/",
        f"/staff/repairs/{routine.case.reference}/",
        "/staff/repairs/performance/",
        "/staff/repairs/hazards/new/",
    ]:
        assert client.get(url).status_code == 403, url
    client.logout()
    assert client.get("/staff/repairs/").status_code == 302


def test_looking_at_a_repair_is_audited(client, routine, repairs_officer, tenant):
    client.force_login(repairs_officer.user)
    client.get(f"/staff/repairs/{routine.case.reference}/")
    assert AuditEntry.objects.filter(
        resident=tenant, action=AuditEntry.Action.VIEW, subject=f"case {routine.case.reference}"
    ).exists()


# -- the lists -----------------------------------------------------------------------------------------------


def many_repairs(tenant, team, repairs_officer, count):
    for index in range(count):
        repair = (
            report(
                tenant,
                location="kitchen",
                category="leaks",
                problem="pipe_leak",
                answers={"can_stop_water": True},
            )
            if index % 2
            else report(tenant)
        )
        if index % 3 == 0:
            services.assign_repair(repair=repair, team=team, officer=repairs_officer)


def test_the_staff_list_is_a_fixed_number_of_queries_however_many_repairs(
    client, tenant, team, repairs_officer, django_assert_max_num_queries
):
    many_repairs(tenant, team, repairs_officer, 3)
    client.force_login(repairs_officer.user)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/staff/repairs/").status_code == 200
    many_repairs(tenant, team, repairs_officer, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/staff/repairs/")
    assert page.content.decode().count("/staff/repairs/R-") == 18


def test_the_residents_list_is_a_fixed_number_of_queries_however_many_repairs(
    client, tenant, team, repairs_officer, django_assert_max_num_queries
):
    slots_for(team, date.today(), days=30)
    many_repairs(tenant, team, repairs_officer, 2)
    client.force_login(tenant.user)
    with django_assert_max_num_queries(14) as few:
        assert client.get("/repairs/").status_code == 200
    many_repairs(tenant, team, repairs_officer, 12)
    for repair in tenant.cases.all()[:5]:
        slot = AppointmentSlot.objects.filter(booked=0).first()
        services.book_appointment(repair=repair.repair, slot=slot)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/repairs/")
    assert page.content.decode().count('href="/repairs/R-') == 14


def test_the_staff_list_filters_by_priority_and_team(client, tenant, team, repairs_officer):
    many_repairs(tenant, team, repairs_officer, 6)
    client.force_login(repairs_officer.user)
    urgent = client.get("/staff/repairs/?priority=urgent").content.decode()
    assert urgent.count("/staff/repairs/R-") == 3
    assigned = client.get(f"/staff/repairs/?team={team.pk}").content.decode()
    assert assigned.count("/staff/repairs/R-") == 2


def test_a_repair_appears_in_the_case_queue_order_with_its_target(tenant):
    from portal.models import Case

    with time_machine.travel(FRIDAY, tick=False):
        later = report(tenant)  # routine
        sooner = report(
            tenant,
            location="kitchen",
            category="leaks",
            problem="pipe_leak",
            answers={"can_stop_water": True},
        )  # urgent
    queue = list(Case.objects.filter(closed_at__isnull=True).order_by("next_due_at"))
    assert queue == [sooner.case, later.case]
