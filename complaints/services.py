"""Making and working complaints under the Complaint Handling Code.

Every change is a keyword-only function in one transaction. The clocks are portal Deadlines on the
complaint's case (kinds complaint_ack and complaint_response, for both stages), so the queue and the
reminder sweep see them; the same dates are kept on the complaint's stages for the annual report.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from complaints import rules, texts
from complaints.documents import check_document
from complaints.models import (
    AnnualReport,
    CompensationPayment,
    Complaint,
    ComplaintDocument,
    ComplaintStage,
    ComplaintStatus,
    LearningEntry,
    MadeBy,
    Outcome,
    RefusalGround,
    RemedyAction,
    ResponsePoint,
    Stage,
    StageResponse,
)
from portal.models import (
    AuditEntry,
    Case,
    CaseChannel,
    CaseKind,
    CaseStatus,
    Deadline,
    DeadlineKind,
    EventKind,
    Landlord,
    Officer,
)
from portal.services.audit import record_audit
from portal.services.cases import (
    assign_case,
    change_status,
    extend_deadline,
    meet_deadline,
    open_case,
    record_event,
    set_deadline,
)
from portal.services.enquiries import patch_officer_for
from portal.services.notify import NoAddress, queue_notification
from portal.services.refusals import Refused
from portal.uploads import download_name
from portal.workdays import end_of_day, local_date

logger = logging.getLogger(__name__)


class ComplaintError(Refused):
    """A step the Code, or where the complaint has got to, does not allow. The message says why,
    in words an officer or resident can act on."""


class SameOfficerError(ComplaintError):
    """Stage 2 must be handled by someone who did not handle stage 1."""


@dataclass(frozen=True)
class PointDecision:
    point: str
    decision: str
    reasons: str


@dataclass(frozen=True)
class PromisedAction:
    description: str
    due_on: date


# -- helpers -----------------------------------------------------------------------------------------


def _user(officer: Officer | None):
    return officer.user if officer is not None else None


def current_stage(complaint: Complaint) -> ComplaintStage:
    return complaint.stages.get(stage=complaint.stage)


def _running_deadline(case: Case, kind: str) -> Deadline | None:
    return (
        case.deadlines.filter(kind=kind, met_at__isnull=True, stopped_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def _current_home(resident):
    tenancy = resident.tenancies.filter(end_date__isnull=True).select_related("home").first()
    return tenancy.home if tenancy else None


def _summary(text: str) -> str:
    first_line = next((line.strip() for line in text.strip().splitlines() if line.strip()), "Complaint")
    return first_line if len(first_line) <= 120 else first_line[:117].rstrip() + "..."


def _tell_resident(complaint: Complaint, template: str, **context):
    """Queue a message to the resident in their preferred channel; without any way to reach them,
    leave a note on the case for staff to send it by hand."""
    case = complaint.case
    if case.resident is None:
        return None
    try:
        return queue_notification(
            template=f"complaint_{template}",
            context={"complaint": complaint, "ombudsman_contact": texts.ombudsman_contact(), **context},
            resident=case.resident,
            case=case,
        )
    except NoAddress:
        record_event(
            case=case,
            kind=EventKind.NOTE,
            message="We have no email, phone number or address for the resident: send this update by hand.",
        )
        return None


def stage1_handlers(complaint: Complaint) -> set[int]:
    """Every officer who handled stage 1: its handler, who acknowledged it and who answered it."""
    stage1 = complaint.stages.filter(stage=Stage.STAGE_1).select_related("response").first()
    if stage1 is None:
        return set()
    people = {stage1.handler_id, stage1.acknowledged_by_id}
    response = getattr(stage1, "response", None)
    if response is not None:
        people.add(response.written_by_id)
    return {pk for pk in people if pk is not None}


def check_stage2_officer(complaint: Complaint, officer: Officer) -> None:
    if officer.pk in stage1_handlers(complaint):
        raise SameOfficerError(
            f"{officer.name} handled this complaint at stage 1, so cannot handle it at stage 2. "
            "The Complaint Handling Code needs someone who did not deal with it at stage 1."
        )


def _require(complaint: Complaint, *statuses: str, message: str) -> None:
    if complaint.status not in statuses:
        raise ComplaintError(message)


# -- making a complaint ----------------------------------------------------------------------------------


@transaction.atomic
def make_complaint(
    *,
    resident,
    what_happened: str,
    outcome_wanted: str = "",
    home=None,
    channel: str = CaseChannel.WEB,
    events_began_on: date | None = None,
    logged_by: Officer | None = None,
    received_at: datetime | None = None,
    related_case: Case | None = None,
    made_by: str = MadeBy.RESIDENT,
    representative_name: str = "",
    representative_role: str = "",
    representative_contact: str = "",
    representative_consent: bool = False,
    representative_consent_note: str = "",
    documents: Iterable = (),
    submission_token=None,
) -> Complaint:
    """Record a stage 1 complaint, made online by the resident or logged by an officer, and start
    the clock: acknowledge within 5 working days of receipt. The same submission token twice
    gives back the first complaint."""
    if submission_token is not None:
        existing = Complaint.objects.filter(submission_token=submission_token).select_related("case").first()
        if existing is not None:
            return existing
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ComplaintError("A complaint cannot be received in the future")
    if not what_happened.strip():
        raise ComplaintError("Say what the complaint is about")
    if made_by == MadeBy.REPRESENTATIVE and not (representative_name.strip() and representative_consent):
        raise ComplaintError(
            "A complaint made on a resident's behalf needs the representative's name and the resident's consent"
        )
    home = home or (related_case.home if related_case else None) or _current_home(resident)
    owner = patch_officer_for(home)
    case = open_case(
        kind=CaseKind.COMPLAINT,
        summary=_summary(what_happened),
        channel=channel,
        resident=resident,
        home=home,
        owner=owner,
        team=owner.team if owner else None,
        actor=_user(logged_by) or getattr(resident, "user", None),
        opened_at=received_at,
    )
    complaint = Complaint.objects.create(
        case=case,
        related_case=related_case,
        what_happened=what_happened.strip(),
        outcome_wanted=outcome_wanted.strip(),
        events_began_on=events_began_on,
        made_by=made_by,
        representative_name=representative_name.strip() if made_by == MadeBy.REPRESENTATIVE else "",
        representative_role=representative_role if made_by == MadeBy.REPRESENTATIVE else "",
        representative_contact=representative_contact.strip() if made_by == MadeBy.REPRESENTATIVE else "",
        representative_consent=representative_consent if made_by == MadeBy.REPRESENTATIVE else False,
        representative_consent_note=representative_consent_note.strip() if made_by == MadeBy.REPRESENTATIVE else "",
        submission_token=submission_token,
        created_at=received_at,
    )
    received_on = local_date(received_at)
    stage1 = ComplaintStage.objects.create(
        complaint=complaint,
        stage=Stage.STAGE_1,
        requested_on=received_on,
        acknowledgement_due_on=rules.acknowledgement_due_on(received_on, Stage.STAGE_1),
        handler=owner,
    )
    set_deadline(
        case=case,
        kind=DeadlineKind.COMPLAINT_ACK,
        due_at=end_of_day(stage1.acknowledgement_due_on),
        actor=_user(logged_by),
    )
    if complaint.has_representative:
        record_event(
            case=case,
            kind=EventKind.NOTE,
            message=(
                f"Made on the resident's behalf by {complaint.representative_name} "
                f"({complaint.get_representative_role_display() or 'representative'}), with the resident's consent."
                + (f" {complaint.representative_consent_note}" if complaint.representative_consent_note else "")
            ),
            actor=_user(logged_by),
            visible_to_resident=True,
            at=received_at,
        )
    if related_case is not None:
        record_event(
            case=related_case,
            kind=EventKind.UPDATE,
            message=f"A complaint about how this was handled was opened: {case.reference}. This request carries on.",
            actor=_user(logged_by),
            visible_to_resident=True,
            at=received_at,
        )
        record_event(
            case=case,
            kind=EventKind.NOTE,
            message=f"This complaint is about {related_case.reference}: {related_case.summary}",
            actor=_user(logged_by),
            visible_to_resident=True,
            at=received_at,
        )
    attach_documents(complaint=complaint, files=documents, uploaded_by=_user(logged_by) or resident.user)
    if logged_by is not None:
        record_audit(
            actor=logged_by.user,
            action=AuditEntry.Action.CREATE,
            resident=resident,
            subject=f"complaint {case.reference}",
        )
    _tell_resident(complaint, "received", stage=stage1)
    return complaint


def raise_complaint_from_case(
    *,
    case: Case,
    officer: Officer,
    what_happened: str,
    outcome_wanted: str = "",
    channel: str = CaseChannel.PHONE,
    received_at: datetime | None = None,
) -> Complaint:
    """An officer turns a resident's dissatisfaction with a service request into a stage 1
    complaint linked to it. The service request itself carries on."""
    if case.kind == CaseKind.COMPLAINT:
        raise ComplaintError("This is already a complaint")
    if case.resident is None:
        raise ComplaintError("This case has no resident to complain: log the complaint against the resident instead")
    return make_complaint(
        resident=case.resident,
        home=case.home,
        what_happened=what_happened,
        outcome_wanted=outcome_wanted,
        channel=channel,
        logged_by=officer,
        related_case=case,
        received_at=received_at,
    )


@transaction.atomic
def attach_documents(*, complaint: Complaint, files: Iterable, uploaded_by=None) -> list[ComplaintDocument]:
    stored = []
    for uploaded in files:
        kind = check_document(uploaded)  # the form checked already; this keeps the service honest
        stored.append(
            ComplaintDocument.objects.create(
                complaint=complaint,
                file=uploaded,
                original_name=download_name(uploaded),
                content_type=kind.content_type,
                size=uploaded.size,
                uploaded_by=uploaded_by,
            )
        )
    return stored


# -- acknowledging, extending and answering ---------------------------------------------------------------


@transaction.atomic
def acknowledge_complaint(
    *, complaint: Complaint, officer: Officer, understanding: str, outcome_sought: str, at: datetime | None = None
) -> ComplaintStage:
    """Acknowledge, define and log the complaint: what we understand it to be and the outcome the
    resident wants. Starts the response clock (stage 1: 10 working days; stage 2: 20)."""
    at = at or timezone.now()
    _require(
        complaint,
        ComplaintStatus.AWAITING_ACKNOWLEDGEMENT,
        message="This complaint is not waiting to be acknowledged",
    )
    if complaint.stage == Stage.STAGE_2:
        check_stage2_officer(complaint, officer)
    if not understanding.strip():
        raise ComplaintError("Say what you understand the complaint to be")
    record = current_stage(complaint)
    record.acknowledged_on = local_date(at)
    record.acknowledged_by = officer
    record.understanding = understanding.strip()
    record.outcome_sought = outcome_sought.strip()
    record.handler = record.handler or officer
    record.refresh_response_due_on()
    record.save()

    case = complaint.case
    deadline = _running_deadline(case, DeadlineKind.COMPLAINT_ACK)
    if deadline is not None:
        meet_deadline(deadline=deadline, actor=officer.user, met_at=at)
    set_deadline(
        case=case, kind=DeadlineKind.COMPLAINT_RESPONSE, due_at=end_of_day(record.response_due_on), actor=officer.user
    )
    complaint.status = ComplaintStatus.INVESTIGATING
    complaint.save(update_fields=["status"])
    if case.owner_id is None:
        assign_case(case=case, owner=officer, team=officer.team, actor=officer.user)
    change_status(
        case=case, status=CaseStatus.IN_PROGRESS, actor=officer.user, message="We are looking into your complaint"
    )
    message = f"We acknowledged your stage {record.stage} complaint. Our understanding of it: {record.understanding}"
    if record.outcome_sought:
        message += f"\nWhat you would like to happen: {record.outcome_sought}"
    record_event(case=case, kind=EventKind.UPDATE, message=message, actor=officer.user, visible_to_resident=True, at=at)
    _tell_resident(complaint, "acknowledged", stage=record)
    return record


@transaction.atomic
def extend_response_deadline(
    *, complaint: Complaint, officer: Officer, working_days: int, reason: str, at: datetime | None = None
) -> ComplaintStage:
    """Give more time for the response, within the stage's limit, with a reason the resident is
    told along with the Ombudsman's contact details."""
    _require(
        complaint,
        ComplaintStatus.INVESTIGATING,
        message="Only a complaint we have acknowledged and not yet answered can have its response extended",
    )
    if complaint.stage == Stage.STAGE_2:
        check_stage2_officer(complaint, officer)
    if not reason.strip():
        raise ComplaintError("Give the reason for the extension: the resident is told it")
    if working_days < 1:
        raise ComplaintError("An extension must be at least 1 working day")
    record = current_stage(complaint)
    limit = record.rules.max_extension
    if record.extension_days + working_days > limit:
        left = record.extension_days_left
        raise ComplaintError(
            f"A stage {record.stage} response can be extended by at most {limit} working days in all. "
            + (f"You can extend it by {left} more." if left else "It cannot be extended any further.")
        )
    record.extension_days += working_days
    record.extension_reason = "\n".join(filter(None, [record.extension_reason, reason.strip()]))
    record.refresh_response_due_on()
    record.save(update_fields=["extension_days", "extension_reason", "response_due_on"])
    deadline = _running_deadline(complaint.case, DeadlineKind.COMPLAINT_RESPONSE)
    extend_deadline(deadline=deadline, to=end_of_day(record.response_due_on), reason=reason.strip(), actor=officer.user)
    _tell_resident(complaint, "extended", stage=record, reason=reason.strip(), working_days=working_days)
    return record


@transaction.atomic
def respond_to_complaint(
    *,
    complaint: Complaint,
    officer: Officer,
    definition: str,
    points: Sequence[PointDecision],
    reasons: str,
    apology: str = "",
    actions: Sequence[PromisedAction] = (),
    compensation_pence: int = 0,
    how_to_escalate: str = "",
    at: datetime | None = None,
) -> StageResponse:
    """Send the stage's response: the complaint as defined, a decision on each point with reasons,
    the remedy, and how to escalate (stage 2: the Ombudsman). Promised actions stay tracked."""
    at = at or timezone.now()
    _require(
        complaint,
        ComplaintStatus.INVESTIGATING,
        message="Acknowledge the complaint before you respond to it"
        if complaint.status == ComplaintStatus.AWAITING_ACKNOWLEDGEMENT
        else "This complaint has already been answered at this stage",
    )
    if complaint.stage == Stage.STAGE_2:
        check_stage2_officer(complaint, officer)
    points = [p for p in points if p.point.strip()]
    if not points:
        raise ComplaintError("Give a decision on at least one point of the complaint")
    if any(p.decision not in Outcome.values for p in points):
        raise ComplaintError("Each point needs a decision: upheld, partly upheld or not upheld")
    if compensation_pence < 0:
        raise ComplaintError("Compensation cannot be negative")
    record = current_stage(complaint)
    day = local_date(at)
    outcome = Outcome.overall(p.decision for p in points)
    record.responded_on = day
    record.working_days_to_respond = rules.working_days_taken(record.requested_on, day)
    record.outcome = outcome
    record.compensation_pence = compensation_pence
    record.handler = officer
    record.save()
    response = StageResponse.objects.create(
        complaint_stage=record,
        written_by=officer,
        sent_at=at,
        definition=definition.strip(),
        reasons=reasons.strip(),
        apology=apology.strip(),
        compensation_pence=compensation_pence,
        how_to_escalate=how_to_escalate.strip()
        or texts.how_to_escalate(stage=record.stage, reference=complaint.reference),
        outcome=outcome,
    )
    ResponsePoint.objects.bulk_create(
        ResponsePoint(
            response=response, position=n, point=p.point.strip(), decision=p.decision, reasons=p.reasons.strip()
        )
        for n, p in enumerate(points, start=1)
    )
    RemedyAction.objects.bulk_create(
        RemedyAction(complaint=complaint, response=response, description=a.description.strip(), due_on=a.due_on)
        for a in actions
        if a.description.strip()
    )
    case = complaint.case
    deadline = _running_deadline(case, DeadlineKind.COMPLAINT_RESPONSE)
    if deadline is not None:
        meet_deadline(deadline=deadline, actor=officer.user, met_at=at)
    complaint.status = ComplaintStatus.RESPONDED
    complaint.save(update_fields=["status"])
    final = record.stage == Stage.STAGE_2
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        message=(
            f"We sent our {'final ' if final else ''}stage {record.stage} response. "
            f"Our decision: {response.get_outcome_display().lower()}."
        ),
        actor=officer.user,
        visible_to_resident=True,
        at=at,
    )
    change_status(
        case=case,
        status=CaseStatus.CLOSED if final else CaseStatus.RESOLVED,
        actor=officer.user,
        message="Final response sent" if final else "Stage 1 response sent. You can ask us to escalate it to stage 2.",
    )
    response.notification = _tell_resident(complaint, "response", stage=record, response=response)
    if response.notification is not None:
        response.save(update_fields=["notification"])
    return response


# -- stage 2 ------------------------------------------------------------------------------------------------


def _stage2_handler(complaint: Complaint) -> Officer | None:
    """Who takes stage 2 when nobody chooses: the complaints manager, else the stage 1 handler's
    team leader; never anyone who handled stage 1."""
    excluded = stage1_handlers(complaint)
    candidates = [Landlord.current().complaints_manager]
    stage1 = complaint.stages.select_related("handler__team__leader").get(stage=Stage.STAGE_1)
    if stage1.handler and stage1.handler.team:
        candidates.append(stage1.handler.team.leader)
    for officer in candidates:
        if officer is not None and officer.is_active and officer.pk not in excluded:
            return officer
    return None


@transaction.atomic
def escalate_complaint(
    *,
    complaint: Complaint,
    logged_by: Officer | None = None,
    channel: str = CaseChannel.WEB,
    at: datetime | None = None,
) -> ComplaintStage:
    """Stage 2, on request: no reason needed. Asking twice changes nothing."""
    at = at or timezone.now()
    # Read the stage under a lock, so two clicks at once make one stage 2.
    locked = Complaint.objects.select_for_update().only("stage", "status").get(pk=complaint.pk)
    complaint.stage, complaint.status = locked.stage, locked.status
    if complaint.stage == Stage.STAGE_2:
        return complaint.stages.get(stage=Stage.STAGE_2)
    if not complaint.can_escalate:
        raise ComplaintError("A complaint can be escalated to stage 2 once we have sent our stage 1 response")
    day = local_date(at)
    handler = _stage2_handler(complaint)
    record = ComplaintStage.objects.create(
        complaint=complaint,
        stage=Stage.STAGE_2,
        requested_on=day,
        acknowledgement_due_on=rules.acknowledgement_due_on(day, Stage.STAGE_2),
        handler=handler,
    )
    complaint.stage = Stage.STAGE_2
    complaint.status = ComplaintStatus.AWAITING_ACKNOWLEDGEMENT
    complaint.save(update_fields=["stage", "status"])
    case = complaint.case
    actor = _user(logged_by) or getattr(case.resident, "user", None)
    how = "online" if channel == CaseChannel.WEB else f"by {CaseChannel(channel).label.lower()}"
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        message=(
            f"You asked us {how} to escalate your complaint to stage 2. Someone who did not deal with it "
            "at stage 1 will look at it again."
        ),
        actor=actor,
        visible_to_resident=True,
        at=at,
    )
    change_status(case=case, status=CaseStatus.OPEN, actor=actor, message="Escalated to stage 2")
    assign_case(case=case, owner=handler, team=handler.team if handler else None, actor=actor)
    set_deadline(
        case=case, kind=DeadlineKind.COMPLAINT_ACK, due_at=end_of_day(record.acknowledgement_due_on), actor=actor
    )
    if logged_by is not None and case.resident_id:
        record_audit(
            actor=logged_by.user,
            action=AuditEntry.Action.CHANGE,
            resident=case.resident,
            subject=f"complaint {case.reference}: escalated to stage 2",
        )
    _tell_resident(complaint, "escalated", stage=record)
    return record


@transaction.atomic
def assign_stage_handler(*, complaint: Complaint, handler: Officer, actor: Officer) -> ComplaintStage:
    """Give the current stage to an officer. At stage 2 it must be someone who did not handle stage 1."""
    if complaint.is_final:
        raise ComplaintError("This complaint is finished")
    if complaint.stage == Stage.STAGE_2:
        check_stage2_officer(complaint, handler)
    record = current_stage(complaint)
    record.handler = handler
    record.save(update_fields=["handler"])
    assign_case(case=complaint.case, owner=handler, team=handler.team, actor=actor.user)
    return record


# -- refusing ---------------------------------------------------------------------------------------------


@transaction.atomic
def refuse_complaint(
    *,
    complaint: Complaint,
    officer: Officer,
    ground: str,
    reason: str,
    events_began_on: date | None = None,
    at: datetime | None = None,
) -> Complaint:
    """Decline to take a complaint forward (the Code's exclusions), with a reason the resident sees
    alongside their right to go to the Housing Ombudsman."""
    at = at or timezone.now()
    if complaint.stage != Stage.STAGE_1 or complaint.status not in (
        ComplaintStatus.AWAITING_ACKNOWLEDGEMENT,
        ComplaintStatus.INVESTIGATING,
    ):
        raise ComplaintError("Only a stage 1 complaint we have not yet answered can be refused")
    if ground not in RefusalGround.values:
        raise ComplaintError("Choose why the complaint cannot be taken forward")
    if not reason.strip():
        raise ComplaintError("Explain the reason to the resident")
    if events_began_on is not None:
        complaint.events_began_on = events_began_on
    stage1 = complaint.stages.get(stage=Stage.STAGE_1)
    if ground == RefusalGround.OUT_OF_TIME and not rules.is_out_of_time(
        events_began_on=complaint.events_began_on, received_on=stage1.requested_on
    ):
        raise ComplaintError(
            "This complaint can only be refused as out of time if the events began more than 12 months "
            "before we received it"
        )
    complaint.status = ComplaintStatus.REFUSED
    complaint.refusal_ground = ground
    complaint.refusal_reason = reason.strip()
    complaint.refused_on = local_date(at)
    complaint.refused_by = officer
    complaint.save()
    case = complaint.case
    record_event(
        case=case,
        kind=EventKind.UPDATE,
        message=(
            f"We cannot take this complaint forward. {complaint.get_refusal_ground_display()}. "
            f"{complaint.refusal_reason}\n"
            f"You have the right to ask the Housing Ombudsman to look at this decision: {texts.ombudsman_contact()}."
        ),
        actor=officer.user,
        visible_to_resident=True,
        at=at,
    )
    change_status(case=case, status=CaseStatus.CLOSED, actor=officer.user, message="Complaint not taken forward")
    _tell_resident(complaint, "refused")
    return complaint


# -- after the response: actions, compensation, learning -----------------------------------------------------


@transaction.atomic
def complete_remedy_action(
    *, action: RemedyAction, officer: Officer, note: str = "", on: date | None = None
) -> RemedyAction:
    if action.completed_on is not None:
        return action
    action.completed_on = on or local_date(timezone.now())
    action.completed_by = officer
    action.completion_note = note.strip()
    action.save(update_fields=["completed_on", "completed_by", "completion_note"])
    record_event(
        case=action.complaint.case,
        kind=EventKind.UPDATE,
        message=f"We did what we promised: {action.description}."
        + (f" {action.completion_note}" if action.completion_note else ""),
        actor=officer.user,
        visible_to_resident=True,
    )
    return action


@transaction.atomic
def record_compensation_payment(
    *, complaint: Complaint, officer: Officer, amount_pence: int, paid_on: date, note: str = ""
) -> CompensationPayment:
    if amount_pence <= 0:
        raise ComplaintError("Enter the amount paid")
    if paid_on > local_date(timezone.now()):
        raise ComplaintError("The payment date cannot be in the future")
    payment = CompensationPayment.objects.create(
        complaint=complaint, amount_pence=amount_pence, paid_on=paid_on, recorded_by=officer, note=note.strip()
    )
    record_event(
        case=complaint.case,
        kind=EventKind.NOTE,
        message=f"Compensation of £{amount_pence / 100:,.2f} paid on {paid_on:%-d %B %Y}."
        + (f" {payment.note}" if payment.note else ""),
        actor=officer.user,
    )
    return payment


@transaction.atomic
def record_learning(
    *, complaint: Complaint, officer: Officer, category: str, root_cause: str, learning: str
) -> Complaint:
    """Categories, root cause and what we learned, on a complaint we have answered or refused."""
    if not complaint.is_answered:
        raise ComplaintError("Record what we learned once the complaint has been answered")
    complaint.category = category
    complaint.root_cause = root_cause
    complaint.learning = learning.strip()
    complaint.learning_recorded_at = timezone.now()
    complaint.save(update_fields=["category", "root_cause", "learning", "learning_recorded_at"])
    record_event(
        case=complaint.case, kind=EventKind.NOTE, message=f"Learning recorded: {complaint.learning}", actor=officer.user
    )
    return complaint


def can_publish(officer: Officer) -> bool:
    return officer.is_manager or officer.leads_a_team


@transaction.atomic
def create_learning_entry(
    *, complaint: Complaint, officer: Officer, you_said: str, we_did: str, publish: bool = False
) -> LearningEntry:
    """A "you said, we did" entry from a complaint's learning, for the public page."""
    if not complaint.learning:
        raise ComplaintError("Record what we learned from the complaint first")
    if not you_said.strip() or not we_did.strip():
        raise ComplaintError("Say what the resident told us and what we did")
    if publish and not can_publish(officer):
        raise ComplaintError("Only a team leader or manager can publish a 'you said, we did' entry")
    now = timezone.now()
    return LearningEntry.objects.create(
        complaint=complaint,
        category=complaint.category,
        you_said=you_said.strip(),
        we_did=we_did.strip(),
        published=publish,
        published_at=now if publish else None,
        created_by=officer,
    )


@transaction.atomic
def set_learning_entry_published(*, entry: LearningEntry, officer: Officer, published: bool) -> LearningEntry:
    if not can_publish(officer):
        raise ComplaintError("Only a team leader or manager can publish a 'you said, we did' entry")
    entry.published = published
    entry.published_at = timezone.now() if published else None
    entry.save(update_fields=["published", "published_at"])
    return entry


# -- the annual report ----------------------------------------------------------------------------------------


def _require_manager(officer: Officer) -> None:
    if not officer.is_manager:
        raise ComplaintError("Only a manager can do this")


@transaction.atomic
def save_self_assessment(*, year: int, officer: Officer, answers: dict, improvements: str = "") -> AnnualReport:
    _require_manager(officer)
    report, _ = AnnualReport.objects.get_or_create(year=year)
    report.self_assessment = answers
    report.improvements = improvements.strip()
    report.assessed_by = officer
    report.assessed_at = timezone.now()
    report.save()
    return report


@transaction.atomic
def publish_annual_report(*, year: int, officer: Officer, publish: bool = True) -> AnnualReport:
    _require_manager(officer)
    report, _ = AnnualReport.objects.get_or_create(year=year)
    if publish and not report.assessed_at:
        raise ComplaintError("Complete the self-assessment against the Code before you publish the report")
    report.published_at = timezone.now() if publish else None
    report.published_by = officer if publish else None
    report.save(update_fields=["published_at", "published_by"])
    return report
