"""Scrutiny: a panel's review gathers documents and live figures, makes numbered recommendations,
the landlord answers each with actions, the panel sees it, and the finished review is published."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engagement import selectors, services
from engagement.models import ResponseDecision, ReviewStage
from portal import extensions
from portal.extensions import LiveMeasure, MeasureResult
from portal.models import Notification
from tests import factories
from tests.engagement.factories import MembershipFactory, ReviewFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def callbacks_measure():
    """A live figure as the charter app would register it; the figure changes as records come."""
    figures = {"met": 45, "total": 50}
    measure = LiveMeasure(
        key="test_callbacks_kept",
        label="Call-backs made within one working day",
        compute=lambda start, end: MeasureResult(figures["met"], figures["total"]),
    )
    extensions.register_live_measure(measure)
    yield figures
    extensions._live_measures.pop(measure.key, None)


def responded_review(officer, manager=None):
    review = ReviewFactory()
    services.record_findings(
        review=review, officer=officer, findings="Call-backs are often late.", summary="Call-backs"
    )
    first = services.add_recommendation(
        review=review, officer=officer, text="Call back within one working day."
    )
    second = services.add_recommendation(
        review=review, officer=officer, text="Text residents when a call-back is booked."
    )
    services.send_recommendations(review=review, officer=officer)
    services.respond_to_recommendation(
        recommendation=first,
        officer=officer,
        decision=ResponseDecision.ACCEPTED,
        reasons="We agree.",
    )
    services.respond_to_recommendation(
        recommendation=second,
        officer=officer,
        decision=ResponseDecision.NOT_ACCEPTED,
        reasons="Costs too much.",
    )
    return review, first, second


def test_a_live_figure_is_kept_as_it_was_on_the_day(officer_client, officer, callbacks_measure):
    review = ReviewFactory()
    response = officer_client.post(
        f"/staff/engagement/reviews/{review.pk}/figures/",
        {
            "measure": "test_callbacks_kept",
            "period_start_0": 1,
            "period_start_1": 4,
            "period_start_2": 2026,
            "period_end_0": 30,
            "period_end_1": 9,
            "period_end_2": 2026,
            "notes": "",
            "request": "",
        },
    )
    assert response.status_code == 302
    callbacks_measure.update(met=10, total=60)
    evidence = review.evidence.get()
    assert (evidence.met, evidence.total, str(evidence.percent)) == (45, 50, "90.0")
    assert evidence.period_start == dt.date(2026, 4, 1)
    page = officer_client.get(f"/staff/engagement/reviews/{review.pk}/").content.decode()
    assert "90.0%" in page and "45 of 50" in page


def test_a_members_request_for_evidence_is_answered_by_a_staff_document(
    resident_client, resident, officer
):
    membership = MembershipFactory(resident=resident)
    review = ReviewFactory(panel=membership.panel)
    resident_client.post(
        f"/get-involved/reviews/{review.pk}/", {"asked": "The call-back log for June"}
    )
    request = review.evidence_requests.get()
    assert request.asked_by == resident
    services.add_document_evidence(
        review=review,
        officer=officer,
        title="June call-backs",
        uploaded=SimpleUploadedFile("june.pdf", PDF),
        request=request,
    )
    request.refresh_from_db()
    assert request.answered_at is not None
    evidence = review.evidence.get()
    assert (
        resident_client.get(
            f"/get-involved/reviews/{review.pk}/evidence/{evidence.pk}/"
        ).status_code
        == 200
    )


def test_recommendations_are_numbered_and_the_panel_sees_the_landlords_response(
    resident_client, resident, officer
):
    membership = MembershipFactory(resident=resident)
    review = ReviewFactory(panel=membership.panel)
    services.record_findings(review=review, officer=officer, findings="Findings", summary="Summary")
    first = services.add_recommendation(
        review=review, officer=officer, text="Call back within one working day."
    )
    second = services.add_recommendation(
        review=review, officer=officer, text="Publish call-back figures monthly."
    )
    assert (first.number, second.number) == (1, 2)
    services.send_recommendations(review=review, officer=officer)
    with pytest.raises(services.EngagementError):
        services.add_recommendation(review=review, officer=officer, text="Too late")

    services.respond_to_recommendation(
        recommendation=first,
        officer=officer,
        decision=ResponseDecision.PARTLY_ACCEPTED,
        reasons="We will try for most calls.",
    )
    review.refresh_from_db()
    assert review.stage == ReviewStage.AWAITING_RESPONSE
    services.add_action(
        recommendation=first,
        officer=officer,
        description="Retrain the contact centre",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    services.respond_to_recommendation(
        recommendation=second, officer=officer, decision=ResponseDecision.ACCEPTED, reasons="Yes."
    )
    review.refresh_from_db()
    assert review.stage == ReviewStage.RESPONDED
    assert (
        Notification.objects.filter(
            template="engagement_review_responded", resident=resident
        ).count()
        == 1
    )

    page = resident_client.get(f"/get-involved/reviews/{review.pk}/").content.decode()
    assert "Partly accepted" in page
    assert "We will try for most calls." in page
    assert "Retrain the contact centre" in page
    assert "In progress" in page


def test_someone_not_on_the_panel_cannot_see_its_review_in_progress(resident_client):
    review = ReviewFactory()
    assert resident_client.get(f"/get-involved/reviews/{review.pk}/").status_code == 404
    assert resident_client.get(f"/get-involved/scrutiny/{review.slug}/").status_code == 404


def test_a_response_needs_reasons_and_a_rejected_recommendation_has_no_actions(officer):
    review, first, second = responded_review(officer)
    with pytest.raises(services.EngagementError, match="reasons"):
        services.respond_to_recommendation(
            recommendation=first, officer=officer, decision=ResponseDecision.ACCEPTED, reasons=" "
        )
    with pytest.raises(services.EngagementError):
        services.add_action(
            recommendation=second, officer=officer, description="x", due_on=timezone.localdate()
        )


def test_only_a_manager_publishes_and_then_anyone_can_read_it(
    client, officer, manager, django_assert_max_num_queries
):
    review, first, _ = responded_review(officer)
    action = services.add_action(
        recommendation=first,
        officer=officer,
        description="New call-back rota",
        due_on=timezone.localdate(),
    )
    services.complete_action(action=action, officer=officer, note="Rota live from May")
    with pytest.raises(services.EngagementError):
        services.publish_review(review=review, officer=officer)
    services.publish_review(review=review, officer=manager)

    with django_assert_max_num_queries(10):
        page = client.get(f"/get-involved/scrutiny/{review.slug}/").content.decode()
    assert "Costs too much." in page
    assert "Not accepted" in page
    assert "New call-back rota" in page and "Done" in page
    assert review.title in client.get("/get-involved/scrutiny/").content.decode()

    today = timezone.localdate()
    found = list(selectors.published_reviews_between(today - dt.timedelta(days=1), today))
    assert found == [review]
    assert not selectors.published_reviews_between(
        today + dt.timedelta(days=1), today + dt.timedelta(days=5)
    ).exists()


def test_a_review_cannot_be_published_before_every_recommendation_is_answered(officer, manager):
    review = ReviewFactory()
    services.record_findings(review=review, officer=officer, findings="F", summary="S")
    services.add_recommendation(review=review, officer=officer, text="One")
    services.send_recommendations(review=review, officer=officer)
    with pytest.raises(services.EngagementError, match="Answer every recommendation"):
        services.publish_review(review=review, officer=manager)


def test_staff_review_page_keeps_its_query_count(
    officer_client, officer, django_assert_max_num_queries
):
    review, first, second = responded_review(officer)
    for n in range(5):
        services.add_action(
            recommendation=first,
            officer=factories.OfficerFactory(),
            description=f"Action {n}",
            due_on=timezone.localdate(),
        )
    with django_assert_max_num_queries(18):
        assert officer_client.get(f"/staff/engagement/reviews/{review.pk}/").status_code == 200
