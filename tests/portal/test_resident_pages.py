"""The resident's pages: who may see what, what the pages say, and that they stay cheap."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import extensions
from portal.models import (
    CaseStatus,
    Channel,
    DeadlineKind,
    Landlord,
    Tenure,
)
from portal.services.cases import add_note, change_status, set_deadline
from portal.views import pages
from portal.workdays import LONDON, end_of_day
from tests import factories

pytestmark = pytest.mark.django_db

# A Friday afternoon in London, so "Monday 30 November" is the next working day.
FRIDAY_AFTERNOON = datetime(2026, 11, 27, 15, 15, tzinfo=LONDON)


def home_of(resident):
    return resident.tenancies.get().home


def case_for(resident, **fields):
    return factories.CaseFactory(resident=resident, home=home_of(resident), **fields)


# Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("contact_preferences"),
        reverse("your_data"),
        reverse("download_your_data", args=["json"]),
        reverse("case_detail", args=["E-2026-000001"]),
        reverse("link_tenancy"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_visitors_see_the_start_page_with_sign_in_and_create_an_account(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert "tenancy reference" in html
    assert Landlord.current().phone in html


def test_a_signed_in_account_without_a_home_is_asked_to_link_one(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("contact_preferences"))
    assert response.status_code == 302
    assert response["Location"] == reverse("link_tenancy")


@pytest.mark.parametrize(
    "url",
    [
        reverse("contact_preferences"),
        reverse("your_data"),
        reverse("download_your_data", args=["csv"]),
        reverse("case_detail", args=["E-2026-000001"]),
    ],
)
def test_an_officer_is_refused_the_residents_pages(officer_client, url):
    assert officer_client.get(url).status_code == 403


def test_an_officer_going_to_the_home_page_is_sent_to_the_staff_area(officer_client):
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")


def test_a_resident_cannot_see_another_residents_case(resident_client):
    someone_else = factories.resident_with_home()
    their_case = case_for(someone_else, summary="Broken fence at number 9")
    response = resident_client.get(reverse("case_detail", args=[their_case.reference]))
    assert response.status_code == 404
    assert b"Broken fence" not in response.content


def test_a_resident_gets_not_found_for_a_reference_that_does_not_exist(resident_client):
    assert resident_client.get(reverse("case_detail", args=["R-1999-999999"])).status_code == 404


def test_a_resident_cannot_download_an_unknown_format(resident_client):
    assert resident_client.get(reverse("download_your_data", args=["xml"])).status_code == 404


# Your home ------------------------------------------------------------------------------------


@time_machine.travel(FRIDAY_AFTERNOON, tick=False)
def test_the_home_page_shows_the_address_open_cases_and_when_we_will_reply(resident_client, resident):
    home = home_of(resident)
    case = case_for(resident, summary="Kitchen tap dripping")
    set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=end_of_day(datetime(2026, 11, 30).date()))

    response = resident_client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert home.address_line_1 in html
    assert home.postcode in html
    assert "Kitchen tap dripping" in html
    assert reverse("case_detail", args=[case.reference]) in html
    assert "We will call you back by end of Monday 30 November" in html
    assert "A tenant" in html
    assert resident.tenancies.get().reference in html


def test_the_home_page_does_not_show_another_residents_case(resident_client):
    case_for(factories.resident_with_home(), summary="Someone else's leaking roof")
    response = resident_client.get(reverse("home"))
    assert "leaking roof" not in response.content.decode()


def test_the_home_page_names_a_leaseholder_and_the_others_on_the_lease(client):
    leaseholder = factories.resident_with_home(tenure=Tenure.LEASEHOLD)
    partner = factories.ResidentFactory(first_name="Priya", last_name="Okafor")
    leaseholder.tenancies.get().residents.add(partner)
    client.force_login(leaseholder.user)

    html = client.get(reverse("home")).content.decode()

    assert "A leaseholder" in html
    assert "Priya Okafor" in html


def test_closed_cases_are_listed_apart_from_open_ones(resident_client, resident):
    closed = case_for(resident, summary="Replace bathroom light")
    change_status(case=closed, status=CaseStatus.RESOLVED)
    html = resident_client.get(reverse("home")).content.decode()
    recently_closed = html.split("Recently closed", 1)[1]
    assert "Replace bathroom light" in recently_closed
    assert "nothing open with us" in html


def test_the_home_page_links_to_contact_preferences_and_your_data(resident_client):
    html = resident_client.get(reverse("home")).content.decode()
    assert reverse("contact_preferences") in html
    assert reverse("your_data") in html


def test_the_home_page_needs_the_same_few_queries_however_many_cases(resident_client, resident):
    def queries_with(cases):
        for _ in range(cases):
            case = case_for(resident)
            set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=2))
        for _ in range(3):
            change_status(case=case_for(resident), status=CaseStatus.CLOSED)
        with CaptureQueriesContext(connection) as queries:
            assert resident_client.get(reverse("home")).status_code == 200
        return len(queries)

    Landlord.current()  # the landlord is cached between requests; warm it as a running site would
    few, many = queries_with(5), queries_with(50)
    assert few == many
    # The core page takes 9; each app's block on it (panels, neighbourhood, notices, plan, ASB
    # reports, survey, committee) a fixed one or two more.
    assert many <= 9 + 2 * len(extensions._home_sections)


# A case -----------------------------------------------------------------------------------------


@time_machine.travel(FRIDAY_AFTERNOON, tick=False)
def test_a_case_shows_its_promises_and_the_timeline_the_resident_may_see(resident_client, resident):
    case = case_for(resident, kind="complaint", summary="Repair appointment missed twice")
    add_note(case=case, author=None, text="We have asked the contractor why", visible_to_resident=True)
    add_note(case=case, author=None, text="Internal: contractor on final warning", visible_to_resident=False)
    set_deadline(case=case, kind=DeadlineKind.COMPLAINT_RESPONSE, due_at=end_of_day(datetime(2026, 12, 11).date()))

    response = resident_client.get(reverse("case_detail", args=[case.reference]))

    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html
    assert "Repair appointment missed twice" in html
    assert "We will respond to your complaint by end of Friday 11 December" in html
    assert "We have asked the contractor why" in html
    assert "final warning" not in html
    assert "ds-timeline" in html


def test_a_resident_can_see_a_case_about_their_home_that_names_nobody(resident_client, resident):
    case = factories.CaseFactory(resident=None, home=home_of(resident), summary="Communal door not closing")
    response = resident_client.get(reverse("case_detail", args=[case.reference]))
    assert response.status_code == 200
    assert "Communal door not closing" in response.content.decode()


# Contact preferences --------------------------------------------------------------------------


def preferences(resident, **changes):
    data = {
        "email": resident.email,
        "phone": resident.phone,
        "preferred_channel": resident.preferred_channel,
        "preferred_language": resident.preferred_language,
        "accessibility_needs": "",
    }
    data.update(changes)
    return data


def test_a_resident_can_save_their_contact_preferences(resident_client, resident):
    response = resident_client.post(
        reverse("contact_preferences"),
        preferences(resident, preferred_channel=Channel.LETTER, preferred_language="Polish", needs_large_print="on"),
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.preferred_channel == Channel.LETTER
    assert resident.preferred_language == "Polish"
    assert resident.needs_large_print is True
    assert "Your contact preferences are saved" in resident_client.get(response["Location"]).content.decode()


def test_choosing_text_without_a_phone_number_shows_the_error_by_the_field_and_keeps_the_answers(
    resident_client, resident
):
    response = resident_client.post(
        reverse("contact_preferences"),
        preferences(resident, phone="", preferred_channel=Channel.TEXT, preferred_language="Somali"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert '<a href="#id_phone">Enter a phone number, or choose another way to contact you</a>' in html
    # The inline message sits with the phone field.
    assert 'id="id_phone_1_error"' in html
    assert 'value="Somali"' in html
    assert 'value="text"' in html and "checked" in html.split('value="text"', 1)[1].split(">", 1)[0]
    assert "<title>Error: " in html
    resident.refresh_from_db()
    assert resident.preferred_channel == Channel.EMAIL


# Linking an account to a home -------------------------------------------------------------------


@pytest.fixture
def unlinked():
    resident = factories.resident_with_home(user=False)
    user = factories.UserFactory()
    return resident, user


def link_details(resident, **changes):
    dob = resident.date_of_birth
    data = {
        "tenancy_reference": resident.tenancies.get().reference.lower(),
        "date_of_birth_0": dob.day,
        "date_of_birth_1": dob.month,
        "date_of_birth_2": dob.year,
        "postcode": home_of(resident).postcode.replace(" ", "").lower(),
    }
    data.update(changes)
    return data


def test_the_right_details_link_the_account_to_the_home(client, unlinked):
    resident, user = unlinked
    client.force_login(user)
    response = client.post(reverse("link_tenancy"), link_details(resident))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    resident.refresh_from_db()
    assert resident.user == user


def test_wrong_details_say_so_and_how_many_tries_are_left(client, unlinked):
    resident, user = unlinked
    client.force_login(user)
    response = client.post(reverse("link_tenancy"), link_details(resident, postcode="ZZ1 1ZZ"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "We could not find a tenancy with those details" in html
    assert "You have 4 tries left" in html
    resident.refresh_from_db()
    assert resident.user is None


def test_five_wrong_tries_lock_linking_until_the_lock_ends(client, unlinked):
    resident, user = unlinked
    client.force_login(user)
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as traveller:
        for _ in range(5):
            response = client.post(reverse("link_tenancy"), link_details(resident, tenancy_reference="T-WRONG"))
        assert "You have tried too many times. You can try again after 3:45pm." in response.content.decode()

        # Even the right details are refused while locked.
        traveller.shift(timedelta(minutes=29))
        response = client.post(reverse("link_tenancy"), link_details(resident))
        assert response.status_code == 200
        assert "You have tried too many times" in response.content.decode()
        resident.refresh_from_db()
        assert resident.user is None

        traveller.shift(timedelta(minutes=2))
        response = client.post(reverse("link_tenancy"), link_details(resident))
        assert response.status_code == 302
        resident.refresh_from_db()
        assert resident.user == user


def test_a_resident_already_linked_is_sent_home_from_the_linking_page(resident_client):
    response = resident_client.get(reverse("link_tenancy"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# Download your data -----------------------------------------------------------------------------


def test_the_json_download_holds_the_residents_own_cases_and_not_others(resident_client, resident):
    mine = case_for(resident, summary="Mould in the back bedroom")
    theirs = case_for(factories.resident_with_home(), summary="Noise from the flat above")

    response = resident_client.get(reverse("download_your_data", args=["json"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    references = [case["reference"] for case in data["cases"]]
    assert references == [mine.reference]
    assert theirs.reference not in response.content.decode()
    assert data["you"]["last_name"] == resident.last_name


def test_the_csv_download_holds_the_residents_own_cases_and_not_others(resident_client, resident):
    mine = case_for(resident, summary="Mould in the back bedroom")
    theirs = case_for(factories.resident_with_home(), summary="Noise from the flat above")

    response = resident_client.get(reverse("download_your_data", args=["csv"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "item", "field", "value"]
    assert ["cases", "1", "reference", mine.reference] in rows
    assert theirs.reference not in response.content.decode()
    assert "Noise from the flat above" not in response.content.decode()


def test_the_your_data_page_links_to_both_downloads(resident_client):
    html = resident_client.get(reverse("your_data")).content.decode()
    assert reverse("download_your_data", args=["csv"]) in html
    assert reverse("download_your_data", args=["json"]) in html


# Public pages and errors ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_the_accessibility_statement_and_privacy_notice_need_no_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert Landlord.current().name in response.content.decode()


def test_the_accessibility_statement_gives_the_standard_and_the_enforcement_procedure(client):
    html = client.get(reverse("accessibility")).content.decode()
    assert "2.2" in html
    assert "Equality and Human Rights Commission" in html
    assert "Equality Advisory and Support Service" in html


def test_the_privacy_notice_names_the_controller_and_points_to_the_download_and_the_ico(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "data controller" in html
    assert reverse("your_data") in html
    assert "ico.org.uk" in html


@pytest.fixture
def named_landlord(db):
    landlord = Landlord.current()
    landlord.name = "Millbrook Homes"
    landlord.save()
    return landlord


def test_the_not_found_page_carries_the_landlords_name(client, named_landlord):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Millbrook Homes" in html


def test_the_forbidden_page_carries_the_landlords_name(resident_client, named_landlord):
    response = resident_client.get(reverse("staff:home"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html
    assert "Millbrook Homes" in html


def test_the_server_error_page_renders_with_an_empty_context_and_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = pages.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_many_accounts_guessing_from_one_address_are_slowed_down(client, settings, unlinked):
    settings.TENANCY_LINK_MAX_TRIES_PER_ADDRESS = 3
    resident, _ = unlinked
    for n in range(3):
        client.force_login(factories.UserFactory(email=f"guesser{n}@example.org"))
        response = client.post(reverse("link_tenancy"), link_details(resident, tenancy_reference="T-WRONG"))
        assert response.status_code == 200
    client.force_login(factories.UserFactory(email="guesser4@example.org"))
    response = client.post(reverse("link_tenancy"), link_details(resident))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    resident.refresh_from_db()
    assert resident.user is None


def test_a_staff_account_cannot_be_linked_to_a_tenancy(officer_client, unlinked):
    resident, _ = unlinked
    response = officer_client.post(reverse("link_tenancy"), link_details(resident))
    assert response.status_code == 403
    resident.refresh_from_db()
    assert resident.user is None


def test_every_page_links_to_what_anyone_may_read(client):
    html = client.get(reverse("home")).content.decode()
    footer = html.split('<footer class="govuk-footer">', 1)[1]
    for path in ("/charter/", "/satisfaction/", "/get-involved/", "/you-said-we-did/", "/neighbourhood/", "/news/"):
        assert f'href="{path}"' in footer
