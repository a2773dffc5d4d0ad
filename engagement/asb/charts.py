"""The geometry of the NM01 month-by-month bar chart, drawn as inline SVG by the template
(`asb/staff/_month_chart.html`): two bars a month, all cases opened (solid) and those involving hate
incidents (hatched, so colour is never the only difference), a value above each bar, and a scale.
No JavaScript; the same figures are in the table beside the chart."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engagement.asb.selectors import MonthCount

PLOT_LEFT = 40  # room for the scale's numbers
PLOT_TOP = 24  # room for the value above the tallest bar
PLOT_HEIGHT = 180
GROUP_WIDTH = 52  # one month: two bars and the space between months
BAR_WIDTH = 22
BAR_GAP = 2
WIDTH = PLOT_LEFT + 12 * GROUP_WIDTH + 8
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
HEIGHT = PLOT_BOTTOM + 28  # and the months' names below


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: int

    @property
    def middle(self) -> float:
        return self.x + BAR_WIDTH / 2


@dataclass(frozen=True)
class MonthBars:
    month: MonthCount
    label_x: float
    cases: Bar | None  # None for months still to come
    hate_cases: Bar | None


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


def scale_step(largest: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving at most 5 lines above the baseline."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if math.ceil(largest / (step * multiple)) <= 5:
                return step * multiple
        step *= 10


@dataclass
class MonthChart:
    title: str
    months: list[MonthCount]

    @property
    def has_data(self) -> bool:
        return any(month.cases for month in self.months)

    @property
    def step(self) -> int:
        return scale_step(max((month.cases for month in self.months), default=0) or 1)

    @property
    def top(self) -> int:
        """The value at the top of the plot: the largest month rounded up to a whole step."""
        largest = max((month.cases for month in self.months), default=0) or 1
        return self.step * math.ceil(largest / self.step)

    def _bar(self, x: float, value: int) -> Bar:
        height = round(value * PLOT_HEIGHT / self.top, 1)
        return Bar(x=x, y=round(PLOT_BOTTOM - height, 1), height=height, value=value)

    @property
    def bars(self) -> list[MonthBars]:
        bars = []
        for index, month in enumerate(self.months):
            left = PLOT_LEFT + index * GROUP_WIDTH + (GROUP_WIDTH - 2 * BAR_WIDTH - BAR_GAP) / 2
            bars.append(
                MonthBars(
                    month=month,
                    label_x=PLOT_LEFT + index * GROUP_WIDTH + GROUP_WIDTH / 2,
                    cases=None if month.is_future else self._bar(left, month.cases),
                    hate_cases=None
                    if month.is_future
                    else self._bar(left + BAR_WIDTH + BAR_GAP, month.hate_cases),
                )
            )
        return bars

    @property
    def ticks(self) -> list[Tick]:
        return [
            Tick(y=round(PLOT_BOTTOM - value * PLOT_HEIGHT / self.top, 1), value=value)
            for value in range(0, self.top + 1, self.step)
        ]

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def plot_left(self) -> int:
        return PLOT_LEFT

    @property
    def plot_bottom(self) -> int:
        return PLOT_BOTTOM

    @property
    def summary(self) -> str:
        """The chart in words, for its text alternative."""
        known = [month for month in self.months if not month.is_future]
        if not known:
            return "No months of this year have begun."
        parts = [
            f"{month.label}: {month.cases} case{'' if month.cases == 1 else 's'}, "
            f"{month.hate_cases} involving hate incidents"
            for month in known
        ]
        text = "; ".join(parts) + "."
        if len(known) < len(self.months):
            text += f" The months from {self.months[len(known)].label} are still to come."
        return text
