"""Resident voice: panels and their members, meetings, resident-led scrutiny reviews and the
landlord's answers, consultations, and "you said, we did".

Residents take part from the same account they report repairs with: every record here points at
the portal's Resident. Who may join a panel or answer a consultation follows from the tenure and
estate of the resident's current homes.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.models import Tenure


class PanelKind(models.TextChoices):
    SCRUTINY = "scrutiny", "Scrutiny panel"
    ENGAGEMENT = "engagement", "Engagement panel"
    FORUM = "forum", "Tenant and leaseholder forum"
    ADVISORY_BOARD = "advisory_board", "Housing advisory board"
    CUSTOMER_COMMITTEE = "customer_committee", "Customer committee"


class Panel(models.Model):
    """A group of residents the landlord answers to: who it is for, what it does, what it asks."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=30, choices=PanelKind.choices)
    theme = models.CharField(
        max_length=120,
        blank=True,
        help_text="For an engagement panel: repairs, anti-social behaviour...",
    )
    purpose = models.TextField(help_text="Why the panel exists, in a sentence or two.")
    what_members_do = models.TextField()
    time_commitment = models.CharField(
        max_length=200, help_text="For example: a 2-hour meeting every month."
    )
    # Empty means every tenure / every estate.
    # A list of Tenure values (JSON, so the demo's SQLite works as well as PostgreSQL).
    open_to_tenures = models.JSONField(blank=True, default=list)
    open_to_estates = models.ManyToManyField("portal.Estate", blank=True, related_name="+")
    term_months = models.PositiveSmallIntegerField(
        default=24, help_text="How long a member serves before renewing."
    )
    is_recruiting = models.BooleanField(default=True)
    # False once a manager closes the panel: gone from "Get involved", no applications, no
    # meetings; its published reviews stay public. A manager can reopen it.
    is_active = models.BooleanField(default=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closing_message = models.TextField(
        blank=True, help_text="What members and applicants were told when the panel closed."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def is_open_to_everyone(self):
        return not self.open_to_tenures

    def tenure_labels(self):
        labels = dict(Tenure.choices)
        return [labels.get(value, value) for value in self.open_to_tenures]


class PortfolioRole(models.Model):
    """A part of the service a member follows for the panel: the repairs contract, grounds
    maintenance, estate cleaning, allocations..."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="portfolio_roles")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="portfolio_role_unique_in_panel")
        ]

    def __str__(self):
        return self.name


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    MEMBER = "member", "Member"
    DECLINED = "declined", "Not accepted"
    WITHDRAWN = "withdrawn", "Application withdrawn"
    LEFT = "left", "Left"
    ENDED = "ended", "Membership ended"

    @classmethod
    def live(cls):
        return [cls.APPLIED, cls.MEMBER]


class SupportNeed(models.TextChoices):
    TRANSPORT = "transport", "Transport to meetings"
    CHILDCARE = "childcare", "Childcare"
    INTERPRETER = "interpreter", "An interpreter"
    LARGE_PRINT = "large_print", "Papers in large print"
    HEARING_LOOP = "hearing_loop", "A hearing loop"
    STEP_FREE = "step_free", "Step-free access"
    ONLINE = "online", "Joining online"


class MembershipEndReason(models.TextChoices):
    """Why a member of staff ended a membership. Seen by staff only."""

    TERM_ENDED = "term_ended", "Their term ended"
    STEPPED_DOWN = "stepped_down", "They stepped down"
    MOVED_AWAY = "moved_away", "No longer eligible after moving home"
    CONDUCT = "conduct", "Conduct"


class PanelMembership(models.Model):
    """A resident's application to a panel and, once accepted, their membership and its term."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="memberships")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="panel_memberships"
    )
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.APPLIED
    )
    why = models.TextField("Why do you want to join?")
    interests = models.TextField(blank=True)
    availability = models.TextField(blank=True)
    support_needs = models.JSONField(blank=True, default=list, help_text="SupportNeed values.")
    support_other = models.TextField(blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_message = models.TextField(blank=True)
    term_starts_on = models.DateField(null=True, blank=True)
    term_ends_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the application was withdrawn, or the member left or was ended.",
    )
    leaving_reason = models.TextField(blank=True)
    # When staff end a membership: why (staff only), who, and what the resident was told.
    end_reason = models.CharField(max_length=20, choices=MembershipEndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ending_message = models.TextField(blank=True)
    portfolio_role = models.ForeignKey(
        PortfolioRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            # One live application or membership per resident per panel: a double submit makes one.
            models.UniqueConstraint(
                fields=["panel", "resident"],
                condition=Q(status__in=["applied", "member"]),
                name="membership_one_live_per_panel",
            )
        ]
        indexes = [
            models.Index(fields=["panel", "status"], name="membership_panel_status"),
            models.Index(fields=["resident", "status"], name="membership_resident_status"),
        ]

    def __str__(self):
        return f"{self.resident} – {self.panel} ({self.get_status_display()})"

    def support_labels(self):
        labels = dict(SupportNeed.choices)
        return [labels.get(value, value) for value in self.support_needs]

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.status == MembershipStatus.MEMBER and (
            self.term_ends_on is None or self.term_ends_on >= today
        )


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=150)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(
        max_length=250, blank=True, help_text="Where it is held, if in person."
    )
    online_link = models.URLField(blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["panel", "starts_at"], name="meeting_panel_starts")]

    def __str__(self):
        return f"{self.panel}: {self.title}"

    @property
    def is_past(self):
        return self.starts_at < timezone.now()


class PaperKind(models.TextChoices):
    PAPER = "paper", "Meeting paper"
    MINUTES = "minutes", "Minutes"


class MeetingPaper(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(max_length=10, choices=PaperKind.choices, default=PaperKind.PAPER)
    title = models.CharField(max_length=150)
    file = models.FileField(upload_to="engagement/papers/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.title


class Rsvp(models.TextChoices):
    ATTENDING = "attending", "Coming"
    NOT_ATTENDING = "not_attending", "Not coming"
    MAYBE = "maybe", "Not sure yet"


class MeetingAttendance(models.Model):
    """A member's reply to a meeting invitation and, after the meeting, whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    rsvp = models.CharField(max_length=15, choices=Rsvp.choices, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "resident"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.resident} – {self.meeting}: {self.get_rsvp_display()}"


class MeetingReminder(models.Model):
    """A reminder sent to one member about one meeting; the constraint means it goes once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    resident = models.ForeignKey("portal.Resident", on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(
        "portal.Notification", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "resident"], name="meeting_reminder_once")
        ]

    def __str__(self):
        return f"Reminder to {self.resident} about {self.meeting}"


# -- scrutiny -------------------------------------------------------------------------------------------------


class ReviewStage(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    GATHERING = "gathering", "Gathering evidence"
    REPORTING = "reporting", "Writing findings and recommendations"
    AWAITING_RESPONSE = "awaiting_response", "Waiting for the landlord's response"
    RESPONDED = "responded", "Landlord has responded"


class ScrutinyReview(models.Model):
    """A resident-led review of a service: scope, questions, evidence, findings, recommendations."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="reviews")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    service = models.CharField(
        max_length=150, help_text="The service under review: repairs, complaints..."
    )
    scope = models.TextField()
    questions = models.TextField(help_text="The questions the panel wants answered, one a line.")
    starts_on = models.DateField()
    report_due_on = models.DateField()
    timetable = models.TextField(blank=True)
    stage = models.CharField(
        max_length=20, choices=ReviewStage.choices, default=ReviewStage.SCOPING
    )
    findings = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="A short summary for the public page.")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["published_at"], name="review_published")]

    def __str__(self):
        return self.title

    def question_lines(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class EvidenceRequest(models.Model):
    """What the panel asked the landlord for."""

    review = models.ForeignKey(
        ScrutinyReview, on_delete=models.CASCADE, related_name="evidence_requests"
    )
    asked = models.TextField()
    asked_by = models.ForeignKey(
        "portal.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self):
        return self.asked[:60]


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    FIGURE = "figure", "Live figure"


class Evidence(models.Model):
    """A document the landlord gave the panel, or a live figure the portal computed for a period,
    stored as the numbers were on the day so the panel's evidence does not move under it."""

    review = models.ForeignKey(ScrutinyReview, on_delete=models.CASCADE, related_name="evidence")
    request = models.ForeignKey(
        EvidenceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    file = models.FileField(upload_to="engagement/evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    measure_key = models.CharField(max_length=60, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    met = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    added_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.title


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class Recommendation(models.Model):
    review = models.ForeignKey(
        ScrutinyReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    decision = models.CharField(max_length=20, choices=ResponseDecision.choices, blank=True)
    reasons = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_number_unique"
            )
        ]

    def __str__(self):
        return f"Recommendation {self.number}: {self.text[:60]}"


class RecommendationAction(models.Model):
    """What the landlord will do about a recommendation, by whom and when, tracked to done."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], name="rec_action_open", condition=Q(done_on__isnull=True)
            )
        ]

    def __str__(self):
        return self.description[:60]


# -- consultations ------------------------------------------------------------------------------------------


class ConsultationAudience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    TENURE = "tenure", "Residents of one tenure"
    ESTATE = "estate", "Residents of one estate"


class Consultation(models.Model):
    """A question put to residents about a new or revised policy or strategy (a draft tenant
    charter, say), open between two moments, then its results and what changed because of it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(help_text="What is proposed and why, in plain words.")
    document = models.FileField(upload_to="engagement/consultations/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_content_type = models.CharField(max_length=100, blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    audience = models.CharField(
        max_length=10, choices=ConsultationAudience.choices, default=ConsultationAudience.EVERYONE
    )
    audience_tenure = models.CharField(max_length=10, choices=Tenure.choices, blank=True)
    audience_estate = models.ForeignKey(
        "portal.Estate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tell_residents = models.BooleanField(
        default=False, help_text="Tell everyone asked, in their preferred way, when it opens."
    )
    # The announcement goes out in batches: the last resident told, and when everyone had been.
    announced_up_to = models.PositiveBigIntegerField(default=0)
    announced_at = models.DateTimeField(null=True, blank=True)
    results_summary = models.TextField(blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)
    you_told_us = models.TextField(blank=True)
    we_changed = models.TextField(blank=True)
    outcome_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        indexes = [
            models.Index(fields=["opens_at", "closes_at"], name="consultation_window"),
            models.Index(fields=["outcome_published_at"], name="consultation_outcome"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    @property
    def audience_words(self):
        if self.audience == ConsultationAudience.TENURE and self.audience_tenure:
            return f"{Tenure(self.audience_tenure).label} residents"
        if self.audience == ConsultationAudience.ESTATE and self.audience_estate_id:
            return f"Residents of {self.audience_estate}"
        return "All residents"


class QuestionKind(models.TextChoices):
    CHOICE = "choice", "Choose one answer"
    SCALE = "scale", "Agree or disagree scale"
    TEXT = "text", "Free text"


SCALE_ANSWERS = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
]


class ConsultationQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(blank=True, default=list)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="question_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    @property
    def options(self):
        return SCALE_ANSWERS if self.kind == QuestionKind.SCALE else list(self.choices)


class ResponseChannel(models.TextChoices):
    WEB = "web", "Online"
    PAPER = "paper", "Paper form"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"


class ConsultationResponse(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    # Null for a paper or phone answer from someone we could not match to an account.
    resident = models.ForeignKey(
        "portal.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation_responses",
    )
    channel = models.CharField(
        max_length=10, choices=ResponseChannel.choices, default=ResponseChannel.WEB
    )
    entered_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "resident"],
                condition=Q(resident__isnull=False),
                name="consultation_one_response_per_resident",
            )
        ]

    def __str__(self):
        return f"{self.consultation}: {self.resident or 'unnamed'}"


class Moderation(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not shown"


class ConsultationAnswer(models.Model):
    """One answer. A choice or scale answer is `choice`; a free-text comment is `text`, shown to
    others only once a member of staff has approved it."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.CharField(max_length=150, blank=True)
    text = models.TextField(blank=True)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, blank=True)
    moderated_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_once_per_question"
            )
        ]
        indexes = [
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["question", "moderation"], name="answer_moderation"),
        ]

    def __str__(self):
        return self.choice or self.text[:60]


# -- you said, we did ---------------------------------------------------------------------------------------


class ChangeSource(models.TextChoices):
    SCRUTINY = "scrutiny", "Scrutiny review"
    CONSULTATION = "consultation", "Consultation"
    PANEL = "panel", "Resident panel"
    COMPLAINTS = "complaints", "Complaints learning"


class ChangeEntry(models.Model):
    """A change made because residents spoke, linked to where they said it."""

    source = models.CharField(max_length=20, choices=ChangeSource.choices)
    review = models.ForeignKey(
        ScrutinyReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    you_said = models.TextField()
    we_did = models.TextField()
    made_on = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-pk"]
        verbose_name_plural = "change entries"
        indexes = [
            models.Index(
                fields=["-made_on"],
                name="change_published",
                condition=Q(published_at__isnull=False),
            )
        ]

    def __str__(self):
        return self.you_said[:60]
