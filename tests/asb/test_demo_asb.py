"""`manage.py load_demo_asb`: a year of ASB cases and the demo tenant's report, safe to run again."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from engagement.asb import selectors
from engagement.asb.models import AsbCase, AsbReport
from portal.demo import DemoLoader
from portal.workdays import LONDON

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_asb", stdout=out)
    return out.getvalue()


def test_without_the_portal_demo_it_says_what_to_run():
    assert "load_demo" in run()
    assert not AsbCase.objects.exists()


def test_it_loads_a_year_of_cases_and_the_tenants_report_and_running_it_again_changes_nothing():
    DemoLoader().load()

    output = run()

    assert "Loaded 14 anti-social behaviour cases" in output
    year = selectors.financial_year_of(timezone.localdate())
    figures = selectors.nm01(year=year)
    assert figures["cases"] == 12
    assert figures["hate_cases"] >= 3
    assert figures["per_1000"] > 0
    assert selectors.nm01(year=year - 1)["cases"] == 2
    tenant_report = AsbReport.objects.get(reporter__user__email="tenant@example.com")
    case = tenant_report.asb_case
    assert case.reports.count() == 2
    assert case.actions.count() == 3
    assert case.risk_level == "high"
    assert tenant_report.updates.filter(kind="update").exists()
    assert case.case.is_open
    assert AsbCase.objects.filter(case__status="closed").exists()

    assert "already loaded" in run()
    assert AsbCase.objects.count() == 14


@pytest.mark.parametrize(
    "today", [datetime(2027, 4, 6, 10, 0), datetime(2027, 4, 1, 8, 0), datetime(2027, 3, 31, 18, 0)]
)
def test_the_demo_loads_on_any_day_with_this_years_nm01_above_zero_and_nothing_in_the_future(today):
    from portal.models import Event

    with time_machine.travel(today.replace(tzinfo=LONDON), tick=False):
        DemoLoader().load()
        run()
        year = selectors.financial_year_of(timezone.localdate())
        figures = selectors.nm01(year=year)
        # The tenant's story starts 12 working days ago, which early in April is last year.
        assert figures["cases"] >= 11
        assert figures["hate_cases"] >= 3
        assert not AsbReport.objects.filter(reported_at__gt=timezone.now()).exists()
        assert not Event.objects.filter(case__kind="asb", created_at__gt=timezone.now()).exists()
