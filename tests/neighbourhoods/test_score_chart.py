"""Average inspection scores by month, drawn as the shared line chart above a table of the same
figures."""

from datetime import date

import pytest

from engagement.neighbourhoods.charts import months_from, score_chart
from portal.charts import PLOT_HEIGHT, PLOT_TOP


def rows():
    return [
        {"contractor__name": "Sparkle", "month": date(2026, 1, 1), "average": 4.25, "scored": 8},
        {"contractor__name": "Sparkle", "month": date(2026, 3, 1), "average": 2, "scored": 4},
        {"contractor__name": "Brite", "month": date(2026, 2, 1), "average": 5, "scored": 2},
        {"contractor__name": "Brite", "month": date(2025, 6, 1), "average": 1, "scored": 1},
    ]


def test_the_months_run_on_across_the_new_year():
    assert months_from(date(2025, 11, 1), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_each_contractor_is_a_line_on_a_scale_of_one_to_five_with_a_table_of_the_same():
    trend = score_chart(rows(), months=months_from(date(2026, 1, 1), 3))
    assert [s.name for s in trend.series] == ["Sparkle", "Brite"]  # June 2025 is left out
    assert [[p and p.value for p in points] for _, points in trend.table] == [
        [4.2, None],
        [None, 5.0],
        [2.0, None],
    ]
    chart = trend.chart
    markers = [s for s in chart.shapes if s.kind in {"circle", "path"} and getattr(s, "filled", 1)]
    five, one = PLOT_TOP, PLOT_TOP + PLOT_HEIGHT
    assert [m.y for m in markers if m.kind == "circle"] == [
        one - (4.2 - 1) / 4 * PLOT_HEIGHT,
        one - (2 - 1) / 4 * PLOT_HEIGHT,
    ]
    (square,) = [m for m in markers if m.kind == "path"]  # Brite's one month, February
    january, march = (m for m in markers if m.kind == "circle")
    x, y = (float(n) for n in square.d[1:].split(" ")[0].split(","))
    assert x + 4.5 == pytest.approx((january.x + march.x) / 2, abs=0.1)
    assert y + 4.5 == five  # a square centred on 5, the top of the scale
    assert [item.text for item in chart.key] == [
        "Sparkle (solid line, circles): 2.0 in March 2026",
        "Brite (dashed line, squares): 5.0 in February 2026",
    ]
    assert chart.summary.startswith("Average inspection score each month, from 1 (very poor)")
    assert "for Sparkle (latest 2.0), Brite (latest 5.0)." in chart.summary
    assert chart.caption.endswith("Months run January 2026 to March 2026.")


def test_no_scores_means_no_chart():
    trend = score_chart([], months=months_from(date(2026, 1, 1), 12))
    assert not trend.has_data and trend.series == []
