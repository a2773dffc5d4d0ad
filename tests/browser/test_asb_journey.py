"""Anti-social behaviour in a real browser: the demo tenant reports it and follows it; the patch
officer finds it in the case queue, records the risk assessment and the action plan, contacts the
tenant and sends an update, which the tenant then reads. axe-core checks each page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagement.asb.models import Action, AsbReport, RiskAssessment
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    demo_home,
    demo_officer,
    demo_team_leader,
    demo_tenant,
    follow,
    millbrook,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    millbrook()
    patch = factories.NeighbourhoodFactory(name="Northgate")
    leader = demo_team_leader()
    team = factories.TeamFactory(name="Neighbourhood Housing", leader=leader)
    officer = demo_officer(patch, team=team)
    estate = factories.EstateFactory(neighbourhood=patch, name="Hollybank")
    home = demo_home(estate=estate)
    factories.HomeFactory(estate=estate, address_line_1="22 Hollybank Road", postcode="MB1 3QT")
    tenant = demo_tenant(home)
    return {"tenant": tenant, "officer": officer}


def test_a_tenant_reports_asb_an_officer_plans_and_assesses_it_and_the_tenant_follows_it(
    open_tab, site, people, screenshots
):
    tenant_page = open_tab("tenant@example.com")

    # The tenant reports it; a blank form shows its errors first.
    tenant_page.goto(f"{site}/anti-social-behaviour/")
    assert_accessible(tenant_page)
    follow(tenant_page.get_by_role("button", name="Report anti-social behaviour"))
    assert (
        tenant_page.get_by_role("heading", level=1).inner_text() == "Report anti-social behaviour"
    )
    assert_accessible(tenant_page)
    follow(tenant_page.get_by_role("button", name="Send your report"))
    errors = tenant_page.locator(".govuk-error-summary").inner_text()
    assert "Tell us what happened" in errors and "Select what kind of behaviour it is" in errors
    assert_accessible(tenant_page)
    screenshots(tenant_page, "1-report-errors")

    yesterday = timezone.localdate() - timedelta(days=1)
    tenant_page.get_by_label("Verbal abuse, harassment or intimidation").check()
    tenant_page.get_by_label("What happened?").fill(
        "The man from number 22 swears at me and my children every evening."
    )
    tenant_page.get_by_label("Where did it happen?").fill("Outside my home, Hollybank Road")
    tenant_page.locator("input[name=happened_on_0]").fill(str(yesterday.day))
    tenant_page.locator("input[name=happened_on_1]").fill(str(yesterday.month))
    tenant_page.locator("input[name=happened_on_2]").fill(str(yesterday.year))
    tenant_page.locator("input[name=person_1_name]").fill("Wayne Carter")
    tenant_page.locator("input[name=person_1_address]").fill("22 Hollybank Road")
    tenant_page.get_by_label("Race or ethnicity").check()
    tenant_page.get_by_label("Are children affected?").check()
    tenant_page.get_by_label("Has this happened more than once?").check()
    follow(tenant_page.get_by_role("button", name="Send your report"))
    tenant_page.wait_for_load_state("load")
    report = AsbReport.objects.get()
    assert tenant_page.url == f"{site}/anti-social-behaviour/reports/{report.pk}/"
    main = tenant_page.locator("main").inner_text()
    assert "We have received your report." in main
    assert "We will contact you by end of" in main
    assert "Priya Shah" in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "2-tenant-report")

    # The officer finds it in the queue and opens the ASB case.
    reference = report.asb_case.case.reference
    staff_page = open_tab("officer@example.com")
    staff_page.goto(f"{site}/staff/queue/")
    staff_page.get_by_role("link", name=reference).first.click()
    follow(staff_page.get_by_role("link", name="Open the anti-social behaviour case"))
    assert staff_page.url == f"{site}/staff/asb/{reference}/"
    assert_accessible(staff_page)

    # The risk assessment.
    follow(staff_page.get_by_role("button", name="Assess the risk"))
    assert_accessible(staff_page)
    staff_page.get_by_label(
        "Is the victim afraid that they or their household will be harmed?"
    ).check()
    staff_page.get_by_label("Notes (optional)").fill("Threat of retaliation made.")
    follow(staff_page.get_by_role("button", name="Save the risk assessment"))
    assert "Risk assessed as high." in staff_page.locator("main").inner_text()
    assert RiskAssessment.objects.filter(assessed_by=people["officer"], level="high").exists()

    # The action plan.
    follow(staff_page.get_by_role("button", name="Add an action"))
    assert_accessible(staff_page)
    due = timezone.localdate() + timedelta(days=5)
    staff_page.get_by_label("What needs to be done").fill(
        "Visit Wayne Carter and give a verbal warning"
    )
    staff_page.locator("input[name=due_on_0]").fill(str(due.day))
    staff_page.locator("input[name=due_on_1]").fill(str(due.month))
    staff_page.locator("input[name=due_on_2]").fill(str(due.year))
    follow(staff_page.get_by_role("button", name="Add the action"))
    assert "Action added to the plan." in staff_page.locator("main").inner_text()
    assert Action.objects.get().owner == people["officer"]

    # A call to the tenant, and an update she will see.
    follow(staff_page.get_by_role("button", name="Record a contact"))
    assert_accessible(staff_page)
    staff_page.get_by_label("Phone call").check()
    staff_page.get_by_label("Yes").check()
    staff_page.get_by_role("button", name="Record the contact").click()
    follow(staff_page.get_by_role("button", name="Update the reporters"))
    assert_accessible(staff_page)
    staff_page.get_by_label("Update").fill(
        "I visited your neighbour today and gave him a verbal warning."
    )
    follow(staff_page.get_by_role("button", name="Send the update"))
    main = staff_page.locator("main").inner_text()
    assert "Update sent to 1 reporter." in main
    assert "Visit Wayne Carter and give a verbal warning" in main
    assert "Threat of retaliation made." in main
    assert_accessible(staff_page)
    screenshots(staff_page, "3-officer-case")

    staff_page.goto(f"{site}/staff/asb/")
    assert reference in staff_page.locator("main").inner_text()
    assert_accessible(staff_page)
    screenshots(staff_page, "4-officer-list")
    staff_page.goto(f"{site}/staff/asb/nm01/")
    assert "NM01" in staff_page.locator("h1").inner_text()
    # The month-by-month chart, its text alternative and the same figures in a table beside it.
    chart = staff_page.get_by_role("img", name="Anti-social behaviour cases opened each month")
    assert chart.count() == 1
    assert "1 case" in chart.locator("desc").text_content()
    assert staff_page.get_by_role("table", name="Cases opened each month").count() == 1
    assert "Compared with" in staff_page.locator("#compared").inner_text()
    assert_accessible(staff_page)
    screenshots(staff_page, "5-nm01")

    # The tenant follows her report: the call, the kept promise and the update.
    tenant_page.reload()
    main = tenant_page.locator("main").inner_text()
    assert "Priya Shah called you." in main
    assert "I visited your neighbour today and gave him a verbal warning." in main
    assert "Contact you: done on" in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "6-tenant-follows")
