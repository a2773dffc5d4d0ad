from django.db import models
from django.db.models import Q


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Waiting to retry"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One message to a resident or an officer: the outbox. Written in the same transaction as
    the change it tells of, delivered afterwards by a task, retried with backoff, never dropped."""

    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    officer = models.ForeignKey(
        "portal.Officer", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    case = models.ForeignKey(
        "portal.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=[
        ("email", "Email"), ("text", "Text message"), ("letter", "Letter"),
    ])
    # Where it goes, fixed when queued: an email address, a phone number or a postal address.
    to = models.TextField()
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_undelivered",
                condition=Q(status__in=["queued", "retrying", "sending"]),
            ),
            models.Index(fields=["officer", "-created_at"], name="notification_officer_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(officer__isnull=False),
                name="notification_has_recipient",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.to}: {self.subject}"
