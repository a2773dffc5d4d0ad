"""The shared charts: geometry worked out in portal.charts, drawn by templates/includes/charts/."""

import ast
import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from portal import charts
from portal.charts import PLOT_HEIGHT, PLOT_TOP, Bar, Category, Reference, Scale, Series

BASELINE = PLOT_TOP + PLOT_HEIGHT
SVG = "{http://www.w3.org/2000/svg}"


def months(*labels, to_come=()):
    return [Category(label, f"{label} 2026", to_come=label in to_come) for label in labels]


def draw(chart, **context) -> ET.Element:
    """The rendered figure, parsed: it must be well-formed XML, whatever the labels held."""
    html = render_to_string("includes/charts/chart.html", {"chart": chart, **context})
    return ET.fromstring(html)


def image(figure: ET.Element, variant: str = "") -> ET.Element:
    """The chart's image: the only one, or its "wide" or "narrow" layout."""
    wanted = f"ds-chart__image ds-chart--{variant}" if variant else "ds-chart__image"
    return next(svg for svg in figure.iter(f"{SVG}svg") if svg.get("class") == wanted)


def patterns(figure: ET.Element) -> ET.Element:
    return next(svg for svg in figure.iter(f"{SVG}svg") if svg.get("class") == "ds-chart__patterns")


def texts(chart) -> list[str]:
    return [shape.text for shape in chart.shapes if shape.kind == "text"]


# -- scales ------------------------------------------------------------------------------------------


def test_the_scale_steps_are_round_with_at_most_five_lines_and_whole_for_counts():
    assert [charts.nice_step(n) for n in (0, 1, 4, 7, 30, 101)] == [1, 1, 1, 2, 10, 50]
    assert charts.nice_step(Decimal("3.4"), whole=False) == Decimal("1")
    assert charts.nice_step(Decimal("0.8"), whole=False) == Decimal("0.2")
    assert Scale.fitting([3, 7]).ticks == [0, 2, 4, 6, 8]
    assert Scale.fitting([]).ticks == [0, 1]  # nothing yet: still a scale to draw
    assert Scale.fitting([Decimal("0.7")], whole=False).ticks[-1] == Decimal("0.8")


# -- columns -----------------------------------------------------------------------------------------


def test_columns_are_in_proportion_to_the_scale_and_stand_on_the_baseline():
    chart = charts.column_chart(
        chart_id="c",
        title="Cases",
        categories=months("Apr", "May", "Jun"),
        series=[Series("cases", [4, 2, 1])],
    )
    april, may, june = chart.rects
    assert (april.height, may.height, june.height) == (
        PLOT_HEIGHT,
        PLOT_HEIGHT / 2,
        PLOT_HEIGHT / 4,
    )
    assert all(bar.y + bar.height == BASELINE for bar in chart.rects)
    assert april.x < may.x < june.x
    above = [s for s in chart.shapes if s.kind == "text" and s.anchor == "middle"]
    assert [(t.text, t.x, t.y) for t in above if t.y < BASELINE] == [
        (str(value), bar.x + bar.width / 2, bar.y - 5)
        for value, bar in zip((4, 2, 1), chart.rects, strict=True)
    ]
    assert [t.text for t in above if t.y > BASELINE] == ["Apr", "May", "Jun"]
    assert chart.summary == "Apr 2026: 4; May 2026: 2; Jun 2026: 1."


def test_a_chart_grows_wider_with_more_categories_and_scales_with_the_page():
    few = charts.column_chart(
        chart_id="a", title="t", categories=months("Apr"), series=[Series("s", [1])]
    )
    many = charts.column_chart(
        chart_id="b",
        title="t",
        categories=months(*"ABCDEFGHIJKL"),
        series=[Series("s", [1] * 12)],
    )
    assert many.width > few.width * 4 and many.height == few.height
    figure = draw(many)  # too wide for a phone: a compact layout too, each scaling alike
    for svg, layout in ((image(figure, "wide"), many), (image(figure, "narrow"), many.narrow)):
        assert svg.get("viewBox") == f"0 0 {layout.width} {layout.height}"
        assert svg.get("width") == "100%" and "height" not in svg.attrib
        assert f"max-width: {layout.max_width}px" in svg.get("style")


def test_missing_figures_and_months_to_come_are_told_apart():
    chart = charts.column_chart(
        chart_id="c",
        title="t",
        categories=months("Apr", "May", "Jun", to_come={"Jun"}),
        series=[Series("kept", [Decimal("50.0"), None, None])],
        unit="%",
        missing_text="–",
        scale=Scale.of(0, 100, 20),
    )
    assert len(chart.rects) == 1 and chart.rects[0].height == PLOT_HEIGHT / 2
    assert "50.0%" in texts(chart) and texts(chart).count("–") == 1  # May, not June
    june = next(s for s in chart.shapes if s.kind == "text" and s.text == "Jun")
    assert june.colour == charts.SECONDARY  # still to come: greyed out
    assert chart.summary == "Apr 2026: 50.0%; May 2026: –."


def test_empty_data_still_draws_a_described_chart():
    chart = charts.column_chart(
        chart_id="c", title="t", categories=months("Apr", "May"), series=[Series("s", [None, None])]
    )
    assert not chart.has_data and chart.rects == [] and chart.summary == "No figures yet."
    svg = image(draw(chart))
    assert svg.find(f"{SVG}desc").text == "No figures yet."
    nothing = charts.column_chart(chart_id="n", title="t", categories=[], series=[])
    assert nothing.width > 0 and image(draw(nothing)) is not None


def test_series_and_categories_must_match():
    with pytest.raises(ValueError, match="has 1 values for 2"):
        charts.column_chart(
            chart_id="c", title="t", categories=months("A", "B"), series=[Series("s", [1])]
        )


def test_two_series_differ_by_position_pattern_and_words_not_colour_alone():
    chart = charts.column_chart(
        chart_id="asb",
        title="t",
        categories=months("Apr"),
        series=[Series("all cases", [3]), Series("hate incidents", [1])],
    )
    solid, striped = chart.rects
    assert (solid.pattern, striped.pattern) == ("solid", "striped") and solid.x < striped.x
    assert [item.text for item in chart.key] == [
        "Left bar, solid: all cases",
        "Right bar, striped: hate incidents",
    ]
    figure = draw(chart)
    svg = image(figure)
    # Defined once, outside the image, so a layout hidden on this screen never hides them.
    pattern = patterns(figure).find(f"{SVG}defs/{SVG}pattern")
    assert pattern.get("id") == "asb-p1" and patterns(figure).get("aria-hidden") == "true"
    assert [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("height") != "6"][-1] == (
        "url(#asb-p1)"
    )
    assert "Right bar, striped: hate incidents" in "".join(figure.itertext())


def test_a_reference_line_sits_at_its_value_and_is_in_the_key():
    chart = charts.column_chart(
        chart_id="c",
        title="t",
        categories=months("Apr"),
        series=[Series("kept", [Decimal("80.0")])],
        scale=Scale.of(0, 100, 20),
        reference=Reference(Decimal("90.0"), "our target of 90%"),
    )
    (target,) = [s for s in chart.shapes if s.kind == "line" and s.colour == charts.REFERENCE]
    assert target.y1 == target.y2 == BASELINE - PLOT_HEIGHT * 0.9 and target.dash
    assert chart.key[-1].text == "Dashed red line: our target of 90%"


def test_the_emphasised_category_is_outlined_and_bold_the_others_lighter():
    chart = charts.column_chart(
        chart_id="c",
        title="t",
        categories=[Category("2024/25"), Category("2025/26")],
        series=[Series("s", [Decimal("60.1"), Decimal("70.2")])],
        emphasis=1,
    )
    before, latest = chart.rects
    assert latest.stroke == charts.TEXT and latest.opacity == 1
    assert not before.stroke and before.opacity < 1
    bold = [s.text for s in chart.shapes if s.kind == "text" and s.bold]
    assert bold == ["70.2"]


# -- lines -------------------------------------------------------------------------------------------


def test_lines_join_their_points_and_each_has_its_own_dash_and_marker():
    chart = charts.line_chart(
        chart_id="l",
        title="t",
        categories=months("Jan", "Feb", "Mar"),
        series=[Series("Sparkle", [4, None, 2], note="2 in Mar 2026"), Series("Brite", [3, 3, 3])],
        scale=Scale.of(1, 5, 1),
    )
    paths = [s for s in chart.shapes if s.kind == "path" and not s.filled]
    assert [p.d.count("L") for p in paths] == [1, 2]  # across the gap in February
    first, second = paths
    assert first.dash != second.dash
    circles = [s for s in chart.shapes if s.kind == "circle"]
    y_of_four = BASELINE - PLOT_HEIGHT * 3 / 4  # on a scale from 1 to 5
    assert first.d.startswith(f"M{circles[0].x},{y_of_four} L")
    squares = [s for s in chart.shapes if s.kind == "path" and s.filled]
    assert len(circles) == 2 and len(squares) == 3
    assert [item.text for item in chart.key] == [
        "Sparkle (solid line, circles): 2 in Mar 2026",
        "Brite (dashed line, squares)",
    ]


def test_a_single_point_is_a_marker_without_a_line():
    chart = charts.line_chart(
        chart_id="l", title="t", categories=months("Jan"), series=[Series("s", [Decimal("4.5")])]
    )
    assert [s.kind for s in chart.shapes if s.kind in {"path", "circle"}] == ["circle"]
    assert chart.has_data and chart.summary == "Jan 2026: 4.5."
    draw(chart)


# -- horizontal bars ---------------------------------------------------------------------------------


def test_bars_are_in_proportion_to_the_top_with_their_figure_after_them():
    chart = charts.bar_chart(
        chart_id="b",
        title="Answers",
        bars=[Bar("Agree", 3, "3 (75.0%)"), Bar("Disagree", 1, "1 (25.0%)"), Bar("Unsure", 0, "0")],
        top=4,
    )
    agree, disagree = chart.rects  # nothing drawn for 0
    assert agree.width == pytest.approx(disagree.width * 3, abs=0.1)
    assert agree.y < disagree.y
    figures = {s.text: s for s in chart.shapes if s.kind == "text"}
    assert figures["3 (75.0%)"].x == pytest.approx(agree.width + 6, abs=0.1)
    longest = len("3 (75.0%)") * charts.ROW_FONT * charts.CHAR
    assert agree.width / 0.75 + 6 + longest <= chart.width  # a full bar's figure still fits
    assert chart.summary == "Agree: 3 (75.0%); Disagree: 1 (25.0%); Unsure: 0."


def test_a_long_label_wraps_onto_more_lines_and_the_chart_gets_taller():
    short = charts.bar_chart(chart_id="b", title="t", bars=[Bar("Short", 1)])
    long = charts.bar_chart(chart_id="b", title="t", bars=[Bar("A much longer label " * 5, 1)])
    assert len(texts(long)) > len(texts(short)) and long.height > short.height
    assert all(len(line) * charts.ROW_FONT * charts.CHAR <= long.width for line in texts(long))


def test_a_single_bar_and_no_bars_both_draw():
    one = charts.bar_chart(chart_id="b", title="t", bars=[Bar("Only", 5)])
    assert one.rects[0].width == pytest.approx(one.width - (len("5") * 16 * charts.CHAR + 8))
    none = charts.bar_chart(chart_id="n", title="t", bars=[])
    assert not none.has_data and none.summary == "No figures yet."
    draw(none)


# -- on a phone -------------------------------------------------------------------------------------

YEAR = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def kept_each_month(**options):
    """The charter's live measure: a share kept in each month of a financial year."""
    return charts.column_chart(
        chart_id="kept",
        title="Repairs kept",
        categories=months(*YEAR),
        series=[Series("kept", [Decimal("87.5")] * 12)],
        scale=Scale.of(0, 100, 20),
        unit="%",
        reference=Reference(Decimal("90"), "our target of 90%"),
        caption="Share kept each month.",
        **options,
    )


def smallest_text_on_a_phone(chart) -> float:
    """In CSS px, with the chart drawn across `PHONE` px (no more than MAX_SCALE times its size)."""
    sizes = [shape.size for shape in chart.shapes if shape.kind == "text"]
    return min(sizes) * min(charts.PHONE / chart.width, charts.MAX_SCALE)


def below_axis(chart) -> list:
    """The categories' labels (the value axis's are anchored at their end)."""
    return [s for s in chart.shapes if s.kind == "text" and s.anchor == "middle" and s.y > BASELINE]


def test_a_year_of_columns_has_a_compact_layout_whose_text_reads_on_a_phone():
    chart = kept_each_month()
    assert smallest_text_on_a_phone(chart) < 8  # the full layout, shrunk onto a phone
    narrow = chart.narrow
    assert narrow.width <= charts.NARROW_WIDTH < chart.width
    assert smallest_text_on_a_phone(narrow) >= charts.LEGIBLE
    assert narrow.phone_text == pytest.approx(smallest_text_on_a_phone(narrow), abs=0.1)
    assert narrow.height >= chart.height  # never squashed: taller in proportion to its width
    # The same bars, at the same heights; the target line runs across the narrower plot.
    assert [bar.height for bar in narrow.rects] == [bar.height for bar in chart.rects]
    (target,) = [s for s in narrow.shapes if s.kind == "line" and s.colour == charts.REFERENCE]
    assert target.y1 == BASELINE - PLOT_HEIGHT * 0.9 and target.x2 <= narrow.width
    assert (narrow.title, narrow.summary, narrow.key) == (chart.title, chart.summary, chart.key)


def test_the_compact_layout_labels_every_other_month_without_labels_touching():
    narrow = kept_each_month().narrow
    labels = below_axis(narrow)
    assert [label.text for label in labels] == ["Apr", "Jun", "Aug", "Oct", "Dec", "Feb"]
    # Each under its own month's bar.
    centres = {bar.category: bar.x + bar.width / 2 for bar in narrow.rects}
    assert [label.x for label in labels] == pytest.approx(
        [centres[n] for n in range(0, 12, 2)], abs=0.15
    )
    half = len("Apr") * charts.FONT * charts.CHAR / 2
    gaps = [after.x - before.x - 2 * half for before, after in pairwise(labels)]
    assert min(gaps) >= charts.LABEL_GAP
    assert labels[-1].x + half <= narrow.width
    full = below_axis(kept_each_month())
    assert [label.text for label in full] == list(YEAR)  # the full layout labels them all


def test_figures_that_would_collide_are_left_to_the_table_and_those_that_fit_stay():
    chart = kept_each_month()
    assert texts(chart).count("87.5%") == 12
    assert "87.5%" not in texts(chart.narrow)  # 12 figures of 30 units in 25-unit columns
    years = charts.column_chart(
        chart_id="y",
        title="t",
        categories=[Category(f"20{n}/{n + 1}") for n in range(20, 26)],
        series=[Series("s", [Decimal("71.3")] * 6)],
        scale=Scale.of(0, 100, 20),
        unit="%",
        emphasis=5,
    )
    narrow = years.narrow
    figures = [s for s in narrow.shapes if s.kind == "text" and s.text == "71.3%"]
    assert len(figures) == 6  # six columns leave room for each figure
    width = len("71.3%") * charts.FONT * charts.CHAR
    assert min(b.x - a.x for a, b in pairwise(figures)) >= width
    # Labels step back from the emphasised (latest) year, so it is always labelled.
    assert [label.text for label in below_axis(narrow)] == ["2021/22", "2023/24", "2025/26"]
    assert smallest_text_on_a_phone(narrow) >= charts.LEGIBLE


def test_a_missing_figure_too_wide_for_its_column_is_left_out_of_the_compact_layout():
    def chart(missing_text):
        values = [None] + [Decimal("50.0")] * 11
        return charts.column_chart(
            chart_id="c",
            title="t",
            categories=months(*YEAR),
            series=[Series("s", values)],
            scale=Scale.of(0, 100, 20),
            unit="%",
            missing_text=missing_text,
        )

    assert "no figure" in texts(chart("no figure"))
    assert "no figure" not in texts(chart("no figure").narrow)
    assert "–" in texts(chart("–").narrow)  # a dash fits


def test_two_series_each_month_keep_their_patterns_in_the_compact_layout():
    chart = charts.column_chart(
        chart_id="asb",
        title="t",
        categories=months(*YEAR),
        series=[Series("all cases", [12] * 12), Series("hate incidents", [3] * 12)],
    )
    narrow = chart.narrow
    assert smallest_text_on_a_phone(narrow) >= charts.LEGIBLE
    assert [bar.pattern for bar in narrow.rects[:2]] == ["solid", "striped"]
    assert all(bar.width >= 6 for bar in narrow.rects)
    # Side by side within their month, never across into the next.
    firsts, seconds = narrow.rects[0::2], narrow.rects[1::2]
    assert all(a.x + a.width < b.x for a, b in zip(firsts, seconds, strict=True))
    assert all(b.x + b.width < a.x for b, a in zip(seconds[:-1], firsts[1:], strict=True))


def test_a_year_of_lines_has_a_compact_layout_too():
    chart = charts.line_chart(
        chart_id="trend",
        title="Scores",
        categories=months(*YEAR),
        series=[Series("Sparkle", [4] * 12), Series("Brite", [3] * 11 + [None])],
        scale=Scale.of(1, 5, 1),
    )
    assert smallest_text_on_a_phone(chart) < charts.LEGIBLE
    narrow = chart.narrow
    assert smallest_text_on_a_phone(narrow) >= charts.LEGIBLE
    assert [label.text for label in below_axis(narrow)] == [
        "Apr",
        "Jun",
        "Aug",
        "Oct",
        "Dec",
        "Feb",
    ]
    markers = [s for s in narrow.shapes if s.kind in {"circle", "path"} and getattr(s, "filled", 1)]
    assert len(markers) == 23 and all(0 < m.x < narrow.width for m in markers if m.kind == "circle")


def test_a_chart_that_already_reads_on_a_phone_is_drawn_once():
    few = charts.column_chart(
        chart_id="c",
        title="t",
        categories=months("Apr", "May", "Jun"),
        series=[Series("s", [1] * 3)],
    )
    assert few.narrow is None and few.phone_text >= charts.LEGIBLE
    figure = draw(few)
    (svg,) = figure.iter(f"{SVG}svg")
    assert svg.get("class") == "ds-chart__image" and "display: block" in svg.get("style")


def test_bars_wrap_their_labels_into_a_narrower_layout_on_a_phone():
    chart = charts.bar_chart(
        chart_id="b",
        title="Answers",
        bars=[Bar("Very or fairly satisfied with the repairs service", 3, "3 (75.0%)")],
    )
    assert smallest_text_on_a_phone(chart) < charts.LEGIBLE
    narrow = chart.narrow
    assert narrow.width == charts.NARROW_WIDTH and narrow.height > chart.height
    assert smallest_text_on_a_phone(narrow) >= charts.LEGIBLE
    longest = max(len(line) for line in texts(narrow)) * charts.ROW_FONT * charts.CHAR
    assert longest <= narrow.width
    assert narrow.rects[0].value == 3 and narrow.summary == chart.summary


def test_both_layouts_are_drawn_each_named_by_the_title_and_summary_with_unique_ids():
    html = render_to_string(
        "includes/charts/chart.html",
        {"chart": kept_each_month(narrow_caption="Share kept: the figures are in the table.")},
    )
    figure = ET.fromstring(html)
    wide, narrow = image(figure, "wide"), image(figure, "narrow")
    for svg, prefix in ((wide, "kept"), (narrow, "kept-narrow")):
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
        assert svg.find(f"{SVG}title").get("id") == f"{prefix}-title"
        assert svg.find(f"{SVG}title").text == "Repairs kept"
        assert svg.find(f"{SVG}desc").get("id") == f"{prefix}-desc"
        assert svg.find(f"{SVG}desc").text.startswith("Apr 2026: 87.5%; May 2026: 87.5%")
        # Shown or hidden by the stylesheet, which an inline display would override.
        assert "display" not in svg.get("style")
    assert wide.get("viewBox").split()[2] != narrow.get("viewBox").split()[2]
    ids = [element.get("id") for element in figure.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 4
    # One key for both; each layout's own caption, shown with it.
    assert len(figure.findall(".//li")) == 1
    captions = {p.get("class").split()[-1]: p.text for p in figure.iter("p") if "Share" in p.text}
    assert captions == {
        "ds-chart--wide": "Share kept each month.",
        "ds-chart--narrow": "Share kept: the figures are in the table.",
    }


def test_two_charts_on_one_page_and_their_patterns_keep_their_own_ids():
    def nm01(chart_id):
        return charts.column_chart(
            chart_id=chart_id,
            title="t",
            categories=months(*YEAR),
            series=[Series("all", [2] * 12), Series("hate", [1] * 12)],
        )

    page = "<div>" + "".join(
        render_to_string("includes/charts/chart.html", {"chart": nm01(name)})
        for name in ("this-year", "last-year")
    )
    page += (
        render_to_string("includes/charts/chart.html", {"chart": nm01("x"), "chart_id": "given"})
        + "</div>"
    )
    root = ET.fromstring(page)
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert {"given-title", "given-narrow-title", "given-p1"} <= set(ids)
    # Every striped bar, in either layout or the key, fills with a pattern that is on the page.
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if "url(" in (r.get("fill") or "")}
    assert fills == {"url(#this-year-p1)", "url(#last-year-p1)", "url(#given-p1)"}
    assert all(fill[5:-1] in ids for fill in fills)


def test_the_stylesheet_shows_one_layout_by_screen_width():
    scss = (Path(__file__).resolve().parents[2] / "static/scss/doorstep.scss").read_text()
    rules = scss[scss.index(".ds-chart--wide,") :]
    phone = rules[rules.index("$until: tablet") : rules.index("$from: tablet")]
    wider = rules[rules.index("$from: tablet") :]
    assert ".ds-chart--wide {\n    display: none;" in phone
    assert ".ds-chart--narrow {\n    display: none;" in wider


# -- the template ------------------------------------------------------------------------------------


def test_the_svg_is_one_image_named_by_its_title_and_summary():
    chart = charts.column_chart(
        chart_id="perf", title="Call-backs", categories=months("Apr"), series=[Series("s", [1])]
    )
    figure = draw(chart)
    svg = image(figure)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "perf-title perf-desc"
    assert svg.find(f"{SVG}title").get("id") == "perf-title"
    assert svg.find(f"{SVG}title").text == "Call-backs"
    assert svg.find(f"{SVG}desc").get("id") == "perf-desc"
    fills = {t.get("fill") for t in svg.iter(f"{SVG}text")}
    assert fills <= {charts.TEXT, charts.SECONDARY}  # both at least 4.5:1 on white


def test_a_page_can_give_the_chart_its_own_id_and_title():
    chart = charts.line_chart(
        chart_id="trend", title="Scores", categories=months("Jan"), series=[Series("s", [3])]
    )
    svg = image(draw(chart, chart_id="public-trend", chart_title="Sparkle: scores by month"))
    assert svg.get("aria-labelledby") == "public-trend-title public-trend-desc"
    assert svg.find(f"{SVG}title").text == "Sparkle: scores by month"


def test_labels_are_escaped_everywhere_they_are_written():
    nasty = '<script>alert("x")</script> & Sons'
    chart = charts.column_chart(
        chart_id="c",
        title=nasty,
        categories=[Category(nasty)],
        series=[Series(nasty, [1]), Series("other", [2])],
    )
    html = render_to_string("includes/charts/chart.html", {"chart": chart})
    assert "<script>" not in html and "&lt;script&gt;" in html
    figure = ET.fromstring(html)  # still well-formed
    assert image(figure).find(f"{SVG}title").text == nasty
    assert nasty in [t.text for t in image(figure).iter(f"{SVG}text")]
    assert any(nasty in "".join(li.itertext()) for li in figure.iter("li"))
    bars = charts.bar_chart(chart_id="b", title="t", bars=[Bar(nasty, 1, nasty)])
    assert "<script>" not in render_to_string("includes/charts/chart.html", {"chart": bars})


def test_the_core_imports_no_domain_app():
    source = Path(charts.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"charter", "engagement", "repairs", "complaints"}
