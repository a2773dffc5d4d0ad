"""Inspection scores over time: a line for each contractor (or estate) through its average score
each month, drawn by the shared line chart (portal.charts), which tells the lines apart by dash
and marker as well as colour. The page puts the same figures in a table below it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal import charts


@dataclass
class Point:
    value: float
    month: date
    scored: int


@dataclass
class Series:
    name: str
    points: list[Point] = field(default_factory=list)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class Chart:
    """A year of monthly averages: the shared chart to draw (`chart`) and its figures as a table."""

    months: list[date]
    series: list[Series]

    @property
    def has_data(self) -> bool:
        return any(s.points for s in self.series)

    @property
    def table(self) -> list[tuple[date, list[Point | None]]]:
        """The chart as rows of a table: each month, and each line's point that month (or None)."""
        by_month = [{p.month: p for p in s.points} for s in self.series]
        return [(month, [points.get(month) for points in by_month]) for month in self.months]

    @property
    def chart(self) -> charts.Chart:
        """Titled by the page that shows it (it passes `chart_title` and `chart_id`)."""
        by_month = [{p.month: p.value for p in s.points} for s in self.series]
        lines = ", ".join(
            f"{s.name}{f' (latest {s.last.value})' if s.last else ''}" for s in self.series
        )
        first, last = (self.months[0], self.months[-1]) if self.months else (None, None)
        return charts.line_chart(
            chart_id="score-trend",
            title="Average inspection score by month",
            summary="Average inspection score each month, from 1 (very poor) to 5 (excellent), "
            f"for {lines}. The same figures are in the table below the chart.",
            categories=[charts.Category(f"{m:%b}", f"{m:%B %Y}") for m in self.months],
            series=[
                charts.Series(
                    s.name,
                    [values.get(month) for month in self.months],
                    note=f"{s.last.value} in {s.last.month:%B %Y}" if s.last else "",
                )
                for s, values in zip(self.series, by_month, strict=True)
            ],
            scale=charts.Scale.of(1, 5, 1),
            caption="Scores: 1 very poor, 2 poor, 3 acceptable, 4 good, 5 excellent."
            + (f" Months run {first:%B %Y} to {last:%B %Y}." if first else ""),
        )


def months_from(start: date, count: int) -> list[date]:
    months, year, month = [], start.year, start.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return months


def score_chart(rows: list[dict], *, months: list[date], name_key="contractor__name") -> Chart:
    """rows: {month, average, scored, <name_key>} per series and month (from selectors)."""
    wanted = set(months)
    series: dict[str, Series] = {}
    for row in rows:
        month = date(row["month"].year, row["month"].month, 1)
        if month not in wanted:
            continue
        name = row[name_key]
        series.setdefault(name, Series(name=name)).points.append(
            Point(value=round(float(row["average"]), 1), month=month, scored=row["scored"])
        )
    for item in series.values():
        item.points.sort(key=lambda p: p.month)
    return Chart(months=months, series=list(series.values()))
