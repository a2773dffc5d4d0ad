"""Factories for resident voice: panels, memberships, meetings, reviews, consultations."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement import models
from tests import factories as core


class PanelFactory(DjangoModelFactory):
    class Meta:
        model = models.Panel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Panel {n}")
    slug = factory.Sequence(lambda n: f"panel-{n}")
    kind = models.PanelKind.SCRUTINY
    purpose = "Residents review a service and recommend changes."
    what_members_do = "Read evidence, meet staff, write recommendations."
    time_commitment = "A 2-hour meeting every month"
    term_months = 24


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = models.PanelMembership

    panel = factory.SubFactory(PanelFactory)
    resident = factory.LazyFunction(core.resident_with_home)
    status = models.MembershipStatus.MEMBER
    why = "I want to help make repairs better."
    term_starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    term_ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=700))


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = models.Meeting

    panel = factory.SubFactory(PanelFactory)
    title = "Monthly meeting"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    place = "Hollybank Community Centre"
    agenda = "Welcome\nRepairs update\nAny other business"


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = models.ScrutinyReview

    panel = factory.SubFactory(PanelFactory)
    title = factory.Sequence(lambda n: f"Review {n}")
    slug = factory.Sequence(lambda n: f"review-{n}")
    service = "Repairs"
    scope = "How we book and keep repair appointments."
    questions = "Are appointments kept?\nAre residents told when they are not?"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    report_due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    stage = models.ReviewStage.GATHERING


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = models.Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary = "We are changing our policy."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = models.ConsultationQuestion

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Do you agree with the proposal?"
    kind = models.QuestionKind.SCALE


def consultation_with_questions(**fields):
    """An open consultation with a scale question, a choice question and a comment question."""
    consultation = ConsultationFactory(**fields)
    scale = QuestionFactory(
        consultation=consultation, number=1, kind=models.QuestionKind.SCALE, required=True
    )
    choice = QuestionFactory(
        consultation=consultation,
        number=2,
        kind=models.QuestionKind.CHOICE,
        text="Which matters most?",
        choices=["Repairs", "Safety", "Communication"],
    )
    comment = QuestionFactory(
        consultation=consultation, number=3, kind=models.QuestionKind.TEXT, text="Anything else?"
    )
    return consultation, scale, choice, comment
