"""`manage.py load_demo_satisfaction`: two earlier years published, this year open with responses,
the demo tenant invited and not yet answered; safe to run again."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from charter.satisfaction.models import Invitation, Publication, SurveyResponse
from portal.models import Notification, OfficerRole, Tenure
from portal.workdays import LONDON
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_november_2025(time_machine):
    time_machine.move_to(dt.datetime(2025, 11, 20, 10, 0, tzinfo=LONDON), tick=False)


def run():
    out = StringIO()
    call_command("load_demo_satisfaction", stdout=out, skip_checks=True)
    return out.getvalue()


def test_without_the_demo_manager_it_says_so():
    assert "There is no demo manager" in run()
    assert not SurveyResponse.objects.exists()


def test_it_publishes_earlier_years_opens_this_one_and_invites_the_tenant_once():
    factories.OfficerFactory(
        user=factories.UserFactory(email="manager@example.com"), role=OfficerRole.MANAGER
    )
    tenant = factories.resident_with_home(email="tenant@example.com")
    for _ in range(60):
        factories.resident_with_home(user=False)
    for _ in range(15):
        factories.resident_with_home(tenure=Tenure.SHARED_OWNERSHIP, user=False)

    output = run()
    assert (
        "2023/24 published; 2024/25 published; 2024/25 has a correction and a withdrawal since "
        "publishing; 2025/26 open with" in output
    )
    assert list(Publication.objects.order_by("year").values_list("year", "revision")) == [
        (2023, 1),
        (2024, 1),
    ]
    last_year = SurveyResponse.objects.filter(year=2024)
    assert last_year.filter(withdrawn_at__isnull=False).count() == 1
    assert last_year.filter(corrections__isnull=False).count() == 1
    this_year = SurveyResponse.objects.filter(year=2025)
    assert this_year.filter(tenure="LCRA").exists() and this_year.filter(tenure="LCHO").exists()
    assert not SurveyResponse.objects.filter(resident=tenant).exists()
    assert Invitation.objects.filter(resident=tenant, survey__year=2025).exists()
    assert (
        Notification.objects.filter(resident=tenant, template="satisfaction_invitation").count()
        == 1
    )

    counts = (SurveyResponse.objects.count(), Invitation.objects.count())
    assert "2025/26 open with 0 new responses" in run()
    assert (SurveyResponse.objects.count(), Invitation.objects.count()) == counts
    assert Publication.objects.count() == 2
    assert (
        Notification.objects.filter(resident=tenant, template="satisfaction_invitation").count()
        == 1
    )
