"""Casework: the contact centre logs enquiries, officers work cases on the case page, and the
resident sees what they should and nothing more."""

import re
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import (
    AuditEntry,
    Case,
    CaseChannel,
    CaseStatus,
    ContactAttempt,
    DeadlineKind,
    EventKind,
    Notification,
    OfficerRole,
)
from portal.services.cases import add_note, open_case
from portal.services.enquiries import make_enquiry
from portal.workdays import LONDON
from tests import factories

pytestmark = pytest.mark.django_db

FRIDAY_MORNING = datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)
MONDAY_MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=LONDON)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_from(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def home(resident):
    return resident.tenancies.get().home


@pytest.fixture
def patch_officer(home):
    return factories.OfficerFactory(
        name="Pat Patch", patch=home.neighbourhood, team=factories.TeamFactory()
    )


@pytest.fixture
def agent():
    return factories.OfficerFactory(
        name="Chris Centre", role=OfficerRole.CONTACT_CENTRE, patch=None
    )


@pytest.fixture
def enquiry(resident, home, patch_officer):
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        return make_enquiry(
            resident=resident, home=home, question="Can I paint my front door?", channel="phone"
        )


def case_url(case, action=None):
    if action is None:
        return reverse("staff:case", args=[case.reference])
    return reverse(f"staff:case_{action}", args=[case.reference])


# Who may see what ---------------------------------------------------------------------------


def staff_pages():
    reference = "E-2026-000001"
    return [
        ("get", reverse("staff:case", args=[reference])),
        *[
            ("post", reverse(f"staff:case_{action}", args=[reference]))
            for action in (
                "assign_to_me",
                "reassign",
                "add_note",
                "record_contact",
                "change_status",
                "close",
            )
        ],
        ("get", reverse("staff:log_enquiry")),
        ("get", reverse("staff:log_enquiry_for", args=[1])),
        ("post", reverse("staff:log_enquiry_for", args=[1])),
        ("get", reverse("staff:inbox")),
        ("post", reverse("staff:inbox_mark_all_read")),
        ("get", reverse("staff:inbox_open", args=[1])),
    ]


@pytest.mark.parametrize(("method", "url"), staff_pages())
def test_a_resident_is_refused_every_casework_page(resident_client, enquiry, method, url):
    assert getattr(resident_client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), staff_pages())
def test_visitors_who_are_not_signed_in_are_sent_to_sign_in_from_casework_pages(
    client, method, url
):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_officer_gets_page_not_found_for_a_case_that_does_not_exist(officer_client):
    assert officer_client.get(reverse("staff:case", args=["E-2026-999999"])).status_code == 404
    assert (
        officer_client.post(reverse("staff:case_add_note", args=["E-2026-999999"]), {}).status_code
        == 404
    )


def test_opening_a_residents_case_is_logged(officer_client, officer, enquiry):
    officer_client.get(case_url(enquiry))
    assert AuditEntry.objects.filter(
        actor=officer.user,
        action="view",
        resident=enquiry.resident,
        subject=f"case {enquiry.reference}",
    ).exists()


# The acceptance journey ---------------------------------------------------------------------


def test_a_phone_enquiry_reaches_the_patch_officer_who_calls_back_and_the_resident_sees_it(
    resident, home, patch_officer, agent
):
    factories.OfficerFactory(name="Someone Else")  # the officer for another patch

    # The contact centre finds the resident and logs the call.
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        centre = signed_in(agent.user)
        search = centre.get(reverse("staff:log_enquiry"), {"q": resident.last_name})
        assert reverse("staff:log_enquiry_for", args=[resident.pk]) in text_of(search)
        form = centre.get(reverse("staff:log_enquiry_for", args=[resident.pk]))
        assert "Pat Patch, the housing officer for" in text_of(form)
        logged = centre.post(
            reverse("staff:log_enquiry_for", args=[resident.pk]),
            {
                "token": token_from(form),
                "channel": "phone",
                "question": "My boiler is making a noise",
                "answered": "no",
            },
            follow=True,
        )
    case = Case.objects.get(resident=resident)
    assert logged.redirect_chain[-1][0] == case_url(case)
    assert (
        f"Enquiry {case.reference} logged. Pat Patch will call {resident.full_name} back by the end of Monday 30 November."
        in text_of(logged)
    )
    assert case.channel == CaseChannel.PHONE
    assert case.owner == patch_officer
    callback = case.deadlines.get(kind=DeadlineKind.CALLBACK)
    assert callback.due_at.astimezone(LONDON).date().isoformat() == "2026-11-30"

    # It is in the patch officer's queue, with its deadline.
    officer = signed_in(patch_officer.user)
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        queue = officer.get(reverse("staff:queue"), {"view": "mine"})
    assert queue.status_code == 200
    assert case.reference in text_of(queue)

    # On Monday the officer calls back and records it on the case page.
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = officer.get(case_url(case))
        assert "Due today" in text_of(page)
        recorded = officer.post(
            case_url(case, "record_contact"),
            {
                "contact-method": "phone",
                "contact-outcome": "reached",
                "contact-note": "An engineer will visit Tuesday.",
            },
            follow=True,
        )
    assert "Contact recorded: spoke to the resident. The call-back is done." in text_of(recorded)
    assert "Met on time" in text_of(recorded)
    callback.refresh_from_db()
    assert callback.was_met_in_time

    # The resident sees it.
    home_page = signed_in(resident.user)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        mine = text_of(home_page.get(reverse("home")))
        detail = text_of(home_page.get(reverse("case_detail", args=[case.reference])))
    assert case.reference in mine
    assert "In progress" in mine
    assert "We called you and spoke with you. An engineer will visit Tuesday." in detail


# Logging an enquiry -------------------------------------------------------------------------


@pytest.fixture
def centre(agent):
    return signed_in(agent.user)


def found(centre, query):
    return text_of(centre.get(reverse("staff:log_enquiry"), {"q": query}))


def test_the_contact_centre_finds_a_resident_by_surname_name_postcode_address_or_tenancy(centre):
    jo = factories.resident_with_home(first_name="Jo", last_name="Okonkwo-Smith")
    jo_home = jo.tenancies.get().home
    jo_home.address_line_1, jo_home.postcode = "12 Mill Lane", "MK9 3EJ"
    jo_home.save()
    other = factories.resident_with_home(first_name="Sam", last_name="Okafor")

    assert jo.full_name in found(centre, "okonkwo")
    assert other.full_name not in found(centre, "okon")
    assert jo.full_name in found(centre, "jo okon")
    assert jo.full_name not in found(centre, "sam okon")
    assert jo.full_name in found(centre, "mk9 3ej")
    assert jo.full_name in found(centre, "MK93EJ")
    assert jo.full_name in found(centre, "12 Mill Lane, MK9 3EJ")
    assert jo.full_name not in found(centre, "14 Mill Lane MK9 3EJ")
    assert jo.full_name in found(centre, jo.tenancies.get().reference.lower())
    assert "No residents match" in found(centre, "Zzyzx")


def test_a_former_tenant_is_not_found_at_their_old_postcode(centre):
    moved = factories.resident_with_home(last_name="Moved")
    tenancy = moved.tenancies.get()
    tenancy.home.postcode = "MK9 3EJ"
    tenancy.home.save()
    tenancy.end_date = datetime(2025, 1, 1).date()
    tenancy.save()
    assert moved.full_name not in found(centre, "MK9 3EJ")


def test_the_search_shows_at_most_25_residents(centre):
    for _ in range(27):
        factories.resident_with_home(last_name="Patel", user=False)
    page = found(centre, "patel")
    assert page.count("Choose<span") == 25
    assert "Showing the first 25" in page


def test_an_enquiry_answered_there_and_then_is_resolved_at_first_contact(
    centre, resident, patch_officer
):
    form = centre.get(reverse("staff:log_enquiry_for", args=[resident.pk]))
    response = centre.post(
        reverse("staff:log_enquiry_for", args=[resident.pk]),
        {
            "token": token_from(form),
            "channel": "walk_in",
            "question": "What day are the bins collected?",
            "answered": "yes",
            "answer": "Every Tuesday.",
        },
        follow=True,
    )
    case = Case.objects.get(resident=resident)
    assert case.status == CaseStatus.RESOLVED
    assert case.enquiry.resolved_at_first_contact
    assert case.channel == CaseChannel.WALK_IN
    assert f"Enquiry {case.reference} logged and resolved at first contact." in text_of(response)


def test_saying_it_was_answered_without_the_answer_is_refused_and_what_was_typed_stays(
    centre, resident
):
    form = centre.get(reverse("staff:log_enquiry_for", args=[resident.pk]))
    response = centre.post(
        reverse("staff:log_enquiry_for", args=[resident.pk]),
        {
            "token": token_from(form),
            "channel": "text",
            "question": "Is my rent going up?",
            "answered": "yes",
        },
    )
    page = text_of(response)
    assert response.status_code == 200
    assert '<a href="#id_answer">Enter what you told the resident</a>' in page
    assert "Is my rent going up?" in page
    assert re.search(r'value="text"\s+checked', page)
    assert not Case.objects.exists()


def test_the_enquiry_form_says_what_is_missing(centre, resident):
    form = centre.get(reverse("staff:log_enquiry_for", args=[resident.pk]))
    page = text_of(
        centre.post(
            reverse("staff:log_enquiry_for", args=[resident.pk]), {"token": token_from(form)}
        )
    )
    assert '<a href="#id_channel_1">Select how the resident contacted us</a>' in page
    assert '<a href="#id_question">Enter the resident&#x27;s question</a>' in page
    assert (
        '<a href="#id_answered_1">Select yes if you answered the question there and then</a>'
        in page
    )


def test_logging_the_same_enquiry_twice_makes_one_case(centre, resident, patch_officer):
    form = centre.get(reverse("staff:log_enquiry_for", args=[resident.pk]))
    data = {
        "token": token_from(form),
        "channel": "phone",
        "question": "Parking permit?",
        "answered": "no",
    }
    first = centre.post(reverse("staff:log_enquiry_for", args=[resident.pk]), data)
    second = centre.post(reverse("staff:log_enquiry_for", args=[resident.pk]), data)
    assert Case.objects.filter(resident=resident).count() == 1
    assert first["Location"] == second["Location"] == case_url(Case.objects.get())


def test_choosing_a_resident_for_an_enquiry_is_logged(centre, agent, resident):
    centre.get(reverse("staff:log_enquiry_for", args=[resident.pk]))
    assert AuditEntry.objects.filter(actor=agent.user, action="view", resident=resident).exists()


# Working a case -----------------------------------------------------------------------------


def test_the_case_page_shows_the_whole_timeline_and_marks_internal_notes(
    officer_client, officer, enquiry
):
    add_note(
        case=enquiry,
        author=officer.user,
        text="Resident sounded worried.",
        visible_to_resident=False,
    )
    page = text_of(officer_client.get(case_url(enquiry)))
    assert "Resident sounded worried." in page
    assert "Internal" in page
    assert "Can I paint my front door?" in page
    assert enquiry.owner.name in page
    assert reverse("staff:resident", args=[enquiry.resident.pk]) in page
    assert "Call back" in page


def test_notes_kept_internal_do_not_reach_the_resident(resident_client, patch_officer, enquiry):
    officer = signed_in(patch_officer.user)
    officer.post(
        case_url(enquiry, "add_note"), {"note-text": "Neighbour dispute history: see file."}
    )
    officer.post(
        case_url(enquiry, "add_note"),
        {"note-text": "We have asked the painter.", "note-visible_to_resident": "on"},
    )
    notes = enquiry.events.filter(kind=EventKind.NOTE)
    assert notes.count() == 2
    page = text_of(resident_client.get(reverse("case_detail", args=[enquiry.reference])))
    assert "We have asked the painter." in page
    assert "Neighbour dispute" not in page


def test_an_empty_note_is_refused_with_the_error_summary_and_the_tick_stays(
    officer_client, enquiry
):
    response = officer_client.post(
        case_url(enquiry, "add_note"), {"note-text": " ", "note-visible_to_resident": "on"}
    )
    page = text_of(response)
    assert response.status_code == 200
    assert '<a href="#id_note-text">Enter the note</a>' in page
    assert re.search(r'name="note-visible_to_resident"[^>]*checked', page)
    assert not enquiry.events.filter(kind=EventKind.NOTE).exists()


def test_an_officer_assigns_a_case_to_themselves(officer_client, officer, enquiry):
    response = officer_client.post(case_url(enquiry, "assign_to_me"), follow=True)
    enquiry.refresh_from_db()
    assert enquiry.owner == officer
    assert f"{enquiry.reference} is now yours." in text_of(response)
    assert (
        AuditEntry.objects.filter(
            actor=officer.user, action="change", resident=enquiry.resident
        ).count()
        == 1
    )


def test_an_officer_reassigns_a_case_and_must_choose_someone(officer_client, enquiry):
    colleague = factories.OfficerFactory(name="Alex Colleague")
    page = text_of(officer_client.post(case_url(enquiry, "reassign"), {"assign-officer": ""}))
    assert '<a href="#id_assign-officer">Select who to assign the case to</a>' in page
    officer_client.post(case_url(enquiry, "reassign"), {"assign-officer": colleague.pk})
    enquiry.refresh_from_db()
    assert enquiry.owner == colleague


def test_recording_a_contact_attempt_is_audited_once(officer_client, officer, enquiry):
    officer_client.post(
        case_url(enquiry, "record_contact"),
        {"contact-method": "phone", "contact-outcome": "no_answer"},
    )
    assert ContactAttempt.objects.get(case=enquiry).outcome == "no_answer"
    assert (
        AuditEntry.objects.filter(
            actor=officer.user, action="change", resident=enquiry.resident
        ).count()
        == 1
    )
    assert enquiry.deadlines.get(kind=DeadlineKind.CALLBACK).met_at is None


def test_a_contact_attempt_needs_an_outcome(officer_client, enquiry):
    page = text_of(
        officer_client.post(case_url(enquiry, "record_contact"), {"contact-method": "phone"})
    )
    assert '<a href="#id_contact-outcome_1">Select what happened</a>' in page
    assert not ContactAttempt.objects.exists()


def test_an_officer_changes_the_status(officer_client, officer, enquiry):
    response = officer_client.post(
        case_url(enquiry, "change_status"), {"status-status": "on_hold"}, follow=True
    )
    enquiry.refresh_from_db()
    assert enquiry.status == CaseStatus.ON_HOLD
    assert "Status changed to “On hold”." in text_of(response)
    assert AuditEntry.objects.filter(
        actor=officer.user, action="change", subject__contains="on_hold"
    ).exists()


def test_resolving_an_enquiry_tells_the_resident_the_answer(officer_client, enquiry):
    response = officer_client.post(
        case_url(enquiry, "close"),
        {"close-outcome": "resolved", "close-message": "Yes, any colour from the approved list."},
        follow=True,
    )
    enquiry.refresh_from_db()
    assert enquiry.status == CaseStatus.RESOLVED
    assert enquiry.enquiry.answer == "Yes, any colour from the approved list."
    assert Notification.objects.filter(
        resident=enquiry.resident, template="enquiry_answered"
    ).exists()
    assert enquiry.deadlines.get(kind=DeadlineKind.CALLBACK).stopped_at is not None
    assert "is closed as resolved" in text_of(response)
    assert "This case is closed." in text_of(response)


def test_closing_another_kind_of_case_sends_the_resident_the_message(
    officer_client, resident, home
):
    case = open_case(
        kind="repair", summary="Dripping tap", channel="phone", resident=resident, home=home
    )
    officer_client.post(
        case_url(case, "close"),
        {"close-outcome": "closed", "close-message": "Reported twice; see R-1."},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    sent = Notification.objects.get(resident=resident, template="case_update")
    assert "Reported twice; see R-1." in sent.body


def test_closing_needs_a_message_and_keeps_the_choice(officer_client, enquiry):
    page = text_of(
        officer_client.post(
            case_url(enquiry, "close"), {"close-outcome": "closed", "close-message": ""}
        )
    )
    assert '<a href="#id_close-message">Enter a message to the resident</a>' in page
    assert re.search(r'value="closed"\s+checked', page)
    enquiry.refresh_from_db()
    assert enquiry.is_open


def test_a_closed_case_takes_no_more_contacts(officer_client, enquiry):
    officer_client.post(
        case_url(enquiry, "close"), {"close-outcome": "closed", "close-message": "Withdrawn."}
    )
    officer_client.post(
        case_url(enquiry, "record_contact"),
        {"contact-method": "phone", "contact-outcome": "reached"},
    )
    assert not ContactAttempt.objects.exists()


def test_the_case_page_costs_the_same_queries_with_30_events_as_with_3(
    officer_client, officer, resident, home, django_assert_max_num_queries
):
    def case_with(events):
        case = open_case(
            kind="enquiry",
            summary="Fence",
            channel="web",
            resident=resident,
            home=home,
            owner=officer,
        )
        for n in range(events - 1):
            add_note(
                case=case, author=officer.user, text=f"Note {n}", visible_to_resident=n % 2 == 0
            )
        return case

    small, large = case_with(3), case_with(30)
    assert large.events.count() == 30
    officer_client.get(case_url(small))  # warm the landlord cache and the session

    def queries(case):
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(case_url(case)).status_code == 200
        return len(captured)

    assert queries(small) == queries(large)
    with django_assert_max_num_queries(14):
        officer_client.get(case_url(large))
