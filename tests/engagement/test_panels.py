"""Panels: who may join, applying, deciding, withdrawing, leaving, terms, and who is represented."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement import selectors, services
from engagement.models import MembershipStatus, PanelKind, PanelMembership, SupportNeed
from portal.models import AuditEntry, Notification, Tenure
from tests import factories
from tests.engagement.factories import MeetingFactory, MembershipFactory, PanelFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "why": "I have lived here 20 years and want repairs to be better.",
    "interests": "Repairs",
    "availability": "Evenings",
    "support_needs": [SupportNeed.CHILDCARE, SupportNeed.LARGE_PRINT],
    "support_other": "",
}


def test_a_leaseholder_only_panel_takes_leaseholders_and_turns_tenants_away(client):
    panel = PanelFactory(name="Leaseholder panel", open_to_tenures=[Tenure.LEASEHOLD])
    tenant = factories.resident_with_home(tenure=Tenure.SOCIAL_RENT)
    leaseholder = factories.resident_with_home(tenure=Tenure.LEASEHOLD)

    assert not selectors.may_join(panel, tenant)
    assert selectors.may_join(panel, leaseholder)
    with pytest.raises(services.EngagementError, match="leasehold"):
        services.apply_to_panel(panel=panel, resident=tenant, **APPLICATION)

    client.force_login(tenant.user)
    page = client.get(f"/get-involved/panels/{panel.slug}/").content.decode()
    assert "you cannot apply to it" in page
    assert "Apply to join" not in page
    assert client.post(f"/get-involved/panels/{panel.slug}/apply/", APPLICATION).status_code == 302
    assert not PanelMembership.objects.exists()

    client.force_login(leaseholder.user)
    response = client.post(f"/get-involved/panels/{panel.slug}/apply/", APPLICATION)
    assert response.status_code == 302
    membership = PanelMembership.objects.get()
    assert membership.resident == leaseholder
    assert membership.status == MembershipStatus.APPLIED
    assert membership.support_labels() == ["Childcare", "Papers in large print"]


def test_a_panel_for_one_estate_is_only_for_residents_living_there():
    estate = factories.EstateFactory(name="Hollybank")
    panel = PanelFactory(open_to_tenures=[])
    panel.open_to_estates.set([estate])
    inside = factories.ResidentFactory()
    factories.TenancyFactory(home=factories.HomeFactory(estate=estate), residents=[inside])
    outside = factories.resident_with_home()
    assert selectors.may_join(panel, inside)
    assert not selectors.may_join(panel, outside)


def test_applying_twice_makes_one_application_and_tells_the_resident_once(
    resident_client, resident
):
    panel = PanelFactory()
    url = f"/get-involved/panels/{panel.slug}/apply/"
    resident_client.post(url, APPLICATION)
    resident_client.post(url, APPLICATION)
    assert PanelMembership.objects.filter(resident=resident).count() == 1
    assert Notification.objects.filter(template="engagement_application_received").count() == 1


def test_a_blank_application_shows_errors_and_keeps_what_was_typed(resident_client):
    panel = PanelFactory()
    response = resident_client.post(
        f"/get-involved/panels/{panel.slug}/apply/", {"why": "", "interests": "Estate cleaning"}
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Tell us why you would like to join" in page
    assert "Estate cleaning" in page


def test_a_resident_can_withdraw_their_application_but_not_someone_elses(
    client, resident_client, resident
):
    panel = PanelFactory()
    mine = services.apply_to_panel(panel=panel, resident=resident, **APPLICATION)
    theirs = services.apply_to_panel(
        panel=panel, resident=factories.resident_with_home(), **APPLICATION
    )

    assert (
        resident_client.post(f"/get-involved/applications/{theirs.pk}/withdraw/").status_code == 404
    )
    resident_client.post(f"/get-involved/applications/{mine.pk}/withdraw/")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == MembershipStatus.WITHDRAWN
    assert theirs.status == MembershipStatus.APPLIED
    # Having withdrawn, they may apply again later.
    again = services.apply_to_panel(panel=panel, resident=resident, **APPLICATION)
    assert again.pk != mine.pk


def test_staff_accept_an_application_with_a_message_and_the_term_starts(officer_client, officer):
    panel = PanelFactory(term_months=24)
    role = panel.portfolio_roles.create(name="Repairs contract")
    resident = factories.resident_with_home()
    membership = services.apply_to_panel(panel=panel, resident=resident, **APPLICATION)

    page = officer_client.get(f"/staff/engagement/applications/{membership.pk}/").content.decode()
    assert "Papers in large print" in page
    response = officer_client.post(
        f"/staff/engagement/applications/{membership.pk}/",
        {
            "decision": "accept",
            "message": "Welcome aboard. Our first meeting is on the 3rd.",
            "portfolio_role": role.pk,
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    today = timezone.localdate()
    assert membership.status == MembershipStatus.MEMBER
    assert membership.term_starts_on == today
    assert membership.term_ends_on > today + dt.timedelta(days=700)
    assert membership.portfolio_role == role
    assert membership.decided_by == officer
    message = Notification.objects.get(template="engagement_application_accepted")
    assert "Welcome aboard" in message.body
    assert AuditEntry.objects.filter(resident=resident, action="view").exists()
    assert AuditEntry.objects.filter(resident=resident, action="change").exists()
    assert selectors.is_active_panel_member(resident)
    assert selectors.is_member_of_panel_kind(resident, PanelKind.SCRUTINY)
    assert not selectors.is_member_of_panel_kind(resident, PanelKind.FORUM)


def test_a_declined_resident_is_told_why_and_is_not_a_member(officer):
    membership = services.apply_to_panel(
        panel=PanelFactory(), resident=factories.resident_with_home(), **APPLICATION
    )
    services.decide_application(
        membership=membership, officer=officer, accept=False, message="The panel is full this year."
    )
    assert (
        "The panel is full this year."
        in Notification.objects.get(template="engagement_application_declined").body
    )
    assert not selectors.is_active_panel_member(membership.resident)
    with pytest.raises(services.EngagementError):
        services.decide_application(
            membership=membership, officer=officer, accept=True, message="Oops"
        )


def test_members_can_leave_at_any_time_and_then_are_not_members(resident_client, resident):
    membership = MembershipFactory(resident=resident)
    response = resident_client.post(
        f"/get-involved/memberships/{membership.pk}/leave/", {"reason": "Moving away"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT
    assert membership.leaving_reason == "Moving away"
    assert not selectors.is_active_panel_member(resident)


def test_a_member_whose_term_has_ended_is_not_a_current_member_until_renewed(officer):
    membership = MembershipFactory(term_ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert not selectors.is_active_panel_member(membership.resident)
    services.renew_membership(membership=membership, officer=officer)
    assert membership.term_ends_on > timezone.localdate() + dt.timedelta(days=700)
    assert selectors.is_active_panel_member(membership.resident)


def test_the_home_page_shows_the_residents_panels_and_next_meeting(
    resident_client, resident, django_assert_max_num_queries
):
    membership = MembershipFactory(resident=resident)
    MeetingFactory(panel=membership.panel, title="Budget meeting")
    with django_assert_max_num_queries(30):
        page = resident_client.get("/").content.decode()
    assert "Your panels" in page
    assert membership.panel.name in page
    assert "Budget meeting" in page
    assert "You have not replied yet" in page


def test_staff_see_which_tenures_and_estates_have_no_members(
    officer_client, django_assert_max_num_queries
):
    forum = PanelFactory(name="Tenant and leaseholder forum", kind=PanelKind.FORUM)
    empty_estate = factories.EstateFactory(name="Nobody Estate")
    for _ in range(3):
        MembershipFactory(panel=forum)
    rows = {row["panel"].pk: row for row in selectors.members_by_panel_and_tenure()}
    cells = {cell["tenure"]: cell["members"] for cell in rows[forum.pk]["cells"]}
    assert cells == {Tenure.SOCIAL_RENT: 3, Tenure.SHARED_OWNERSHIP: 0, Tenure.LEASEHOLD: 0}

    with django_assert_max_num_queries(16):
        page = officer_client.get("/staff/engagement/representation/").content.decode()
    assert "None" in page
    assert empty_estate.name in page
    estates = list(selectors.estates_with_members(forum))
    assert estates[0].members == 0
    assert sum(e.members for e in estates) == 3


def test_get_involved_lists_panels_and_lighter_ways_without_signing_in(
    client, django_assert_max_num_queries
):
    PanelFactory(name="Repairs engagement panel", kind=PanelKind.ENGAGEMENT)
    PanelFactory(name="Scrutiny panel")
    with django_assert_max_num_queries(10):
        page = client.get("/get-involved/").content.decode()
    assert "Repairs engagement panel" in page
    assert "Scrutiny panel" in page
    assert "Consultations" in page
    assert "You said, we did" in page


def test_staff_pages_need_an_officer_and_setting_up_panels_needs_a_manager(
    resident_client, client, officer
):
    assert resident_client.get("/staff/engagement/").status_code == 403
    client.force_login(officer.user)
    assert client.get("/staff/engagement/").status_code == 200
    assert client.get("/staff/engagement/panels/new/").status_code == 403


def test_a_manager_sets_up_a_panel_with_portfolio_roles(manager_client):
    response = manager_client.post(
        "/staff/engagement/panels/new/",
        {
            "name": "Repairs engagement panel",
            "kind": PanelKind.ENGAGEMENT,
            "theme": "Repairs",
            "purpose": "Improve repairs",
            "what_members_do": "Check the repairs contract",
            "time_commitment": "Two hours a month",
            "open_to_tenures": [Tenure.SOCIAL_RENT, Tenure.SHARED_OWNERSHIP],
            "roles": "Repairs contract\nHeating contract",
            "term_months": 12,
            "is_recruiting": "on",
        },
    )
    assert response.status_code == 302
    from engagement.models import Panel

    panel = Panel.objects.get()
    assert panel.slug == "repairs-engagement-panel"
    assert set(panel.portfolio_roles.values_list("name", flat=True)) == {
        "Repairs contract",
        "Heating contract",
    }
    assert panel.open_to_tenures == [Tenure.SOCIAL_RENT, Tenure.SHARED_OWNERSHIP]
