"""Writing, publishing and sending newsletters and service notices.

Sending is a Mailing, worked through in chunks of about NEWS_SEND_CHUNK_SIZE residents by a Celery
task. Each chunk is one transaction: it locks the mailing (one sender at a time), takes the next
residents in the audience by primary key after the mailing's cursor, writes one Delivery per
resident (unique per mailing) and queues their messages in the outbox with one bulk insert. A
chunk that fails rolls back whole; running a mailing again sends only to those who have no
Delivery yet. So publishing twice sends once, and at 300,000 residents only one chunk is ever
held in memory.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from engagement.news.images import clean_image
from engagement.news.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Issue,
    IssueStatus,
    Mailing,
    MailingKind,
    Notice,
    NoticeUpdate,
    Section,
)
from portal.models import Channel, Landlord, Notification, NotificationStatus, Resident, Tenancy
from portal.services import notify
from portal.services.refusals import Refused

logger = logging.getLogger(__name__)

TEMPLATES = {
    MailingKind.ISSUE: "news_issue",
    MailingKind.NOTICE: "news_notice",
    MailingKind.NOTICE_UPDATE: "news_notice_update",
}


class NewsError(Refused):
    """A change that is not allowed; the message is written for the member of staff."""


def can_publish(officer) -> bool:
    return officer is not None and officer.is_manager


def _require_publisher(officer):
    if not can_publish(officer):
        raise NewsError("Only a manager can publish to residents")


# -- writing an issue ----------------------------------------------------------------------------------------


@transaction.atomic
def start_issue(*, officer, title: str, summary: str, submission_token=None) -> Issue:
    """A new draft issue. The same submission token twice gives back the first draft."""
    if submission_token is not None:
        existing = Issue.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    return Issue.objects.create(
        title=title.strip(),
        summary=summary.strip(),
        written_by=officer,
        submission_token=submission_token,
    )


def _require_draft(issue):
    if issue.status != IssueStatus.DRAFT:
        raise NewsError("This issue has been published and sent; it can no longer be changed")


@transaction.atomic
def edit_issue(*, issue: Issue, title: str, summary: str) -> Issue:
    _require_draft(issue)
    issue.title, issue.summary = title.strip(), summary.strip()
    issue.save(update_fields=["title", "summary", "updated_at"])
    return issue


@transaction.atomic
def add_section(
    *, issue: Issue, heading: str, text: str, image=None, image_alt: str = ""
) -> Section:
    """Add a section at the end of the issue. The picture, if any, is checked (JPG or PNG, within
    the size limit) and stored without its metadata; it needs a description for screen readers."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _require_draft(issue)
    position = (issue.sections.aggregate(last=Max("position"))["last"] or 0) + 1
    section = Section(issue=issue, position=position, heading=heading.strip(), text=text.strip())
    _set_image(section, image, image_alt)
    section.save()
    return section


@transaction.atomic
def edit_section(
    *,
    section: Section,
    heading: str,
    text: str,
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
) -> Section:
    _require_draft(section.issue)
    section.heading, section.text = heading.strip(), text.strip()
    if remove_image and section.image:
        _forget_image(section)
    if image is not None:
        if section.image:
            _forget_image(section)
        _set_image(section, image, image_alt)
    elif section.image:
        if not image_alt.strip():
            raise NewsError("Describe the picture for people who cannot see it")
        section.image_alt = image_alt.strip()
    section.save()
    return section


@transaction.atomic
def remove_section(*, section: Section) -> None:
    _require_draft(section.issue)
    if section.image:
        _forget_image(section)
    section.delete()


@transaction.atomic
def move_section(*, section: Section, up: bool) -> None:
    """Swap a section with the one before (up) or after it."""
    _require_draft(section.issue)
    siblings = list(section.issue.sections.select_for_update().order_by("position", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        item.position = position
    Section.objects.bulk_update(siblings, ["position"])


def _set_image(section: Section, upload, alt: str) -> None:
    if upload is None:
        return
    if not alt.strip():
        raise NewsError("Describe the picture for people who cannot see it")
    cleaned = clean_image(upload)
    section.image_id = uuid.uuid4()
    section.image.save(cleaned.content.name, cleaned.content, save=False)
    section.image_content_type = cleaned.content_type
    section.image_alt = alt.strip()


def _forget_image(section: Section) -> None:
    name = section.image.name
    storage = section.image.storage
    transaction.on_commit(lambda: storage.delete(name))
    section.image = ""
    section.image_content_type = ""
    section.image_alt = ""


# -- publishing ----------------------------------------------------------------------------------------------


@transaction.atomic
def publish_issue(*, issue: Issue, officer) -> Issue:
    """Publish the issue on the portal and send it to every resident with a current tenancy, in
    their preferred way. Publishing an issue that is already published does nothing more: it is
    sent once."""
    _require_publisher(officer)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == IssueStatus.PUBLISHED:
        return issue
    if not issue.sections.exists():
        raise NewsError("Add at least one section before publishing")
    issue.status = IssueStatus.PUBLISHED
    issue.published_at = timezone.now()
    issue.published_by = officer
    issue.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    mailing = Mailing.objects.create(kind=MailingKind.ISSUE, issue=issue)
    _start_sending(mailing)
    return issue


@transaction.atomic
def send_notice(
    *,
    officer,
    title: str,
    details: str,
    estate,
    block=None,
    starts_at=None,
    expected_end_at=None,
    submission_token=None,
) -> Notice:
    """Tell the residents of one estate, or one block of it, about a service problem, now, in
    their preferred way; it shows on their home page and the public service updates while it
    lasts. The same submission token twice gives back the first notice, sent once."""
    _require_publisher(officer)
    if submission_token is not None:
        existing = Notice.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if block is not None and block.estate_id != estate.pk:
        raise NewsError(f"{block.name} is not on the {estate.name} estate")
    starts_at = starts_at or timezone.now()
    if expected_end_at is not None and expected_end_at <= starts_at:
        raise NewsError("The expected end must be after the start")
    notice = Notice.objects.create(
        title=title.strip(),
        details=details.strip(),
        estate=estate,
        block=block,
        starts_at=starts_at,
        expected_end_at=expected_end_at,
        sent_by=officer,
        submission_token=submission_token,
    )
    mailing = Mailing.objects.create(kind=MailingKind.NOTICE, notice=notice)
    _start_sending(mailing)
    return notice


@transaction.atomic
def update_notice(
    *,
    notice: Notice,
    officer,
    message: str,
    resolves: bool = False,
    expected_end_at=None,
    submission_token=None,
) -> NoticeUpdate:
    """Tell the same residents how a problem is going. `resolves` ends the notice now ("the lift
    is working again"); otherwise a new expected end may be given."""
    _require_publisher(officer)
    if submission_token is not None:
        existing = NoticeUpdate.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.ended_at is not None:
        raise NewsError("This notice has ended; send a new notice if the problem is back")
    now = timezone.now()
    if resolves:
        expected_end_at = None
    elif expected_end_at is not None and expected_end_at <= max(now, notice.starts_at):
        raise NewsError("The new expected end must be in the future")
    update = NoticeUpdate.objects.create(
        notice=notice,
        message=message.strip(),
        resolves=resolves,
        expected_end_at=expected_end_at,
        sent_by=officer,
        submission_token=submission_token,
    )
    if resolves:
        notice.ended_at = now
    elif expected_end_at is not None:
        notice.expected_end_at = expected_end_at
    notice.save(update_fields=["ended_at", "expected_end_at"])
    mailing = Mailing.objects.create(kind=MailingKind.NOTICE_UPDATE, notice=notice, update=update)
    _start_sending(mailing)
    return update


def _start_sending(mailing: Mailing) -> None:
    mailing_id = mailing.pk

    def start():
        from engagement.news.tasks import send_mailing

        try:
            send_mailing.delay(mailing_id)
        except Exception:  # the broker is down: the sweep resumes unfinished mailings
            logger.exception("Could not queue mailing %s; the sweep will resume it", mailing_id)

    transaction.on_commit(start)


# -- sending -------------------------------------------------------------------------------------------------


def _current_tenancy(**filters):
    return Tenancy.objects.filter(residents=OuterRef("pk"), end_date__isnull=True, **filters)


def audience(mailing: Mailing):
    """The residents a mailing goes to, as a query (never a list)."""
    if mailing.kind == MailingKind.ISSUE:
        return Resident.objects.filter(Exists(_current_tenancy()))
    notice = mailing.notice
    if mailing.kind == MailingKind.NOTICE_UPDATE:
        # The same people the notice went to, even if someone has moved in or out since.
        original = Delivery.objects.filter(
            mailing__notice=notice, mailing__kind=MailingKind.NOTICE, resident=OuterRef("pk")
        )
        return Resident.objects.filter(Exists(original))
    if notice.block_id:
        return Resident.objects.filter(Exists(_current_tenancy(home__block_id=notice.block_id)))
    return Resident.objects.filter(Exists(_current_tenancy(home__estate_id=notice.estate_id)))


@dataclass(frozen=True)
class Route:
    channel: str  # email, text, letter; "" when there is nowhere to send it
    to: str
    failure: str = ""


def route_for(resident: Resident, postal_address: str) -> Route:
    """The resident's preferred channel; phone means a text to the same number (a machine cannot
    call), as the outbox does. Without an address for that channel: the other electronic one.
    Never a letter to someone who did not ask for post (it costs, and arrives too late for a
    notice); without any address the delivery is recorded as failed, for staff to follow up."""
    preferred = resident.preferred_channel
    if preferred == Channel.LETTER and postal_address:
        return Route(DeliveryChannel.LETTER, postal_address)
    order = ("text", "email") if preferred in (Channel.TEXT, Channel.PHONE) else ("email", "text")
    addresses = {"email": resident.email.strip(), "text": resident.phone.strip()}
    for channel in order:
        if addresses[channel]:
            return Route(channel, addresses[channel])
    wanted = {
        Channel.EMAIL: "No email address or phone number on file",
        Channel.TEXT: "No phone number or email address on file",
        Channel.PHONE: "No phone number or email address on file",
        Channel.LETTER: "No postal address, email address or phone number on file",
    }[preferred]
    return Route("", "", wanted)


def _postal_addresses(mailing: Mailing, resident_ids: list[int]) -> dict[int, str]:
    """Each resident's name and address for a letter, in one query: for a notice, the home in
    its estate or block; otherwise their most recent current home."""
    links = Tenancy.residents.through.objects.filter(
        resident_id__in=resident_ids, tenancy__end_date__isnull=True
    ).select_related("tenancy__home")
    notice = mailing.notice if mailing.kind != MailingKind.ISSUE else None
    if notice is not None and notice.block_id:
        links = links.filter(tenancy__home__block_id=notice.block_id)
    elif notice is not None:
        links = links.filter(tenancy__home__estate_id=notice.estate_id)
    addresses = {}
    for link in links.order_by("tenancy__start_date", "tenancy_id"):
        addresses[link.resident_id] = "\n".join(link.tenancy.home.address_lines)
    return addresses


def message_context(mailing: Mailing) -> dict:
    """What the message templates are given, beside the resident and channel."""
    site = settings.SITE_URL
    if mailing.kind == MailingKind.ISSUE:
        issue = mailing.issue
        return {
            "issue": issue,
            "sections": list(issue.sections.all()),
            "url": f"{site}{issue.get_absolute_url()}",
        }
    context = {"notice": mailing.notice, "url": f"{site}{mailing.notice.get_absolute_url()}"}
    if mailing.update_id:
        context["update"] = mailing.update
    return context


def send_mailing_chunk(*, mailing: Mailing, size: int | None = None) -> bool:
    """Send the mailing to the next chunk of its audience. True while more remain."""
    size = size or settings.NEWS_SEND_CHUNK_SIZE
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .select_related("issue", "notice__estate", "notice__block", "update")
            .get(pk=mailing.pk)
        )
        if mailing.finished_at is not None:
            return False
        if mailing.kind == MailingKind.NOTICE_UPDATE and _notice_still_sending(mailing):
            return False  # the sweep comes back once the notice itself has gone to everyone
        already = Delivery.objects.filter(mailing=mailing, resident=OuterRef("pk"))
        residents = list(
            audience(mailing)
            .filter(pk__gt=mailing.cursor)
            .exclude(Exists(already))
            .order_by("pk")[:size]
        )
        if not residents:
            mailing.finished_at = timezone.now()
            mailing.save(update_fields=["finished_at"])
            return False
        _deliver(mailing, residents)
        mailing.cursor = residents[-1].pk
        mailing.save(update_fields=["cursor"])
        return True


def _notice_still_sending(mailing: Mailing) -> bool:
    return Mailing.objects.filter(
        notice_id=mailing.notice_id, kind=MailingKind.NOTICE, finished_at__isnull=True
    ).exists()


def _deliver(mailing: Mailing, residents: list[Resident]) -> None:
    template = TEMPLATES[mailing.kind]
    context = message_context(mailing)
    addresses = _postal_addresses(mailing, [r.pk for r in residents])
    now = timezone.now()
    outbox, unreachable, letters = [], [], []
    for resident in residents:
        address = addresses.get(resident.pk, "")
        route = route_for(resident, address)
        delivery = Delivery(
            mailing=mailing,
            resident=resident,
            recipient_name=resident.full_name,
            address=route.to,
            created_at=now,
        )
        if route.channel == DeliveryChannel.LETTER:
            delivery.channel, delivery.status = DeliveryChannel.LETTER, DeliveryStatus.TO_PRINT
            letters.append(delivery)
        elif route.channel:
            delivery.channel, delivery.status = route.channel, DeliveryStatus.QUEUED
            outbox.append(delivery)
        else:
            preferred = resident.preferred_channel
            delivery.channel = (
                DeliveryChannel.TEXT
                if preferred in (Channel.TEXT, Channel.PHONE)
                else (
                    DeliveryChannel.LETTER if preferred == Channel.LETTER else DeliveryChannel.EMAIL
                )
            )
            delivery.status, delivery.failure = DeliveryStatus.FAILED, route.failure
            unreachable.append(delivery)
    for delivery, notification in zip(
        outbox, _queue(template, context, [d.resident for d in outbox]), strict=True
    ):
        delivery.notification = notification
    for delivery in unreachable:
        delivery.notification = _failed_notification(template, context, delivery)
    if unreachable:
        Notification.objects.bulk_create([d.notification for d in unreachable])
    Delivery.objects.bulk_create([*outbox, *letters, *unreachable])


def _queue(template: str, context: dict, residents: list[Resident]) -> list[Notification]:
    """Queue the chunk's emails and texts in the outbox: one bulk insert, delivery batched."""
    if not residents:
        return []
    return notify.queue_notifications(
        [notify.OutgoingMessage(template, context, resident=resident) for resident in residents]
    )


def _failed_notification(template: str, context: dict, delivery: Delivery) -> Notification:
    """Kept, not dropped, as the outbox keeps a message it cannot address: staff see it failed
    and why, and send it again once the resident's details are fixed."""
    full = {
        "case": None,
        "channel": delivery.channel,
        "landlord": Landlord.current(),
        "site_url": settings.SITE_URL,
        "resident": delivery.resident,
        **context,
    }
    return Notification(
        resident=delivery.resident,
        channel=delivery.channel,
        to="",
        template=template,
        subject=render_to_string(f"notifications/{template}/subject.txt", full).strip()[:200],
        body=render_to_string(f"notifications/{template}/body.txt", full).strip(),
        next_attempt_at=timezone.now(),
        status=NotificationStatus.FAILED,
        last_error=delivery.failure,
    )


def unfinished_mailing_ids(*, older_than_seconds: int = 120) -> list[int]:
    """Mailings a lost task left unfinished (the broker was down, a worker died)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Mailing.objects.filter(finished_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:100]
    )
