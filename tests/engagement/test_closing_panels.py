"""A manager closes a panel: applications waiting are declined with a message, members are told,
it leaves "Get involved" and takes no applications, its published reviews stay public; a manager
can reopen it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from engagement import selectors, services
from engagement.models import MembershipStatus, PanelMembership
from portal.models import AuditEntry, Notification
from tests import factories
from tests.engagement.factories import (
    MeetingFactory,
    MembershipFactory,
    PanelFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

CLOSING = {"message": "The forum is merging with the customer committee from April."}
APPLICATION = {"why": "I want to help.", "interests": "", "availability": "", "support_other": ""}


def test_closing_a_panel_declines_applications_tells_members_and_hides_it(manager_client, manager):
    client = Client()
    panel = PanelFactory(name="Hollybank voices")
    member = MembershipFactory(panel=panel)
    applicant = MembershipFactory(panel=panel, status=MembershipStatus.APPLIED)
    upcoming = MeetingFactory(panel=panel)
    review = ReviewFactory(
        panel=panel, published_at=timezone.now(), summary="We looked at repairs."
    )
    assert panel.name in client.get("/get-involved/").content.decode()

    assert manager_client.get(f"/staff/engagement/panels/{panel.slug}/close/").status_code == 200
    response = manager_client.post(f"/staff/engagement/panels/{panel.slug}/close/", CLOSING)
    assert response.status_code == 302

    panel.refresh_from_db()
    assert not panel.is_active and panel.closed_by == manager
    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.DECLINED
    assert applicant.decision_message == CLOSING["message"]
    upcoming.refresh_from_db()
    assert upcoming.cancelled_at is not None

    told = Notification.objects.filter(template="engagement_panel_closed")
    assert {n.resident_id for n in told} == {member.resident_id, applicant.resident_id}
    assert "cannot offer you a place" in told.get(resident=applicant.resident).body
    assert "merging with the customer committee" in told.get(resident=member.resident).body
    assert AuditEntry.objects.filter(subject=f"panel {panel.slug} closed").exists()

    # Gone from Get involved and its own page, but its published review is still public.
    assert panel.name not in client.get("/get-involved/").content.decode()
    assert client.get(f"/get-involved/panels/{panel.slug}/").status_code == 404
    assert client.get(f"/get-involved/scrutiny/{review.slug}/").status_code == 200
    assert review.title in client.get("/get-involved/scrutiny/").content.decode()
    assert not selectors.is_active_panel_member(member.resident)

    # Staff still find it, marked closed.
    staff_page = manager_client.get(f"/staff/engagement/panels/{panel.slug}/").content.decode()
    assert "This panel closed on" in staff_page
    assert "Reopen the panel" in staff_page
    assert "Closed panels" in manager_client.get("/staff/engagement/").content.decode()


def test_a_closed_panel_refuses_applications(client):
    panel = PanelFactory()
    services.close_panel(
        panel=panel,
        officer=factories.OfficerFactory(role="manager", patch=None),
        message=CLOSING["message"],
    )
    resident = factories.resident_with_home()
    with pytest.raises(services.EngagementError, match="not looking for new members"):
        services.apply_to_panel(panel=panel, resident=resident, **APPLICATION)
    client.force_login(resident.user)
    assert client.post(f"/get-involved/panels/{panel.slug}/apply/", APPLICATION).status_code == 404
    assert not PanelMembership.objects.filter(panel=panel).exists()


def test_a_closed_panel_takes_no_new_meetings_or_members(manager):
    panel = PanelFactory()
    applicant = MembershipFactory(panel=panel, status=MembershipStatus.APPLIED)
    services.close_panel(panel=panel, officer=manager, message="Closing")
    with pytest.raises(services.EngagementError, match="closed"):
        services.schedule_meeting(
            panel=panel,
            officer=manager,
            title="Meeting",
            starts_at=timezone.now() + dt.timedelta(days=3),
            place="Civic Centre",
        )
    with pytest.raises(services.EngagementError, match="already been decided"):
        services.decide_application(
            membership=applicant, officer=manager, accept=True, message="Welcome"
        )


def test_only_a_manager_closes_or_reopens_a_panel(officer_client, officer):
    panel = PanelFactory()
    assert officer_client.get(f"/staff/engagement/panels/{panel.slug}/close/").status_code == 403
    assert (
        officer_client.post(f"/staff/engagement/panels/{panel.slug}/close/", CLOSING).status_code
        == 403
    )
    with pytest.raises(services.EngagementError, match="Only a manager"):
        services.close_panel(panel=panel, officer=officer, message="Closing")
    panel.refresh_from_db()
    assert panel.is_active
    assert (
        "Close the panel"
        not in officer_client.get(f"/staff/engagement/panels/{panel.slug}/").content.decode()
    )


def test_a_manager_reopens_a_panel_with_its_members(manager_client, manager):
    client = Client()
    panel = PanelFactory(name="Estate services panel")
    member = MembershipFactory(panel=panel)
    services.close_panel(panel=panel, officer=manager, message="Paused for the summer.")

    client.force_login(member.resident.user)
    mine = client.get("/get-involved/your-panels/").content.decode()
    assert "Panel closed" in mine and "Paused for the summer." in mine

    response = manager_client.post(f"/staff/engagement/panels/{panel.slug}/reopen/")
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.is_active and panel.closed_at is None
    assert panel.name in client.get("/get-involved/").content.decode()
    assert selectors.is_active_panel_member(member.resident)
    assert AuditEntry.objects.filter(subject=f"panel {panel.slug} reopened").exists()
