"""The outbox: queue a message in the same transaction as the change it tells of; deliver it after
commit; on failure, record why and try again later with backoff. A message is never dropped: after
the last automatic try it stays 'failed', visible to staff, who can send it again."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from portal.models import Channel, Landlord, Notification, NotificationStatus
from portal.notify_backends import get_backend

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the message may be tried again.
STALE_CLAIM = timedelta(minutes=10)


class NoAddress(Exception):
    """The person has no address in any channel we could use."""


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes between tries, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def resident_route(resident) -> tuple[str, str]:
    """The channel and address to reach a resident by, following their preference.

    Phone is a preference for speaking, which a machine cannot do: we text the same number so
    the message arrives, and officers see the preference when they call.
    """
    address = _postal_address(resident)
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
    tenancy = resident.tenancies.filter(end_date__isnull=True).select_related("home").first()
    if tenancy is None:
        return ""
    return "\n".join([resident.full_name, *tenancy.home.address_lines])


def queue_notification(*, template: str, context: dict, resident=None, officer=None, case=None) -> Notification:
    """Render a message from templates/notifications/<template>/ and queue it for delivery."""
    if (resident is None) == (officer is None):
        raise ValueError("A notification goes to exactly one resident or one officer")
    unreachable = ""
    if resident is not None:
        try:
            channel, to = resident_route(resident)
        except NoAddress as error:
            # Kept, not dropped: staff see it failed and why, and send it again once the
            # resident's details are fixed.
            channel, to, unreachable = "letter", "", str(error)
        context = {"resident": resident, **context}
    else:
        channel, to = "email", officer.user.email
        context = {"officer": officer, **context}
    context = {
        "case": case,
        "channel": channel,
        "landlord": Landlord.current(),
        "site_url": settings.SITE_URL,
        **context,
    }
    subject = render_to_string(f"notifications/{template}/subject.txt", context).strip()
    body = render_to_string(f"notifications/{template}/body.txt", context).strip()
    notification = Notification.objects.create(
        resident=resident,
        officer=officer,
        case=case,
        channel=channel,
        to=to,
        template=template,
        subject=subject,
        body=body,
        next_attempt_at=timezone.now(),
        status=NotificationStatus.FAILED if unreachable else NotificationStatus.QUEUED,
        last_error=unreachable,
    )
    if not unreachable:
        transaction.on_commit(lambda: _enqueue_delivery(notification.pk))
    return notification


def _enqueue_delivery(notification_id: int) -> None:
    from portal.tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # the broker is down: the beat sweep will deliver it later
        logger.exception("Could not queue delivery of notification %s; the sweep will retry", notification_id)


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
