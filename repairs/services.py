"""Repairs: every change of state, each a keyword-only function in one transaction.

A repair is a `portal.Case` of kind 'repair' with a RepairRequest beside it and a 'repair_target'
Deadline from its priority. What the resident should know goes on the case's timeline as an event
they can see, and by message in their preferred channel through the outbox.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portal.models import (
    AuditEntry,
    Block,
    Case,
    CaseChannel,
    CaseKind,
    CaseStatus,
    Deadline,
    DeadlineKind,
    Estate,
    EventKind,
    Home,
    Officer,
    Resident,
    Team,
    Tenure,
)
from portal.services.audit import record_audit
from portal.services.cases import (
    assign_case,
    change_status,
    extend_deadline,
    meet_deadline,
    open_case,
    record_event,
    refresh_next_due,
    set_deadline,
)
from portal.services.notify import NoAddress, queue_notification
from portal.services.refusals import Refused
from portal.services.reminders import schedule_reminders
from portal.workdays import LONDON, deadline_after, is_working_day
from repairs import catalogue
from repairs.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    HazardReport,
    HazardSeverity,
    OperativeTeam,
    RepairPhoto,
    RepairPriority,
    RepairRequest,
    RepairSatisfaction,
    RepairVisit,
    SafetyConcern,
    SlotWindow,
    VisitOutcome,
)
from repairs.photos import PhotoRejected, clean_photo

logger = logging.getLogger(__name__)

HAZARD_DEADLINES = (
    DeadlineKind.HAZARD_INVESTIGATION,
    DeadlineKind.HAZARD_SUMMARY,
    DeadlineKind.HAZARD_SAFETY_WORK,
    DeadlineKind.HAZARD_FURTHER_WORK,
)


class RepairNotAllowed(Refused):
    """The resident may not report this repair (a leaseholder, inside their own home)."""


class SlotTaken(Exception):
    """Every place at that time has gone."""


class RepairError(Refused, ValueError):
    """A step that cannot happen in the repair's present state. The message is for staff."""


# -- helpers ------------------------------------------------------------------------------------------


def team_named(name: str) -> Team:
    team, _ = Team.objects.get_or_create(name=name)
    return team


def may_report_inside(home: Home) -> bool:
    """Only tenants report repairs inside their home: leaseholders and shared owners own theirs,
    and the landlord keeps only the building and the shared areas."""
    return home.tenure == Tenure.SOCIAL_RENT


def has_communal_areas(home: Home) -> bool:
    return home.has_communal_areas or home.block_id is not None


def locations_for_home(home: Home) -> list[catalogue.Location]:
    return catalogue.locations_for(
        may_report_inside=may_report_inside(home), has_communal_areas=has_communal_areas(home)
    )


def emergency_priority() -> RepairPriority:
    return (
        RepairPriority.objects.filter(is_emergency=True, is_active=True)
        .order_by("order", "id")
        .first()
    )


def priority_for(
    problem: catalogue.Problem, emergency: catalogue.Emergency | None
) -> RepairPriority:
    if emergency is not None:
        found = emergency_priority()
        if found:
            return found
    found = RepairPriority.objects.filter(code=problem.priority, is_active=True).first()
    if found is None:  # the landlord retired that priority: the least urgent active one will do
        found = (
            RepairPriority.objects.filter(is_active=True, is_emergency=False)
            .order_by("order")
            .first()
        )
    return found


def _actor(resident: Resident | None):
    return resident.user if resident is not None and resident.user_id else None


def _tell(resident: Resident | None, template: str, case: Case, **context) -> None:
    """Queue a message for the resident, if there is one and we have any way to reach them."""
    if resident is None:
        return
    try:
        queue_notification(template=template, context=context, resident=resident, case=case)
    except NoAddress:
        logger.warning("No way to reach %s about %s", resident.pk, case.reference)


def _audit(officer: Officer, case: Case, what: str) -> None:
    if case.resident_id:
        record_audit(
            actor=officer.user,
            action=AuditEntry.Action.CHANGE,
            resident=case.resident,
            subject=f"case {case.reference}: {what}",
        )


def _running(case: Case, kind: str) -> Deadline | None:
    return (
        case.deadlines.filter(kind=kind, met_at__isnull=True, stopped_at__isnull=True)
        .order_by("id")
        .first()
    )


def _stop_deadline(deadline: Deadline, *, at: datetime) -> None:
    deadline.stopped_at = at
    deadline.save(update_fields=["stopped_at"])
    schedule_reminders(deadline)
    refresh_next_due(deadline.case)


def _locked(repair: RepairRequest) -> RepairRequest:
    """The repair as it is now, locked for this transaction: two officers, or an officer and the
    resident, acting at once see each other's changes, not a stale copy."""
    return (
        RepairRequest.objects.select_for_update(of=("self",))
        .select_related("case__resident", "priority")
        .get(pk=repair.pk)
    )


def _start_work(case: Case, actor=None) -> None:
    if case.status == CaseStatus.OPEN:
        change_status(case=case, status=CaseStatus.IN_PROGRESS, actor=actor)


# -- reporting a repair -------------------------------------------------------------------------------


def find_reported(*, token, resident: Resident | None = None) -> RepairRequest | None:
    if not token:
        return None
    repairs = RepairRequest.objects.filter(submission_token=token).select_related("case")
    if resident is not None:
        repairs = repairs.filter(case__resident=resident)
    return repairs.first()


def report_repair(
    *,
    resident: Resident,
    home: Home,
    location: str,
    category: str,
    problem: str,
    answers: dict | None = None,
    description: str = "",
    access_notes: str = "",
    contact_phone: str = "",
    token: uuid.UUID | str | None = None,
    channel: str = CaseChannel.WEB,
    logged_by: Officer | None = None,
) -> RepairRequest:
    """Raise a repair from a resident's answers. The same token twice gives back the first repair."""
    token = uuid.UUID(str(token)) if token else None
    existing = find_reported(token=token, resident=resident)
    if existing is not None:
        return existing
    try:
        return _report_repair(
            resident=resident,
            home=home,
            location=location,
            category=category,
            problem=problem,
            answers=answers or {},
            description=description,
            access_notes=access_notes,
            contact_phone=contact_phone,
            token=token,
            channel=channel,
            logged_by=logged_by,
        )
    except IntegrityError:
        # The same report, sent twice at once: the other request made it first.
        existing = find_reported(token=token, resident=resident)
        if existing is None:
            raise
        return existing


@transaction.atomic
def _report_repair(
    *,
    resident,
    home,
    location,
    category,
    problem,
    answers,
    description,
    access_notes,
    contact_phone,
    token,
    channel,
    logged_by,
) -> RepairRequest:
    found = catalogue.problem_in_place(
        location_code=location, category_code=category, problem_code=problem
    )
    if found is None:
        raise ValueError(f"Not a problem we offer there: {location}/{category}/{problem}")
    place = catalogue.LOCATIONS_BY_CODE[location]
    if place not in locations_for_home(home):
        raise RepairNotAllowed(
            "Leaseholders and shared owners look after the inside of their own home: "
            "you can report repairs to shared areas only"
        )
    if not home.tenancies.filter(residents=resident, end_date__isnull=True).exists():
        raise RepairNotAllowed("You can report repairs only for a home you live in")
    answers = {code: bool(value) for code, value in answers.items() if code in found.questions}
    emergency = catalogue.recognise_emergency(found, answers, description)
    priority = priority_for(found, emergency)
    now = timezone.now()
    actor = logged_by.user if logged_by else _actor(resident)
    where = place.label.lower() if place.where == catalogue.HOME else place.label
    case = open_case(
        kind=CaseKind.REPAIR,
        summary=f"{found.label} ({where})"[:200],
        channel=channel,
        resident=resident,
        home=home,
        team=team_named(settings.REPAIRS_TEAM_NAME),
        actor=actor,
        opened_at=now,
    )
    repair = RepairRequest.objects.create(
        case=case,
        priority=priority,
        location=place.code,
        location_label=place.label,
        is_communal=place.where == catalogue.COMMUNAL,
        block=home.block if place.where == catalogue.COMMUNAL else None,
        estate_id=_estate_id_of(home) if place.where == catalogue.COMMUNAL else None,
        category=category,
        problem=found.code,
        problem_label=found.label,
        description=description.strip(),
        answers=answers,
        emergency=emergency.code if emergency else "",
        access_notes=access_notes.strip(),
        contact_phone=contact_phone.strip(),
        submission_token=token,
        reported_by=actor,
    )
    if token:
        RepairPhoto.objects.filter(
            uploaded_by=resident, report_token=token, repair__isnull=True
        ).update(repair=repair)
    if emergency:
        record_event(
            case=case,
            kind=EventKind.UPDATE,
            actor=actor,
            visible_to_resident=True,
            message=f"Raised as an emergency: {emergency.title.lower()}. We will make it safe within "
            f"{priority.target_words}.",
        )
    target = set_deadline(
        case=case, kind=DeadlineKind.REPAIR_TARGET, due_at=priority.target_from(now), actor=actor
    )
    if found.hazard:
        open_hazard_clocks(
            case=case, description=description or found.label, aware_at=now, actor=actor
        )
    if logged_by is not None:
        record_audit(
            actor=logged_by.user,
            action=AuditEntry.Action.CREATE,
            resident=resident,
            subject=f"case {case.reference}",
        )
    _tell(
        resident,
        "repair_reported",
        case,
        repair=repair,
        priority=priority,
        target=target,
        due_at=target.due_at.astimezone(LONDON),
        emergency=emergency,
        gas_phone=settings.GAS_EMERGENCY_PHONE,
    )
    return repair


def _estate_id_of(home: Home) -> int | None:
    """The estate a home's shared areas are on: its block's, else its own."""
    return home.block.estate_id if home.block_id else home.estate_id


def _communal_priority(
    chosen: RepairPriority | str | None, problem: catalogue.Problem, emergency
) -> RepairPriority:
    if isinstance(chosen, str):
        found = RepairPriority.objects.filter(code=chosen, is_active=True).first()
        if found is None:
            raise RepairError(f"There is no priority called {chosen!r}")
        chosen = found
    if chosen is not None and not chosen.is_active:
        raise RepairError(f"The {chosen.name.lower()} priority is no longer used")
    if emergency is not None and (chosen is None or not chosen.is_emergency):
        # Words that mean gas make it an emergency, whatever was chosen: it is attended now.
        return priority_for(problem, emergency)
    return chosen or priority_for(problem, emergency)


@transaction.atomic
def report_communal_repair(
    *,
    officer: Officer,
    summary: str,
    details: str,
    block: Block | None = None,
    estate: Estate | None = None,
    channel: str,
    priority: RepairPriority | str | None = None,
    location: str = "communal_grounds",
    resident: Resident | None = None,
) -> RepairRequest:
    """A repair to a shared place that staff found, or were told of, with no home to raise it
    against: a light out on a block's stairs, fly-tipping on an estate's open space.

    For a block or for an estate, exactly one: a block brings its own estate. The case has no
    home; its estate (on the case and on the repair) puts it in that estate's patch in the queue.
    It goes to the repairs team and gets the priority's target as its deadline, as a resident's
    repair does. The priority is the officer's choice or, left out, the one for a problem not
    in the catalogue; words that mean gas make it an emergency either way. A resident who told
    us of it (at a surgery, say) is kept on the case and told, as they would be had they
    reported it themselves."""
    if block is None and estate is None:
        raise RepairError("Say which block or which estate the repair is on")
    if block is not None and estate is not None:
        raise RepairError("Give the block or the estate, not both: a block is on its own estate")
    place = catalogue.LOCATIONS_BY_CODE.get(location)
    if place is None or place.where != catalogue.COMMUNAL:
        raise RepairError(f"Not a shared place: {location}")
    summary, details = (summary or "").strip(), (details or "").strip()
    if not summary and not details:
        raise RepairError("Say what needs repairing")
    if block is not None:
        estate = block.estate
    where = f"{block.name}, {estate.name}" if block is not None else estate.name
    problem = catalogue.PROBLEMS_BY_CODE["other"]
    emergency = catalogue.recognise_emergency(problem, {}, f"{summary} {details}")
    priority = _communal_priority(priority, problem, emergency)
    now = timezone.now()
    case = open_case(
        kind=CaseKind.REPAIR,
        summary=(summary or f"{place.label} at {where}")[:200],
        channel=channel,
        resident=resident,
        team=team_named(settings.REPAIRS_TEAM_NAME),
        actor=officer.user,
        opened_at=now,
    )
    # open_case knows nothing of estates; a case with no home is found in its patch by this.
    Case.objects.filter(pk=case.pk).update(estate=estate)
    case.estate = estate
    repair = RepairRequest.objects.create(
        case=case,
        priority=priority,
        location=place.code,
        location_label=place.label,
        is_communal=True,
        block=block,
        estate=estate,
        category="other",
        problem=problem.code,
        problem_label=problem.label,
        description=details or summary,
        emergency=emergency.code if emergency else "",
        reported_by=officer.user,
    )
    if emergency:
        record_event(
            case=case,
            kind=EventKind.UPDATE,
            actor=officer.user,
            visible_to_resident=True,
            message=f"Raised as an emergency: {emergency.title.lower()}. We will make it safe "
            f"within {priority.target_words}.",
        )
    target = set_deadline(
        case=case,
        kind=DeadlineKind.REPAIR_TARGET,
        due_at=priority.target_from(now),
        actor=officer.user,
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CREATE,
        resident=resident,
        subject=f"case {case.reference}",
        detail={"communal_repair": where, "priority": priority.code},
    )
    _tell(
        resident,
        "repair_reported",
        case,
        repair=repair,
        priority=priority,
        target=target,
        due_at=target.due_at.astimezone(LONDON),
        emergency=emergency,
        gas_phone=settings.GAS_EMERGENCY_PHONE,
    )
    return repair


def add_photos(*, resident: Resident, token, uploads) -> list[RepairPhoto]:
    """Check and keep photos for a report in progress. All or none: one bad file refuses the lot,
    so the resident is never left wondering which went in. Raises PhotoRejected."""
    token = uuid.UUID(str(token))
    already = RepairPhoto.objects.filter(
        uploaded_by=resident, report_token=token, repair__isnull=True
    ).count()
    limit = settings.REPAIR_PHOTO_MAX_COUNT
    if already + len(uploads) > limit:
        left = limit - already
        raise PhotoRejected(
            f"You can add up to {limit} photos"
            + (f": you can add {left} more" if 0 < left < limit else "")
        )
    cleaned = [clean_photo(upload) for upload in uploads]
    photos = []
    with transaction.atomic():
        for photo in cleaned:
            record = RepairPhoto(
                uploaded_by=resident,
                report_token=token,
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                size=photo.content.size,
            )
            record.image.save(f"photo.{photo.extension}", photo.content, save=False)
            record.save()
            photos.append(record)
    return photos


def remove_photo(*, resident: Resident, photo: RepairPhoto) -> None:
    if photo.uploaded_by_id != resident.pk or photo.repair_id is not None:
        raise RepairError("Only a photo on a report not yet sent can be removed")
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


def delete_abandoned_photos(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Photos from reports never sent: forget them and their files."""
    cutoff = timezone.now() - older_than
    abandoned = list(RepairPhoto.objects.filter(repair__isnull=True, uploaded_at__lt=cutoff))
    for photo in abandoned:
        photo.image.delete(save=False)
        photo.delete()
    return len(abandoned)


# -- triage and assignment ----------------------------------------------------------------------------


@transaction.atomic
def change_priority(
    *, repair: RepairRequest, priority: RepairPriority, reason: str, officer: Officer
) -> RepairRequest:
    """Triage: a new priority moves the target. Later: the deadline is extended, with the reason.
    Earlier: the old clock stops and a new one starts. The resident sees why either way."""
    reason = reason.strip()
    if not reason:
        raise RepairError("Give a reason for changing the priority")
    repair = _locked(repair)
    if repair.is_complete:
        raise RepairError("The repair is already complete")
    if priority.pk == repair.priority_id:
        return repair
    case = repair.case
    now = timezone.now()
    new_due = priority.target_from(case.opened_at)
    if new_due <= now:  # counted from the report it has already passed: count from now
        new_due = priority.target_from(now)
    old = repair.priority
    repair.priority = priority
    repair.save(update_fields=["priority"])
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=officer.user,
        visible_to_resident=True,
        message=f"We changed the priority from {old.name.lower()} to {priority.name.lower()}: {reason}",
    )
    target = _running(case, DeadlineKind.REPAIR_TARGET)
    if target is None or new_due > target.effective_due_at:
        if target is None:
            target = set_deadline(
                case=case, kind=DeadlineKind.REPAIR_TARGET, due_at=new_due, actor=officer.user
            )
        else:
            target = extend_deadline(deadline=target, to=new_due, reason=reason, actor=officer.user)
    elif new_due < target.effective_due_at:
        _stop_deadline(target, at=now)
        target = set_deadline(
            case=case, kind=DeadlineKind.REPAIR_TARGET, due_at=new_due, actor=officer.user
        )
    _start_work(case, officer.user)
    _audit(officer, case, f"priority {priority.name}")
    _tell(
        case.resident,
        "repair_priority_changed",
        case,
        repair=repair,
        priority=priority,
        reason=reason,
        due_at=target.effective_due_at.astimezone(LONDON),
    )
    return repair


@transaction.atomic
def assign_repair(*, repair: RepairRequest, team: OperativeTeam, officer: Officer) -> RepairRequest:
    repair.assigned_team = team
    repair.save(update_fields=["assigned_team"])
    case = repair.case
    who = f"our contractor {team.name}" if team.kind == OperativeTeam.Kind.CONTRACTOR else team.name
    record_event(
        case=case,
        kind=EventKind.ASSIGNED,
        actor=officer.user,
        visible_to_resident=True,
        message=f"We have given this repair to {who}.",
    )
    if case.owner_id is None:
        assign_case(case=case, owner=officer, actor=officer.user)
    _start_work(case, officer.user)
    _audit(officer, case, f"assigned to {team.name}")
    return repair


# -- appointments -------------------------------------------------------------------------------------


def slot_words(slot: AppointmentSlot) -> str:
    from portal.templatetags.doorstep import govuk_date, govuk_time

    return f"{govuk_date(slot.starts_at, True)}, {govuk_time(slot.starts_at)} to {govuk_time(slot.ends_at)}"


def _take_place(slot: AppointmentSlot) -> bool:
    """Take one place in a slot if one is left. A single conditional UPDATE: on PostgreSQL the
    second of two simultaneous bookings waits for the first's row lock, then finds the slot full;
    the check constraint (booked <= capacity) stands behind it whatever happens."""
    return bool(
        AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        )
    )


def _release_place(slot_id: int) -> None:
    AppointmentSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


@transaction.atomic
def book_appointment(
    *,
    repair: RepairRequest,
    slot: AppointmentSlot,
    actor=None,
    officer: Officer | None = None,
) -> Appointment:
    """Book a slot for a repair, or move its appointment there. Raises SlotTaken if it is full.

    `officer`: a member of staff booking for the resident (who phoned in, say). They become the
    actor, and the booking goes in the audit trail."""
    if officer is not None:
        actor = officer.user
    # One booking at a time for a repair: a double click or two tabs must not book twice.
    repair = _locked(repair)
    if repair.is_complete:
        raise RepairError("The repair is already complete")
    current = (
        repair.appointments.filter(status=AppointmentStatus.BOOKED).select_related("slot").first()
    )
    if current is not None and current.slot_id == slot.pk:
        # Already booked there (a form sent twice): nothing to move, nobody to tell again.
        return current
    if not _take_place(slot):
        raise SlotTaken("That time has just been taken")
    slot.refresh_from_db()
    now = timezone.now()
    if current is not None:
        current.status = AppointmentStatus.RESCHEDULED
        current.ended_at = now
        current.save(update_fields=["status", "ended_at"])
        _release_place(current.slot_id)
    appointment = Appointment.objects.create(
        repair=repair, slot=slot, booked_by=actor, booked_at=now
    )
    if repair.assigned_team_id is None:
        repair.assigned_team_id = slot.team_id
        repair.save(update_fields=["assigned_team"])
    case = repair.case
    verb = "moved to" if current else "booked for"
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=actor,
        visible_to_resident=True,
        message=f"Appointment {verb} {slot_words(slot)}.",
    )
    _start_work(case, actor)
    if officer is not None:
        _audit(officer, case, f"appointment {verb} {slot_words(slot)}")
    _tell(
        case.resident,
        "repair_appointment_booked",
        case,
        repair=repair,
        appointment=appointment,
        when=slot_words(slot),
        moved=current is not None,
    )
    return appointment


def book_time(*, repair: RepairRequest, day: date, window: str, actor=None) -> Appointment:
    """Book the first team with a place at that time on that day in the repair's area."""
    from repairs.selectors import offered_slots

    # The team already on the job first, then whoever has most room.
    candidates = sorted(
        offered_slots(repair).filter(window=window, starts_at__date=day),
        key=lambda s: (s.team_id != repair.assigned_team_id, -s.places_left, s.pk),
    )
    for slot in candidates:
        try:
            return book_appointment(repair=repair, slot=slot, actor=actor)
        except SlotTaken:
            continue
    raise SlotTaken("That time has just been taken")


@transaction.atomic
def cancel_appointment(
    *,
    appointment: Appointment,
    actor=None,
    reason: str = "",
    officer: Officer | None = None,
) -> Appointment:
    """Cancel a booked appointment and free its place. `officer`: staff cancelling for the
    resident; they become the actor and the cancellation goes in the audit trail."""
    if officer is not None:
        actor = officer.user
    reason = reason.strip()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "repair__case__resident")
        .get(pk=appointment.pk)
    )
    if appointment.status != AppointmentStatus.BOOKED:
        return appointment
    appointment.status = AppointmentStatus.CANCELLED
    appointment.ended_at = timezone.now()
    appointment.save(update_fields=["status", "ended_at"])
    _release_place(appointment.slot_id)
    case = appointment.repair.case
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=actor,
        visible_to_resident=True,
        message=f"Appointment for {slot_words(appointment.slot)} cancelled.{' ' + reason if reason else ''}",
    )
    if officer is not None:
        _audit(officer, case, f"appointment for {slot_words(appointment.slot)} cancelled")
    _tell(
        case.resident,
        "repair_appointment_cancelled",
        case,
        repair=appointment.repair,
        when=slot_words(appointment.slot),
        reason=reason,
    )
    return appointment


def send_appointment_reminders(*, now: datetime | None = None, limit: int = 500) -> int:
    """Remind residents the day before their appointment, once each. The flag is set by a
    conditional update in the same transaction as the message is queued: if two runs overlap,
    only one of them wins each appointment."""
    now = now or timezone.now()
    local = now.astimezone(LONDON)
    if local.hour < settings.REPAIRS_APPOINTMENT_REMINDER_HOUR:
        return 0
    tomorrow = local.date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0, 0), tzinfo=LONDON)
    end = start + timedelta(days=1)
    due = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            reminder_sent_at__isnull=True,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
        )
        .select_related("slot", "repair__case__resident")
        .order_by("slot__starts_at", "id")[:limit]
    )
    sent = 0
    for appointment in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=appointment.pk, status=AppointmentStatus.BOOKED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            case = appointment.repair.case
            _tell(
                case.resident,
                "repair_appointment_reminder",
                case,
                repair=appointment.repair,
                when=slot_words(appointment.slot),
                appointment=appointment,
            )
            sent += 1
    return sent


def create_slots(
    *,
    team: OperativeTeam,
    start: date,
    days: int,
    windows: list[str] | None = None,
    capacity: int = 2,
    saturdays: bool | None = None,
) -> int:
    """Offer a team's slots for `days` calendar days from `start`: each working day, and Saturdays
    where the landlord offers them. Existing slots are left as they are."""
    windows = windows or [w.value for w in SlotWindow]
    saturdays = settings.REPAIRS_SATURDAY_APPOINTMENTS if saturdays is None else saturdays
    made = 0
    for offset in range(days):
        day = start + timedelta(days=offset)
        saturday = day.weekday() == 5
        if not (is_working_day(day) or (saturday and saturdays)):
            continue
        for window in windows:
            if saturday and window in (SlotWindow.EVENING, SlotWindow.SCHOOL_RUN):
                continue  # Saturday mornings and afternoons only
            begin, finish = settings.REPAIRS_SLOT_WINDOWS[window]
            starts = datetime.combine(day, time.fromisoformat(begin), tzinfo=LONDON)
            ends = datetime.combine(day, time.fromisoformat(finish), tzinfo=LONDON)
            _, created = AppointmentSlot.objects.get_or_create(
                team=team,
                starts_at=starts,
                window=window,
                defaults={"ends_at": ends, "capacity": capacity},
            )
            made += created
    return made


# -- visits and completion ----------------------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    repair: RepairRequest,
    officer: Officer,
    outcome: str,
    note: str = "",
    follow_on_work: str = "",
    visited_at: datetime | None = None,
) -> RepairVisit:
    repair = _locked(repair)
    if repair.is_complete:
        raise RepairError("The repair is already complete")
    if outcome == VisitOutcome.FOLLOW_ON and not follow_on_work.strip():
        raise RepairError("Say what follow-on work is needed")
    visited_at = visited_at or timezone.now()
    appointment = (
        repair.appointments.filter(status=AppointmentStatus.BOOKED).select_related("slot").first()
    )
    if appointment is not None:
        appointment.status = (
            AppointmentStatus.NO_ACCESS
            if outcome == VisitOutcome.NO_ACCESS
            else AppointmentStatus.ATTENDED
        )
        appointment.ended_at = visited_at
        appointment.save(update_fields=["status", "ended_at"])
    visit = RepairVisit.objects.create(
        repair=repair,
        appointment=appointment,
        outcome=outcome,
        note=note.strip(),
        follow_on_work=follow_on_work.strip(),
        visited_at=visited_at,
        recorded_by=officer,
    )
    case = repair.case
    message = {
        VisitOutcome.ATTENDED: "Our operative visited and the work is under way.",
        VisitOutcome.NO_ACCESS: "Our operative called but could not get in. Please choose another appointment.",
        VisitOutcome.FOLLOW_ON: f"Our operative visited. More work is needed: {visit.follow_on_work}. "
        "Please choose an appointment for it.",
    }[outcome]
    if note.strip() and outcome != VisitOutcome.NO_ACCESS:
        message = f"{message} {note.strip()}"
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=officer.user,
        visible_to_resident=True,
        message=message,
        at=visited_at,
    )
    _start_work(case, officer.user)
    _audit(officer, case, f"visit: {visit.get_outcome_display()}")
    if outcome in (VisitOutcome.NO_ACCESS, VisitOutcome.FOLLOW_ON):
        _tell(case.resident, "repair_visit", case, repair=repair, visit=visit, message=message)
    return visit


@transaction.atomic
def complete_repair(
    *, repair: RepairRequest, officer: Officer, note: str = "", completed_at: datetime | None = None
) -> RepairRequest:
    """The work is done: the target is met (on time or late), the case is resolved, and the
    resident is asked how satisfied they are."""
    repair = _locked(repair)
    if repair.is_complete:
        return repair
    case = repair.case
    hazard = HazardReport.objects.filter(case=case).first()
    if hazard is not None and hazard.investigated_at is None:
        raise RepairError("Record the hazard investigation before completing the repair")
    if hazard is not None and hazard.investigated_at and hazard.summary_sent_at is None:
        raise RepairError(
            "Send the tenant the written summary of the investigation before completing the repair"
        )
    completed_at = completed_at or timezone.now()
    for appointment in repair.appointments.filter(status=AppointmentStatus.BOOKED):
        appointment.status = AppointmentStatus.ATTENDED
        appointment.ended_at = completed_at
        appointment.save(update_fields=["status", "ended_at"])
    repair.completed_at = completed_at
    repair.completion_note = note.strip()
    repair.satisfaction_requested_at = completed_at
    repair.save(update_fields=["completed_at", "completion_note", "satisfaction_requested_at"])
    # The repair's works are the hazard's safety and further works.
    for kind in (DeadlineKind.HAZARD_SAFETY_WORK, DeadlineKind.HAZARD_FURTHER_WORK):
        running = _running(case, kind)
        if running:
            meet_deadline(deadline=running, actor=officer.user, met_at=completed_at)
    target = _running(case, DeadlineKind.REPAIR_TARGET)
    if target:
        meet_deadline(deadline=target, actor=officer.user, met_at=completed_at)
    change_status(
        case=case,
        status=CaseStatus.RESOLVED,
        actor=officer.user,
        message="Repair completed."
        + (f" {repair.completion_note}" if repair.completion_note else ""),
    )
    _audit(officer, case, "completed")
    _tell(case.resident, "repair_satisfaction", case, repair=repair)
    return repair


@transaction.atomic
def answer_satisfaction(
    *, repair: RepairRequest, resident: Resident, score: int, comment: str = ""
) -> RepairSatisfaction:
    """One answer per repair, from the resident who reported it, once it is complete."""
    repair = _locked(repair)
    if not repair.is_complete:
        raise RepairError("We ask how satisfied you are once the repair is complete")
    if repair.case.resident_id != resident.pk:
        raise RepairError("Only the resident who reported the repair can answer")
    try:
        with transaction.atomic():
            answer = RepairSatisfaction.objects.create(
                repair=repair, resident=resident, score=int(score), comment=comment.strip()
            )
    except IntegrityError:
        raise RepairError(
            "You have already told us how satisfied you are with this repair"
        ) from None
    record_event(
        case=repair.case,
        kind=EventKind.UPDATE,
        actor=_actor(resident),
        visible_to_resident=True,
        message=f"You told us you were {answer.get_score_display().lower()} with this repair. Thank you.",
    )
    return answer


# -- Awaab's Law: damp, mould and other hazards ---------------------------------------------------------


def _hazard_deadline(case: Case, kind: str, due_at: datetime, actor) -> Deadline:
    existing = case.deadlines.filter(kind=kind).exclude(stopped_at__isnull=False).first()
    return existing or set_deadline(case=case, kind=kind, due_at=due_at, actor=actor)


@transaction.atomic
def open_hazard_clocks(
    *, case: Case, description: str, aware_at: datetime, is_emergency: bool = False, actor=None
) -> HazardReport:
    """Start the Awaab's Law clocks from when we became aware: investigate within 10 working days,
    or, for an emergency hazard, investigate and make safe within 24 hours."""
    hazard = HazardReport.objects.create(
        case=case,
        description=description,
        aware_at=aware_at,
        is_emergency=is_emergency,
        flagged_by=actor,
        severity=HazardSeverity.EMERGENCY if is_emergency else HazardSeverity.NOT_YET_KNOWN,
    )
    if is_emergency:
        due = aware_at + timedelta(hours=settings.AWAAB_EMERGENCY_HOURS)
        set_deadline(case=case, kind=DeadlineKind.HAZARD_INVESTIGATION, due_at=due, actor=actor)
        set_deadline(case=case, kind=DeadlineKind.HAZARD_SAFETY_WORK, due_at=due, actor=actor)
    else:
        set_deadline(
            case=case,
            kind=DeadlineKind.HAZARD_INVESTIGATION,
            due_at=deadline_after(aware_at, settings.AWAAB_INVESTIGATION_WORKING_DAYS),
            actor=actor,
        )
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=actor,
        visible_to_resident=True,
        message=(
            "We are treating this as an emergency hazard: we will investigate and make it safe within 24 hours."
            if is_emergency
            else "We are treating this as a possible hazard under Awaab's Law: we will investigate within "
            f"{settings.AWAAB_INVESTIGATION_WORKING_DAYS} working days and write to you with what we find."
        ),
    )
    return hazard


@transaction.atomic
def flag_hazard(
    *,
    officer: Officer,
    description: str,
    is_emergency: bool = False,
    case: Case | None = None,
    home: Home | None = None,
    resident: Resident | None = None,
    aware_at: datetime | None = None,
) -> HazardReport:
    """An officer flags a hazard: on an existing repair's case, or at a home as a case of its own."""
    aware_at = aware_at or timezone.now()
    if case is not None and HazardReport.objects.filter(case=case).exists():
        raise RepairError("A hazard is already recorded on this case")
    if case is None:
        if home is None:
            raise RepairError("Say which home the hazard is in")
        if resident is None:
            tenancy = (
                home.tenancies.filter(end_date__isnull=True).prefetch_related("residents").first()
            )
            resident = tenancy.residents.order_by("id").first() if tenancy else None
        case = open_case(
            kind=CaseKind.HAZARD,
            summary=description.strip().splitlines()[0][:200],
            channel=CaseChannel.WALK_IN,
            resident=resident,
            home=home,
            owner=officer,
            team=team_named(settings.REPAIRS_TEAM_NAME),
            actor=officer.user,
            opened_at=aware_at,
        )
    hazard = open_hazard_clocks(
        case=case,
        description=description.strip(),
        aware_at=aware_at,
        is_emergency=is_emergency,
        actor=officer.user,
    )
    _start_work(case, officer.user)
    _audit(officer, case, "hazard flagged")
    _tell(case.resident, "repair_hazard_opened", case, hazard=hazard)
    return hazard


@transaction.atomic
def record_investigation(
    *,
    hazard: HazardReport,
    officer: Officer,
    findings: str,
    severity: str,
    further_work_needed: bool = False,
    investigated_at: datetime | None = None,
) -> HazardReport:
    """The investigation is done: its clock is met, and the next ones start from when it ended:
    the written summary within 3 working days; where there is a hazard, safety work within 5,
    and any further works begun within 5."""
    if hazard.investigated_at is not None:
        raise RepairError("The investigation is already recorded")
    if severity not in (
        HazardSeverity.EMERGENCY,
        HazardSeverity.SIGNIFICANT,
        HazardSeverity.NONE_FOUND,
    ):
        raise RepairError("Say what the investigation found")
    ended = investigated_at or timezone.now()
    case = hazard.case
    hazard.investigated_at = ended
    hazard.findings = findings.strip()
    hazard.severity = severity
    hazard.further_work_needed = further_work_needed and severity != HazardSeverity.NONE_FOUND
    hazard.save(update_fields=["investigated_at", "findings", "severity", "further_work_needed"])
    running = _running(case, DeadlineKind.HAZARD_INVESTIGATION)
    if running:
        meet_deadline(deadline=running, actor=officer.user, met_at=ended)
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=officer.user,
        visible_to_resident=True,
        message=f"We investigated: {hazard.get_severity_display().lower()}. We will send you a written summary.",
        at=ended,
    )
    set_deadline(
        case=case,
        kind=DeadlineKind.HAZARD_SUMMARY,
        due_at=deadline_after(ended, settings.AWAAB_SUMMARY_WORKING_DAYS),
        actor=officer.user,
    )
    if severity == HazardSeverity.NONE_FOUND:
        safety = _running(case, DeadlineKind.HAZARD_SAFETY_WORK)
        if safety:
            _stop_deadline(safety, at=ended)
    else:
        if severity == HazardSeverity.EMERGENCY and not hazard.is_emergency:
            hazard.is_emergency = True
            hazard.save(update_fields=["is_emergency"])
        safety_due = (
            ended + timedelta(hours=settings.AWAAB_EMERGENCY_HOURS)
            if severity == HazardSeverity.EMERGENCY
            else deadline_after(ended, settings.AWAAB_SAFETY_WORK_WORKING_DAYS)
        )
        _hazard_deadline(case, DeadlineKind.HAZARD_SAFETY_WORK, safety_due, officer.user)
        if hazard.further_work_needed:
            _hazard_deadline(
                case,
                DeadlineKind.HAZARD_FURTHER_WORK,
                deadline_after(ended, settings.AWAAB_FURTHER_WORK_WORKING_DAYS),
                officer.user,
            )
    _audit(officer, case, "hazard investigated")
    return hazard


@transaction.atomic
def send_hazard_summary(*, hazard: HazardReport, officer: Officer, summary: str) -> HazardReport:
    """The written summary of the investigation, sent to the tenant in their channel and kept."""
    if hazard.investigated_at is None:
        raise RepairError("Record the investigation before sending its summary")
    if not summary.strip():
        raise RepairError("Write the summary for the tenant")
    case = hazard.case
    hazard.summary = summary.strip()
    hazard.summary_sent_at = timezone.now()
    hazard.save(update_fields=["summary", "summary_sent_at"])
    running = _running(case, DeadlineKind.HAZARD_SUMMARY)
    if running:
        meet_deadline(deadline=running, actor=officer.user, met_at=hazard.summary_sent_at)
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=officer.user,
        visible_to_resident=True,
        message=f"Written summary of our investigation: {hazard.summary}",
    )
    _audit(officer, case, "hazard summary sent")
    _tell(case.resident, "repair_hazard_summary", case, hazard=hazard)
    return hazard


def _record_hazard_step(
    *, hazard, officer, note, done_field, note_field, deadline_kind, already, told, audit
) -> HazardReport:
    """One of Awaab's Law's later steps done: stamp it, meet its clock, tell the resident."""
    if getattr(hazard, done_field):
        raise RepairError(already)
    case = hazard.case
    setattr(hazard, done_field, timezone.now())
    setattr(hazard, note_field, note.strip())
    hazard.save(update_fields=[done_field, note_field])
    running = _running(case, deadline_kind)
    if running:
        meet_deadline(deadline=running, actor=officer.user, met_at=getattr(hazard, done_field))
    extra = getattr(hazard, note_field)
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=officer.user,
        visible_to_resident=True,
        message=told + (f" {extra}" if extra else ""),
    )
    _audit(officer, case, audit)
    return hazard


@transaction.atomic
def record_safety_work(*, hazard: HazardReport, officer: Officer, note: str) -> HazardReport:
    return _record_hazard_step(
        hazard=hazard,
        officer=officer,
        note=note,
        done_field="safety_work_done_at",
        note_field="safety_work_note",
        deadline_kind=DeadlineKind.HAZARD_SAFETY_WORK,
        already="The safety work is already recorded",
        told="We have done the work to make your home safe.",
        audit="hazard safety work done",
    )


@transaction.atomic
def record_further_work_begun(*, hazard: HazardReport, officer: Officer, note: str) -> HazardReport:
    return _record_hazard_step(
        hazard=hazard,
        officer=officer,
        note=note,
        done_field="further_work_begun_at",
        note_field="further_work_note",
        deadline_kind=DeadlineKind.HAZARD_FURTHER_WORK,
        already="The further work is already recorded as begun",
        told="We have begun the further works.",
        audit="hazard further work begun",
    )


@transaction.atomic
def close_hazard(*, hazard: HazardReport, officer: Officer, note: str = "") -> HazardReport:
    """A hazard case of its own (no repair) ends when its clocks are done."""
    case = hazard.case
    if hasattr(case, "repair"):
        raise RepairError("Complete the repair instead")
    if hazard.summary_sent_at is None:
        raise RepairError("Send the tenant the written summary before closing")
    for kind in HAZARD_DEADLINES:
        if _running(case, kind):
            raise RepairError("Record the works before closing")
    change_status(
        case=case,
        status=CaseStatus.RESOLVED,
        actor=officer.user,
        message="Hazard dealt with." + (f" {note.strip()}" if note.strip() else ""),
    )
    _audit(officer, case, "hazard closed")
    return hazard


# -- building-safety concerns ---------------------------------------------------------------------------


@transaction.atomic
def raise_safety_concern(
    *,
    user,
    category: str,
    location: str,
    description: str,
    resident: Resident | None = None,
    home: Home | None = None,
) -> SafetyConcern:
    """Raise a concern to the building-safety team's queue as urgent: a safety_action deadline from
    the landlord's urgent repair target, and the resident told when to expect us."""
    now = timezone.now()
    priority = (
        RepairPriority.objects.filter(code=settings.SAFETY_CONCERN_PRIORITY).first()
        or emergency_priority()
    )
    team = team_named(settings.BUILDING_SAFETY_TEAM_NAME)
    concern_label = dict(SafetyConcern._meta.get_field("category").choices)[category]
    case = open_case(
        kind=CaseKind.SAFETY_CONCERN,
        summary=f"{concern_label}: {location}"[:200],
        channel=CaseChannel.WEB,
        resident=resident,
        home=home,
        team=team,
        owner=team.leader,
        actor=user,
        opened_at=now,
    )
    concern = SafetyConcern.objects.create(
        case=case,
        category=category,
        location=location.strip(),
        description=description.strip(),
        reported_by=user,
    )
    deadline = set_deadline(
        case=case, kind=DeadlineKind.SAFETY_ACTION, due_at=priority.target_from(now), actor=user
    )
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=user,
        visible_to_resident=True,
        message=f"Passed to our {team.name.lower()} team as urgent.",
    )
    _tell(
        resident,
        "repair_safety_concern_received",
        case,
        concern=concern,
        due_at=deadline.due_at.astimezone(LONDON),
    )
    return concern


@transaction.atomic
def record_safety_action(
    *, concern: SafetyConcern, officer: Officer, action: str, resolved: bool
) -> SafetyConcern:
    if not action.strip():
        raise RepairError("Say what was done")
    case = concern.case
    now = timezone.now()
    concern.action_taken = "\n\n".join(filter(None, [concern.action_taken, action.strip()]))
    concern.actioned_at = concern.actioned_at or now
    concern.save(update_fields=["action_taken", "actioned_at"])
    running = _running(case, DeadlineKind.SAFETY_ACTION)
    if running:
        meet_deadline(deadline=running, actor=officer.user, met_at=now)
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        actor=officer.user,
        visible_to_resident=True,
        message=action.strip(),
    )
    if resolved:
        change_status(
            case=case,
            status=CaseStatus.RESOLVED,
            actor=officer.user,
            message="Safety concern dealt with.",
        )
    else:
        _start_work(case, officer.user)
    _audit(officer, case, "safety action")
    _tell(
        case.resident,
        "repair_safety_concern_update",
        case,
        concern=concern,
        action=action.strip(),
        resolved=resolved,
    )
    return concern


# -- set-up ---------------------------------------------------------------------------------------------

DEFAULT_PRIORITIES = (
    # code, name, amount, unit, emergency, bookable, description, order (as seeded by migration 0002)
    (
        "emergency",
        "Emergency",
        24,
        "hours",
        True,
        False,
        "We will come and make it safe within 24 hours.",
        10,
    ),
    (
        "urgent",
        "Urgent",
        5,
        "working_days",
        False,
        True,
        "We will complete the repair within 5 working days.",
        20,
    ),
    (
        "routine",
        "Routine",
        20,
        "working_days",
        False,
        True,
        "We will complete the repair within 20 working days.",
        30,
    ),
    (
        "planned",
        "Planned",
        90,
        "calendar_days",
        False,
        True,
        "We will plan the work and complete it within 90 days.",
        40,
    ),
)


def ensure_default_priorities() -> None:
    """Put back the seeded priorities if they are missing (a flushed test database, a fresh demo);
    a landlord's own changes to existing ones are left alone."""
    for code, name, amount, unit, emergency, bookable, description, order in DEFAULT_PRIORITIES:
        RepairPriority.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "target_amount": amount,
                "target_unit": unit,
                "is_emergency": emergency,
                "bookable": bookable,
                "description": description,
                "order": order,
            },
        )
