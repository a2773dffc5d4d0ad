"""Repairs: what was reported, how urgent it is, who does it and when, and how it ended.

Each repair, hazard and safety concern is a `portal.Case`; these models hold the details and
point one-to-one at it. Its promises (the repair target, the Awaab's Law clocks, the safety
action) are `portal.Deadline` rows on that case, so the queue, the reminders and RP02 read them
like any other deadline.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from portal.workdays import deadline_after, end_of_day, local_date


class TargetUnit(models.TextChoices):
    HOURS = "hours", "hours"
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "days"


class RepairPriority(models.Model):
    """A landlord's repair priority and its target, e.g. 'Urgent: 5 working days'. Data, not code:
    the landlord sets its own, and a repair keeps the priority it was given."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=60)
    target_amount = models.PositiveSmallIntegerField()
    target_unit = models.CharField(max_length=15, choices=TargetUnit.choices)
    is_emergency = models.BooleanField(
        default=False, help_text="Counted as an emergency repair in RP02."
    )
    bookable = models.BooleanField(
        default=True,
        help_text="Residents choose an appointment. Emergencies are attended without one.",
    )
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="What it means for the resident, e.g. 'We will make it safe'.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "repair priorities"

    def __str__(self):
        return self.name

    @property
    def target_words(self) -> str:
        unit = self.get_target_unit_display()
        if self.target_amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.target_amount} {unit}"

    def target_from(self, moment: datetime) -> datetime:
        """When a repair of this priority reported at `moment` is due, by portal.workdays."""
        if self.target_unit == TargetUnit.HOURS:
            return moment + timedelta(hours=self.target_amount)
        if self.target_unit == TargetUnit.WORKING_DAYS:
            return deadline_after(moment, self.target_amount)
        return end_of_day(local_date(moment) + timedelta(days=self.target_amount))


class OperativeTeam(models.Model):
    """The people who do repairs: our own operatives or a contractor, each covering some areas."""

    class Kind(models.TextChoices):
        IN_HOUSE = "in_house", "Our operatives"
        CONTRACTOR = "contractor", "Contractor"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.IN_HOUSE)
    trade = models.CharField(
        max_length=120, blank=True, help_text="For example 'Plumbing and heating'."
    )
    neighbourhoods = models.ManyToManyField(
        "portal.Neighbourhood", related_name="operative_teams", blank=True
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class SlotWindow(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    SCHOOL_RUN = "school_run", "School hours"
    EVENING = "evening", "Evening"


class AppointmentSlot(models.Model):
    """A time an operative team can come, with room for `capacity` jobs. `booked` counts the jobs
    taken; the database refuses more than capacity, so two residents can never take the last place."""

    team = models.ForeignKey(OperativeTeam, on_delete=models.CASCADE, related_name="slots")
    window = models.CharField(max_length=12, choices=SlotWindow.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    booked = models.PositiveSmallIntegerField(default=0)
    # Empty: offered for every bookable priority. Otherwise only for these (urgent-only slots).
    priorities = models.ManyToManyField(RepairPriority, related_name="slots", blank=True)

    class Meta:
        ordering = ["starts_at", "team_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["team", "starts_at", "window"], name="slot_unique_per_team"
            ),
        ]
        indexes = [
            models.Index(
                fields=["starts_at"],
                name="slot_free_by_start",
                condition=Q(booked__lt=F("capacity")),
            ),
        ]

    def __str__(self):
        return f"{self.team}: {self.get_window_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked


class RepairRequest(models.Model):
    """What a resident (or an officer for them) reported, and where it has got to."""

    case = models.OneToOneField("portal.Case", on_delete=models.CASCADE, related_name="repair")
    priority = models.ForeignKey(RepairPriority, on_delete=models.PROTECT, related_name="repairs")
    # The location and problem as chosen from repairs.catalogue, kept with their words at the time.
    location = models.CharField(max_length=40)
    location_label = models.CharField(max_length=120)
    is_communal = models.BooleanField(default=False)
    block = models.ForeignKey(
        "portal.Block", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where a communal repair is: the block's estate, or for an open space the estate alone.
    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=40)
    problem = models.CharField(max_length=60)
    problem_label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    answers = models.JSONField(
        default=dict, blank=True, help_text="The answers to the emergency questions."
    )
    emergency = models.CharField(
        max_length=40,
        blank=True,
        help_text="Which emergency the answers showed (repairs.catalogue.EMERGENCIES).",
    )
    access_notes = models.TextField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    # One report per token: a form sent twice (a double click, a resend) makes one repair.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_team = models.ForeignKey(
        OperativeTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="repairs"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    satisfaction_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["priority", "completed_at"], name="repair_priority_completed")
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.problem_label}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def communal_place(self) -> str:
        """Where a communal repair is: 'Holly Court, Elm Estate', or 'Elm Estate' for an open
        space; empty for a repair in a home. Select block and estate with the repair."""
        if not self.is_communal:
            return ""
        names = (
            self.block.name if self.block_id else "",
            self.estate.name if self.estate_id else "",
        )
        return ", ".join(name for name in names if name)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    RESCHEDULED = "rescheduled", "Moved to another time"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    NO_ACCESS = "no_access", "No access"


class Appointment(models.Model):
    repair = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="appointments")
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_at = models.DateTimeField(default=timezone.now)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was moved, cancelled or visited."
    )
    # Set in the same transaction as the reminder is queued, so it goes exactly once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-booked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["repair"],
                condition=Q(status="booked"),
                name="one_booked_appointment_per_repair",
            )
        ]
        indexes = [
            models.Index(
                fields=["slot"],
                name="appointment_to_remind",
                condition=Q(status="booked", reminder_sent_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.repair.case.reference} {self.slot}"

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED


class VisitOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended, work in progress"
    NO_ACCESS = "no_access", "No access"
    FOLLOW_ON = "follow_on", "Follow-on work needed"


class RepairVisit(models.Model):
    """An operative's visit as recorded by staff: attended, could not get in, or more work needed."""

    repair = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="visits")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=VisitOutcome.choices)
    note = models.TextField(blank=True)
    follow_on_work = models.TextField(blank=True)
    visited_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["visited_at", "id"]

    def __str__(self):
        return f"{self.repair} {self.get_outcome_display()}"


def photo_path(instance, filename):
    # A random name, never the resident's own: a file name can say who or where they are.
    now = timezone.now()
    return f"repair_photos/{now:%Y/%m}/{instance.public_id.hex}.{filename.rsplit('.', 1)[-1]}"


class RepairPhoto(models.Model):
    """A photo a resident added, re-saved without its metadata (no location). Uploaded during the
    report before the repair exists, then attached to it when the report is sent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    repair = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    uploaded_by = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="repair_photos"
    )
    report_token = models.UUIDField(db_index=True, help_text="The report this photo was added to.")
    image = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return str(self.public_id)


class SatisfactionScore(models.IntegerChoices):
    # The Tenant Satisfaction Measures' five points, so these answers sit beside TP02 and TP03.
    VERY_SATISFIED = 5, "Very satisfied"
    FAIRLY_SATISFIED = 4, "Fairly satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = 2, "Fairly dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


class RepairSatisfaction(models.Model):
    """The one answer a resident gives to 'How satisfied are you with this repair?'."""

    repair = models.OneToOneField(
        RepairRequest, on_delete=models.CASCADE, related_name="satisfaction"
    )
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(choices=SatisfactionScore.choices)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.repair}: {self.get_score_display()}"

    @property
    def is_satisfied(self) -> bool:
        return self.score >= SatisfactionScore.FAIRLY_SATISFIED


class HazardSeverity(models.TextChoices):
    NOT_YET_KNOWN = "unknown", "Not yet investigated"
    EMERGENCY = "emergency", "Emergency hazard"
    SIGNIFICANT = "significant", "Significant hazard"
    NONE_FOUND = "none", "No significant hazard found"


class HazardReport(models.Model):
    """A damp and mould problem or another hazard, and where it stands on the Awaab's Law clocks.

    On a repair's case when a resident reports damp or mould, or an officer flags a hazard on a
    repair; on a case of its own (kind 'hazard') when an officer finds one at a home.
    """

    case = models.OneToOneField("portal.Case", on_delete=models.CASCADE, related_name="hazard")
    description = models.TextField()
    aware_at = models.DateTimeField(help_text="When we became aware of it: the clocks start here.")
    is_emergency = models.BooleanField(default=False)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    investigated_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(blank=True)
    severity = models.CharField(
        max_length=12, choices=HazardSeverity.choices, default=HazardSeverity.NOT_YET_KNOWN
    )
    further_work_needed = models.BooleanField(default=False)
    summary = models.TextField(blank=True, help_text="The written summary sent to the tenant.")
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    safety_work_done_at = models.DateTimeField(null=True, blank=True)
    safety_work_note = models.TextField(blank=True)
    further_work_begun_at = models.DateTimeField(null=True, blank=True)
    further_work_note = models.TextField(blank=True)

    def __str__(self):
        return f"{self.case.reference}: {self.description[:60]}"


class SafetyConcernCategory(models.TextChoices):
    FIRE_DOOR = "fire_door", "Fire doors"
    FIRE_ALARM = "fire_alarm", "Fire alarms or smoke detectors"
    ESCAPE_ROUTE = "escape_route", "Blocked escape routes or stairs"
    CLADDING = "cladding", "Cladding or outside walls"
    LIFT = "lift", "Lifts"
    OTHER = "other", "Something else"


class SafetyConcern(models.Model):
    """A building-safety concern, raised to the building-safety team as urgent."""

    case = models.OneToOneField(
        "portal.Case", on_delete=models.CASCADE, related_name="safety_concern"
    )
    category = models.CharField(max_length=20, choices=SafetyConcernCategory.choices)
    location = models.CharField(max_length=200)
    description = models.TextField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_taken = models.TextField(blank=True)
    actioned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.case.reference}: {self.get_category_display()}"
