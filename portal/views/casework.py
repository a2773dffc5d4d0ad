"""The staff case page: everything about one case, and the actions an officer takes on it.

Each action is a small POST form with its own URL. Success redirects back to the case with a
banner (post, redirect, get); a form with errors re-renders the page with the error summary and
what was typed. Staff changes to a resident's case leave an AuditEntry (CHANGE) beside the case's
own timeline, except where the service writes one already (recording a contact attempt).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import extensions
from portal.forms_casework import (
    CloseCaseForm,
    ContactAttemptForm,
    NoteForm,
    ReassignForm,
    StatusForm,
)
from portal.models import (
    AuditEntry,
    Case,
    CaseStatus,
    ContactAttempt,
    Deadline,
    DeadlineKind,
    Enquiry,
    Event,
)
from portal.services import cases as case_services
from portal.services.audit import record_audit
from portal.services.enquiries import record_contact_attempt, resolve_enquiry
from portal.services.notify import NoAddress, queue_notification
from portal.views.access import officer_required
from portal.workdays import LONDON

# The forms on the page, by the name the template knows them by.
ACTION_FORMS = {
    "reassign_form": ReassignForm,
    "note_form": NoteForm,
    "contact_form": ContactAttemptForm,
    "status_form": StatusForm,
    "close_form": CloseCaseForm,
}


def case_for_staff(reference: str) -> Case:
    """A case with everything its page shows, in a fixed number of queries however long its
    timeline: the case with its people and home, then its deadlines, events and contacts."""
    case = (
        Case.objects.select_related(
            "resident", "home__neighbourhood", "owner__team", "team", "enquiry"
        )
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.order_by("effective_due_at", "id")),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("actor__officer", "actor__resident").order_by(
                    "-created_at", "-id"
                ),
            ),
            Prefetch(
                "contact_attempts",
                queryset=ContactAttempt.objects.select_related("officer").order_by(
                    "-made_at", "-id"
                ),
            ),
        )
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def _enquiry(case: Case) -> Enquiry | None:
    try:
        return case.enquiry  # fetched with the case
    except Enquiry.DoesNotExist:
        return None


def _who(event: Event) -> str:
    user = event.actor
    if user is None:
        return "the system"
    officer = user.officer_or_none
    if officer is not None:
        return officer.name
    resident = user.resident_or_none
    if resident is not None:
        return f"{resident.full_name} (resident)"
    return user.email


def _deadline_state(deadline: Deadline, now) -> tuple[str, str]:
    """A tag (words and colour) for where a deadline stands: the words carry the meaning, the
    colour only repeats it."""
    if deadline.met_at:
        if deadline.was_met_in_time:
            return "Met on time", "govuk-tag--green"
        return "Met late", "govuk-tag--orange"
    if deadline.stopped_at:
        return "Stopped", "govuk-tag--grey"
    if deadline.effective_due_at < now:
        return "Overdue", "govuk-tag--red"
    if deadline.effective_due_at.astimezone(LONDON).date() == now.astimezone(LONDON).date():
        return "Due today", "govuk-tag--yellow"
    return "Running", "govuk-tag--blue"


def _render_case(request, case: Case, *, failed: tuple[str, object] | None = None):
    forms = {name: form_class() for name, form_class in ACTION_FORMS.items()}
    if case.is_open:
        forms["status_form"] = StatusForm(initial={"status": case.status})
    if failed:
        forms[failed[0]] = failed[1]
    now = timezone.now()
    events = list(case.events.all())
    for event in events:
        event.who = _who(event)
    deadlines = list(case.deadlines.all())
    for deadline in deadlines:
        deadline.state, deadline.state_class = _deadline_state(deadline, now)
    return render(
        request,
        "staff/case/detail.html",
        {
            "case": case,
            "enquiry": _enquiry(case),
            "events": events,
            "deadlines": deadlines,
            "contact_attempts": case.contact_attempts.all(),
            "is_mine": case.owner_id == request.officer.pk,
            "case_links": extensions.case_links(case, audience="staff"),
            "failed_form": failed[1] if failed else None,
            **forms,
        },
    )


@officer_required
def case_detail(request, reference):
    case = case_for_staff(reference)
    if case.resident_id:
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=case.resident,
            subject=f"case {case.reference}",
        )
    return _render_case(request, case)


def _audit_change(request, case: Case, what: str) -> None:
    if case.resident_id:
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.CHANGE,
            resident=case.resident,
            subject=f"case {case.reference}: {what}",
        )


def _back(case: Case):
    return redirect("staff:case", reference=case.reference)


def _refuse_if_closed(request, case: Case):
    if case.is_open:
        return None
    messages.info(request, f"{case.reference} is closed. You can still add a note.")
    return _back(case)


@officer_required
@require_POST
def assign_to_me(request, reference):
    case = case_for_staff(reference)
    if refused := _refuse_if_closed(request, case):
        return refused
    officer = request.officer
    if case.owner_id == officer.pk:
        messages.info(request, "This case is already yours.")
        return _back(case)
    with transaction.atomic():
        case_services.assign_case(case=case, owner=officer, team=officer.team, actor=request.user)
        _audit_change(request, case, f"assigned to {officer.name}")
    messages.success(request, f"{case.reference} is now yours.")
    return _back(case)


@officer_required
@require_POST
def reassign(request, reference):
    case = case_for_staff(reference)
    if refused := _refuse_if_closed(request, case):
        return refused
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, failed=("reassign_form", form))
    officer = form.cleaned_data["officer"]
    if case.owner_id == officer.pk:
        messages.info(request, f"{case.reference} is already assigned to {officer.name}.")
        return _back(case)
    with transaction.atomic():
        case_services.assign_case(case=case, owner=officer, team=officer.team, actor=request.user)
        _audit_change(request, case, f"assigned to {officer.name}")
    messages.success(request, f"{case.reference} is now assigned to {officer.name}.")
    return _back(case)


@officer_required
@require_POST
def add_note(request, reference):
    case = case_for_staff(reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, failed=("note_form", form))
    visible = form.cleaned_data["visible_to_resident"]
    with transaction.atomic():
        case_services.add_note(
            case=case,
            author=request.user,
            text=form.cleaned_data["text"],
            visible_to_resident=visible,
        )
        _audit_change(request, case, "note added" + (" for the resident" if visible else ""))
    messages.success(
        request,
        "Note added. The resident can see it." if visible else "Note added, for staff only.",
    )
    return _back(case)


@officer_required
@require_POST
def record_contact(request, reference):
    case = case_for_staff(reference)
    if refused := _refuse_if_closed(request, case):
        return refused
    form = ContactAttemptForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, failed=("contact_form", form))
    callback_was_running = any(
        d.kind == DeadlineKind.CALLBACK and d.is_running for d in case.deadlines.all()
    )
    # The service records the attempt, keeps the call-back promise and writes the audit entry.
    attempt = record_contact_attempt(
        case=case,
        officer=request.officer,
        outcome=form.cleaned_data["outcome"],
        method=form.cleaned_data["method"],
        note=form.cleaned_data["note"].strip(),
    )
    text = f"Contact recorded: {attempt.get_outcome_display().lower()}."
    if callback_was_running and attempt.counts_as_contact:
        text += " The call-back is done."
    messages.success(request, text)
    return _back(case)


@officer_required
@require_POST
def change_status(request, reference):
    case = case_for_staff(reference)
    if refused := _refuse_if_closed(request, case):
        return refused
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, failed=("status_form", form))
    status = form.cleaned_data["status"]
    if status == case.status:
        messages.info(request, f"The status is already “{case.get_status_display()}”.")
        return _back(case)
    with transaction.atomic():
        case_services.change_status(case=case, status=status, actor=request.user)
        _audit_change(request, case, f"status {status}")
    messages.success(request, f"Status changed to “{case.get_status_display()}”.")
    return _back(case)


@officer_required
@require_POST
def close_case(request, reference):
    case = case_for_staff(reference)
    if refused := _refuse_if_closed(request, case):
        return refused
    form = CloseCaseForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, failed=("close_form", form))
    outcome, message = form.cleaned_data["outcome"], form.cleaned_data["message"].strip()
    enquiry = _enquiry(case)
    with transaction.atomic():
        if enquiry is not None and outcome == CaseStatus.RESOLVED:
            # Records the answer, closes the case and sends the resident the answer.
            resolve_enquiry(case=case, officer=request.officer, outcome=message)
        else:
            case_services.change_status(
                case=case, status=outcome, actor=request.user, message=message
            )
            if case.resident_id:
                _tell_resident(case, message)
        _audit_change(request, case, f"closed as {outcome}")
    told = " The resident has been told." if case.resident_id else ""
    messages.success(
        request, f"{case.reference} is closed as {CaseStatus(outcome).label.lower()}.{told}"
    )
    return _back(case)


def _tell_resident(case: Case, message: str) -> None:
    try:
        queue_notification(
            template="case_update", context={"message": message}, resident=case.resident, case=case
        )
    except NoAddress:
        pass  # no way to reach them: they see it on their case page when they sign in
