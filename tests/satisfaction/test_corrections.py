"""Correcting and withdrawing stored responses: a manager or the officer who keyed an interview
corrects it with a reason, checked as at entry and audited with before and after; a resident's own
online answers cannot be edited, only withdrawn by a manager. A withdrawn response stays stored
but no longer counts, and the household may answer again. A published year does not change: the
staff pages say the live figures differ and offer a new revision."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from charter.satisfaction import selectors, services
from charter.satisfaction.models import Publication, ResponseCorrection, SurveyResponse
from portal.models import AuditEntry, OfficerRole, Tenure
from portal.workdays import LONDON
from tests import factories
from tests.satisfaction.factories import InvitationFactory, SurveyFactory, SurveyResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_september(time_machine):
    time_machine.move_to(dt.datetime(2025, 9, 15, 10, 0, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager():
    return factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None)


@pytest.fixture
def interviewer():
    return factories.OfficerFactory()


@pytest.fixture
def interview(interviewer):
    """A phone interview keyed by `interviewer`: TP05 entered as very dissatisfied."""
    home = factories.resident_with_home().tenancies.get().home
    return services.record_interview(
        officer=interviewer,
        year=2025,
        home=home,
        method="phone",
        collected_on=dt.date(2025, 9, 1),
        answers={"TP01": "fairly_satisfied", "TP05": "very_dissatisfied"},
        filters={"had_repair": False, "made_complaint": False, "has_communal": False},
    )


def _correct(officer, response, **changes):
    answers = {code: value for code, value in response.answers().items() if value}
    filters = response.filter_answers()
    for name, value in changes.items():
        if name in filters:
            filters[name] = value
        else:
            answers[name] = value
    return services.correct_response(
        officer=officer,
        response=response,
        answers=answers,
        filters=filters,
        reason="TP05 keyed wrongly: the resident said very satisfied",
    )


def test_a_corrected_answer_changes_the_live_result_and_is_audited_with_before_and_after(
    interviewer, interview
):
    assert selectors.perception_results(2025)["LCRA"]["TP05"]["percent"] == 0
    correction = _correct(interviewer, interview, TP05="very_satisfied")

    assert selectors.perception_results(2025)["LCRA"]["TP05"]["percent"] == 100
    assert (correction.before, correction.after) == (
        {"TP05": "very_dissatisfied"},
        {"TP05": "very_satisfied"},
    )
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).get()
    assert entry.actor == interviewer.user
    assert entry.detail["before"] == {"TP05": "very_dissatisfied"}
    assert entry.detail["after"] == {"TP05": "very_satisfied"}
    assert "keyed wrongly" in entry.detail["reason"]
    assert list(interview.corrections.all()) == [correction]


def test_a_correction_that_answers_a_question_the_filter_excludes_is_refused(
    interviewer, interview
):
    with pytest.raises(services.SurveyError, match="TP09 is only asked when"):
        _correct(interviewer, interview, TP09="very_satisfied")
    interview.refresh_from_db()
    assert interview.tp09 == "" and not ResponseCorrection.objects.exists()


def test_a_filter_corrected_to_yes_lets_its_questions_be_answered(interviewer, interview):
    _correct(interviewer, interview, made_complaint=True, TP09="fairly_satisfied")
    interview.refresh_from_db()
    assert interview.made_complaint is True and interview.tp09 == "fairly_satisfied"
    assert selectors.perception_results(2025)["LCRA"]["TP09"]["valid"] == 1


def test_shared_owners_cannot_be_given_repair_answers_by_correction(interviewer):
    home = factories.resident_with_home(tenure=Tenure.SHARED_OWNERSHIP).tenancies.get().home
    response = services.record_interview(
        officer=interviewer,
        year=2025,
        home=home,
        method="phone",
        collected_on=dt.date(2025, 9, 1),
        answers={"TP01": "neither"},
        filters={},
    )
    with pytest.raises(services.SurveyError, match="TP02 is asked of social rent"):
        _correct(interviewer, response, TP02="very_satisfied")
    with pytest.raises(services.SurveyError, match="Shared owners are not asked about repairs"):
        _correct(interviewer, response, had_repair=True)


def test_only_a_manager_or_the_officer_who_entered_it_may_correct(manager, interview):
    other = factories.OfficerFactory()
    with pytest.raises(services.SurveyError, match="Only a manager or the officer"):
        _correct(other, interview, TP05="very_satisfied")
    _correct(manager, interview, TP05="very_satisfied")


def test_a_residents_own_online_answers_cannot_be_edited_by_staff(manager):
    invitation = InvitationFactory(survey=SurveyFactory())
    response = services.record_online_response(
        resident=invitation.resident, invitation=invitation, answers={"TP01": "neither"}, filters={}
    )
    with pytest.raises(services.SurveyError, match="cannot change them"):
        _correct(manager, response, TP01="very_satisfied")
    assert not services.can_correct(officer=manager, response=response)


def test_a_withdrawn_response_drops_out_of_the_results_and_the_household_may_answer_again(
    manager,
):
    invitation = InvitationFactory(survey=SurveyFactory())
    first = services.record_online_response(
        resident=invitation.resident,
        invitation=invitation,
        answers={"TP01": "very_dissatisfied"},
        filters={},
    )
    SurveyResponseFactory(tp01="very_satisfied")

    services.withdraw_response(officer=manager, response=first, reason="The resident asked")

    out = io.StringIO()
    call_command("tsm_results", "--year", "2025", "--format", "json", stdout=out, skip_checks=True)
    results = json.loads(out.getvalue())
    assert results["LCRA"]["TP01"] == {"percent": 100.0, "valid": 1}
    assert results["LCRA"]["margin_of_error"]["responses"] == 1
    assert selectors.response_mix(2025)["total"] == 1
    first.refresh_from_db()
    assert first.withdrawn and first.withdrawal_reason == "The resident asked"
    assert AuditEntry.objects.filter(detail__after={"withdrawn": True}).count() == 1

    again = services.record_online_response(
        resident=invitation.resident,
        invitation=invitation,
        answers={"TP01": "fairly_satisfied"},
        filters={},
    )
    assert again.pk != first.pk and SurveyResponse.objects.count() == 3
    assert selectors.perception_results(2025)["LCRA"]["TP01"]["valid"] == 2


def test_only_managers_withdraw(client, interviewer, interview):
    with pytest.raises(services.SurveyError, match="Only a manager"):
        services.withdraw_response(officer=interviewer, response=interview, reason="Duplicate")
    client.force_login(interviewer.user)
    url = reverse("satisfaction_staff:withdraw", args=[2025, interview.pk])
    assert client.post(url, {"reason": "Duplicate"}).status_code == 403
    interview.refresh_from_db()
    assert not interview.withdrawn


def test_a_manager_withdraws_from_the_staff_pages_with_a_reason(client, manager, interview):
    client.force_login(manager.user)
    url = reverse("satisfaction_staff:withdraw", args=[2025, interview.pk])
    refused = client.post(url, {"reason": ""}).content.decode()
    assert "Say why the response is being withdrawn" in refused
    assert client.post(url, {"reason": "Duplicate household"}).status_code == 302
    page = client.get(reverse("satisfaction_staff:response", args=[2025, interview.pk]))
    assert "Withdrawn" in page.content.decode() and "Duplicate household" in page.content.decode()
    listing = client.get(reverse("satisfaction_staff:responses", args=[2025])).content.decode()
    assert "Withdrawn" in listing


def test_officers_do_not_see_withdrawn_responses(client, manager, interviewer, interview):
    services.withdraw_response(officer=manager, response=interview, reason="Duplicate")
    client.force_login(interviewer.user)
    assert (
        client.get(reverse("satisfaction_staff:response", args=[2025, interview.pk])).status_code
        == 404
    )
    listing = client.get(reverse("satisfaction_staff:responses", args=[2025]))
    assert listing.context["page"].paginator.count == 0


def test_the_published_snapshot_is_unchanged_after_a_withdrawal_and_the_review_page_says_so(
    client, manager, time_machine
):
    SurveyFactory(year=2025)
    kept = SurveyResponseFactory(tp01="very_satisfied")
    duplicate = SurveyResponseFactory(tp01="very_dissatisfied")
    publication = services.publish_year(year=2025, officer=manager)
    figures = json.dumps(publication.figures, sort_keys=True)

    services.withdraw_response(officer=manager, response=duplicate, reason="Duplicate household")

    stored = Publication.objects.get(pk=publication.pk)
    assert json.dumps(stored.figures, sort_keys=True) == figures
    tp01 = next(r for r in selectors.published_measures(2025) if r["code"] == "TP01")
    assert (str(tp01["value"]), tp01["valid"]) == ("50.0", 2)
    assert kept.pk  # still counted live
    changed = selectors.changed_since_published(
        selectors.latest_publication(2025), selectors.measure_rows(2025)
    )
    assert [(r["code"], r["tenure"], r["value"]) for r in changed] == [("TP01", "LCRA", "100.0")]

    client.force_login(manager.user)
    page = client.get(reverse("satisfaction_staff:year", args=[2025])).content.decode()
    assert "The live figures differ from the published ones (revision 1)" in page
    assert reverse("satisfaction_staff:publish", args=[2025]) in page
    review = client.get(reverse("satisfaction_staff:publish", args=[2025])).content.decode()
    assert "The live figures differ from the published ones" in review
    services.publish_year(year=2025, officer=manager, note="A duplicate household withdrawn")
    page = client.get(reverse("satisfaction_staff:year", args=[2025])).content.decode()
    assert "The live figures differ" not in page


def test_an_officer_corrects_their_interview_from_the_staff_pages(client, interviewer, interview):
    client.force_login(interviewer.user)
    detail = client.get(reverse("satisfaction_staff:response", args=[2025, interview.pk]))
    assert "Correct the answers" in detail.content.decode()
    url = reverse("satisfaction_staff:correct", args=[2025, interview.pk])
    form = client.get(url).context["form"]
    assert form.initial["tp05"] == "very_dissatisfied" and form.initial["had_repair"] == "no"
    data = {
        "tp01": "fairly_satisfied",
        "tp05": "very_satisfied",
        "had_repair": "no",
        "made_complaint": "no",
        "has_communal": "no",
        "submission_token": str(form.initial["submission_token"]),
    }
    missing = client.post(url, data).content.decode()
    assert "Say why the answers are being corrected" in missing
    assert "very_satisfied" in missing  # nothing typed is lost
    data["correction-reason"] = "Keyed the wrong row for TP05"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: one correction
    assert ResponseCorrection.objects.count() == 1
    interview.refresh_from_db()
    assert interview.tp05 == "very_satisfied"
    history = client.get(reverse("satisfaction_staff:response", args=[2025, interview.pk]))
    text = history.content.decode()
    assert "Keyed the wrong row for TP05" in text and "Very dissatisfied" in text


def test_another_officer_cannot_open_the_correction_page(client, interview):
    other = factories.OfficerFactory()
    client.force_login(other.user)
    assert (
        client.get(reverse("satisfaction_staff:correct", args=[2025, interview.pk])).status_code
        == 403
    )


def test_the_response_list_and_page_query_counts_do_not_grow(
    client, manager, interviewer, interview, django_assert_max_num_queries
):
    client.force_login(manager.user)
    listing = reverse("satisfaction_staff:responses", args=[2025])
    page = reverse("satisfaction_staff:response", args=[2025, interview.pk])
    client.get(listing), client.get(page)
    for n in range(3):
        _correct(manager, interview, TP05=["neither", "very_satisfied", "fairly_satisfied"][n])
    for _ in range(30):
        services.withdraw_response(
            officer=manager,
            response=SurveyResponseFactory(entered_by=interviewer),
            reason="Duplicate",
        )
    with django_assert_max_num_queries(12):
        assert client.get(listing).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(page).status_code == 200
