"""Neighbourhood working: every change of state, each a keyword-only function in one transaction.

Booking the last place at a surgery is a conditional update (booked < capacity) backed by a check
constraint, so it holds on PostgreSQL and on the demo's SQLite alike: of two residents racing for
it, one gets it and the other is told the slot is full. Issues raised at a surgery and problems
found on an inspection become cases through `portal.extensions.open_case_for`, so this app never
imports repairs or complaints.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from engagement.neighbourhoods.models import (
    ELEMENT_SERVICE,
    ContractorAssignment,
    DoorstepDay,
    Inspection,
    InspectionElement,
    InspectionScore,
    OfficerProfile,
    OpenSpace,
    Surgery,
    SurgeryBooking,
    SurgerySlot,
    SurgeryVisit,
    Walkabout,
    WalkaboutSignup,
)
from engagement.neighbourhoods.photos import clean_photo
from portal.extensions import open_case_for
from portal.models import AuditEntry, Case, CaseChannel, EventKind, Officer, Resident
from portal.services.audit import record_audit
from portal.services.cases import record_event
from portal.services.notify import NoAddress, queue_notification
from portal.workdays import LONDON

logger = logging.getLogger(__name__)

# What an issue raised face to face can become. A complaint needs a resident to make it.
VISIT_CASE_KINDS = {
    "enquiry": "An enquiry",
    "repair": "A repair in their home",
    "communal_repair": "A communal repair",
    "complaint": "A complaint",
}
# What a problem found on an estate can become: there is no resident behind it.
FINDING_CASE_KINDS = {
    "communal_repair": "A communal repair",
    "enquiry": "An enquiry for the housing officer",
}


class NeighbourhoodError(ValueError):
    """A request the rules refuse. The message is written for the person who asked."""


class SlotFull(NeighbourhoodError):
    pass


def _tell(resident: Resident, template: str, **context) -> None:
    try:
        queue_notification(
            template=f"neighbourhoods_{template}", context=context, resident=resident
        )
    except NoAddress:  # pragma: no cover - queue_notification keeps unreachable messages itself
        logger.warning("No way to reach resident %s", resident.pk)


def current_home(resident: Resident):
    tenancy = (
        resident.tenancies.filter(end_date__isnull=True)
        .select_related("home__block", "home__estate")
        .first()
    )
    return tenancy.home if tenancy else None


# -- where to find us ---------------------------------------------------------------------------------------


@transaction.atomic
def save_officer_profile(
    *,
    officer: Officer,
    phone: str = "",
    email: str = "",
    about: str = "",
    photo=None,
    photo_description: str = "",
    remove_photo: bool = False,
) -> OfficerProfile:
    """An officer's details for residents. A new photo is checked and re-saved without metadata."""
    profile, _ = OfficerProfile.objects.select_for_update().get_or_create(officer=officer)
    profile.phone = phone.strip()
    profile.email = email.strip()
    profile.about = about.strip()
    profile.photo_description = photo_description.strip()
    if remove_photo and profile.photo:
        profile.photo.delete(save=False)
        profile.photo_content_type = ""
    if photo is not None:
        clean = clean_photo(photo, what="Your photo")
        if profile.photo:
            profile.photo.delete(save=False)
        profile.photo.save(clean.content.name, clean.content, save=False)
        profile.photo_content_type = clean.content_type
    if profile.photo and not profile.photo_description:
        profile.photo_description = f"Photo of {officer.name}"
    profile.save()
    return profile


@transaction.atomic
def schedule_doorstep_day(
    *,
    estate,
    starts_at: datetime,
    ends_at: datetime,
    officer: Officer,
    title: str = "Community Thursday",
    meeting_point: str = "",
    description: str = "",
) -> DoorstepDay:
    if ends_at <= starts_at:
        raise NeighbourhoodError("The end time must be after the start time")
    day, _ = DoorstepDay.objects.get_or_create(
        estate=estate,
        starts_at=starts_at,
        defaults={
            "ends_at": ends_at,
            "officer": officer,
            "title": title.strip() or "Community Thursday",
            "meeting_point": meeting_point.strip(),
            "description": description.strip(),
        },
    )
    return day


# -- surgeries ----------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_surgery(
    *,
    estate,
    venue: str,
    starts_at: datetime,
    ends_at: datetime,
    officer: Officer,
    scheduled_by: Officer,
    slot_minutes: int = 15,
    places_per_slot: int = 1,
    drop_in_welcome: bool = True,
    notes: str = "",
    token: uuid.UUID | str | None = None,
) -> Surgery:
    """A surgery with bookable slots from its start to its end. The same token twice (a double
    click) gives back the first surgery."""
    token = uuid.UUID(str(token)) if token else None
    if token:
        existing = Surgery.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    if ends_at <= starts_at:
        raise NeighbourhoodError("The end time must be after the start time")
    if slot_minutes < 5 or places_per_slot < 1:
        raise NeighbourhoodError("Slots must be at least 5 minutes long, with at least one place")
    if ends_at - starts_at < timedelta(minutes=slot_minutes):
        raise NeighbourhoodError("The surgery must be long enough for at least one slot")
    surgery = Surgery.objects.create(
        estate=estate,
        venue=venue.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        officer=officer,
        drop_in_welcome=drop_in_welcome,
        notes=notes.strip(),
        created_by=scheduled_by.user,
        submission_token=token,
    )
    step = timedelta(minutes=slot_minutes)
    slots = []
    moment = starts_at
    while moment + step <= ends_at:
        slots.append(
            SurgerySlot(
                surgery=surgery, starts_at=moment, ends_at=moment + step, capacity=places_per_slot
            )
        )
        moment += step
    SurgerySlot.objects.bulk_create(slots)
    return surgery


@transaction.atomic
def cancel_surgery(*, surgery: Surgery, officer: Officer, reason: str) -> Surgery:
    """Cancel a surgery; everyone booked is told, in their preferred way, with the reason."""
    if not reason.strip():
        raise NeighbourhoodError("Say why the surgery is cancelled: residents are told")
    surgery = Surgery.objects.select_for_update().get(pk=surgery.pk)
    if surgery.is_cancelled:
        return surgery
    now = timezone.now()
    surgery.cancelled_at = now
    surgery.cancellation_reason = reason.strip()
    surgery.save(update_fields=["cancelled_at", "cancellation_reason"])
    bookings = list(
        SurgeryBooking.objects.filter(surgery=surgery, cancelled_at__isnull=True).select_related(
            "resident", "slot"
        )
    )
    SurgeryBooking.objects.filter(pk__in=[b.pk for b in bookings]).update(cancelled_at=now)
    SurgerySlot.objects.filter(surgery=surgery).update(booked=0)
    for booking in bookings:
        _tell(
            booking.resident,
            "surgery_cancelled",
            surgery=surgery,
            slot=booking.slot,
            reason=surgery.cancellation_reason,
        )
    return surgery


def book_surgery_slot(*, resident: Resident, slot: SurgerySlot, about: str = "") -> SurgeryBooking:
    """Book a resident a place in a surgery slot. Full slots are refused; a resident has one place
    per surgery, and asking again for the same slot gives back the booking they have."""
    try:
        return _book(resident=resident, slot=slot, about=about)
    except IntegrityError:
        # The same resident booking twice at once: the other request made the booking.
        existing = SurgeryBooking.objects.filter(
            surgery_id=slot.surgery_id, resident=resident, cancelled_at__isnull=True
        ).first()
        if existing is None:
            raise SlotFull("Sorry, that time has just been taken. Choose another time") from None
        return existing


@transaction.atomic
def _book(*, resident, slot, about) -> SurgeryBooking:
    # Read afresh: the surgery may have been cancelled since the page was drawn.
    slot = SurgerySlot.objects.select_related("surgery").get(pk=slot.pk)
    surgery = slot.surgery
    existing = (
        SurgeryBooking.objects.filter(surgery=surgery, resident=resident, cancelled_at__isnull=True)
        .select_related("slot")
        .first()
    )
    if existing is not None:
        if existing.slot_id == slot.pk:
            return existing
        raise NeighbourhoodError(
            "You already have a place at this surgery. Cancel it first if you want a different time"
        )
    if surgery.is_cancelled:
        raise NeighbourhoodError("This surgery has been cancelled")
    if slot.starts_at <= timezone.now():
        raise NeighbourhoodError("That time has passed. Choose a later time")
    # The place is taken only if one is left, in one statement: a racing booking sees our update.
    taken = SurgerySlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise SlotFull("Sorry, that time is fully booked. Choose another time")
    booking = SurgeryBooking.objects.create(
        slot=slot, surgery=surgery, resident=resident, about=about.strip()
    )
    slot.refresh_from_db(fields=["booked"])
    _tell(resident, "surgery_booked", surgery=surgery, slot=slot, booking=booking)
    return booking


@transaction.atomic
def cancel_surgery_booking(*, booking: SurgeryBooking, actor=None) -> SurgeryBooking:
    """Give up a place; it is free for someone else at once."""
    booking = SurgeryBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.cancelled_at is not None:
        return booking
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    SurgerySlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    if actor is not None and actor.officer_or_none is not None:
        record_audit(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            resident=booking.resident,
            subject=f"surgery booking {booking.pk} cancelled",
        )
    return booking


@transaction.atomic
def log_surgery_visit(
    *,
    surgery: Surgery,
    officer: Officer,
    raised: str,
    resident: Resident | None = None,
    booking: SurgeryBooking | None = None,
    visitor_name: str = "",
    token: uuid.UUID | str | None = None,
) -> SurgeryVisit:
    """Record who came to a surgery and what they raised. The same token twice logs it once."""
    token = uuid.UUID(str(token)) if token else None
    if token:
        existing = SurgeryVisit.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    if not raised.strip():
        raise NeighbourhoodError("Say what they raised")
    if booking is not None:
        if booking.surgery_id != surgery.pk:
            raise NeighbourhoodError("That booking is for another surgery")
        resident = booking.resident
        if SurgeryVisit.objects.filter(booking=booking).exists():
            raise NeighbourhoodError(f"{resident.full_name}'s visit is already logged")
    if resident is None and not visitor_name.strip():
        raise NeighbourhoodError("Choose the resident, or give the visitor's name")
    visit = SurgeryVisit.objects.create(
        surgery=surgery,
        booking=booking,
        resident=resident,
        visitor_name="" if resident else visitor_name.strip(),
        raised=raised.strip(),
        logged_by=officer,
        submission_token=token,
    )
    if resident is not None:
        record_audit(
            actor=officer.user,
            action=AuditEntry.Action.CREATE,
            resident=resident,
            subject=f"surgery visit {visit.pk}",
        )
    return visit


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%A %-d %B %Y}"


@transaction.atomic
def raise_case_from_visit(
    *, visit: SurgeryVisit, officer: Officer, kind: str, summary: str, details: str = ""
) -> Case:
    """Turn what a resident raised at a surgery into a case in the queue, in one step."""
    visit = (
        SurgeryVisit.objects.select_for_update(of=("self",))
        .select_related("surgery__estate", "resident")
        .get(pk=visit.pk)
    )
    if visit.case_id is not None:
        raise NeighbourhoodError(f"This is already case {visit.case.reference}")
    if kind not in VISIT_CASE_KINDS:
        raise NeighbourhoodError("Choose what kind of case to open")
    if kind in ("repair", "complaint") and visit.resident is None:
        raise NeighbourhoodError(
            "A repair in a home or a complaint needs a resident we know. Log it as an enquiry instead"
        )
    home = current_home(visit.resident) if visit.resident else None
    surgery = visit.surgery
    try:
        case = open_case_for(
            kind,
            officer=officer,
            summary=summary.strip(),
            details=(details.strip() or visit.raised),
            channel=CaseChannel.WALK_IN,
            resident=visit.resident,
            home=home,
            block=home.block if home else None,
            estate=surgery.estate,
        )
    except (ValueError, LookupError) as error:
        raise NeighbourhoodError(str(error)) from error
    record_event(
        case=case,
        kind=EventKind.NOTE,
        message=f"Raised at the housing surgery at {surgery.venue} on {_when(surgery.starts_at)}.",
        actor=officer.user,
        visible_to_resident=True,
    )
    visit.case = case
    visit.save(update_fields=["case"])
    return case


# -- walkabouts -----------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_walkabout(
    *,
    estate,
    starts_at: datetime,
    meeting_point: str,
    officer: Officer,
    notes: str = "",
    token: uuid.UUID | str | None = None,
) -> Walkabout:
    token = uuid.UUID(str(token)) if token else None
    if token:
        existing = Walkabout.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    return Walkabout.objects.create(
        estate=estate,
        starts_at=starts_at,
        meeting_point=meeting_point.strip(),
        officer=officer,
        notes=notes.strip(),
        submission_token=token,
    )


@transaction.atomic
def cancel_walkabout(*, walkabout: Walkabout, officer: Officer, reason: str) -> Walkabout:
    """Cancel a walkabout; everyone who signed up is told, with the reason."""
    if not reason.strip():
        raise NeighbourhoodError("Say why the walkabout is cancelled: residents are told")
    walkabout = Walkabout.objects.select_for_update().select_related("estate").get(pk=walkabout.pk)
    if walkabout.is_cancelled:
        return walkabout
    walkabout.cancelled_at = timezone.now()
    walkabout.save(update_fields=["cancelled_at"])
    for signup in walkabout.signups.filter(cancelled_at__isnull=True).select_related("resident"):
        _tell(signup.resident, "walkabout_cancelled", walkabout=walkabout, reason=reason.strip())
    return walkabout


def join_walkabout(*, resident: Resident, walkabout: Walkabout) -> WalkaboutSignup:
    """Sign a resident up to join a walkabout. Signing up twice keeps the one place."""
    try:
        return _join(resident=resident, walkabout=walkabout)
    except IntegrityError:
        return WalkaboutSignup.objects.get(
            walkabout=walkabout, resident=resident, cancelled_at__isnull=True
        )


@transaction.atomic
def _join(*, resident, walkabout) -> WalkaboutSignup:
    existing = WalkaboutSignup.objects.filter(
        walkabout=walkabout, resident=resident, cancelled_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    if walkabout.is_cancelled:
        raise NeighbourhoodError("This walkabout has been cancelled")
    if walkabout.starts_at <= timezone.now():
        raise NeighbourhoodError("This walkabout has already started")
    signup = WalkaboutSignup.objects.create(walkabout=walkabout, resident=resident)
    _tell(resident, "walkabout_joined", walkabout=walkabout)
    return signup


@transaction.atomic
def leave_walkabout(*, signup: WalkaboutSignup) -> WalkaboutSignup:
    if signup.cancelled_at is None:
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["cancelled_at"])
    return signup


# -- inspections ----------------------------------------------------------------------------------------------


def responsible_contractors(estate, on: date) -> dict[str, object]:
    """Who held each contract (cleaning, grounds) on the estate on that day."""
    found = {}
    assignments = (
        ContractorAssignment.objects.filter(estate=estate, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("contractor")
        .order_by("service", "-starts_on")
    )
    for assignment in assignments:
        found.setdefault(assignment.service, assignment.contractor)
    return found


@transaction.atomic
def start_inspection(
    *,
    officer: Officer,
    estate=None,
    walkabout: Walkabout | None = None,
    inspected_on: date | None = None,
) -> Inspection:
    """Begin scoring an estate. A walkabout has one inspection: starting it again carries on."""
    if walkabout is not None:
        walkabout = Walkabout.objects.select_for_update().get(pk=walkabout.pk)
        existing = Inspection.objects.filter(walkabout=walkabout).first()
        if existing is not None:
            return existing
        estate = walkabout.estate
    if estate is None:
        raise NeighbourhoodError("Choose the estate to inspect")
    inspected_on = inspected_on or timezone.localdate()
    residents = walkabout.signups.filter(cancelled_at__isnull=True).count() if walkabout else 0
    return Inspection.objects.create(
        estate=estate,
        walkabout=walkabout,
        inspected_on=inspected_on,
        officer=officer,
        residents_present=residents,
        started_at=timezone.now(),
    )


@dataclass(frozen=True)
class ElementScore:
    element: str
    score: int
    comment: str = ""
    photo: object = None  # an uploaded file, checked by the form and again here


@transaction.atomic
def record_place_scores(
    *,
    inspection: Inspection,
    officer: Officer,
    scores: list[ElementScore],
    block=None,
    open_space: OpenSpace | None = None,
) -> list[InspectionScore]:
    """Score one block or open space on an inspection. Scoring the place again replaces its
    scores (a photo already taken is kept unless a new one is sent); each score keeps the
    contractor responsible on the day."""
    if (block is None) == (open_space is None):
        raise ValueError("Score one block or one open space")
    place_estate = block.estate_id if block is not None else open_space.estate_id
    if place_estate != inspection.estate_id:
        raise NeighbourhoodError("That place is not on this estate")
    if inspection.is_complete:
        raise NeighbourhoodError("This inspection is finished: its scores can no longer change")
    contractors = responsible_contractors(inspection.estate, inspection.inspected_on)
    saved = []
    for entry in scores:
        if entry.element not in InspectionElement.values:
            raise ValueError(f"Not an inspection element: {entry.element}")
        if not 1 <= int(entry.score) <= 5:
            raise NeighbourhoodError("Each score must be from 1 to 5")
        service = ELEMENT_SERVICE.get(entry.element)
        where = {"block": block} if block is not None else {"open_space": open_space}
        found, _ = InspectionScore.objects.update_or_create(
            inspection=inspection,
            element=entry.element,
            **where,
            defaults={
                "score": int(entry.score),
                "comment": entry.comment.strip(),
                "contractor": contractors.get(service) if service else None,
                "estate_id": inspection.estate_id,
                "inspected_on": inspection.inspected_on,
                "scored_at": timezone.now(),
            },
        )
        if entry.photo is not None:
            clean = clean_photo(
                entry.photo, what=f"The photo for {InspectionElement(entry.element).label.lower()}"
            )
            if found.photo:
                found.photo.delete(save=False)
            found.photo.save(clean.content.name, clean.content, save=False)
            found.photo_content_type = clean.content_type
            found.save(update_fields=["photo", "photo_content_type"])
        saved.append(found)
    return saved


@transaction.atomic
def complete_inspection(
    *,
    inspection: Inspection,
    officer: Officer,
    summary: str = "",
    residents_present: int | None = None,
) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not inspection.scores.exists():
        raise NeighbourhoodError("Score at least one block or open space before finishing")
    if inspection.completed_at is None:
        inspection.completed_at = timezone.now()
    inspection.summary = summary.strip()
    if residents_present is not None:
        inspection.residents_present = residents_present
    inspection.save(update_fields=["completed_at", "summary", "residents_present"])
    return inspection


@transaction.atomic
def raise_case_from_finding(
    *, finding: InspectionScore, officer: Officer, kind: str, summary: str, details: str = ""
) -> Case:
    """Turn a problem found on an inspection into a communal repair or an enquiry, in one step."""
    finding = (
        InspectionScore.objects.select_for_update(of=("self",))
        .select_related("inspection__estate", "block", "open_space")
        .get(pk=finding.pk)
    )
    if finding.case_id is not None:
        raise NeighbourhoodError(f"This is already case {finding.case.reference}")
    if kind not in FINDING_CASE_KINDS:
        raise NeighbourhoodError("Choose what kind of case to open")
    estate = finding.inspection.estate
    where = f"{finding.place}, {estate}"
    found = (
        f"Found on the estate inspection of {_when_day(finding.inspected_on)} at {where}: "
        f"{finding.get_element_display().lower()} scored {finding.score} out of 5."
    )
    text = "\n\n".join(part for part in (details.strip(), finding.comment, found) if part)
    try:
        case = open_case_for(
            kind,
            officer=officer,
            summary=summary.strip(),
            details=text,
            channel=CaseChannel.WALK_IN,
            block=finding.block,
            estate=estate,
        )
    except (ValueError, LookupError) as error:
        raise NeighbourhoodError(str(error)) from error
    finding.case = case
    finding.save(update_fields=["case"])
    return case


def _when_day(day: date) -> str:
    return f"{day:%A %-d %B %Y}"


# -- reminders -------------------------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Remind residents the day before a surgery they booked or a walkabout they joined. Each
    reminder is marked sent in the same transaction that queues it, so it goes once."""
    now = now or timezone.now()
    until = now + timedelta(hours=30)
    sent = 0
    with transaction.atomic():
        bookings = list(
            SurgeryBooking.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                cancelled_at__isnull=True,
                reminder_sent_at__isnull=True,
                slot__starts_at__gt=now,
                slot__starts_at__lte=until,
                surgery__cancelled_at__isnull=True,
            )
            .select_related("resident", "slot", "surgery__estate", "surgery__officer")[:limit]
        )
        for booking in bookings:
            _tell(
                booking.resident,
                "surgery_reminder",
                surgery=booking.surgery,
                slot=booking.slot,
                booking=booking,
            )
        SurgeryBooking.objects.filter(pk__in=[b.pk for b in bookings]).update(reminder_sent_at=now)
        sent += len(bookings)
    with transaction.atomic():
        signups = list(
            WalkaboutSignup.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                cancelled_at__isnull=True,
                reminder_sent_at__isnull=True,
                walkabout__starts_at__gt=now,
                walkabout__starts_at__lte=until,
                walkabout__cancelled_at__isnull=True,
            )
            .select_related("resident", "walkabout__estate", "walkabout__officer")[:limit]
        )
        for signup in signups:
            _tell(signup.resident, "walkabout_reminder", walkabout=signup.walkabout)
        WalkaboutSignup.objects.filter(pk__in=[s.pk for s in signups]).update(reminder_sent_at=now)
        sent += len(signups)
    return sent
