"""How a queued message leaves the building, per channel.

Email goes through Django's mail backend. Text messages and letters go through GOV.UK Notify
when NOTIFY_API_KEY is set, and to the log otherwise (the demo and developers' machines).
Each backend's send() raises on failure and returns the provider's reference on success.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger("doorstep.notify")


class EmailBackend:
    def send(self, notification) -> str:
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.to],
        ).send(fail_silently=False)
        return ""


class ConsoleBackend:
    """Writes the message to the log: what would have been sent, and to whom."""

    def send(self, notification) -> str:
        logger.info(
            "%s to %s\nSubject: %s\n\n%s",
            notification.get_channel_display(),
            notification.to.replace("\n", ", "),
            notification.subject,
            notification.body,
        )
        return f"console-{notification.pk}"


class NotifyBackend:
    """GOV.UK Notify, with one template per channel that takes ((subject)) and ((body))."""

    def __init__(self):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)

    def send(self, notification) -> str:
        personalisation = {"subject": notification.subject, "body": notification.body}
        reference = f"doorstep-{notification.pk}"
        if notification.channel == "text":
            kwargs = {}
            if settings.NOTIFY_SMS_SENDER_ID:
                kwargs["sms_sender_id"] = settings.NOTIFY_SMS_SENDER_ID
            response = self.client.send_sms_notification(
                phone_number=notification.to,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation=personalisation,
                reference=reference,
                **kwargs,
            )
        elif notification.channel == "letter":
            lines = notification.to.splitlines()[:7]
            personalisation.update({f"address_line_{i}": line for i, line in enumerate(lines, start=1)})
            response = self.client.send_letter_notification(
                template_id=settings.NOTIFY_LETTER_TEMPLATE_ID,
                personalisation=personalisation,
                reference=reference,
            )
        else:
            raise ValueError(f"Notify backend cannot send {notification.channel}")
        return response["id"]


def get_backend(channel: str):
    if channel == "email":
        return EmailBackend()
    if settings.NOTIFY_API_KEY:
        return NotifyBackend()
    return ConsoleBackend()
