"""Reminders that keep promises: before a deadline, on its day, and when it is overdue.

Each deadline stores when the sweep next has something to say about it (next_reminder_at), so
the sweep is one indexed range query however many deadlines are open. A Reminder row per
(deadline, stage, due date), under a unique constraint and in the same transaction as the
notifications it queues, makes each reminder go exactly once, however often the sweep runs and
if two run at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from portal.models import Deadline, Landlord, Officer, Reminder, ReminderStage, Team
from portal.services.notify import OutgoingMessage, queue_notifications
from portal.workdays import (
    LONDON,
    current_region,
    local_date,
    start_of_working_day,
    subtract_working_days,
    working_hours_before,
)

logger = logging.getLogger(__name__)

# Only one sweep at a time on PostgreSQL; others return at once (Data Hub's advisory-lock idea).
SWEEP_LOCK_ID = 0x446F6F72  # "Door"


def stage_times(deadline: Deadline, *, region: str | None = None) -> list[tuple[str, datetime]]:
    """When each reminder stage falls for a deadline, in order, leaving out any stage that would
    fall before the deadline was set (a 24-hour clock has no 'two working days before')."""
    due = deadline.effective_due_at
    if deadline.kind in settings.SHORT_CLOCK_DEADLINES:
        soon = working_hours_before(due, settings.REMINDER_LEAD_WORKING_HOURS, region)
    else:
        soon = start_of_working_day(
            subtract_working_days(local_date(due), settings.REMINDER_LEAD_WORKING_DAYS, region)
        )
    today = min(start_of_working_day(local_date(due)), due)
    times = [(ReminderStage.DUE_SOON, soon), (ReminderStage.DUE_TODAY, today), (ReminderStage.OVERDUE, due)]
    times = [(stage, at) for stage, at in times if stage == ReminderStage.OVERDUE or at > deadline.created_at]
    return sorted(times, key=lambda pair: pair[1])


def schedule_reminders(deadline: Deadline, *, now: datetime | None = None) -> None:
    """Set when the sweep should next look at this deadline. Called whenever a deadline is set,
    extended, met or stopped."""
    now = now or timezone.now()
    if deadline.met_at or deadline.stopped_at:
        deadline.next_reminder_at = None
    else:
        sent = set(
            Reminder.objects.filter(deadline=deadline, due_at=deadline.effective_due_at).values_list("stage", flat=True)
        ) if deadline.pk else set()
        deadline.next_reminder_at = _next_reminder_at(stage_times(deadline), sent)
    Deadline.objects.filter(pk=deadline.pk).update(next_reminder_at=deadline.next_reminder_at)


def _next_reminder_at(times: list[tuple[str, datetime]], sent: set[str]) -> datetime | None:
    upcoming = [at for stage, at in times if stage not in sent]
    return upcoming[0] if upcoming else None


@dataclass
class SweepResult:
    reminders: int = 0
    notifications: int = 0
    skipped: bool = False


def sweep_deadline_reminders(*, now: datetime | None = None) -> SweepResult:
    """Send every reminder that has fallen due, in batches, each batch one transaction."""
    now = now or timezone.now()
    region = None
    result = SweepResult()
    while True:
        with transaction.atomic():
            if not _take_sweep_lock():
                result.skipped = True
                return result
            batch = list(
                Deadline.objects.filter(
                    next_reminder_at__lte=now, met_at__isnull=True, stopped_at__isnull=True
                )
                .select_related("case__resident", "case__home")  # named in the reminder's text
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("next_reminder_at")[: settings.REMINDER_SWEEP_BATCH]
            )
            if not batch:
                return result
            region = region or current_region()  # once, not four times per deadline
            try:
                with transaction.atomic():
                    sent = _remind_batch(batch, now, region)
            except IntegrityError:
                # A reminder recorded meanwhile by something other than a sweep (sweeps lock the
                # deadlines they work on): go one deadline at a time, each checked on its own.
                sent = []
                for deadline in batch:
                    sent.append(_remind(deadline, now, region))
                    schedule_reminders(deadline, now=now)
            result.reminders += sum(1 for count in sent if count > 0)
            result.notifications += sum(sent)
        if len(batch) < settings.REMINDER_SWEEP_BATCH:
            return result


def _remind_batch(batch: list[Deadline], now: datetime, region: str) -> list[int]:
    """_remind and schedule_reminders for a whole batch, in a fixed handful of queries: one to
    read the reminders already recorded, one to record the new ones, a few to move the
    deadlines' next_reminder_at; then the messages. Returns the messages queued per deadline."""
    _attach_officers(batch)
    by_id = {deadline.pk: deadline for deadline in batch}
    recorded: dict[int, set[str]] = {deadline.pk: set() for deadline in batch}
    for deadline_id, stage, due_at in Reminder.objects.filter(deadline_id__in=by_id).values_list(
        "deadline_id", "stage", "due_at"
    ):
        if due_at == by_id[deadline_id].effective_due_at:  # reminders of an earlier due date do not count
            recorded[deadline_id].add(stage)
    to_send, new_reminders = [], []
    for deadline in batch:
        times = stage_times(deadline, region=region)
        due_stages = [stage for stage, at in times if at <= now]
        sent = recorded[deadline.pk]
        if due_stages and due_stages[-1] not in sent:
            # The latest stage is sent; earlier ones that passed unsent are recorded as passed,
            # so they never go out late.
            to_send.append((deadline, due_stages[-1]))
            new_reminders += [
                Reminder(deadline=deadline, stage=stage, due_at=deadline.effective_due_at, sent_at=now)
                for stage in due_stages
                if stage not in sent
            ]
            sent.update(due_stages)
        deadline.next_reminder_at = _next_reminder_at(times, sent)
    Reminder.objects.bulk_create(new_reminders)  # the unique constraint still guards each one
    _save_next_reminder_times(batch)
    counts = {deadline.pk: 0 for deadline in batch}
    messages = []
    manager = _complaints_manager()
    for deadline, stage in to_send:
        reminders = _messages(deadline, stage, now, manager)
        counts[deadline.pk] = len(reminders)
        messages += reminders
    queue_notifications(messages)  # one insert for the batch, delivery in batches after commit
    return list(counts.values())


def _attach_officers(batch: list[Deadline]) -> None:
    """Owners, teams and team leaders read once for the batch: a few hundred officers own
    thousands of cases, so one row each rather than a copy per deadline."""
    cases = [deadline.case for deadline in batch]
    officers = Officer.objects.select_related("user", "team__leader__user").in_bulk(
        {case.owner_id for case in cases if case.owner_id}
    )
    teams = Team.objects.select_related("leader__user").in_bulk({case.team_id for case in cases if case.team_id})
    for case in cases:
        if case.owner_id:
            case.owner = officers[case.owner_id]
        if case.team_id:
            case.team = teams[case.team_id]


def _save_next_reminder_times(batch: list[Deadline]) -> None:
    """One UPDATE per distinct next time. Deadlines bunch at a few moments (the end of a working
    day, the morning it falls due), so this is a handful of cheap statements where bulk_update
    would build one CASE with a branch per deadline."""
    by_time: dict[datetime | None, list[int]] = {}
    for deadline in batch:
        by_time.setdefault(deadline.next_reminder_at, []).append(deadline.pk)
    if len(by_time) > 50:
        Deadline.objects.bulk_update(batch, ["next_reminder_at"])
        return
    for moment, ids in by_time.items():
        Deadline.objects.filter(pk__in=ids).update(next_reminder_at=moment)


def _take_sweep_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite's write lock already lets one writer through at a time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK_ID])
        return cursor.fetchone()[0]


def _remind(deadline: Deadline, now: datetime, region: str | None = None) -> int:
    """Send the latest stage that has fallen due (a sweep that was down for a day says 'overdue',
    not 'due soon' and then 'overdue'). Returns the number of notifications queued."""
    due_stages = [stage for stage, at in stage_times(deadline, region=region) if at <= now]
    if not due_stages:
        return 0
    stage = due_stages[-1]
    already = Reminder.objects.filter(deadline=deadline, due_at=deadline.effective_due_at, stage__in=due_stages)
    if stage in set(already.values_list("stage", flat=True)):
        return 0
    try:
        with transaction.atomic():
            Reminder.objects.create(deadline=deadline, stage=stage, due_at=deadline.effective_due_at, sent_at=now)
    except IntegrityError:
        return 0  # another sweep sent it
    # Earlier stages that passed unsent are recorded as passed, so they never go out late.
    Reminder.objects.bulk_create(
        [Reminder(deadline=deadline, stage=s, due_at=deadline.effective_due_at, sent_at=now) for s in due_stages[:-1]],
        ignore_conflicts=True,
    )
    return _notify(deadline, stage, now)


def _notify(deadline: Deadline, stage: str, now: datetime) -> int:
    return len(queue_notifications(_messages(deadline, stage, now, _complaints_manager())))


def _complaints_manager():
    return Landlord.current().complaints_manager


def _messages(deadline: Deadline, stage: str, now: datetime, manager) -> list[OutgoingMessage]:
    recipients = _recipients(deadline, stage, manager)
    if not recipients:
        logger.warning("Nobody to remind about %s on %s: the case has no owner or team leader", deadline, deadline.case)
    due = timezone.localtime(deadline.effective_due_at, LONDON)
    # Worded once per deadline, not once per recipient: a burst is thousands of these.
    context = {
        "deadline": deadline,
        "stage": stage,
        "now": now,
        "what": deadline.get_kind_display().lower(),
        "due_time": date_format(due, "g:ia"),
        "due_when": date_format(due, "g:ia l j F"),
    }
    return [
        OutgoingMessage(template="deadline_reminder", context=context, officer=officer, case=deadline.case)
        for officer in recipients
    ]


def _recipients(deadline: Deadline, stage: str, manager=None) -> list:
    case = deadline.case
    owner = case.owner if case.owner and case.owner.is_active else None
    leader = None
    if owner and owner.team and owner.team.leader:
        leader = owner.team.leader
    elif case.team and case.team.leader:
        leader = case.team.leader
    recipients = [owner] if owner else []
    # Overdue goes up to the team leader; so does anything nobody owns.
    if (stage == ReminderStage.OVERDUE or owner is None) and leader and leader.is_active and leader != owner:
        recipients.append(leader)
    # The Complaint Handling Code's clocks also go to the complaints manager when they run out.
    if stage == ReminderStage.OVERDUE and deadline.kind in settings.COMPLAINTS_MANAGER_DEADLINES:
        if manager and manager.is_active and manager not in recipients:
            recipients.append(manager)
    return recipients
