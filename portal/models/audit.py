from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who read or changed which resident's data, and when. Written, never edited."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        CREATE = "create", "Created"
        EXPORT = "export", "Exported"
        LINK = "link", "Linked account"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    subject = models.CharField(max_length=200, help_text="What was read or changed, e.g. 'case E-2026-000012'.")
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["resident", "-at"], name="audit_resident_recent")]

    def __str__(self):
        return f"{self.actor} {self.get_action_display()} {self.subject}"
