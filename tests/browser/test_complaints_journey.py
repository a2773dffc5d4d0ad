"""A complaint from start to stage 2 in a real browser: the tenant complains online, an officer
acknowledges and answers it from the staff pages, the tenant reads the acknowledgement, the deadline
and the response, and escalates with one click. axe-core checks each page on the way."""

import pytest

from complaints.models import Complaint, ComplaintStatus
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    demo_home,
    demo_manager,
    demo_officer,
    demo_team_leader,
    demo_tenant,
    follow,
    millbrook,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people():
    patch = factories.NeighbourhoodFactory(name="Northgate")
    leader = demo_team_leader()
    team = factories.TeamFactory(name="Neighbourhood Housing", leader=leader)
    officer = demo_officer(patch, team=team)
    manager = demo_manager()
    millbrook(
        address="The Old Library\n1 Market Square\nMillbrook\nMB1 1AA", complaints_manager=manager
    )
    home = demo_home(estate=factories.EstateFactory(neighbourhood=patch, name="Hollybank"))
    tenant = demo_tenant(home)
    return {"tenant": tenant, "officer": officer, "manager": manager}


def test_a_tenant_complains_an_officer_answers_and_the_tenant_escalates_to_stage_2(
    open_tab, site, people, screenshots
):
    tenant_page = open_tab("tenant@example.com")

    # The tenant makes a complaint online, with a document; a blank form shows its errors first.
    tenant_page.goto(f"{site}/complaints/")
    assert_accessible(tenant_page)
    follow(tenant_page.get_by_role("button", name="Make a complaint"))
    assert tenant_page.get_by_role("heading", level=1).inner_text() == "Make a complaint"
    assert_accessible(tenant_page)
    follow(tenant_page.get_by_role("button", name="Send your complaint"))
    assert "Tell us what happened" in tenant_page.locator(".govuk-error-summary").inner_text()
    assert_accessible(tenant_page)
    tenant_page.get_by_label("What happened?").fill(
        "The gas engineer missed two appointments for my boiler service and nobody told me."
    )
    tenant_page.get_by_label("What would you like us to do to put things right?").fill(
        "An apology and a new date."
    )
    tenant_page.set_input_files(
        "input[name=documents]",
        files=[
            {"name": "appointment-letter.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        ],
    )
    follow(tenant_page.get_by_role("button", name="Send your complaint"))
    tenant_page.wait_for_load_state("load")
    complaint = Complaint.objects.get()
    assert tenant_page.url == f"{site}/complaints/{complaint.reference}/"
    main = tenant_page.locator("main").inner_text()
    assert "We have received your complaint" in main
    assert "We will acknowledge your complaint by end of" in main
    assert "appointment-letter.pdf" in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "1-tenant-complaint-received")

    # An officer works it from the staff pages: acknowledge, then answer from the structured form.
    staff_page = open_tab("officer@example.com")
    staff_page.goto(f"{site}/staff/complaints/")
    assert_accessible(staff_page)
    follow(staff_page.get_by_role("link", name=complaint.reference))
    assert_accessible(staff_page)
    staff_page.get_by_role("button", name="Acknowledge").click()
    staff_page.get_by_label("Our understanding of the complaint").fill(
        "1. The engineer missed two boiler service appointments.\n2. Nobody told you they were not coming."
    )
    assert_accessible(staff_page)
    follow(staff_page.get_by_role("button", name="Acknowledge the complaint"))
    assert "Acknowledged. The response is due by" in staff_page.locator("main").inner_text()
    staff_page.get_by_role("button", name="Write the response").click()
    staff_page.locator("textarea[name=point_1]").fill("The engineer missed two appointments.")
    staff_page.locator("select[name=point_1_decision]").select_option("upheld")
    staff_page.locator("textarea[name=point_1_reasons]").fill(
        "The contractor's records show both were missed."
    )
    staff_page.locator("textarea[name=point_2]").fill("Nobody told you.")
    staff_page.locator("select[name=point_2_decision]").select_option("not_upheld")
    staff_page.locator("textarea[name=point_2_reasons]").fill(
        "We called and left a message on both mornings."
    )
    staff_page.get_by_label("What we found and why we reached our decision").fill(
        "We checked the job records and our call log."
    )
    staff_page.get_by_label("Our apology (if any)").fill(
        "We are sorry the appointments were missed."
    )
    staff_page.get_by_label("Compensation offered, in pounds (if any)").fill("50")
    assert_accessible(staff_page)
    screenshots(staff_page, "2-officer-response-form")
    follow(staff_page.get_by_role("button", name="Send the response"))
    assert "Response sent to the resident" in staff_page.locator("main").inner_text()
    assert_accessible(staff_page)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESPONDED

    # The tenant sees the acknowledgement, the deadline that was met and the response.
    tenant_page.reload()
    main = tenant_page.locator("main").inner_text()
    assert "How we understand your complaint" in main
    assert "The engineer missed two boiler service appointments." in main
    assert "Reply due by" in main
    assert "Partly upheld" in main
    follow(tenant_page.get_by_role("link", name="Read our reply"))
    letter = tenant_page.locator("main").inner_text()
    assert "Our stage 1 response to your complaint" in letter
    assert "£50" in letter and "partly upheld" in letter
    assert_accessible(tenant_page)
    screenshots(tenant_page, "3-tenant-response-letter")
    tenant_page.emulate_media(media="print")
    assert not tenant_page.locator(".govuk-header").is_visible()
    tenant_page.emulate_media(media="screen")
    follow(tenant_page.get_by_role("link", name="Back to the complaint"))

    # One click escalates it to stage 2, with someone else.
    follow(tenant_page.get_by_role("button", name="Escalate my complaint to stage 2"))
    main = tenant_page.locator("main").inner_text()
    assert "We have escalated your complaint to stage 2" in main
    assert "We will acknowledge your complaint by end of" in main
    assert_accessible(tenant_page)
    screenshots(tenant_page, "4-tenant-escalated")
    complaint.refresh_from_db()
    assert complaint.stage == 2
    assert complaint.case.owner == people["manager"]

    # Back with the officer who handled stage 1: they are told they cannot handle stage 2.
    staff_page.reload()
    assert "you cannot handle it at stage 2" in staff_page.locator("main").inner_text()
    assert staff_page.get_by_role("button", name="Acknowledge").count() == 0
