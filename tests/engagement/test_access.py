"""Who may see what: staff pages need an officer, publishing a manager; residents see only their own
records; published pages need no sign-in; and a resident's data export includes what this app holds."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement import services
from engagement.extensions import export_for_resident
from tests import factories
from tests.engagement.factories import MembershipFactory, ReviewFactory, consultation_with_questions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/staff/engagement/",
        "/staff/engagement/representation/",
        "/staff/engagement/reviews/",
        "/staff/engagement/consultations/",
        "/staff/engagement/consultations/moderation/",
        "/staff/engagement/you-said-we-did/",
    ],
)
def test_staff_pages_turn_residents_away(resident_client, url):
    assert resident_client.get(url).status_code == 403


def test_officers_cannot_publish_or_set_up_consultations(officer_client):
    consultation, *_ = consultation_with_questions()
    assert officer_client.get("/staff/engagement/consultations/new/").status_code == 403
    assert (
        officer_client.get(
            f"/staff/engagement/consultations/{consultation.pk}/results/"
        ).status_code
        == 403
    )
    review = ReviewFactory()
    assert officer_client.post(f"/staff/engagement/reviews/{review.pk}/publish/").status_code == 403


def test_a_manager_starts_a_consultation_and_adds_questions(manager_client):
    today = timezone.localdate()
    closes = today + dt.timedelta(days=28)
    response = manager_client.post(
        "/staff/engagement/consultations/new/",
        {
            "title": "Draft tenant charter",
            "summary": "Our promises to you.",
            "opens_on_0": today.day,
            "opens_on_1": today.month,
            "opens_on_2": today.year,
            "closes_on_0": closes.day,
            "closes_on_1": closes.month,
            "closes_on_2": closes.year,
            "closes_at_time": "17:00",
            "audience": "everyone",
        },
    )
    assert response.status_code == 302
    from engagement.models import Consultation

    consultation = Consultation.objects.get()
    assert timezone.localtime(consultation.closes_at).hour == 17
    manager_client.post(
        f"/staff/engagement/consultations/{consultation.pk}/questions/",
        {"text": "Which first?", "kind": "choice", "choices": "Only one"},
    )
    assert not consultation.questions.exists()
    manager_client.post(
        f"/staff/engagement/consultations/{consultation.pk}/questions/",
        {"text": "Which first?", "kind": "choice", "choices": "Safety\nRepairs"},
    )
    assert consultation.questions.get().choices == ["Safety", "Repairs"]


def test_published_pages_need_no_sign_in(client):
    for url in [
        "/get-involved/",
        "/get-involved/scrutiny/",
        "/consultations/",
        "/you-said-we-did/",
    ]:
        assert client.get(url).status_code == 200, url


def test_resident_pages_need_a_sign_in(client):
    response = client.get("/get-involved/your-panels/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_data_export_includes_panels_meetings_and_consultation_answers(resident):
    membership = MembershipFactory(resident=resident, why="To help my estate")
    consultation, scale, *_ = consultation_with_questions()
    services.submit_response(
        consultation=consultation, resident=resident, answers={scale.pk: "Agree"}
    )
    other = factories.resident_with_home()
    MembershipFactory(resident=other, panel=membership.panel, why="Someone else's reasons")
    records = export_for_resident(resident)
    assert {r["record"] for r in records} == {"panel membership", "consultation answer"}
    assert any(r.get("why") == "To help my estate" for r in records)
    assert not any("Someone else's" in str(r) for r in records)
