"""Enquiries: answered at first contact, or a one-working-day call-back from the patch officer."""

from datetime import datetime

import pytest
import time_machine

from portal.models import AuditEntry, CaseStatus, DeadlineKind, Notification
from portal.services.enquiries import make_enquiry, record_contact_attempt, resolve_enquiry
from portal.workdays import LONDON
from tests.factories import OfficerFactory, resident_with_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return resident_with_home(preferred_channel="text", phone="07700 900001")


@pytest.fixture
def patch_officer(resident):
    return OfficerFactory(name="Pat Patch", patch=resident.tenancies.get().home.neighbourhood)


def enquire(resident, moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return make_enquiry(
            resident=resident,
            home=resident.tenancies.get().home,
            question="Can I have a key fob for the bin store?",
            channel="phone",
            **kwargs,
        )


def callback(case):
    return case.deadlines.get(kind=DeadlineKind.CALLBACK)


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        # Friday afternoon: end of Monday.
        (datetime(2026, 11, 27, 16, 30, tzinfo=LONDON), datetime(2026, 11, 30)),
        # Saturday: end of Monday too; the weekend does not count.
        (datetime(2026, 11, 28, 10, 0, tzinfo=LONDON), datetime(2026, 11, 30)),
        # The Friday before the late summer bank holiday 2026: end of Tuesday.
        (datetime(2026, 8, 28, 12, 0, tzinfo=LONDON), datetime(2026, 9, 1)),
        # Christmas Eve 2026: 25th, 26th-28th are not working days; end of Tuesday 29th.
        (datetime(2026, 12, 24, 15, 0, tzinfo=LONDON), datetime(2026, 12, 29)),
        # Good Friday 2026: Easter Monday is a bank holiday; end of Tuesday 7 April.
        (datetime(2026, 4, 3, 11, 0, tzinfo=LONDON), datetime(2026, 4, 7)),
    ],
)
def test_the_call_back_is_due_by_the_end_of_the_next_working_day(resident, patch_officer, received, due_day):
    case = enquire(resident, received)
    due = callback(case).due_at.astimezone(LONDON)
    assert (due.date(), due.hour, due.minute) == (due_day.date(), 23, 59)


def test_an_enquiry_goes_to_the_officer_for_the_homes_patch(resident, patch_officer):
    OfficerFactory(name="Someone Else")  # another patch
    case = enquire(resident, datetime(2026, 11, 27, 10, tzinfo=LONDON))
    assert case.owner == patch_officer
    assert case.next_due_at == callback(case).due_at


def test_the_resident_is_told_when_to_expect_the_call_in_their_preferred_channel(resident, patch_officer):
    case = enquire(resident, datetime(2026, 11, 27, 10, tzinfo=LONDON))
    notification = Notification.objects.get(resident=resident, case=case)
    assert notification.channel == "text"
    assert notification.to == "07700 900001"
    assert "Pat Patch, your housing officer, will call you back by the end of Monday 30 November" in notification.body


def test_an_enquiry_answered_there_and_then_is_closed_as_resolved_at_first_contact(resident, patch_officer):
    agent = OfficerFactory(role="contact_centre", patch=None)
    case = enquire(
        resident, datetime(2026, 11, 27, 10, tzinfo=LONDON), logged_by=agent, answer="Fobs are £5 from the office."
    )
    assert case.status == CaseStatus.RESOLVED
    assert case.enquiry.resolved_at_first_contact
    assert not case.deadlines.exists()
    assert AuditEntry.objects.filter(actor=agent.user, resident=resident, action="create").exists()


def test_reaching_the_resident_keeps_the_call_back_promise_and_they_see_it(resident, patch_officer):
    case = enquire(resident, datetime(2026, 11, 27, 10, tzinfo=LONDON))
    with time_machine.travel(datetime(2026, 11, 27, 11, tzinfo=LONDON), tick=False):
        record_contact_attempt(case=case, officer=patch_officer, outcome="no_answer")
    assert callback(case).met_at is None
    with time_machine.travel(datetime(2026, 11, 30, 9, 30, tzinfo=LONDON), tick=False):
        record_contact_attempt(case=case, officer=patch_officer, outcome="reached", note="Fob ordered.")
    deadline = callback(case)
    assert deadline.was_met_in_time
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    seen = list(case.events.filter(visible_to_resident=True).values_list("message", flat=True))
    assert "We called you but there was no answer. We will try again." in seen
    assert "We called you and spoke with you. Fob ordered." in seen


def test_a_call_back_made_after_the_deadline_is_met_late(resident, patch_officer):
    case = enquire(resident, datetime(2026, 11, 27, 10, tzinfo=LONDON))
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=LONDON), tick=False):
        record_contact_attempt(case=case, officer=patch_officer, outcome="message_left")
    assert callback(case).met_at is not None
    assert not callback(case).was_met_in_time


def test_resolving_an_enquiry_tells_the_resident_what_we_did(resident, patch_officer):
    case = enquire(resident, datetime(2026, 11, 27, 10, tzinfo=LONDON))
    resolve_enquiry(case=case, officer=patch_officer, outcome="A fob is waiting for you at the estate office.")
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert Notification.objects.filter(resident=resident, template="enquiry_answered").exists()
