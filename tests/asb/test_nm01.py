"""NM01: ASB cases opened in a financial year per 1,000 homes, and those involving hate incidents."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from engagement.asb.charts import MonthChart
from engagement.asb.selectors import (
    change_in_words,
    nm01,
    nm01_by_month,
    nm01_compared,
    per_1000,
)
from portal.charts import PLOT_HEIGHT, PLOT_TOP, nice_step
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


# -- month by month -------------------------------------------------------------------------------


def counts_by_month(year, today):
    return {
        month.month: (month.cases, month.hate_cases)
        for month in nm01_by_month(year=year, today=today)
    }


def test_the_months_of_a_year_run_april_to_march_and_cases_fall_in_their_own_year():
    AsbCaseFactory(opened_at=london(2025, 3, 31, 23, 30))  # the last evening of 2024/25
    AsbCaseFactory(opened_at=london(2025, 4, 1, 0, 30), is_hate_incident=True)  # 2025/26
    AsbCaseFactory(opened_at=london(2026, 3, 31, 23, 59))  # the last minute of 2025/26
    AsbCaseFactory(opened_at=london(2026, 4, 1, 0, 0))  # 2026/27

    months = nm01_by_month(year=2025, today=date(2026, 6, 1))
    counts = counts_by_month(2025, date(2026, 6, 1))

    assert [m.month for m in months] == [date(2025, 4, 1)] + [
        date(2025, n, 1) for n in range(5, 13)
    ] + [date(2026, n, 1) for n in range(1, 4)]
    assert counts[date(2025, 4, 1)] == (1, 1)
    assert counts[date(2026, 3, 1)] == (1, 0)
    assert sum(cases for cases, _ in counts.values()) == 2
    assert counts_by_month(2024, date(2026, 6, 1))[date(2025, 3, 1)] == (1, 0)
    assert counts_by_month(2026, date(2026, 6, 1))[date(2026, 4, 1)] == (1, 0)


def test_a_case_opened_late_on_the_last_day_of_a_summer_month_counts_in_london_months():
    # 23:30 on 31 May in summer time is 22:30 UTC: May either way.
    AsbCaseFactory(opened_at=london(2025, 5, 31, 23, 30), is_hate_incident=True)
    # 00:30 on 1 June in summer time is 23:30 on 31 May in UTC: June in London.
    AsbCaseFactory(opened_at=london(2025, 6, 1, 0, 30))
    # 23:30 on 31 October, after the clocks go back, is the same in UTC: October.
    AsbCaseFactory(opened_at=london(2025, 10, 31, 23, 30))

    counts = counts_by_month(2025, date(2026, 6, 1))

    assert counts[date(2025, 5, 1)] == (1, 1)
    assert counts[date(2025, 6, 1)] == (1, 0)
    assert counts[date(2025, 10, 1)] == (1, 0)


def test_months_leave_out_joined_cases_and_mark_those_still_to_come():
    kept = AsbCaseFactory(opened_at=london(2025, 7, 2, 10, 0))
    AsbCaseFactory(opened_at=london(2025, 7, 3, 10, 0), merged_into=kept)

    months = nm01_by_month(year=2025, today=date(2025, 9, 15))

    assert counts_by_month(2025, date(2025, 9, 15))[date(2025, 7, 1)] == (1, 0)
    assert [m.short_label for m in months if not m.is_future] == [
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
    ]


def test_the_months_are_counted_in_one_query(django_assert_num_queries):
    for day in range(1, 28, 3):
        AsbCaseFactory(opened_at=london(2025, 4 + day % 9, day, 12, 0), is_hate_incident=day % 2)
    with django_assert_num_queries(1):
        months = nm01_by_month(year=2025, today=date(2026, 4, 1))
    assert sum(m.cases for m in months) == 9


# -- compared with the year before ----------------------------------------------------------------


def test_change_in_words_says_up_down_or_no_change():
    assert change_in_words(Decimal("20.00"), Decimal("17.50")) == "up 2.50 per 1,000 homes"
    assert change_in_words(Decimal("1.25"), Decimal("2.00")) == "down 0.75 per 1,000 homes"
    assert change_in_words(Decimal("3.00"), Decimal("3.00")) == "no change"


def test_a_finished_year_is_compared_with_the_whole_year_before(django_assert_max_num_queries):
    for opened in [(2024, 4, 1, 9), (2024, 12, 1, 9), (2025, 3, 31, 23)]:
        AsbCaseFactory(opened_at=london(*opened, 0))
    for opened in [(2025, 4, 1, 0), (2025, 8, 1, 9), (2025, 9, 1, 9), (2026, 3, 31, 23)]:
        AsbCaseFactory(opened_at=london(*opened, 30), is_hate_incident=opened[1] == 8)
    AsbCaseFactory(opened_at=london(2026, 4, 1, 0, 30))  # the year after: in neither
    factories.HomeFactory.create_batch(200 - 8)  # 8 cases made 8 homes: 200 in all

    with django_assert_max_num_queries(2):
        compared = nm01_compared(year=2025, today=date(2026, 5, 10))

    assert compared["in_progress"] is False
    assert compared["year"]["cases"] == 4 and compared["year"]["per_1000"] == Decimal("20.00")
    assert compared["year_before"]["cases"] == 3
    assert compared["year_before"]["per_1000"] == Decimal("15.00")
    assert compared["compared_with"] == compared["year_before"]
    assert compared["change"] == "up 5.00 per 1,000 homes"
    assert compared["hate_change"] == "up 5.00 per 1,000 homes"
    assert compared["year"] == nm01(year=2025)


def test_a_year_in_progress_is_compared_with_the_same_part_of_the_year_before():
    AsbCaseFactory(opened_at=london(2024, 6, 1, 9, 0), is_hate_incident=True)
    AsbCaseFactory(opened_at=london(2024, 11, 1, 23, 30))  # same date, late evening: counted
    AsbCaseFactory(opened_at=london(2024, 11, 2, 0, 30))  # after the same date: not like for like
    AsbCaseFactory(opened_at=london(2025, 2, 1, 9, 0))
    AsbCaseFactory(opened_at=london(2025, 5, 1, 9, 0))
    factories.HomeFactory.create_batch(500 - 5)

    compared = nm01_compared(year=2025, today=date(2025, 11, 1))

    assert compared["in_progress"] is True
    assert compared["compared_until"] == date(2024, 11, 1)
    assert compared["year"]["per_1000"] == Decimal("2.00")
    assert compared["compared_with"]["cases"] == 2
    assert compared["compared_with"]["per_1000"] == Decimal("4.00")
    assert compared["year_before"]["cases"] == 4
    assert compared["change"] == "down 2.00 per 1,000 homes"
    assert compared["hate_change"] == "down 2.00 per 1,000 homes"


# -- the chart ------------------------------------------------------------------------------------


def test_the_scale_steps_are_round_numbers_with_at_most_five_lines():
    assert [nice_step(n) for n in (1, 5, 6, 10, 11, 24, 26, 99, 101, 2400)] == [
        1,
        1,
        2,
        2,
        5,
        5,
        10,
        20,
        50,
        500,
    ]


def test_the_chart_draws_bars_in_proportion_and_none_for_months_to_come():
    AsbCaseFactory.create_batch(4, opened_at=london(2025, 4, 10, 9, 0))
    AsbCaseFactory(opened_at=london(2025, 5, 10, 9, 0), is_hate_incident=True)
    AsbCaseFactory(opened_at=london(2025, 5, 11, 9, 0))

    chart = MonthChart(title="t", months=nm01_by_month(year=2025, today=date(2025, 6, 3)))
    drawn = chart.chart
    bars = {(bar.category, bar.series): bar for bar in drawn.rects}  # (month, 0 all or 1 hate)
    scale = [shape.text for shape in drawn.shapes if shape.kind == "text" and shape.anchor == "end"]

    assert scale == ["0", "1", "2", "3", "4"]  # the largest month, 4, at the top
    assert bars[0, 0].height == 180 and bars[1, 0].height == 90 and bars[1, 1].height == 45
    assert bars[1, 1].pattern == "striped" and bars[1, 0].pattern == "solid"
    assert set(bars) == {(0, 0), (1, 0), (1, 1)}  # nothing to draw for a month of 0
    values = [
        shape.text
        for shape in drawn.shapes
        if shape.kind == "text" and shape.anchor == "middle" and shape.y < PLOT_TOP + PLOT_HEIGHT
    ]
    assert values.count("0") == 3  # April's hate cases and both of June's, above the baseline
    assert len(values) == 6  # and nothing for July onwards, still to come
    assert chart.summary.startswith(
        "April 2025: 4 cases, 0 involving hate incidents; May 2025: 2 cases, 1 involving"
    )
    assert chart.summary.endswith("The months from July 2025 are still to come.")


# -- the staff page -------------------------------------------------------------------------------


@pytest.fixture
def in_may_2026():
    with time_machine.travel(london(2026, 5, 10, 12, 0), tick=False):
        yield


def staff_client(client):
    client.force_login(factories.OfficerFactory().user)
    return client


def test_the_page_draws_the_months_as_a_chart_with_a_text_alternative_and_a_table_beside(
    client, in_may_2026
):
    AsbCaseFactory(opened_at=london(2025, 4, 1, 0, 30), is_hate_incident=True)
    AsbCaseFactory(opened_at=london(2025, 4, 20, 9, 0))
    AsbCaseFactory(opened_at=london(2026, 3, 31, 23, 30))

    html = staff_client(client).get(reverse("asb_staff:nm01"), {"year": 2025}).content.decode()

    figure = html[html.index('<figure class="ds-chart') : html.index("</figure>")]
    # Drawn twice, the stylesheet showing one: the full layout, and a compact one for phones.
    for layout, ids in (("wide", "asb-month-chart"), ("narrow", "asb-month-chart-narrow")):
        svg = figure[figure.index(f'<svg class="ds-chart__image ds-chart--{layout}"') :]
        svg = svg[: svg.index("</svg>")]
        assert 'role="img"' in svg
        assert f'aria-labelledby="{ids}-title {ids}-desc"' in svg
        assert (
            f'<title id="{ids}-title">Anti-social behaviour cases opened each month, 2025/26' in svg
        )
        assert "April 2025: 2 cases, 1 involving hate incidents; May 2025: 0 cases" in svg
        assert "March 2026: 1 case, 0 involving hate incidents." in svg
        assert 'fill="url(#asb-month-chart-p1)"' in svg  # hate incidents striped, not only coloured
    assert figure.count('<pattern id="asb-month-chart-p1"') == 1
    assert "Right bar, striped: cases involving hate incidents" in figure
    assert "with the number of cases above each one" in figure
    assert "the numbers are in the table" in figure  # the compact layout leaves them out
    table = html[html.index("Cases opened each month, 2025/26</caption>") :]
    assert '<th scope="row" class="govuk-table__header">April 2025</th>' in table
    assert '<th scope="row" class="govuk-table__header">March 2026</th>' in table


def test_the_page_compares_the_rate_with_the_year_before_in_words(client, in_may_2026):
    AsbCaseFactory(opened_at=london(2024, 7, 1, 9, 0))
    AsbCaseFactory.create_batch(3, opened_at=london(2025, 7, 1, 9, 0))
    factories.HomeFactory.create_batch(400 - 4)

    html = staff_client(client).get(reverse("asb_staff:nm01"), {"year": 2025}).content.decode()

    compared = html[html.index('id="compared"') : html.index('id="by-month"')]
    assert "Compared with 2024/25" in compared
    assert "<strong>7.50</strong>" in compared and "2.50" in compared
    assert "Up 5.00 per 1,000 homes" in compared
    assert "No change" in compared  # no hate incidents in either year


def test_the_year_so_far_is_compared_with_the_same_part_of_last_year(client, in_may_2026):
    AsbCaseFactory(opened_at=london(2025, 4, 15, 9, 0))
    AsbCaseFactory(opened_at=london(2025, 9, 15, 9, 0))
    AsbCaseFactory(opened_at=london(2026, 4, 15, 9, 0), is_hate_incident=True)

    html = staff_client(client).get(reverse("asb_staff:nm01")).content.decode()

    compared = html[html.index('id="compared"') : html.index('id="by-month"')]
    assert "1 April to 10 May 2025" in compared
    assert "2026/27 so far" in compared and "2025/26 to 10 May" in compared
    assert "2025/26 whole year" in compared
    assert "No change" in compared  # 1 case in each April
    assert "Up 333.33 per 1,000 homes" in compared  # 1 hate incident in 3 homes, none before
    assert "The months from June 2026 are still to come." in html


def test_a_year_with_no_cases_says_so_instead_of_drawing_an_empty_chart(client, in_may_2026):
    html = staff_client(client).get(reverse("asb_staff:nm01"), {"year": 2024}).content.decode()
    assert "No cases opened in 2024/25." in html
    assert "asb-month-chart-title" not in html


def test_the_page_is_for_staff_only(client, resident, in_may_2026):
    url = reverse("asb_staff:nm01")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(resident.user)
    assert client.get(url).status_code == 403


def test_the_page_costs_the_same_however_many_cases_over_however_many_months(
    client, in_may_2026, django_assert_max_num_queries
):
    AsbCaseFactory(opened_at=london(2025, 4, 2, 9, 0))
    client = staff_client(client)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("asb_staff:nm01"), {"year": 2025})
    for month in range(1, 13):
        AsbCaseFactory(opened_at=london(2025, month, 3, 9, 0), is_hate_incident=month % 2)
        AsbCaseFactory(opened_at=london(2024, month, 3, 9, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("asb_staff:nm01"), {"year": 2025})
    assert response.status_code == 200
