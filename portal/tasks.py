"""Celery tasks: each fetches what it needs and calls one service."""

from celery import shared_task

from portal.services import notify


@shared_task
def deliver_notification(notification_id: int):
    _retry_later(notify.deliver_notification(notification_id=notification_id))


@shared_task
def deliver_notifications(notification_ids: list[int]):
    """A burst of messages (reminders, a newsletter chunk), one after another in one task."""
    for notification_id in notification_ids:
        _retry_later(notify.deliver_notification(notification_id=notification_id))


def _retry_later(notification) -> None:
    if notification is not None and notification.status == "retrying":
        # Try again when its backoff ends; the beat sweep is there if this message is lost.
        deliver_notification.apply_async((notification.pk,), eta=notification.next_attempt_at)


@shared_task
def deliver_due_notifications():
    for notification_id in notify.due_notification_ids():
        notify.deliver_notification(notification_id=notification_id)


@shared_task
def sweep_deadline_reminders():
    from portal.services.reminders import sweep_deadline_reminders as sweep

    result = sweep()
    return {"reminders": result.reminders, "notifications": result.notifications, "skipped": result.skipped}
