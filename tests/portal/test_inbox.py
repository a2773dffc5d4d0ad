"""The officer's reminders inbox: their own notifications, newest first, unread ones marked."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.context_processors import doorstep
from portal.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def reminder(officer, subject, *, case=None, minutes_ago=0, read=False):
    notification = Notification.objects.create(
        officer=officer,
        case=case,
        channel="email",
        to=officer.user.email,
        template="deadline_reminder",
        subject=subject,
        body="Open the case.",
        next_attempt_at=timezone.now(),
        read_at=timezone.now() if read else None,
    )
    # created_at is set on insert; move it so the order is known.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return notification


def test_the_inbox_shows_my_reminders_newest_first_and_not_anyone_elses(officer_client, officer):
    reminder(officer, "Due soon: call back for E-2026-000001", minutes_ago=30)
    reminder(officer, "Overdue: call back for E-2026-000002", minutes_ago=5)
    reminder(factories.OfficerFactory(), "Due today: call back for E-2026-000003")
    page = officer_client.get(reverse("staff:inbox")).content.decode()
    assert page.index("E-2026-000002") < page.index("E-2026-000001")
    assert "E-2026-000003" not in page


def test_unread_reminders_are_marked_and_read_ones_are_not(officer_client, officer):
    reminder(officer, "Overdue: call back for E-2026-000001")
    reminder(officer, "Due soon: call back for E-2026-000002", read=True)
    page = officer_client.get(reverse("staff:inbox")).content.decode()
    assert page.count(">Unread</strong>") == 1
    assert "You have 1 unread." in page


def test_mark_all_as_read_marks_mine_and_leaves_others_alone(officer_client, officer):
    mine = [reminder(officer, f"Due soon {n}") for n in range(3)]
    someone_elses = reminder(factories.OfficerFactory(), "Due soon: theirs")
    response = officer_client.post(reverse("staff:inbox_mark_all_read"), follow=True)
    assert "3 reminders marked as read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=someone_elses.pk).read_at is None
    assert "You have read them all." in response.content.decode()


def test_following_a_reminder_opens_its_case_and_marks_it_read(officer_client, officer):
    case = factories.CaseFactory()
    note = reminder(officer, "Overdue", case=case)
    response = officer_client.get(reverse("staff:inbox_open", args=[note.pk]))
    assert response["Location"] == reverse("staff:case", args=[case.reference])
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_officer_cannot_open_another_officers_reminder(officer_client):
    theirs = reminder(factories.OfficerFactory(), "Overdue")
    assert officer_client.get(reverse("staff:inbox_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_is_paginated(officer_client, officer):
    for n in range(30):
        reminder(officer, f"Reminder number {n:02d}", minutes_ago=n)
    first = officer_client.get(reverse("staff:inbox")).content.decode()
    second = officer_client.get(reverse("staff:inbox"), {"page": 2}).content.decode()
    assert "Reminder number 00" in first and "Reminder number 29" not in first
    assert "Reminder number 29" in second and "Reminder number 00" not in second


def test_the_header_count_is_my_unread_reminders_in_one_query(officer):
    reminder(officer, "Overdue")
    reminder(officer, "Due today")
    reminder(officer, "Due soon", read=True)
    reminder(factories.OfficerFactory(), "Theirs")
    request = RequestFactory().get("/staff/")
    request.user = officer.user
    unread = doorstep(request)["unread_reminders"]
    with CaptureQueriesContext(connection) as queries:
        assert unread() == 2
        assert unread() == 2  # asked twice on a page: counted once
    assert len(queries) == 1


def test_residents_have_no_reminder_count(resident):
    request = RequestFactory().get("/")
    request.user = resident.user
    with CaptureQueriesContext(connection) as queries:
        assert doorstep(request)["unread_reminders"] == 0
    assert not [q for q in queries if "notification" in q["sql"].lower()]
