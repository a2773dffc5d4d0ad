"""Walk the portal as one person would: start from the home pages, follow every same-site link
they are shown, and keep what each page answered. Shared by the page checks in
tests/portal/test_every_page.py and the accessibility sweep in tests/browser/.

Only GET requests are made and only links are followed: forms are never submitted, so the walk
changes nothing a person would not change by reading (opening a notification marks it read).
"""

import io
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

# Who the crawl visits as: the demo landlord's people (the shared owner is a leaseholder's twin),
# and someone who has signed up but not yet linked their account to a tenancy.
ROLES = {
    "anonymous": None,
    "new account": "new-account@example.com",
    "tenant": "tenant@example.com",
    "leaseholder": "leaseholder@example.com",
    "officer": "officer@example.com",
    "team leader": "teamleader@example.com",
    "manager": "manager@example.com",
}
RESIDENTS = ("tenant", "leaseholder")
STAFF = ("officer", "team leader", "manager")

START = ("/", "/staff/")

# Never followed: the Django admin is not ours to test, and signing out would end the walk.
SKIPPED_PREFIXES = ("/admin/", "/static/")
SKIPPED_NAMES = {"account_logout"}

SIGN_IN_PATH = "/accounts/login/"


def load_demo():
    """The whole demo landlord: the core's people and homes, then each app's demo data in the
    order `make demo` loads it. About 15 seconds."""
    call_command("load_demo", stdout=io.StringIO())
    names = io.StringIO()
    call_command("demo_loaders", stdout=names)
    for name in names.getvalue().split():
        call_command(name, stdout=io.StringIO())


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.h1s = 0
        self.titles: list[str] = []
        self._in_title = False
        # A chart's <svg> has <title>s of its own: only the page's counts.
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        elif tag == "h1":
            self.h1s += 1
        elif tag == "svg":
            self._svg_depth += 1
        elif tag == "title" and not self._svg_depth:
            self._in_title = True
            self.titles.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "svg":
            self._svg_depth = max(0, self._svg_depth - 1)

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


@dataclass
class Visit:
    role: str
    url: str
    url_name: str
    status: int
    content_type: str = ""
    location: str = ""
    # The page on which the link to this URL was first seen (None for the start pages).
    found_on: str | None = None
    h1s: int = 0
    titles: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # The SQL queries the request made (savepoints the walk itself adds are not counted).
    queries: int = 0
    error: str = ""

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def to_sign_in(self) -> bool:
        return self.status in (301, 302) and urlsplit(self.location).path == SIGN_IN_PATH


def url_name(path: str) -> str | None:
    """The namespaced url name of a path on this site, "" if nothing answers to it, None if it is
    not one we walk."""
    if path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


def same_site_path(href: str, base: str) -> str | None:
    """The path and query a link leads to, if it stays on this site; None for mail, phone and
    other sites' links, and for links to a place on the same page."""
    if href.startswith(("mailto:", "tel:", "sms:", "javascript:", "#")):
        return None
    absolute = urljoin("http://testserver" + base, href)
    parts = urlsplit(urldefrag(absolute)[0])
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawl:
    """One person's walk. `visits` holds every URL fetched, in order; `per_name` caps how many
    different URLs of one url name are fetched, so a list of 500 homes costs three visits."""

    def __init__(self, client, role: str, per_name: int = 3, start=START):
        self.client = client
        self.role = role
        self.per_name = per_name
        self.start = start
        self.visits: dict[str, Visit] = {}
        self.taken: Counter = Counter()

    def run(self) -> "Crawl":
        queue = deque((url, None) for url in self.start)
        queued = set(self.start)
        while queue:
            url, found_on = queue.popleft()
            name = url_name(urlsplit(url).path)
            if name is None or name in SKIPPED_NAMES:
                continue
            if name and self.taken[name] >= self.per_name:
                continue
            self.taken[name] += 1
            visit = self.fetch(url, name, found_on)
            self.visits[url] = visit
            onward = list(visit.links)
            if visit.status in (301, 302) and visit.location:
                onward.append(visit.location)
            for href in onward:
                target = same_site_path(href, url)
                if target is not None and target not in queued:
                    queued.add(target)
                    queue.append((target, url))
        return self

    def fetch(self, url: str, name: str, found_on: str | None) -> Visit:
        started = time.monotonic()
        # A page that fails part-way through a query would leave the transaction a test runs in
        # unusable; a savepoint per request keeps one failure from hiding every later page.
        savepoint = (
            transaction.savepoint() if transaction.get_connection().in_atomic_block else None
        )
        # The log of queries keeps only the last 9000: emptied before each page, or after a few
        # hundred pages it would be full and every page would count none.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        error = getattr(response, "exc_info", None)
        if savepoint is not None:
            if error:
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
        visit = Visit(
            role=self.role,
            url=url,
            url_name=name,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            location=response.get("Location", ""),
            found_on=found_on,
            queries=len(captured),
            error=f"{error[0].__name__}: {error[1]}" if error else "",
        )
        if visit.status == 200 and visit.is_html:
            parser = _PageParser()
            parser.feed(response.content.decode(response.charset or "utf-8"))
            visit.h1s = parser.h1s
            visit.titles = parser.titles
            visit.links = parser.links
        visit.seconds = time.monotonic() - started
        return visit

    # -- what the walk found ---------------------------------------------------------------

    def reached_names(self) -> set[str]:
        """The url names that answered this person (a page, or a redirect on to one)."""
        return {v.url_name for v in self.visits.values() if v.status < 400}

    def shown_on(self, visit: Visit) -> str | None:
        """The page that showed the link to visit, looking back through redirects."""
        seen = set()
        page = visit.found_on
        while page in self.visits and self.visits[page].status in (301, 302) and page not in seen:
            seen.add(page)
            page = self.visits[page].found_on
        return page

    def followed_links(self) -> list[Visit]:
        """The visits made by following a link (or a redirect), not the start pages."""
        return [visit for visit in self.visits.values() if visit.found_on is not None]


def parameterless_url_names() -> dict[str, str]:
    """Every url name of the project that takes no parameters, with its path, the Django
    admin's left out."""
    names: dict[str, str] = {}

    def walk(patterns, namespace, prefix_has_params):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" or str(pattern.pattern).startswith("admin/"):
                    continue
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(
                    pattern.url_patterns,
                    inner,
                    prefix_has_params or bool(pattern.pattern.regex.groupindex),
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                if prefix_has_params or pattern.pattern.regex.groupindex:
                    continue
                full = f"{namespace}:{pattern.name}" if namespace else pattern.name
                try:
                    names[full] = reverse(full)
                except Exception:  # noqa: BLE001 - a pattern with unnamed groups: not ours to walk
                    continue

    walk(get_resolver(settings.ROOT_URLCONF).url_patterns, None, False)
    return names
