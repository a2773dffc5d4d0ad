from django import template

register = template.Library()


@register.simple_tag
def measure_chart(performance, target, key):
    """A measure's month-by-month chart beside one promise: `{% measure_chart perf target
    promise.pk as chart %}`. Each promise citing the measure gets its own ids and its target."""
    return performance.chart(chart_id=f"promise-{key}-chart", target=target)


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
