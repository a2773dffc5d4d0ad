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
    Contractor,
    ContractorAssignment,
    ContractService,
    DoorstepDay,
    DropInHours,
    Inspection,
    InspectionElement,
    InspectionScore,
    OfficerProfile,
    OpenSpace,
    ServiceCentre,
    Surgery,
    SurgeryBooking,
    SurgerySlot,
    SurgeryVisit,
    Walkabout,
    WalkaboutSignup,
    Weekday,
)
from engagement.neighbourhoods.photos import clean_photo
from portal.extensions import open_case_for
from portal.models import AuditEntry, Case, CaseChannel, EventKind, Officer, Resident
from portal.services.audit import record_audit
from portal.services.cases import record_event
from portal.services.notify import NoAddress, queue_notification
from portal.services.refusals import Refused
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


class NeighbourhoodError(Refused, ValueError):
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
    token = _token(token)
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
        raise NeighbourhoodError(
            "Say why the surgery is cancelled: residents are told", field="reason"
        )
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
    token = _token(token)
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


def _token(token) -> uuid.UUID | None:
    """A submission token as the form or a caller gives it (a UUID or its text), or None."""
    return uuid.UUID(str(token)) if token else None


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
    token = _token(token)
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
        raise NeighbourhoodError(
            "Say why the walkabout is cancelled: residents are told", field="reason"
        )
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
    # A retired open space is not scored again, unless this inspection scored it already.
    if (
        open_space is not None
        and not OpenSpace.objects.filter(pk=open_space.pk, is_active=True).exists()
        and not inspection.scores.filter(open_space=open_space).exists()
    ):
        raise NeighbourhoodError(f"{open_space.name} is no longer inspected")
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


# -- setting up: service centres, contractors and their estates, open spaces -------------------------------------
# Managers' changes. Each is audited as theirs; nothing is deleted that residents' history or
# past scores may point at: centres close, contractors stop, open spaces retire.


class SetupError(NeighbourhoodError):
    """A refusal of a manager's setting up, usually about one answer: `field` names it."""


def _audit(officer: Officer, action: str, subject: str, **detail) -> None:
    record_audit(actor=officer.user, action=action, subject=subject[:200], detail=detail)


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _clock(moment) -> str:
    return f"{moment:%H:%M}"


@dataclass(frozen=True)
class CentreDetails:
    """What residents read about a service centre or office."""

    name: str
    kind: str
    address: str
    postcode: str
    helps_with: str
    phone: str = ""
    email: str = ""
    access_information: str = ""
    neighbourhoods: tuple = ()


def _check_centre(details: CentreDetails, *, centre: ServiceCentre | None = None) -> None:
    if not details.name.strip():
        raise SetupError("Enter the name of the centre", field="name")
    if details.kind not in ServiceCentre.Kind.values:
        raise SetupError("Choose what kind of place it is", field="kind")
    if not details.address.strip():
        raise SetupError("Enter the address", field="address")
    if not details.postcode.strip():
        raise SetupError("Enter the postcode", field="postcode")
    if not details.helps_with.strip():
        raise SetupError("Enter what residents can get help with there", field="helps_with")
    same_name = ServiceCentre.objects.filter(name__iexact=details.name.strip())
    if centre is not None:
        same_name = same_name.exclude(pk=centre.pk)
    if same_name.exists():
        raise SetupError(
            f"There is already a centre called {details.name.strip()}. Choose another name",
            field="name",
        )


def _apply_centre(centre: ServiceCentre, details: CentreDetails) -> None:
    centre.name = details.name.strip()
    centre.kind = details.kind
    centre.address = "\n".join(
        line.strip() for line in details.address.splitlines() if line.strip()
    )
    centre.postcode = details.postcode.strip().upper()
    centre.phone = details.phone.strip()
    centre.email = details.email.strip()
    centre.helps_with = "\n".join(
        line.strip() for line in details.helps_with.splitlines() if line.strip()
    )
    centre.access_information = details.access_information.strip()


@transaction.atomic
def add_service_centre(
    *, officer: Officer, details: CentreDetails, token: uuid.UUID | str | None = None
) -> ServiceCentre:
    """A new service centre or office, open and shown to residents at once. The same token twice
    (a double click) gives back the first centre."""
    token = _token(token)
    if token and (existing := ServiceCentre.objects.filter(submission_token=token).first()):
        return existing
    _check_centre(details)
    centre = ServiceCentre(submission_token=token)
    _apply_centre(centre, details)
    centre.save()
    centre.neighbourhoods.set(details.neighbourhoods)
    _audit(officer, AuditEntry.Action.CREATE, f"service centre {centre.pk} added: {centre.name}")
    return centre


@transaction.atomic
def change_service_centre(
    *, centre: ServiceCentre, officer: Officer, details: CentreDetails
) -> ServiceCentre:
    centre = ServiceCentre.objects.select_for_update().get(pk=centre.pk)
    _check_centre(details, centre=centre)
    before = centre.name
    _apply_centre(centre, details)
    centre.save()
    centre.neighbourhoods.set(details.neighbourhoods)
    _audit(
        officer,
        AuditEntry.Action.CHANGE,
        f"service centre {centre.pk} changed: {centre.name}",
        **({"was_called": before} if before != centre.name else {}),
    )
    return centre


@transaction.atomic
def close_service_centre(*, centre: ServiceCentre, officer: Officer) -> ServiceCentre:
    """Stop showing a centre to residents. It is kept, with its hours, and can reopen."""
    centre = ServiceCentre.objects.select_for_update().get(pk=centre.pk)
    if centre.is_active:
        centre.is_active = False
        centre.save(update_fields=["is_active"])
        _audit(
            officer, AuditEntry.Action.CHANGE, f"service centre {centre.pk} closed: {centre.name}"
        )
    return centre


@transaction.atomic
def reopen_service_centre(*, centre: ServiceCentre, officer: Officer) -> ServiceCentre:
    centre = ServiceCentre.objects.select_for_update().get(pk=centre.pk)
    if not centre.is_active:
        centre.is_active = True
        centre.save(update_fields=["is_active"])
        _audit(
            officer, AuditEntry.Action.CHANGE, f"service centre {centre.pk} reopened: {centre.name}"
        )
    return centre


def _check_hours(centre: ServiceCentre, *, weekday, opens, closes, hours=None) -> None:
    """Hours end after they start and do not overlap the centre's other hours that day. The
    caller holds the centre's row lock, so two managers cannot add overlapping hours at once."""
    if weekday not in Weekday.values:
        raise SetupError("Choose the day", field="weekday")
    if closes <= opens:
        raise SetupError("The closing time must be after the opening time", field="closes")
    clash = DropInHours.objects.filter(
        centre=centre, weekday=weekday, opens__lt=closes, closes__gt=opens
    )
    if hours is not None:
        clash = clash.exclude(pk=hours.pk)
    clash = clash.first()
    if clash is not None:
        raise SetupError(
            f"{centre.name} is already open from {_clock(clash.opens)} to {_clock(clash.closes)} "
            f"on {Weekday(weekday).label}s. Choose hours that do not overlap, or change those",
            field="opens",
        )


@transaction.atomic
def add_drop_in_hours(
    *,
    centre: ServiceCentre,
    officer: Officer,
    weekday: int,
    opens,
    closes,
    note: str = "",
    token: uuid.UUID | str | None = None,
) -> DropInHours:
    token = _token(token)
    if token and (existing := DropInHours.objects.filter(submission_token=token).first()):
        return existing
    centre = ServiceCentre.objects.select_for_update().get(pk=centre.pk)
    _check_hours(centre, weekday=weekday, opens=opens, closes=closes)
    hours = DropInHours.objects.create(
        centre=centre,
        weekday=weekday,
        opens=opens,
        closes=closes,
        note=note.strip(),
        submission_token=token,
    )
    _audit(officer, AuditEntry.Action.CREATE, f"drop-in hours added: {hours}")
    return hours


@transaction.atomic
def change_drop_in_hours(
    *, hours: DropInHours, officer: Officer, weekday: int, opens, closes, note: str = ""
) -> DropInHours:
    centre = ServiceCentre.objects.select_for_update().get(pk=hours.centre_id)
    hours = DropInHours.objects.get(pk=hours.pk)
    _check_hours(centre, weekday=weekday, opens=opens, closes=closes, hours=hours)
    before = str(hours)
    hours.weekday, hours.opens, hours.closes, hours.note = weekday, opens, closes, note.strip()
    hours.save()
    _audit(officer, AuditEntry.Action.CHANGE, f"drop-in hours changed: {hours}", was=before)
    return hours


@transaction.atomic
def remove_drop_in_hours(*, hours: DropInHours, officer: Officer) -> None:
    ServiceCentre.objects.select_for_update().get(pk=hours.centre_id)
    removed = DropInHours.objects.filter(pk=hours.pk).first()
    if removed is None:  # removed already, by a second click or another manager
        return
    removed.delete()
    _audit(officer, AuditEntry.Action.CHANGE, f"drop-in hours removed: {removed}")


def _check_contractor_name(name: str, contractor: Contractor | None = None) -> str:
    name = name.strip()
    if not name:
        raise SetupError("Enter the contractor's name", field="name")
    same = Contractor.objects.filter(name__iexact=name)
    if contractor is not None:
        same = same.exclude(pk=contractor.pk)
    if same.exists():
        raise SetupError(f"There is already a contractor called {name}", field="name")
    return name


@transaction.atomic
def add_contractor(
    *,
    officer: Officer,
    name: str,
    service: str,
    phone: str = "",
    email: str = "",
    token: uuid.UUID | str | None = None,
) -> Contractor:
    token = _token(token)
    if token and (existing := Contractor.objects.filter(submission_token=token).first()):
        return existing
    name = _check_contractor_name(name)
    if service not in ContractService.values:
        raise SetupError("Choose what they do", field="service")
    contractor = Contractor.objects.create(
        name=name,
        service=service,
        phone=phone.strip(),
        email=email.strip(),
        submission_token=token,
    )
    _audit(officer, AuditEntry.Action.CREATE, f"contractor {contractor.pk} added: {name}")
    return contractor


@transaction.atomic
def change_contractor(
    *,
    contractor: Contractor,
    officer: Officer,
    name: str,
    service: str,
    phone: str = "",
    email: str = "",
) -> Contractor:
    """Correct a contractor's details. What they do can change only before they hold an estate:
    their assignments and scores are for the service they had."""
    contractor = Contractor.objects.select_for_update().get(pk=contractor.pk)
    name = _check_contractor_name(name, contractor)
    if service not in ContractService.values:
        raise SetupError("Choose what they do", field="service")
    if service != contractor.service and contractor.assignments.exists():
        raise SetupError(
            f"{contractor.name} has held estates for {contractor.get_service_display().lower()}, "
            "so that cannot change. Add them again as a new contractor for the other service",
            field="service",
        )
    before = contractor.name
    contractor.name, contractor.service = name, service
    contractor.phone, contractor.email = phone.strip(), email.strip()
    contractor.save()
    _audit(
        officer,
        AuditEntry.Action.CHANGE,
        f"contractor {contractor.pk} changed: {contractor.name}",
        **({"was_called": before} if before != contractor.name else {}),
    )
    return contractor


@transaction.atomic
def stop_using_contractor(
    *, contractor: Contractor, officer: Officer, last_day: date
) -> Contractor:
    """Stop using a contractor: each estate they hold ends on their last day, and contracts due
    to start after it are withdrawn. Their scores stay theirs."""
    contractor = Contractor.objects.select_for_update().get(pk=contractor.pk)
    if not contractor.is_active:
        raise NeighbourhoodError(f"{contractor.name} is already not in use")
    held = ContractorAssignment.objects.filter(contractor=contractor)
    withdrawn = list(held.filter(starts_on__gt=last_day).values_list("estate__name", flat=True))
    held.filter(starts_on__gt=last_day).delete()
    ended = list(
        held.filter(starts_on__lte=last_day)
        .exclude(ends_on__lte=last_day)
        .values_list("estate__name", flat=True)
    )
    held.filter(starts_on__lte=last_day).exclude(ends_on__lte=last_day).update(ends_on=last_day)
    contractor.is_active = False
    contractor.save(update_fields=["is_active"])
    _audit(
        officer,
        AuditEntry.Action.CHANGE,
        f"contractor {contractor.pk} no longer used from {last_day:%Y-%m-%d}: {contractor.name}",
        estates_ended=ended,
        contracts_withdrawn=withdrawn,
    )
    return contractor


@transaction.atomic
def use_contractor_again(*, contractor: Contractor, officer: Officer) -> Contractor:
    contractor = Contractor.objects.select_for_update().get(pk=contractor.pk)
    if not contractor.is_active:
        contractor.is_active = True
        contractor.save(update_fields=["is_active"])
        _audit(
            officer,
            AuditEntry.Action.CHANGE,
            f"contractor {contractor.pk} in use again: {contractor.name}",
        )
    return contractor


@transaction.atomic
def assign_contractor(
    *,
    contractor: Contractor,
    estate,
    starts_on: date,
    officer: Officer,
    token: uuid.UUID | str | None = None,
) -> ContractorAssignment:
    """Give a contractor an estate for their service from a date. Whoever held it before stops
    the day before, so an inspection on any day scores one contractor for it."""
    token = _token(token)
    if token and (existing := ContractorAssignment.objects.filter(submission_token=token).first()):
        return existing
    contractor = Contractor.objects.select_for_update().get(pk=contractor.pk)
    if not contractor.is_active:
        raise NeighbourhoodError(
            f"{contractor.name} is not in use. Use them again before giving them an estate"
        )
    service = contractor.service
    label = contractor.get_service_display().lower()
    latest = (
        ContractorAssignment.objects.select_for_update(of=("self",))
        .filter(estate=estate, service=service)
        .select_related("contractor")
        .order_by("-starts_on")
        .first()
    )
    if latest is not None:
        if latest.contractor_id == contractor.pk and latest.ends_on is None:
            raise SetupError(
                f"{contractor.name} already holds {estate.name} for {label}, "
                f"from {_day(latest.starts_on)}",
                field="estate",
            )
        if starts_on <= latest.starts_on:
            raise SetupError(
                f"{latest.contractor.name} holds {estate.name} for {label} from "
                f"{_day(latest.starts_on)}. The new contract must start after that",
                field="starts_on",
            )
        if latest.ends_on is None or latest.ends_on >= starts_on:
            latest.ends_on = starts_on - timedelta(days=1)
            latest.save(update_fields=["ends_on"])
    assignment = ContractorAssignment.objects.create(
        contractor=contractor,
        estate=estate,
        service=service,
        starts_on=starts_on,
        submission_token=token,
    )
    _audit(
        officer,
        AuditEntry.Action.CREATE,
        f"{contractor.name} holds {estate.name} for {label} from {starts_on:%Y-%m-%d}",
        contractor=contractor.pk,
        estate=estate.pk,
        replaced=latest.contractor_id if latest is not None else None,
    )
    return assignment


@transaction.atomic
def end_assignment(
    *, assignment: ContractorAssignment, officer: Officer, ends_on: date
) -> ContractorAssignment:
    """End a contractor's hold on an estate on their last day there (inclusive)."""
    assignment = (
        ContractorAssignment.objects.select_for_update(of=("self",))
        .select_related("contractor", "estate")
        .get(pk=assignment.pk)
    )
    if assignment.ends_on is not None:
        raise NeighbourhoodError(
            f"{assignment.contractor.name}'s contract at {assignment.estate.name} already "
            f"ended on {_day(assignment.ends_on)}"
        )
    if ends_on < assignment.starts_on:
        raise SetupError(
            f"The last day must be on or after the day it started, {_day(assignment.starts_on)}",
            field="last_day",
        )
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    _audit(
        officer,
        AuditEntry.Action.CHANGE,
        f"{assignment} ends on {ends_on:%Y-%m-%d}",
        assignment=assignment.pk,
    )
    return assignment


def _check_space_name(estate, name: str, space: OpenSpace | None = None) -> str:
    name = name.strip()
    if not name:
        raise SetupError("Enter the name of the open space", field="name")
    same = OpenSpace.objects.filter(estate=estate, name__iexact=name)
    if space is not None:
        same = same.exclude(pk=space.pk)
    if same.exists():
        raise SetupError(f"{estate.name} already has an open space called {name}", field="name")
    return name


@transaction.atomic
def add_open_space(
    *, estate, name: str, officer: Officer, token: uuid.UUID | str | None = None
) -> OpenSpace:
    token = _token(token)
    if token and (existing := OpenSpace.objects.filter(submission_token=token).first()):
        return existing
    name = _check_space_name(estate, name)
    space = OpenSpace.objects.create(estate=estate, name=name, submission_token=token)
    _audit(officer, AuditEntry.Action.CREATE, f"open space {space.pk} added: {name}, {estate.name}")
    return space


@transaction.atomic
def rename_open_space(*, space: OpenSpace, name: str, officer: Officer) -> OpenSpace:
    space = (
        OpenSpace.objects.select_for_update(of=("self",)).select_related("estate").get(pk=space.pk)
    )
    name = _check_space_name(space.estate, name, space)
    before = space.name
    space.name = name
    space.save(update_fields=["name"])
    _audit(
        officer,
        AuditEntry.Action.CHANGE,
        f"open space {space.pk} renamed: {name}, {space.estate.name}",
        was_called=before,
    )
    return space


@transaction.atomic
def retire_open_space(*, space: OpenSpace, officer: Officer) -> OpenSpace:
    """Stop inspecting an open space. Its past scores stay on the inspections that gave them."""
    space = (
        OpenSpace.objects.select_for_update(of=("self",)).select_related("estate").get(pk=space.pk)
    )
    if space.is_active:
        space.is_active = False
        space.save(update_fields=["is_active"])
        _audit(
            officer,
            AuditEntry.Action.CHANGE,
            f"open space {space.pk} retired: {space.name}, {space.estate.name}",
        )
    return space


@transaction.atomic
def bring_back_open_space(*, space: OpenSpace, officer: Officer) -> OpenSpace:
    space = (
        OpenSpace.objects.select_for_update(of=("self",)).select_related("estate").get(pk=space.pk)
    )
    if not space.is_active:
        space.is_active = True
        space.save(update_fields=["is_active"])
        _audit(
            officer,
            AuditEntry.Action.CHANGE,
            f"open space {space.pk} inspected again: {space.name}, {space.estate.name}",
        )
    return space
