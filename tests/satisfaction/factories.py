"""Factories for the survey and the measures."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from charter.satisfaction import measures
from charter.satisfaction.models import (
    CollectionMethod,
    Invitation,
    ResponseSource,
    Survey,
    SurveyResponse,
)
from tests import factories


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey
        django_get_or_create = ("year",)

    year = 2025
    opens_on = dt.date(2025, 6, 1)
    closes_on = dt.date(2026, 3, 31)
    timing = "June 2025 to March 2026"
    collection_methods = "Online, phone and paper"
    sample_method = "A random sample of each tenure"
    representativeness = "Checked against age, area and tenure"


class SurveyResponseFactory(DjangoModelFactory):
    """An answered survey; pass answers as tp01="very_satisfied" and so on."""

    class Meta:
        model = SurveyResponse

    year = 2025
    respondent = factory.Sequence(lambda n: f"R{n:06d}")
    tenure = measures.LCRA
    collected_on = dt.date(2025, 7, 1)
    method = CollectionMethod.PHONE
    source = ResponseSource.IMPORTED
    tp01 = measures.FAIRLY_SATISFIED


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    resident = factory.LazyFunction(factories.resident_with_home)
    home = factory.LazyAttribute(lambda o: o.resident.tenancies.get().home)
    tenure = factory.LazyAttribute(lambda o: o.home.tenure)
    invited_at = factory.LazyFunction(timezone.now)
    last_contacted_at = factory.LazyFunction(timezone.now)


def responses(n, **fields):
    return [SurveyResponseFactory(**fields) for _ in range(n)]
