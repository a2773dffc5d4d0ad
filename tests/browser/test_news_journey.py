"""News in a real browser: a manager writes, previews and publishes a newsletter and sends a lift
notice to one block; a tenant in that block sees the notice on their home page and reads the
newsletter; the letter list prints one letter a page. axe-core checks each page on the way."""

import io

import pytest
from PIL import Image

from engagement.news.models import Delivery, Issue, Notice
from portal.models import Channel, Notification
from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, demo_manager, follow, millbrook
from tests.news.factories import living_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    millbrook(address="The Old Library\n1 Market Square\nMillbrook\nMB1 1AA")
    manager = demo_manager()
    estate = factories.EstateFactory(name="Hollybank")
    holly_court = factories.BlockFactory(estate=estate, name="Holly Court")
    ivy_house = factories.BlockFactory(estate=estate, name="Ivy House")
    tenant = living_in(
        holly_court, first_name="Amira", last_name="Hussain", email="tenant@example.com"
    )
    tenant.user = factories.UserFactory(email=tenant.email)
    tenant.save()
    by_post = living_in(holly_court, channel=Channel.LETTER, first_name="Gareth", last_name="Lloyd")
    living_in(holly_court, channel=Channel.LETTER, first_name="Pat", last_name="Post")
    next_door = living_in(ivy_house, first_name="Ivy", last_name="Neighbour")
    return {
        "manager": manager,
        "tenant": tenant,
        "by_post": by_post,
        "next_door": next_door,
        "block": holly_court,
    }


def picture() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (640, 360), (11, 94, 88))
    for x in range(0, 640, 40):
        for y in range(200, 360):
            image.putpixel((x + (y % 20), y), (240, 200, 60))
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_manager_publishes_a_newsletter_and_a_block_notice_and_the_tenant_sees_both(
    open_tab, site, people, screenshots
):
    staff = open_tab("manager@example.com")

    # Write the newsletter: a blank form first shows its errors.
    staff.goto(f"{site}/staff/news/")
    assert_accessible(staff)
    staff.get_by_role("link", name="Write a newsletter").click()
    follow(staff.get_by_role("button", name="Save and continue"))
    assert "Enter a title" in staff.locator(".govuk-error-summary").inner_text()
    assert_accessible(staff)
    staff.get_by_label("Title").fill("Winter news from Millbrook Homes")
    staff.get_by_label("Summary").fill(
        "Help with heating bills, the carol service and new repairs hours."
    )
    follow(staff.get_by_role("button", name="Save and continue"))
    assert "Draft saved" in staff.locator("main").inner_text()
    assert_accessible(staff)

    staff.get_by_role("link", name="Add a section").click()
    staff.get_by_label("Heading").fill("Carols in the Hollybank garden")
    staff.get_by_label("Text", exact=True).fill(
        "Join us on Saturday 19 December at 4pm.\n\nMince pies and hot chocolate for everyone."
    )
    staff.set_input_files(
        "input[name=image]",
        files=[{"name": "garden.png", "mimeType": "image/png", "buffer": picture()}],
    )
    follow(staff.get_by_role("button", name="Save section"))
    assert (
        "Describe the picture for people who cannot see it"
        in staff.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(staff)
    staff.set_input_files(
        "input[name=image]",
        files=[{"name": "garden.png", "mimeType": "image/png", "buffer": picture()}],
    )
    staff.get_by_label("Describe the picture (if you add one)").fill(
        "Lights strung over the raised beds"
    )
    follow(staff.get_by_role("button", name="Save section"))
    assert "added" in staff.locator("main").inner_text()
    staff.get_by_role("link", name="Add a section").click()
    staff.get_by_label("Heading").fill("Help with heating bills")
    staff.get_by_label("Text", exact=True).fill(
        "Our money advice team can help. Call us to book a chat."
    )
    follow(staff.get_by_role("button", name="Save section"))
    assert_accessible(staff)
    screenshots(staff, "1-staff-issue-draft")

    follow(staff.get_by_role("link", name="Preview"))
    staff.wait_for_load_state("load")  # the picture has loaded by then, so its size can be read
    main = staff.locator("main").inner_text()
    assert "Carols in the Hollybank garden" in main and "What residents are sent" in main
    assert (
        staff.locator("img[alt='Lights strung over the raised beds']").evaluate(
            "i => i.naturalWidth"
        )
        == 640
    )
    assert_accessible(staff)
    screenshots(staff, "2-staff-preview")

    staff.get_by_role("link", name="Back to the issue").click()
    follow(staff.get_by_role("link", name="Publish and send"))
    assert_accessible(staff)
    follow(staff.get_by_role("button", name="Publish and send"))
    assert "Published" in staff.locator("main").inner_text()
    issue = Issue.objects.get()
    assert Delivery.objects.filter(mailing__issue=issue).count() == 4
    staff.reload()
    assert_accessible(staff)
    screenshots(staff, "3-staff-issue-sent")

    # The letter list prints one letter a page, without the portal's header.
    follow(staff.get_by_role("link", name="Print the letters"))
    assert staff.locator(".ds-letter").count() == 2
    assert "Gareth Lloyd" in staff.locator(".ds-letter").first.inner_text()
    assert_accessible(staff)
    screenshots(staff, "4-staff-letters")
    staff.emulate_media(media="print")
    assert not staff.locator(".govuk-header").is_visible()
    assert staff.locator(".ds-letter").first.is_visible()
    assert (
        staff.locator(".ds-letter").first.evaluate("e => getComputedStyle(e).breakAfter") == "page"
    )
    staff.emulate_media(media="screen")

    # A lift notice to Holly Court only.
    staff.goto(f"{site}/staff/news/notices/")
    assert_accessible(staff)
    staff.get_by_role("link", name="Send a notice").click()
    staff.get_by_label("What is the problem?").fill("Lift out of service")
    staff.get_by_label("Who is it for?").select_option(label="Holly Court, Hollybank")
    staff.get_by_label("What residents need to know").fill(
        "The lift is waiting for a new motor part. Call us if you need help with the stairs."
    )
    staff.locator("input[name=end_date_0]").fill("20")
    staff.locator("input[name=end_date_1]").fill("12")
    staff.locator("input[name=end_date_2]").fill("2030")
    staff.get_by_label("Expected end time").fill("5pm")
    assert_accessible(staff)
    screenshots(staff, "5-staff-notice-form")
    follow(staff.get_by_role("button", name="Send the notice now"))
    assert (
        "Notice sent to the residents of Holly Court, Hollybank"
        in staff.locator("main").inner_text()
    )
    assert_accessible(staff)
    screenshots(staff, "6-staff-notice-sent")
    notice = Notice.objects.get()
    told = set(Delivery.objects.filter(mailing__notice=notice).values_list("resident", flat=True))
    assert people["tenant"].pk in told and people["by_post"].pk in told and len(told) == 3
    assert not Notification.objects.filter(
        resident=people["next_door"], template="news_notice"
    ).exists()

    # The tenant sees the notice at home and reads the newsletter.
    home = open_tab("tenant@example.com", PHONE)
    home.goto(f"{site}/")
    banner = home.locator("#service-notices + .govuk-notification-banner").inner_text()
    assert "Lift out of service" in banner and "20 December 2030 at 5pm" in banner
    assert_accessible(home)
    screenshots(home, "7-tenant-home")
    follow(home.get_by_role("link", name="Winter news from Millbrook Homes"))
    home.wait_for_load_state("load")  # with its picture
    main = home.locator("main").inner_text()
    assert "Carols in the Hollybank garden" in main and "Help with heating bills" in main
    assert home.locator("img[alt='Lights strung over the raised beds']").is_visible()
    assert_accessible(home)
    screenshots(home, "8-tenant-newsletter")
    home.goto(f"{site}/service-updates/")
    assert "Lift out of service" in home.locator("main").inner_text()
    assert_accessible(home)
    follow(home.get_by_role("link", name="Lift out of service"))
    assert_accessible(home)
    screenshots(home, "9-public-notice")
