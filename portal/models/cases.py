"""The case spine: every piece of work a resident raises or an officer owns.

Domain apps keep their own details (a repair, a complaint) one-to-one with a Case, and put each
promise with a clock on it as a Deadline. The queue, the reminders and the charter measures all
read the same Deadline rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone


class CaseKind(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry"
    REPAIR = "repair", "Repair"
    COMPLAINT = "complaint", "Complaint"
    SAFETY_CONCERN = "safety_concern", "Safety concern"
    HAZARD = "hazard", "Damp, mould or other hazard"
    ASB = "asb", "Anti-social behaviour"

    @classmethod
    def reference_prefix(cls, kind):
        return {
            cls.ENQUIRY: "E",
            cls.REPAIR: "R",
            cls.COMPLAINT: "C",
            cls.SAFETY_CONCERN: "S",
            cls.HAZARD: "H",
            cls.ASB: "A",
        }[kind]


class CaseStatus(models.TextChoices):
    OPEN = "open", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"

    @classmethod
    def open_values(cls):
        return [cls.OPEN, cls.IN_PROGRESS, cls.ON_HOLD]


class CaseChannel(models.TextChoices):
    WEB = "web", "Online"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    WALK_IN = "walk_in", "In person"
    LETTER = "letter", "Letter"


class ReferenceSequence(models.Model):
    """The last number used for each kind of case in each year, for references like R-2026-000123."""

    prefix = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    summary = models.CharField(max_length=200)
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    home = models.ForeignKey("portal.Home", on_delete=models.PROTECT, related_name="cases", null=True, blank=True)
    # The estate a case is about when no home says where it is (a communal repair found on an
    # estate inspection: a block's stairs, an open space), so the patch views can find it.
    # Indexed only where set (case_estate below): almost every case has a home instead.
    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.PROTECT, related_name="cases", null=True, blank=True, db_index=False
    )
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    owner = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, related_name="cases", null=True, blank=True
    )
    team = models.ForeignKey("portal.Team", on_delete=models.SET_NULL, related_name="cases", null=True, blank=True)
    channel = models.CharField(max_length=10, choices=CaseChannel.choices, default=CaseChannel.WEB)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The earliest open deadline, kept by the services that change deadlines, so the queue
    # sorts on an indexed column instead of a subquery over every case.
    next_due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(
                fields=["next_due_at", "id"],
                name="case_open_by_due",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["resident", "-opened_at"], name="case_resident_recent"),
            models.Index(fields=["home", "-opened_at"], name="case_home_recent"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            # The case queue's views and filters (portal/queue.py): each reads the open cases
            # that match in queue order and stops after a page, whatever the size of the landlord.
            *[
                models.Index(
                    fields=[column, "next_due_at", "id"],
                    name=f"case_open_{column}_due",
                    condition=Q(closed_at__isnull=True),
                )
                for column in ("owner", "team", "kind", "status", "channel", "home")
            ],
            models.Index(fields=["estate"], name="case_estate", condition=Q(estate__isnull=False)),
        ]

    def __str__(self):
        return f"{self.reference} {self.summary}"

    @property
    def is_open(self):
        return self.status in CaseStatus.open_values()


class DeadlineKind(models.TextChoices):
    CALLBACK = "callback", "Call back"
    COMPLAINT_ACK = "complaint_ack", "Acknowledge complaint"
    COMPLAINT_RESPONSE = "complaint_response", "Respond to complaint"
    REPAIR_TARGET = "repair_target", "Complete repair"
    HAZARD_INVESTIGATION = "hazard_investigation", "Investigate hazard"
    HAZARD_SUMMARY = "hazard_summary", "Send investigation summary"
    HAZARD_SAFETY_WORK = "hazard_safety_work", "Make safe"
    HAZARD_FURTHER_WORK = "hazard_further_work", "Begin further works"
    SAFETY_ACTION = "safety_action", "Act on safety concern"
    CONTACT = "contact", "Contact resident"
    ASB_REVIEW = "asb_review", "Review anti-social behaviour case"


class Deadline(models.Model):
    """A promise with a clock on a case. Met when met_at is set; stopped if the case closed first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    due_at = models.DateTimeField()
    extended_to = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    # Stored, so the reminder sweep and the queue query an index, never a recomputation.
    effective_due_at = models.GeneratedField(
        expression=Coalesce("extended_to", "due_at"),
        output_field=models.DateTimeField(),
        db_persist=True,
    )
    met_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # When the reminder sweep next has something to say about this deadline; null once it has
    # nothing more to say (all reminders sent, or the deadline met, stopped or extended past them).
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                name="deadline_reminder_due",
                condition=Q(next_reminder_at__isnull=False),
            ),
            models.Index(
                fields=["effective_due_at"],
                name="deadline_running_by_due",
                condition=Q(met_at__isnull=True, stopped_at__isnull=True),
            ),
            models.Index(fields=["kind", "due_at"], name="deadline_kind_due"),
            # The charter's measures: each kind of promise, by the month it fell due.
            models.Index(fields=["kind", "effective_due_at"], name="deadline_kind_effective_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.effective_due_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self):
        return self.met_at is None and self.stopped_at is None

    @property
    def was_met_in_time(self):
        return self.met_at is not None and self.met_at <= self.effective_due_at


class EventKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    NOTE = "note", "Note"
    STATUS = "status", "Status changed"
    ASSIGNED = "assigned", "Assigned"
    CONTACT = "contact", "Contact"
    DEADLINE_SET = "deadline_set", "Deadline set"
    DEADLINE_MET = "deadline_met", "Deadline met"
    DEADLINE_EXTENDED = "deadline_extended", "Deadline extended"
    UPDATE = "update", "Update"
    CLOSED = "closed", "Closed"


class Event(models.Model):
    """One line of a case's timeline: who did what, when, and whether the resident sees it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField()
    visible_to_resident = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="event_case_time")]

    def __str__(self):
        return f"{self.case.reference}: {self.get_kind_display()}"

    @property
    def is_note(self):
        return self.kind == EventKind.NOTE


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"


class Reminder(models.Model):
    """A reminder sent about a deadline at a stage. Its uniqueness is what makes each reminder go
    once, however often or concurrently the sweep runs; a new due date (an extension) is a new
    clock with reminders of its own."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "stage", "due_at"], name="reminder_once_per_stage")
        ]

    def __str__(self):
        return f"{self.deadline_id} {self.stage}"


class ContactOutcome(models.TextChoices):
    REACHED = "reached", "Spoke to the resident"
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Left a message"


class ContactAttempt(models.Model):
    """One try at reaching a resident about a case: a call, a text, an email, a visit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    officer = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="contact_attempts")
    method = models.CharField(max_length=10, choices=CaseChannel.choices, default=CaseChannel.PHONE)
    outcome = models.CharField(max_length=15, choices=ContactOutcome.choices)
    note = models.TextField(blank=True)
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_at"]

    def __str__(self):
        return f"{self.case.reference} {self.get_outcome_display()}"

    @property
    def counts_as_contact(self):
        # A call-back is kept when we reach the resident or leave them a message; an
        # unanswered call alone does not keep the promise.
        return self.outcome in (ContactOutcome.REACHED, ContactOutcome.MESSAGE_LEFT)
