"""Neighbourhood working in a real browser: the tenant finds their officer and the next surgery on
their estate and books it, then joins a walkabout; the officer scores the inspection on a phone
(375px wide), turns a finding into a case that lands in the queue, and reads the contractor's
scores over time. axe-core checks each page on the way."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from engagement.neighbourhoods import services
from engagement.neighbourhoods.models import (
    ContractService,
    InspectionElement,
    SurgeryBooking,
    WalkaboutSignup,
)
from portal.models import Tenure
from repairs.models import RepairRequest
from tests import factories
from tests.browser.conftest import assert_accessible, demo_officer, demo_tenant, follow, millbrook
from tests.neighbourhoods import factories as nb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_375 = {"width": 375, "height": 812}


def jpeg_bytes():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def people():
    from repairs.services import ensure_default_priorities

    ensure_default_priorities()
    millbrook()
    patch = factories.NeighbourhoodFactory(name="Northgate")
    estate = factories.EstateFactory(neighbourhood=patch, name="Hollybank")
    officer = demo_officer(patch)
    services.save_officer_profile(
        officer=officer, phone="07700 900410", about="Your officer since 2021."
    )
    block = factories.BlockFactory(estate=estate, name="Holly Court")
    home = factories.HomeFactory(
        estate=estate,
        block=block,
        address_line_1="14 Holly Court",
        postcode="MB1 3QT",
        tenure=Tenure.SOCIAL_RENT,
        has_communal_areas=True,
    )
    tenant = demo_tenant(home)
    nb.DropInHoursFactory(centre=nb.ServiceCentreFactory(name="Millbrook Housing Service Centre"))
    elsewhere = factories.EstateFactory(neighbourhood=patch, name="Castle Fields")
    services.schedule_surgery(
        estate=elsewhere,
        venue="Castle Fields hall",
        starts_at=nb.in_days(2, 10),
        ends_at=nb.in_days(2, 11),
        officer=officer,
        scheduled_by=officer,
    )
    surgery = services.schedule_surgery(
        estate=estate,
        venue="Community room, Holly Court",
        starts_at=nb.in_days(6, 16),
        ends_at=nb.in_days(6, 17),
        officer=officer,
        scheduled_by=officer,
        slot_minutes=20,
    )
    walkabout = services.schedule_walkabout(
        estate=estate,
        starts_at=nb.in_days(9, 14),
        meeting_point="By the noticeboard",
        officer=officer,
    )
    # A year of scores for two contractors, so the chart has lines to draw.
    cleaner = nb.ContractorAssignmentFactory(
        estate=estate, contractor=nb.ContractorFactory(name="Sparkle Estate Services Ltd")
    ).contractor
    gardener = nb.ContractorAssignmentFactory(
        estate=estate,
        contractor=nb.ContractorFactory(name="GreenScape Grounds", service=ContractService.GROUNDS),
    ).contractor
    nb.OpenSpaceFactory(estate=estate, name="Play area")
    today = timezone.localdate()
    for month in range(1, 12):
        inspection = nb.InspectionFactory(
            estate=estate,
            officer=officer,
            inspected_on=today - dt.timedelta(days=30 * month),
            completed_at=timezone.now(),
        )
        nb.InspectionScoreFactory(
            inspection=inspection, block=block, contractor=cleaner, score=2 + (11 - month) // 4
        )
        nb.InspectionScoreFactory(
            inspection=inspection,
            block=block,
            contractor=gardener,
            element="grounds",
            score=3 + month % 2,
        )
    return {
        "tenant": tenant,
        "officer": officer,
        "surgery": surgery,
        "walkabout": walkabout,
        "cleaner": cleaner,
    }


def test_a_tenant_books_a_surgery_and_joins_a_walkabout_and_an_officer_scores_the_walk(
    open_tab, site, people, screenshots
):
    page = open_tab("tenant@example.com")

    # Their own officer and estate come first.
    page.goto(f"{site}/neighbourhood/")
    main = page.locator("main").inner_text()
    assert "Your housing officer" in main and "Priya Shah" in main and "07700 900410" in main
    assert "Community room, Holly Court" in main
    assert_accessible(page)
    screenshots(page, "1-tenant-where-to-find-us")

    follow(page.get_by_role("link", name="Book a place at the surgery"))
    assert "Housing surgery" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Book this time"))
    assert "Choose a time" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("16:20 to 16:40").check()
    page.get_by_label("What would you like to talk about? (optional)").fill("Damp in the bathroom")
    follow(page.get_by_role("button", name="Book this time"))
    assert "You are booked in" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshots(page, "2-tenant-booked")
    booking = SurgeryBooking.objects.get(resident=people["tenant"])
    assert booking.about == "Damp in the bathroom"

    page.goto(f"{site}/neighbourhood/")
    follow(page.get_by_role("link", name="Join the walkabout"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Join this walkabout"))
    assert "You are joining this walkabout" in page.locator("main").inner_text()
    assert WalkaboutSignup.objects.filter(resident=people["tenant"]).exists()
    assert_accessible(page)

    # The officer, on a phone, scores the walk.
    page = open_tab("officer@example.com", PHONE_375)
    page.goto(f"{site}/staff/neighbourhoods/walkabouts/{people['walkabout'].pk}/")
    assert "Amira Hussain" in page.locator("main").inner_text()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Start scoring the inspection"))
    assert_accessible(page)
    screenshots(page, "3-officer-inspection-phone")
    follow(page.get_by_role("link", name="Holly Court"))
    assert_accessible(page)
    for element in InspectionElement:
        score = "1: Very poor" if element.value == "lighting" else "4: Good"
        page.locator(f"fieldset:has(h2:text-is('{element.label}'))").get_by_label(score).check()
    page.get_by_label("What did you see? (lighting, optional)").fill(
        "Stairwell light out on the second floor"
    )
    page.get_by_label("Photo (lighting, optional)").set_input_files(
        files=[{"name": "light.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    screenshots(page, "4-officer-scoring-phone")
    follow(page.get_by_role("button", name="Save the scores for Holly Court"))
    assert "Holly Court is scored." in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)

    follow(page.get_by_role("link", name="Open a case for lighting at Holly Court"))
    assert_accessible(page)
    page.get_by_label("Summary for the case queue").fill("Stairwell light out, Holly Court")
    follow(page.get_by_role("button", name="Open the case"))
    message = page.locator(".govuk-notification-banner").inner_text()
    repair = RepairRequest.objects.get(is_communal=True)
    assert repair.case.reference in message
    assert_accessible(page)
    page.goto(f"{site}/staff/queue/?view=all")
    assert repair.case.reference in page.locator("main").inner_text()

    page.goto(f"{site}/staff/neighbourhoods/contractors/")
    # One chart, shown in one layout: the compact one on this phone, the full one hidden.
    assert page.locator("figure.ds-chart").count() == 1
    assert page.locator("svg[role=img]:visible").count() == 1
    assert page.locator("svg.ds-chart--narrow").is_visible()
    smallest_text_px = page.locator("svg.ds-chart--narrow").evaluate(
        "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * Math.min("
        "...[...svg.querySelectorAll('text')].map(text => +text.getAttribute('font-size')))"
    )
    assert smallest_text_px >= 12
    assert "Sparkle Estate Services Ltd" in page.locator("table").first.inner_text()
    assert_accessible(page)
    screenshots(page, "5-officer-contractor-scores-phone")
    follow(page.get_by_role("link", name="Sparkle Estate Services Ltd").first)
    main = page.locator("main").inner_text()
    assert "Average score by month" in main and "Latest poor scores" in main
    assert_accessible(page)
    screenshots(page, "6-officer-contractor-detail-phone")
