"""The resident's "Contact us": a question online becomes an enquiry with a one-working-day
call-back from the patch officer, once however often the form is sent."""

import re
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from portal.models import Case, CaseChannel, DeadlineKind, Notification
from portal.views import enquiries as enquiry_views
from portal.workdays import LONDON
from tests.factories import HomeFactory, OfficerFactory, TenancyFactory, resident_with_home

pytestmark = pytest.mark.django_db

FRIDAY_MORNING = datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)
QUESTION = "Can I have a second key fob for the bin store?"


def token_from(response) -> str:
    match = re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode())
    assert match, "the form carries a one-off token"
    return match.group(1)


@pytest.fixture
def patch_officer(resident):
    return OfficerFactory(name="Pat Patch", patch=resident.tenancies.get().home.neighbourhood)


def ask(client, question=QUESTION, **extra):
    token = token_from(client.get(reverse("contact_us")))
    return client.post(
        reverse("contact_us"), {"token": token, "question": question, **extra}
    ), token


def test_a_question_online_goes_to_the_patch_officer_with_a_call_back_by_the_next_working_day(
    resident_client, resident, patch_officer
):
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        response, _ = ask(resident_client)
        case = Case.objects.get(resident=resident)
        assert response.status_code == 302
        assert response["Location"] == reverse("contact_us_sent", args=[case.reference])
        page = resident_client.get(response["Location"]).content.decode()

    assert case.channel == CaseChannel.WEB
    assert case.owner == patch_officer
    assert case.enquiry.question == QUESTION
    due = case.deadlines.get(kind=DeadlineKind.CALLBACK).due_at.astimezone(LONDON)
    assert (due.date().isoformat(), due.hour) == ("2026-11-30", 23)
    assert "Question sent" in page
    assert case.reference in page
    assert "We will call you back by the end of Monday 30 November." in page
    assert "Pat Patch, your housing officer," in page
    assert "We have sent you a confirmation by email." in page


def test_sending_the_same_form_twice_makes_one_enquiry(resident_client, resident, patch_officer):
    token = token_from(resident_client.get(reverse("contact_us")))
    data = {"token": token, "question": QUESTION}
    first = resident_client.post(reverse("contact_us"), data)
    second = resident_client.post(reverse("contact_us"), data)
    assert Case.objects.filter(resident=resident).count() == 1
    assert Notification.objects.filter(resident=resident, template="callback_promised").count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


def test_each_new_form_makes_a_new_enquiry(resident_client, resident, patch_officer):
    ask(resident_client)
    ask(resident_client, question="When is the next estate walkabout?")
    assert Case.objects.filter(resident=resident).count() == 2


def test_a_second_send_while_the_first_is_still_saving_makes_nothing_more(
    resident_client, resident, patch_officer, monkeypatch
):
    monkeypatch.setattr(enquiry_views, "ONCE_WAIT_SECONDS", 0)
    token = token_from(resident_client.get(reverse("contact_us")))
    cache.add(f"doorstep:once:{resident.user.pk}:{token}", enquiry_views.ONCE_PENDING)
    response = resident_client.post(reverse("contact_us"), {"token": token, "question": QUESTION})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not Case.objects.filter(resident=resident).exists()


def test_a_send_that_fails_can_be_tried_again_with_the_same_form(
    resident_client, resident, patch_officer, monkeypatch
):
    token = token_from(resident_client.get(reverse("contact_us")))
    data = {"token": token, "question": QUESTION}

    def broken(**kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(enquiry_views, "make_enquiry", broken)
        with pytest.raises(RuntimeError):
            resident_client.post(reverse("contact_us"), data)
    assert resident_client.post(reverse("contact_us"), data).status_code == 302
    assert Case.objects.filter(resident=resident).count() == 1


def test_an_empty_question_is_refused_with_a_message_that_says_what_to_do(
    resident_client, resident
):
    response, _ = ask(resident_client, question="   ")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_question">Enter your question</a>' in page
    assert page.count("Enter your question") == 2  # in the summary and by the field
    assert "<title>Error: Contact us" in page
    assert not Case.objects.exists()


def test_a_question_that_is_too_long_is_refused_and_what_was_typed_stays(resident_client, resident):
    long_question = "My neighbour’s hedge " + "is very tall " * 160
    assert len(long_question) > 2000
    response, token = ask(resident_client, question=long_question)
    page = response.content.decode()
    assert "Your question must be 2,000 characters or fewer" in page
    assert "is very tall is very tall" in page
    assert f'value="{token}"' in page  # the same form: sending it again is still one enquiry
    assert not Case.objects.exists()


def test_a_resident_with_two_homes_is_asked_which_one_and_keeps_their_question_on_error(
    resident_client, resident
):
    second_home = HomeFactory(address_line_1="4 Garage Court")
    TenancyFactory(home=second_home, residents=[resident], reference="T-900001")
    form = resident_client.get(reverse("contact_us")).content.decode()
    assert "Which home is your question about?" in form
    assert "4 Garage Court" in form

    response, token = ask(resident_client)
    page = response.content.decode()
    assert "Select which home your question is about" in page
    assert '<a href="#id_home_1">' in page  # the summary links to the first radio button
    assert QUESTION in page

    resident_client.post(
        reverse("contact_us"), {"token": token, "question": QUESTION, "home": second_home.pk}
    )
    assert Case.objects.get(resident=resident).home == second_home


def test_a_resident_with_one_home_is_not_asked_which_home(resident_client, resident):
    assert "Which home" not in resident_client.get(reverse("contact_us")).content.decode()


def test_contact_us_is_for_residents_not_officers(officer_client):
    assert officer_client.get(reverse("contact_us")).status_code == 403


def test_visitors_who_are_not_signed_in_are_sent_to_sign_in(client):
    response = client.get(reverse("contact_us"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_resident_cannot_see_the_confirmation_for_someone_elses_question(
    client, resident, patch_officer
):
    someone_else = resident_with_home()
    client.force_login(someone_else.user)
    _, _ = ask(client)
    theirs = Case.objects.get(resident=someone_else)
    client.force_login(resident.user)
    assert client.get(reverse("contact_us_sent", args=[theirs.reference])).status_code == 404
