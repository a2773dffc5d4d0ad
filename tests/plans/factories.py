"""Factories for neighbourhood plans and the community fund."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement.plans import models
from tests import factories as core


def today():
    return timezone.localdate()


class PlanFactory(DjangoModelFactory):
    """A published plan whose voting window includes today."""

    class Meta:
        model = models.NeighbourhoodPlan

    neighbourhood = factory.SubFactory(core.NeighbourhoodFactory)
    title = factory.LazyAttribute(lambda o: f"{o.neighbourhood.name} neighbourhood plan")
    voting_opens_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=7))
    voting_closes_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=14))
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(core.OfficerFactory)


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = models.PlanPriority

    plan = factory.SubFactory(PlanFactory)
    theme = models.Theme.SAFETY
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(lambda n: n)


def plan_with_priorities(*titles, **plan_fields):
    plan = PlanFactory(**plan_fields)
    themes = list(models.Theme)
    priorities = [
        PriorityFactory(plan=plan, title=title, theme=themes[i % len(themes)], order=i)
        for i, title in enumerate(
            titles or ("Safety", "Cleanliness", "Anti-social behaviour", "Community spaces")
        )
    ]
    return plan, priorities


def resident_in(neighbourhood, **fields):
    """A signed-up resident on a current tenancy of a home in the neighbourhood."""
    resident = core.ResidentFactory(**fields)
    home = core.HomeFactory(estate=core.EstateFactory(neighbourhood=neighbourhood))
    core.TenancyFactory(home=home, residents=[resident])
    resident.user = core.UserFactory(email=resident.email)
    resident.save()
    return resident


class FundFactory(DjangoModelFactory):
    class Meta:
        model = models.CommunityFund
        django_get_or_create = ("year",)

    year = factory.LazyFunction(lambda: models.financial_year_of(today()))
    name = "Community fund"
    budget_pence = 1_000_000
    max_award_pence = 250_000
    opens_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=60))


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = models.FundCriterion

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Criterion {n}")
    max_score = 5
    order = factory.Sequence(lambda n: n)


def fund_with_criteria(**fields):
    fund = FundFactory(**fields)
    CriterionFactory(fund=fund, title="Benefits the community")
    CriterionFactory(fund=fund, title="Value for money")
    return fund


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = models.ProjectApplication

    fund = factory.SubFactory(FundFactory)
    reference = factory.Sequence(lambda n: f"CF-2026-{n:05d}")
    applicant = factory.LazyFunction(core.resident_with_home)
    neighbourhood = factory.LazyAttribute(
        lambda o: o.applicant.tenancies.first().home.neighbourhood
    )
    title = "Hollybank community garden"
    what = "Raised beds and a water butt on the grass behind Ash House."
    where = "The grass behind Ash House"
    who_benefits = "Families in the three blocks, and the after-school club."
    cost_pence = 120_000
