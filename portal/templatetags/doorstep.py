"""Small template helpers for the GOV.UK style of dates, deadlines and status tags.

Dates read "30 November 2026", times "3:45pm", always in London time (GOV.UK style guide).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone

from portal.models import CaseStatus, DeadlineKind, NotificationStatus, Tenure
from portal.workdays import LONDON

register = template.Library()


def _local(value):
    if isinstance(value, datetime):
        return value.astimezone(LONDON) if timezone.is_aware(value) else value
    return value


def _today():
    return timezone.now().astimezone(LONDON).date()


@register.filter
def govuk_date(value, with_weekday=False):
    """30 November 2026 (or Monday 30 November 2026 with `|govuk_date:True`)."""
    if not value:
        return ""
    day = _local(value)
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if with_weekday else text


@register.filter
def govuk_time(value):
    """3:45pm, 9am, midday, midnight."""
    if not value:
        return ""
    moment = _local(value)
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


@register.filter
def govuk_datetime(value):
    """30 November 2026 at 3:45pm."""
    if not value:
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


@register.filter
def govuk_time_soon(value):
    """3:45pm when it is today, otherwise 3:45pm on Tuesday 1 December."""
    if not value:
        return ""
    moment = _local(value)
    today = _today()
    if moment.date() == today:
        return govuk_time(moment)
    return f"{govuk_time(moment)} on {_day_words(moment.date(), today)}"


def _is_end_of_day(moment: datetime) -> bool:
    # Working-day deadlines are stored as 23:59:59 London time (portal.workdays.end_of_day).
    return moment.hour == 23 and moment.minute == 59


def _day_words(day: date, today: date) -> str:
    """Monday 30 November, with the year only when it is not this year."""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == today.year else f"{text} {day.year}"


@register.filter
def due_in_words(due):
    """'by end of Monday 30 November', 'by 3:45pm on Monday 30 November', 'by end of today',
    or 'overdue since Monday 30 November' once the moment has passed."""
    if not due:
        return ""
    moment = _local(due)
    if moment < timezone.now():
        return f"overdue since {_day_words(moment.date(), _today())}"
    return _by_words(moment)


def _by_words(moment):
    """'by end of Monday 30 November', 'by 3pm today': when something falls due, past or not."""
    today = _today()
    day = moment.date()
    if day == today:
        when = "today"
    elif day == today + timedelta(days=1):
        when = f"tomorrow, {_day_words(day, today)}"
    else:
        when = _day_words(day, today)
    if _is_end_of_day(moment):
        return f"by end of {when}"
    return f"by {govuk_time(moment)} {'today' if day == today else 'on ' + when}"


@register.filter
def due_class(due):
    """A class that marks a deadline overdue, due today, or neither."""
    if not due:
        return ""
    moment = _local(due)
    if moment < timezone.now():
        return "ds-due--overdue"
    if moment.date() == _today():
        return "ds-due--today"
    return "ds-due--soon"


# What we promise, in the first person, for each kind of deadline: "We will call you back by ...".
_PROMISES = {
    DeadlineKind.CALLBACK: "We will call you back",
    DeadlineKind.COMPLAINT_ACK: "We will acknowledge your complaint",
    DeadlineKind.COMPLAINT_RESPONSE: "We will respond to your complaint",
    DeadlineKind.REPAIR_TARGET: "We will complete the repair",
    DeadlineKind.HAZARD_INVESTIGATION: "We will investigate the problem",
    DeadlineKind.HAZARD_SUMMARY: "We will send you a written summary of what we found",
    DeadlineKind.HAZARD_SAFETY_WORK: "We will make your home safe",
    DeadlineKind.HAZARD_FURTHER_WORK: "We will start any further work",
    DeadlineKind.SAFETY_ACTION: "We will act on your safety concern",
    DeadlineKind.CONTACT: "We will contact you",
    DeadlineKind.ASB_REVIEW: "We will review your case",
}


@register.filter
def promise(deadline):
    """A running deadline as a promise to the resident: 'We will call you back by end of ...', or,
    once it has passed, an honest 'We promised to ... We are sorry this is late.'"""
    promised = _PROMISES.get(deadline.kind, "We will reply")
    moment = _local(deadline.effective_due_at)
    if moment < timezone.now():
        return f"{promised.replace('We will', 'We promised to', 1)} {_by_words(moment)}. We are sorry this is late."
    return f"{promised} {_by_words(moment)}"


@register.filter
def deadline_outcome(deadline):
    """Where a deadline stands, in words to follow its name: 'done on 3 November 2026 (on time)'."""
    if deadline.met_at:
        on_time = "on time" if deadline.was_met_in_time else "late"
        return f"done on {govuk_date(deadline.met_at)} ({on_time})"
    if deadline.stopped_at:
        return f"no longer needed from {govuk_date(deadline.stopped_at)}"
    return due_in_words(deadline.effective_due_at)


_CASE_TAGS = {
    CaseStatus.OPEN: "govuk-tag--blue",
    CaseStatus.IN_PROGRESS: "govuk-tag--light-blue",
    CaseStatus.ON_HOLD: "govuk-tag--yellow",
    CaseStatus.RESOLVED: "govuk-tag--green",
    CaseStatus.CLOSED: "govuk-tag--grey",
}
_NOTIFICATION_TAGS = {
    NotificationStatus.QUEUED: "govuk-tag--grey",
    NotificationStatus.SENDING: "govuk-tag--light-blue",
    NotificationStatus.SENT: "govuk-tag--green",
    NotificationStatus.RETRYING: "govuk-tag--yellow",
    NotificationStatus.FAILED: "govuk-tag--red",
}


@register.filter
def case_tag_class(status):
    return _CASE_TAGS.get(status, "govuk-tag--grey")


@register.filter
def notification_tag_class(status):
    return _NOTIFICATION_TAGS.get(status, "govuk-tag--grey")


_TENURE_PERSON = {
    Tenure.SOCIAL_RENT: "tenant",
    Tenure.LEASEHOLD: "leaseholder",
    Tenure.SHARED_OWNERSHIP: "shared owner",
}


@register.filter
def tenure_person(tenure):
    """What a resident of this tenure is called: tenant, leaseholder or shared owner."""
    return _TENURE_PERSON.get(tenure, "resident")


@register.filter
def without(people, person):
    """The others on a tenancy: everyone but `person`."""
    return [p for p in people if p.pk != getattr(person, "pk", None)]


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string with another page number, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def one_line(text):
    """A postal address (or any multi-line text) on one line, comma separated."""
    return ", ".join(line.strip() for line in str(text).splitlines() if line.strip())


@register.filter
def elided_pages(paginator, number):
    """Page numbers around the current one, with Paginator.ELLIPSIS for the gaps."""
    return paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)
