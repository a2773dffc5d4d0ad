"""NM01 month by month as the shared column chart (portal.charts): two bars a month, all cases
opened (solid) and those involving hate incidents (striped, so colour is never the only
difference), each with its number above it. The page puts the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from engagement.asb.selectors import MonthCount
from portal import charts


@dataclass
class MonthChart:
    title: str
    months: list[MonthCount]

    @property
    def has_data(self) -> bool:
        return any(month.cases for month in self.months)

    @cached_property
    def chart(self) -> charts.Chart:
        """Months still to come keep their place on the axis, greyed out, with no bars."""

        def counts(attribute):
            return [None if m.is_future else getattr(m, attribute) for m in self.months]

        return charts.column_chart(
            chart_id="asb-month-chart",
            title=self.title,
            summary=f"Bar chart. {self.summary} The same figures are in the table beside the chart.",
            categories=[
                charts.Category(m.short_label, m.label, to_come=m.is_future) for m in self.months
            ],
            series=[
                charts.Series("all anti-social behaviour cases opened", counts("cases")),
                charts.Series("cases involving hate incidents", counts("hate_cases")),
            ],
            caption="Cases opened each month, April to March, in London time. Each month has two "
            "bars, with the number of cases above each one.",
            # A phone's columns are too narrow for the numbers above them.
            narrow_caption="Cases opened each month, April to March, in London time. Each month "
            "has two bars; the numbers are in the table.",
        )

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
