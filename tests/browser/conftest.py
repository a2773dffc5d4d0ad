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
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
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
            pytest.fail("static/build/doorstep.css is missing or stale and npm is not installed to build it")
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


@pytest.fixture
def page(browser, request):
    """A fresh browser tab; parametrize it indirectly with PHONE or DESKTOP (desktop by default)."""
    viewport = getattr(request, "param", DESKTOP)
    phone = viewport["width"] < 640
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    yield page
    context.close()


def serious_accessibility_violations(page) -> list[dict]:
    """axe-core's violations of impact serious or critical on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def sign_in(page, site, email, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
