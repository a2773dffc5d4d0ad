"""Scores over time drawn as an inline SVG line chart. Each line has its own dash pattern and
marker shape, shown again in the key, so colour is never the only way to tell them apart; the
page puts the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 36, 16, 16, 44
STYLES = (
    # colour (GOV.UK palette), dash pattern, marker
    ("#1d70b8", "", "circle"),
    ("#d4351c", "8 4", "square"),
    ("#00703c", "2 4", "triangle"),
    ("#4c2c92", "12 4 2 4", "diamond"),
    ("#f47738", "4 2", "circle"),
)


@dataclass
class Point:
    x: float
    y: float
    value: float
    month: date
    scored: int


@dataclass
class Series:
    name: str
    colour: str
    dash: str
    marker: str
    points: list[Point] = field(default_factory=list)

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class Chart:
    months: list[date]
    series: list[Series]
    width: int = WIDTH
    height: int = HEIGHT
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_lines: list[tuple[float, int]] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def has_data(self) -> bool:
        return any(s.points for s in self.series)

    @property
    def table(self) -> list[tuple[date, list[Point | None]]]:
        """The chart as rows of a table: each month, and each line's point that month (or None)."""
        by_month = [{p.month: p for p in s.points} for s in self.series]
        return [(month, [points.get(month) for points in by_month]) for month in self.months]


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
    span_x = WIDTH - RIGHT - LEFT
    span_y = HEIGHT - BOTTOM - TOP
    step = span_x / max(len(months) - 1, 1)
    x_of = {month: LEFT + i * step for i, month in enumerate(months)}

    def y_of(score):
        return TOP + (5 - float(score)) / 4 * span_y

    series: dict[str, Series] = {}
    for row in rows:
        month = row["month"]
        month = date(month.year, month.month, 1)
        if month not in x_of:
            continue
        name = row[name_key]
        if name not in series:
            colour, dash, marker = STYLES[len(series) % len(STYLES)]
            series[name] = Series(name=name, colour=colour, dash=dash, marker=marker)
        series[name].points.append(
            Point(
                x=x_of[month],
                y=y_of(row["average"]),
                value=round(float(row["average"]), 1),
                month=month,
                scored=row["scored"],
            )
        )
    for item in series.values():
        item.points.sort(key=lambda p: p.month)
    return Chart(
        months=months,
        series=list(series.values()),
        # Every other month, so the labels stay readable when the chart shrinks to a phone.
        x_labels=[(x_of[m], f"{m:%b}") for i, m in enumerate(months) if i % 2 == 0],
        y_lines=[(y_of(score), score) for score in range(1, 6)],
    )
