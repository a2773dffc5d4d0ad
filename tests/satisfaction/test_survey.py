"""The online survey: invited residents answer once per household per year, in the regulator's
wording with the landlord's name; a second try is refused with a clear message; a double submit
makes one response. Staff record interviews, with an unprompted don't know."""

import datetime as dt

import pytest
from django.urls import reverse

from charter.satisfaction import services
from charter.satisfaction.models import SurveyResponse
from portal.models import AuditEntry, Landlord, OfficerRole, Tenure
from portal.workdays import LONDON
from tests import factories
from tests.satisfaction.factories import InvitationFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_september(time_machine):
    time_machine.move_to(dt.datetime(2025, 9, 15, 10, 0, tzinfo=LONDON), tick=False)


ANSWERS = {
    "tp01": "fairly_satisfied",
    "had_repair": "yes",
    "tp02": "very_satisfied",
    "tp03": "neither",
    "tp04": "fairly_satisfied",
    "tp05": "very_satisfied",
    "tp06": "fairly_dissatisfied",
    "tp07": "neither",
    "tp08": "agree",
    "made_complaint": "no",
    "tp09": "very_dissatisfied",  # revealed then hidden by "no": not kept
    "has_communal": "yes",
    "tp10": "fairly_satisfied",
    "tp11": "neither",
    "tp12": "very_satisfied",
}


@pytest.fixture
def landlord():
    landlord = Landlord.current()
    landlord.name = "Millbrook Homes"
    landlord.save()
    return landlord


@pytest.fixture
def invitation(landlord):
    return InvitationFactory(survey=SurveyFactory())


def test_the_survey_asks_the_regulators_questions_in_order_with_the_landlords_name(
    client, invitation
):
    client.force_login(invitation.resident.user)
    page = client.get(reverse("satisfaction:survey")).content.decode()
    wording = [
        "Taking everything into account, how satisfied or dissatisfied are you with the service provided by "
        "Millbrook Homes?",
        "Has Millbrook Homes carried out a repair to your home in the last 12 months?",
        "How satisfied or dissatisfied are you with the overall repairs service from Millbrook Homes over the "
        "last 12 months?",
        "How satisfied or dissatisfied are you with the time taken to complete your most recent repair after you "
        "reported it?",
        "To what extent do you agree or disagree with the following: &quot;Millbrook Homes treats me fairly and "
        "with respect&quot;?",
        "Have you made a complaint to Millbrook Homes in the last 12 months?",
        "How satisfied or dissatisfied are you with Millbrook Homes&#x27;s approach to complaints handling?",
        "Do you live in a building with communal areas, either inside or outside, that Millbrook Homes is "
        "responsible for maintaining?",
        "How satisfied or dissatisfied are you with Millbrook Homes&#x27;s approach to handling anti-social "
        "behaviour?",
    ]
    positions = [page.index(text) for text in wording]
    assert positions == sorted(positions)
    assert "Neither satisfied nor dissatisfied" in page and "Strongly agree" in page
    assert "dont_know" not in page  # no "don't know" offered online


def test_shared_owners_are_not_asked_about_repairs(client, landlord):
    invitation = InvitationFactory(
        survey=SurveyFactory(),
        resident=factories.resident_with_home(tenure=Tenure.SHARED_OWNERSHIP),
    )
    client.force_login(invitation.resident.user)
    page = client.get(reverse("satisfaction:survey")).content.decode()
    assert "repair" not in page.split("<form")[1]


def test_a_resident_answers_once_and_a_second_attempt_is_refused(client, invitation):
    client.force_login(invitation.resident.user)
    form = client.get(reverse("satisfaction:survey")).context["form"]
    token = str(form.initial["submission_token"])
    response = client.post(reverse("satisfaction:survey"), {**ANSWERS, "submission_token": token})
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.home == invitation.home and saved.method == "online" and saved.source == "resident"
    assert saved.tp09 == "" and saved.made_complaint is False and saved.tp10 == "fairly_satisfied"
    assert saved.respondent == invitation.home.uprn and saved.collected_on == dt.date(2025, 9, 15)

    again = client.post(reverse("satisfaction:survey"), {**ANSWERS, "submission_token": token})
    assert "already answered the 2025/26 survey" in again.content.decode()
    page = client.get(reverse("satisfaction:survey")).content.decode()
    assert "Your household has already answered the 2025/26 survey" in page
    assert SurveyResponse.objects.count() == 1


def test_the_same_form_sent_twice_makes_one_response(invitation):
    kwargs = dict(
        resident=invitation.resident,
        invitation=invitation,
        answers={"TP01": "neither"},
        filters={},
        submission_token="7b0e6f43-9a55-4a1d-8f2e-2a9b6f1d2c10",
    )
    first = services.record_online_response(**kwargs)
    second = services.record_online_response(**kwargs)
    assert first.pk == second.pk and SurveyResponse.objects.count() == 1


def test_another_household_member_cannot_answer_for_the_same_home_the_same_year(invitation):
    services.record_online_response(
        resident=invitation.resident, invitation=invitation, answers={"TP01": "neither"}, filters={}
    )
    officer = factories.OfficerFactory()
    with pytest.raises(services.AlreadyAnswered, match="already answered the 2025/26 survey"):
        services.record_interview(
            officer=officer,
            year=2025,
            home=invitation.home,
            method="phone",
            collected_on=dt.date(2025, 9, 1),
            answers={"TP01": "neither"},
            filters={},
        )
    # Next year is a new survey.
    services.record_interview(
        officer=officer,
        year=2024,
        home=invitation.home,
        method="phone",
        collected_on=dt.date(2024, 9, 1),
        answers={"TP01": "neither"},
        filters={},
    )


def test_the_first_question_must_be_answered_and_nothing_typed_is_lost(client, invitation):
    client.force_login(invitation.resident.user)
    response = client.post(
        reverse("satisfaction:survey"), {"tp04": "very_satisfied", "had_repair": "no"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Answer the first question" in page
    assert 'value="very_satisfied" checked' in page
    assert not SurveyResponse.objects.exists()


def test_residents_not_invited_are_told_so(client, landlord):
    resident = factories.resident_with_home()
    client.force_login(resident.user)
    page = client.get(reverse("satisfaction:survey")).content.decode()
    assert "There is no survey for your household to answer" in page


def test_the_home_page_invites_the_resident_until_they_answer(client, invitation):
    client.force_login(invitation.resident.user)
    assert "Answer the satisfaction survey" in client.get(reverse("home")).content.decode()
    services.record_online_response(
        resident=invitation.resident, invitation=invitation, answers={"TP01": "neither"}, filters={}
    )
    assert "Answer the satisfaction survey" not in client.get(reverse("home")).content.decode()


def test_staff_record_a_phone_interview_with_an_unprompted_dont_know(client, landlord):
    officer = factories.OfficerFactory()
    tenant = factories.resident_with_home()
    home = tenant.tenancies.get().home
    client.force_login(officer.user)
    found = client.post(
        reverse("satisfaction_staff:find_household", args=[2025]),
        {"household": tenant.tenancies.get().reference},
    )
    url = reverse("satisfaction_staff:new_interview", args=[2025, home.uprn])
    assert found.url == url
    page = client.get(url)
    assert "Don&#x27;t know, not applicable or refused (not read out)" in page.content.decode()
    token = str(page.context["form"].initial["submission_token"])
    data = {
        **ANSWERS,
        "tp05": "dont_know",
        "submission_token": token,
        "interview-method": "phone",
        "interview-collected_on_0": "12",
        "interview-collected_on_1": "9",
        "interview-collected_on_2": "2025",
    }
    assert client.post(url, data).status_code == 302
    assert (
        client.post(url, data).status_code == 200
    )  # the household has answered: shown, not stored again
    saved = SurveyResponse.objects.get()
    assert (saved.method, saved.source, saved.tp05, saved.entered_by) == (
        "phone",
        "staff",
        "dont_know",
        officer,
    )
    assert saved.resident == tenant
    assert AuditEntry.objects.filter(
        action="create", resident=tenant, subject__contains="Survey"
    ).exists()


def test_an_interview_date_outside_the_year_is_an_error_next_to_the_field(client, landlord):
    officer = factories.OfficerFactory()
    home = factories.resident_with_home().tenancies.get().home
    client.force_login(officer.user)
    url = reverse("satisfaction_staff:new_interview", args=[2025, home.uprn])
    page = client.post(
        url,
        {
            **ANSWERS,
            "interview-method": "phone",
            "interview-collected_on_0": "12",
            "interview-collected_on_1": "3",
            "interview-collected_on_2": "2025",
        },
    ).content.decode()
    assert "The date of the interview must be between 1 April 2025 and 31 March 2026" in page
    assert not SurveyResponse.objects.exists()


def test_leasehold_homes_are_not_surveyed(client, landlord):
    officer = factories.OfficerFactory(role=OfficerRole.OFFICER)
    leaseholder = factories.resident_with_home(tenure=Tenure.LEASEHOLD)
    client.force_login(officer.user)
    page = client.post(
        reverse("satisfaction_staff:find_household", args=[2025]),
        {"household": leaseholder.tenancies.get().reference},
    ).content.decode()
    assert "That home is leasehold" in page


def test_residents_cannot_use_the_staff_pages(resident_client):
    assert resident_client.get(reverse("satisfaction_staff:year", args=[2025])).status_code == 403


def test_the_survey_page_has_a_fixed_number_of_queries(
    client, invitation, django_assert_max_num_queries
):
    from tests.satisfaction.factories import responses

    responses(30)
    client.force_login(invitation.resident.user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("satisfaction:survey")).status_code == 200
