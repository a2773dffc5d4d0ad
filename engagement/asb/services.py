"""Reporting anti-social behaviour and working the cases it makes.

Every change is a keyword-only function in one transaction. A report either opens a case or,
when it is about the same people as a case still open on the same estate (or in the same
neighbourhood, where the home has no estate), joins that case. Each report carries its own
first-contact promise, a portal Deadline of kind `contact`, due a number of working days after it
was made that the risk level sets; each case has a review Deadline (kind `asb_review`). Reporters
follow their own report through ReportUpdate lines, so none of them sees who else reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from engagement.asb import risk
from engagement.asb.models import (
    Action,
    AsbCase,
    AsbReport,
    Category,
    Contact,
    ContactWith,
    Incident,
    InvolvedPerson,
    Outcome,
    PersonRole,
    ReportUpdate,
    RiskAssessment,
    RiskLevel,
    normalise_address,
    normalise_name,
)
from portal.models import (
    AuditEntry,
    CaseChannel,
    CaseKind,
    CaseStatus,
    Deadline,
    DeadlineKind,
    Estate,
    EventKind,
    Home,
    Neighbourhood,
    Officer,
)
from portal.services.audit import record_audit
from portal.services.cases import (
    assign_case,
    change_status,
    meet_deadline,
    open_case,
    record_event,
    refresh_next_due,
    set_deadline,
)
from portal.services.enquiries import patch_officer_for
from portal.services.notify import queue_notification
from portal.services.refusals import Refused
from portal.services.reminders import schedule_reminders
from portal.workdays import LONDON, deadline_after

LEVEL_ORDER = {RiskLevel.STANDARD: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class AsbError(Refused):
    """A step the case does not allow; the message says why in plain words."""


@dataclass(frozen=True)
class PersonDetails:
    """Someone a report is about, as the reporter describes them."""

    role: str = PersonRole.ALLEGED
    name: str = ""
    description: str = ""
    address: str = ""

    @property
    def is_given(self) -> bool:
        return bool(self.name.strip() or self.description.strip() or self.address.strip())


# -- helpers -------------------------------------------------------------------------------------------


def _user(officer: Officer | None):
    return officer.user if officer is not None else None


def _current_home(resident):
    if resident is None:
        return None
    tenancy = resident.tenancies.filter(end_date__isnull=True).select_related("home").first()
    return tenancy.home if tenancy else None


def _higher(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return a if LEVEL_ORDER[a] >= LEVEL_ORDER[b] else b


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%A %-d %B %Y}"


def _first_reporter_deadline(asb_case: AsbCase, deadline: Deadline) -> bool:
    """Whether a deadline belongs to the report of the case's own resident: only those events
    may show on the portal's case page, which that resident sees."""
    report = AsbReport.objects.filter(contact_deadline=deadline).only("reporter_id").first()
    return report is not None and report.reporter_id == asb_case.case.resident_id


def _meet(deadline: Deadline, *, actor, at: datetime, visible: bool) -> None:
    """Meet a deadline. Events about another reporter's promise stay off the case resident's page."""
    if visible:
        meet_deadline(deadline=deadline, actor=actor, met_at=at)
        return
    if deadline.met_at is not None:
        return
    deadline.met_at = at
    deadline.save(update_fields=["met_at"])
    schedule_reminders(deadline)
    refresh_next_due(deadline.case)
    record_event(
        case=deadline.case,
        kind=EventKind.DEADLINE_MET,
        message=f"{deadline.get_kind_display()}: done",
        actor=actor,
        at=at,
    )


def _stop(deadline: Deadline, *, at: datetime) -> None:
    Deadline.objects.filter(pk=deadline.pk).update(stopped_at=at, next_reminder_at=None)


def _running(asb_case: AsbCase, kind: str):
    return asb_case.case.deadlines.filter(kind=kind, met_at__isnull=True, stopped_at__isnull=True)


def _homes_named(addresses: Iterable[str], neighbourhood_id) -> dict[str, Home]:
    """Homes of ours in the neighbourhood whose first address line matches an address given."""
    firsts = {address.split(",")[0].strip() for address in addresses if address.strip()}
    if not firsts or neighbourhood_id is None:
        return {}
    query = Q()
    for first in firsts:
        query |= Q(address_line_1__iexact=first)
    homes = Home.objects.filter(query, neighbourhood_id=neighbourhood_id)
    return {normalise_address(home.address_line_1): home for home in homes}


def _home_for(address: str, homes: dict[str, Home]) -> Home | None:
    if not address.strip():
        return None
    return homes.get(normalise_address(address.split(",")[0]))


def matching_open_case(
    *, estate_id, neighbourhood_id, people: Sequence[PersonDetails], homes=None
) -> AsbCase | None:
    """The open case, on the same estate (or in the same neighbourhood when there is no estate),
    that involves any of the same people causing the problem: the same home of ours, the same
    address written down, or the same name. The most recently opened wins."""
    homes = homes if homes is not None else {}
    alleged = [person for person in people if person.role == PersonRole.ALLEGED and person.is_given]
    names = {normalise_name(p.name) for p in alleged} - {""}
    addresses = {normalise_address(p.address) for p in alleged} - {""}
    home_ids = {home.pk for p in alleged if (home := _home_for(p.address, homes))}
    if not (names or addresses or home_ids):
        return None
    who = Q()
    if names:
        who |= Q(people__name_key__in=names)
    if addresses:
        who |= Q(people__address_key__in=addresses)
    if home_ids:
        who |= Q(people__home_id__in=home_ids)
    where = (
        Q(estate_id=estate_id)
        if estate_id
        else Q(neighbourhood_id=neighbourhood_id, estate__isnull=True)
    )
    if not estate_id and neighbourhood_id is None:
        return None
    return (
        AsbCase.objects.filter(
            where,
            who,
            people__role=PersonRole.ALLEGED,
            case__status__in=CaseStatus.open_values(),
            merged_into__isnull=True,
        )
        .select_related("case")
        .order_by("-opened_at", "-id")
        .first()
    )


def _add_people(
    asb_case: AsbCase, report: AsbReport | None, people: Sequence[PersonDetails], homes
) -> None:
    InvolvedPerson.objects.bulk_create(
        [
            InvolvedPerson(
                asb_case=asb_case,
                report=report,
                role=person.role,
                name=person.name.strip(),
                description=person.description.strip(),
                address=person.address.strip(),
                home=_home_for(person.address, homes),
                name_key=normalise_name(person.name),
                address_key=normalise_address(person.address),
            )
            for person in people
            if person.is_given
        ]
    )


def _set_hate(asb_case: AsbCase, motivations: Iterable[str]) -> None:
    merged = sorted(set(asb_case.hate_motivations) | set(motivations))
    asb_case.hate_motivations = merged
    asb_case.is_hate_incident = True


def _contact_due(report: AsbReport, level: str) -> datetime:
    return deadline_after(report.reported_at, risk.first_contact_working_days(level))


def _tell_reporter(report: AsbReport, template: str, **context) -> None:
    if report.reporter_id is None:
        return
    queue_notification(
        template=f"asb_{template}",
        context={"report": report, **context},
        resident=report.reporter,
        case=report.asb_case.case,
    )


# -- reporting -----------------------------------------------------------------------------------------


@transaction.atomic
def make_report(
    *,
    reporter,
    category: str,
    what_happened: str,
    where: str,
    happened_on: date,
    people: Sequence[PersonDetails] = (),
    risk_answers: dict | None = None,
    is_hate_incident: bool = False,
    hate_motivations: Sequence[str] = (),
    happened_at_time: str = "",
    is_ongoing: bool = False,
    home=None,
    channel: str = CaseChannel.WEB,
    logged_by: Officer | None = None,
    reported_at: datetime | None = None,
    submission_token=None,
) -> AsbReport:
    """Record a report of anti-social behaviour. It joins the open case about the same people on
    the same estate, or opens a case for the patch officer. Either way the reporter gets a
    first-contact promise as quick as the risk their answers show. The same submission token twice
    gives back the first report."""
    if submission_token is not None:
        existing = AsbReport.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if not what_happened.strip():
        raise AsbError("Say what happened")
    if category not in Category.values:
        raise AsbError("Choose what kind of behaviour it was")
    now = timezone.now()
    reported_at = reported_at or now
    if happened_on > reported_at.astimezone(LONDON).date():
        raise AsbError("The date it happened cannot be in the future")
    motivations = [m for m in hate_motivations if m]
    is_hate_incident = bool(is_hate_incident or motivations)
    home = home or _current_home(reporter)
    estate_id = home.estate_id if home else None
    neighbourhood_id = home.neighbourhood_id if home else None
    people = [person for person in people if person.is_given]
    homes = _homes_named([p.address for p in people], neighbourhood_id)
    risk_answers = dict(risk_answers or {})
    if is_hate_incident:
        # A hate incident is someone targeted for who they are, whatever box was ticked.
        risk_answers["targeted"] = True
    assessment = risk.assess(risk_answers)

    # One report at a time per estate (or neighbourhood), so two reports about the same people
    # sent at the same moment cannot both open a case.
    if estate_id:
        Estate.objects.select_for_update().filter(pk=estate_id).first()
    elif neighbourhood_id:
        Neighbourhood.objects.select_for_update().filter(pk=neighbourhood_id).first()
    asb_case = matching_open_case(
        estate_id=estate_id, neighbourhood_id=neighbourhood_id, people=people, homes=homes
    )
    joined = asb_case is not None
    actor = _user(logged_by) or getattr(reporter, "user", None)
    if joined:
        asb_case = AsbCase.objects.select_for_update().select_related("case").get(pk=asb_case.pk)
    else:
        owner = patch_officer_for(home)
        summary = f"{Category(category).label}: {what_happened.strip().splitlines()[0]}"
        case = open_case(
            kind=CaseKind.ASB,
            summary=summary if len(summary) <= 120 else summary[:117].rstrip() + "...",
            channel=channel,
            resident=reporter,
            home=home,
            owner=owner,
            team=owner.team if owner else None,
            actor=actor,
            opened_at=reported_at,
        )
        asb_case = AsbCase.objects.create(
            case=case,
            category=category,
            neighbourhood_id=neighbourhood_id,
            estate_id=estate_id,
            opened_at=reported_at,
        )
    case = asb_case.case

    report = AsbReport.objects.create(
        asb_case=asb_case,
        reporter=reporter,
        home=home,
        category=category,
        what_happened=what_happened.strip(),
        where=where.strip(),
        happened_on=happened_on,
        happened_at_time=happened_at_time.strip(),
        is_ongoing=is_ongoing,
        is_hate_incident=is_hate_incident,
        hate_motivations=motivations,
        channel=channel,
        logged_by=logged_by,
        reported_at=reported_at,
        joined_existing=joined,
        submission_token=submission_token,
    )
    _add_people(asb_case, report, people, homes)
    Incident.objects.create(
        asb_case=asb_case,
        report=report,
        happened_on=happened_on,
        what_happened=report.what_happened,
        where=report.where,
        recorded_by=logged_by,
        recorded_at=reported_at,
    )
    RiskAssessment.objects.create(
        asb_case=asb_case,
        report=report,
        answers={key: bool(risk_answers.get(key)) for key in risk.QUESTION_KEYS},
        score=assessment.score,
        level=assessment.level,
        notes="Answers given with the report",
        assessed_by=logged_by,
        assessed_at=reported_at,
    )
    level = _higher(asb_case.risk_level, assessment.level)
    asb_case.risk_level = level
    if is_hate_incident:
        _set_hate(asb_case, motivations)
    asb_case.save(update_fields=["risk_level", "is_hate_incident", "hate_motivations"])

    # The first reporter is the case's resident and sees the portal's case page too; a joining
    # reporter's promise stays off it, so nobody learns from it that someone else reported.
    deadline = set_deadline(
        case=case,
        kind=DeadlineKind.CONTACT,
        due_at=_contact_due(report, level),
        actor=actor,
        visible_to_resident=not joined,
    )
    report.contact_deadline = deadline
    report.save(update_fields=["contact_deadline"])
    if not joined:
        set_deadline(
            case=case,
            kind=DeadlineKind.ASB_REVIEW,
            due_at=deadline_after(reported_at, risk.review_working_days(level)),
            actor=actor,
            visible_to_resident=False,
        )
    else:
        record_event(
            case=case,
            kind=EventKind.NOTE,
            message=(
                f"Another report joined this case ({report.get_category_display().lower()}, "
                f"{happened_on:%-d %B %Y}). Risk from the report's answers: {assessment.level}."
            ),
            actor=actor,
            at=reported_at,
        )
        if case.owner_id:
            queue_notification(
                template="asb_report_joined_officer",
                context={"report": report, "asb_case": asb_case},
                officer=case.owner,
                case=case,
            )

    officer = case.owner
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.RECEIVED,
        message=(
            "We received your report. "
            + (f"{officer.name}, your housing officer, " if officer else "A housing officer ")
            + f"will contact you by the end of {_when(deadline.due_at)}."
        ),
        created_at=reported_at,
    )
    if joined:
        ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.JOINED,
            message=(
                "We are already working on a case about the same people, so we have added your report "
                "to it. What you told us will be used as evidence in that case."
            ),
            created_at=reported_at,
        )
    if logged_by is not None and reporter is not None:
        record_audit(
            actor=logged_by.user,
            action=AuditEntry.Action.CREATE,
            resident=reporter,
            subject=f"ASB report on case {case.reference}",
        )
    _tell_reporter(
        report, "report_received", joined=joined, due_at=deadline.due_at, officer=officer
    )
    return report


# -- the risk assessment -------------------------------------------------------------------------------


@transaction.atomic
def record_risk_assessment(
    *, asb_case: AsbCase, officer: Officer, answers: dict, notes: str = ""
) -> RiskAssessment:
    """An officer's risk assessment. It sets the case's risk level; a higher level brings forward
    each first-contact promise still running (never pushes one later: a promise made stands) and
    the next review."""
    asb_case = AsbCase.objects.select_for_update().select_related("case").get(pk=asb_case.pk)
    case = asb_case.case
    if not case.is_open:
        raise AsbError("This case is closed. Reopen it before assessing the risk again.")
    result = risk.assess(answers)
    assessment = RiskAssessment.objects.create(
        asb_case=asb_case,
        answers={key: bool(answers.get(key)) for key in risk.QUESTION_KEYS},
        score=result.score,
        level=result.level,
        notes=notes.strip(),
        assessed_by=officer,
    )
    previous = asb_case.risk_level
    asb_case.risk_level = result.level
    asb_case.save(update_fields=["risk_level"])
    record_event(
        case=case,
        kind=EventKind.NOTE,
        message=f"Risk assessed: {assessment.get_level_display().lower()} (score {result.score})."
        + (
            f" It was {RiskLevel(previous).label.lower()}."
            if previous and previous != result.level
            else ""
        ),
        actor=officer.user,
    )
    now = timezone.now()
    reports = asb_case.reports.filter(
        contact_deadline__met_at__isnull=True, contact_deadline__stopped_at__isnull=True
    ).select_related("contact_deadline", "reporter")
    for report in reports:
        due = _contact_due(report, result.level)
        if due < report.contact_deadline.effective_due_at:
            _stop(report.contact_deadline, at=now)
            visible = report.reporter_id is not None and report.reporter_id == case.resident_id
            report.contact_deadline = set_deadline(
                case=case,
                kind=DeadlineKind.CONTACT,
                due_at=due,
                actor=officer.user,
                visible_to_resident=visible,
            )
            report.save(update_fields=["contact_deadline"])
            ReportUpdate.objects.create(
                report=report,
                kind=ReportUpdate.Kind.UPDATE,
                message=f"We will now contact you sooner: by the end of {_when(due)}.",
                author=officer,
            )
    review = _running(asb_case, DeadlineKind.ASB_REVIEW).first()
    review_due = deadline_after(now, risk.review_working_days(result.level))
    if review is None or review_due < review.effective_due_at:
        if review is not None:
            _stop(review, at=now)
        set_deadline(
            case=case,
            kind=DeadlineKind.ASB_REVIEW,
            due_at=review_due,
            actor=officer.user,
            visible_to_resident=False,
        )
    refresh_next_due(case)
    _audit(officer, asb_case, "risk assessment")
    return assessment


# -- the action plan, the diary, contacts, updates ------------------------------------------------------


def _audit(officer: Officer, asb_case: AsbCase, what: str) -> None:
    if asb_case.case.resident_id:
        record_audit(
            actor=officer.user,
            action=AuditEntry.Action.CHANGE,
            resident=asb_case.case.resident,
            subject=f"ASB case {asb_case.case.reference}: {what}",
        )


def _require_open(asb_case: AsbCase) -> None:
    if not asb_case.case.is_open:
        raise AsbError("This case is closed.")


@transaction.atomic
def add_action(
    *, asb_case: AsbCase, officer: Officer, description: str, owner: Officer, due_on: date
) -> Action:
    _require_open(asb_case)
    if not description.strip():
        raise AsbError("Say what the action is")
    action = Action.objects.create(
        asb_case=asb_case,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=officer,
    )
    record_event(
        case=asb_case.case,
        kind=EventKind.NOTE,
        message=f"Action added: {action.description} ({owner.name}, by {due_on:%-d %B %Y}).",
        actor=officer.user,
    )
    if owner.pk != officer.pk:
        queue_notification(
            template="asb_action_assigned",
            context={"action": action, "asb_case": asb_case, "by": officer},
            officer=owner,
            case=asb_case.case,
        )
    _audit(officer, asb_case, "action plan")
    return action


@transaction.atomic
def complete_action(
    *, action: Action, officer: Officer, completed_on: date | None = None
) -> Action:
    if action.completed_on is not None:
        return action
    action.completed_on = completed_on or timezone.localdate()
    action.save(update_fields=["completed_on"])
    record_event(
        case=action.asb_case.case,
        kind=EventKind.NOTE,
        message=f"Action done: {action.description}.",
        actor=officer.user,
    )
    _audit(officer, action.asb_case, "action plan")
    return action


@transaction.atomic
def add_incident(
    *, asb_case: AsbCase, officer: Officer, happened_on: date, what_happened: str, where: str = ""
) -> Incident:
    if not what_happened.strip():
        raise AsbError("Say what happened")
    incident = Incident.objects.create(
        asb_case=asb_case,
        happened_on=happened_on,
        what_happened=what_happened.strip(),
        where=where.strip(),
        recorded_by=officer,
    )
    _audit(officer, asb_case, "diary of incidents")
    return incident


@transaction.atomic
def add_diary_entry(
    *, report: AsbReport, happened_on: date, what_happened: str, happened_at_time: str = ""
) -> Incident:
    """The reporter adds another incident to their report: it goes in the case's diary, and the
    case's officer is told."""
    asb_case = report.asb_case
    _require_open(asb_case)
    if not what_happened.strip():
        raise AsbError("Say what happened")
    if happened_on > timezone.localdate():
        raise AsbError("The date it happened cannot be in the future")
    when = f" ({happened_at_time.strip()})" if happened_at_time.strip() else ""
    incident = Incident.objects.create(
        asb_case=asb_case,
        report=report,
        happened_on=happened_on,
        what_happened=what_happened.strip() + when,
        where=report.where,
    )
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.UPDATE,
        message=f"You told us about another incident, on {happened_on:%-d %B %Y}. We have added it to your case.",
    )
    case = asb_case.case
    record_event(
        case=case,
        kind=EventKind.NOTE,
        message=f"A reporter added an incident of {happened_on:%-d %B %Y} to the diary.",
        actor=getattr(report.reporter, "user", None),
    )
    if case.owner_id:
        queue_notification(
            template="asb_diary_entry_officer",
            context={"incident": incident, "asb_case": asb_case},
            officer=case.owner,
            case=case,
        )
    return incident


@transaction.atomic
def add_person(*, asb_case: AsbCase, officer: Officer, person: PersonDetails) -> InvolvedPerson:
    """Add a victim, witness or person causing the problem the officer has learnt of."""
    if not person.is_given:
        raise AsbError("Give a name, a description or an address")
    homes = _homes_named([person.address], asb_case.neighbourhood_id)
    _add_people(asb_case, None, [person], homes)
    _audit(officer, asb_case, "people involved")
    return asb_case.people.order_by("-id").first()


@transaction.atomic
def record_contact(
    *,
    asb_case: AsbCase,
    officer: Officer,
    with_whom: str,
    method: str,
    reached: bool = True,
    note: str = "",
    report: AsbReport | None = None,
    made_at: datetime | None = None,
) -> Contact:
    """A contact about the case. Reaching a reporter keeps their report's first-contact promise and
    shows on their own timeline."""
    made_at = made_at or timezone.now()
    if with_whom == ContactWith.REPORTER and report is None:
        raise AsbError("Choose which report's reporter you contacted")
    if report is not None and report.asb_case_id != asb_case.pk:
        raise AsbError("That report is not on this case")
    contact = Contact.objects.create(
        asb_case=asb_case,
        report=report if with_whom == ContactWith.REPORTER else None,
        with_whom=with_whom,
        method=method,
        reached=reached,
        note=note.strip(),
        officer=officer,
        made_at=made_at,
    )
    case = asb_case.case
    record_event(
        case=case,
        kind=EventKind.CONTACT,
        message=f"{contact.get_method_display()} with {contact.get_with_whom_display().lower()}"
        + ("" if reached else " (not reached)")
        + (f": {contact.note}" if contact.note else "."),
        actor=officer.user,
        at=made_at,
    )
    if contact.report is not None:
        how = {
            "phone": "called you",
            "visit": "visited you",
            "email": "emailed you",
            "text": "sent you a text",
            "letter": "wrote to you",
            "meeting": "met you",
        }[method]
        ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.CONTACT,
            message=f"{officer.name} {how}."
            if reached
            else f"{officer.name} tried to contact you. We will try again.",
            author=officer,
            created_at=made_at,
        )
        deadline = report.contact_deadline
        if reached and deadline is not None and deadline.is_running:
            _meet(
                deadline,
                actor=officer.user,
                at=made_at,
                visible=report.reporter_id is not None and report.reporter_id == case.resident_id,
            )
    if case.status == CaseStatus.OPEN:
        change_status(case=case, status=CaseStatus.IN_PROGRESS, actor=officer.user)
    _audit(officer, asb_case, "contact recorded")
    return contact


@transaction.atomic
def send_update(
    *, asb_case: AsbCase, officer: Officer, message: str, report: AsbReport | None = None
) -> list[ReportUpdate]:
    """Tell one reporter, or every reporter on the case, how it is going. Each sees it on their own
    report and is sent it in their preferred way."""
    if not message.strip():
        raise AsbError("Write the update")
    reports = (
        [report]
        if report is not None
        else list(asb_case.reports.select_related("reporter", "asb_case__case"))
    )
    updates = ReportUpdate.objects.bulk_create(
        [
            ReportUpdate(
                report=r, kind=ReportUpdate.Kind.UPDATE, message=message.strip(), author=officer
            )
            for r in reports
        ]
    )
    record_event(
        case=asb_case.case,
        kind=EventKind.UPDATE,
        message=f"Update sent to {len(reports)} reporter{'s' if len(reports) != 1 else ''}: {message.strip()}",
        actor=officer.user,
    )
    for r in reports:
        _tell_reporter(r, "update", message=message.strip(), officer=officer)
    _audit(officer, asb_case, "update to reporters")
    return updates


@transaction.atomic
def record_review(*, asb_case: AsbCase, officer: Officer, note: str) -> Deadline:
    """The officer reviewed the case: the running review is done and the next is set by the risk."""
    _require_open(asb_case)
    if not note.strip():
        raise AsbError("Say what the review found")
    now = timezone.now()
    for review in _running(asb_case, DeadlineKind.ASB_REVIEW):
        _meet(review, actor=officer.user, at=now, visible=False)
    record_event(
        case=asb_case.case,
        kind=EventKind.NOTE,
        message=f"Case reviewed: {note.strip()}",
        actor=officer.user,
    )
    _audit(officer, asb_case, "review")
    return set_deadline(
        case=asb_case.case,
        kind=DeadlineKind.ASB_REVIEW,
        due_at=deadline_after(
            now, risk.review_working_days(asb_case.risk_level or RiskLevel.STANDARD)
        ),
        actor=officer.user,
        visible_to_resident=False,
    )


@transaction.atomic
def set_hate_incident(
    *, asb_case: AsbCase, officer: Officer, motivations: Sequence[str]
) -> AsbCase:
    """An officer records (or clears) the hate motivations the case involves."""
    asb_case.hate_motivations = sorted(set(motivations))
    asb_case.is_hate_incident = bool(motivations)
    asb_case.save(update_fields=["hate_motivations", "is_hate_incident"])
    record_event(
        case=asb_case.case,
        kind=EventKind.NOTE,
        message="Recorded as a hate incident: "
        + ", ".join(asb_case.get_hate_motivations_display()).lower()
        if motivations
        else "Not recorded as a hate incident.",
        actor=officer.user,
    )
    _audit(officer, asb_case, "hate incident")
    return asb_case


@transaction.atomic
def reassign(*, asb_case: AsbCase, officer: Officer, owner: Officer) -> AsbCase:
    assign_case(case=asb_case.case, owner=owner, team=owner.team, actor=officer.user)
    _audit(officer, asb_case, "officer changed")
    return asb_case


# -- closing, joining and splitting ---------------------------------------------------------------------


@transaction.atomic
def close_case(
    *, asb_case: AsbCase, officer: Officer, outcome: str, note_to_reporters: str, note: str = ""
) -> AsbCase:
    """Close the case with its outcome. Each reporter is told, in words the officer chose; every
    promise still running stops."""
    asb_case = AsbCase.objects.select_for_update().select_related("case").get(pk=asb_case.pk)
    _require_open(asb_case)
    if outcome not in Outcome.values or outcome == Outcome.JOINED:
        raise AsbError("Choose the outcome")
    if not note_to_reporters.strip():
        raise AsbError("Write what you will tell the people who reported it")
    asb_case.outcome = outcome
    asb_case.outcome_note = note.strip()
    asb_case.closed_by = officer
    asb_case.save(update_fields=["outcome", "outcome_note", "closed_by"])
    change_status(
        case=asb_case.case,
        status=CaseStatus.CLOSED,
        actor=officer.user,
        message="We have closed this case.",
    )
    record_event(
        case=asb_case.case,
        kind=EventKind.NOTE,
        message=f"Outcome: {asb_case.get_outcome_display()}."
        + (f" {asb_case.outcome_note}" if note else ""),
        actor=officer.user,
    )
    for report in asb_case.reports.select_related("reporter", "asb_case__case"):
        ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.CLOSED,
            message=note_to_reporters.strip(),
            author=officer,
        )
        _tell_reporter(report, "closed", message=note_to_reporters.strip(), officer=officer)
    _audit(officer, asb_case, "closed")
    return asb_case


def _recompute_hate(asb_case: AsbCase) -> None:
    motivations = set()
    hate = False
    for is_hate, values in asb_case.reports.values_list("is_hate_incident", "hate_motivations"):
        hate = hate or is_hate
        motivations |= set(values)
    if hate:
        asb_case.is_hate_incident = True
        asb_case.hate_motivations = sorted(set(asb_case.hate_motivations) | motivations)
        asb_case.save(update_fields=["is_hate_incident", "hate_motivations"])


@transaction.atomic
def move_report(*, report: AsbReport, officer: Officer, to_case: AsbCase | None = None) -> AsbCase:
    """Join a report to another open case (the same people after all), or split it out into a case
    of its own (to_case None). What the report brought (people, diary lines, contacts, its
    first-contact promise) goes with it. A case left with no reports is closed as joined, and
    counted once in NM01."""
    source = AsbCase.objects.select_for_update().select_related("case").get(pk=report.asb_case_id)
    if to_case is not None and to_case.pk == source.pk:
        raise AsbError("The report is already on that case")
    if to_case is not None and not to_case.case.is_open:
        raise AsbError("That case is closed: a report can only join an open case")
    if source.reports.count() == 1 and to_case is None:
        raise AsbError("This is the only report on the case, so it already has a case of its own")
    now = timezone.now()
    if to_case is None:
        owner = source.case.owner
        case = open_case(
            kind=CaseKind.ASB,
            summary=f"{report.get_category_display()}: {report.summary}"[:120],
            channel=report.channel,
            resident=report.reporter,
            home=report.home,
            owner=owner,
            team=source.case.team,
            actor=officer.user,
            opened_at=report.reported_at,
        )
        target = AsbCase.objects.create(
            case=case,
            category=report.category,
            neighbourhood=source.neighbourhood,
            estate=source.estate,
            opened_at=report.reported_at,
            risk_level=source.risk_level,
        )
        set_deadline(
            case=case,
            kind=DeadlineKind.ASB_REVIEW,
            due_at=deadline_after(
                now, risk.review_working_days(target.risk_level or RiskLevel.STANDARD)
            ),
            actor=officer.user,
            visible_to_resident=False,
        )
    else:
        target = AsbCase.objects.select_for_update().select_related("case").get(pk=to_case.pk)
        target.risk_level = _higher(target.risk_level, source.risk_level)
        target.save(update_fields=["risk_level"])

    AsbReport.objects.filter(pk=report.pk).update(
        asb_case=target, joined_existing=to_case is not None
    )
    for model in (InvolvedPerson, Incident, Contact, RiskAssessment):
        model.objects.filter(report=report).update(asb_case=target)
    if report.contact_deadline_id:
        Deadline.objects.filter(pk=report.contact_deadline_id).update(case=target.case)
    refresh_next_due(source.case)
    refresh_next_due(target.case)
    _recompute_hate(target)
    record_event(
        case=target.case,
        kind=EventKind.NOTE,
        message=f"A report moved here from {source.case.reference}.",
        actor=officer.user,
    )
    record_event(
        case=source.case,
        kind=EventKind.NOTE,
        message=f"A report moved to {target.case.reference}.",
        actor=officer.user,
    )
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.JOINED,
        message=(
            "We have added your report to a case about the same people."
            if to_case is not None
            else f"Your report now has a case of its own, reference {target.case.reference}."
        ),
        author=officer,
    )
    remaining = source.reports.order_by("reported_at", "id")
    first = remaining.first()
    if first is None:
        source.merged_into = target
        source.outcome = Outcome.JOINED
        source.closed_by = officer
        source.save(update_fields=["merged_into", "outcome", "closed_by"])
        change_status(
            case=source.case,
            status=CaseStatus.CLOSED,
            actor=officer.user,
            message=f"Joined into {target.case.reference}.",
        )
    elif source.case.resident_id == report.reporter_id and first.reporter_id != report.reporter_id:
        # The case's resident sees the portal's case page: it must be a reporter still on it.
        source.case.resident_id = first.reporter_id
        source.case.home_id = first.home_id
        source.case.save(update_fields=["resident", "home", "updated_at"])
    _audit(officer, target, "report moved")
    return target
