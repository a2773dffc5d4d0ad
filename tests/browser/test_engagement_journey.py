"""Resident voice in a real browser: the demo tenant finds the scrutiny panel, applies, is accepted
by an officer, sees the next meeting and replies; answers an open consultation; a manager publishes
its results and what changed ("you said, we did"); the landlord answers one of the panel's
recommendations and the tenant, now on the panel, reads the answer. axe-core checks each page."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement import services
from engagement.models import ConsultationResponse, MembershipStatus, Panel, PanelMembership, Rsvp
from tests.browser.conftest import assert_accessible, demo_neighbourhood, follow
from tests.engagement.factories import (
    MeetingFactory,
    MembershipFactory,
    ReviewFactory,
    consultation_with_questions,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    _, officer, manager, tenant = demo_neighbourhood()

    panel = services.save_panel(
        panel=Panel(
            name="Resident Scrutiny Panel",
            kind="scrutiny",
            purpose="Residents review one service at a time.",
            what_members_do="Ask for evidence, read it, and make recommendations.",
            time_commitment="4 hours a month",
        ),
        officer=manager,
        roles=["Repairs contract"],
    )
    MembershipFactory(panel=panel)
    MeetingFactory(
        panel=panel,
        title="Review planning meeting",
        starts_at=timezone.now() + dt.timedelta(days=9),
    )
    review = ReviewFactory(panel=panel, title="Keeping residents informed about repairs")
    services.record_findings(
        review=review, officer=officer, findings="Residents are told late.", summary="Told late."
    )
    services.add_recommendation(
        review=review, officer=officer, text="Text residents the day before every appointment."
    )
    services.send_recommendations(review=review, officer=officer)
    consultation, *_ = consultation_with_questions(
        title="Our draft tenant charter", slug="draft-tenant-charter"
    )
    return {"panel": panel, "review": review, "consultation": consultation, "tenant": tenant}


def test_a_tenant_joins_the_scrutiny_panel_answers_a_consultation_and_sees_the_landlords_answer(
    open_tab, site, story, screenshots
):
    tenant = open_tab("tenant@example.com")

    # Get involved: the panels, with the lighter ways beside them.
    follow(tenant.get_by_role("link", name="Get involved").first)
    assert tenant.get_by_role("heading", level=1).inner_text() == "Get involved"
    assert "Consultations" in tenant.locator("main").inner_text()
    assert_accessible(tenant)
    screenshots(tenant, "1-get-involved")
    follow(tenant.get_by_role("link", name="Resident Scrutiny Panel"))
    assert_accessible(tenant)
    tenant.get_by_role("button", name="Apply to join").click()
    follow(tenant.get_by_role("button", name="Send my application"))
    assert (
        "Tell us why you would like to join" in tenant.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(tenant)
    tenant.get_by_label("Why would you like to join?").fill(
        "I want repairs to work better for my neighbours."
    )
    tenant.get_by_label("Childcare").check()
    screenshots(tenant, "2-apply")
    follow(tenant.get_by_role("button", name="Send my application"))
    assert "We have your application" in tenant.locator("main").inner_text()
    assert_accessible(tenant)
    membership = PanelMembership.objects.get(resident=story["tenant"])
    assert membership.status == MembershipStatus.APPLIED

    # An officer accepts the application with a message.
    staff = open_tab("officer@example.com")
    staff.goto(f"{site}/staff/engagement/")
    assert_accessible(staff)
    follow(staff.get_by_role("link", name="1 application to the Resident Scrutiny Panel"))
    assert_accessible(staff)
    follow(staff.get_by_role("link", name="Decide on Amira Hussain's application"))
    assert "Childcare" in staff.locator("main").inner_text()
    staff.get_by_label("Accept as a member").check()
    staff.get_by_label("Message to the resident").fill(
        "Welcome! Our next meeting is on the agenda pack."
    )
    staff.get_by_label("Portfolio role (optional)").select_option(label="Repairs contract")
    assert_accessible(staff)
    follow(staff.get_by_role("button", name="Save the decision"))
    assert "Amira Hussain is now a member" in staff.locator("main").inner_text()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER

    # The tenant sees the panel and the next meeting on their home page, and replies.
    tenant.goto(f"{site}/")
    main = tenant.locator("main").inner_text()
    assert "Your panels" in main and "Review planning meeting" in main
    assert_accessible(tenant)
    screenshots(tenant, "3-home-with-panels")
    tenant.get_by_role("link", name="Resident Scrutiny Panel: Review planning meeting").click()
    tenant.get_by_label("Coming", exact=True).check()
    follow(tenant.get_by_role("button", name="Send my reply"))
    assert "We have your reply" in tenant.locator("main").inner_text()
    assert_accessible(tenant)
    screenshots(tenant, "4-meeting")
    assert (
        membership.panel.meetings.get().attendances.get(resident=story["tenant"]).rsvp
        == Rsvp.ATTENDING
    )

    # The tenant answers the open consultation.
    tenant.goto(f"{site}/consultations/")
    assert_accessible(tenant)
    tenant.get_by_role("link", name="Our draft tenant charter").click()
    follow(tenant.get_by_role("button", name="Answer the questions"))
    assert_accessible(tenant)
    tenant.get_by_label("Agree", exact=True).check()
    tenant.get_by_label("Safety").check()
    tenant.get_by_label("3. Anything else? (optional)").fill("Please add a promise about lifts.")
    screenshots(tenant, "5-consultation-answers")
    follow(tenant.get_by_role("button", name="Send my answers"))
    assert "Thank you. We have your answers." in tenant.locator("main").inner_text()
    assert_accessible(tenant)
    assert ConsultationResponse.objects.filter(resident=story["tenant"]).count() == 1

    # The consultation closes; a manager moderates, publishes the results and what changed.
    consultation = story["consultation"]
    consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.save()
    manager = open_tab("manager@example.com")
    manager.goto(f"{site}/staff/engagement/consultations/moderation/")
    assert_accessible(manager)
    manager.get_by_role("button", name="Approve comment 1").click()
    manager.goto(f"{site}/staff/engagement/consultations/{consultation.pk}/")
    assert_accessible(manager)
    manager.get_by_role("link", name="Publish the results").click()
    manager.get_by_label("Summary of the results").fill(
        "Everyone who answered agreed with the draft."
    )
    manager.get_by_role("button", name="Publish the results").click()
    manager.get_by_role("link", name="Publish what we changed").click()
    manager.get_by_label("What you told us").fill("You asked for a promise about lifts.")
    manager.get_by_label("What we changed").fill(
        "The charter now promises lifts fixed within 24 hours."
    )
    assert_accessible(manager)
    follow(manager.get_by_role("button", name="Publish what changed"))
    assert "listed in You said, we did" in manager.locator("main").inner_text()

    tenant.goto(f"{site}/consultations/draft-tenant-charter/")
    main = tenant.locator("main").inner_text()
    assert "Please add a promise about lifts." in main
    assert "The charter now promises lifts fixed within 24 hours." in main
    # Two charts, each shown in one layout (the compact one for phones is hidden on a desktop).
    assert tenant.locator("figure.ds-chart").count() == 2
    assert tenant.locator("svg.ds-chart__image:visible").count() == 2
    assert_accessible(tenant)
    screenshots(tenant, "6-consultation-results")
    tenant.goto(f"{site}/you-said-we-did/")
    assert "The charter now promises lifts" in tenant.locator("main").inner_text()
    assert_accessible(tenant)
    screenshots(tenant, "7-you-said-we-did")

    # The landlord answers the panel's recommendation; the tenant, now on the panel, reads it.
    review = story["review"]
    manager.goto(f"{site}/staff/engagement/reviews/{review.pk}/")
    assert_accessible(manager)
    manager.get_by_role("link", name="Respond to recommendation 1").click()
    manager.get_by_label("Partly accepted").check()
    manager.get_by_label("Reasons").fill(
        "We will text the day before; a second text costs too much for now."
    )
    follow(manager.get_by_role("button", name="Save the response"))
    assert "The panel can see it" in manager.locator("main").inner_text()
    screenshots(manager, "8-staff-review")

    tenant.goto(f"{site}/get-involved/your-panels/")
    follow(tenant.get_by_role("link", name="Keeping residents informed about repairs"))
    main = tenant.locator("main").inner_text()
    assert "Partly accepted" in main
    assert "a second text costs too much" in main
    assert_accessible(tenant)
    screenshots(tenant, "9-panel-sees-response")
