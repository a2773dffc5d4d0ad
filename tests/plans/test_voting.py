"""Residents vote for their neighbourhood plan's priorities: one vote set each, only in their own
neighbourhood, only while voting is open; totals are counted in the database."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from engagement.plans import selectors, services
from engagement.plans.models import Ballot, BallotChoice
from tests.plans import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(patch):
    return factories.plan_with_priorities(neighbourhood=patch)


def test_a_resident_votes_for_three_priorities_in_order(plan, tenant):
    plan, (safety, clean, asb, spaces) = plan
    services.cast_ballot(plan=plan, resident=tenant, priority_ids=[asb.pk, clean.pk, safety.pk])
    ballot = Ballot.objects.get(plan=plan, resident=tenant)
    assert [(c.priority, c.rank) for c in ballot.choices.all()] == [
        (asb, 1),
        (clean, 2),
        (safety, 3),
    ]


def test_voting_twice_keeps_one_vote_set_with_the_latest_choices(plan, tenant):
    plan, (safety, clean, asb, spaces) = plan
    services.cast_ballot(plan=plan, resident=tenant, priority_ids=[safety.pk])
    services.cast_ballot(plan=plan, resident=tenant, priority_ids=[spaces.pk, clean.pk])
    assert Ballot.objects.filter(plan=plan, resident=tenant).count() == 1
    assert list(
        BallotChoice.objects.filter(ballot__resident=tenant).values_list("priority", "rank")
    ) == [
        (spaces.pk, 1),
        (clean.pk, 2),
    ]


def test_a_double_submitted_vote_form_makes_one_ballot(plan, tenant, client):
    plan, (safety, clean, *_) = plan
    client.force_login(tenant.user)
    url = reverse("plans:vote", args=[plan.pk])
    data = {"choice_1": str(clean.pk), "choice_2": str(safety.pk), "choice_3": ""}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Ballot.objects.filter(plan=plan).count() == 1
    assert BallotChoice.objects.filter(ballot__plan=plan).count() == 2


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2026-03-31 23:30", "Voting opens on 1 April 2026"),
        ("2026-05-01 00:10", "Voting closed on 30 April 2026"),
    ],
)
def test_voting_is_refused_outside_the_window_in_london_time(patch, tenant, moment, message):
    plan, (safety, *_) = factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=dt.date(2026, 4, 1),
        voting_closes_on=dt.date(2026, 4, 30),
    )
    # 23:30 on 31 March and 00:10 on 1 May in London (BST is UTC+1).
    utc = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with time_machine.travel(utc, tick=False):
        with pytest.raises(services.PlanError, match=message):
            services.cast_ballot(plan=plan, resident=tenant, priority_ids=[safety.pk])
    assert not Ballot.objects.exists()


def test_the_first_and_last_days_of_the_window_are_open(patch, tenant):
    plan, (safety, *_) = factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=dt.date(2026, 4, 1),
        voting_closes_on=dt.date(2026, 4, 30),
    )
    with time_machine.travel(
        dt.datetime(2026, 4, 30, 22, 50, tzinfo=dt.UTC), tick=False
    ):  # 23:50 BST
        services.cast_ballot(plan=plan, resident=tenant, priority_ids=[safety.pk])
    assert Ballot.objects.count() == 1


def test_the_vote_page_says_voting_has_closed(patch, tenant, client):
    plan, _ = factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=dt.date(2025, 4, 1),
        voting_closes_on=dt.date(2025, 4, 30),
    )
    client.force_login(tenant.user)
    response = client.get(reverse("plans:vote", args=[plan.pk]))
    assert "Voting has closed" in response.content.decode()
    assert client.post(reverse("plans:vote", args=[plan.pk]), {"choice_1": "1"}).status_code == 200
    assert not Ballot.objects.exists()


def test_a_resident_of_another_neighbourhood_is_refused(plan, stranger, client):
    plan, (safety, *_) = plan
    with pytest.raises(services.PlanError, match="neighbourhood you live in"):
        services.cast_ballot(plan=plan, resident=stranger, priority_ids=[safety.pk])
    client.force_login(stranger.user)
    response = client.post(reverse("plans:vote", args=[plan.pk]), {"choice_1": str(safety.pk)})
    assert response.status_code == 403
    assert "Only residents who live in Northgate" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_draft_plan_cannot_be_voted_on(patch, tenant):
    plan, (safety, *_) = factories.plan_with_priorities(neighbourhood=patch, published_at=None)
    with pytest.raises(services.PlanError, match="not open for voting"):
        services.cast_ballot(plan=plan, resident=tenant, priority_ids=[safety.pk])


def test_choices_must_come_from_the_plan_and_not_repeat(plan, tenant, patch):
    plan, (safety, clean, *_) = plan
    _, (other, *_) = factories.plan_with_priorities("Elsewhere", "Other", neighbourhood=patch)
    with pytest.raises(services.PlanError, match="only once"):
        services.cast_ballot(plan=plan, resident=tenant, priority_ids=[safety.pk, safety.pk])
    with pytest.raises(services.PlanError, match="priorities this plan offers"):
        services.cast_ballot(plan=plan, resident=tenant, priority_ids=[other.pk])
    with pytest.raises(services.PlanError, match="up to 3"):
        services.cast_ballot(plan=plan, resident=tenant, priority_ids=[1, 2, 3, 4])


def test_the_form_says_when_the_same_priority_is_chosen_twice(plan, tenant, client):
    plan, (safety, *_) = plan
    client.force_login(tenant.user)
    response = client.post(
        reverse("plans:vote", args=[plan.pk]),
        {"choice_1": str(safety.pk), "choice_2": str(safety.pk)},
    )
    assert response.status_code == 200
    assert "You have already chosen this priority" in response.content.decode()
    assert not Ballot.objects.exists()


def test_results_are_points_first_choices_and_votes_counted_in_the_database(
    plan, patch, django_assert_num_queries
):
    plan, (safety, clean, asb, spaces) = plan
    voters = [factories.resident_in(patch) for _ in range(3)]
    services.cast_ballot(plan=plan, resident=voters[0], priority_ids=[asb.pk, clean.pk, safety.pk])
    services.cast_ballot(plan=plan, resident=voters[1], priority_ids=[asb.pk, safety.pk])
    services.cast_ballot(plan=plan, resident=voters[2], priority_ids=[clean.pk])
    with django_assert_num_queries(1):
        rows = [
            (p.title, p.points, p.first_choices, p.votes) for p in selectors.priority_results(plan)
        ]
    assert rows == [
        ("Anti-social behaviour", 6, 2, 2),
        ("Cleanliness", 5, 1, 2),
        ("Safety", 3, 0, 2),
        ("Community spaces", 0, 0, 0),
    ]
