"""Small inline SVG bar charts of a measure over the published years. Each chart carries a text
alternative (title and description) and is always shown beside a table of the same figures."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from charter.satisfaction import measures

WIDTH, HEIGHT = 320, 160
LEFT, BOTTOM, TOP = 40, 26, 20
FONT = 'font-family="GDS Transport, arial, sans-serif"'


def bar_chart(
    *, chart_id: str, title: str, points: list[tuple[int, Decimal | None]], unit: str
) -> str:
    """Bars for each year's value; the latest year darker. Years without a value show a gap
    labelled "no figure"."""
    values = [value for _, value in points if value is not None]
    top = Decimal(100) if unit == "%" else max([*values, Decimal(1)]) * Decimal("1.2")
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) / max(len(points), 1)
    bar_w = min(48, slot * 0.6)
    described = "; ".join(
        f"{measures.year_label(year)}: {'no figure' if value is None else f'{value}{_unit(unit)}'}"
        for year, value in points
    )
    parts = [
        f'<svg class="ds-tsm-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 4}" y2="{TOP + plot_h}" stroke="#505a5f" />',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="11" {FONT} fill="#505a5f">{_fmt(top, unit)}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="11" {FONT} fill="#505a5f">0</text>',
    ]
    for index, (year, value) in enumerate(points):
        x = LEFT + slot * index + (slot - bar_w) / 2
        centre = x + bar_w / 2
        latest = index == len(points) - 1
        if value is not None:
            height = float(value) / float(top) * plot_h if top else 0
            y = TOP + plot_h - height
            colour = "#0b5e58" if latest else "#85b4b0"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" fill="{colour}" '
                f'stroke="#0b0c0c" stroke-width="{1 if latest else 0}" />'
            )
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="12" font-weight="bold" {FONT} '
                f'fill="#0b0c0c">{value}</text>'
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + plot_h - 4}" text-anchor="middle" font-size="11" {FONT} '
                f'fill="#505a5f">no figure</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12" {FONT} '
            f'fill="#0b0c0c">{measures.year_label(year)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _unit(unit: str) -> str:
    return "%" if unit == "%" else f" {unit}"


def _fmt(value: Decimal, unit: str) -> str:
    value = value.quantize(Decimal("1"))
    return f"{value}%" if unit == "%" else str(value)
