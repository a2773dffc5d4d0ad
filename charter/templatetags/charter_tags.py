from django import template

from charter.selectors import CHART_HEIGHT

register = template.Library()

CHART_TOP = 14


@register.filter
def chart_y(percent) -> float:
    """Where a percent sits on the month-by-month chart (100% at the top of the plot)."""
    return CHART_HEIGHT + CHART_TOP - float(percent) * CHART_HEIGHT / 100


@register.filter
def meets(result, target) -> bool | None:
    if target is None or result is None or result.percent is None:
        return None
    return result.percent >= target


@register.simple_tag
def figure(met, total, noun=""):
    """ "92.5% (37 of 40 call-backs)", or a plain 'none yet'."""
    if not total:
        return f"No {noun or 'figures'} counted yet"
    from decimal import ROUND_HALF_UP, Decimal

    percent = (Decimal(met) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent}% ({met:,} of {total:,}{' ' + noun if noun else ''})"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def measure_label(key) -> str:
    from charter.measures import MEASURES_BY_KEY

    measure = MEASURES_BY_KEY.get(key)
    return measure.label if measure else ""
