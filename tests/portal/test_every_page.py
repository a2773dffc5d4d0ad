"""A safety net over the whole portal: the demo landlord is loaded, then each kind of person
follows every link they are shown (tests/crawl.py) and every page they reach must work for them.

Each check collects every problem it finds, with the person and the URL, before it fails.
"""

import time

import pytest
from django.db import transaction
from django.test import Client, override_settings

from portal.celery import app as celery_app
from portal.models import User
from tests import factories
from tests.crawl import RESIDENTS, ROLES, STAFF, Crawl, load_demo, parameterless_url_names

# The walks run once, in the module's fixture; the mark is what makes pytest-django create the
# test database for them.
pytestmark = pytest.mark.django_db

# Url names without parameters that no one reaches by following links, and why that is right.
NOT_LINKED = {
    # Asked for by forms and buttons, never by a link: they answer POST only.
    "staff:inbox_mark_all_read",
    "staff:queue_assign",
    "charter_staff:start_draft",
    # The later questions of the repair report: each is reached by answering the one before.
    "repairs:report_where",
    "repairs:report_category",
    "repairs:report_problem",
    "repairs:report_description",
    "repairs:report_photos",
    "repairs:report_access",
    "repairs:report_check",
    # The thank-you after the satisfaction survey is sent.
    "satisfaction:thanks",
    # Signing out would end the walk.
    "account_logout",
    # allauth's steps that a form, an emailed link or a code leads to, never a link on a page:
    # signing up, resetting a password, confirming an address, codes and 2-step verification.
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login_code_confirm",
    "account_confirm_login_code",
    "account_request_login_code",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_set_password",
    "mfa_reauthenticate",
    "mfa_authenticate",
    "mfa_trust",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_deactivate_totp",
    "mfa_activate_totp",
}


# No page may take more SQL queries than this. A page whose queries grow with its rows (a query per
# home, resident or case in a list: N+1) goes far over it on the demo's hundreds of homes and
# residents. The busiest pages take a fixed number, whatever the data: downloading one's data
# (32 for the demo tenant: one query for each kind of record every app holds about a resident),
# the satisfaction year's page (29: a fixed set of aggregates for the TSM figures) and the
# customer voice report (25: one query per charter measure). Just above the busiest, so that a
# page growing with its rows, or a new fixed cost on one of them, is seen here first.
MAX_QUERIES_PER_PAGE = 35


def _test_settings(media_root):
    """What tests/conftest.py gives each test, for the walk, which runs once for the module."""
    return override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=media_root,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "every-page",
            }
        },
        NOTIFY_API_KEY="",
        STAFF_REQUIRE_MFA=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every role's walk over the demo landlord, loaded once for the module in a transaction
    that is rolled back after the walks."""
    celery_app.conf.task_always_eager = True
    started = time.monotonic()
    with (
        _test_settings(tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo()
        factories.UserFactory(email=ROLES["new account"])
        loaded = time.monotonic()
        walks = {}
        for role, email in ROLES.items():
            client = Client(raise_request_exception=False)
            if email:
                client.force_login(User.objects.get(email=email))
            walks[role] = Crawl(client, role).run()
        transaction.set_rollback(True)
    finished = time.monotonic()
    print(
        f"\nDemo loaded in {loaded - started:.1f}s; walked in {finished - loaded:.1f}s: "
        + ", ".join(f"{role} {len(walk.visits)} pages" for role, walk in walks.items())
    )
    busiest = sorted(
        (visit for walk in walks.values() for visit in walk.visits.values()),
        key=lambda visit: -visit.queries,
    )[:10]
    print("Most SQL queries: " + ", ".join(f"{v.queries} {v.role} {v.url}" for v in busiest))
    return walks


def _where(walks, visit) -> str:
    shown_on = walks[visit.role].shown_on(visit)
    via = f" via {visit.found_on}" if visit.found_on != shown_on else ""
    shown = f" (linked from {shown_on}{via})" if shown_on else ""
    return f"{visit.role}: {visit.url}{shown}"


def _server_errors(walks) -> list[str]:
    return [
        f"{_where(walks, visit)} answered {visit.status} {visit.error}"
        for walk in walks.values()
        for visit in walk.visits.values()
        if visit.status >= 500
    ]


def _links_leading_nowhere(walks) -> list[str]:
    """Every link a person is shown leads to a page (200) or a redirect, and a redirect to sign
    in only for someone not signed in. Server errors are reported on their own."""
    problems = []
    for walk in walks.values():
        for visit in walk.followed_links():
            if visit.status == 200 or visit.status >= 500:
                continue
            if visit.status in (301, 302):
                if visit.to_sign_in and visit.role != "anonymous":
                    problems.append(f"{_where(walks, visit)} sends a signed-in person to sign in")
                continue
            problems.append(f"{_where(walks, visit)} answered {visit.status}")
    return problems


def _links_refusing_residents(walks) -> list[str]:
    return [
        f"{_where(walks, visit)} refused them with {visit.status}"
        for role in RESIDENTS
        for visit in walks[role].followed_links()
        if visit.status in (403, 404)
    ]


def _headings_and_titles(walks) -> list[str]:
    problems = []
    for walk in walks.values():
        for visit in walk.visits.values():
            if visit.status != 200 or not visit.is_html:
                continue
            if visit.h1s != 1:
                problems.append(f"{_where(walks, visit)} has {visit.h1s} <h1>")
            if len(visit.titles) != 1 or not visit.titles[0].strip():
                problems.append(f"{_where(walks, visit)} has titles {visit.titles!r}")
    return problems


def _pages_over_the_query_budget(walks) -> list[str]:
    return [
        f"{_where(walks, visit)} took {visit.queries} queries"
        for walk in walks.values()
        for visit in walk.visits.values()
        if visit.queries > MAX_QUERIES_PER_PAGE
    ]


def _pages_no_one_reaches(walks) -> list[str]:
    reached = set().union(*(walk.reached_names() for walk in walks.values()))
    return [
        f"{name} ({path})"
        for name, path in parameterless_url_names().items()
        if name not in reached and name not in NOT_LINKED
    ]


def _assert_each_person_walked_through_their_part_of_the_portal(walks):
    """The walk itself worked: each person reached their own home page and a good many others."""
    reached = {role: walk.reached_names() for role, walk in walks.items()}
    assert "home" in reached["anonymous"]
    assert "link_tenancy" in reached["new account"]
    for resident in RESIDENTS:
        assert {"home", "repairs:index", "complaints:list", "contact_us"} <= reached[resident]
    for staff in STAFF:
        assert {"staff:home", "staff:queue", "staff:case"} <= reached[staff]
    for role in RESIDENTS + STAFF:
        assert len(walks[role].visits) > 50, f"{role} reached only {sorted(walks[role].visits)}"


# One test for every check, so that under xdist the walks run on one worker rather than on each
# worker a check lands on; each kind of problem is still listed in full under its own heading.
def test_every_page_works_for_everyone_shown_it(walks):
    _assert_each_person_walked_through_their_part_of_the_portal(walks)
    checks = {
        "Pages that failed with a server error": _server_errors(walks),
        "Links that lead nowhere for the person shown them": _links_leading_nowhere(walks),
        "Links shown to residents that refuse them": _links_refusing_residents(walks),
        "Pages without exactly one <h1> and a <title>": _headings_and_titles(walks),
        "Pages without parameters no one reaches by following links, and not in NOT_LINKED": (
            _pages_no_one_reaches(walks)
        ),
        f"Pages over {MAX_QUERIES_PER_PAGE} SQL queries (MAX_QUERIES_PER_PAGE)": (
            _pages_over_the_query_budget(walks)
        ),
    }
    report = [
        f"{heading} ({len(problems)}):\n  " + "\n  ".join(sorted(problems))
        for heading, problems in checks.items()
        if problems
    ]
    assert not report, "\n\n".join(report)
