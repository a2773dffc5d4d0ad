"""The officers' case queue: every open case, the earliest deadline first; views, filters and
search; assigning one case or many; the CSV export; a constant number of queries per page."""

import csv
import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEntry, CaseStatus, DeadlineKind, EventKind, OfficerRole
from portal.queue import VIEW_NAMES, describe_due
from portal.services.cases import change_status, set_deadline
from portal.workdays import LONDON, end_of_day
from tests import factories

pytestmark = pytest.mark.django_db

# Tuesday 24 November 2026, 10am in London.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
QUEUE = "/staff/queue/"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return factories.TeamFactory(name="North team")


@pytest.fixture
def officer(team):
    return factories.OfficerFactory(name="Olu Officer", team=team)


def home_in(patch, **fields):
    return factories.HomeFactory(estate=factories.EstateFactory(neighbourhood=patch), **fields)


def a_case(*, due=None, deadline_kind=DeadlineKind.CALLBACK, **fields):
    case = factories.CaseFactory(**fields)
    if due is not None:
        set_deadline(case=case, kind=deadline_kind, due_at=due)
        case.refresh_from_db()
    return case


def in_days(days, hour=None):
    moment = NOW + timedelta(days=days)
    return end_of_day(moment.date()) if hour is None else moment.replace(hour=hour)


def shown(response):
    return [row["reference"] for row in response.context["rows"]]


# Order and what is in the queue -----------------------------------------------------------


def test_the_queue_lists_every_open_case_earliest_deadline_first_and_those_without_one_last(officer_client):
    later = a_case(due=in_days(6), reference="R-2026-000001", kind="repair")
    no_deadline = a_case(reference="C-2026-000001", kind="complaint")
    soonest = a_case(due=in_days(0, hour=15), reference="E-2026-000001")
    overdue = a_case(due=in_days(-3), reference="E-2026-000002")

    response = officer_client.get(QUEUE)

    assert response.status_code == 200
    assert shown(response) == [overdue.reference, soonest.reference, later.reference, no_deadline.reference]


def test_closed_and_resolved_cases_are_not_in_the_queue(officer_client):
    open_case = a_case(due=in_days(1))
    resolved = a_case(due=in_days(1))
    change_status(case=resolved, status=CaseStatus.RESOLVED)
    on_hold = a_case(status=CaseStatus.ON_HOLD)

    assert set(shown(officer_client.get(QUEUE))) == {open_case.reference, on_hold.reference}


def test_each_row_says_what_is_due_and_when_in_words_with_a_tag_that_is_not_only_colour(officer_client):
    a_case(due=in_days(-1), reference="E-2026-000010")
    a_case(due=in_days(0, hour=13), reference="E-2026-000011", deadline_kind=DeadlineKind.CONTACT)

    page = officer_client.get(QUEUE).content.decode()

    assert "Call back: 1 working day overdue" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "Contact resident: due in 3 hours" in page
    assert '<strong class="govuk-tag govuk-tag--orange">Due today</strong>' in page


def test_each_row_links_to_the_case_and_has_a_labelled_checkbox(officer_client):
    case = a_case(due=in_days(1), reference="E-2026-000123")

    page = officer_client.get(QUEUE).content.decode()

    assert 'href="/staff/cases/E-2026-000123/"' in page
    assert f'<input class="govuk-checkboxes__input" id="case-{case.pk}" name="cases" type="checkbox"' in page
    assert '<span class="govuk-visually-hidden">Select case E-2026-000123</span>' in page
    assert '<caption class="govuk-table__caption' in page
    assert '<th scope="col"' in page


# Views ------------------------------------------------------------------------------------


@pytest.fixture
def cases_for_each_view(officer, team):
    stranger = factories.OfficerFactory(name="Sam Stranger", team=factories.TeamFactory())
    teammate = factories.OfficerFactory(name="Tia Teammate", team=team)
    later = in_days(7)
    return {
        "mine": a_case(due=later, owner=officer),
        "team": a_case(due=later, owner=stranger, team=team),
        "teammate": a_case(due=later, owner=teammate),
        "patch": a_case(due=later, owner=stranger, home=home_in(officer.patch)),
        "unassigned": a_case(due=later),
        "today": a_case(due=in_days(0, hour=16), owner=stranger),
        "overdue": a_case(due=in_days(-1), owner=stranger),
    }


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("mine", {"mine"}),
        ("team", {"mine", "team", "teammate"}),  # I am in my team too
        ("patch", {"patch"}),
        ("unassigned", {"unassigned"}),
        ("today", {"today"}),
        ("overdue", {"overdue"}),
        ("all", {"mine", "team", "teammate", "patch", "unassigned", "today", "overdue"}),
    ],
)
def test_each_view_of_the_queue_shows_its_cases(officer_client, cases_for_each_view, view, expected):
    response = officer_client.get(QUEUE, {"view": view})

    assert set(shown(response)) == {cases_for_each_view[name].reference for name in expected}
    assert f'aria-current="page">{VIEW_NAMES[view]}</a>' in response.content.decode()


def test_the_team_view_is_empty_for_an_officer_in_no_team(client):
    loner = factories.OfficerFactory(team=None)
    a_case(due=in_days(1), team=factories.TeamFactory())
    client.force_login(loner.user)

    response = client.get(QUEUE, {"view": "team"})

    assert shown(response) == []
    assert "You are not in a team" in response.content.decode()


# Filters and search -----------------------------------------------------------------------


@pytest.fixture
def varied_cases(officer):
    return {
        "repair": a_case(due=in_days(2), kind="repair", channel="phone", status=CaseStatus.IN_PROGRESS),
        "complaint": a_case(due=in_days(3), kind="complaint", channel="letter"),
        "in_patch": a_case(due=in_days(4), home=home_in(officer.patch), channel="web", status=CaseStatus.ON_HOLD),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "repair"}, {"repair"}),
        ({"kind": "complaint"}, {"complaint"}),
        ({"status": "on_hold"}, {"in_patch"}),
        ({"status": "in_progress"}, {"repair"}),
        ({"channel": "letter"}, {"complaint"}),
        ({"channel": "phone", "kind": "complaint"}, set()),
    ],
)
def test_the_filters_narrow_the_queue(officer_client, varied_cases, params, expected):
    response = officer_client.get(QUEUE, params)

    assert set(shown(response)) == {varied_cases[name].reference for name in expected}


def test_the_neighbourhood_filter_shows_the_cases_at_homes_in_that_neighbourhood(officer_client, officer, varied_cases):
    response = officer_client.get(QUEUE, {"neighbourhood": officer.patch_id})

    assert shown(response) == [varied_cases["in_patch"].reference]
    assert f'<option value="{officer.patch_id}" selected>' in response.content.decode()


def test_a_filter_value_that_is_not_a_choice_is_ignored(officer_client, varied_cases):
    response = officer_client.get(QUEUE, {"kind": "dragons", "neighbourhood": "north"})

    assert len(shown(response)) == 3


@pytest.fixture
def residents_cases():
    olivia = factories.ResidentFactory(first_name="Olivia", last_name="Okafor")
    george = factories.ResidentFactory(first_name="George", last_name="Okafor")
    return {
        "olivia": a_case(
            due=in_days(1), reference="E-2026-000042", resident=olivia,
            home=factories.HomeFactory(address_line_1="12 Station Road", postcode="MK9 3XS"),
        ),
        "george": a_case(
            due=in_days(2), reference="R-2026-000043", resident=george,
            home=factories.HomeFactory(address_line_1="Flat 4", address_line_2="Victoria House", postcode="SE1 7PB"),
        ),
        "other": a_case(
            due=in_days(3), reference="E-2026-000044",
            resident=factories.ResidentFactory(first_name="Ann", last_name="Smith"),
            home=factories.HomeFactory(address_line_1="3 Mill Lane", postcode="M1 1AA"),
        ),
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("e-2026-000042", {"olivia"}),  # a reference, whatever the case of its letters
        (" R-2026-000043 ", {"george"}),
        ("E-2026-000099", set()),  # a reference finds that case or none, not near misses
        ("Olivia Okafor", {"olivia"}),
        ("okafor", {"olivia", "george"}),
        ("mk93xs", {"olivia"}),  # a postcode without its space, in small letters
        ("SE1 7PB", {"george"}),
        ("Station Road", {"olivia"}),
        ("victoria house", {"george"}),
        ("nobody", set()),
    ],
)
def test_the_search_finds_cases_by_reference_name_address_and_postcode(officer_client, residents_cases, search, expected):
    response = officer_client.get(QUEUE, {"q": search})

    assert set(shown(response)) == {residents_cases[name].reference for name in expected}


def test_the_search_keeps_the_view_and_filters_it_is_made_within(officer_client, officer, residents_cases):
    residents_cases["george"].owner = officer
    residents_cases["george"].save()

    response = officer_client.get(QUEUE, {"q": "okafor", "view": "mine"})

    assert shown(response) == ["R-2026-000043"]
    assert '<input type="hidden" name="view" value="mine">' in response.content.decode()


# Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", QUEUE), ("get", "/staff/queue.csv"), ("post", "/staff/queue/assign/")],
)
def test_a_resident_is_refused_the_queue(resident_client, method, url):
    assert getattr(resident_client, method)(url).status_code == 403


def test_the_queue_routes_are_named_in_the_staff_area():
    assert reverse("staff:queue") == QUEUE
    assert reverse("staff:queue_csv") == "/staff/queue.csv"
    assert reverse("staff:queue_assign") == "/staff/queue/assign/"


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Pages ------------------------------------------------------------------------------------


def test_the_queue_pages_by_25_without_counting_every_case(officer_client):
    for number in range(30):
        a_case(due=in_days(1) + timedelta(minutes=number), reference=f"E-2026-{number:06d}")

    with CaptureQueriesContext(connection) as queries:
        first = officer_client.get(QUEUE)
    second = officer_client.get(QUEUE, {"page": 2})

    assert shown(first) == [f"E-2026-{number:06d}" for number in range(25)]
    assert "Showing cases 1 to 25" in first.content.decode()
    assert 'href="/staff/queue/?page=2" rel="next"' in first.content.decode()
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    assert shown(second) == [f"E-2026-{number:06d}" for number in range(25, 30)]
    assert "Showing cases 26 to 30" in second.content.decode()
    assert 'rel="next"' not in second.content.decode()
    assert 'rel="prev"' in second.content.decode()


def test_a_page_past_the_end_says_so(officer_client):
    a_case(due=in_days(1))

    response = officer_client.get(QUEUE, {"page": 9})

    assert shown(response) == []
    assert "There are no more cases" in response.content.decode()


def test_the_next_page_keeps_the_view_and_filters(officer_client, officer):
    for _ in range(26):
        a_case(due=in_days(1), owner=officer, kind="repair")

    page = officer_client.get(QUEUE, {"view": "mine", "kind": "repair"}).content.decode()

    assert 'href="/staff/queue/?view=mine&amp;kind=repair&amp;page=2" rel="next"' in page


def populate(size, officer):
    """`size` open cases of every shape a row can take: owned or not, with a resident and a
    home or without, with a deadline or without."""
    for number in range(size):
        a_case(
            due=in_days(number % 5 - 2) if number % 4 else None,
            owner=officer if number % 3 == 0 else (factories.OfficerFactory() if number % 3 == 1 else None),
            resident=factories.ResidentFactory() if number % 7 else None,
            kind=["enquiry", "repair", "complaint"][number % 3],
        )


@pytest.mark.parametrize("size", [5, 60])
@pytest.mark.parametrize("params", [{}, {"view": "team", "kind": "enquiry", "q": "Mill"}, {"view": "overdue", "page": "2"}])
def test_a_page_of_the_queue_costs_the_same_queries_whatever_the_number_of_cases(
    officer_client, officer, django_assert_num_queries, size, params
):
    populate(size, officer)

    # Session, user, officer, the neighbourhoods to filter by, the page of cases (with the
    # kind of each case's next deadline), the officers cases can be assigned to, and the
    # header's count of unread reminders.
    with django_assert_num_queries(7):
        response = officer_client.get(QUEUE, params)

    assert response.status_code == 200
    assert response.context["rows"] or params.get("page")


# Assigning --------------------------------------------------------------------------------


def test_bulk_assign_gives_the_chosen_cases_to_an_officer_with_a_timeline_line_and_an_audit_entry(
    officer_client, officer
):
    colleague = factories.OfficerFactory(name="Cora Colleague", team=factories.TeamFactory(name="South team"))
    first, second, untouched = a_case(due=in_days(1)), a_case(due=in_days(2)), a_case(due=in_days(3))

    response = officer_client.post(
        "/staff/queue/assign/",
        {"cases": [first.pk, second.pk], "owner": colleague.pk, "action": "assign", "next": "/staff/queue/?kind=enquiry"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/staff/queue/?kind=enquiry"
    for case in (first, second):
        case.refresh_from_db()
        assert (case.owner, case.team) == (colleague, colleague.team)
        assert case.events.filter(kind=EventKind.ASSIGNED, message="Assigned to Cora Colleague").exists()
        assert AuditEntry.objects.filter(
            actor=officer.user,
            action=AuditEntry.Action.CHANGE,
            resident=case.resident,
            subject=f"case {case.reference}: assigned to Cora Colleague",
        ).exists()
    untouched.refresh_from_db()
    assert untouched.owner is None
    assert "2 cases are now assigned to Cora Colleague." in officer_client.get(QUEUE).content.decode()


def test_assign_to_me_takes_the_chosen_cases(officer_client, officer):
    first, second = a_case(due=in_days(1)), a_case(due=in_days(2))

    officer_client.post("/staff/queue/assign/", {"cases": [first.pk, second.pk], "action": "assign_to_me"})

    assert {first.pk, second.pk} == set(officer.cases.values_list("pk", flat=True))


def test_the_assign_to_me_button_on_a_row_takes_that_case_only(officer_client, officer):
    wanted, ticked = a_case(due=in_days(1)), a_case(due=in_days(2))

    # A ticked box elsewhere on the page does not ride along with a row's own button.
    response = officer_client.post(
        "/staff/queue/assign/", {"assign_one": wanted.pk, "cases": [ticked.pk], "next": "/staff/queue/"}
    )

    assert response.status_code == 302
    assert list(officer.cases.all()) == [wanted]
    assert AuditEntry.objects.filter(subject=f"case {wanted.reference}: assigned to {officer.name}").count() == 1


def test_assigning_without_choosing_cases_or_a_person_shows_what_to_fix(officer_client):
    a_case(due=in_days(1))

    response = officer_client.post("/staff/queue/assign/", {"action": "assign", "next": "/staff/queue/?view=all"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Select at least one case to assign" in page
    assert "Select who to assign the cases to" in page
    assert '<a href="#owner">' in page
    assert "<title>Error: Case queue" in page
    # Drawn at queue/assign/, the page's links and filters still lead to the queue.
    assert '<form method="get" action="/staff/queue/"' in page
    assert 'href="/staff/queue/?view=mine"' in page


def test_the_ticked_boxes_stay_ticked_when_the_form_comes_back_with_an_error(officer_client):
    case = a_case(due=in_days(1))

    page = officer_client.post("/staff/queue/assign/", {"action": "assign", "cases": [case.pk]}).content.decode()

    assert f'id="case-{case.pk}" name="cases" type="checkbox" value="{case.pk}" checked>' in page


def test_a_closed_case_is_not_assigned_from_the_queue(officer_client, officer):
    closed = a_case(due=in_days(1))
    change_status(case=closed, status=CaseStatus.CLOSED)

    officer_client.post("/staff/queue/assign/", {"cases": [closed.pk], "action": "assign_to_me"})

    closed.refresh_from_db()
    assert closed.owner is None
    assert not AuditEntry.objects.filter(subject__startswith=f"case {closed.reference}").exists()


def test_after_assigning_the_officer_only_goes_back_to_the_queue(officer_client):
    case = a_case(due=in_days(1))

    response = officer_client.post(
        "/staff/queue/assign/", {"assign_one": case.pk, "next": "https://phish.example/staff/queue/"}
    )

    assert response["Location"] == QUEUE


def test_cases_cannot_be_assigned_to_someone_who_has_left(officer_client):
    case = a_case(due=in_days(1))
    leaver = factories.OfficerFactory(is_active=False)

    response = officer_client.post("/staff/queue/assign/", {"cases": [case.pk], "owner": leaver.pk, "action": "assign"})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.owner is None


# The CSV export ---------------------------------------------------------------------------


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_has_the_filtered_cases_with_their_next_deadline(officer_client, officer):
    resident = factories.ResidentFactory(first_name="Olivia", last_name="Okafor")
    home = factories.HomeFactory(address_line_1="12 Station Road", town="Millbrook", postcode="MK9 3XS")
    repair = a_case(
        due=datetime(2026, 11, 30, 23, 59, 59, tzinfo=LONDON), deadline_kind=DeadlineKind.REPAIR_TARGET,
        reference="R-2026-000007", kind="repair", resident=resident, home=home, owner=officer, channel="phone",
    )
    a_case(due=in_days(1), kind="enquiry")

    response = officer_client.get("/staff/queue.csv", {"kind": "repair"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="case-queue-2026-11-24.csv"' == response["Content-Disposition"]
    assert read_csv(response) == [
        {
            "reference": "R-2026-000007",
            "kind": "Repair",
            "status": "Received",
            "resident": "Olivia Okafor",
            "address": "12 Station Road, Millbrook",
            "postcode": "MK9 3XS",
            "owner": "Olu Officer",
            "next deadline kind": "Complete repair",
            "due at": "2026-11-30T23:59:59+00:00",
            "channel": "Phone",
            "opened at": repair.opened_at.astimezone(LONDON).isoformat(timespec="seconds"),
        }
    ]


def test_the_csv_export_follows_the_view_and_records_who_downloaded_it(officer_client, officer):
    mine = a_case(due=in_days(1), owner=officer)
    a_case(due=in_days(1))

    rows = read_csv(officer_client.get("/staff/queue.csv", {"view": "mine"}))

    assert [row["reference"] for row in rows] == [mine.reference]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.actor, entry.subject, entry.detail) == (officer.user, "case queue CSV", {"filters": {"view": "mine"}})


def test_a_resident_name_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(officer_client):
    a_case(due=in_days(1), resident=factories.ResidentFactory(first_name="=HYPERLINK(1)", last_name="x"))

    rows = read_csv(officer_client.get("/staff/queue.csv"))

    assert rows[0]["resident"] == "'=HYPERLINK(1) x"


# When it is due, in words -----------------------------------------------------------------


def london(day, hour=10, minute=0, month=11):
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("due", "now", "words", "tag"),
    [
        # Due by the end of Thursday; on Monday morning Friday and Monday have gone by.
        (end_of_day(london(19).date()), london(23), "2 working days overdue", "Overdue"),
        # Due by the end of Friday; on Saturday no working day has passed yet.
        (end_of_day(london(27).date()), london(28), "overdue since Friday", "Overdue"),
        # Christmas 2026: the 25th, the weekend and Boxing Day's substitute Monday do not count.
        (end_of_day(london(24, month=12).date()), london(29, month=12), "1 working day overdue", "Overdue"),
        (london(24, 8), london(24, 10), "2 hours overdue", "Overdue"),
        (london(24, 13), london(24, 10), "due in 3 hours", "Due today"),
        (london(24, 17), london(24, 10), "due today by 5pm", "Due today"),
        (end_of_day(london(24).date()), london(24, 10), "due today by end of the day", "Due today"),
        (london(25, 12), london(24, 10), "due tomorrow by midday", "Due soon"),
        # On a Friday, the next working day is Monday: still 'due soon'.
        (end_of_day(london(30).date()), london(27), "due Monday by end of the day", "Due soon"),
        (end_of_day(london(1, month=12).date()), london(24), "due in 5 working days", ""),
        (None, london(24), "no deadline", ""),
    ],
)
def test_when_a_deadline_is_due_is_said_in_words(due, now, words, tag):
    described = describe_due(due, now=now, region="ENG")

    assert (described.words, described.tag) == (words, tag)


def test_the_queue_is_for_officers_of_every_role(client):
    contact_centre = factories.OfficerFactory(role=OfficerRole.CONTACT_CENTRE, patch=None)
    client.force_login(contact_centre.user)

    assert client.get(QUEUE).status_code == 200
