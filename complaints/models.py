"""Complaints under the Housing Ombudsman's Complaint Handling Code.

A Complaint is one-to-one with its portal Case (kind "complaint"), whose Deadlines carry the clocks
the queue sorts by and the reminder sweep watches. Each stage's dates (asked, acknowledged,
extended, answered) are also stored here as plain dates, with the response's last day computed
once when it changes, so the annual measures are database aggregates and a complaint imported
from another system counts exactly like one made in the portal.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from complaints import rules


class Stage(models.IntegerChoices):
    STAGE_1 = rules.STAGE_1, "Stage 1"
    STAGE_2 = rules.STAGE_2, "Stage 2"


class ComplaintStatus(models.TextChoices):
    AWAITING_ACKNOWLEDGEMENT = "awaiting_ack", "Received"
    INVESTIGATING = "investigating", "Being looked into"
    RESPONDED = "responded", "Answered"
    REFUSED = "refused", "Not taken forward"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"

    @classmethod
    def overall(cls, decisions) -> str:
        """One outcome for a response from its decisions on each point."""
        decisions = set(decisions)
        if not decisions:
            return ""
        if decisions == {cls.UPHELD}:
            return cls.UPHELD
        if decisions == {cls.NOT_UPHELD}:
            return cls.NOT_UPHELD
        return cls.PARTLY_UPHELD


class Category(models.TextChoices):
    REPAIRS = "repairs", "Repairs and maintenance"
    DAMP_MOULD = "damp_mould", "Damp and mould"
    ASB = "asb", "Anti-social behaviour"
    ESTATE_SERVICES = "estate_services", "Estate services and cleaning"
    RENT_CHARGES = "rent_charges", "Rent and service charges"
    STAFF_CONDUCT = "staff_conduct", "How our staff behaved"
    COMMUNICATION = "communication", "Communication and keeping people informed"
    SAFETY = "safety", "Building safety"
    LETTINGS = "lettings", "Lettings and moving home"
    OTHER = "other", "Something else"


class RootCause(models.TextChoices):
    PROCESS = "process", "Our process did not work"
    POLICY = "policy", "Our policy did not fit the situation"
    COMMUNICATION = "communication", "We did not keep the resident informed"
    STAFF = "staff", "A member of staff got it wrong"
    CONTRACTOR = "contractor", "A contractor did not do what we asked"
    SYSTEMS = "systems", "Our systems or records were wrong"
    DELAY = "delay", "We took too long"
    NO_FAULT = "no_fault", "We found no fault"
    OTHER = "other", "Something else"


class MadeBy(models.TextChoices):
    RESIDENT = "resident", "The resident"
    REPRESENTATIVE = "representative", "Someone on the resident's behalf"


class RepresentativeRole(models.TextChoices):
    COUNCILLOR = "councillor", "A councillor"
    MP = "mp", "A Member of Parliament"
    ADVOCATE = "advocate", "An advocate or support worker"
    FAMILY = "family", "A family member or friend"
    OTHER = "other", "Someone else"


class RefusalGround(models.TextChoices):
    OUT_OF_TIME = "out_of_time", "The events happened more than 12 months before the complaint"
    LEGAL_PROCEEDINGS = "legal_proceedings", "Legal proceedings about this have started"
    ALREADY_CONSIDERED = "already_considered", "We have already dealt with this complaint"


class Source(models.TextChoices):
    PORTAL = "portal", "Made in the portal"
    IMPORTED = "imported", "Imported from another system"


class Complaint(models.Model):
    case = models.OneToOneField("portal.Case", on_delete=models.CASCADE, related_name="complaint")
    # The service request (a repair, an enquiry) the resident was unhappy with; it carries on.
    related_case = models.ForeignKey(
        "portal.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints_about"
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, default=Stage.STAGE_1)
    status = models.CharField(
        max_length=15, choices=ComplaintStatus.choices, default=ComplaintStatus.AWAITING_ACKNOWLEDGEMENT
    )
    what_happened = models.TextField()
    outcome_wanted = models.TextField(blank=True)
    events_began_on = models.DateField(null=True, blank=True)

    made_by = models.CharField(max_length=15, choices=MadeBy.choices, default=MadeBy.RESIDENT)
    representative_name = models.CharField(max_length=150, blank=True)
    representative_role = models.CharField(max_length=15, choices=RepresentativeRole.choices, blank=True)
    representative_contact = models.CharField(max_length=200, blank=True)
    representative_consent = models.BooleanField(
        default=False, help_text="The resident agreed that this person may complain for them."
    )
    representative_consent_note = models.CharField(max_length=300, blank=True)

    refusal_ground = models.CharField(max_length=20, choices=RefusalGround.choices, blank=True)
    refusal_reason = models.TextField(blank=True)
    refused_on = models.DateField(null=True, blank=True)
    refused_by = models.ForeignKey("portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # Learning, once the complaint is answered.
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    root_cause = models.CharField(max_length=20, choices=RootCause.choices, blank=True)
    learning = models.TextField(blank=True, help_text="What we learned and what we will change.")
    learning_recorded_at = models.DateTimeField(null=True, blank=True)

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PORTAL)
    external_reference = models.CharField(
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text="The reference in the system this complaint was imported from.",
    )
    # One complaint per form, however often it is submitted.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "status", "-created_at"], name="complaint_stage_status"),
            models.Index(fields=["refused_on"], name="complaint_refused_on", condition=Q(refused_on__isnull=False)),
        ]

    def __str__(self):
        return self.case.reference

    @property
    def reference(self):
        return self.case.reference

    @property
    def can_escalate(self):
        return self.stage == Stage.STAGE_1 and self.status == ComplaintStatus.RESPONDED

    @property
    def is_final(self):
        return self.status == ComplaintStatus.REFUSED or (
            self.stage == Stage.STAGE_2 and self.status == ComplaintStatus.RESPONDED
        )

    @property
    def is_answered(self):
        return self.status in (ComplaintStatus.RESPONDED, ComplaintStatus.REFUSED)

    @property
    def has_representative(self):
        return self.made_by == MadeBy.REPRESENTATIVE


class ComplaintStage(models.Model):
    """One stage of a complaint and its clock, as dates (London)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    # Stage 1: the day the complaint was received; stage 2: the day escalation was asked for.
    requested_on = models.DateField()
    acknowledgement_due_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The acknowledgement: our understanding of the complaint and the outcome the resident wants.
    understanding = models.TextField(blank=True)
    outcome_sought = models.TextField(blank=True)
    handler = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="complaint_stages"
    )
    extension_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    # Acknowledgement + the stage's working days + extension (capped): stored, never recomputed on read.
    response_due_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    working_days_to_respond = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    compensation_pence = models.PositiveIntegerField(default=0, help_text="Offered in this stage's response.")

    class Meta:
        ordering = ["stage"]
        constraints = [models.UniqueConstraint(fields=["complaint", "stage"], name="complaint_stage_once")]
        indexes = [
            models.Index(fields=["stage", "requested_on"], name="complaint_stage_requested"),
            models.Index(fields=["stage", "responded_on"], name="complaint_stage_responded"),
        ]

    def __str__(self):
        return f"{self.complaint_id} stage {self.stage}"

    @property
    def rules(self):
        return rules.rules_for(self.stage)

    @property
    def extension_days_left(self):
        return max(self.rules.max_extension - self.extension_days, 0)

    @property
    def answered_on_time(self):
        if self.responded_on is None or self.response_due_on is None:
            return None
        return self.responded_on <= self.response_due_on

    def refresh_response_due_on(self):
        self.response_due_on = (
            rules.response_due_on(self.acknowledged_on, self.stage, self.extension_days)
            if self.acknowledged_on
            else None
        )


class StageResponse(models.Model):
    """A stage's written response, from the structured form; kept as a print-ready page."""

    complaint_stage = models.OneToOneField(ComplaintStage, on_delete=models.CASCADE, related_name="response")
    written_by = models.ForeignKey("portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField()
    definition = models.TextField(help_text="The complaint as we understood and investigated it.")
    reasons = models.TextField(help_text="Why we reached our decision.")
    apology = models.TextField(blank=True)
    compensation_pence = models.PositiveIntegerField(default=0)
    how_to_escalate = models.TextField()
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    notification = models.ForeignKey(
        "portal.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"Response to {self.complaint_stage}"


class ResponsePoint(models.Model):
    response = models.ForeignKey(StageResponse, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField()
    point = models.TextField()
    decision = models.CharField(max_length=15, choices=Outcome.choices)
    reasons = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}. {self.get_decision_display()}"


class RemedyAction(models.Model):
    """Something we promised to do to put things right; tracked until it is done."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    response = models.ForeignKey(
        StageResponse, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["due_on", "id"], name="remedy_action_open", condition=Q(completed_on__isnull=True)),
        ]

    def __str__(self):
        return self.description

    @property
    def is_open(self):
        return self.completed_on is None


class CompensationPayment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="payments")
    amount_pence = models.PositiveIntegerField()
    paid_on = models.DateField()
    recorded_by = models.ForeignKey("portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["paid_on"], name="compensation_paid_on")]

    def __str__(self):
        return f"£{self.amount_pence / 100:,.2f} on {self.paid_on}"


def _document_path(instance, filename):
    # A random name: nothing the resident typed reaches the file system.
    return f"complaints/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ComplaintDocument(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class LearningEntry(models.Model):
    """A "you said, we did" entry: what residents told us through a complaint and what changed.
    The engagement app will gather these with others."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.SET_NULL, null=True, blank=True, related_name="learning_entries"
    )
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    you_said = models.TextField()
    we_did = models.TextField()
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "learning entries"
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="learning_published", condition=Q(published=True)),
        ]

    def __str__(self):
        return self.you_said[:60]


class AnnualReport(models.Model):
    """A financial year's complaints report: the manager's self-assessment against the Code and
    whether the report is published. The figures are computed from the complaints."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="The year the financial year starts in.")
    self_assessment = models.JSONField(default=dict, blank=True)
    improvements = models.TextField(blank=True, help_text="What we changed because of complaints this year.")
    assessed_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Complaints report {rules.financial_year_label(self.year)}"

    @property
    def label(self):
        return rules.financial_year_label(self.year)

    @property
    def is_published(self):
        return self.published_at is not None
