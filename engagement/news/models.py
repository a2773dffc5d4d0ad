"""Newsletters and targeted service notices, and who each was sent to.

An Issue is a newsletter: written in sections by staff, previewed, published by a manager. A
Notice tells the residents of one estate or one block about a service problem (a lift out of
service, water off) and its NoticeUpdates follow it ("the lift is working again").

Anything sent to residents is a Mailing; each resident it reaches has one Delivery row, unique per
mailing, written before the message is queued. That row is what makes sending idempotent (publish
twice, send once; a send that stopped halfway carries on where it stopped) and what staff count.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Issue(models.Model):
    title = models.CharField(max_length=150)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences: shown in lists and text messages."
    )
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    written_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # One issue per form: a double click on "Save" makes one draft.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(
                fields=["-published_at"],
                name="news_issue_published",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:issue", args=[self.pk])

    @property
    def is_published(self):
        return self.status == IssueStatus.PUBLISHED


def section_image_path(instance, filename):
    return f"news/{instance.image_id}.{filename.rsplit('.', 1)[-1]}"


class Section(models.Model):
    """A part of an issue: a heading, its text and an optional picture."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=150)
    text = models.TextField(help_text="Leave a blank line between paragraphs.")
    # Checked and re-encoded on upload (type, size, no metadata); served through a view that
    # shows a draft's pictures to staff only.
    image = models.FileField(upload_to=section_image_path, blank=True)
    image_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image_content_type = models.CharField(max_length=40, blank=True)
    image_alt = models.CharField("description of the picture", max_length=250, blank=True)

    class Meta:
        ordering = ["issue", "position", "pk"]

    def __str__(self):
        return self.heading

    @property
    def paragraphs(self):
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]


class Notice(models.Model):
    """A service problem on one estate, or one block of it, while it lasts."""

    title = models.CharField(max_length=120)
    details = models.TextField()
    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.PROTECT, related_name="news_notices"
    )
    block = models.ForeignKey(
        "portal.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="news_notices"
    )
    starts_at = models.DateTimeField()
    expected_end_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["estate", "-starts_at"], name="news_notice_estate"),
            models.Index(
                fields=["block"], name="news_notice_block", condition=Q(ended_at__isnull=True)
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.place})"

    def get_absolute_url(self):
        return reverse("news:notice", args=[self.pk])

    @property
    def place(self):
        return (
            f"{self.block.name}, {self.estate.name}"
            if self.block_id
            else f"{self.estate.name} estate"
        )

    @property
    def is_current(self):
        now = timezone.now()
        return self.ended_at is None and (
            self.expected_end_at is None or self.expected_end_at > now
        )


class NoticeUpdate(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="updates")
    message = models.TextField()
    # "Fixed": the notice ends now. Otherwise the update may move the expected end.
    resolves = models.BooleanField(default=False)
    expected_end_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Update to {self.notice}"


class MailingKind(models.TextChoices):
    ISSUE = "issue", "Newsletter"
    NOTICE = "notice", "Service notice"
    NOTICE_UPDATE = "notice_update", "Update to a service notice"


class Mailing(models.Model):
    """One sending of one thing to its residents. Exactly one of issue, notice, update is set
    (for an update, notice is its notice too, so its audience is found)."""

    kind = models.CharField(max_length=15, choices=MailingKind.choices)
    issue = models.OneToOneField(
        Issue, on_delete=models.CASCADE, null=True, blank=True, related_name="mailing"
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, null=True, blank=True, related_name="mailings"
    )
    update = models.OneToOneField(
        NoticeUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="mailing"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The last resident (by id) a chunk went to: the next chunk starts after them.
    cursor = models.BigIntegerField(default=0)
    # Set when every resident in the audience has a Delivery; until then the sweep resumes it.
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], name="news_mailing_unfinished", condition=Q(finished_at=None)
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice"], condition=Q(kind="notice"), name="news_one_mailing_per_notice"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject}"

    @property
    def subject(self):
        if self.issue_id:
            return self.issue.title
        return self.notice.title if self.notice_id else ""


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Sent to the outbox"
    TO_PRINT = "to_print", "On the letter list"
    FAILED = "failed", "Could not be sent"


class Delivery(models.Model):
    """One resident's copy of one mailing. Email and text go through the outbox (the
    Notification row has how it went); letters go on the mailing's letter list."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="news_deliveries"
    )
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    # Fixed when sent, as on an envelope: the name and postal address (letters), the email address
    # or phone number (the outbox has it too).
    recipient_name = models.CharField(max_length=201)
    address = models.TextField(blank=True)
    notification = models.ForeignKey(
        "portal.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mailing", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "resident"], name="news_one_delivery_per_resident"
            ),
        ]
        indexes = [
            models.Index(fields=["mailing", "channel"], name="news_delivery_channel"),
            models.Index(fields=["resident", "-created_at"], name="news_delivery_resident"),
        ]

    def __str__(self):
        return f"{self.mailing} to {self.recipient_name} by {self.get_channel_display()}"

    @property
    def address_lines(self):
        return self.address.splitlines()
