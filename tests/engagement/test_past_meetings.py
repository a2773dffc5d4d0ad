"""A meeting that has happened is the record of what happened: only its minutes, minutes files
and attendance can be added. Before it starts, staff can change it and members are told."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engagement import services
from engagement.models import MeetingAttendance, MeetingReminder, PaperKind
from portal.models import Notification
from tests.engagement.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _changes(day, **overrides):
    return {
        "title": "Quarterly meeting",
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "starts": "19:00",
        "ends": "",
        "place": "Millbrook Civic Centre",
        "online_link": "",
        "agenda": "Welcome\nBudget",
        **overrides,
    }


def test_editing_a_past_meeting_is_refused_with_a_clear_message(officer, officer_client):
    meeting = MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=2))
    with pytest.raises(services.EngagementError, match="This meeting has happened"):
        services.change_meeting(
            meeting=meeting,
            officer=officer,
            title="Rewritten",
            starts_at=timezone.now() + dt.timedelta(days=2),
            place="Elsewhere",
        )
    with pytest.raises(services.EngagementError, match="only its minutes"):
        services.add_meeting_paper(
            meeting=meeting,
            officer=officer,
            title="A late paper",
            uploaded=SimpleUploadedFile("late.pdf", PDF),
        )
    with pytest.raises(services.EngagementError):
        services.cancel_meeting(meeting=meeting, officer=officer)

    day = timezone.localdate() + dt.timedelta(days=5)
    response = officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/change/", _changes(day, title="Rewritten")
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Monthly meeting"
    followed = officer_client.get(response["Location"]).content.decode()
    assert "This meeting has happened" in followed

    response = officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/papers/",
        {"title": "A late paper", "kind": "paper", "document": SimpleUploadedFile("l.pdf", PDF)},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not meeting.papers.exists()


def test_after_a_meeting_staff_add_minutes_minutes_files_and_attendance(officer, officer_client):
    member = MembershipFactory()
    meeting = MeetingFactory(panel=member.panel, starts_at=timezone.now() - dt.timedelta(hours=3))
    response = officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/papers/",
        {
            "title": "Signed minutes",
            "kind": "minutes",
            "document": SimpleUploadedFile("m.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert meeting.papers.get().kind == PaperKind.MINUTES
    officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/minutes/", {"minutes": "Budget agreed."}
    )
    officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/attendance/",
        {"present": [str(member.resident_id)]},
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "Budget agreed."
    assert MeetingAttendance.objects.get(meeting=meeting).attended is True


def test_the_staff_page_hides_changes_a_past_meeting_cannot_take(officer_client):
    upcoming = MeetingFactory()
    page = officer_client.get(f"/staff/engagement/meetings/{upcoming.pk}/").content.decode()
    assert f"/staff/engagement/meetings/{upcoming.pk}/change/" in page
    assert "Cancel the meeting" in page
    assert "Upload a paper" in page

    past = MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=1))
    page = officer_client.get(f"/staff/engagement/meetings/{past.pk}/").content.decode()
    assert f"/staff/engagement/meetings/{past.pk}/change/" not in page
    assert "Cancel the meeting" not in page
    assert "Upload a paper" not in page
    assert "Upload the minutes file" in page
    assert "Write the minutes" in page
    form = officer_client.get(f"/staff/engagement/meetings/{past.pk}/papers/").content.decode()
    assert 'value="paper"' not in form and 'value="minutes"' in form


def test_changing_an_upcoming_meeting_tells_members_and_reminds_them_again(officer_client):
    member = MembershipFactory()
    meeting = MeetingFactory(panel=member.panel, starts_at=timezone.now() + dt.timedelta(hours=20))
    MeetingReminder.objects.create(meeting=meeting, resident=member.resident)
    page = officer_client.get(f"/staff/engagement/meetings/{meeting.pk}/change/").content.decode()
    assert "Hollybank Community Centre" in page  # the form starts from what is there

    day = timezone.localdate() + dt.timedelta(days=9)
    response = officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/change/", _changes(day)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).date() == day
    assert meeting.place == "Millbrook Civic Centre"
    told = Notification.objects.get(template="engagement_meeting_changed")
    assert told.resident == member.resident
    assert "Millbrook Civic Centre" in told.body
    assert not MeetingReminder.objects.filter(meeting=meeting).exists()


def test_changing_only_the_agenda_does_not_message_members(officer):
    member = MembershipFactory()
    meeting = MeetingFactory(panel=member.panel)
    services.change_meeting(
        meeting=meeting,
        officer=officer,
        title=meeting.title,
        starts_at=meeting.starts_at,
        place=meeting.place,
        agenda="Welcome\nNew item",
    )
    meeting.refresh_from_db()
    assert meeting.agenda == "Welcome\nNew item"
    assert not Notification.objects.filter(template="engagement_meeting_changed").exists()
