"""Residents are told when voting opens on their neighbourhood's plan: each once, in batches,
however often the sweep runs."""

import datetime as dt

import pytest

from engagement.plans import services
from engagement.plans.models import NeighbourhoodPlan
from portal.models import Notification
from tests.plans import factories

pytestmark = pytest.mark.django_db


def test_every_resident_of_the_neighbourhood_is_told_once_in_batches(
    patch, stranger, monkeypatch, django_capture_on_commit_callbacks
):
    residents = [factories.resident_in(patch) for _ in range(5)]
    plan, _ = factories.plan_with_priorities(neighbourhood=patch)
    factories.plan_with_priorities(neighbourhood=patch, published_at=None, title="A draft")
    monkeypatch.setattr(services, "ANNOUNCEMENT_BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_open_plans() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_open_plans() == 0
        # A batch sent again (a retried task) tells nobody twice.
        services.send_next_voting_notices(plan_id=plan.pk)
    told = Notification.objects.filter(template="plans_voting_open")
    assert sorted(told.values_list("resident_id", flat=True)) == sorted(r.pk for r in residents)
    assert "/neighbourhood-plans/plan/" in told.first().body
    plan = NeighbourhoodPlan.objects.get(pk=plan.pk)
    assert plan.announcement_finished_at is not None


def test_plans_not_yet_open_are_not_announced(patch):
    factories.resident_in(patch)
    factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=factories.today() + dt.timedelta(days=1),
        voting_closes_on=factories.today() + dt.timedelta(days=10),
    )
    assert services.announce_open_plans() == 0
    assert not Notification.objects.exists()
