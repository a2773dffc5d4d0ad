"""Factories for the shared core. Faker speaks British English here."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker import Faker

from portal import models

factory.Faker._DEFAULT_LOCALE = "en_GB"
_fake = Faker("en_GB")

PASSWORD = "doorstep-test-password"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        # allauth wants a verified address before it lets anyone in.
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class NeighbourhoodFactory(DjangoModelFactory):
    class Meta:
        model = models.Neighbourhood
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Neighbourhood {n}")


class EstateFactory(DjangoModelFactory):
    class Meta:
        model = models.Estate

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Estate {n}")


class BlockFactory(DjangoModelFactory):
    class Meta:
        model = models.Block

    estate = factory.SubFactory(EstateFactory)
    name = factory.Sequence(lambda n: f"Block {n} House")


class HomeFactory(DjangoModelFactory):
    class Meta:
        model = models.Home

    uprn = factory.Sequence(lambda n: f"{100000000 + n}")
    address_line_1 = factory.Sequence(lambda n: f"{n % 300 + 1} Mill Lane")
    town = "Millbrook"
    postcode = factory.Faker("postcode")
    estate = factory.SubFactory(EstateFactory)
    neighbourhood = factory.SelfAttribute("estate.neighbourhood")
    block = None
    tenure = models.Tenure.SOCIAL_RENT
    bedrooms = 2
    has_communal_areas = False


def _plain(name: str) -> str:
    # Faker's O'Neill becomes O&#x27;Neill in HTML; tests that look for a random name in a page
    # would pass or fail by chance. Escaping is tested on purpose, with names chosen for it.
    return name.replace("'", "")


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = models.Resident

    first_name = factory.LazyFunction(lambda: _plain(_fake.first_name()))
    last_name = factory.LazyFunction(lambda: _plain(_fake.last_name()))
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    phone = factory.Sequence(lambda n: f"07700 9{n:05d}")
    preferred_channel = models.Channel.EMAIL


class TenancyFactory(DjangoModelFactory):
    class Meta:
        model = models.Tenancy
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    home = factory.SubFactory(HomeFactory)
    start_date = dt.date(2019, 4, 1)

    @factory.post_generation
    def residents(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.residents.set(extracted)


def resident_with_home(*, tenure=models.Tenure.SOCIAL_RENT, user=True, **resident_fields):
    """A resident on a current tenancy of a home of the given tenure, signed up unless user=False."""
    resident = ResidentFactory(**resident_fields)
    home = HomeFactory(tenure=tenure)
    TenancyFactory(home=home, residents=[resident])
    if user:
        resident.user = UserFactory(email=resident.email)
        resident.save()
    return resident


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = models.Team

    name = factory.Sequence(lambda n: f"Team {n}")


class OfficerFactory(DjangoModelFactory):
    class Meta:
        model = models.Officer

    user = factory.SubFactory(UserFactory)
    name = factory.LazyFunction(lambda: _plain(_fake.name()))
    role = models.OfficerRole.OFFICER
    patch = factory.SubFactory(NeighbourhoodFactory)
    team = None


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = models.Case

    reference = factory.Sequence(lambda n: f"E-2026-{n:06d}")
    kind = models.CaseKind.ENQUIRY
    summary = factory.Faker("sentence", nb_words=6)
    resident = factory.SubFactory(ResidentFactory)
    home = factory.SubFactory(HomeFactory)
    channel = models.CaseChannel.WEB
    opened_at = factory.LazyFunction(timezone.now)
