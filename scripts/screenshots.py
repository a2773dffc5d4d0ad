#!/usr/bin/env python
"""Take full-page screenshots of the main pages at a phone's width and a desktop's.

Run it against a server with the demo loaded, for example:

    VAR_DIR=/tmp/doorstep-shots .venv/bin/python manage.py migrate
    VAR_DIR=/tmp/doorstep-shots .venv/bin/python manage.py load_demo
    VAR_DIR=/tmp/doorstep-shots DOORSTEP_DEMO=true DEBUG=true .venv/bin/python manage.py runserver 8123
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8123

Uses Debian's Chromium (/usr/bin/chromium); nothing is downloaded. Writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def shoot(browser, base_url: str, out: Path, *, name: str, email: str | None, password: str, path: str) -> list[Path]:
    saved = []
    for size_name, viewport in SIZES.items():
        phone = size_name == "phone"
        context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
        page = context.new_page()
        if email:
            sign_in(page, base_url, email, password)
        page.goto(f"{base_url}{path}")
        page.wait_for_load_state("networkidle")
        target = out / f"{name}-{size_name}.png"
        page.screenshot(path=str(target), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            print(f"warning: {target.name} is {overflow}px wider than the screen")
        context.close()
        saved.append(target)
    return saved


def crop(browser, base_url: str, out: Path, *, name: str, size: str, path: str, scroll_to: str = "") -> Path:
    """One screen's worth of a long public page, from the first place showing scroll_to."""
    phone = size == "phone"
    context = browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    if scroll_to:
        page.get_by_text(scroll_to).first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 330)")
    target = out / f"{name}-{size}.png"
    page.screenshot(path=str(target))
    context.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--resident", default="tenant@example.com")
    parser.add_argument("--officer", default="officer@example.com")
    parser.add_argument("--password", default="doorstep-demo")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base_url = args.base_url.rstrip("/")

    shots = [
        {"name": "start", "email": None, "path": "/"},
        {"name": "resident-home", "email": args.resident, "path": "/"},
        {"name": "staff-home", "email": args.officer, "path": "/staff/"},
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        saved = []
        for shot in shots:
            saved += shoot(browser, base_url, args.out, password=args.password, **shot)
        saved.append(
            crop(browser, base_url, args.out, name="charter-performance", size="desktop", path="/charter/",
                 scroll_to="How we are doing: call-backs made within one working day")
        )
        saved.append(
            crop(browser, base_url, args.out, name="estate-inspection-scores", size="phone",
                 path="/neighbourhood/estate-inspections/")
        )
        for path in saved:
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        browser.close()


if __name__ == "__main__":
    main()
