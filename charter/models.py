"""The tenant charter and the customer voice report.

A charter is kept in versions. A manager writes a draft (sections of numbered promises, and what
we ask of residents in return), may put it out for consultation, then adopts it: the adopted
version replaces the one before, which stays viewable. Adopted and replaced versions are a public
record and never change. Each promise can be tied to a live measure (charter.measures) that the
public page shows beside it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CharterSection(models.TextChoices):
    # The order here is the order on the page and the first part of each promise's number.
    VOICE = "voice", "Voice"
    RESPECT = "respect", "Respect"
    COMMUNICATION = "communication", "Communication"
    SAFETY = "safety", "Safety"
    SERVICES = "services", "Our services"
    RESOLUTION = "resolution", "Resolution"
    ACCOUNTABILITY = "accountability", "Accountability"

    @classmethod
    def number_of(cls, value: str) -> int:
        return list(cls.values).index(value) + 1


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    ADOPTED = "adopted", "Adopted"
    REPLACED = "replaced", "Replaced"

    @classmethod
    def editable(cls):
        return [cls.DRAFT, cls.CONSULTATION]

    @classmethod
    def public(cls):
        return [cls.ADOPTED, cls.REPLACED]


class CharterVersion(models.Model):
    number = models.PositiveIntegerField(
        unique=True, help_text="Version 1, 2, 3... in the order drafted."
    )
    title = models.CharField(max_length=150, default="Our tenant charter")
    introduction = models.TextField(
        blank=True, help_text="Why the charter exists and how residents shaped it."
    )
    status = models.CharField(
        max_length=15, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    consultation_opened_at = models.DateTimeField(null=True, blank=True)
    consultation_closes_on = models.DateField(null=True, blank=True)
    # The engagement consultation run alongside, if any: its questions beside the per-promise comments.
    consultation = models.ForeignKey(
        "engagement.Consultation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="charter_versions",
    )
    # Telling residents the draft is out: residents are taken in order of id, and this is the last
    # one reached, so a stopped task carries on from here. Set back to 0 on each opening.
    announced_up_to = models.PositiveBigIntegerField(default=0)
    announced_at = models.DateTimeField(
        null=True, blank=True, help_text="When every resident had been told."
    )
    # A consultation taken back to a draft before it closed. Kept until it is consulted on again.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            # One adopted charter at a time, whatever two managers do at once.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="adopted"), name="charter_one_adopted_version"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "replaced"]) | Q(adopted_at__isnull=False),
                name="charter_adopted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    @property
    def is_editable(self) -> bool:
        return self.status in VersionStatus.editable()

    @property
    def is_public(self) -> bool:
        return self.status in VersionStatus.public()

    @property
    def in_consultation(self) -> bool:
        return self.status == VersionStatus.CONSULTATION

    @property
    def is_withdrawn(self) -> bool:
        return self.status == VersionStatus.DRAFT and self.withdrawn_at is not None

    def consultation_is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.in_consultation and (
            self.consultation_closes_on is None or today <= self.consultation_closes_on
        )


class Promise(models.Model):
    """One numbered promise, e.g. 3.1 "We will call you back within one working day"."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="promises")
    section = models.CharField(max_length=20, choices=CharterSection.choices)
    position = models.PositiveSmallIntegerField(help_text="Its place in the section: 1, 2, 3...")
    text = models.TextField()
    measure_key = models.CharField(
        max_length=60,
        blank=True,
        help_text="The live measure that shows how we keep it (charter.measures).",
    )
    target_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["version", "section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "section", "position"], name="charter_promise_position"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    @property
    def number(self) -> str:
        return f"{CharterSection.number_of(self.section)}.{self.position}"


class ResidentCommitment(models.Model):
    """One thing "we ask from you" in return, e.g. "Tell us if you are struggling to pay your rent"."""

    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="commitments"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="charter_commitment_position"
            ),
        ]

    def __str__(self):
        return self.text[:60]


class ConsultationNotice(models.Model):
    """A resident told that a version is out for consultation: one per version and resident, so a
    repeated or retried send tells nobody twice. The channel is the one the outbox chose (the
    resident's preference, or what we had an address for)."""

    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="consultation_notices"
    )
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="charter_consultation_notices"
    )
    channel = models.CharField(max_length=10)
    notification = models.ForeignKey(
        "portal.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    told_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "resident"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "resident"], name="charter_notice_once_per_resident"
            ),
        ]
        indexes = [
            models.Index(fields=["resident", "-told_at"], name="charter_notice_resident"),
        ]

    def __str__(self):
        return f"Version {self.version_id} told to {self.resident_id} by {self.channel}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


class PromiseComment(models.Model):
    """A resident's comment on a promise in a charter out for consultation. Shown to others only
    once a member of staff has published it."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="comments")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="charter_comments"
    )
    text = models.TextField()
    # The promise's words when the comment was made: drafts change during a consultation.
    promise_text = models.TextField()
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(max_length=300, blank=True)
    # One comment per form: a double click or a resend makes one comment.
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(
                fields=["promise", "status", "submitted_at"], name="charter_comment_promise"
            ),
            models.Index(
                fields=["submitted_at"],
                name="charter_comment_pending",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["resident", "-submitted_at"], name="charter_comment_resident"),
        ]

    def __str__(self):
        return f"{self.resident_id} on {self.promise_id}: {self.text[:40]}"


class CustomerVoiceReport(models.Model):
    """The annual customer voice report for a financial year (2025 = 1 April 2025 to 31 March 2026).

    The customer committee writes the text; the evidence (scrutiny reviews, consultations, changes
    made, measures) is gathered from the records. Publishing freezes both: `published_content`
    keeps the evidence as it stood, so the public report never changes afterwards."""

    year = models.PositiveSmallIntegerField(unique=True)
    foreword = models.TextField(blank=True, help_text="From the customer committee.")
    what_changed = models.TextField(
        blank=True, help_text="In the committee's words: what residents changed."
    )
    looking_ahead = models.TextField(blank=True)
    last_edited_at = models.DateTimeField(null=True, blank=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_content = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(published_content={}),
                name="charter_voice_report_published_has_content",
            )
        ]

    def __str__(self):
        return f"Customer voice report {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
