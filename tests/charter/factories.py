"""Factories for the charter's models, and small builders for the records its measures read."""

from datetime import datetime, time

import factory
from factory.django import DjangoModelFactory

from charter.models import (
    CharterSection,
    CharterVersion,
    Promise,
    PromiseComment,
    ResidentCommitment,
    VersionStatus,
)
from portal.models import CaseKind, Deadline
from portal.workdays import LONDON
from tests import factories as core


class CharterVersionFactory(DjangoModelFactory):
    class Meta:
        model = CharterVersion

    number = factory.Sequence(lambda n: n + 1)
    title = "Our tenant charter"
    introduction = "What you can expect from us, and what we ask from you."
    status = VersionStatus.DRAFT


class PromiseFactory(DjangoModelFactory):
    class Meta:
        model = Promise

    version = factory.SubFactory(CharterVersionFactory)
    section = CharterSection.COMMUNICATION
    position = factory.Sequence(lambda n: n + 1)
    text = "We will call you back within one working day"
    measure_key = ""


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = ResidentCommitment

    version = factory.SubFactory(CharterVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Keep your contact details up to date"


class PromiseCommentFactory(DjangoModelFactory):
    class Meta:
        model = PromiseComment

    promise = factory.SubFactory(PromiseFactory)
    resident = factory.LazyFunction(core.resident_with_home)
    text = "Please say what happens if you cannot reach me."
    promise_text = factory.LazyAttribute(lambda c: c.promise.text)


def adopted_version(**fields):
    from django.utils import timezone

    return CharterVersionFactory(status=VersionStatus.ADOPTED, adopted_at=timezone.now(), **fields)


def at(day, hour=12, minute=0):
    """A moment in London."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def deadline(kind, *, due, met=None, stopped=None, extended_to=None, case_kind=CaseKind.ENQUIRY):
    case = core.CaseFactory(kind=case_kind, resident=None, home=None)
    return Deadline.objects.create(
        case=case, kind=kind, due_at=due, met_at=met, stopped_at=stopped, extended_to=extended_to
    )
