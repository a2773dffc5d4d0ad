"""`manage.py load_demo_neighbourhoods`: centres, officers' details, calendars and a year of
inspection scores for the demo landlord, safe to run again."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from engagement.neighbourhoods import selectors
from engagement.neighbourhoods.models import (
    Contractor,
    DoorstepDay,
    DropInHours,
    Inspection,
    OfficerProfile,
    ServiceCentre,
    SurgeryVisit,
)
from portal.models import Tenure
from tests import factories as core
from tests.neighbourhoods import factories

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_neighbourhoods", stdout=out)
    return out.getvalue()


def test_without_estates_or_officers_it_says_so():
    assert "run `manage.py load_demo` first" in run()
    assert not ServiceCentre.objects.exists()


def test_it_loads_the_demo_and_running_it_again_changes_nothing():
    northgate = core.NeighbourhoodFactory(name="Northgate")
    hollybank = core.EstateFactory(neighbourhood=northgate, name="Hollybank")
    core.EstateFactory(neighbourhood=core.NeighbourhoodFactory(name="Riverside"), name="Wharf Side")
    core.OfficerFactory(
        user=core.UserFactory(email="officer@example.com"), name="Priya Shah", patch=northgate
    )
    tenant = factories.resident_on(hollybank, email="tenant@example.com")
    for _ in range(12):
        factories.resident_on(hollybank)
    assert "new records" in run()
    assert "0 new" in run()

    assert ServiceCentre.objects.count() == 3
    assert DropInHours.objects.exists()
    assert OfficerProfile.objects.filter(officer__user__email="officer@example.com").exists()
    assert DoorstepDay.objects.filter(estate=hollybank, starts_at__gt=timezone.now()).exists()
    near = selectors.near_resident(tenant, tenant.tenancies.get().home)
    assert near.next_surgery is not None and near.next_surgery.places_left > 0
    assert near.next_walkabout is not None
    assert SurgeryVisit.objects.filter(surgery__starts_at__lt=timezone.now()).exists()
    assert Inspection.objects.filter(estate=hollybank, completed_at__isnull=False).count() == 12
    assert Contractor.objects.count() == 3
    months = {row["month"] for row in selectors.monthly_scores()}
    assert len(months) >= 11


def test_the_tenant_is_not_needed_and_a_leaseholders_repair_is_skipped():
    estate = core.EstateFactory()
    for _ in range(14):
        factories.resident_on(estate)
    core.OfficerFactory(patch=None)
    home = core.HomeFactory(estate=estate, tenure=Tenure.LEASEHOLD)
    core.TenancyFactory(home=home, residents=[core.ResidentFactory()])
    assert "There is no demo tenant" in run()
    assert Inspection.objects.count() == 12
