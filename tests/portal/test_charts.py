"""The shared charts: geometry worked out in portal.charts, drawn by templates/includes/charts/."""

import ast
import xml.etree.ElementTree as ET
from decimal import Decimal
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


def image(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


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
    svg = image(draw(many))
    assert svg.get("viewBox") == f"0 0 {many.width} {many.height}"
    assert svg.get("width") == "100%" and "height" not in svg.attrib
    assert f"max-width: {many.max_width}px" in svg.get("style")


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
    pattern = svg.find(f"{SVG}defs/{SVG}pattern")
    assert pattern.get("id") == "asb-p1"
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
