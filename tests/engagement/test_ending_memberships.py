"""Staff end a membership with a reason: the resident is told, the end is audited, and the
panel's past members show why (to staff)."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement import services
from engagement.models import MembershipEndReason, MembershipStatus
from portal.models import AuditEntry, Channel, Notification
from tests import factories
from tests.engagement.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ENDING = {
    "reason": MembershipEndReason.MOVED_AWAY,
    "message": "As you have moved to a home outside Hollybank, you can no longer sit on this panel.",
    "note": "Moved to Riverside on 1 November; tenancy ref checked.",
}


def test_an_officer_ends_a_membership_the_resident_is_told_and_it_is_audited(
    officer_client, officer, client
):
    membership = MembershipFactory(
        resident=factories.resident_with_home(preferred_channel=Channel.TEXT)
    )
    resident = membership.resident
    url = f"/staff/engagement/memberships/{membership.pk}/end/"

    page = officer_client.get(f"/staff/engagement/panels/{membership.panel.slug}/").content
    assert url.encode() in page

    response = officer_client.post(url, ENDING)
    assert response.status_code == 302

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    assert membership.end_reason == MembershipEndReason.MOVED_AWAY
    assert membership.ended_by == officer
    assert membership.ended_at is not None

    message = Notification.objects.get(template="engagement_membership_ended", resident=resident)
    assert message.channel == "text"
    assert "outside Hollybank" in message.body
    assert "Riverside" not in message.body  # the staff note stays with staff

    audit = AuditEntry.objects.get(subject__contains=f"panel membership {membership.pk} ended")
    assert audit.actor == officer.user
    assert audit.resident == resident
    assert audit.detail == {"reason": "moved_away"}

    past = officer_client.get(
        f"/staff/engagement/panels/{membership.panel.slug}/?show=past"
    ).content.decode()
    assert resident.full_name in past
    assert "No longer eligible after moving home" in past
    assert "Riverside on 1 November" in past

    # The resident's "Your panels" shows it ended, with our message but not the staff reason.
    client.force_login(resident.user)
    mine = client.get("/get-involved/your-panels/").content.decode()
    assert "Membership ended" in mine
    assert "outside Hollybank" in mine
    assert "No longer eligible after moving home" not in mine
    assert "Riverside on 1 November" not in mine
    assert 'href="/get-involved/memberships/' not in mine  # no "Leave" link any more


def test_a_resident_cannot_end_a_membership(resident_client):
    membership = MembershipFactory()
    url = f"/staff/engagement/memberships/{membership.pk}/end/"
    assert resident_client.get(url).status_code == 403
    assert resident_client.post(url, ENDING).status_code == 403
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER
    assert not Notification.objects.filter(template="engagement_membership_ended").exists()


def test_ending_needs_a_reason_and_a_message_and_keeps_what_was_typed(officer_client):
    membership = MembershipFactory()
    response = officer_client.post(
        f"/staff/engagement/memberships/{membership.pk}/end/",
        {"reason": "", "message": "", "note": "Asked by phone"},
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Select why the membership is ending" in page
    assert "Write a message to the resident" in page
    assert "Asked by phone" in page
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER


def test_a_membership_ends_once(officer):
    membership = MembershipFactory()
    services.end_membership(
        membership=membership,
        officer=officer,
        reason=MembershipEndReason.CONDUCT,
        message="We have written to you about the last meeting.",
    )
    with pytest.raises(services.EngagementError, match="Only a member"):
        services.end_membership(
            membership=membership,
            officer=officer,
            reason=MembershipEndReason.CONDUCT,
            message="Again",
        )
    assert Notification.objects.filter(template="engagement_membership_ended").count() == 1


def test_a_former_member_keeps_the_meetings_held_while_they_were_on_the_panel(
    resident_client, resident, officer
):
    membership = MembershipFactory(resident=resident)
    before = MeetingFactory(panel=membership.panel, starts_at=timezone.now() - dt.timedelta(days=7))
    services.end_membership(
        membership=membership,
        officer=officer,
        reason=MembershipEndReason.TERM_ENDED,
        message="Your term has ended. Thank you.",
    )
    after = MeetingFactory(panel=membership.panel)
    assert resident_client.get(f"/get-involved/meetings/{before.pk}/").status_code == 200
    assert resident_client.get(f"/get-involved/meetings/{after.pk}/").status_code == 404
