"""RP02: the share of emergency and of non-emergency repairs completed within target, by month and
by financial year, counted in the database from the repair_target deadlines."""

from datetime import date, datetime

import pytest
import time_machine

from portal.models import Tenure
from portal.workdays import LONDON
from repairs import services
from repairs.selectors import repairs_completed_within_target, rp02_totals
from tests.repairs.conftest import home_in_block, priority, report, resident_in

pytestmark = pytest.mark.django_db


def at(*parts):
    return datetime(*parts, tzinfo=LONDON)


@pytest.fixture
def completed(tenant, repairs_officer):
    def complete(reported, done, *, emergency=False, resident=None, **where):
        what = (
            {"location": "kitchen", "category": "electrics", "problem": "sparking"}
            if emergency
            else {"location": "kitchen", "category": "kitchen", "problem": "kitchen_tap"}
        )
        with time_machine.travel(reported, tick=False):
            repair = report(resident or tenant, **{**what, **where})
        with time_machine.travel(done, tick=False):
            services.complete_repair(repair=repair, officer=repairs_officer)
        return repair

    return complete


@pytest.fixture
def known_year(completed, tenant, repairs_officer):
    # March 2026 (the year before): a routine repair finished weeks late.
    completed(at(2026, 1, 5, 10), at(2026, 3, 10, 12))
    # April 2026: two emergencies, one made safe in time; three routine repairs (due by the end of
    # Friday 1 May, Good Friday and Easter Monday not counted), one of them reported in March and late.
    completed(at(2026, 4, 1, 10), at(2026, 4, 2, 9), emergency=True)
    completed(at(2026, 4, 10, 10), at(2026, 4, 12, 10), emergency=True)
    completed(at(2026, 4, 1, 10), at(2026, 4, 20, 15))
    completed(at(2026, 4, 1, 10), at(2026, 4, 28, 15))
    completed(at(2026, 3, 2, 10), at(2026, 4, 29, 15))
    # May 2026 by London time, though still 30 April in UTC.
    completed(at(2026, 4, 30, 23, 0), at(2026, 5, 1, 0, 30), emergency=True)
    completed(at(2026, 4, 14, 10), at(2026, 5, 1, 0, 15))
    # Not counted: a repair still open, and (by default) a leaseholder's communal repair.
    with time_machine.travel(at(2026, 4, 2, 10), tick=False):
        report(tenant)
    leaseholder = resident_in(home_in_block(tenure=Tenure.LEASEHOLD))
    completed(
        at(2026, 4, 14, 10),
        at(2026, 4, 15, 10),
        resident=leaseholder,
        location="communal_stairs",
        category="communal",
        problem="paths",
    )
    # Re-prioritised before completion: counted once, against the target it ended with.
    with time_machine.travel(at(2026, 5, 4, 10), tick=False):
        moved = report(tenant)
        services.change_priority(
            repair=moved, priority=priority("urgent"), reason="Worse", officer=repairs_officer
        )
    with time_machine.travel(at(2026, 5, 20, 10), tick=False):  # urgent was due by 11 May: late
        services.complete_repair(repair=moved, officer=repairs_officer)


def row(rows, day):
    return next(r for r in rows if r.period == day)


def test_rp02_by_month_counts_emergency_and_non_emergency_repairs_within_target(known_year):
    rows = repairs_completed_within_target(start=date(2026, 4, 1), end=date(2027, 4, 1), by="month")
    assert [r.period for r in rows] == [date(2026, 4, 1), date(2026, 5, 1)]
    april, may = rows
    assert (april.emergency_completed, april.emergency_in_time, april.emergency_share) == (
        2,
        1,
        50.0,
    )
    assert (
        april.non_emergency_completed,
        april.non_emergency_in_time,
        april.non_emergency_share,
    ) == (3, 2, 66.7)
    assert (may.emergency_completed, may.emergency_in_time, may.emergency_share) == (1, 1, 100.0)
    assert (may.non_emergency_completed, may.non_emergency_in_time) == (2, 1)
    total = rp02_totals(rows)
    assert (total.emergency_share, total.non_emergency_share) == (66.7, 60.0)


def test_rp02_by_financial_year_runs_april_to_march(known_year):
    rows = repairs_completed_within_target(start=date(2025, 4, 1), end=date(2027, 4, 1), by="year")
    assert [r.period for r in rows] == [date(2025, 4, 1), date(2026, 4, 1)]
    last_year, this_year = rows
    assert (last_year.non_emergency_completed, last_year.non_emergency_in_time) == (1, 0)
    assert last_year.emergency_share is None  # nothing to count is not 0%
    assert (this_year.emergency_completed, this_year.emergency_in_time) == (3, 2)
    assert (this_year.non_emergency_completed, this_year.non_emergency_in_time) == (5, 3)
    assert this_year.financial_year_label == "2026 to 2027"


def test_rp02_is_for_social_rent_homes_unless_asked_for_every_home(known_year):
    everyone = repairs_completed_within_target(
        start=date(2026, 4, 1), end=date(2026, 5, 1), tenure=None
    )
    assert everyone[0].non_emergency_completed == 4


def test_rp02_is_one_query(known_year, django_assert_num_queries):
    with django_assert_num_queries(1):
        repairs_completed_within_target(start=date(2026, 4, 1), end=date(2027, 4, 1), by="year")


def test_the_performance_page_shows_rp02_for_the_year(client, known_year, repairs_officer):
    client.force_login(repairs_officer.user)
    with time_machine.travel(at(2026, 6, 1, 10), tick=False):
        page = client.get("/staff/repairs/performance/?year=2026").content.decode()
    assert "Repairs completed within target" in page
    assert "April 2026" in page and "May 2026" in page
    assert "66.7%" in page and "50.0%" in page
