"""Factories for the news app: issues with sections, notices, and residents living in a block."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement.news.models import Issue, Notice, Section
from portal.models import Channel, OfficerRole
from tests import factories as core


def manager(**kwargs):
    return core.OfficerFactory(role=OfficerRole.MANAGER, patch=None, **kwargs)


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"Spring news {n}")
    summary = "Garden competition winners, new repairs hours and your rent for next year."
    written_by = factory.SubFactory(core.OfficerFactory)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    issue = factory.SubFactory(IssueFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Section {n}")
    text = "First paragraph.\n\nSecond paragraph."


class NoticeFactory(DjangoModelFactory):
    class Meta:
        model = Notice

    title = "Lift out of service"
    details = "The lift is broken. An engineer is on the way."
    estate = factory.SubFactory(core.EstateFactory)
    block = None
    starts_at = factory.LazyFunction(timezone.now)
    sent_by = factory.LazyFunction(manager)


def living_in(block=None, *, estate=None, channel=Channel.EMAIL, **fields):
    """A resident with a current tenancy of a flat in the block (or a house on the estate)."""
    estate = block.estate if block is not None else estate
    resident = core.ResidentFactory(preferred_channel=channel, **fields)
    home = core.HomeFactory(estate=estate, block=block)
    core.TenancyFactory(home=home, residents=[resident])
    return resident
