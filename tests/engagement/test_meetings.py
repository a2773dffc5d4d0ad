"""Meetings: members reply, papers are checked, minutes follow, and each reminder goes once in the
member's preferred channel."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engagement import services
from engagement.models import MeetingAttendance, MeetingReminder, Rsvp
from engagement.tasks import send_meeting_reminders
from portal.models import Channel, Notification
from tests import factories
from tests.engagement.factories import MeetingFactory, MembershipFactory, PanelFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_member_replies_to_a_meeting_and_can_change_their_mind(resident_client, resident):
    membership = MembershipFactory(resident=resident)
    meeting = MeetingFactory(panel=membership.panel)
    resident_client.post(f"/get-involved/meetings/{meeting.pk}/", {"rsvp": Rsvp.ATTENDING})
    resident_client.post(f"/get-involved/meetings/{meeting.pk}/", {"rsvp": Rsvp.NOT_ATTENDING})
    reply = MeetingAttendance.objects.get()
    assert reply.rsvp == Rsvp.NOT_ATTENDING
    assert (
        "Not coming"
        in resident_client.get(f"/get-involved/meetings/{meeting.pk}/").content.decode()
    )


def test_someone_not_on_the_panel_cannot_see_its_meeting_or_papers(resident_client, officer):
    meeting = MeetingFactory()
    paper = services.add_meeting_paper(
        meeting=meeting,
        officer=officer,
        title="Budget",
        uploaded=SimpleUploadedFile("budget.pdf", PDF),
    )
    assert resident_client.get(f"/get-involved/meetings/{meeting.pk}/").status_code == 404
    assert (
        resident_client.get(f"/get-involved/meetings/{meeting.pk}/papers/{paper.pk}/").status_code
        == 404
    )
    with pytest.raises(services.EngagementError):
        services.reply_to_meeting(
            meeting=meeting, resident=factories.resident_with_home(), rsvp=Rsvp.ATTENDING
        )


def test_members_download_papers_and_read_the_minutes_after_the_meeting(
    resident_client, resident, officer
):
    membership = MembershipFactory(resident=resident)
    meeting = MeetingFactory(
        panel=membership.panel, starts_at=timezone.now() - dt.timedelta(days=2)
    )
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        # The papers go out before the meeting.
        paper = services.add_meeting_paper(
            meeting=meeting,
            officer=officer,
            title="Repairs report",
            uploaded=SimpleUploadedFile("report.pdf", PDF),
        )
    services.publish_minutes(
        meeting=meeting, officer=officer, minutes="The panel agreed to look at call-backs next."
    )
    page = resident_client.get(f"/get-involved/meetings/{meeting.pk}/").content.decode()
    assert "Repairs report" in page
    assert "agreed to look at call-backs" in page
    download = resident_client.get(f"/get-involved/meetings/{meeting.pk}/papers/{paper.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_paper_that_is_not_a_document_is_refused(officer_client):
    meeting = MeetingFactory()
    response = officer_client.post(
        f"/staff/engagement/meetings/{meeting.pk}/papers/",
        {
            "title": "Agenda",
            "kind": "paper",
            "document": SimpleUploadedFile("agenda.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert "must be a PDF, Word, Excel, CSV, JPG or PNG file" in response.content.decode()
    assert not meeting.papers.exists()


def test_minutes_cannot_be_published_before_the_meeting(officer):
    with pytest.raises(services.EngagementError):
        services.publish_minutes(meeting=MeetingFactory(), officer=officer, minutes="Too soon")


def test_each_member_is_reminded_once_in_their_preferred_channel(settings):
    settings.ENGAGEMENT_MEETING_REMINDER_HOURS = 48
    panel = PanelFactory()
    by_text = MembershipFactory(
        panel=panel, resident=factories.resident_with_home(preferred_channel=Channel.TEXT)
    )
    MembershipFactory(panel=panel)
    MembershipFactory(panel=panel, status="left")
    soon = MeetingFactory(panel=panel, starts_at=timezone.now() + dt.timedelta(hours=30))
    MeetingFactory(panel=panel, starts_at=timezone.now() + dt.timedelta(days=10))  # not yet
    cancelled = MeetingFactory(panel=panel, starts_at=timezone.now() + dt.timedelta(hours=20))
    cancelled.cancelled_at = timezone.now()
    cancelled.save()

    assert send_meeting_reminders.delay().get() == {"reminders": 2}
    assert send_meeting_reminders.delay().get() == {"reminders": 0}
    assert MeetingReminder.objects.filter(meeting=soon).count() == 2
    reminders = Notification.objects.filter(template="engagement_meeting_reminder")
    assert reminders.count() == 2
    text = reminders.get(resident=by_text.resident)
    assert text.channel == "text"
    assert soon.place in text.body

    # Someone who joins after the reminders went is reminded on the next sweep; nobody else is.
    late = MembershipFactory(panel=panel)
    assert services.send_meeting_reminders() == 1
    assert reminders.filter(resident=late.resident).count() == 1


def test_cancelling_a_meeting_tells_members(officer_client):
    membership = MembershipFactory()
    meeting = MeetingFactory(panel=membership.panel)
    officer_client.post(f"/staff/engagement/meetings/{meeting.pk}/cancel/")
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    assert Notification.objects.filter(
        template="engagement_meeting_cancelled", resident=membership.resident
    ).exists()


def test_staff_schedule_a_meeting_and_record_who_came(officer_client, officer):
    membership = MembershipFactory()
    panel = membership.panel
    day = timezone.localdate() + dt.timedelta(days=14)
    response = officer_client.post(
        f"/staff/engagement/panels/{panel.slug}/meetings/new/",
        {
            "title": "Quarterly meeting",
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "starts": "6:30pm",
            "ends": "20:00",
            "place": "",
            "online_link": "",
            "agenda": "Welcome",
        },
    )
    assert "Enter a place, an online link, or both" in response.content.decode()
    response = officer_client.post(
        f"/staff/engagement/panels/{panel.slug}/meetings/new/",
        {
            "title": "Quarterly meeting",
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "starts": "6:30pm",
            "ends": "20:00",
            "place": "Civic Centre",
            "online_link": "",
            "agenda": "Welcome",
        },
    )
    assert response.status_code == 302
    meeting = panel.meetings.get()
    assert timezone.localtime(meeting.starts_at).hour == 18

    past = MeetingFactory(panel=panel, starts_at=timezone.now() - dt.timedelta(hours=3))
    officer_client.post(
        f"/staff/engagement/meetings/{past.pk}/attendance/",
        {"present": [str(membership.resident_id)]},
    )
    assert MeetingAttendance.objects.get(meeting=past).attended is True


def test_a_member_who_left_keeps_the_meetings_they_were_on_the_panel_for_but_not_later_ones(
    resident_client, resident
):
    membership = MembershipFactory(resident=resident)
    before = MeetingFactory(panel=membership.panel, starts_at=timezone.now() - dt.timedelta(days=7))
    services.leave_panel(membership=membership, resident=resident)
    after = MeetingFactory(panel=membership.panel, starts_at=timezone.now() + dt.timedelta(days=7))
    assert resident_client.get(f"/get-involved/meetings/{before.pk}/").status_code == 200
    assert resident_client.get(f"/get-involved/meetings/{after.pk}/").status_code == 404
