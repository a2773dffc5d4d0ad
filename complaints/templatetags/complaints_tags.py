"""Template helpers for complaints: money in pounds, outcome and status tags."""

from django import template

from complaints.models import ComplaintStatus, Outcome

register = template.Library()


@register.filter
def pounds(pence):
    """£75.50, or £75 for whole pounds."""
    if pence in (None, ""):
        return ""
    pence = int(pence)
    return f"£{pence // 100:,}" if pence % 100 == 0 else f"£{pence / 100:,.2f}"


_STATUS_TAGS = {
    ComplaintStatus.AWAITING_ACKNOWLEDGEMENT: "govuk-tag--blue",
    ComplaintStatus.INVESTIGATING: "govuk-tag--light-blue",
    ComplaintStatus.RESPONDED: "govuk-tag--green",
    ComplaintStatus.REFUSED: "govuk-tag--grey",
}
_OUTCOME_TAGS = {
    Outcome.UPHELD: "govuk-tag--green",
    Outcome.PARTLY_UPHELD: "govuk-tag--yellow",
    Outcome.NOT_UPHELD: "govuk-tag--grey",
}


@register.filter
def complaint_tag_class(status):
    return _STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def outcome_tag_class(outcome):
    return _OUTCOME_TAGS.get(outcome, "govuk-tag--grey")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def housing_ombudsman():
    """The Housing Ombudsman's contact details (settings.HOUSING_OMBUDSMAN)."""
    from django.conf import settings

    return settings.HOUSING_OMBUDSMAN


@register.simple_tag
def report_labels():
    """Words for the keys of the annual figures."""
    from complaints.selectors import CATEGORY_LABELS, ROOT_CAUSE_LABELS

    return {"outcomes": Outcome.choices, "categories": CATEGORY_LABELS, "root_causes": ROOT_CAUSE_LABELS}
