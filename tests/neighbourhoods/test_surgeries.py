"""Surgeries: scheduling makes bookable slots; a full slot is refused and two residents racing
for the last place get one booking between them; what a visitor raised becomes a case."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from engagement.neighbourhoods import services
from engagement.neighbourhoods.models import SurgeryBooking, SurgerySlot, SurgeryVisit
from portal.models import CaseChannel, Notification
from tests import factories as core
from tests.neighbourhoods import factories
from tests.neighbourhoods.factories import in_days

pytestmark = pytest.mark.django_db


def test_scheduling_a_surgery_makes_its_slots_and_a_double_submit_makes_one(estate, patch_officer):
    token = uuid.uuid4()
    kwargs = dict(
        estate=estate,
        venue="Community room, Holly Court",
        starts_at=in_days(5, 10),
        ends_at=in_days(5, 11),
        officer=patch_officer,
        scheduled_by=patch_officer,
        slot_minutes=15,
        places_per_slot=2,
        token=token,
    )
    first = services.schedule_surgery(**kwargs)
    again = services.schedule_surgery(**kwargs)
    assert first == again
    assert [slot.capacity for slot in first.slots.all()] == [2, 2, 2, 2]


def test_a_surgery_must_end_after_it_starts(estate, patch_officer):
    with pytest.raises(services.NeighbourhoodError):
        services.schedule_surgery(
            estate=estate,
            venue="Hall",
            starts_at=in_days(5, 11),
            ends_at=in_days(5, 10),
            officer=patch_officer,
            scheduled_by=patch_officer,
        )


def test_a_resident_books_a_slot_and_is_told(tenant):
    slot = factories.SurgerySlotFactory(capacity=1)
    booking = services.book_surgery_slot(resident=tenant, slot=slot, about="My rent")
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.about == "My rent"
    assert Notification.objects.filter(
        resident=tenant, subject__contains="housing surgery"
    ).exists()


def test_a_full_slot_is_refused(tenant, estate):
    slot = factories.SurgerySlotFactory(capacity=1)
    services.book_surgery_slot(resident=factories.resident_on(estate), slot=slot)
    with pytest.raises(services.SlotFull):
        services.book_surgery_slot(resident=tenant, slot=slot)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert not SurgeryBooking.objects.filter(resident=tenant).exists()


def test_booking_the_same_slot_twice_keeps_one_place_and_a_second_time_is_refused(tenant):
    slot = factories.SurgerySlotFactory(capacity=3)
    other = factories.SurgerySlotFactory(surgery=slot.surgery, starts_at=slot.ends_at)
    first = services.book_surgery_slot(resident=tenant, slot=slot)
    assert services.book_surgery_slot(resident=tenant, slot=slot) == first
    with pytest.raises(services.NeighbourhoodError):
        services.book_surgery_slot(resident=tenant, slot=other)
    slot.refresh_from_db()
    assert slot.booked == 1


def test_cancelling_frees_the_place_for_someone_else(tenant, estate):
    slot = factories.SurgerySlotFactory(capacity=1)
    booking = services.book_surgery_slot(resident=tenant, slot=slot)
    services.cancel_surgery_booking(booking=booking)
    services.cancel_surgery_booking(booking=booking)  # twice changes nothing
    slot.refresh_from_db()
    assert slot.booked == 0
    services.book_surgery_slot(resident=factories.resident_on(estate), slot=slot)


def test_a_past_or_cancelled_surgery_takes_no_bookings(tenant, patch_officer):
    past = factories.SurgerySlotFactory(surgery=factories.SurgeryFactory(starts_at=in_days(-1)))
    with pytest.raises(services.NeighbourhoodError):
        services.book_surgery_slot(resident=tenant, slot=past)
    slot = factories.SurgerySlotFactory()
    services.cancel_surgery(surgery=slot.surgery, officer=patch_officer, reason="Officer off sick")
    with pytest.raises(services.NeighbourhoodError):
        services.book_surgery_slot(resident=tenant, slot=slot)


def test_cancelling_a_surgery_tells_everyone_booked(tenant, patch_officer):
    slot = factories.SurgerySlotFactory(capacity=2)
    services.book_surgery_slot(resident=tenant, slot=slot)
    services.cancel_surgery(
        surgery=slot.surgery, officer=patch_officer, reason="The hall is flooded"
    )
    assert Notification.objects.filter(
        resident=tenant, body__contains="The hall is flooded"
    ).exists()
    assert not SurgeryBooking.objects.filter(cancelled_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_residents_racing_for_the_last_place_get_one_booking():
    estate = core.EstateFactory()
    slot = factories.SurgerySlotFactory(capacity=1, surgery=factories.SurgeryFactory(estate=estate))
    racers = [factories.resident_on(estate) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes = []

    def book(resident):
        try:
            start.wait()
            services.book_surgery_slot(resident=resident, slot=SurgerySlot.objects.get(pk=slot.pk))
            outcomes.append("booked")
        except services.SlotFull:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(resident,)) for resident in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "full"]
    slot.refresh_from_db()
    assert slot.booked == 1
    assert SurgeryBooking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1


def test_the_officer_logs_a_booked_visit_and_a_drop_in_once_each(tenant, patch_officer):
    slot = factories.SurgerySlotFactory(surgery=factories.SurgeryFactory(officer=patch_officer))
    booking = services.book_surgery_slot(resident=tenant, slot=slot)
    token = uuid.uuid4()
    visit = services.log_surgery_visit(
        surgery=slot.surgery,
        officer=patch_officer,
        raised="Damp in the bedroom",
        booking=booking,
        token=token,
    )
    assert (
        services.log_surgery_visit(
            surgery=slot.surgery,
            officer=patch_officer,
            raised="Damp in the bedroom",
            booking=booking,
            token=token,
        )
        == visit
    )
    assert visit.resident == tenant
    walk_in = services.log_surgery_visit(
        surgery=slot.surgery,
        officer=patch_officer,
        raised="Bins not emptied",
        visitor_name="Mr Okafor",
    )
    assert walk_in.who == "Mr Okafor"
    with pytest.raises(services.NeighbourhoodError):
        services.log_surgery_visit(
            surgery=slot.surgery, officer=patch_officer, raised="Again", booking=booking
        )


def test_what_a_resident_raised_becomes_a_case_in_the_queue_in_one_step(
    client, tenant, patch_officer
):
    surgery = factories.SurgeryFactory(
        officer=patch_officer, estate=tenant.tenancies.get().home.estate
    )
    visit = services.log_surgery_visit(
        surgery=surgery, officer=patch_officer, raised="Wants to swap homes", resident=tenant
    )
    case = services.raise_case_from_visit(
        visit=visit, officer=patch_officer, kind="enquiry", summary="Mutual exchange", details=""
    )
    assert case.resident == tenant
    assert case.channel == CaseChannel.WALK_IN
    assert SurgeryVisit.objects.get(pk=visit.pk).case == case
    assert case.events.filter(message__contains="housing surgery").exists()
    with pytest.raises(services.NeighbourhoodError):
        services.raise_case_from_visit(
            visit=visit, officer=patch_officer, kind="enquiry", summary="Again"
        )
    client.force_login(patch_officer.user)
    assert case.reference in client.get("/staff/queue/", {"view": "all"}).content.decode()


def test_a_drop_in_with_no_resident_cannot_make_a_complaint(patch_officer):
    visit = services.log_surgery_visit(
        surgery=factories.SurgeryFactory(),
        officer=patch_officer,
        raised="Unhappy",
        visitor_name="A neighbour",
    )
    with pytest.raises(services.NeighbourhoodError):
        services.raise_case_from_visit(
            visit=visit, officer=patch_officer, kind="complaint", summary="Unhappy"
        )


def test_reminders_go_once_the_day_before(tenant):
    slot = factories.SurgerySlotFactory(
        surgery=factories.SurgeryFactory(starts_at=timezone.now() + dt.timedelta(hours=20))
    )
    services.book_surgery_slot(resident=tenant, slot=slot)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert Notification.objects.filter(resident=tenant, subject__startswith="Reminder").count() == 1
