"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Nothing is downloaded: we use /usr/bin/chromium (`apt-get install -y chromium`), never
`playwright install`. The live server serves static files through Django's staticfiles
handler, so the stylesheet only has to be compiled (`npm run build`), which is done here when
it is missing or older than its sources.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.models import Home, Landlord, Neighbourhood, Officer, OfficerRole, Resident, Tenure
from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are still plain synchronous calls, so Django's async-safety check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _stylesheet_is_stale() -> bool:
    built = ROOT / "static" / "build" / "doorstep.css"
    if not built.exists():
        return True
    sources = (ROOT / "static" / "scss").rglob("*.scss")
    return any(source.stat().st_mtime > built.stat().st_mtime for source in sources)


@pytest.fixture(scope="session")
def built_assets():
    if _stylesheet_is_stale():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "static/build/doorstep.css is missing or stale and npm is not installed to build it"
            )
        subprocess.run([npm, "run", "build"], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, built_assets):
    return live_server.url


def _new_context(browser, viewport):
    """A browser context of its own (its own cookies): a phone if the screen is narrow."""
    phone = viewport["width"] < 640
    return browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)


@pytest.fixture
def page(browser, request):
    """A fresh browser tab; parametrize it indirectly with PHONE or DESKTOP (desktop by default)."""
    context = _new_context(browser, getattr(request, "param", DESKTOP))
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_tab(browser, site):
    """open_tab(email=None, viewport=DESKTOP): a tab in a browser of its own, signed in as email
    (with the factories' password) if given, so a journey can follow several people at once.
    Each is closed at the end of the test."""
    contexts = []

    def open_(email=None, viewport=DESKTOP):
        contexts.append(_new_context(browser, viewport))
        tab = contexts[-1].new_page()
        if email is not None:
            sign_in(tab, site, email, factories.PASSWORD)
        return tab

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots(request):
    """take(page, name): a full-page screenshot of each key page, for a person to look at, in
    /tmp/shots_<label> (or $<LABEL>_SCREENSHOTS), the label from test_<label>_journey.py."""
    label = (
        request.module.__name__.rpartition(".")[2].removeprefix("test_").removesuffix("_journey")
    )
    folder = Path(os.environ.get(f"{label.upper()}_SCREENSHOTS", f"/tmp/shots_{label}"))
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


def follow(locator):
    """Click a link or a submit button and wait until the page it leads to has loaded.

    Playwright's click returns once the click is dispatched, not when the next page is there;
    a check run straight after it could see the old page, or be cut off as the new one replaces
    it. Journeys follow a link with this before checking the page it opens."""
    with locator.page.expect_navigation(wait_until="load"):
        locator.click()


# What Playwright says when a page is replaced while a script runs in it.
_NAVIGATED_AWAY = ("Execution context was destroyed", "reading 'documentElement'", "navigat")


def serious_accessibility_violations(page) -> list[dict]:
    """axe-core's violations of impact serious or critical on the page as it stands, once it
    has loaded. If a navigation still under way replaces the page mid-check, the check runs
    again on the page that arrives."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = Axe().run(page)
            break
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in str(error) for sign in _NAVIGATED_AWAY):
                raise
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['impact']}: {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def assert_accessible(page):
    violations = serious_accessibility_violations(page)
    assert not violations, (
        f"axe-core found serious or critical problems on {page.url}:\n" + describe(violations)
    )


def sign_in(page, site, email, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


# -- the demo landlord's people, as the journeys meet them -----------------------------------------------------


def millbrook(**fields) -> Landlord:
    """The landlord as the demo shows it: Millbrook Homes (with any other fields given)."""
    landlord = Landlord.current()
    landlord.name = landlord.logo_text = "Millbrook Homes"
    for field, value in fields.items():
        setattr(landlord, field, value)
    landlord.save()
    return landlord


def demo_team_leader() -> Officer:
    return factories.OfficerFactory(
        user=factories.UserFactory(email="teamleader@example.com"),
        name="Joanne Walsh",
        role=OfficerRole.TEAM_LEADER,
        patch=None,
    )


def demo_officer(patch, **fields) -> Officer:
    return factories.OfficerFactory(
        user=factories.UserFactory(email="officer@example.com"),
        name="Priya Shah",
        patch=patch,
        **fields,
    )


def demo_manager() -> Officer:
    return factories.OfficerFactory(
        user=factories.UserFactory(email="manager@example.com"),
        name="Marcus Reid",
        role=OfficerRole.MANAGER,
        patch=None,
    )


def demo_home(**fields) -> Home:
    """14 Hollybank Road, a social rent home."""
    return factories.HomeFactory(
        address_line_1="14 Hollybank Road", postcode="MB1 3QT", tenure=Tenure.SOCIAL_RENT, **fields
    )


def demo_neighbourhood() -> tuple[Neighbourhood, Officer, Officer, Resident]:
    """Millbrook Homes' Northgate patch: its officer, a manager, and the tenant of 14 Hollybank
    Road on the Hollybank estate, as (patch, officer, manager, tenant)."""
    millbrook()
    patch = factories.NeighbourhoodFactory(name="Northgate")
    officer = demo_officer(patch)
    manager = demo_manager()
    home = demo_home(estate=factories.EstateFactory(neighbourhood=patch, name="Hollybank"))
    return patch, officer, manager, demo_tenant(home)


def demo_tenant(home) -> Resident:
    """Amira Hussain, the tenant of home, who signs in as tenant@example.com."""
    tenant = factories.ResidentFactory(
        first_name="Amira", last_name="Hussain", email="tenant@example.com"
    )
    factories.TenancyFactory(reference="T-100001", home=home, residents=[tenant])
    tenant.user = factories.UserFactory(email=tenant.email)
    tenant.save()
    return tenant
