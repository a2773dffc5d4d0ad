"""Staff book, move and cancel a repair appointment for a resident who phones in: the same slots
and capacity as online, the resident told in their own channel and shown it on their repair's
page, the officer's action audited; a slot filled meanwhile is refused, a second click books once."""

from datetime import date, datetime

import pytest
import time_machine

from portal.models import AuditEntry, Notification
from portal.workdays import LONDON
from repairs import services
from repairs.models import Appointment, AppointmentSlot, AppointmentStatus, SlotWindow
from tests.repairs.conftest import home_in_block, report, resident_in, slots_for

pytestmark = pytest.mark.django_db

# A Friday afternoon; the slots start on the Monday after.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)
MONDAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def repair(tenant):
    return report(tenant)  # routine: bookable, due by the end of Tuesday 29 December


@pytest.fixture
def staff(client, repairs_officer):
    client.force_login(repairs_officer.user)
    return client


def morning_and_evening(team, capacity=1):
    slots_for(
        team, MONDAY, days=1, windows=[SlotWindow.MORNING, SlotWindow.EVENING], capacity=capacity
    )
    return AppointmentSlot.objects.order_by("starts_at")


def neighbour_of(repair):
    """A resident elsewhere in the same neighbourhood: the same teams and slots serve them."""
    return resident_in(home_in_block(neighbourhood=repair.case.home.neighbourhood))


def book_url(repair, slot=None):
    base = f"/staff/repairs/{repair.case.reference}/appointment/"
    return f"{base}{slot.pk}/" if slot else base


def test_the_staff_repair_page_offers_to_book_an_appointment(staff, repair, team):
    page = staff.get(f"/staff/repairs/{repair.case.reference}/").content.decode()
    assert "Book an appointment" in page
    assert book_url(repair) in page
    assert "Cancel the appointment" not in page


def test_the_slot_list_offers_what_the_resident_would_get_evenings_included(staff, repair, team):
    morning_and_evening(team)
    page = staff.get(book_url(repair)).content.decode()
    assert "Monday 30 November 2026, morning, 8am to midday" in page
    assert "Monday 30 November 2026, evening, 5pm to 8pm" in page
    assert "Millbrook Repairs Team: 1 place left" in page


def test_an_officer_books_a_slot_and_the_resident_is_told_and_sees_it(
    staff, client, repair, team, tenant, repairs_officer
):
    tenant.preferred_channel = "text"
    tenant.save()
    _, evening = morning_and_evening(team)

    chosen = staff.post(book_url(repair), {"slot": evening.pk})
    assert chosen.status_code == 302 and chosen.url == book_url(repair, evening)
    confirm = staff.get(chosen.url).content.decode()
    assert "Check the appointment before booking it" in confirm
    assert "Monday 30 November 2026, 5pm to 8pm" in confirm
    booked = staff.post(chosen.url, follow=True)

    assert "The resident has been told" in booked.content.decode()
    assert "Change the appointment" in booked.content.decode()
    appointment = Appointment.objects.get(repair=repair)
    assert appointment.slot == evening and appointment.status == AppointmentStatus.BOOKED
    assert appointment.booked_by == repairs_officer.user
    evening.refresh_from_db()
    assert evening.booked == 1
    message = Notification.objects.get(template="repair_appointment_booked")
    assert message.resident == tenant and message.channel == "text"
    assert "Monday 30 November 2026, 5pm to 8pm" in message.body
    assert repair.case.events.filter(
        visible_to_resident=True,
        actor=repairs_officer.user,
        message__contains="Appointment booked for Monday 30 November 2026, 5pm to 8pm",
    ).exists()
    assert AuditEntry.objects.filter(
        actor=repairs_officer.user,
        action=AuditEntry.Action.CHANGE,
        resident=tenant,
        subject__contains="appointment booked for",
    ).exists()

    client.force_login(tenant.user)
    mine = client.get(f"/repairs/{repair.case.reference}/").content.decode()
    assert "Monday 30 November 2026" in mine and "5pm to 8pm" in mine


def test_booking_online_is_not_audited_as_a_staff_action(repair, team, tenant):
    _, evening = morning_and_evening(team)
    services.book_appointment(repair=repair, slot=evening, actor=tenant.user)
    assert not AuditEntry.objects.filter(subject__contains="appointment").exists()


def test_a_slot_filled_meanwhile_is_refused_and_the_choice_list_kept(staff, repair, team):
    morning, evening = morning_and_evening(team)
    neighbour = report(neighbour_of(repair))
    staff.post(book_url(repair), {"slot": evening.pk})
    services.book_appointment(repair=neighbour, slot=evening)  # booked online meanwhile

    refused = staff.post(book_url(repair, evening))

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "There is a problem" in page
    assert "That slot is now full. Choose another slot" in page
    assert f'value="{morning.pk}"' in page and f'value="{evening.pk}"' not in page
    assert not Appointment.objects.filter(repair=repair).exists()
    evening.refresh_from_db()
    assert evening.booked == 1


def test_choosing_a_slot_that_has_just_filled_says_so_next_to_the_list(staff, repair, team):
    morning, evening = morning_and_evening(team)
    neighbour = report(neighbour_of(repair))
    services.book_appointment(repair=neighbour, slot=evening)

    page = staff.post(book_url(repair), {"slot": evening.pk}).content.decode()

    assert "That slot is now full. Choose another slot" in page
    assert f'value="{morning.pk}"' in page


def test_not_choosing_a_slot_asks_for_one(staff, repair, team):
    morning_and_evening(team)
    assert "Select a slot" in staff.post(book_url(repair), {}).content.decode()


def test_sending_the_booking_twice_books_once(staff, repair, team):
    _, evening = morning_and_evening(team, capacity=2)
    first = staff.post(book_url(repair, evening))
    second = staff.post(book_url(repair, evening))
    assert first.status_code == second.status_code == 302
    assert Appointment.objects.filter(repair=repair).count() == 1
    evening.refresh_from_db()
    assert evening.booked == 1
    assert Notification.objects.filter(template="repair_appointment_booked").count() == 1


def test_the_service_books_the_same_slot_once_even_when_the_slot_is_then_full(
    repair, team, repairs_officer
):
    _, evening = morning_and_evening(team, capacity=1)
    first = services.book_appointment(repair=repair, slot=evening, officer=repairs_officer)
    again = services.book_appointment(repair=repair, slot=evening, officer=repairs_officer)
    assert again == first
    assert Appointment.objects.filter(repair=repair).count() == 1


def test_rebooking_releases_the_old_place(staff, repair, team, tenant):
    morning, evening = morning_and_evening(team)
    services.book_appointment(repair=repair, slot=morning, actor=tenant.user)

    page = staff.get(book_url(repair)).content.decode()
    assert "Change the appointment" in page
    staff.post(book_url(repair), {"slot": evening.pk})
    confirm = staff.get(book_url(repair, evening)).content.decode()
    assert "This moves the appointment from Monday 30 November 2026, 8am to midday" in confirm
    staff.post(book_url(repair, evening))

    morning.refresh_from_db()
    evening.refresh_from_db()
    assert (morning.booked, evening.booked) == (0, 1)
    assert list(
        Appointment.objects.filter(repair=repair)
        .order_by("booked_at", "id")
        .values_list("slot", "status")
    ) == [(morning.pk, AppointmentStatus.RESCHEDULED), (evening.pk, AppointmentStatus.BOOKED)]
    assert Notification.objects.filter(
        template="repair_appointment_booked", body__contains="now Monday"
    ).exists()


def test_cancelling_needs_a_reason_then_frees_the_place_and_tells_the_resident(
    staff, repair, team, tenant, repairs_officer
):
    _, evening = morning_and_evening(team)
    services.book_appointment(repair=repair, slot=evening, actor=tenant.user)
    url = f"/staff/repairs/{repair.case.reference}/appointment/cancel/"
    assert (
        "Cancel the appointment"
        in staff.get(f"/staff/repairs/{repair.case.reference}/").content.decode()
    )

    missing = staff.post(url, {"reason": "  "})
    assert missing.status_code == 200
    assert "Enter why the appointment is being cancelled" in missing.content.decode()
    assert Appointment.objects.get(repair=repair).status == AppointmentStatus.BOOKED

    done = staff.post(url, {"reason": "The resident will be away that week."})
    assert done.status_code == 302
    appointment = Appointment.objects.get(repair=repair)
    assert appointment.status == AppointmentStatus.CANCELLED
    evening.refresh_from_db()
    assert evening.booked == 0
    assert repair.case.events.filter(
        visible_to_resident=True,
        actor=repairs_officer.user,
        message__contains="cancelled. The resident will be away that week.",
    ).exists()
    told = Notification.objects.get(template="repair_appointment_cancelled", resident=tenant)
    assert "The resident will be away that week." in told.body
    assert AuditEntry.objects.filter(
        actor=repairs_officer.user, resident=tenant, subject__contains="cancelled"
    ).exists()
    # A second click finds nothing left to cancel.
    assert staff.post(url, {"reason": "Again"}).status_code == 302
    assert Notification.objects.filter(template="repair_appointment_cancelled").count() == 1


def test_a_completed_repair_cannot_be_booked(staff, repair, team, repairs_officer):
    _, evening = morning_and_evening(team)
    services.complete_repair(repair=repair, officer=repairs_officer, note="Tap tightened")
    assert staff.get(book_url(repair)).status_code == 302
    assert staff.post(book_url(repair, evening)).status_code == 302
    assert not Appointment.objects.filter(repair=repair).exists()


def test_a_resident_cannot_reach_the_staff_booking_pages(client, repair, team, tenant):
    _, evening = morning_and_evening(team)
    client.force_login(tenant.user)
    for url in [
        book_url(repair),
        book_url(repair, evening),
        f"/staff/repairs/{repair.case.reference}/appointment/cancel/",
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"slot": evening.pk, "reason": "x"}).status_code == 403, url
    assert not Appointment.objects.exists()


def test_an_unknown_repair_is_not_found(staff):
    assert staff.get("/staff/repairs/R-NOPE/appointment/").status_code == 404


def test_the_slot_page_is_a_fixed_number_of_queries_however_many_slots(
    staff, repair, team, django_assert_max_num_queries
):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.EVENING])
    with django_assert_max_num_queries(12) as few:
        assert staff.get(book_url(repair)).status_code == 200
    slots_for(team, date(2026, 12, 1), days=20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff.get(book_url(repair))
    assert page.content.decode().count('name="slot"') == 20  # one page of them
    assert "?page=2" in page.content.decode()
