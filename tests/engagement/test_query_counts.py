"""Pages keep a fixed number of queries however much data there is."""

import pytest

from engagement import services
from tests import factories
from tests.engagement.factories import (
    MeetingFactory,
    MembershipFactory,
    PanelFactory,
    consultation_with_questions,
)

pytestmark = pytest.mark.django_db


def _busy_panel(members: int):
    panel = PanelFactory()
    panel.portfolio_roles.create(name="Repairs contract")
    for _ in range(members):
        MembershipFactory(panel=panel)
    meeting = MeetingFactory(panel=panel)
    return panel, meeting


@pytest.mark.parametrize("members", [2, 12])
def test_staff_panel_and_meeting_pages(officer_client, django_assert_max_num_queries, members):
    panel, meeting = _busy_panel(members)
    with django_assert_max_num_queries(18):
        assert officer_client.get(f"/staff/engagement/panels/{panel.slug}/").status_code == 200
    with django_assert_max_num_queries(18):
        assert officer_client.get(f"/staff/engagement/meetings/{meeting.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert officer_client.get("/staff/engagement/").status_code == 200


@pytest.mark.parametrize("ended", [1, 10])
def test_staff_panel_page_with_ended_memberships(
    manager_client, manager, django_assert_max_num_queries, ended
):
    """The panel staff page, its past members (with reasons) and members views, and a closed
    panel, keep the same number of queries however many memberships have ended."""
    panel, _ = _busy_panel(ended + 2)
    for membership in panel.memberships.all()[:ended]:
        services.end_membership(
            membership=membership,
            officer=manager,
            reason="stepped_down",
            message="Thank you for your time on the panel.",
            note="Asked at the last meeting.",
        )
    for show in ("members", "past", "applications"):
        with django_assert_max_num_queries(18):
            page = manager_client.get(f"/staff/engagement/panels/{panel.slug}/?show={show}")
        assert page.status_code == 200
        if show == "past":
            assert page.content.decode().count("They stepped down") == ended
    services.close_panel(panel=panel, officer=manager, message="Closing")
    with django_assert_max_num_queries(18):
        assert manager_client.get(f"/staff/engagement/panels/{panel.slug}/").status_code == 200


@pytest.mark.parametrize("panels", [1, 6])
def test_resident_pages(resident_client, resident, django_assert_max_num_queries, panels):
    for _ in range(panels):
        membership = MembershipFactory(resident=resident)
        MeetingFactory(panel=membership.panel)
    with django_assert_max_num_queries(14):
        assert resident_client.get("/get-involved/your-panels/").status_code == 200
    with django_assert_max_num_queries(14):
        assert resident_client.get("/get-involved/").status_code == 200


@pytest.mark.parametrize("answers", [1, 15])
def test_staff_consultation_and_moderation_pages(
    officer_client, django_assert_max_num_queries, answers
):
    consultation, scale, choice, comment = consultation_with_questions()
    for n in range(answers):
        services.submit_response(
            consultation=consultation,
            resident=factories.resident_with_home(user=False),
            answers={scale.pk: "Agree", choice.pk: "Safety", comment.pk: f"Comment {n}"},
        )
    with django_assert_max_num_queries(16):
        assert (
            officer_client.get(f"/staff/engagement/consultations/{consultation.pk}/").status_code
            == 200
        )
    with django_assert_max_num_queries(14):
        assert officer_client.get("/staff/engagement/consultations/moderation/").status_code == 200
