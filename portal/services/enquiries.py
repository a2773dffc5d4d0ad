"""Enquiries: answered at first contact, or a call-back within one working day from the officer
for the resident's patch."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.models import (
    AuditEntry,
    Case,
    CaseKind,
    CaseStatus,
    ContactAttempt,
    DeadlineKind,
    Enquiry,
    EventKind,
    Officer,
    OfficerRole,
)
from portal.services.audit import record_audit
from portal.services.cases import (
    change_status,
    meet_deadline,
    open_case,
    record_event,
    set_deadline,
)
from portal.services.notify import queue_notification
from portal.workdays import LONDON, deadline_after

CALLBACK_WORKING_DAYS = 1


def patch_officer_for(home) -> Officer | None:
    """The housing officer who looks after a home's neighbourhood."""
    if home is None:
        return None
    return (
        Officer.objects.filter(
            patch_id=home.neighbourhood_id, is_active=True, role=OfficerRole.OFFICER
        )
        .select_related("team", "user")
        .order_by("id")
        .first()
    )


@transaction.atomic
def make_enquiry(
    *,
    resident,
    home,
    question: str,
    channel: str,
    logged_by=None,
    answer: str = "",
) -> Case:
    """Record an enquiry. With an answer it is resolved at first contact; without one it gets a
    call-back deadline of one working day, goes to the patch officer, and the resident is told when
    to expect us."""
    now = timezone.now()
    summary = question.strip().splitlines()[0][:120] if question.strip() else "Enquiry"
    officer = patch_officer_for(home)
    case = open_case(
        kind=CaseKind.ENQUIRY,
        summary=summary,
        channel=channel,
        resident=resident,
        home=home,
        owner=None if answer else officer,
        team=officer.team if officer and not answer else None,
        actor=logged_by.user if logged_by else (resident.user if resident.user_id else None),
        opened_at=now,
    )
    Enquiry.objects.create(
        case=case, question=question, resolved_at_first_contact=bool(answer), answer=answer
    )
    if logged_by is not None:
        record_audit(
            actor=logged_by.user,
            action=AuditEntry.Action.CREATE,
            resident=resident,
            subject=f"case {case.reference}",
        )
    if answer:
        record_event(
            case=case,
            kind=EventKind.UPDATE,
            message=answer,
            actor=logged_by.user if logged_by else None,
            visible_to_resident=True,
        )
        change_status(
            case=case,
            status=CaseStatus.RESOLVED,
            actor=logged_by.user if logged_by else None,
            message="Answered when you contacted us",
        )
        return case
    deadline = set_deadline(
        case=case, kind=DeadlineKind.CALLBACK, due_at=deadline_after(now, CALLBACK_WORKING_DAYS)
    )
    if resident is not None:
        queue_notification(
            template="callback_promised",
            context={"due_at": deadline.due_at.astimezone(LONDON), "officer": officer},
            resident=resident,
            case=case,
        )
    return case


@transaction.atomic
def record_contact_attempt(
    *, case: Case, officer: Officer, outcome: str, method: str = "phone", note: str = ""
) -> ContactAttempt:
    """An officer tried to reach the resident. Reaching them or leaving a message keeps the
    call-back promise; the resident sees each try on their case."""
    attempt = ContactAttempt.objects.create(
        case=case, officer=officer, outcome=outcome, method=method, note=note
    )
    record_event(
        case=case,
        kind=EventKind.CONTACT,
        message=_contact_message(attempt),
        actor=officer.user,
        visible_to_resident=True,
        at=attempt.made_at,
    )
    if attempt.counts_as_contact:
        for deadline in case.deadlines.filter(
            kind=DeadlineKind.CALLBACK, met_at__isnull=True, stopped_at__isnull=True
        ):
            meet_deadline(deadline=deadline, actor=officer.user, met_at=attempt.made_at)
    if case.status == CaseStatus.OPEN:
        change_status(case=case, status=CaseStatus.IN_PROGRESS, actor=officer.user)
    if case.resident_id:
        record_audit(
            actor=officer.user,
            action=AuditEntry.Action.CHANGE,
            resident=case.resident,
            subject=f"case {case.reference}: contact recorded",
        )
    return attempt


def _contact_message(attempt: ContactAttempt) -> str:
    how = {
        "phone": "called you",
        "text": "sent you a text",
        "email": "emailed you",
        "walk_in": "visited you",
        "letter": "wrote to you",
        "web": "sent you a message",
    }.get(attempt.method, "contacted you")
    outcome = {
        "reached": "and spoke with you",
        "no_answer": "but there was no answer. We will try again",
        "message_left": "and left a message",
    }[attempt.outcome]
    message = f"We {how} {outcome}."
    return (
        f"{message} {attempt.note}".strip()
        if attempt.note and attempt.outcome == "reached"
        else message
    )


@transaction.atomic
def resolve_enquiry(*, case: Case, officer: Officer, outcome: str) -> Case:
    """Close an enquiry with what we did, which the resident sees and is sent."""
    enquiry = case.enquiry
    enquiry.answer = outcome
    enquiry.save(update_fields=["answer"])
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        message=outcome,
        actor=officer.user,
        visible_to_resident=True,
    )
    change_status(
        case=case, status=CaseStatus.RESOLVED, actor=officer.user, message="Enquiry resolved"
    )
    if case.resident_id:
        queue_notification(
            template="enquiry_answered",
            context={"answer": outcome},
            resident=case.resident,
            case=case,
        )
    return case
