"""Consultations: who is asked, closing on time, one answer per resident, moderation before
comments show, staff entering paper answers, results with a chart and a table, and what changed."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from engagement import selectors, services
from engagement.models import (
    ChangeEntry,
    ConsultationAnswer,
    ConsultationAudience,
    ConsultationResponse,
    Moderation,
    ResponseChannel,
)
from portal import extensions
from portal.models import Tenure
from tests import factories
from tests.engagement.factories import consultation_with_questions

pytestmark = pytest.mark.django_db


def answers_for(scale, choice, comment, *, comment_text="More evening appointments please."):
    return {f"q{scale.pk}": "Agree", f"q{choice.pk}": "Repairs", f"q{comment.pk}": comment_text}


def test_a_resident_answers_once_and_a_double_submit_makes_one_response(resident_client, resident):
    consultation, scale, choice, comment = consultation_with_questions()
    token = str(uuid.uuid4())
    data = {**answers_for(scale, choice, comment), "submission_token": token}
    url = f"/consultations/{consultation.slug}/answer/"
    first = resident_client.post(url, data)
    second = resident_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert ConsultationResponse.objects.filter(resident=resident).count() == 1
    assert ConsultationAnswer.objects.count() == 3

    # A second, different form is refused: one answer per resident per consultation.
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(
            consultation=consultation,
            resident=resident,
            answers={scale.pk: "Disagree"},
            submission_token=uuid.uuid4(),
        )
    page = resident_client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert "You answered this consultation" in page
    assert ConsultationResponse.objects.count() == 1


def test_the_same_token_sent_twice_returns_the_first_response():
    consultation, scale, *_ = consultation_with_questions()
    resident = factories.resident_with_home()
    token = uuid.uuid4()
    first = services.submit_response(
        consultation=consultation,
        resident=resident,
        answers={scale.pk: "Agree"},
        submission_token=token,
    )
    again = services.submit_response(
        consultation=consultation,
        resident=resident,
        answers={scale.pk: "Agree"},
        submission_token=token,
    )
    assert first.pk == again.pk


def test_a_consultation_closes_on_time(resident_client, resident):
    closes = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    consultation, scale, choice, comment = consultation_with_questions(closes_at=closes)
    late = factories.resident_with_home()
    with time_machine.travel(closes - dt.timedelta(seconds=1), tick=False):
        services.submit_response(
            consultation=consultation, resident=resident, answers={scale.pk: "Agree"}
        )
        assert consultation in selectors.open_consultations()
    with time_machine.travel(closes, tick=False):
        with pytest.raises(services.EngagementError, match="closed"):
            services.submit_response(
                consultation=consultation, resident=late, answers={scale.pk: "Agree"}
            )
        assert consultation not in selectors.open_consultations()
        resident_client.force_login(late.user)
        response = resident_client.post(
            f"/consultations/{consultation.slug}/answer/", answers_for(scale, choice, comment)
        )
        assert response.status_code == 302
        assert (
            "This consultation has closed."
            in resident_client.get(response["Location"]).content.decode()
        )
    assert ConsultationResponse.objects.count() == 1


def test_a_required_question_left_blank_is_shown_as_an_error_and_typing_is_kept(resident_client):
    consultation, scale, choice, comment = consultation_with_questions()
    response = resident_client.post(
        f"/consultations/{consultation.slug}/answer/", {f"q{comment.pk}": "My words stay here"}
    )
    page = response.content.decode()
    assert "Answer question 1" in page
    assert "govuk-error-summary" in page
    assert "My words stay here" in page
    assert not ConsultationResponse.objects.exists()


def test_a_consultation_for_leaseholders_is_not_asked_of_tenants(client):
    consultation, scale, *_ = consultation_with_questions(
        audience=ConsultationAudience.TENURE, audience_tenure=Tenure.LEASEHOLD
    )
    tenant = factories.resident_with_home(tenure=Tenure.SOCIAL_RENT)
    leaseholder = factories.resident_with_home(tenure=Tenure.LEASEHOLD)
    assert consultation not in selectors.open_consultations_for(tenant)
    assert consultation in selectors.open_consultations_for(leaseholder)
    with pytest.raises(services.EngagementError, match="leasehold"):
        services.submit_response(
            consultation=consultation, resident=tenant, answers={scale.pk: "Agree"}
        )
    services.submit_response(
        consultation=consultation, resident=leaseholder, answers={scale.pk: "Agree"}
    )


def test_a_comment_shows_in_the_results_only_once_approved(
    client, officer_client, officer, manager
):
    consultation, scale, choice, comment = consultation_with_questions()
    for text in ("Approve me please", "Rude words about my neighbour at number 4"):
        services.submit_response(
            consultation=consultation,
            resident=factories.resident_with_home(),
            answers={scale.pk: "Agree", comment.pk: text},
        )
    consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.save()
    services.publish_results(
        consultation=consultation, officer=manager, results_summary="Most agreed."
    )

    page = client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert "Approve me please" not in page
    assert "Rude words" not in page

    to_moderate = {
        a.text: a for a in ConsultationAnswer.objects.filter(moderation=Moderation.PENDING)
    }
    assert (
        "Approve me please"
        in officer_client.get("/staff/engagement/consultations/moderation/").content.decode()
    )
    officer_client.post(
        f"/staff/engagement/consultations/moderation/{to_moderate['Approve me please'].pk}/",
        {"decision": "approve"},
    )
    officer_client.post(
        f"/staff/engagement/consultations/moderation/{to_moderate['Rude words about my neighbour at number 4'].pk}/",
        {"decision": "reject"},
    )

    page = client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert "Approve me please" in page
    assert "Rude words" not in page
    assert (
        "Approve me please"
        in client.get(f"/consultations/{consultation.slug}/comments/3/").content.decode()
    )


def test_results_count_answers_in_the_database_and_show_a_chart_with_a_table(
    client, manager, django_assert_max_num_queries
):
    consultation, scale, choice, comment = consultation_with_questions()
    for answer in ["Agree", "Agree", "Strongly agree", "Disagree"]:
        services.submit_response(
            consultation=consultation,
            resident=factories.resident_with_home(),
            answers={scale.pk: answer, choice.pk: "Safety"},
        )
    results = {r.question.number: r for r in selectors.consultation_results(consultation)}
    agree = next(bar for bar in results[1].bars if bar.label == "Agree")
    assert (agree.count, agree.percent, results[1].total) == (2, 50.0, 4)
    assert [bar.count for bar in results[2].bars] == [0, 4, 0]

    consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.save()
    with pytest.raises(services.EngagementError):
        services.publish_results(
            consultation=consultation, officer=factories.OfficerFactory(), results_summary="x"
        )
    services.publish_results(
        consultation=consultation, officer=manager, results_summary="Half agreed."
    )
    with django_assert_max_num_queries(14):
        page = client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert "<svg" in page and "Bar chart of answers to question 1" in page
    assert '<th scope="row" class="govuk-table__header">Agree</th>' in page
    assert "4 people answered" in page


def test_results_cannot_be_published_while_it_is_open(manager):
    consultation, *_ = consultation_with_questions()
    with pytest.raises(services.EngagementError, match="closed"):
        services.publish_results(
            consultation=consultation, officer=manager, results_summary="Too soon"
        )


def test_staff_enter_a_paper_answer_after_closing_matched_to_a_tenancy(officer_client):
    consultation, scale, choice, comment = consultation_with_questions(
        closes_at=timezone.now() - dt.timedelta(hours=1),
        opens_at=timezone.now() - dt.timedelta(days=20),
    )
    resident = factories.resident_with_home()
    reference = resident.tenancies.get().reference
    data = {
        **answers_for(scale, choice, comment),
        "channel": ResponseChannel.PAPER,
        "tenancy_reference": reference,
        "submission_token": str(uuid.uuid4()),
    }
    response = officer_client.post(
        f"/staff/engagement/consultations/{consultation.pk}/enter/", data
    )
    assert response.status_code == 302
    entered = ConsultationResponse.objects.get()
    assert (entered.resident, entered.channel) == (resident, ResponseChannel.PAPER)
    assert entered.entered_by is not None
    # The same paper typed in twice is the same response.
    officer_client.post(f"/staff/engagement/consultations/{consultation.pk}/enter/", data)
    assert ConsultationResponse.objects.count() == 1


def test_publishing_what_changed_adds_a_you_said_we_did_entry(client, manager):
    consultation, scale, *_ = consultation_with_questions()
    services.submit_response(
        consultation=consultation,
        resident=factories.resident_with_home(),
        answers={scale.pk: "Agree"},
    )
    consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.save()
    with pytest.raises(services.EngagementError, match="results first"):
        services.publish_outcome(
            consultation=consultation, officer=manager, you_told_us="a", we_changed="b"
        )
    services.publish_results(
        consultation=consultation, officer=manager, results_summary="Most agreed."
    )
    services.publish_outcome(
        consultation=consultation,
        officer=manager,
        you_told_us="You wanted evening repairs.",
        we_changed="We added evening slots.",
    )
    services.publish_outcome(
        consultation=consultation,
        officer=manager,
        you_told_us="You wanted evening repairs.",
        we_changed="We added evening slots.",
    )
    assert ChangeEntry.objects.count() == 1
    made = [c for c in extensions.changes_made() if c.we_did == "We added evening slots."]
    assert made and made[0].url == f"/consultations/{consultation.slug}/"
    page = client.get(f"/consultations/{consultation.slug}/").content.decode()
    assert "What we changed" in page and "We added evening slots." in page
    today = timezone.localdate()
    assert list(selectors.consultation_outcomes_between(today, today)) == [consultation]


def test_the_residents_asked_are_told_once_each_when_it_opens_in_batches(settings):
    from portal.models import Notification

    leaseholders = [factories.resident_with_home(tenure=Tenure.LEASEHOLD) for _ in range(5)]
    factories.resident_with_home(tenure=Tenure.SOCIAL_RENT)  # not asked
    consultation, *_ = consultation_with_questions(
        audience=ConsultationAudience.TENURE, audience_tenure=Tenure.LEASEHOLD, tell_residents=True
    )
    quiet, *_ = consultation_with_questions()  # not to be announced

    # A sweep that stops after one batch of two carries on where it left off next time.
    assert services.announce_open_consultations(batch=2, max_batches=1) == 2
    assert services.announce_open_consultations(batch=2) == 3
    assert services.announce_open_consultations(batch=2) == 0
    told = Notification.objects.filter(template="engagement_consultation_open")
    assert sorted(told.values_list("resident_id", flat=True)) == sorted(r.pk for r in leaseholders)
    assert consultation.title in told.first().subject
    consultation.refresh_from_db()
    assert consultation.announced_at is not None
    assert not Notification.objects.filter(body__contains=quiet.title).exists()
