"""Linking an account to a tenancy: the right details link, wrong ones count towards a lock-out."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.models import AuditEntry
from portal.services.tenancy_linking import (
    LinkingFailed,
    LinkingLocked,
    link_account_to_tenancy,
    linking_state,
)
from tests.factories import HomeFactory, ResidentFactory, TenancyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenancy():
    resident = ResidentFactory(date_of_birth=date(1984, 3, 27), email="")
    home = HomeFactory(postcode="MK9 3HS")
    return TenancyFactory(reference="T-004213", home=home, residents=[resident])


def test_the_right_details_link_the_account_to_the_resident(tenancy):
    user = UserFactory(email="sam@example.org")
    resident = link_account_to_tenancy(
        user=user, tenancy_reference="T-004213", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS"
    )
    assert resident == tenancy.residents.get()
    resident.refresh_from_db()
    assert resident.user == user
    assert resident.email == "sam@example.org"  # we had none; now we can write to them
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LINK, resident=resident).exists()


def test_the_reference_and_postcode_are_forgiving_about_case_and_spaces(tenancy):
    user = UserFactory()
    link_account_to_tenancy(user=user, tenancy_reference=" t-004213 ", date_of_birth=date(1984, 3, 27), postcode="mk93hs")
    assert tenancy.residents.get().user == user


@pytest.mark.parametrize(
    ("reference", "born", "postcode"),
    [
        ("T-999999", date(1984, 3, 27), "MK9 3HS"),
        ("T-004213", date(1984, 3, 28), "MK9 3HS"),
        ("T-004213", date(1984, 3, 27), "MK9 3HT"),
    ],
)
def test_any_wrong_detail_fails_without_saying_which(tenancy, reference, born, postcode):
    user = UserFactory()
    with pytest.raises(LinkingFailed):
        link_account_to_tenancy(user=user, tenancy_reference=reference, date_of_birth=born, postcode=postcode)
    assert tenancy.residents.get().user is None


def test_an_ended_tenancy_cannot_be_linked(tenancy):
    tenancy.end_date = date(2025, 1, 31)
    tenancy.save()
    with pytest.raises(LinkingFailed):
        link_account_to_tenancy(
            user=UserFactory(), tenancy_reference="T-004213", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS"
        )


def test_a_resident_already_linked_to_another_account_cannot_be_taken_over(tenancy):
    link_account_to_tenancy(
        user=UserFactory(), tenancy_reference="T-004213", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS"
    )
    with pytest.raises(LinkingFailed):
        link_account_to_tenancy(
            user=UserFactory(), tenancy_reference="T-004213", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS"
        )


def test_five_wrong_tries_lock_linking_even_with_the_right_details_until_the_lock_ends(tenancy):
    user = UserFactory()
    for _ in range(4):
        with pytest.raises(LinkingFailed):
            link_account_to_tenancy(user=user, tenancy_reference="T-1", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS")
    with pytest.raises(LinkingLocked) as locked:
        link_account_to_tenancy(user=user, tenancy_reference="T-2", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS")
    assert locked.value.until > timezone.now()

    with pytest.raises(LinkingLocked):
        link_account_to_tenancy(
            user=user, tenancy_reference="T-004213", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS"
        )
    assert tenancy.residents.get().user is None

    with time_machine.travel(locked.value.until + timedelta(seconds=1)):
        assert linking_state(user=user).tries_left == 5
        link_account_to_tenancy(
            user=user, tenancy_reference="T-004213", date_of_birth=date(1984, 3, 27), postcode="MK9 3HS"
        )
    assert tenancy.residents.get().user == user


def test_one_persons_wrong_tries_do_not_lock_out_another(tenancy):
    guesser = UserFactory()
    for _ in range(4):
        with pytest.raises(LinkingFailed):
            link_account_to_tenancy(user=guesser, tenancy_reference="T-1", date_of_birth=date(1990, 1, 1), postcode="X")
    with pytest.raises(LinkingLocked):
        link_account_to_tenancy(user=guesser, tenancy_reference="T-1", date_of_birth=date(1990, 1, 1), postcode="X")
    assert linking_state(user=UserFactory()).tries_left == 5
