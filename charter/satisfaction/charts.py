"""A measure over the published years as a shared column chart (portal.charts), always shown
beside a table of the same figures."""

from __future__ import annotations

from decimal import Decimal

from charter.satisfaction import measures
from portal import charts


def bar_chart(
    *, chart_id: str, title: str, points: list[tuple[int, Decimal | None]], unit: str
) -> charts.Chart:
    """A column for each year's value, the latest year emphasised. Years without a value say
    "no figure". Percentages run 0 to 100; rates per 1,000 homes to a round number above the
    largest."""
    percent = unit == "%"
    described = "; ".join(
        f"{measures.year_label(year)}: {'no figure' if value is None else f'{value}{_unit(unit)}'}"
        for year, value in points
    )
    return charts.column_chart(
        chart_id=chart_id,
        title=title,
        summary=described,
        categories=[charts.Category(measures.year_label(year)) for year, _ in points],
        series=[charts.Series(title, [value for _, value in points])],
        scale=charts.Scale.of(0, 100, 20) if percent else None,
        unit="%" if percent else "",
        missing_text="no figure",
        emphasis=len(points) - 1 if points else None,
    )


def _unit(unit: str) -> str:
    return "%" if unit == "%" else f" {unit}"
