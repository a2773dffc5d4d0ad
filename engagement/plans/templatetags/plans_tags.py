"""Money, statuses and voting states as residents read them."""

from django import template

register = template.Library()

APPLICATION_TAGS = {
    "submitted": "govuk-tag--blue",
    "approved": "govuk-tag--green",
    "declined": "govuk-tag--grey",
    "paid": "govuk-tag--turquoise",
    "completed": "govuk-tag--purple",
}
ACTION_TAGS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green",
}


@register.filter
def pounds(pence):
    """£1,250 for whole pounds, £249.99 otherwise."""
    if pence is None:
        return ""
    pence = int(pence)
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    if pence % 100 == 0:
        return f"{sign}£{pence // 100:,}"
    return f"{sign}£{pence / 100:,.2f}"


@register.filter
def application_tag_class(status):
    return APPLICATION_TAGS.get(status, "")


@register.filter
def action_tag_class(status):
    return ACTION_TAGS.get(status, "")


@register.filter
def percent_of(part, whole):
    """A whole-number percentage for a bar's width; 0 when there is nothing to divide."""
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0
