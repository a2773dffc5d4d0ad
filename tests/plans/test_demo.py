"""`manage.py load_demo_plans`: plans for each neighbourhood, this year's fund with applications at
each stage, safe to run again."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from engagement.plans import selectors
from engagement.plans.models import (
    ApplicationStatus,
    NeighbourhoodPlan,
    PlanAction,
    ProjectApplication,
    ProjectPhoto,
)
from portal.models import OfficerRole
from portal.workdays import LONDON
from tests import factories as core
from tests.plans import factories

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_plans", stdout=out)
    return out.getvalue()


def test_without_the_demo_tenant_it_says_so():
    assert "There is no demo tenant (tenant@example.com)" in run()
    assert not NeighbourhoodPlan.objects.exists()


# Any day of the year: at the start of a financial year, in February and March (after the usual
# end of January close for applications), and in the year's last minutes.
@pytest.mark.parametrize(
    "moment",
    [
        None,
        datetime(2027, 4, 1, 9, 0, tzinfo=LONDON),
        datetime(2027, 2, 15, 12, 0, tzinfo=LONDON),
        datetime(2027, 3, 31, 23, 58, tzinfo=LONDON),
    ],
    ids=["today", "1 April", "February", "31 March, 23:58"],
)
def test_it_loads_plans_and_a_fund_and_running_it_again_changes_nothing(moment, patch, elsewhere):
    if moment is not None:
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
    else:
        traveller = None
    try:
        _load_and_check(patch, elsewhere)
    finally:
        if traveller is not None:
            traveller.stop()


def _load_and_check(patch, elsewhere):
    tenant = factories.resident_in(patch, email="tenant@example.com")
    factories.resident_in(patch, email="sharedowner@example.com")
    for _ in range(15):
        factories.resident_in(patch)
        factories.resident_in(elsewhere)
    core.OfficerFactory(user=core.UserFactory(email="officer@example.com"), patch=patch)
    core.OfficerFactory(role=OfficerRole.MANAGER, patch=None)

    assert "Loaded 3 neighbourhood plans and 5 community fund applications" in run()
    assert "already loaded" in run()
    assert NeighbourhoodPlan.objects.count() == 3

    open_plan = selectors.open_plan_for_resident(tenant)
    assert open_plan is not None and open_plan.neighbourhood == patch
    assert open_plan.ballots.exists()
    assert not open_plan.ballots.filter(resident=tenant).exists()  # the tenant votes in the demo
    assert PlanAction.objects.filter(plan__neighbourhood=elsewhere).exists()
    assert PlanAction.objects.filter(plan__neighbourhood=patch, status="done").count() == 3

    fund = selectors.current_fund()
    assert fund.awarded_total == 320_000
    assert fund.remaining == fund.budget_pence - 320_000
    statuses = set(ProjectApplication.objects.values_list("status", flat=True))
    assert statuses == {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.PAID,
    }
    assert (
        ProjectPhoto.objects.filter(update__application__status=ApplicationStatus.PAID).count() == 3
    )
    assert ProjectApplication.objects.filter(applicant=tenant).count() == 1
