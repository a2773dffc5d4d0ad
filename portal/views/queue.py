"""The officers' case queue, its CSV export, assigning from it, and the team leader's view."""

from __future__ import annotations

import csv
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal import queue
from portal.forms_queue import AssignCasesForm, QueueFilterForm
from portal.models import AuditEntry, CaseChannel, CaseKind, CaseStatus, DeadlineKind
from portal.services.audit import record_audit
from portal.services.queue import assign_cases
from portal.templatetags.doorstep import case_tag_class, govuk_date
from portal.views.access import officer_required
from portal.workdays import LONDON, current_region


@officer_required
def case_queue(request):
    return render(request, "staff/queue/queue.html", _queue_context(request, request.GET))


@officer_required
@require_POST
def assign(request):
    officers = list(queue.assignable_officers())
    form = AssignCasesForm(request.POST, officer=request.officer, officers=officers)
    back = _queue_url(request.POST.get("next", ""), request)
    if not form.is_valid():
        # Back on the same page of the queue, with the error summary.
        params = QueryDict(urlsplit(back).query)
        context = _queue_context(request, params, assign_form=form, officers=officers)
        return render(request, "staff/queue/queue.html", context, status=400)
    owner = form.cleaned_data["new_owner"]
    changed = assign_cases(case_ids=form.cleaned_data["case_ids"], owner=owner, assigned_by=request.officer)
    whom = "you" if owner == request.officer else owner.name
    if not changed:
        messages.info(request, f"Nothing changed: the cases were already assigned to {whom}, or are closed.")
    elif len(changed) == 1:
        messages.success(request, f"Case {changed[0].reference} is now assigned to {whom}.")
    else:
        messages.success(request, f"{len(changed)} cases are now assigned to {whom}.")
    return redirect(back)


@officer_required
def queue_csv(request):
    filters = QueueFilterForm(request.GET).filters()
    cases = queue.queue_cases(request.officer, filters)
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        subject="case queue CSV",
        detail={"filters": {key: value for key, value in request.GET.items() if value}},
    )
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _csv_lines(queue.csv_rows(cases)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    today = timezone.now().astimezone(LONDON).date()
    response["Content-Disposition"] = f'attachment; filename="case-queue-{today:%Y-%m-%d}.csv"'
    return response


@officer_required
def team(request):
    officer = request.officer
    if not (officer.leads_a_team or officer.is_manager):
        raise PermissionDenied("This page is for team leaders and managers")
    return render(request, "staff/team.html", {"officer": officer, **queue.team_workload(officer)})


# Helpers ---------------------------------------------------------------------------------------


def _page_number(value) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def _query(params: QueryDict, **changes) -> str:
    """The query string with some parameters changed (None removes one); always drops `page`
    unless it is one of the changes, so a new filter starts on the first page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


def _queue_link(params: QueryDict, **changes) -> str:
    # Whole paths, not bare query strings: the page is also drawn at queue/assign/ (with errors).
    return reverse("staff:queue") + _query(params, **changes)


def _queue_url(candidate: str, request) -> str:
    """Where to go back to after assigning: a page of the queue, never anywhere else."""
    base = reverse("staff:queue")
    if (
        candidate.startswith(base)
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    ):
        return candidate
    return base


def _queue_context(request, params: QueryDict, *, assign_form=None, officers=None) -> dict:
    officer = request.officer
    now = timezone.now()
    filter_form = QueueFilterForm(params)
    filters = filter_form.filters()
    page = queue.queue_page(queue.queue_cases(officer, filters, now=now), _page_number(params.get("page")))
    officers = officers if officers is not None else list(queue.assignable_officers())
    if assign_form is None:
        assign_form = AssignCasesForm(officer=officer, officers=officers)
    selected = set(assign_form.cleaned_data.get("case_ids", [])) if assign_form.is_bound else set()
    region = current_region()
    rows = [_row(case, officer=officer, now=now, region=region, selected=selected) for case in page.cases]
    return {
        "officer": officer,
        "filter_form": filter_form,
        "filter_selects": filter_form.selects(filters),
        "filters": filters,
        "view_name": queue.VIEW_NAMES.get(filters.view, ""),
        "views": [
            {
                "value": value,
                "label": label,
                "url": _queue_link(params, view=None if value == queue.VIEW_ALL else value),
                "current": value == filters.view,
            }
            for value, label in queue.VIEWS
        ],
        "page": page,
        "rows": rows,
        "previous_url": _queue_link(params, page=page.number - 1) if page.has_previous else "",
        "next_url": _queue_link(params, page=page.number + 1) if page.has_next else "",
        "first_url": _queue_link(params),
        "current_url": _queue_link(params, page=params.get("page")),
        "csv_url": reverse("staff:queue_csv") + _query(params),
        "clear_url": _queue_link(QueryDict(), view=None if filters.view == queue.VIEW_ALL else filters.view),
        "assign_form": assign_form,
        "officers": officers,
        "chosen_owner": assign_form.cleaned_data.get("owner") if assign_form.is_bound else None,
    }


def _row(case, *, officer, now, region, selected) -> dict:
    """What a row of the queue shows, worked out once here so the template only prints it
    (the page's time is mostly template work)."""
    due = queue.describe_due(case.next_due_at, now=now, region=region)
    owner = case.owner
    return {
        "pk": case.pk,
        "reference": case.reference,
        "url": reverse("staff:case", args=[case.reference]),
        "kind": _KINDS.get(case.kind, case.kind),
        "resident": case.resident.full_name if case.resident_id else "",
        "address": _where(case),
        "status": _STATUSES.get(case.status, case.status),
        "status_class": case_tag_class(case.status),
        "owner": ("You" if owner.pk == officer.pk else owner.name) if owner else "",
        "mine": owner is not None and owner.pk == officer.pk,
        "checked": case.pk in selected,
        "due_at": case.next_due_at,
        "due_words": due.words,
        "due_tag": due.tag,
        "due_tag_class": due.tag_class,
        "due_what": _DEADLINES.get(case.next_deadline, "Deadline") if case.next_deadline else "Deadline",
        "due_day": govuk_date(case.next_due_at, True) if case.next_due_at else "",
        "due_iso": _iso(case.next_due_at),
    }


def _where(case) -> str:
    """The home, or for a shared place with no home (a communal repair) its estate."""
    if case.home_id:
        return case.home.short_address
    return f"Shared area, {case.estate.name}" if case.estate_id else ""


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


CSV_HEADER = [
    "reference", "kind", "status", "resident", "address", "postcode", "owner",
    "next deadline kind", "due at", "channel", "opened at",
]
_KINDS = dict(CaseKind.choices)
_STATUSES = dict(CaseStatus.choices)
_CHANNELS = dict(CaseChannel.choices)
_DEADLINES = dict(DeadlineKind.choices)


def _safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: names and addresses are
    # typed by the public, so they are never run as one.
    return f"'{value}" if value and value[0] in "=+-@\t\r" else value


def _iso(moment) -> str:
    return moment.astimezone(LONDON).isoformat(timespec="seconds") if moment else ""


def _csv_lines(rows):
    yield ["\ufeff" + CSV_HEADER[0], *CSV_HEADER[1:]]  # the byte order mark tells Excel it is UTF-8
    for (
        reference, kind, status, first_name, last_name, line_1, line_2, town, postcode,
        owner, next_deadline, next_due_at, channel, opened_at,
    ) in rows:
        resident = f"{first_name} {last_name}" if first_name or last_name else ""
        address = ", ".join(part for part in (line_1, line_2, town) if part)
        yield [
            reference,
            _KINDS.get(kind, kind),
            _STATUSES.get(status, status),
            _safe(resident),
            _safe(address),
            _safe(postcode or ""),
            _safe(owner or ""),
            _DEADLINES.get(next_deadline, next_deadline or ""),
            _iso(next_due_at),
            _CHANNELS.get(channel, channel),
            _iso(opened_at),
        ]
