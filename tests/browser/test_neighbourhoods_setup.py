"""Setting up Where to find us in a real browser: a manager adds a service centre for Northgate,
gives it drop-in hours (first ending before they start, which is explained next to the closing
time, then put right), and the Northgate tenant finds the new centre and its hours on Where to
find us. axe-core checks each staff page on the way."""

import pytest

from engagement.neighbourhoods.models import ServiceCentre
from portal.models import AuditEntry
from tests.browser.conftest import assert_accessible, demo_neighbourhood, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_adds_a_centre_with_drop_in_hours_and_a_resident_finds_it(open_tab, site):
    patch, _officer, manager, _tenant = demo_neighbourhood()

    page = open_tab("manager@example.com")
    page.goto(f"{site}/staff/neighbourhoods/")
    follow(page.get_by_role("link", name="Service centres and offices"))
    assert page.get_by_role("heading", level=1).inner_text() == "Service centres and offices"
    assert_accessible(page)

    follow(page.get_by_role("link", name="Add a service centre or office"))
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Castle Fields Hub")
    page.get_by_label("Community hub").check()
    page.get_by_label("Address", exact=True).fill("2 Castle Street\nMillbrook")
    page.get_by_label("Postcode").fill("MB2 4QQ")
    page.get_by_label("Phone number (optional)").fill("01632 960001")
    page.get_by_label("What residents can get help with").fill("Rent and money advice\nRepairs")
    page.get_by_label("Northgate").check()
    follow(page.get_by_role("button", name="Save the centre"))
    assert "Castle Fields Hub is added" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)

    follow(page.get_by_role("link", name="Add drop-in hours"))
    assert_accessible(page)
    page.get_by_label("Day", exact=True).select_option(label="Wednesday")
    page.get_by_label("Opening time").fill("14:00")
    page.get_by_label("Closing time").fill("11:00")
    follow(page.get_by_role("button", name="Save the hours"))
    message = "The closing time must be after the opening time"
    assert message in page.locator(".govuk-error-summary").inner_text()
    closing = page.locator(".govuk-form-group--error", has=page.get_by_label("Closing time"))
    assert message in closing.inner_text()
    assert page.get_by_label("Opening time").input_value() == "14:00"
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Closing time").fill("16:00")
    follow(page.get_by_role("button", name="Save the hours"))
    assert "Wednesday" in page.locator("table").inner_text()
    assert "2pm to 4pm" in page.locator("table").inner_text()
    assert_accessible(page)

    centre = ServiceCentre.objects.get(name="Castle Fields Hub")
    assert list(centre.neighbourhoods.all()) == [patch]
    assert AuditEntry.objects.filter(actor=manager.user).count() == 2

    resident = open_tab("tenant@example.com")
    resident.goto(f"{site}/neighbourhood/")
    card = resident.locator(".govuk-summary-card", has_text="Castle Fields Hub")
    assert "Wednesday: 2pm to 4pm" in card.inner_text()
    assert "Rent and money advice" in card.inner_text()
