"""A tenant and an officer sign in through the real form, in a real browser, at a phone's width
and at a desktop's, and see their home pages with no serious accessibility problem."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import CaseKind, CaseStatus, DeadlineKind, OfficerRole, Tenure
from portal.services.cases import add_note, change_status, open_case, set_deadline
from portal.workdays import deadline_after
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, follow, millbrook, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


@pytest.fixture
def patch():
    millbrook()
    return factories.NeighbourhoodFactory(name="Northgate")


@pytest.fixture
def tenant(patch):
    """Like the demo's tenant: a flat on an estate, a few things reported, one of them closed."""
    estate = factories.EstateFactory(neighbourhood=patch, name="Northgate Estate")
    block = factories.BlockFactory(estate=estate, name="Alder House")
    home = factories.HomeFactory(
        estate=estate,
        block=block,
        address_line_1="Flat 12, Alder House",
        address_line_2="Northgate Road",
        postcode="MB4 2QT",
        tenure=Tenure.SOCIAL_RENT,
    )
    resident = factories.ResidentFactory(
        first_name="Grace", last_name="Adeyemi", email="tenant@example.com", needs_large_print=True
    )
    partner = factories.ResidentFactory(first_name="Samuel", last_name="Adeyemi")
    factories.TenancyFactory(reference="T-004213", home=home, residents=[resident, partner])
    resident.user = factories.UserFactory(email=resident.email)
    resident.save()

    now = timezone.now()
    repair = open_case(
        kind=CaseKind.REPAIR,
        summary="Bathroom extractor fan not working",
        channel="web",
        resident=resident,
        home=home,
        opened_at=now - timedelta(days=3),
    )
    set_deadline(case=repair, kind=DeadlineKind.REPAIR_TARGET, due_at=deadline_after(now, 20))
    enquiry = open_case(
        kind=CaseKind.ENQUIRY,
        summary="Question about my rent statement",
        channel="phone",
        resident=resident,
        home=home,
    )
    set_deadline(case=enquiry, kind=DeadlineKind.CALLBACK, due_at=deadline_after(now, 1))
    add_note(
        case=enquiry,
        author=None,
        text="We have passed this to the rents team.",
        visible_to_resident=True,
    )
    closed = open_case(
        kind=CaseKind.REPAIR,
        summary="Hallway light flickering",
        channel="web",
        resident=resident,
        home=home,
        opened_at=now - timedelta(days=40),
    )
    change_status(
        case=closed, status=CaseStatus.RESOLVED, message="An electrician replaced the fitting."
    )
    return resident


@pytest.fixture
def officer(patch, tenant):
    officer = factories.OfficerFactory(
        user=factories.UserFactory(email="officer@example.com"),
        name="Dev Patel",
        role=OfficerRole.OFFICER,
        patch=patch,
    )
    estate = tenant.tenancies.get().home.estate
    for number in range(1, 8):
        neighbour = factories.ResidentFactory()
        home = factories.HomeFactory(
            estate=estate,
            address_line_1=f"{number} Northgate Road",
            tenure=[Tenure.SOCIAL_RENT, Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP][number % 3],
        )
        factories.TenancyFactory(home=home, residents=[neighbour])
        case = open_case(
            kind=CaseKind.COMPLAINT,
            summary="Communal bins not emptied",
            channel="email",
            resident=neighbour,
            home=home,
        )
        set_deadline(
            case=case,
            kind=DeadlineKind.COMPLAINT_ACK,
            due_at=deadline_after(timezone.now(), number),
        )
    return officer


def assert_fits_the_screen(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"The page is {overflow}px wider than the screen"


@pytest.mark.parametrize("page", WIDTHS, indirect=True)
def test_a_tenant_signs_in_and_sees_their_home(page, site, tenant):
    sign_in(page, site, "tenant@example.com", factories.PASSWORD)

    assert page.url == f"{site}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Your home"
    main = page.locator("main")
    assert "Flat 12, Alder House" in main.inner_text()
    assert "Bathroom extractor fan not working" in main.inner_text()
    assert "We will call you back by end of" in main.inner_text()
    assert "Samuel Adeyemi" in main.inner_text()
    assert_fits_the_screen(page)
    assert_accessible(page)


@pytest.mark.parametrize("page", WIDTHS, indirect=True)
def test_a_tenant_can_open_a_case_and_read_its_timeline(page, site, tenant):
    sign_in(page, site, "tenant@example.com", factories.PASSWORD)
    follow(page.get_by_role("link", name=tenant.cases.get(kind=CaseKind.ENQUIRY).reference))

    assert page.get_by_role("heading", level=1).inner_text() == "Enquiry"
    assert "We have passed this to the rents team." in page.locator(".ds-timeline").inner_text()
    assert_fits_the_screen(page)
    assert_accessible(page)


@pytest.mark.parametrize("page", WIDTHS, indirect=True)
def test_an_officer_signs_in_and_sees_their_patch(page, site, officer):
    sign_in(page, site, "officer@example.com", factories.PASSWORD)

    assert page.url == f"{site}/staff/"
    assert page.get_by_role("heading", level=1).inner_text() == "Dev Patel"
    main = page.locator("main")
    assert "Your patch: Northgate" in main.inner_text()
    assert "Grace Adeyemi" in main.inner_text()
    assert main.get_by_role("link", name="Grace Adeyemi").count() >= 1
    assert_fits_the_screen(page)
    assert_accessible(page)


@pytest.mark.parametrize("page", [pytest.param(PHONE, id="phone")], indirect=True)
def test_the_start_page_works_on_a_phone(page, site, patch):
    page.goto(f"{site}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your home online"
    assert page.locator("main").get_by_role("button", name="Sign in").is_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)
