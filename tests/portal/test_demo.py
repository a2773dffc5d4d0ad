"""The demo landlord: loads once, and its people can sign in through the real sign-in form."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from portal import models
from portal.demo import LANDLORD_NAME, PASSWORD
from tests import factories

COUNTED = [
    models.Neighbourhood,
    models.Estate,
    models.Block,
    models.Home,
    models.Tenancy,
    models.Resident,
    models.User,
    models.Officer,
    models.Team,
    models.Case,
    models.Deadline,
    models.Event,
    models.Enquiry,
    models.ContactAttempt,
    models.Notification,
    models.AuditEntry,
    EmailAddress,
]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def sign_in(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD}, follow=True)


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """The demo, loaded once for a class of tests (it takes seconds), in a transaction that is
    rolled back after them. Each test runs in a savepoint inside it, as with setUpTestData. It
    runs before the per-test settings, so it keeps its own cache rather than the real one."""
    memory_cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "demo"}}
    with override_settings(CACHES=memory_cache), django_db_blocker.unblock(), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


# Under xdist each worker that runs some of these loads the demo once. (Grouping the class on one
# worker with --dist loadgroup does nothing with pytest 9.2 and xdist 3.8: the group is added to
# the node id in a way pytest 9.2 no longer reads.)
@pytest.mark.django_db
class TestTheLoadedDemo:
    def test_loading_it_prints_the_sign_ins_and_the_shared_password(self, demo_output):
        assert f"Loaded {LANDLORD_NAME}" in demo_output
        for email in ("tenant@example.com", "officer@example.com", "admin@example.com"):
            assert email in demo_output
        assert PASSWORD in demo_output

    def test_loading_it_again_changes_nothing_and_says_so(self, demo_output):
        before = counts()

        output = load_demo()

        assert counts() == before
        assert "already loaded" in output
        assert "tenant@example.com" in output

    def test_the_landlord_has_two_patches_six_estates_and_homes_of_every_tenure(self, demo_output):
        assert models.Landlord.current().name == LANDLORD_NAME
        assert models.Landlord.current().logo_text == LANDLORD_NAME
        assert models.Neighbourhood.objects.count() == 2
        assert models.Estate.objects.count() == 6
        assert models.Home.objects.count() == pytest.approx(600, abs=50)
        tenures = set(models.Home.objects.values_list("tenure", flat=True))
        assert tenures == {models.Tenure.SOCIAL_RENT, models.Tenure.SHARED_OWNERSHIP, models.Tenure.LEASEHOLD}
        assert not models.Home.objects.filter(tenure=models.Tenure.LEASEHOLD, block__isnull=True).exists()

    def test_there_is_staff_in_every_role_and_the_administrator_can_use_the_django_admin(self, demo_output):
        roles = set(models.Officer.objects.values_list("role", flat=True))
        assert roles >= {
            models.OfficerRole.OFFICER,
            models.OfficerRole.TEAM_LEADER,
            models.OfficerRole.MANAGER,
            models.OfficerRole.CONTACT_CENTRE,
            models.OfficerRole.ADMINISTRATOR,
        }
        admin = models.User.objects.get(email="admin@example.com")
        assert admin.is_staff and admin.is_superuser
        team_leader = models.Officer.objects.get(user__email="teamleader@example.com")
        assert models.Team.objects.get().leader == team_leader

    def test_the_tenant_has_two_open_enquiries_and_one_closed_on_the_officers_patch(self, demo_output):
        tenant = models.Resident.objects.get(user__email="tenant@example.com")
        officer = models.Officer.objects.get(user__email="officer@example.com")

        assert tenant.cases.filter(status__in=models.CaseStatus.open_values()).count() == 2
        assert tenant.cases.exclude(status__in=models.CaseStatus.open_values()).count() == 1
        assert tenant.tenancies.get(reference="T-100001").home.neighbourhood == officer.patch


# Signing in checks the stored password, so these load the demo under the tests' own settings
# (their fast password hasher) rather than share the class's.
@pytest.mark.django_db
def test_the_demo_tenant_signs_in_with_the_form_and_sees_their_address(client):
    load_demo()
    home = models.Tenancy.objects.get(reference="T-100001").home

    response = sign_in(client, "tenant@example.com")

    assert response.status_code == 200
    assert response.resolver_match.view_name == "home"
    page = response.content.decode()
    assert home.address_line_1 in page
    assert home.postcode in page


@pytest.mark.django_db
def test_the_demo_housing_officer_signs_in_and_gets_the_staff_home_for_their_patch(client):
    load_demo()

    response = sign_in(client, "officer@example.com")

    assert response.status_code == 200
    assert response.resolver_match.view_name == "staff:home"
    assert "Northgate" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_will_not_load_into_a_database_that_already_has_homes():
    factories.HomeFactory()

    with pytest.raises(CommandError, match="already has homes"):
        load_demo()

    assert not models.Resident.objects.exists()
