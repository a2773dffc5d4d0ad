"""Every change to the charter and the customer voice report: keyword-only, one transaction each.

Adopted and replaced charter versions are a public record: nothing here changes them except
adoption itself (which replaces the previous one). A published customer voice report is frozen.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from charter.measures import MEASURES_BY_KEY
from charter.models import (
    CharterSection,
    CharterVersion,
    CommentStatus,
    ConsultationNotice,
    CustomerVoiceReport,
    Promise,
    PromiseComment,
    ResidentCommitment,
    VersionStatus,
)
from portal.models import AuditEntry, Resident, Tenancy
from portal.services.audit import record_audit
from portal.services.notify import OutgoingMessage, queue_notification, queue_notifications
from portal.services.refusals import Refused

logger = logging.getLogger(__name__)


class CharterError(Refused):
    """A change the charter's rules do not allow; the message is for the person who tried."""


def _require_editable(version: CharterVersion) -> None:
    if not version.is_editable:
        raise CharterError(
            f"Version {version.number} has been {version.get_status_display().lower()} and cannot be changed. "
            "Start a new draft instead."
        )


def _locked(version: CharterVersion) -> CharterVersion:
    """Re-read the version under a row lock, so a concurrent adoption cannot slip past our check."""
    return CharterVersion.objects.select_for_update().get(pk=version.pk)


def _check_measure(measure_key: str) -> None:
    if measure_key and measure_key not in MEASURES_BY_KEY:
        raise CharterError("Choose a measure from the list")


# -- versions -----------------------------------------------------------------------------------------


@transaction.atomic
def start_draft(*, officer, copy_from: CharterVersion | None = None) -> CharterVersion:
    """A new draft version, as a copy of `copy_from` (usually the adopted charter) or empty."""
    number = (CharterVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CharterVersion.objects.create(
        number=number,
        title=copy_from.title if copy_from else "Our tenant charter",
        introduction=copy_from.introduction if copy_from else "",
        created_by=officer,
    )
    if copy_from is not None:
        Promise.objects.bulk_create(
            Promise(
                version=version,
                section=p.section,
                position=p.position,
                text=p.text,
                measure_key=p.measure_key,
                target_percent=p.target_percent,
            )
            for p in copy_from.promises.all()
        )
        ResidentCommitment.objects.bulk_create(
            ResidentCommitment(version=version, position=c.position, text=c.text)
            for c in copy_from.commitments.all()
        )
    return version


@transaction.atomic
def update_version(
    *, version: CharterVersion, officer, title: str, introduction: str
) -> CharterVersion:
    version = _locked(version)
    _require_editable(version)
    version.title = title.strip()
    version.introduction = introduction.strip()
    version.save(update_fields=["title", "introduction", "updated_at"])
    return version


@transaction.atomic
def open_consultation(
    *, version: CharterVersion, officer, closes_on: date, consultation=None
) -> CharterVersion:
    """Put a draft out for consultation: residents can comment on each promise until closes_on,
    and every resident with a current tenancy is told, once, by a task that starts after commit."""
    if not officer.is_manager:
        raise CharterError("Only a manager can put the charter out for consultation")
    version = _locked(version)
    if version.status != VersionStatus.DRAFT:
        raise CharterError("Only a draft can be put out for consultation")
    if closes_on < timezone.localdate():
        raise CharterError("The closing date must be today or in the future")
    if not version.promises.exists():
        raise CharterError("Add at least one promise before you consult on the charter")
    version.status = VersionStatus.CONSULTATION
    version.consultation_opened_at = timezone.now()
    version.consultation_closes_on = closes_on
    version.consultation = consultation
    # Opened again after a withdrawal: residents already told are not told again (the unique
    # notice per resident sees to that), but those who have moved in since are.
    version.announced_up_to = 0
    version.announced_at = None
    version.withdrawn_at = None
    version.withdrawn_by = None
    version.withdrawal_reason = ""
    version.save(
        update_fields=[
            "status",
            "consultation_opened_at",
            "consultation_closes_on",
            "consultation",
            "announced_up_to",
            "announced_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "updated_at",
        ]
    )
    _start_telling_residents(version)
    return version


@transaction.atomic
def withdraw_consultation(*, version: CharterVersion, officer, reason: str) -> CharterVersion:
    """Take a consultation back to a draft before it closes. Comments already made are kept (staff
    still see and moderate them); the public consultation page says it was withdrawn, and why."""
    if not officer.is_manager:
        raise CharterError("Only a manager can withdraw a consultation")
    version = _locked(version)
    if version.status in VersionStatus.public():
        raise CharterError(
            f"Version {version.number} has been {version.get_status_display().lower()}: "
            "its consultation cannot be withdrawn"
        )
    if version.status != VersionStatus.CONSULTATION:
        raise CharterError(f"Version {version.number} is not out for consultation")
    if not version.consultation_is_open():
        raise CharterError("This consultation has closed: it can no longer be withdrawn")
    reason = reason.strip()
    if not reason:
        raise CharterError("Say why the consultation is being withdrawn")
    version.status = VersionStatus.DRAFT
    version.withdrawn_at = timezone.now()
    version.withdrawn_by = officer
    version.withdrawal_reason = reason
    version.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"charter version {version.number}: consultation withdrawn",
        detail={
            "reason": reason,
            "closes_on": version.consultation_closes_on.isoformat()
            if version.consultation_closes_on
            else None,
        },
    )
    return version


# -- telling residents about a consultation ----------------------------------------------------------


def _start_telling_residents(version: CharterVersion) -> None:
    version_id = version.pk

    def start():
        from charter.tasks import tell_residents_of_consultation

        try:
            tell_residents_of_consultation.delay(version_id)
        except Exception:  # the broker is down: the sweep carries on with it later
            logger.exception("Could not queue telling residents of charter version %s", version_id)

    transaction.on_commit(start)


def residents_to_tell():
    """Everyone with a current tenancy, as a query (never a list): 300,000 residents."""
    current = Tenancy.objects.filter(residents=OuterRef("pk"), end_date__isnull=True)
    return Resident.objects.filter(Exists(current))


def tell_residents_chunk(*, version: CharterVersion, size: int | None = None) -> bool:
    """Tell the next residents, in order of id after the version's cursor, that the draft is out
    for consultation, in their preferred channel through the outbox. One transaction: the notices,
    the messages and the cursor move together, so a chunk that fails is tried again whole and
    nobody is told twice. Returns True while more residents remain."""
    size = size or settings.CHARTER_ANNOUNCE_CHUNK_SIZE
    with transaction.atomic():
        version = _locked(version)
        if version.status != VersionStatus.CONSULTATION or version.announced_at is not None:
            return False  # withdrawn, adopted, or everyone has been told
        if not version.consultation_is_open():
            return False  # closed before we reached everyone: too late to ask them
        told = ConsultationNotice.objects.filter(version=version, resident=OuterRef("pk"))
        residents = list(
            residents_to_tell()
            .filter(pk__gt=version.announced_up_to)
            .exclude(Exists(told))
            .order_by("pk")[:size]
        )
        if residents:
            context = {
                "version": version,
                "promise_count": version.promises.count(),
                "url": settings.SITE_URL + reverse("charter:consultation", args=[version.number]),
            }
            notifications = queue_notifications(
                [
                    OutgoingMessage(
                        template="charter_consultation_open",
                        context=context,
                        resident=resident,
                    )
                    for resident in residents
                ]
            )
            now = timezone.now()
            ConsultationNotice.objects.bulk_create(
                ConsultationNotice(
                    version=version,
                    resident=resident,
                    channel=notification.channel,
                    notification=notification,
                    told_at=now,
                )
                for resident, notification in zip(residents, notifications, strict=True)
            )
            version.announced_up_to = residents[-1].pk
        finished = len(residents) < size
        if finished:
            version.announced_at = timezone.now()
        version.save(update_fields=["announced_up_to", "announced_at"])
        return not finished


def unfinished_announcement_ids(*, older_than_seconds: int = 120) -> list[int]:
    """Versions whose residents a lost task left half told (the broker was down, a worker died)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        CharterVersion.objects.filter(
            status=VersionStatus.CONSULTATION,
            announced_at__isnull=True,
            consultation_opened_at__lt=cutoff,
            consultation_closes_on__gte=timezone.localdate(),
        ).values_list("pk", flat=True)[:20]
    )


@transaction.atomic
def adopt_version(*, version: CharterVersion, officer) -> CharterVersion:
    """Adopt a draft (or a version out for consultation): it becomes the charter, and the one
    adopted before it is kept, replaced. The unique constraint on the adopted status is the last
    word if two managers adopt at once."""
    if not officer.is_manager:
        raise CharterError("Only a manager can adopt the charter")
    version = _locked(version)
    _require_editable(version)
    if not version.promises.exists():
        raise CharterError("A charter needs at least one promise before it can be adopted")
    now = timezone.now()
    CharterVersion.objects.filter(status=VersionStatus.ADOPTED).update(
        status=VersionStatus.REPLACED, replaced_at=now
    )
    version.status = VersionStatus.ADOPTED
    version.adopted_at = now
    version.adopted_by = officer
    version.save(update_fields=["status", "adopted_at", "adopted_by", "updated_at"])
    return version


# -- promises and what we ask -------------------------------------------------------------------------


@transaction.atomic
def add_promise(
    *,
    version: CharterVersion,
    officer,
    section: str,
    text: str,
    measure_key: str = "",
    target_percent=None,
) -> Promise:
    version = _locked(version)
    _require_editable(version)
    _check_measure(measure_key)
    CharterSection(section)
    position = (version.promises.filter(section=section).aggregate(n=Max("position"))["n"] or 0) + 1
    return Promise.objects.create(
        version=version,
        section=section,
        position=position,
        text=text.strip(),
        measure_key=measure_key,
        target_percent=Decimal(target_percent) if target_percent not in (None, "") else None,
    )


def _close_gap(queryset, position: int) -> None:
    # One row at a time, lowest first, so each moves into the place just freed and the unique
    # (version, section, position) constraint holds throughout.
    for item in queryset.filter(position__gt=position).order_by("position"):
        item.position -= 1
        item.save(update_fields=["position"])


@transaction.atomic
def update_promise(
    *,
    promise: Promise,
    officer,
    section: str,
    text: str,
    measure_key: str = "",
    target_percent=None,
) -> Promise:
    version = _locked(promise.version)
    _require_editable(version)
    _check_measure(measure_key)
    CharterSection(section)
    promise = Promise.objects.get(pk=promise.pk)
    if section != promise.section:
        old_section, old_position = promise.section, promise.position
        promise.section = section
        promise.position = (
            version.promises.filter(section=section).aggregate(n=Max("position"))["n"] or 0
        ) + 1
        promise.save(update_fields=["section", "position"])
        _close_gap(version.promises.filter(section=old_section), old_position)
    promise.text = text.strip()
    promise.measure_key = measure_key
    promise.target_percent = Decimal(target_percent) if target_percent not in (None, "") else None
    promise.save(update_fields=["text", "measure_key", "target_percent"])
    return promise


@transaction.atomic
def remove_promise(*, promise: Promise, officer) -> None:
    version = _locked(promise.version)
    _require_editable(version)
    if promise.comments.exists():
        raise CharterError(
            "Residents have commented on this promise: change its words instead of removing it"
        )
    section, position = promise.section, promise.position
    promise.delete()
    _close_gap(version.promises.filter(section=section), position)


@transaction.atomic
def add_commitment(*, version: CharterVersion, officer, text: str) -> ResidentCommitment:
    version = _locked(version)
    _require_editable(version)
    position = (version.commitments.aggregate(n=Max("position"))["n"] or 0) + 1
    return ResidentCommitment.objects.create(version=version, position=position, text=text.strip())


@transaction.atomic
def update_commitment(*, commitment: ResidentCommitment, officer, text: str) -> ResidentCommitment:
    _require_editable(_locked(commitment.version))
    commitment.text = text.strip()
    commitment.save(update_fields=["text"])
    return commitment


@transaction.atomic
def remove_commitment(*, commitment: ResidentCommitment, officer) -> None:
    version = _locked(commitment.version)
    _require_editable(version)
    position = commitment.position
    commitment.delete()
    _close_gap(version.commitments.all(), position)


# -- consultation comments ----------------------------------------------------------------------------


@transaction.atomic
def comment_on_promise(
    *, promise: Promise, resident, text: str, submission_token: uuid.UUID | None = None
):
    """A resident's comment on a promise in a charter out for consultation. It waits for
    moderation before anyone else sees it. The same form sent twice makes one comment."""
    version = _locked(promise.version)
    if not version.consultation_is_open():
        raise CharterError("This consultation has closed")
    text = text.strip()
    if not text:
        raise CharterError("Enter your comment")
    token = submission_token or uuid.uuid4()
    comment, _ = PromiseComment.objects.get_or_create(
        submission_token=token,
        defaults={
            "promise": promise,
            "resident": resident,
            "text": text,
            "promise_text": promise.text,
        },
    )
    return comment


@transaction.atomic
def moderate_comment(
    *, comment: PromiseComment, officer, publish: bool, reason: str = ""
) -> PromiseComment:
    comment = (
        PromiseComment.objects.select_for_update()
        .select_related("promise__version", "resident")
        .get(pk=comment.pk)
    )
    if comment.status != CommentStatus.PENDING:
        raise CharterError("This comment has already been moderated")
    if not publish and not reason.strip():
        raise CharterError("Say why the comment will not be published: the resident is told")
    comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    comment.moderated_by = officer
    comment.moderated_at = timezone.now()
    comment.moderation_reason = reason.strip()
    comment.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason"])
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        resident=comment.resident,
        subject=f"charter comment {comment.pk}: {comment.get_status_display().lower()}",
    )
    queue_notification(
        template="charter_comment_moderated",
        context={
            "comment": comment,
            "promise": comment.promise,
            "version": comment.promise.version,
        },
        resident=comment.resident,
    )
    return comment


# -- customer voice report ----------------------------------------------------------------------------


@transaction.atomic
def save_voice_report(
    *, year: int, user, foreword: str, what_changed: str, looking_ahead: str
) -> CustomerVoiceReport:
    """The customer committee's (or staff's) words for a year's report, until it is published."""
    report, _ = CustomerVoiceReport.objects.select_for_update().get_or_create(year=year)
    if report.is_published:
        raise CharterError(f"The {report.label} report has been published and cannot be changed")
    report.foreword = foreword.strip()
    report.what_changed = what_changed.strip()
    report.looking_ahead = looking_ahead.strip()
    report.last_edited_at = timezone.now()
    report.last_edited_by = user
    report.save()
    return report


@transaction.atomic
def publish_voice_report(
    *, report: CustomerVoiceReport, officer, today: date | None = None
) -> CustomerVoiceReport:
    """Publish a year's report, freezing the committee's words and the evidence as they stand."""
    from charter.selectors import voice_report_evidence

    if not officer.is_manager:
        raise CharterError("Only a manager can publish the customer voice report")
    report = CustomerVoiceReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise CharterError(f"The {report.label} report has already been published")
    if not report.foreword.strip() and not report.what_changed.strip():
        raise CharterError(
            "Write the committee's foreword or what residents changed before publishing"
        )
    evidence = voice_report_evidence(report.year, today=today)
    report.published_content = {
        "foreword": report.foreword,
        "what_changed": report.what_changed,
        "looking_ahead": report.looking_ahead,
        "evidence": evidence,
    }
    report.published_at = timezone.now()
    report.published_by = officer
    report.save(update_fields=["published_content", "published_at", "published_by"])
    return report
