"""Every kind of page, as the public, a resident and a member of staff see it, on a phone: axe-core
finds no serious accessibility problem and nothing makes the page scroll sideways.

The demo landlord is loaded, each audience's walk (tests/crawl.py) picks one page of each url
name it reaches (for staff, those the public does not also reach), and Chromium opens each at
390 by 844. Every problem on every page is collected into one failure message.
"""

import time

import pytest
from django.conf import settings
from django.test import Client

from portal.models import User
from tests.browser.conftest import PHONE, describe, serious_accessibility_violations
from tests.crawl import ROLES, Crawl, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each audience and the demo person who stands for it: the manager reaches the most staff pages.
AUDIENCES = {"public": "anonymous", "resident": "tenant", "staff": "manager"}

# How far past the screen's right edge a page may reach before it scrolls sideways (a pixel of
# rounding is not a problem a person would notice).
SLACK_PX = 1

# The width of the page beyond the viewport, and the widest element that sticks out, if any.
_OVERFLOW = """(slack) => {
  const width = document.documentElement.clientWidth;
  const scroll = document.documentElement.scrollWidth;
  if (scroll <= width + slack) return null;
  let widest = null;
  for (const element of document.body.querySelectorAll('*')) {
    const right = element.getBoundingClientRect().right;
    if (right > width + slack && (!widest || right > widest.right)) {
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + (element.className && typeof element.className === 'string'
           ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      widest = {name, right: Math.round(right)};
    }
  }
  return {scroll, widest};
}"""


# Pages each audience must have been shown, so the sweep cannot pass by reaching nothing.
MUST_OPEN = {
    "public": {"home", "charter:charter", "engagement:index"},
    "resident": {"home", "repairs:index", "contact_preferences"},
    "staff": {"staff:home", "staff:queue", "asb_staff:nm01"},
}


def _pages_to_open(role: str):
    """One page of each url name this person reaches (the first the walk found), and the
    cookies that sign them in."""
    client = Client(raise_request_exception=False)
    if ROLES[role]:
        client.force_login(User.objects.get(email=ROLES[role]))
    walk = Crawl(client, role, per_name=1).run()
    pages = {
        visit.url: visit.url_name
        for visit in walk.visits.values()
        if visit.status == 200 and visit.is_html
    }
    return pages, client.cookies


def test_every_page_passes_axe_and_fits_a_phone(browser, site):
    started = time.monotonic()
    load_demo()
    loaded = time.monotonic()
    walks = {audience: _pages_to_open(role) for audience, role in AUDIENCES.items()}
    for audience, (urls, _) in walks.items():
        missing = MUST_OPEN[audience] - set(urls.values())
        assert not missing, f"the {audience} walk never reached {sorted(missing)}"
    # Staff see the public pages as the public does, bar the menu: checking them twice would
    # only cost time. A resident's view of a public page differs more (buttons to vote, apply
    # or answer), so every page a resident reaches is opened for them.
    public_names = set(walks["public"][0].values())
    staff_urls = walks["staff"][0]
    walks["staff"] = (
        {url: name for url, name in staff_urls.items() if name not in public_names},
        walks["staff"][1],
    )
    walked = time.monotonic()

    problems = []
    opened = 0
    for audience, (urls, cookies) in walks.items():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        if settings.SESSION_COOKIE_NAME in cookies:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": site,
                    }
                ]
            )
        page = context.new_page()
        try:
            for url in urls:
                page.goto(site + url, wait_until="load")
                opened += 1
                violations = serious_accessibility_violations(page)
                if violations:
                    problems.append(f"{audience}: {url}\n" + describe(violations))
                overflow = page.evaluate(_OVERFLOW, SLACK_PX)
                if overflow:
                    widest = overflow["widest"] or {"name": "?", "right": overflow["scroll"]}
                    problems.append(
                        f"{audience}: {url} is {overflow['scroll']}px wide on a {PHONE['width']}px "
                        f"screen ({widest['name']} reaches {widest['right']}px)"
                    )
        finally:
            context.close()
    print(
        f"\nDemo loaded in {loaded - started:.0f}s, walked in {walked - loaded:.0f}s, "
        f"{opened} pages checked in {time.monotonic() - walked:.0f}s"
    )
    assert not problems, f"{len(problems)} problems on a phone:\n" + "\n".join(problems)
