"""Factories for the ASB app. Reports are best made through services.make_report; these build
cases directly where a test needs many, or dates the service would not allow."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement.asb import models
from portal.models import CaseKind
from tests import factories


class AsbCaseFactory(DjangoModelFactory):
    class Meta:
        model = models.AsbCase

    case = factory.SubFactory(
        factories.CaseFactory,
        kind=CaseKind.ASB,
        reference=factory.Sequence(lambda n: f"A-2026-{n:06d}"),
        opened_at=factory.SelfAttribute("..opened_at"),
    )
    category = models.Category.NOISE
    opened_at = factory.LazyFunction(timezone.now)
    estate = factory.LazyAttribute(lambda o: o.case.home.estate)
    neighbourhood = factory.LazyAttribute(lambda o: o.case.home.neighbourhood)
    is_hate_incident = False


def person(name="", description="", address="", role=models.PersonRole.ALLEGED):
    from engagement.asb.services import PersonDetails

    return PersonDetails(role=role, name=name, description=description, address=address)
