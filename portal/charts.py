"""Inline SVG charts, drawn without JavaScript, shared by every app.

Three kinds cover what the portal shows: horizontal bars (`bar_chart`: answers to a question,
points for each priority), columns over categories such as months or years, one or more series
side by side (`column_chart`), and lines over time, one or more series (`line_chart`). Each
returns a `Chart`: every coordinate is worked out here, so `templates/includes/charts/chart.html`
only writes the shapes out. The chart scales with the page (a viewBox), carries a title and a text
summary for screen readers, and tells series apart by position, fill pattern, dash and marker as
well as colour. Pages still put the same figures in a table beside or below the chart.

A chart wide enough that its text would come out too small on a phone also carries a compact
layout (`Chart.narrow`): fewer category labels, no figures where they would collide, no wider
than `NARROW_WIDTH`. The template draws both and the stylesheet shows one by screen width.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import ClassVar

Number = int | float | Decimal

TEXT = "#0b0c0c"  # GOV.UK text colour: 19:1 on white
SECONDARY = "#505a5f"  # GOV.UK secondary text: 7:1 on white
GRID = "#b1b4b6"
REFERENCE = "#d4351c"
FONT = 14  # in the viewBox's units; shown larger or smaller as the chart scales
CHAR = 0.6  # a generous average glyph width, as a share of the font size, for laying out text
MAX_SCALE = 1.2  # drawn at most this much larger than its viewBox, so text stays in proportion

# Phones: a chart has about 330 CSS px on a 360 px phone (GOV.UK's 15 px margins either side).
PHONE = 330
LEGIBLE = 12  # the smallest text, in CSS px, a chart may show there before it gets a compact layout
NARROW_WIDTH = 360  # the compact layout's widest, in viewBox units: 14-unit text at 12.8 px there
LABEL_GAP = 6  # the least space between two category labels in the compact layout

# Column and line charts: the plot's margins and size, in viewBox units.
PLOT_TOP = 24  # room for the value above the tallest bar
PLOT_HEIGHT = 180
AXIS_ROOM = 28  # the categories' labels under the plot
RIGHT = 10
MIN_SLOT = 36  # one category: its bars, or its point, and the space around them
BAR = 22  # the narrowest a bar gets
WIDEST_BAR = 40
BAR_GAP = 2  # between the bars of one category
GROUP_GAP = 14  # between categories

LINE_FONT = 16  # line charts have no figures above their points, so room for larger labels

# Horizontal bars.
ROW_FONT = 16
ROW_LINE = 20
ROW_BAR = 18
ROW_GAP = 16


@dataclass(frozen=True)
class Style:
    """How one series looks: each property differs between neighbouring series."""

    colour: str
    pattern: str  # a bar's fill: solid, striped, dotted or cross-hatched
    dash: str  # a line's stroke-dasharray
    marker: str  # the shape at each point of a line


# GOV.UK palette colours, each at least 3:1 against white (WCAG 1.4.11).
COLOURS = ("#0b5e58", "#4c2c92", "#1d70b8", "#912b88", "#00703c")
PATTERNS = ("solid", "striped", "dotted", "cross-hatched")
DASHES = (("", "solid"), ("8 4", "dashed"), ("2 4", "dotted"), ("12 4 2 4", "dash-dot"))
DASHES += (("4 2", "short-dashed"),)
MARKERS = ("circle", "square", "triangle", "diamond")


def style_of(index: int) -> Style:
    """The nth series' style. Patterns, dashes and markers cycle at different lengths, so no two of
    the first twenty series look alike even where their colours repeat."""
    return Style(
        colour=COLOURS[index % len(COLOURS)],
        pattern=PATTERNS[index % len(PATTERNS)],
        dash=DASHES[index % len(DASHES)][0],
        marker=MARKERS[index % len(MARKERS)],
    )


def _dash_word(dash: str) -> str:
    return dict(DASHES)[dash]


# -- what an app gives a chart -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: its label, its value and the figure shown after it."""

    label: str
    value: Number
    text: str = ""


@dataclass(frozen=True)
class Category:
    """A place along the bottom of a column or line chart: a month, a year."""

    label: str  # short, under the axis: "Apr", "2025/26"
    name: str = ""  # in words for the summary: "April 2025" (the label if empty)
    to_come: bool = False  # a month not reached yet: its label greyed out, nothing drawn

    @property
    def words(self) -> str:
        return self.name or self.label


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]  # one for each category; None where there is no figure
    note: str = ""  # said after the name in the key: "4.2 in March 2026"


@dataclass(frozen=True)
class Reference:
    """A level drawn across the plot as a dashed line, such as a target."""

    value: Number
    label: str  # in the key: "our target of 90%"


@dataclass(frozen=True)
class Scale:
    """The value axis: from `bottom` to `top`, a line every `step`."""

    bottom: Decimal
    top: Decimal
    step: Decimal

    @classmethod
    def fitting(cls, values: Sequence[Number], *, whole: bool = True) -> Scale:
        """From 0 to the largest value rounded up to a round step (1, 2, 5, 10, 20...), with at
        most five lines above the baseline. Counts (`whole`) never get a fractional step."""
        largest = max((Decimal(str(v)) for v in values), default=Decimal(0))
        step = nice_step(largest, whole=whole)
        top = step * max(math.ceil(largest / step), 1)
        return cls(Decimal(0), top, step)

    @classmethod
    def of(cls, bottom: Number, top: Number, step: Number) -> Scale:
        return cls(Decimal(str(bottom)), Decimal(str(top)), Decimal(str(step)))

    @property
    def ticks(self) -> list[Decimal]:
        count = int((self.top - self.bottom) / self.step)
        return [self.bottom + self.step * n for n in range(count + 1)]

    def share(self, value: Number) -> float:
        """Where a value sits, from 0 at the bottom to 1 at the top (clamped to the plot)."""
        span = float(self.top - self.bottom) or 1.0
        return min(max((float(value) - float(self.bottom)) / span, 0.0), 1.0)


def nice_step(largest: Number, *, lines: int = 5, whole: bool = True) -> Decimal:
    """A round step (1, 2, 5, 10, 20, 50...) giving at most `lines` lines above the baseline."""
    largest = Decimal(str(largest))
    if largest <= 0:
        return Decimal(1)
    step = Decimal(10) ** math.floor(math.log10(largest / lines))
    if whole:
        step = max(step, Decimal(1))
    while True:
        for multiple in (1, 2, 5):
            if math.ceil(largest / (step * multiple)) <= lines:
                return step * multiple
        step *= 10


def figure(value: Number, unit: str = "") -> str:
    """A value as the chart writes it: thousands separated, its unit after it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}{unit}"


# -- what the template draws -------------------------------------------------------------------------


def _at(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Line:
    kind: ClassVar[str] = "line"
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = GRID
    width: float = 1
    dash: str = ""


@dataclass(frozen=True)
class Rect:
    kind: ClassVar[str] = "rect"
    x: float
    y: float
    width: float
    height: float
    colour: str
    pattern: str = "solid"  # not solid: filled with the chart's pattern for this colour
    pattern_id: str = ""  # the end of that pattern's id, after the chart's id
    outline: float = 0  # a dark outline's width: the emphasised bar
    opacity: float = 1
    series: int = 0
    category: int = 0
    value: Number | None = None

    @property
    def stroke(self) -> str:
        """An outline: dark on the emphasised bar; the series' colour round a patterned one, so its
        edge shows against the page."""
        if self.outline:
            return TEXT
        return "" if self.pattern == "solid" else self.colour

    @property
    def stroke_width(self) -> float:
        return self.outline or 1.5


@dataclass(frozen=True)
class Path:
    kind: ClassVar[str] = "path"
    d: str
    colour: str
    width: float = 0  # a stroke's width; 0 for a filled shape
    dash: str = ""
    filled: bool = False


@dataclass(frozen=True)
class Circle:
    kind: ClassVar[str] = "circle"
    x: float
    y: float
    r: float
    colour: str


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    x: float
    y: float
    text: str
    anchor: str = "middle"
    size: int = FONT
    bold: bool = False
    colour: str = TEXT
    halo: bool = False  # a white edge, so a figure stays legible where it crosses a line


@dataclass(frozen=True)
class Pattern:
    """A fill other than solid colour, declared once in the chart's <defs>."""

    id: str
    kind: str
    colour: str


@dataclass(frozen=True)
class KeyItem:
    text: str
    swatch: tuple = ()
    swatch_width: int = 22
    swatch_height: int = 16


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw a chart, in viewBox units."""

    id: str
    title: str
    summary: str
    width: float
    height: float
    shapes: tuple = ()
    patterns: tuple[Pattern, ...] = ()
    key: tuple[KeyItem, ...] = ()
    caption: str = ""
    has_data: bool = True
    narrow: Chart | None = None  # the compact layout shown on phones, where there is one

    @property
    def max_width(self) -> int:
        """The widest it is drawn, in CSS pixels: larger would only make the text huge."""
        return round(self.width * MAX_SCALE)

    @property
    def phone_text(self) -> float:
        """Its smallest text, in CSS pixels, as drawn across a phone (`PHONE` wide)."""
        sizes = [shape.size for shape in self.shapes if shape.kind == "text"]
        return round(min(sizes, default=FONT) * min(PHONE / self.width, MAX_SCALE), 1)

    @property
    def rects(self) -> list[Rect]:
        return [shape for shape in self.shapes if shape.kind == "rect"]


def _text_width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR


def _patterns_for(styles: Sequence[Style]) -> tuple[Pattern, ...]:
    return tuple(
        Pattern(id=f"p{index}", kind=style.pattern, colour=style.colour)
        for index, style in enumerate(styles)
        if style.pattern != "solid"
    )


def _bar_swatch(style: Style, index: int) -> tuple:
    return (Rect(1, 1, 20, 14, style.colour, pattern=style.pattern, pattern_id=f"p{index}"),)


def _marker(kind: str, x: float, y: float, colour: str) -> Path | Circle:
    if kind == "square":
        return Path(f"M{_at(x - 4.5)},{_at(y - 4.5)} h9 v9 h-9 z", colour, filled=True)
    if kind == "triangle":
        return Path(f"M{_at(x)},{_at(y - 6)} l6,10 l-12,0 z", colour, filled=True)
    if kind == "diamond":
        return Path(f"M{_at(x)},{_at(y - 6)} l6,6 l-6,6 l-6,-6 z", colour, filled=True)
    return Circle(_at(x), _at(y), 5, colour)


def _default_summary(categories, series, unit, missing) -> str:
    def one(values):
        return "; ".join(
            f"{category.words}: {(missing or 'no figure') if value is None else figure(value, unit)}"
            for category, value in zip(categories, values, strict=True)
            if not category.to_come
        )

    if not any(v is not None for s in series for v in s.values):
        return "No figures yet."
    if len(series) == 1:
        return one(series[0].values) + "."
    return " ".join(f"{s.name}: {one(s.values)}." for s in series)


def _for_phones(chart: Chart, compact: Callable[[], Chart]) -> Chart:
    """The chart with its compact layout, if its own text would be too small on a phone."""
    if chart.phone_text >= LEGIBLE:
        return chart
    narrow = compact()
    return replace(chart, narrow=narrow) if narrow.width < chart.width else chart


def _rows_summary(bars, texts) -> str:
    if not bars:
        return "No figures yet."
    return "; ".join(f"{bar.label}: {text}" for bar, text in zip(bars, texts, strict=True)) + "."


# -- horizontal bars ---------------------------------------------------------------------------------


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    summary: str = "",
    top: Number | None = None,
    caption: str = "",
    width: int = 480,
) -> Chart:
    """A bar for each row, its label above it (wrapped to fit) and its figure after it, lengths in
    proportion to `top` (the largest value if not given). The rows stack, so on a phone the compact
    layout is only narrower, its labels wrapped onto more lines."""
    texts = [bar.text or figure(bar.value) for bar in bars]
    top = float(top if top is not None else max((bar.value for bar in bars), default=0)) or 1.0
    summary = summary or _rows_summary(bars, texts)

    def layout(across: float) -> Chart:
        return _bars(chart_id, title, bars, texts, summary, top, caption, across)

    return _for_phones(layout(width), lambda: layout(NARROW_WIDTH))


def _bars(chart_id, title, bars, texts, summary, top, caption, width) -> Chart:
    value_room = max((_text_width(text, ROW_FONT) for text in texts), default=0) + 8
    span = max(width - value_room, width / 2)
    per_line = max(int(width / (ROW_FONT * CHAR)), 10)
    shapes, y = [], 0.0
    for index, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        for line in textwrap.wrap(bar.label, per_line) or [""]:
            y += ROW_LINE
            shapes.append(Text(0, _at(y - 4), line, anchor="start", size=ROW_FONT))
        bar_y = y + 4
        length = span * min(max(float(bar.value) / top, 0.0), 1.0)
        if length:
            shapes.append(
                Rect(
                    0,
                    _at(bar_y),
                    _at(max(length, 2)),
                    ROW_BAR,
                    COLOURS[0],
                    category=index,
                    value=bar.value,
                )
            )
        shapes.append(
            Text(_at(length + 6), _at(bar_y + ROW_BAR - 4), text, anchor="start", size=ROW_FONT)
        )
        y = bar_y + ROW_BAR + ROW_GAP
    return Chart(
        id=chart_id,
        title=title,
        summary=summary,
        width=width,
        height=_at(max(y - ROW_GAP + 4, ROW_LINE)),
        shapes=tuple(shapes),
        caption=caption,
        has_data=any(bar.value for bar in bars),
    )


# -- columns and lines over categories ---------------------------------------------------------------


@dataclass
class _Frame:
    """The axes shared by column and line charts: where each category and each value sits."""

    categories: Sequence[Category]
    scale: Scale
    unit: str
    least: float  # the narrowest a category may be, for what is drawn in it
    font: int = FONT
    compact: bool = False  # fit within NARROW_WIDTH, labelling only every so many categories
    anchor: int = 0  # a category always labelled (the emphasised one); the others step from it
    left: float = field(init=False)
    slot: float = field(init=False)
    every: int = field(init=False)  # a label under one category in this many

    def __post_init__(self):
        labels = [figure(tick, self.unit) for tick in self.scale.ticks]
        self.left = max((_text_width(label, self.font) for label in labels), default=0) + 12
        widest = max((_text_width(c.label, self.font) for c in self.categories), default=0)
        # Only as wide as the labels need: the fewer units across, the larger the text on a phone.
        self.slot = max(MIN_SLOT, self.least, widest + 10)
        self.every = 1
        if self.compact and self.categories:
            room = (NARROW_WIDTH - self.left - RIGHT) / len(self.categories)
            self.slot = min(self.slot, max(room, 1.0))
            self.every = math.ceil((widest + LABEL_GAP) / self.slot)

    def labelled(self, index: int) -> bool:
        return (index - self.anchor) % self.every == 0

    @property
    def bottom(self) -> float:
        return PLOT_TOP + PLOT_HEIGHT

    @property
    def width(self) -> float:
        return _at(self.left + len(self.categories) * self.slot + RIGHT)

    @property
    def height(self) -> float:
        return self.bottom + AXIS_ROOM

    def centre(self, index: int) -> float:
        return self.left + index * self.slot + self.slot / 2

    def y(self, value: Number) -> float:
        return _at(self.bottom - self.scale.share(value) * PLOT_HEIGHT)

    def axes(self) -> list:
        shapes = []
        for tick in self.scale.ticks:
            y = self.y(tick)
            baseline = tick == self.scale.bottom
            shapes.append(
                Line(
                    _at(self.left),
                    y,
                    _at(self.width - RIGHT),
                    y,
                    colour=SECONDARY if baseline else GRID,
                    dash="" if baseline else "2 3",
                )
            )
            label = figure(tick, self.unit)
            shapes.append(Text(_at(self.left - 6), _at(y + 4), label, "end", size=self.font))
        for index, category in enumerate(self.categories):
            if not self.labelled(index):
                continue
            # A label wider than its category stays inside the chart at the right-hand end.
            half = _text_width(category.label, self.font) / 2
            shapes.append(
                Text(
                    _at(min(self.centre(index), self.width - half)),
                    _at(self.bottom + 4 + self.font),
                    category.label,
                    size=self.font,
                    colour=SECONDARY if category.to_come else TEXT,
                )
            )
        return shapes


def _check(categories, series):
    for item in series:
        if len(item.values) != len(categories):
            raise ValueError(f"{item.name!r} has {len(item.values)} values for {len(categories)}")


def _whole(series) -> bool:
    return all(isinstance(v, int) for s in series for v in s.values if v is not None)


def column_chart(
    *,
    chart_id: str,
    title: str,
    categories: Sequence[Category],
    series: Sequence[Series],
    summary: str = "",
    scale: Scale | None = None,
    unit: str = "",
    missing_text: str = "",
    reference: Reference | None = None,
    emphasis: int | None = None,
    caption: str = "",
    narrow_caption: str | None = None,
) -> Chart:
    """Bars for each category, one for each series side by side, each with its value above it.
    A missing value shows `missing_text` at the baseline; a category still to come shows nothing.
    `emphasis` marks one category (the latest year): its bars outlined and its values in bold,
    the others a shade lighter. The compact layout for phones leaves out the values (and
    `missing_text`) where they would run together, so it may need its own `narrow_caption`."""
    _check(categories, series)
    values = [v for s in series for v in s.values if v is not None]
    extra = [reference.value] if reference else []
    scale = scale or Scale.fitting([*values, *extra], whole=_whole(series))
    # Each bar has room for the figure above it, so neighbouring figures do not run together.
    widest = max((_text_width(figure(v, unit)) for v in values), default=0)
    room = max(BAR, widest + 4)
    least = len(series) * room + (GROUP_GAP if len(series) > 1 else 4)
    styles = [style_of(index) for index in range(len(series))]
    key = []
    if len(series) > 1:
        for number, (item, style) in enumerate(zip(series, styles, strict=True)):
            position = _position(number, len(series))
            note = f": {item.note}" if item.note else ""
            key.append(
                KeyItem(
                    f"{position} bar, {style.pattern}: {item.name}{note}",
                    _bar_swatch(style, number),
                )
            )
    if reference is not None:
        key.append(
            KeyItem(
                f"Dashed red line: {reference.label}",
                (Line(1, 8, 31, 8, REFERENCE, width=2, dash="6 4"),),
                swatch_width=32,
            )
        )

    def layout(compact: bool) -> Chart:
        frame = _Frame(categories, scale, unit, least, compact=compact, anchor=emphasis or 0)
        # The full layout always has room for the figures; the compact one may not.
        with_figures = frame.slot >= least
        per_bar = frame.slot / max(len(series), 1)
        with_missing = not compact or _text_width(missing_text) + 4 <= per_bar
        gap = min(GROUP_GAP, max(4.0, frame.slot * 0.3)) if compact else GROUP_GAP
        bar_width = min(
            WIDEST_BAR, (frame.slot - gap - BAR_GAP * (len(series) - 1)) / max(len(series), 1)
        )
        group = bar_width * len(series) + BAR_GAP * (len(series) - 1)
        shapes, labels = frame.axes(), []
        for index, category in enumerate(categories):
            if category.to_come:
                continue
            first = frame.centre(index) - group / 2
            emphasised = emphasis == index
            for number, (item, style) in enumerate(zip(series, styles, strict=True)):
                value = item.values[index]
                x = first + number * (bar_width + BAR_GAP)
                middle = _at(x + bar_width / 2)
                if value is None:
                    if missing_text and with_missing:
                        labels.append(
                            Text(middle, _at(frame.bottom - 5), missing_text, colour=SECONDARY)
                        )
                    continue
                top = frame.y(value)
                if frame.bottom - top > 0:
                    shapes.append(
                        Rect(
                            _at(x),
                            top,
                            _at(bar_width),
                            _at(frame.bottom - top),
                            style.colour,
                            pattern=style.pattern,
                            pattern_id=f"p{number}",
                            outline=2 if emphasised else 0,
                            opacity=0.75 if emphasis is not None and not emphasised else 1,
                            series=number,
                            category=index,
                            value=value,
                        )
                    )
                if with_figures:
                    labels.append(
                        Text(middle, _at(top - 5), figure(value, unit), bold=emphasised, halo=True)
                    )
        if reference is not None:
            y = frame.y(reference.value)
            shapes.append(
                Line(
                    _at(frame.left), y, _at(frame.width - RIGHT), y, REFERENCE, width=2, dash="6 4"
                )
            )
        return Chart(
            id=chart_id,
            title=title,
            summary=summary or _default_summary(categories, series, unit, missing_text),
            width=frame.width,
            height=frame.height,
            shapes=tuple(shapes + labels),
            patterns=_patterns_for(styles),
            key=tuple(key),
            caption=caption if narrow_caption is None or not compact else narrow_caption,
            has_data=bool(values),
        )

    return _for_phones(layout(compact=False), lambda: layout(compact=True))


def _position(number: int, count: int) -> str:
    if count == 2:
        return ("Left", "Right")[number]
    words = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth")
    return words[number] if number < len(words) else f"Number {number + 1}"


def line_chart(
    *,
    chart_id: str,
    title: str,
    categories: Sequence[Category],
    series: Sequence[Series],
    summary: str = "",
    scale: Scale | None = None,
    unit: str = "",
    caption: str = "",
) -> Chart:
    """A line for each series through its values, joining across months with no figure, with a
    marker at each value. The key names every line with its dash and marker."""
    _check(categories, series)
    values = [v for s in series for v in s.values if v is not None]
    scale = scale or Scale.fitting(values, whole=_whole(series))
    key = []
    for number, item in enumerate(series):
        style = style_of(number)
        note = f": {item.note}" if item.note else ""
        key.append(
            KeyItem(
                f"{item.name} ({_dash_word(style.dash)} line, {style.marker}s){note}",
                (
                    Path("M2,8 L42,8", style.colour, width=3, dash=style.dash),
                    _marker(style.marker, 22, 8, style.colour),
                ),
                swatch_width=44,
            )
        )

    def layout(compact: bool) -> Chart:
        frame = _Frame(categories, scale, unit, least=MIN_SLOT, font=LINE_FONT, compact=compact)
        shapes = frame.axes()
        for number, item in enumerate(series):
            style = style_of(number)
            points = [
                (_at(frame.centre(index)), frame.y(value))
                for index, value in enumerate(item.values)
                if value is not None
            ]
            if len(points) > 1:
                d = " ".join(f"{'L' if n else 'M'}{x},{y}" for n, (x, y) in enumerate(points))
                shapes.append(Path(d, style.colour, width=3, dash=style.dash))
            shapes.extend(_marker(style.marker, x, y, style.colour) for x, y in points)
        return Chart(
            id=chart_id,
            title=title,
            summary=summary or _default_summary(categories, series, unit, ""),
            width=frame.width,
            height=frame.height,
            shapes=tuple(shapes),
            key=tuple(key),
            caption=caption,
            has_data=bool(values),
        )

    return _for_phones(layout(compact=False), lambda: layout(compact=True))
