"""The online sample: drawn at random per tenure, sized for the survey's target margin of error;
invitations and reminders go through the outbox; a reminder goes once per interval, at most the
survey's number, and never to a household that has answered."""

import datetime as dt
import random

import pytest

from charter.satisfaction import services
from charter.satisfaction.models import Invitation
from portal.models import Notification, Tenure
from portal.workdays import LONDON
from tests import factories
from tests.satisfaction.factories import InvitationFactory, SurveyFactory, SurveyResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_june(time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 2, 9, 0, tzinfo=LONDON), tick=False)


def households(n, tenure=Tenure.SOCIAL_RENT):
    return [factories.resident_with_home(tenure=tenure, user=False) for _ in range(n)]


def test_the_sample_is_sized_per_tenure_for_the_target_margin_and_response_rate():
    households(60)
    households(8, Tenure.SHARED_OWNERSHIP)
    households(5, Tenure.LEASEHOLD)
    survey = SurveyFactory(target_margin_of_error=10, expected_response_rate=50)
    plan = services.sample_plan(survey)
    # 96.04 / (1 + 95.04/60) = 37.2 -> 38 responses; at 50% answering, 76 capped at the 60 households.
    assert plan["LCRA"] == {"households": 60, "needed": 38, "invite": 60}
    assert plan["LCHO"]["households"] == 8 and plan["LCHO"]["invite"] == 8


def test_drawing_the_sample_invites_at_random_and_sends_through_the_outbox(
    django_capture_on_commit_callbacks,
):
    households(200)
    survey = SurveyFactory(target_margin_of_error=15, expected_response_rate=100)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.draw_sample(survey=survey, rng=random.Random(1))
    needed = services.sample_plan(survey)["LCRA"]["invite"]
    assert created == {"LCRA": needed, "LCHO": 0} and 0 < needed < 200
    assert Invitation.objects.count() == needed
    assert Notification.objects.filter(template="satisfaction_invitation").count() == needed
    body = Notification.objects.filter(template="satisfaction_invitation").first().body
    assert "/satisfaction/survey/" in body
    # Drawing again tops up to the size: nobody is invited twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.draw_sample(survey=survey, rng=random.Random(2)) == {"LCRA": 0, "LCHO": 0}


def test_reminders_go_after_the_interval_at_most_twice_and_not_to_those_who_answered(time_machine):
    survey = SurveyFactory(
        reminder_after_days=7,
        max_reminders=2,
        sample_drawn_at=dt.datetime(2025, 6, 2, tzinfo=LONDON),
    )
    waiting = InvitationFactory(survey=survey)
    answered = InvitationFactory(survey=survey)
    SurveyResponseFactory(home=answered.home, respondent=answered.home.uprn)

    assert services.remind_non_respondents() == 0  # too soon
    time_machine.move_to(dt.datetime(2025, 6, 10, 9, 0, tzinfo=LONDON), tick=False)
    assert services.remind_non_respondents() == 1
    assert services.remind_non_respondents() == 0  # once per interval, however often the sweep runs
    time_machine.move_to(dt.datetime(2025, 6, 18, 9, 0, tzinfo=LONDON), tick=False)
    assert services.remind_non_respondents() == 1
    time_machine.move_to(dt.datetime(2025, 7, 30, 9, 0, tzinfo=LONDON), tick=False)
    assert services.remind_non_respondents() == 0  # at most two
    reminders = Notification.objects.filter(template="satisfaction_reminder")
    assert [n.resident_id for n in reminders] == [waiting.resident_id, waiting.resident_id]
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 2


def test_the_reminder_task_calls_the_service():
    from charter.satisfaction.tasks import remind_non_respondents

    assert remind_non_respondents.delay().get() == {"reminders": 0}


def test_a_manager_sets_the_survey_up_and_draws_the_sample_from_the_staff_pages(client):
    from django.urls import reverse

    from portal.models import AuditEntry, OfficerRole

    households(30)
    manager = factories.OfficerFactory(role=OfficerRole.MANAGER)
    client.force_login(manager.user)
    url = reverse("satisfaction_staff:settings", args=[2025])
    page = client.post(
        url, {"target_margin_of_error": "25", "expected_response_rate": "40"}
    ).content.decode()
    assert "The margin of error must be between 0.5 and 20" in page
    assert "Enter the date the survey opens" in page
    data = {
        "target_margin_of_error": "10",
        "expected_response_rate": "50",
        "opens_on_0": "1",
        "opens_on_1": "6",
        "opens_on_2": "2025",
        "closes_on_0": "30",
        "closes_on_1": "9",
        "closes_on_2": "2025",
        "reminder_after_days": "7",
        "max_reminders": "2",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(reverse("satisfaction_staff:draw_sample", args=[2025])).status_code == 302
    assert Invitation.objects.filter(survey__year=2025).count() == 30
    assert AuditEntry.objects.filter(subject__contains="2025/26").exists()


def test_the_survey_is_part_of_the_residents_subject_access_export():
    from charter.satisfaction.extensions import export_for_resident

    invitation = InvitationFactory(survey=SurveyFactory())
    services.record_online_response(
        resident=invitation.resident, invitation=invitation, answers={"TP01": "neither"}, filters={}
    )
    records = export_for_resident(invitation.resident)
    assert [r["record"] for r in records] == ["Survey invitation", "Survey answers"]
    assert records[1]["TP01"] == "neither"
