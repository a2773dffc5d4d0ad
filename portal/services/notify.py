"""The outbox: queue a message in the same transaction as the change it tells of; deliver it after
commit; on failure, record why and try again later with backoff. A message is never dropped: after
the last automatic try it stays 'failed', visible to staff, who can send it again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from portal.models import Channel, Landlord, Notification, NotificationStatus, Tenancy
from portal.notify_backends import get_backend

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the message may be tried again.
STALE_CLAIM = timedelta(minutes=10)


class NoAddress(Exception):
    """The person has no address in any channel we could use."""


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes between tries, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def resident_route(resident, *, postal_address: str | None = None) -> tuple[str, str]:
    """The channel and address to reach a resident by, following their preference.

    Phone is a preference for speaking, which a machine cannot do: we text the same number so
    the message arrives, and officers see the preference when they call. Pass postal_address
    when it is already known (a bulk send reads everyone's at once).
    """
    address = _postal_address(resident) if postal_address is None else postal_address
    by_channel = {
        Channel.EMAIL: resident.email,
        Channel.TEXT: resident.phone,
        Channel.PHONE: resident.phone,
        Channel.LETTER: address,
    }
    fallbacks = [resident.preferred_channel, Channel.EMAIL, Channel.TEXT, Channel.LETTER]
    for channel in fallbacks:
        if by_channel.get(channel):
            return ("text" if channel == Channel.PHONE else str(channel)), by_channel[channel]
    raise NoAddress(f"No way to reach {resident}")


def _postal_address(resident) -> str:
    return _postal_addresses([resident]).get(resident.pk, "")


def _postal_addresses(residents) -> dict[int, str]:
    """Each resident's address at their current home (their latest tenancy), in one query."""
    names = {resident.pk: resident.full_name for resident in residents}
    if not names:
        return {}
    links = (
        Tenancy.residents.through.objects.filter(resident_id__in=names, tenancy__end_date__isnull=True)
        .select_related("tenancy__home")
        .order_by("resident_id", "-tenancy__start_date")
    )
    addresses: dict[int, str] = {}
    for link in links:
        if link.resident_id not in addresses:
            addresses[link.resident_id] = "\n".join([names[link.resident_id], *link.tenancy.home.address_lines])
    return addresses


@dataclass
class OutgoingMessage:
    """One message to queue: rendered from templates/notifications/<template>/ with context, to
    exactly one resident or one officer."""

    template: str
    context: dict
    resident: object = None
    officer: object = None
    case: object = None


def queue_notification(*, template: str, context: dict, resident=None, officer=None, case=None) -> Notification:
    """Render a message from templates/notifications/<template>/ and queue it for delivery."""
    message = OutgoingMessage(template=template, context=context, resident=resident, officer=officer, case=case)
    return queue_notifications([message])[0]


def queue_notifications(messages) -> list[Notification]:
    """Queue many messages at once: the landlord and the residents' addresses read once, one bulk
    insert, and delivery handed to the workers in batches after commit. For newsletters,
    reminders and notices; call it with a few thousand messages at a time, not a million."""
    messages = list(messages)
    for message in messages:
        if (message.resident is None) == (message.officer is None):
            raise ValueError("A notification goes to exactly one resident or one officer")
    shared = {"landlord": Landlord.current(), "site_url": settings.SITE_URL}
    addresses = _postal_addresses({m.resident.pk: m.resident for m in messages if m.resident}.values())
    now = timezone.now()
    notifications = [_compose(message, shared, addresses, now) for message in messages]
    Notification.objects.bulk_create(notifications, batch_size=1000)
    queued = [n.pk for n in notifications if n.status == NotificationStatus.QUEUED]
    if queued:
        transaction.on_commit(lambda: _enqueue_deliveries(queued))
    return notifications


def _compose(message: OutgoingMessage, shared: dict, addresses: dict[int, str], now) -> Notification:
    resident, officer = message.resident, message.officer
    unreachable = ""
    if resident is not None:
        try:
            channel, to = resident_route(resident, postal_address=addresses.get(resident.pk, ""))
        except NoAddress as error:
            # Kept, not dropped: staff see it failed and why, and send it again once the
            # resident's details are fixed.
            channel, to, unreachable = "letter", "", str(error)
        person = {"resident": resident}
    else:
        channel, to = "email", officer.user.email
        person = {"officer": officer}
    context = {"case": message.case, "channel": channel, **shared, **person, **message.context}
    subject = render_to_string(f"notifications/{message.template}/subject.txt", context).strip()
    body = render_to_string(f"notifications/{message.template}/body.txt", context).strip()
    return Notification(
        resident=resident,
        officer=officer,
        case=message.case,
        channel=channel,
        to=to,
        template=message.template,
        subject=subject,
        body=body,
        next_attempt_at=now,
        status=NotificationStatus.FAILED if unreachable else NotificationStatus.QUEUED,
        last_error=unreachable,
    )


# Messages handed to one delivery task: small enough that a slow provider does not hold a whole
# burst behind one worker, large enough that a burst of reminders is not thousands of tasks.
DELIVERY_BATCH = 50


def _enqueue_deliveries(notification_ids: list[int]) -> None:
    from portal.tasks import deliver_notification, deliver_notifications

    try:
        if len(notification_ids) == 1:
            deliver_notification.delay(notification_ids[0])
            return
        for start in range(0, len(notification_ids), DELIVERY_BATCH):
            deliver_notifications.delay(notification_ids[start : start + DELIVERY_BATCH])
    except Exception:  # the broker is down: the beat sweep will deliver them later
        logger.exception("Could not queue delivery of %s notifications; the sweep will retry", len(notification_ids))


def _enqueue_delivery(notification_id: int) -> None:
    _enqueue_deliveries([notification_id])


def _claim(notification_id: int, now) -> bool:
    claimable = Q(status__in=[NotificationStatus.QUEUED, NotificationStatus.RETRYING], next_attempt_at__lte=now) | Q(
        status=NotificationStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return bool(
        Notification.objects.filter(claimable, pk=notification_id).update(
            status=NotificationStatus.SENDING, claimed_at=now
        )
    )


def deliver_notification(*, notification_id: int) -> Notification | None:
    """Send one notification if it is due and nobody else is sending it. Returns it, or None
    when there was nothing to do."""
    now = timezone.now()
    if not _claim(notification_id, now):
        return None
    notification = Notification.objects.get(pk=notification_id)
    notification.attempts += 1
    try:
        notification.provider_reference = get_backend(notification.channel).send(notification) or ""
    except Exception as error:  # any failure of any backend is recorded, then retried
        logger.warning("Delivery of notification %s failed: %s", notification.pk, error)
        notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = NotificationStatus.FAILED
        else:
            notification.status = NotificationStatus.RETRYING
            notification.next_attempt_at = now + backoff(notification.attempts)
    else:
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
    notification.claimed_at = None
    notification.save(
        update_fields=[
            "attempts", "status", "next_attempt_at", "last_error", "sent_at", "claimed_at", "provider_reference",
        ]
    )
    return notification


def due_notification_ids(*, now=None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(status__in=[NotificationStatus.QUEUED, NotificationStatus.RETRYING], next_attempt_at__lte=now)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def resend_notification(*, notification: Notification) -> Notification:
    """Staff ask for a failed message to be tried again now, to the resident's details as they
    are now (they may have been corrected since)."""
    changes = {"status": NotificationStatus.RETRYING, "next_attempt_at": timezone.now()}
    if notification.resident_id:
        try:
            changes["channel"], changes["to"] = resident_route(notification.resident)
        except NoAddress as error:
            notification.last_error = str(error)
            Notification.objects.filter(pk=notification.pk).update(last_error=notification.last_error)
            return notification
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(**changes)
    transaction.on_commit(lambda: _enqueue_delivery(notification.pk))
    notification.refresh_from_db()
    return notification


def mark_read(*, officer, notification_ids) -> int:
    return Notification.objects.filter(officer=officer, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
