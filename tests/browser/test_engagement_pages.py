"""axe-core on the rest of resident voice's pages: the staff pages, the public scrutiny and
"you said, we did" pages, and a phone-sized Get involved page."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engagement import services
from engagement.models import ChangeSource, ResponseDecision
from portal.models import OfficerRole
from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, sign_in
from tests.engagement.factories import (
    MeetingFactory,
    MembershipFactory,
    PanelFactory,
    ReviewFactory,
    consultation_with_questions,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def records():
    manager = factories.OfficerFactory(
        user=factories.UserFactory(email="manager@example.com"),
        role=OfficerRole.MANAGER,
        patch=None,
    )
    panel = PanelFactory(name="Resident Scrutiny Panel", slug="scrutiny")
    member = MembershipFactory(panel=panel)
    services.apply_to_panel(panel=panel, resident=factories.resident_with_home(), why="To help")
    past = MeetingFactory(panel=panel, starts_at=timezone.now() - dt.timedelta(days=3))
    services.add_meeting_paper(
        meeting=past,
        officer=manager,
        title="Signed minutes",
        uploaded=SimpleUploadedFile("r.pdf", PDF),
        kind="minutes",
    )
    services.publish_minutes(meeting=past, officer=manager, minutes="Agreed the scope.")
    review = ReviewFactory(panel=panel, slug="repairs-review")
    services.record_findings(review=review, officer=manager, findings="Late", summary="Late texts")
    recommendation = services.add_recommendation(
        review=review, officer=manager, text="Text the day before"
    )
    services.send_recommendations(review=review, officer=manager)
    services.respond_to_recommendation(
        recommendation=recommendation,
        officer=manager,
        decision=ResponseDecision.ACCEPTED,
        reasons="Yes",
    )
    services.add_action(
        recommendation=recommendation,
        officer=manager,
        description="Turn on texts",
        due_on=timezone.localdate(),
    )
    services.publish_review(review=review, officer=manager)
    services.record_change(
        officer=manager,
        source=ChangeSource.SCRUTINY,
        review=review,
        you_said="Late texts",
        we_did="Texts the day before",
        made_on=timezone.localdate(),
        publish=True,
    )
    consultation, scale, _, comment = consultation_with_questions()
    services.submit_response(
        consultation=consultation,
        resident=member.resident,
        answers={scale.pk: "Agree", comment.pk: "Fine"},
    )
    upcoming = MeetingFactory(panel=panel)
    services.end_membership(
        membership=MembershipFactory(panel=panel),
        officer=manager,
        reason="conduct",
        message="We have written to you about this.",
        note="Warned twice at meetings.",
    )
    return {
        "panel": panel,
        "meeting": past,
        "upcoming": upcoming,
        "member": member,
        "review": review,
        "consultation": consultation,
    }


def test_staff_pages_are_accessible(page, site, records):
    sign_in(page, site, "manager@example.com", factories.PASSWORD)
    for url in [
        "/staff/engagement/",
        "/staff/engagement/panels/scrutiny/",
        "/staff/engagement/panels/scrutiny/?show=applications",
        "/staff/engagement/panels/scrutiny/change/",
        "/staff/engagement/representation/",
        f"/staff/engagement/meetings/{records['meeting'].pk}/",
        f"/staff/engagement/meetings/{records['meeting'].pk}/papers/",
        f"/staff/engagement/meetings/{records['upcoming'].pk}/",
        f"/staff/engagement/meetings/{records['upcoming'].pk}/change/",
        "/staff/engagement/panels/scrutiny/?show=past",
        f"/staff/engagement/memberships/{records['member'].pk}/end/",
        "/staff/engagement/panels/scrutiny/close/",
        "/staff/engagement/reviews/",
        f"/staff/engagement/reviews/{records['review'].pk}/",
        "/staff/engagement/reviews/actions/",
        "/staff/engagement/reviews/new/",
        "/staff/engagement/consultations/",
        "/staff/engagement/consultations/new/",
        f"/staff/engagement/consultations/{records['consultation'].pk}/",
        f"/staff/engagement/consultations/{records['consultation'].pk}/enter/",
        "/staff/engagement/consultations/moderation/",
        "/staff/engagement/you-said-we-did/",
        "/staff/engagement/you-said-we-did/new/",
    ]:
        response = page.goto(f"{site}{url}")
        assert response.status == 200, url
        assert_accessible(page)
    # Screenshots of the pages for ending a membership, closing a panel and a past meeting.
    for name, url in [
        ("members", "/staff/engagement/panels/scrutiny/"),
        ("past_members", "/staff/engagement/panels/scrutiny/?show=past"),
        ("end_membership", f"/staff/engagement/memberships/{records['member'].pk}/end/"),
        ("close_panel", "/staff/engagement/panels/scrutiny/close/"),
        ("past_meeting", f"/staff/engagement/meetings/{records['meeting'].pk}/"),
    ]:
        page.goto(f"{site}{url}")
        page.screenshot(path=f"/tmp/shots_engagement/{name}.png", full_page=True)


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_public_pages_are_accessible_on_a_phone(page, site, records):
    for url in [
        "/get-involved/",
        "/get-involved/panels/scrutiny/",
        "/get-involved/scrutiny/",
        "/get-involved/scrutiny/repairs-review/",
        "/consultations/",
        f"/consultations/{records['consultation'].slug}/",
        "/you-said-we-did/",
    ]:
        response = page.goto(f"{site}{url}")
        assert response.status == 200, url
        assert_accessible(page)
