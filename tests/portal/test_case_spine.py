"""Cases, their deadlines and their timeline."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.models import CaseKind, CaseStatus, DeadlineKind, Event, EventKind
from portal.services import cases
from portal.workdays import LONDON, deadline_after
from tests.factories import OfficerFactory, resident_with_home

pytestmark = pytest.mark.django_db


def open_enquiry(resident, **kwargs):
    home = resident.tenancies.first().home
    return cases.open_case(
        kind=CaseKind.ENQUIRY, summary="When is my boiler service?", channel="phone", resident=resident, home=home, **kwargs
    )


def test_references_are_numbered_per_kind_and_year():
    resident = resident_with_home()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=LONDON)):
        first = open_enquiry(resident)
        second = open_enquiry(resident)
        repair = cases.open_case(kind=CaseKind.REPAIR, summary="Leak", channel="web", resident=resident)
    assert first.reference == "E-2026-000001"
    assert second.reference == "E-2026-000002"
    assert repair.reference == "R-2026-000001"


def test_the_reference_year_is_the_london_year_at_new_year():
    resident = resident_with_home()
    # 00:30 on 1 January in London; UTC agrees in winter, but the year must come from London.
    case = open_enquiry(resident, opened_at=datetime(2027, 1, 1, 0, 30, tzinfo=LONDON))
    assert case.reference == "E-2027-000001"


def test_opening_a_case_starts_its_timeline_visible_to_the_resident():
    case = open_enquiry(resident_with_home())
    event = case.events.get()
    assert event.kind == EventKind.OPENED
    assert event.visible_to_resident


def test_the_case_carries_its_earliest_running_deadline_for_the_queue():
    case = open_enquiry(resident_with_home())
    later = cases.set_deadline(case=case, kind=DeadlineKind.CONTACT, due_at=timezone.now() + timedelta(days=5))
    sooner = cases.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=1))
    case.refresh_from_db()
    assert case.next_due_at == sooner.due_at

    cases.meet_deadline(deadline=sooner)
    case.refresh_from_db()
    assert case.next_due_at == later.due_at


def test_an_extension_needs_a_reason_and_moves_the_effective_due_date():
    case = open_enquiry(resident_with_home())
    deadline = cases.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=deadline_after(timezone.now(), 1))
    with pytest.raises(ValueError):
        cases.extend_deadline(deadline=deadline, to=deadline.due_at + timedelta(days=2), reason="  ")
    new_due = deadline.due_at + timedelta(days=2)
    cases.extend_deadline(deadline=deadline, to=new_due, reason="Waiting for the contractor")
    deadline.refresh_from_db()
    case.refresh_from_db()
    assert deadline.effective_due_at == new_due
    assert case.next_due_at == new_due


def test_an_extension_cannot_bring_a_deadline_forward():
    case = open_enquiry(resident_with_home())
    deadline = cases.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValueError):
        cases.extend_deadline(deadline=deadline, to=deadline.due_at - timedelta(hours=1), reason="Sooner")


def test_a_deadline_met_late_is_not_met_in_time():
    case = open_enquiry(resident_with_home())
    deadline = cases.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() - timedelta(hours=1))
    cases.meet_deadline(deadline=deadline)
    assert deadline.met_at is not None
    assert not deadline.was_met_in_time


def test_closing_a_case_stops_its_running_deadlines_and_clears_next_due():
    officer = OfficerFactory()
    case = open_enquiry(resident_with_home())
    deadline = cases.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=1))
    cases.change_status(case=case, status=CaseStatus.RESOLVED, actor=officer.user)
    deadline.refresh_from_db()
    case.refresh_from_db()
    assert case.closed_at is not None
    assert deadline.stopped_at is not None and deadline.met_at is None
    assert case.next_due_at is None
    assert case.events.filter(kind=EventKind.CLOSED, actor=officer.user).exists()


def test_reopening_a_case_clears_its_closed_time():
    case = open_enquiry(resident_with_home())
    cases.change_status(case=case, status=CaseStatus.CLOSED)
    cases.change_status(case=case, status=CaseStatus.IN_PROGRESS)
    case.refresh_from_db()
    assert case.closed_at is None and case.is_open


def test_internal_notes_are_kept_apart_from_what_the_resident_sees():
    officer = OfficerFactory()
    case = open_enquiry(resident_with_home())
    cases.add_note(case=case, author=officer.user, text="Neighbour dispute history", visible_to_resident=False)
    cases.add_note(case=case, author=officer.user, text="We have booked a visit", visible_to_resident=True)
    visible = list(Event.objects.filter(case=case, visible_to_resident=True).values_list("message", flat=True))
    assert "We have booked a visit" in visible
    assert "Neighbour dispute history" not in visible


def test_assigning_a_case_records_who_it_went_to():
    officer = OfficerFactory(name="Priya Shah")
    case = open_enquiry(resident_with_home())
    cases.assign_case(case=case, owner=officer, actor=officer.user)
    case.refresh_from_db()
    assert case.owner == officer
    assert case.events.filter(kind=EventKind.ASSIGNED, message__contains="Priya Shah").exists()
