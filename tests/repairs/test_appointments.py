"""Appointments: slots for the repair's area and priority, evenings and Saturdays included; a
place cannot be taken twice, even by two residents at the same moment; moving and cancelling
free the place; a reminder goes the day before, once."""

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from portal.models import Notification
from portal.workdays import LONDON
from repairs import services
from repairs.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    OperativeTeam,
    SlotWindow,
)
from repairs.selectors import offered_days, offered_slots
from repairs.services import SlotTaken
from tests import factories
from tests.repairs.conftest import home_in_block, priority, report, resident_in, slots_for

pytestmark = pytest.mark.django_db

# A Friday afternoon; the tests' slots start on the Monday after.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)
MONDAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _friday(request):
    """Every test here runs on that Friday, except the threaded ones, which need the clock to tick."""
    if request.node.get_closest_marker("django_db").kwargs.get("transaction"):
        yield
        return
    with time_machine.travel(NOW, tick=False):
        yield


def urgent_repair(resident):
    return report(
        resident,
        location="kitchen",
        category="leaks",
        problem="pipe_leak",
        answers={"can_stop_water": True},
    )


def routine_repair(resident):
    return report(resident)


# -- what is offered ----------------------------------------------------------------------------------------


def test_a_repair_is_offered_morning_afternoon_school_run_and_evening_slots(tenant, team):
    slots_for(team, MONDAY, days=1)
    (day,) = offered_days(routine_repair(tenant))
    assert day.day == MONDAY
    assert [
        (
            t.window,
            t.starts_at.astimezone(LONDON).strftime("%H:%M"),
            t.ends_at.astimezone(LONDON).strftime("%H:%M"),
        )
        for t in day.times
    ] == [
        ("morning", "08:00", "12:00"),
        ("school_run", "09:30", "14:30"),
        ("afternoon", "12:00", "16:00"),
        ("evening", "17:00", "20:00"),
    ]


def test_only_teams_covering_the_repairs_area_offer_slots(tenant, team):
    elsewhere = OperativeTeam.objects.create(name="Far Away Contractors")
    elsewhere.neighbourhoods.add(factories.NeighbourhoodFactory())
    slots_for(elsewhere, MONDAY, days=5)
    assert not offered_slots(routine_repair(tenant)).exists()
    slots_for(team, MONDAY, days=5)
    assert set(offered_slots(routine_repair(tenant)).values_list("team", flat=True)) == {team.pk}


def test_slots_are_offered_up_to_the_repairs_target_and_not_beyond(tenant, team):
    slots_for(team, MONDAY, days=21)
    repair = urgent_repair(tenant)  # due by the end of Friday 4 December
    days = [d.day for d in offered_days(repair)]
    assert days[0] == MONDAY
    assert days[-1] == date(2026, 12, 4)


def test_saturday_slots_are_offered_only_where_the_landlord_offers_them(tenant, team, settings):
    slots_for(team, date(2026, 12, 5), days=1, saturdays=True)  # a Saturday
    repair = routine_repair(tenant)
    (saturday,) = offered_days(repair)
    assert [t.window for t in saturday.times] == ["morning", "afternoon"]
    settings.REPAIRS_SATURDAY_APPOINTMENTS = False
    assert offered_days(repair) == []


def test_an_emergency_needs_no_appointment_and_none_is_offered(tenant, team):
    slots_for(team, MONDAY, days=3)
    repair = report(tenant, location="kitchen", category="electrics", problem="sparking")
    assert repair.priority.code == "emergency"
    assert not offered_slots(repair).exists()


def test_a_slot_kept_for_urgent_repairs_is_not_offered_for_routine_ones(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.MORNING])
    AppointmentSlot.objects.get().priorities.add(priority("urgent"))
    assert offered_slots(urgent_repair(tenant)).count() == 1
    assert offered_slots(routine_repair(tenant)).count() == 0


def test_a_full_slot_is_not_offered(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.EVENING], capacity=1)
    services.book_appointment(repair=routine_repair(tenant), slot=AppointmentSlot.objects.get())
    assert offered_days(routine_repair(tenant)) == []


# -- capacity -----------------------------------------------------------------------------------------------


def test_a_slot_takes_as_many_bookings_as_its_capacity_and_no_more(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.EVENING], capacity=2)
    slot = AppointmentSlot.objects.get()
    services.book_appointment(repair=routine_repair(tenant), slot=slot)
    services.book_appointment(repair=routine_repair(tenant), slot=slot)
    with pytest.raises(SlotTaken):
        services.book_appointment(repair=routine_repair(tenant), slot=slot)
    slot.refresh_from_db()
    assert (slot.booked, slot.capacity) == (2, 2)
    assert Appointment.objects.count() == 2


def test_the_database_refuses_to_overbook_a_slot_whatever_the_code_does(team):
    slot = AppointmentSlot.objects.create(
        team=team,
        window="evening",
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=3),
        capacity=1,
        booked=1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentSlot.objects.filter(pk=slot.pk).update(booked=2)


def test_a_repair_has_at_most_one_booked_appointment(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.EVENING, SlotWindow.MORNING])
    repair = routine_repair(tenant)
    morning, evening = AppointmentSlot.objects.order_by("starts_at")
    services.book_appointment(repair=repair, slot=morning)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(repair=repair, slot=evening)


@pytest.mark.django_db(transaction=True)
def test_two_residents_booking_the_last_place_at_the_same_moment_only_one_gets_it():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets only one writer in at a time, so two bookings cannot overlap: run on PostgreSQL"
        )
    neighbourhood = factories.NeighbourhoodFactory()
    first = resident_in(home_in_block(neighbourhood=neighbourhood))
    second = resident_in(home_in_block(neighbourhood=neighbourhood))
    team = OperativeTeam.objects.create(name="Evening Team")
    team.neighbourhoods.add(neighbourhood)
    starts = datetime.combine(
        date.today() + timedelta(days=3), datetime.min.time().replace(hour=17), tzinfo=LONDON
    )
    slot = AppointmentSlot.objects.create(
        team=team,
        window="evening",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=1,
    )
    repairs = [routine_repair(first), routine_repair(second)]

    first_has_place = threading.Event()
    second_is_waiting = threading.Event()
    outcomes = {}

    def first_books():
        # Takes the place and holds its transaction open until the second booking is waiting on it.
        try:
            with transaction.atomic():
                services.book_appointment(repair=repairs[0], slot=slot)
                first_has_place.set()
                assert second_is_waiting.wait(10), "the second booking never reached the database"
            outcomes["first"] = "booked"
        except SlotTaken:
            outcomes["first"] = "taken"
        finally:
            first_has_place.set()
            connection.close()

    def second_books():
        first_has_place.wait(10)
        try:
            services.book_appointment(repair=repairs[1], slot=slot)
            outcomes["second"] = "booked"
        except SlotTaken:
            outcomes["second"] = "taken"
        finally:
            connection.close()

    threads = [threading.Thread(target=first_books), threading.Thread(target=second_books)]
    for thread in threads:
        thread.start()
    # Let the first commit only once the second is blocked on the slot's row lock: the two
    # bookings really do overlap in the database.
    with connection.cursor() as cursor:
        for _ in range(1000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
    second_is_waiting.set()
    for thread in threads:
        thread.join(20)

    assert outcomes == {"first": "booked", "second": "taken"}
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_residents_racing_for_a_slot_never_overbook_it():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets only one writer in at a time, so bookings cannot overlap: run on PostgreSQL"
        )
    neighbourhood = factories.NeighbourhoodFactory()
    residents = [resident_in(home_in_block(neighbourhood=neighbourhood)) for _ in range(6)]
    team = OperativeTeam.objects.create(name="Busy Team")
    team.neighbourhoods.add(neighbourhood)
    starts = datetime.combine(
        date.today() + timedelta(days=3), datetime.min.time().replace(hour=8), tzinfo=LONDON
    )
    slot = AppointmentSlot.objects.create(
        team=team,
        window="morning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=2,
    )
    repairs = [routine_repair(r) for r in residents]
    barrier = threading.Barrier(len(repairs))
    outcomes = []

    def book(repair):
        try:
            barrier.wait(10)
            services.book_appointment(repair=repair, slot=slot)
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(repair,)) for repair in repairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes) == ["booked", "booked", "taken", "taken", "taken", "taken"]
    slot.refresh_from_db()
    assert slot.booked == 2


# -- moving and cancelling -------------------------------------------------------------------------------------


def test_moving_an_appointment_frees_the_old_place_and_takes_the_new(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.MORNING, SlotWindow.EVENING], capacity=1)
    morning, evening = AppointmentSlot.objects.order_by("starts_at")
    repair = routine_repair(tenant)
    first = services.book_appointment(repair=repair, slot=morning)
    second = services.book_appointment(repair=repair, slot=evening)
    first.refresh_from_db()
    morning.refresh_from_db()
    evening.refresh_from_db()
    assert first.status == AppointmentStatus.RESCHEDULED
    assert second.status == AppointmentStatus.BOOKED
    assert (morning.booked, evening.booked) == (0, 1)
    assert Notification.objects.filter(
        template="repair_appointment_booked", body__contains="now Monday"
    ).exists()


def test_moving_to_a_full_slot_keeps_the_appointment_already_booked(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.MORNING, SlotWindow.EVENING], capacity=1)
    morning, evening = AppointmentSlot.objects.order_by("starts_at")
    services.book_appointment(repair=routine_repair(tenant), slot=evening)
    repair = routine_repair(tenant)
    kept = services.book_appointment(repair=repair, slot=morning)
    with pytest.raises(SlotTaken):
        services.book_appointment(repair=repair, slot=evening)
    kept.refresh_from_db()
    assert kept.status == AppointmentStatus.BOOKED


def test_cancelling_frees_the_place_and_tells_the_resident(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.EVENING], capacity=1)
    slot = AppointmentSlot.objects.get()
    appointment = services.book_appointment(repair=routine_repair(tenant), slot=slot)
    services.cancel_appointment(appointment=appointment)
    slot.refresh_from_db()
    appointment.refresh_from_db()
    assert slot.booked == 0
    assert appointment.status == AppointmentStatus.CANCELLED
    assert Notification.objects.filter(
        template="repair_appointment_cancelled", resident=tenant
    ).exists()


# -- through the pages ------------------------------------------------------------------------------------------


def test_a_tenant_chooses_an_evening_appointment_then_moves_it_then_cancels_it(
    client, tenant, team
):
    slots_for(team, MONDAY, days=7)
    repair = urgent_repair(tenant)
    reference = repair.case.reference
    client.force_login(tenant.user)

    days_page = client.get(f"/repairs/{reference}/appointment/").content.decode()
    assert "Which day suits you for the appointment?" in days_page
    assert "Monday 30 November 2026" in days_page
    assert "Morning, school hours, afternoon and evening" in days_page
    chosen = client.post(f"/repairs/{reference}/appointment/", {"day": "2026-12-01"})
    assert chosen.url == f"/repairs/{reference}/appointment/2026-12-01/"
    times_page = client.get(chosen.url).content.decode()
    assert "What time on Tuesday 1 December 2026?" in times_page
    assert "Evening, 5pm to 8pm" in times_page
    booked = client.post(chosen.url, {"window": "evening"})
    assert booked.url == f"/repairs/{reference}/"
    page = client.get(booked.url).content.decode()
    assert "Tuesday 1 December 2026" in page
    assert "Evening, 5pm to 8pm" in page
    assert "Appointment booked for Tuesday 1 December 2026, 5pm to 8pm." in page  # the timeline

    client.post(f"/repairs/{reference}/appointment/", {"day": "2026-12-02"})
    client.post(f"/repairs/{reference}/appointment/2026-12-02/", {"window": "morning"})
    assert Appointment.objects.get(status=AppointmentStatus.BOOKED).slot.starts_at.date() == date(
        2026, 12, 2
    )

    assert (
        "Are you sure you want to cancel"
        in client.get(f"/repairs/{reference}/appointment/cancel/").content.decode()
    )
    client.post(f"/repairs/{reference}/appointment/cancel/")
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()
    assert (
        "You have not chosen an appointment yet"
        in client.get(f"/repairs/{reference}/").content.decode()
    )


def test_a_day_with_nothing_left_sends_the_resident_back_to_choose_another(client, tenant, team):
    slots_for(team, MONDAY, days=2)
    reference = urgent_repair(tenant).case.reference
    client.force_login(tenant.user)
    assert (
        client.get(f"/repairs/{reference}/appointment/2026-12-25/").url
        == f"/repairs/{reference}/appointment/"
    )


# -- the reminder ---------------------------------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_in_the_residents_channel_exactly_once(tenant, team):
    tenant.preferred_channel = "text"
    tenant.save()
    slots_for(team, MONDAY, days=2, windows=[SlotWindow.EVENING])
    monday, tuesday = AppointmentSlot.objects.order_by("starts_at")
    on_monday = services.book_appointment(repair=routine_repair(tenant), slot=monday)
    services.book_appointment(repair=routine_repair(tenant), slot=tuesday)
    Notification.objects.all().delete()

    with time_machine.travel(
        datetime(2026, 11, 29, 8, 0, tzinfo=LONDON), tick=False
    ):  # Sunday, early
        assert services.send_appointment_reminders() == 0
    with time_machine.travel(datetime(2026, 11, 29, 10, 15, tzinfo=LONDON), tick=False):
        assert services.send_appointment_reminders() == 1
        assert services.send_appointment_reminders() == 0
    with time_machine.travel(datetime(2026, 11, 29, 18, 0, tzinfo=LONDON), tick=False):
        assert services.send_appointment_reminders() == 0

    reminder = Notification.objects.get(template="repair_appointment_reminder")
    assert reminder.channel == "text"
    assert "tomorrow, Monday 30 November 2026, 5pm to 8pm" in reminder.body
    on_monday.refresh_from_db()
    assert on_monday.reminder_sent_at is not None


def test_a_cancelled_appointment_gets_no_reminder(tenant, team):
    slots_for(team, MONDAY, days=1, windows=[SlotWindow.EVENING])
    appointment = services.book_appointment(
        repair=routine_repair(tenant), slot=AppointmentSlot.objects.get()
    )
    services.cancel_appointment(appointment=appointment)
    with time_machine.travel(datetime(2026, 11, 29, 12, 0, tzinfo=LONDON), tick=False):
        assert services.send_appointment_reminders() == 0


def test_the_reminder_task_runs_from_celery_beat(tenant, team, settings):
    assert settings.CELERY_BEAT_SCHEDULE["repairs-appointment-reminders"]["task"] == (
        "repairs.tasks.send_appointment_reminders"
    )
    from repairs.tasks import send_appointment_reminders

    slots_for(team, MONDAY, days=1, windows=[SlotWindow.MORNING])
    services.book_appointment(repair=routine_repair(tenant), slot=AppointmentSlot.objects.get())
    with time_machine.travel(datetime(2026, 11, 29, 12, 0, tzinfo=LONDON), tick=False):
        assert send_appointment_reminders.delay().get() == {"reminders": 1}
        assert send_appointment_reminders.delay().get() == {"reminders": 0}
