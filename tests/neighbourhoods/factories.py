"""Factories for the neighbourhoods app; the core's people and places come from tests.factories."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement.neighbourhoods import models
from tests import factories as core


def in_days(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ServiceCentreFactory(DjangoModelFactory):
    class Meta:
        model = models.ServiceCentre

    name = factory.Sequence(lambda n: f"Service centre {n}")
    address = "1 Market Square\nMillbrook"
    postcode = "MB1 1AA"
    helps_with = "Rent and money advice\nRepairs\nTenancy questions"


class DropInHoursFactory(DjangoModelFactory):
    class Meta:
        model = models.DropInHours

    centre = factory.SubFactory(ServiceCentreFactory)
    weekday = models.Weekday.TUESDAY
    opens = dt.time(9, 30)
    closes = dt.time(12, 30)


class SurgeryFactory(DjangoModelFactory):
    class Meta:
        model = models.Surgery

    estate = factory.SubFactory(core.EstateFactory)
    venue = "Community room"
    starts_at = factory.LazyFunction(lambda: in_days(7, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    officer = factory.SubFactory(core.OfficerFactory)


class SurgerySlotFactory(DjangoModelFactory):
    class Meta:
        model = models.SurgerySlot

    surgery = factory.SubFactory(SurgeryFactory)
    starts_at = factory.LazyAttribute(lambda o: o.surgery.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=15))
    capacity = 1


class WalkaboutFactory(DjangoModelFactory):
    class Meta:
        model = models.Walkabout

    estate = factory.SubFactory(core.EstateFactory)
    starts_at = factory.LazyFunction(lambda: in_days(10, 14))
    meeting_point = "By the play area"
    officer = factory.SubFactory(core.OfficerFactory)


class ContractorFactory(DjangoModelFactory):
    class Meta:
        model = models.Contractor

    name = factory.Sequence(lambda n: f"Contractor {n} Ltd")
    service = models.ContractService.CLEANING


class ContractorAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = models.ContractorAssignment

    contractor = factory.SubFactory(ContractorFactory)
    estate = factory.SubFactory(core.EstateFactory)
    service = factory.LazyAttribute(lambda o: o.contractor.service)
    starts_on = dt.date(2020, 4, 1)


class OpenSpaceFactory(DjangoModelFactory):
    class Meta:
        model = models.OpenSpace

    estate = factory.SubFactory(core.EstateFactory)
    name = factory.Sequence(lambda n: f"Green {n}")


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = models.Inspection

    estate = factory.SubFactory(core.EstateFactory)
    inspected_on = factory.LazyFunction(timezone.localdate)
    officer = factory.SubFactory(core.OfficerFactory)


class InspectionScoreFactory(DjangoModelFactory):
    class Meta:
        model = models.InspectionScore

    inspection = factory.SubFactory(InspectionFactory)
    block = factory.LazyAttribute(lambda o: core.BlockFactory(estate=o.inspection.estate))
    element = models.InspectionElement.CLEANING
    score = 4
    estate = factory.LazyAttribute(lambda o: o.inspection.estate)
    inspected_on = factory.LazyAttribute(lambda o: o.inspection.inspected_on)


def resident_on(estate, **fields):
    """A tenant living on an estate, in a block, signed up."""
    block = core.BlockFactory(estate=estate)
    home = core.HomeFactory(estate=estate, block=block, has_communal_areas=True)
    resident = core.ResidentFactory(**fields)
    core.TenancyFactory(home=home, residents=[resident])
    resident.user = core.UserFactory(email=resident.email)
    resident.save()
    return resident
