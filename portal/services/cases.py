"""Opening and working cases: references, deadlines, the timeline, status."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from portal.models import (
    Case,
    CaseKind,
    CaseStatus,
    Deadline,
    Event,
    EventKind,
    ReferenceSequence,
)
from portal.services.reminders import schedule_reminders
from portal.workdays import LONDON


def next_reference(*, kind: str, year: int) -> str:
    """The next reference for a kind of case in a year, e.g. R-2026-000123. Never reused."""
    prefix = CaseKind.reference_prefix(kind)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:  # another process created it first
            pass
        sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{sequence.last_number:06d}"


def record_event(
    *,
    case: Case,
    kind: str,
    message: str,
    actor=None,
    visible_to_resident: bool = False,
    at: datetime | None = None,
) -> Event:
    return Event.objects.create(
        case=case,
        kind=kind,
        message=message,
        actor=actor,
        visible_to_resident=visible_to_resident,
        created_at=at or timezone.now(),
    )


@transaction.atomic
def open_case(
    *,
    kind: str,
    summary: str,
    channel: str,
    resident=None,
    home=None,
    owner=None,
    team=None,
    actor=None,
    opened_at: datetime | None = None,
    status: str = CaseStatus.OPEN,
) -> Case:
    opened_at = opened_at or timezone.now()
    case = Case.objects.create(
        reference=next_reference(kind=kind, year=opened_at.astimezone(LONDON).year),
        kind=kind,
        summary=summary,
        resident=resident,
        home=home,
        owner=owner,
        team=team,
        channel=channel,
        opened_at=opened_at,
        status=status,
    )
    record_event(
        case=case,
        kind=EventKind.OPENED,
        message=f"{case.get_kind_display()} received: {summary}",
        actor=actor,
        visible_to_resident=True,
        at=opened_at,
    )
    return case


def refresh_next_due(case: Case) -> None:
    """Keep Case.next_due_at equal to its earliest running deadline."""
    case.next_due_at = (
        case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True)
        .aggregate(next_due=Min("effective_due_at"))["next_due"]
    )
    Case.objects.filter(pk=case.pk).update(next_due_at=case.next_due_at)


@transaction.atomic
def set_deadline(*, case: Case, kind: str, due_at: datetime, actor=None, visible_to_resident=True) -> Deadline:
    deadline = Deadline.objects.create(case=case, kind=kind, due_at=due_at)
    deadline.refresh_from_db(fields=["effective_due_at"])
    schedule_reminders(deadline)
    refresh_next_due(case)
    record_event(
        case=case,
        kind=EventKind.DEADLINE_SET,
        message=f"{deadline.get_kind_display()} by {due_at.astimezone(LONDON):%A %-d %B %Y}",
        actor=actor,
        visible_to_resident=visible_to_resident,
    )
    return deadline


@transaction.atomic
def meet_deadline(*, deadline: Deadline, actor=None, met_at: datetime | None = None) -> Deadline:
    if deadline.met_at is not None:
        return deadline
    deadline.met_at = met_at or timezone.now()
    deadline.save(update_fields=["met_at"])
    schedule_reminders(deadline)
    refresh_next_due(deadline.case)
    record_event(
        case=deadline.case,
        kind=EventKind.DEADLINE_MET,
        message=f"{deadline.get_kind_display()}: done",
        actor=actor,
        visible_to_resident=True,
        at=deadline.met_at,
    )
    return deadline


@transaction.atomic
def extend_deadline(*, deadline: Deadline, to: datetime, reason: str, actor=None) -> Deadline:
    if not reason.strip():
        raise ValueError("An extension needs a reason")
    if to <= deadline.effective_due_at:
        raise ValueError("An extension must move the deadline later")
    deadline.extended_to = to
    deadline.extension_reason = reason
    deadline.save(update_fields=["extended_to", "extension_reason"])
    deadline.refresh_from_db(fields=["effective_due_at"])
    schedule_reminders(deadline)
    refresh_next_due(deadline.case)
    record_event(
        case=deadline.case,
        kind=EventKind.DEADLINE_EXTENDED,
        message=f"{deadline.get_kind_display()} now by {to.astimezone(LONDON):%A %-d %B %Y}. {reason}",
        actor=actor,
        visible_to_resident=True,
    )
    return deadline


@transaction.atomic
def add_note(*, case: Case, author, text: str, visible_to_resident: bool = False) -> Event:
    return record_event(
        case=case, kind=EventKind.NOTE, message=text, actor=author, visible_to_resident=visible_to_resident
    )


@transaction.atomic
def change_status(*, case: Case, status: str, actor=None, message: str = "") -> Case:
    """Move a case to a new status. Closing it stops every deadline still running."""
    if status == case.status:
        return case
    now = timezone.now()
    case.status = status
    closing = status not in CaseStatus.open_values()
    case.closed_at = now if closing else None
    case.save(update_fields=["status", "closed_at", "updated_at"])
    if closing:
        case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).update(
            stopped_at=now, next_reminder_at=None
        )
        refresh_next_due(case)
    record_event(
        case=case,
        kind=EventKind.CLOSED if closing else EventKind.STATUS,
        message=message or f"Status: {case.get_status_display()}",
        actor=actor,
        visible_to_resident=True,
        at=now,
    )
    return case


@transaction.atomic
def assign_case(*, case: Case, owner=None, team=None, actor=None) -> Case:
    case.owner = owner
    if team is not None:
        case.team = team
    case.save(update_fields=["owner", "team", "updated_at"])
    who = owner.name if owner else (team.name if team else "nobody")
    record_event(case=case, kind=EventKind.ASSIGNED, message=f"Assigned to {who}", actor=actor)
    return case
