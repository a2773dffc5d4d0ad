from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


_FILTER_LABELS = {
    "had_repair": "Repair in the last 12 months",
    "made_complaint": "Complaint in the last 12 months",
    "has_communal": "Lives in a building with communal areas",
}


@register.filter
def tsm_answer(value):
    """A stored answer or filter answer as words: a correction's before and after."""
    from charter.satisfaction import measures

    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if not value:
        return "Not answered"
    return dict(measures.ANSWER_CHOICES).get(value, value)


@register.filter
def tsm_answer_name(name):
    """A question code (TP05) as is, or a filter question by what it asks."""
    return _FILTER_LABELS.get(name, name)
