"""Neighbourhood plans and the community fund in a real browser: the demo tenant votes on their
neighbourhood's priorities and applies for funding; an officer scores and approves the application
and posts progress on a plan action; the neighbourhood page shows the actions and progress. axe-core
checks each page on the way."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.plans import services
from engagement.plans.models import ApplicationStatus, Ballot, ProjectApplication
from portal.models import Notification
from tests import factories
from tests.browser.conftest import assert_accessible, demo_neighbourhood, follow, sign_in
from tests.plans.factories import fund_with_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    patch, officer, manager, tenant = demo_neighbourhood()

    today = timezone.localdate()
    offered = [
        ("safety", "Safety", ""),
        ("cleanliness", "Cleanliness", ""),
        ("asb", "Anti-social behaviour", ""),
    ]
    last_year = services.create_plan(
        officer=officer,
        neighbourhood=patch,
        title="Northgate neighbourhood plan 2025/26",
        voting_opens_on=today - dt.timedelta(days=400),
        voting_closes_on=today - dt.timedelta(days=370),
        priorities=offered,
    )
    services.publish_plan(plan=last_year, officer=manager)
    last_year.refresh_from_db()
    action = services.add_action(
        plan=last_year,
        officer=officer,
        priority=last_year.priorities.get(title="Safety"),
        title="LED lighting on the Hollybank Road footpath",
        owner=officer,
        partner="Millbrook Council highways",
        due_on=today + dt.timedelta(days=30),
    )
    this_year = services.create_plan(
        officer=officer,
        neighbourhood=patch,
        title="Northgate neighbourhood plan 2026/27",
        voting_opens_on=today - dt.timedelta(days=5),
        voting_closes_on=today + dt.timedelta(days=20),
        priorities=[*offered, ("community_spaces", "Community spaces", "")],
    )
    services.publish_plan(plan=this_year, officer=manager)
    fund = fund_with_criteria(
        name="Millbrook community fund", budget_pence=2_500_000, max_award_pence=250_000
    )
    return {
        "tenant": tenant,
        "officer": officer,
        "plan": this_year,
        "action": action,
        "fund": fund,
        "patch": patch,
    }


def test_the_tenant_votes_and_applies_and_an_officer_approves_and_reports_progress(
    open_tab, site, people, screenshots
):
    tenant_page = open_tab("tenant@example.com")

    # The home page asks the tenant to vote; the plan page lists the priorities.
    assert "Voting on the" in tenant_page.locator("main").inner_text()
    tenant_page.get_by_role("link", name="Get involved", exact=True).first.click()
    follow(tenant_page.get_by_role("link", name="Your neighbourhood plan"))
    assert (
        tenant_page.get_by_role("heading", level=1).inner_text()
        == "Northgate neighbourhood plan 2026/27"
    )
    assert "LED lighting on the Hollybank Road footpath" in tenant_page.locator("main").inner_text()
    assert_accessible(tenant_page)
    follow(tenant_page.get_by_role("button", name="Vote for your priorities"))
    assert_accessible(tenant_page)

    # Choosing the same priority twice is caught, and the choices made are kept.
    tenant_page.get_by_label("Your first choice").select_option(label="Anti-social behaviour")
    tenant_page.get_by_label("Your second choice (optional)").select_option(
        label="Anti-social behaviour"
    )
    follow(tenant_page.get_by_role("button", name="Send your vote"))
    assert (
        "You have already chosen this priority"
        in tenant_page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(tenant_page)
    tenant_page.get_by_label("Your second choice (optional)").select_option(label="Cleanliness")
    tenant_page.get_by_label("Your third choice (optional)").select_option(label="Safety")
    screenshots(tenant_page, "1-tenant-vote")
    follow(tenant_page.get_by_role("button", name="Send your vote"))
    main = tenant_page.locator("main").inner_text()
    assert "Thank you: your vote has been counted." in main
    assert "You voted for: Anti-social behaviour, Cleanliness, Safety." in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "2-tenant-voted")
    ballot = Ballot.objects.get(resident=people["tenant"])
    assert [c.priority.title for c in ballot.choices.order_by("rank")] == [
        "Anti-social behaviour",
        "Cleanliness",
        "Safety",
    ]

    # The tenant applies to the community fund: a blank form shows its errors first.
    tenant_page.get_by_role("link", name="Get involved", exact=True).first.click()
    follow(tenant_page.get_by_role("link", name="Community fund", exact=True))
    assert_accessible(tenant_page)
    tenant_page.get_by_role("button", name="Apply for funding").click()
    follow(tenant_page.get_by_role("button", name="Send your application"))
    assert (
        "Enter the name of your project" in tenant_page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(tenant_page)
    tenant_page.get_by_label("Name of your project").fill("Hollybank Road book swap box")
    tenant_page.get_by_label("What do you want to do?").fill(
        "A weatherproof book swap box by the bus stop."
    )
    tenant_page.get_by_label("Where will it happen?").fill("Hollybank Road, by the bus stop")
    tenant_page.get_by_label("Who will benefit, and how?").fill(
        "Children and adults who love reading."
    )
    tenant_page.get_by_label("How much are you asking for?").fill("350")
    screenshots(tenant_page, "3-tenant-apply")
    follow(tenant_page.get_by_role("button", name="Send your application"))
    application = ProjectApplication.objects.get()
    assert tenant_page.url == f"{site}/community-fund/your-applications/{application.reference}/"
    assert "We have received your application" in tenant_page.locator("main").inner_text()
    assert_accessible(tenant_page)

    # An officer scores it against the published criteria and approves it.
    staff_page = open_tab("officer@example.com")
    staff_page.goto(f"{site}/staff/plans/fund/")
    assert_accessible(staff_page)
    follow(staff_page.get_by_role("link", name="Hollybank Road book swap box"))
    assert "Amira Hussain" in staff_page.locator("main").inner_text()
    assert_accessible(staff_page)
    staff_page.get_by_role("button", name="Score against the criteria").click()
    staff_page.get_by_role("group", name="Benefits the community").get_by_label("4").check()
    staff_page.get_by_role("group", name="Value for money").get_by_label("5").check()
    assert_accessible(staff_page)
    follow(staff_page.get_by_role("button", name="Save your scores"))
    assert "Your scores are saved." in staff_page.locator("main").inner_text()
    staff_page.get_by_role("button", name="Decide").click()
    staff_page.get_by_role("radio", name="Approve").check()
    staff_page.get_by_label("Amount awarded (if approved)").fill("300")
    staff_page.get_by_label("Reasons").fill("Good value, and reaches residents of every age.")
    assert_accessible(staff_page)
    screenshots(staff_page, "4-officer-decides")
    follow(staff_page.get_by_role("button", name="Record the decision"))
    assert "Approved. The applicant has been told." in staff_page.locator("main").inner_text()
    assert_accessible(staff_page)
    application.refresh_from_db()
    assert (application.status, application.awarded_pence) == (ApplicationStatus.APPROVED, 30_000)
    assert Notification.objects.filter(
        resident=people["tenant"], template="plans_application_decided"
    ).exists()

    # The fund's figures: awarded and what is left.
    staff_page.goto(f"{site}/staff/plans/fund/")
    figures = staff_page.locator("main").inner_text()
    assert "£300" in figures and "£24,700" in figures

    # The officer posts progress on last year's action; the neighbourhood page shows it.
    staff_page.goto(f"{site}/staff/plans/{people['action'].plan_id}/")
    assert_accessible(staff_page)
    staff_page.get_by_role(
        "link", name="Post progress on LED lighting on the Hollybank Road footpath"
    ).click()
    staff_page.get_by_label("What has happened").fill("All eight lamps are on.")
    staff_page.get_by_role("radio", name="Done").check()
    assert_accessible(staff_page)
    follow(staff_page.get_by_role("button", name="Publish the update"))
    assert "The update is published" in staff_page.locator("main").inner_text()

    tenant_page.goto(f"{site}/neighbourhood-plans/{people['patch'].pk}/")
    main = tenant_page.locator("main").inner_text()
    assert "All eight lamps are on." in main
    assert "1 of 1 action done." in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "5-neighbourhood-page")

    # The tenant reads the decision on their application.
    tenant_page.goto(f"{site}/community-fund/your-applications/{application.reference}/")
    main = tenant_page.locator("main").inner_text()
    assert "We awarded £300" in main
    assert "Good value, and reaches residents of every age." in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "6-tenant-decision")


def test_a_panel_member_scores_an_application_and_a_neighbour_supports_it(
    browser, site, people, screenshots
):
    from tests.plans.conftest import make_panel_member
    from tests.plans.factories import resident_in

    panel_member = resident_in(
        people["patch"], first_name="Dev", last_name="Patel", email="dev@example.com"
    )
    make_panel_member(panel_member)
    resident_in(people["patch"], first_name="Ruth", last_name="Okafor", email="ruth@example.com")
    application = services.apply_for_funding(
        resident=people["tenant"],
        fund=people["fund"],
        title="Castle Fields planters",
        what="Eight planters with bulbs along Keep Road.",
        where="Keep Road",
        who_benefits="Everyone who walks down Keep Road.",
        cost_pence=150_000,
    )

    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, site, "ruth@example.com", factories.PASSWORD)
    page.goto(f"{site}/community-fund/projects/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Castle Fields planters"))
    assert "Amira" not in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Why you support it (optional)").fill("Keep Road needs some colour.")
    follow(page.get_by_role("button", name="Add your support"))
    expect(page.locator("main")).to_contain_text("Thank you: your support has been added.")
    expect(page.locator("main")).to_contain_text("You support this project")
    assert_accessible(page)
    screenshots(page, "7-neighbour-supports-phone")
    page.context.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, site, "dev@example.com", factories.PASSWORD)
    page.goto(f"{site}/community-fund/")
    follow(page.get_by_role("link", name="Assess applications waiting for a decision"))
    assert_accessible(page)
    follow(page.get_by_role("link", name="Castle Fields planters"))
    assert "Amira" not in page.locator("main").inner_text()
    follow(page.get_by_role("button", name="Save your scores"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose a score for Benefits the community"
    )
    assert_accessible(page)
    page.get_by_role("group", name="Benefits the community").get_by_label("5").check()
    page.get_by_role("group", name="Value for money").get_by_label("3").check()
    screenshots(page, "8-panel-member-scores")
    follow(page.get_by_role("button", name="Save your scores"))
    expect(page.locator("main")).to_contain_text("Your scores for")
    assert_accessible(page)
    assessment = application.assessments.get()
    assert (assessment.resident, assessment.total_score) == (panel_member, 8)
    page.context.close()
