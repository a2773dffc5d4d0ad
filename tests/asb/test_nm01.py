"""NM01: ASB cases opened in a financial year per 1,000 homes, and those involving hate incidents."""

from datetime import datetime
from decimal import Decimal

import pytest

from engagement.asb.selectors import nm01, per_1000
from portal.workdays import LONDON
from tests import factories
from tests.asb.factories import AsbCaseFactory

pytestmark = pytest.mark.django_db


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def test_per_1000_homes_is_rounded_half_up_to_two_places():
    assert per_1000(1, 8000) == Decimal("0.13")  # 0.125: half up, not to even
    assert per_1000(3, 7) == Decimal("428.57")
    assert per_1000(2, 3) == Decimal("666.67")
    assert per_1000(0, 600) == Decimal("0.00")
    assert per_1000(5, 0) == Decimal("0.00")


def test_counts_cases_opened_within_the_financial_year_and_those_involving_hate_incidents():
    inside = [
        AsbCaseFactory(
            opened_at=london(2025, 4, 1, 0, 30)
        ),  # the first minutes of the year, in BST
        AsbCaseFactory(opened_at=london(2025, 11, 5, 12, 0), is_hate_incident=True),
        AsbCaseFactory(opened_at=london(2026, 3, 31, 23, 59), is_hate_incident=True),
    ]
    AsbCaseFactory(opened_at=london(2025, 3, 31, 23, 59), is_hate_incident=True)  # the year before
    AsbCaseFactory(opened_at=london(2026, 4, 1, 0, 0))  # the year after
    joined = AsbCaseFactory(opened_at=london(2025, 6, 1, 9, 0))
    joined.merged_into = inside[0]
    joined.save()
    factories.HomeFactory.create_batch(3)  # each of the 6 cases made a home: 9 homes in all

    result = nm01(year=2025)

    assert result == {
        "homes": 9,
        "cases": 3,
        "hate_cases": 2,
        "per_1000": Decimal("333.33"),
        "hate_per_1000": Decimal("222.22"),
    }


def test_a_year_with_no_cases_is_zero_not_an_error():
    factories.HomeFactory.create_batch(2)
    assert nm01(year=2024) == {
        "homes": 2,
        "cases": 0,
        "hate_cases": 0,
        "per_1000": Decimal("0.00"),
        "hate_per_1000": Decimal("0.00"),
    }
