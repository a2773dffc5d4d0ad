"""State changes for resident voice. Each is one transaction, called by views, tasks, commands and
tests alike."""

from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from engagement import selectors
from engagement.documents import check_document
from engagement.models import (
    ChangeEntry,
    ChangeSource,
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    Evidence,
    EvidenceKind,
    EvidenceRequest,
    Meeting,
    MeetingAttendance,
    MeetingPaper,
    MeetingReminder,
    MembershipEndReason,
    MembershipStatus,
    Moderation,
    Panel,
    PanelMembership,
    PaperKind,
    QuestionKind,
    Recommendation,
    RecommendationAction,
    ResponseChannel,
    ResponseDecision,
    ReviewStage,
    Rsvp,
    ScrutinyReview,
)
from portal.extensions import live_measure
from portal.models import AuditEntry, Officer, Resident
from portal.services.audit import record_audit
from portal.services.notify import OutgoingMessage, queue_notification, queue_notifications
from portal.services.refusals import Refused
from portal.uploads import download_name, stored_name


class EngagementError(Refused):
    """A request the rules do not allow, in words to show the person who made it."""


def can_publish(officer: Officer) -> bool:
    return officer.is_manager


def _require_manager(officer: Officer, what: str) -> None:
    if not can_publish(officer):
        raise EngagementError(f"Only a manager can {what}")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = slugify(text)[:70] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# -- panels ---------------------------------------------------------------------------------------------------


@transaction.atomic
def save_panel(
    *, panel: Panel, officer: Officer, estates=None, roles: list[str] | None = None
) -> Panel:
    """Create or change a panel, its estates and its portfolio roles (existing roles are kept,
    new names added, so members holding a role keep it)."""
    _require_manager(officer, "set up panels")
    creating = panel.pk is None
    if not panel.slug:
        panel.slug = unique_slug(Panel, panel.name)
    panel.save()
    if estates is not None:
        panel.open_to_estates.set(estates)
    if roles is not None:
        wanted = [name.strip() for name in roles if name.strip()]
        existing = set(panel.portfolio_roles.values_list("name", flat=True))
        for name in wanted:
            if name not in existing:
                panel.portfolio_roles.create(name=name)
        panel.portfolio_roles.exclude(name__in=wanted).filter(members__isnull=True).delete()
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.CHANGE,
        subject=f"panel {panel.slug}",
    )
    return panel


@transaction.atomic
def apply_to_panel(
    *,
    panel: Panel,
    resident: Resident,
    why: str,
    interests: str = "",
    availability: str = "",
    support_needs: list[str] | None = None,
    support_other: str = "",
) -> PanelMembership:
    """A resident asks to join. Sent twice (a double click), the second gives back the first."""
    # The panel's row is held so an application cannot slip in while a manager closes it.
    panel = Panel.objects.select_for_update(no_key=True).get(pk=panel.pk)
    existing = selectors.live_membership(panel, resident)
    if existing is not None:
        if existing.status == MembershipStatus.APPLIED:
            return existing
        raise EngagementError(f"You are already a member of the {panel.name}")
    if not panel.is_active or not panel.is_recruiting:
        raise EngagementError(f"The {panel.name} is not looking for new members at the moment")
    if not selectors.may_join(panel, resident):
        raise EngagementError(f"The {panel.name} is for {panel_audience_words(panel)}")
    try:
        with transaction.atomic():
            membership = PanelMembership.objects.create(
                panel=panel,
                resident=resident,
                why=why,
                interests=interests,
                availability=availability,
                support_needs=list(support_needs or []),
                support_other=support_other,
            )
    except IntegrityError:
        # Two submits at the same moment: the other one made the application.
        existing = selectors.live_membership(panel, resident)
        if existing is None:
            raise
        return existing
    queue_notification(
        template="engagement_application_received",
        context={"panel": panel, "membership": membership},
        resident=resident,
    )
    return membership


def panel_audience_words(panel: Panel) -> str:
    tenures = (
        " and ".join(label.lower() for label in panel.tenure_labels())
        if panel.open_to_tenures
        else ""
    )
    estates = [estate.name for estate in panel.open_to_estates.all()]
    who = f"residents in {tenures} homes" if tenures else "residents"
    if estates:
        who += " on " + ", ".join(estates)
    return who


@transaction.atomic
def withdraw_application(*, membership: PanelMembership, resident: Resident) -> PanelMembership:
    if membership.resident_id != resident.pk:
        raise EngagementError("That application is not yours")
    if membership.status != MembershipStatus.APPLIED:
        raise EngagementError("Only an application still waiting for a decision can be withdrawn")
    membership.status = MembershipStatus.WITHDRAWN
    membership.ended_at = timezone.now()
    membership.save(update_fields=["status", "ended_at"])
    return membership


@transaction.atomic
def decide_application(
    *,
    membership: PanelMembership,
    officer: Officer,
    accept: bool,
    message: str,
    portfolio_role=None,
) -> PanelMembership:
    """Accept (the term starts today) or decline, with a message the resident reads."""
    locked = PanelMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.APPLIED:
        raise EngagementError("This application has already been decided or withdrawn")
    if accept and not locked.panel.is_active:
        raise EngagementError(f"The {locked.panel.name} is closed; it cannot take new members")
    today = timezone.localdate()
    locked.decided_at = timezone.now()
    locked.decided_by = officer
    locked.decision_message = message
    if accept:
        locked.status = MembershipStatus.MEMBER
        locked.term_starts_on = today
        locked.term_ends_on = _add_months(today, locked.panel.term_months) - timedelta(days=1)
        locked.portfolio_role = portfolio_role
    else:
        locked.status = MembershipStatus.DECLINED
    locked.save()
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"panel application {locked.pk} ({locked.panel.slug})",
        resident=locked.resident,
        detail={"decision": "accepted" if accept else "declined"},
    )
    queue_notification(
        template="engagement_application_accepted" if accept else "engagement_application_declined",
        context={"panel": locked.panel, "membership": locked},
        resident=locked.resident,
    )
    return locked


@transaction.atomic
def leave_panel(
    *, membership: PanelMembership, resident: Resident, reason: str = ""
) -> PanelMembership:
    """Members can leave at any time; what they did stays in the record."""
    if membership.resident_id != resident.pk:
        raise EngagementError("That membership is not yours")
    if membership.status != MembershipStatus.MEMBER:
        raise EngagementError("You are not a member of this panel")
    membership.status = MembershipStatus.LEFT
    membership.ended_at = timezone.now()
    membership.leaving_reason = reason
    membership.save(update_fields=["status", "ended_at", "leaving_reason"])
    return membership


@transaction.atomic
def end_membership(
    *,
    membership: PanelMembership,
    officer: Officer,
    reason: str,
    message: str,
    note: str = "",
) -> PanelMembership:
    """Staff end a member's membership: their term ended, they stepped down, they moved and are
    no longer eligible, or their conduct. The reason and note are for staff; the resident gets
    the message in their preferred way. What they did on the panel stays in the record."""
    if reason not in MembershipEndReason.values:
        raise EngagementError("Choose why the membership is ending")
    if not message.strip():
        raise EngagementError("Write a message to the resident")
    locked = (
        PanelMembership.objects.select_for_update()
        .select_related("panel", "resident")
        .get(pk=membership.pk)
    )
    if locked.status != MembershipStatus.MEMBER:
        raise EngagementError("Only a member's membership can be ended")
    locked.status = MembershipStatus.ENDED
    locked.ended_at = timezone.now()
    locked.ended_by = officer
    locked.end_reason = reason
    locked.end_note = note
    locked.ending_message = message
    locked.save(
        update_fields=[
            "status",
            "ended_at",
            "ended_by",
            "end_reason",
            "end_note",
            "ending_message",
        ]
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"panel membership {locked.pk} ended ({locked.panel.slug})",
        resident=locked.resident,
        detail={"reason": reason},
    )
    queue_notification(
        template="engagement_membership_ended",
        context={"panel": locked.panel, "membership": locked},
        resident=locked.resident,
    )
    return locked


def _lock_panel(panel: Panel) -> None:
    """Hold the panel's row for the transaction and bring the caller's copy up to date."""
    Panel.objects.select_for_update().filter(pk=panel.pk).values_list("pk").first()
    panel.refresh_from_db()


@transaction.atomic
def close_panel(*, panel: Panel, officer: Officer, message: str) -> Panel:
    """A manager closes a panel: it leaves "Get involved" and takes no applications; those
    waiting are declined with the message; members are told and upcoming meetings cancelled.
    Memberships stay as they are, so reopening the panel brings its members back. Its published
    reviews stay public."""
    _require_manager(officer, "close a panel")
    if not message.strip():
        raise EngagementError("Write a message to the panel's members and applicants")
    _lock_panel(panel)
    if not panel.is_active:
        raise EngagementError(f"The {panel.name} is already closed")
    now = timezone.now()
    panel.is_active = False
    panel.closed_at = now
    panel.closed_by = officer
    panel.closing_message = message
    panel.save(update_fields=["is_active", "closed_at", "closed_by", "closing_message"])
    waiting = list(
        panel.memberships.filter(status=MembershipStatus.APPLIED).select_related("resident")
    )
    PanelMembership.objects.filter(pk__in=[m.pk for m in waiting]).update(
        status=MembershipStatus.DECLINED,
        decided_at=now,
        decided_by=officer,
        decision_message=message,
    )
    cancelled = Meeting.objects.filter(
        panel=panel, starts_at__gt=now, cancelled_at__isnull=True
    ).update(cancelled_at=now)
    members = list(selectors.current_memberships().filter(panel=panel).select_related("resident"))
    queue_notifications(
        [
            OutgoingMessage(
                template="engagement_panel_closed",
                context={"panel": panel, "applicant": True},
                resident=m.resident,
            )
            for m in waiting
        ]
        + [
            OutgoingMessage(
                template="engagement_panel_closed",
                context={"panel": panel, "applicant": False},
                resident=m.resident,
            )
            for m in members
        ]
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"panel {panel.slug} closed",
        detail={
            "applications_declined": len(waiting),
            "members_told": len(members),
            "meetings_cancelled": cancelled,
        },
    )
    return panel


@transaction.atomic
def reopen_panel(*, panel: Panel, officer: Officer) -> Panel:
    """Back on "Get involved", with the members it had. Cancelled meetings stay cancelled."""
    _require_manager(officer, "reopen a panel")
    _lock_panel(panel)
    if panel.is_active:
        raise EngagementError(f"The {panel.name} is already open")
    panel.is_active = True
    panel.closed_at = None
    panel.closed_by = None
    panel.save(update_fields=["is_active", "closed_at", "closed_by"])
    record_audit(
        actor=officer.user, action=AuditEntry.Action.CHANGE, subject=f"panel {panel.slug} reopened"
    )
    return panel


@transaction.atomic
def renew_membership(*, membership: PanelMembership, officer: Officer) -> PanelMembership:
    """Another term, from the day the current one ends (or today, if it has ended)."""
    if membership.status != MembershipStatus.MEMBER:
        raise EngagementError("Only a member's term can be renewed")
    today = timezone.localdate()
    start = max(today, (membership.term_ends_on or today) + timedelta(days=1))
    membership.term_ends_on = _add_months(start, membership.panel.term_months) - timedelta(days=1)
    membership.save(update_fields=["term_ends_on"])
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"panel membership {membership.pk} renewed",
        resident=membership.resident,
        detail={"term_ends_on": membership.term_ends_on.isoformat()},
    )
    return membership


# -- meetings -------------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    panel: Panel,
    officer: Officer,
    title: str,
    starts_at,
    ends_at=None,
    place="",
    online_link="",
    agenda="",
) -> Meeting:
    if not panel.is_active:
        raise EngagementError(f"The {panel.name} is closed; it cannot have new meetings")
    _check_meeting_details(starts_at, ends_at, place, online_link)
    return Meeting.objects.create(
        panel=panel,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        agenda=agenda,
    )


def _check_meeting_details(starts_at, ends_at, place, online_link) -> None:
    if not place and not online_link:
        raise EngagementError("Give a place, an online link, or both")
    if ends_at and ends_at <= starts_at:
        raise EngagementError("The meeting must end after it starts")


HAPPENED = (
    "This meeting has happened: only its minutes, minutes files and attendance can be added now"
)


@transaction.atomic
def change_meeting(
    *,
    meeting: Meeting,
    officer: Officer,
    title: str,
    starts_at,
    ends_at=None,
    place="",
    online_link="",
    agenda="",
) -> Meeting:
    """Change a meeting before it starts. A new time or place is sent to the members, and a new
    time means they are reminded again before it. A meeting that has happened is the record of
    what happened: only minutes and attendance are added to it."""
    locked = Meeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    now = timezone.now()
    if locked.starts_at <= now:
        raise EngagementError(HAPPENED)
    if locked.cancelled_at:
        raise EngagementError("This meeting is cancelled; add a new one instead")
    if starts_at <= now:
        raise EngagementError("Choose a time that has not passed")
    _check_meeting_details(starts_at, ends_at, place, online_link)
    moved = starts_at != locked.starts_at or ends_at != locked.ends_at
    relocated = place != locked.place or online_link != locked.online_link
    locked.title = title
    locked.starts_at = starts_at
    locked.ends_at = ends_at
    locked.place = place
    locked.online_link = online_link
    locked.agenda = agenda
    locked.save(update_fields=["title", "starts_at", "ends_at", "place", "online_link", "agenda"])
    if moved:
        locked.reminders.all().delete()
    if moved or relocated:
        _tell_panel(locked.panel, "engagement_meeting_changed", {"meeting": locked})
    return locked


@transaction.atomic
def add_meeting_paper(
    *, meeting: Meeting, officer: Officer, title: str, uploaded, kind: str = PaperKind.PAPER
) -> MeetingPaper:
    if kind not in PaperKind.values:
        raise EngagementError("Choose whether it is a meeting paper or the minutes")
    if meeting.starts_at <= timezone.now() and kind != PaperKind.MINUTES:
        raise EngagementError(HAPPENED)
    found = check_document(uploaded)
    paper = MeetingPaper(
        meeting=meeting,
        kind=kind,
        title=title,
        original_name=download_name(uploaded),
        content_type=found.content_type,
        size=uploaded.size,
        uploaded_by=officer,
    )
    paper.file.save(stored_name(found), uploaded, save=False)
    paper.save()
    return paper


@transaction.atomic
def publish_minutes(*, meeting: Meeting, officer: Officer, minutes: str) -> Meeting:
    if meeting.starts_at > timezone.now():
        raise EngagementError("Minutes can be published once the meeting has happened")
    meeting.minutes = minutes
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.save(update_fields=["minutes", "minutes_published_at"])
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, officer: Officer) -> Meeting:
    if meeting.cancelled_at:
        return meeting
    if meeting.starts_at <= timezone.now():
        raise EngagementError("A meeting that has happened cannot be cancelled")
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    _tell_panel(meeting.panel, "engagement_meeting_cancelled", {"meeting": meeting})
    return meeting


def _tell_panel(panel: Panel, template: str, context: dict) -> list:
    """One message to each current member of a panel, queued in one go through the outbox."""
    members = selectors.current_memberships().filter(panel=panel).select_related("resident")
    return queue_notifications(
        [OutgoingMessage(template=template, context=context, resident=m.resident) for m in members]
    )


@transaction.atomic
def reply_to_meeting(*, meeting: Meeting, resident: Resident, rsvp: str) -> MeetingAttendance:
    if rsvp not in Rsvp.values:
        raise EngagementError("Choose whether you are coming")
    if not selectors.member_of(meeting.panel_id, resident):
        raise EngagementError("Only members of the panel can reply")
    if meeting.cancelled_at or meeting.starts_at <= timezone.now():
        raise EngagementError("This meeting is no longer open for replies")
    attendance, _ = MeetingAttendance.objects.update_or_create(
        meeting=meeting, resident=resident, defaults={"rsvp": rsvp, "responded_at": timezone.now()}
    )
    return attendance


@transaction.atomic
def record_attendance(*, meeting: Meeting, officer: Officer, present_resident_ids) -> int:
    """After the meeting: who came. Everyone else who replied is recorded as not there."""
    if meeting.starts_at > timezone.now():
        raise EngagementError("Attendance can be recorded once the meeting has started")
    present = {int(pk) for pk in present_resident_ids}
    members = set(
        selectors.current_memberships()
        .filter(panel=meeting.panel)
        .values_list("resident_id", flat=True)
    ) | set(MeetingAttendance.objects.filter(meeting=meeting).values_list("resident_id", flat=True))
    for resident_id in members:
        MeetingAttendance.objects.update_or_create(
            meeting=meeting, resident_id=resident_id, defaults={"attended": resident_id in present}
        )
    return len(present & members)


def send_meeting_reminders(*, now=None) -> int:
    """Remind each current member of a meeting starting within the reminder window, once each.

    The meeting row is locked while its reminders are written, so two sweeps at once cannot both
    remind the same member; the unique constraint on (meeting, resident) is the backstop."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.ENGAGEMENT_MEETING_REMINDER_HOURS)
    due = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=horizon, cancelled_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for meeting_id in list(due):
        sent += _remind_members(meeting_id, now)
    return sent


@transaction.atomic
def _remind_members(meeting_id: int, now) -> int:
    meeting = Meeting.objects.select_for_update().select_related("panel").get(pk=meeting_id)
    already = MeetingReminder.objects.filter(meeting=meeting).values("resident")
    members = (
        selectors.current_memberships()
        .filter(panel=meeting.panel)
        .exclude(resident__in=already)
        .select_related("resident")
    )
    residents = [membership.resident for membership in members]
    notifications = queue_notifications(
        [
            OutgoingMessage(
                template="engagement_meeting_reminder",
                context={"meeting": meeting},
                resident=resident,
            )
            for resident in residents
        ]
    )
    MeetingReminder.objects.bulk_create(
        [
            MeetingReminder(
                meeting=meeting, resident=resident, notification=notification, sent_at=now
            )
            for resident, notification in zip(residents, notifications, strict=True)
        ]
    )
    return len(residents)


# -- scrutiny -------------------------------------------------------------------------------------------------


@transaction.atomic
def open_review(
    *,
    panel: Panel,
    officer: Officer,
    title: str,
    service: str,
    scope: str,
    questions: str,
    starts_on: date,
    report_due_on: date,
    timetable: str = "",
) -> ScrutinyReview:
    if report_due_on < starts_on:
        raise EngagementError("The report must be due after the review starts")
    return ScrutinyReview.objects.create(
        panel=panel,
        title=title,
        slug=unique_slug(ScrutinyReview, title),
        service=service,
        scope=scope,
        questions=questions,
        starts_on=starts_on,
        report_due_on=report_due_on,
        timetable=timetable,
        stage=ReviewStage.GATHERING,
    )


@transaction.atomic
def ask_for_evidence(
    *, review: ScrutinyReview, asked: str, resident: Resident | None = None
) -> EvidenceRequest:
    if review.published_at:
        raise EngagementError("This review is finished")
    if resident is not None and not selectors.member_of(review.panel_id, resident):
        raise EngagementError("Only members of the panel can ask for evidence")
    return EvidenceRequest.objects.create(review=review, asked=asked, asked_by=resident)


def _answer_request(request: EvidenceRequest | None) -> None:
    if request is not None and request.answered_at is None:
        request.answered_at = timezone.now()
        request.save(update_fields=["answered_at"])


@transaction.atomic
def add_document_evidence(
    *,
    review: ScrutinyReview,
    officer: Officer,
    title: str,
    uploaded,
    notes: str = "",
    request: EvidenceRequest | None = None,
) -> Evidence:
    found = check_document(uploaded)
    evidence = Evidence(
        review=review,
        request=request,
        kind=EvidenceKind.DOCUMENT,
        title=title,
        notes=notes,
        original_name=download_name(uploaded),
        content_type=found.content_type,
        added_by=officer,
    )
    evidence.file.save(stored_name(found), uploaded, save=False)
    evidence.save()
    _answer_request(request)
    return evidence


@transaction.atomic
def add_figure_evidence(
    *,
    review: ScrutinyReview,
    officer: Officer,
    measure_key: str,
    period_start: date,
    period_end: date,
    notes: str = "",
    request: EvidenceRequest | None = None,
) -> Evidence:
    """A live figure the portal holds, computed now for the period and stored as it stands, so
    the panel's evidence does not change under it when later records arrive."""
    measure = live_measure(measure_key)
    if measure is None:
        raise EngagementError("That figure is not available")
    if period_end < period_start:
        raise EngagementError("The period must end after it starts")
    result = measure.compute(period_start, period_end)
    evidence = Evidence.objects.create(
        review=review,
        request=request,
        kind=EvidenceKind.FIGURE,
        title=measure.label,
        notes=notes,
        measure_key=measure.key,
        period_start=period_start,
        period_end=period_end,
        met=result.met,
        total=result.total,
        percent=result.percent,
        added_by=officer,
    )
    _answer_request(request)
    return evidence


@transaction.atomic
def record_findings(
    *, review: ScrutinyReview, officer: Officer, findings: str, summary: str
) -> ScrutinyReview:
    if review.published_at:
        raise EngagementError("This review is published; its findings cannot change")
    review.findings = findings
    review.summary = summary
    if review.stage in (ReviewStage.SCOPING, ReviewStage.GATHERING):
        review.stage = ReviewStage.REPORTING
    review.save(update_fields=["findings", "summary", "stage"])
    return review


@transaction.atomic
def add_recommendation(*, review: ScrutinyReview, officer: Officer, text: str) -> Recommendation:
    locked = ScrutinyReview.objects.select_for_update().get(pk=review.pk)
    if (
        locked.stage in (ReviewStage.AWAITING_RESPONSE, ReviewStage.RESPONDED)
        or locked.published_at
    ):
        raise EngagementError(
            "The recommendations have been sent to the landlord; no more can be added"
        )
    number = (locked.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    if locked.stage != ReviewStage.REPORTING:
        locked.stage = ReviewStage.REPORTING
        locked.save(update_fields=["stage"])
    return Recommendation.objects.create(review=locked, number=number, text=text)


@transaction.atomic
def send_recommendations(*, review: ScrutinyReview, officer: Officer) -> ScrutinyReview:
    """The panel's report goes to the landlord, who must answer each recommendation."""
    if not review.recommendations.exists():
        raise EngagementError("Add at least one recommendation first")
    if not review.findings:
        raise EngagementError("Record the panel's findings first")
    review.stage = ReviewStage.AWAITING_RESPONSE
    review.save(update_fields=["stage"])
    return review


@transaction.atomic
def respond_to_recommendation(
    *, recommendation: Recommendation, officer: Officer, decision: str, reasons: str
) -> Recommendation:
    # Locked, so two officers answering the last two at once still move the review on once.
    review = (
        ScrutinyReview.objects.select_for_update()
        .select_related("panel")
        .get(pk=recommendation.review_id)
    )
    if review.stage not in (ReviewStage.AWAITING_RESPONSE, ReviewStage.RESPONDED):
        raise EngagementError("The panel has not sent its recommendations yet")
    if review.published_at:
        raise EngagementError("This review is published; its responses cannot change")
    if decision not in ResponseDecision.values:
        raise EngagementError("Choose whether the recommendation is accepted")
    if not reasons.strip():
        raise EngagementError("Give the reasons for the decision")
    recommendation.decision = decision
    recommendation.reasons = reasons
    recommendation.responded_at = timezone.now()
    recommendation.responded_by = officer
    recommendation.save(update_fields=["decision", "reasons", "responded_at", "responded_by"])
    if (
        not review.recommendations.filter(decision="").exists()
        and review.stage != ReviewStage.RESPONDED
    ):
        review.stage = ReviewStage.RESPONDED
        review.save(update_fields=["stage"])
        _tell_panel(review.panel, "engagement_review_responded", {"review": review})
    return recommendation


@transaction.atomic
def add_action(
    *,
    recommendation: Recommendation,
    officer: Officer,
    description: str,
    due_on: date,
    owner: Officer | None = None,
) -> RecommendationAction:
    if recommendation.decision == ResponseDecision.NOT_ACCEPTED:
        raise EngagementError("A recommendation that is not accepted has no actions")
    return RecommendationAction.objects.create(
        recommendation=recommendation,
        description=description,
        due_on=due_on,
        owner=owner or officer,
    )


@transaction.atomic
def complete_action(
    *, action: RecommendationAction, officer: Officer, note: str = ""
) -> RecommendationAction:
    if action.done_on:
        return action
    action.done_on = timezone.localdate()
    action.done_note = note
    action.save(update_fields=["done_on", "done_note"])
    return action


@transaction.atomic
def publish_review(*, review: ScrutinyReview, officer: Officer) -> ScrutinyReview:
    _require_manager(officer, "publish a scrutiny review")
    review = ScrutinyReview.objects.select_for_update().get(pk=review.pk)
    if review.stage != ReviewStage.RESPONDED:
        raise EngagementError("Answer every recommendation before publishing the review")
    if not review.summary:
        raise EngagementError("Write a short summary for the public page first")
    review.published_at = review.published_at or timezone.now()
    review.save(update_fields=["published_at"])
    return review


# -- consultations ------------------------------------------------------------------------------------------


@transaction.atomic
def save_consultation(
    *, consultation: Consultation, officer: Officer, uploaded=None
) -> Consultation:
    _require_manager(officer, "set up a consultation")
    if consultation.closes_at <= consultation.opens_at:
        raise EngagementError("The consultation must close after it opens")
    if not consultation.slug:
        consultation.slug = unique_slug(Consultation, consultation.title)
    if consultation.created_by_id is None:
        consultation.created_by = officer
    if uploaded is not None:
        found = check_document(uploaded)
        consultation.document_name = download_name(uploaded)
        consultation.document_content_type = found.content_type
        consultation.document.save(stored_name(found), uploaded, save=False)
    consultation.save()
    return consultation


@transaction.atomic
def add_question(
    *,
    consultation: Consultation,
    officer: Officer,
    text: str,
    kind: str,
    choices: list[str] | None = None,
    hint: str = "",
    required: bool = False,
) -> ConsultationQuestion:
    if consultation.responses.exists():
        raise EngagementError("People have started answering; the questions cannot change now")
    choices = [c.strip() for c in (choices or []) if c.strip()]
    if kind == QuestionKind.CHOICE and len(choices) < 2:
        raise EngagementError("Give at least two answers to choose from")
    number = (consultation.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ConsultationQuestion.objects.create(
        consultation=consultation,
        number=number,
        text=text,
        hint=hint,
        kind=kind,
        choices=choices if kind == QuestionKind.CHOICE else [],
        required=required,
    )


class AlreadyAnswered(EngagementError):
    def __init__(self, response):
        super().__init__("You have already answered this consultation")
        self.response = response


def submit_response(
    *,
    consultation: Consultation,
    answers: dict,
    resident: Resident | None = None,
    channel: str = ResponseChannel.WEB,
    entered_by: Officer | None = None,
    submission_token=None,
    now=None,
) -> ConsultationResponse:
    """One response per resident per consultation. Online answers are taken while it is open;
    staff may enter answers that came on paper or by phone until the results are published.
    Free-text answers wait for moderation before anyone else sees them. The same token twice
    (a double submit) gives back the first response."""
    now = now or timezone.now()
    token = uuid.UUID(str(submission_token)) if submission_token else None
    if token is not None:
        existing = ConsultationResponse.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _submit_response(
                consultation, answers, resident, channel, entered_by, token, now
            )
    except IntegrityError:
        # Sent twice at the same moment: the same form's first copy won; another form, too late.
        if token is not None:
            existing = ConsultationResponse.objects.filter(submission_token=token).first()
            if existing is not None:
                return existing
        existing = selectors.response_of(consultation, resident)
        if existing is None:
            raise
        raise AlreadyAnswered(existing) from None


def _submit_response(consultation, answers, resident, channel, entered_by, token, now):
    if entered_by is None:
        if not consultation.is_open(now):
            raise EngagementError(
                "This consultation has closed"
                if consultation.has_closed(now)
                else "This consultation is not open yet"
            )
    elif consultation.results_published_at or now < consultation.opens_at:
        raise EngagementError(
            "Answers can be entered from when the consultation opens until its results are published"
        )
    if resident is not None:
        if not selectors.may_answer(consultation, resident):
            raise EngagementError(f"This consultation is for {consultation.audience_words.lower()}")
        previous = selectors.response_of(consultation, resident)
        if previous is not None:
            raise AlreadyAnswered(previous)
    questions = {q.pk: q for q in consultation.questions.all()}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(int(question_id))
        value = (value or "").strip()
        if question is None or not value:
            continue
        if question.kind == QuestionKind.TEXT:
            rows.append(
                ConsultationAnswer(question=question, text=value, moderation=Moderation.PENDING)
            )
        elif value in question.options:
            rows.append(ConsultationAnswer(question=question, choice=value))
        else:
            raise EngagementError(f"Choose one of the answers to question {question.number}")
    missing = [
        q.number
        for q in questions.values()
        if q.required and q.pk not in {r.question_id for r in rows}
    ]
    if missing:
        raise EngagementError(f"Answer question {missing[0]}")
    if not rows:
        raise EngagementError("Answer at least one question")
    response = ConsultationResponse.objects.create(
        consultation=consultation,
        resident=resident,
        channel=channel,
        entered_by=entered_by,
        submitted_at=now,
        submission_token=token,
    )
    for row in rows:
        row.response = response
    ConsultationAnswer.objects.bulk_create(rows)
    if entered_by is not None and resident is not None:
        record_audit(
            actor=entered_by.user,
            action=AuditEntry.Action.CREATE,
            subject=f"consultation answer ({consultation.slug}) by {ResponseChannel(channel).label.lower()}",
            resident=resident,
        )
    return response


def announce_open_consultations(*, now=None, batch: int = 1000, max_batches: int = 50) -> int:
    """Tell the residents a consultation asks, once each, that it is open. Residents are taken in
    order of id, a batch at a time, each batch one transaction that moves the consultation's
    cursor on with the messages it queues: a sweep that stops half way carries on next time, and
    two sweeps at once wait for each other on the consultation's row."""
    now = now or timezone.now()
    due = Consultation.objects.filter(
        tell_residents=True, announced_at__isnull=True, opens_at__lte=now, closes_at__gt=now
    ).values_list("pk", flat=True)
    told = 0
    for consultation_id in list(due):
        for _ in range(max_batches):
            sent, finished = _announce_batch(consultation_id, now, batch)
            told += sent
            if finished:
                break
    return told


@transaction.atomic
def _announce_batch(consultation_id: int, now, batch: int) -> tuple[int, bool]:
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if consultation.announced_at is not None:
        return 0, True
    residents = list(
        selectors.residents_asked(consultation)
        .filter(pk__gt=consultation.announced_up_to)
        .order_by("pk")[:batch]
    )
    queue_notifications(
        [
            OutgoingMessage(
                template="engagement_consultation_open",
                context={"consultation": consultation},
                resident=resident,
            )
            for resident in residents
        ]
    )
    finished = len(residents) < batch
    if residents:
        consultation.announced_up_to = residents[-1].pk
    if finished:
        consultation.announced_at = now
    consultation.save(update_fields=["announced_up_to", "announced_at"])
    return len(residents), finished


@transaction.atomic
def moderate_comment(
    *, answer: ConsultationAnswer, officer: Officer, approve: bool
) -> ConsultationAnswer:
    if answer.question.kind != QuestionKind.TEXT:
        raise EngagementError("Only comments are moderated")
    answer.moderation = Moderation.APPROVED if approve else Moderation.REJECTED
    answer.moderated_by = officer
    answer.moderated_at = timezone.now()
    answer.save(update_fields=["moderation", "moderated_by", "moderated_at"])
    return answer


@transaction.atomic
def publish_results(
    *, consultation: Consultation, officer: Officer, results_summary: str, now=None
) -> Consultation:
    _require_manager(officer, "publish consultation results")
    if not consultation.has_closed(now):
        raise EngagementError("Results can be published once the consultation has closed")
    consultation.results_summary = results_summary
    consultation.results_published_at = consultation.results_published_at or timezone.now()
    consultation.save(update_fields=["results_summary", "results_published_at"])
    return consultation


@transaction.atomic
def publish_outcome(
    *,
    consultation: Consultation,
    officer: Officer,
    you_told_us: str,
    we_changed: str,
    add_to_you_said_we_did: bool = True,
) -> Consultation:
    """What you told us and what we changed; also a "you said, we did" entry linked to it."""
    _require_manager(officer, "publish what changed")
    if not consultation.results_published_at:
        raise EngagementError("Publish the results first")
    consultation.you_told_us = you_told_us
    consultation.we_changed = we_changed
    consultation.outcome_published_at = consultation.outcome_published_at or timezone.now()
    consultation.save(update_fields=["you_told_us", "we_changed", "outcome_published_at"])
    if add_to_you_said_we_did and not consultation.changes.exists():
        ChangeEntry.objects.create(
            source=ChangeSource.CONSULTATION,
            consultation=consultation,
            you_said=you_told_us,
            we_did=we_changed,
            made_on=timezone.localdate(),
            published_at=timezone.now(),
            created_by=officer,
        )
    return consultation


# -- you said, we did ---------------------------------------------------------------------------------------


@transaction.atomic
def record_change(
    *,
    officer: Officer,
    source: str,
    you_said: str,
    we_did: str,
    made_on: date,
    review=None,
    consultation=None,
    panel=None,
    publish: bool = False,
) -> ChangeEntry:
    if publish:
        _require_manager(officer, "publish a change")
    if source == ChangeSource.SCRUTINY and review is None:
        raise EngagementError("Choose the scrutiny review it came from")
    if source == ChangeSource.CONSULTATION and consultation is None:
        raise EngagementError("Choose the consultation it came from")
    if source == ChangeSource.PANEL and panel is None:
        raise EngagementError("Choose the panel it came from")
    return ChangeEntry.objects.create(
        source=source,
        review=review if source == ChangeSource.SCRUTINY else None,
        consultation=consultation if source == ChangeSource.CONSULTATION else None,
        panel=panel if source == ChangeSource.PANEL else None,
        you_said=you_said,
        we_did=we_did,
        made_on=made_on,
        published_at=timezone.now() if publish else None,
        created_by=officer,
    )


@transaction.atomic
def set_change_published(*, entry: ChangeEntry, officer: Officer, published: bool) -> ChangeEntry:
    _require_manager(officer, "publish a change")
    entry.published_at = (entry.published_at or timezone.now()) if published else None
    entry.save(update_fields=["published_at"])
    return entry
