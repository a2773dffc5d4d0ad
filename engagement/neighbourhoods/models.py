"""Bringing housing officers closer to residents: where to find us (service centres and their
drop-in hours, each patch's officer, doorstep days), surgeries that rotate through the estates,
and estate walkabouts whose inspections score the cleaning and grounds contractors.

A surgery slot counts its bookings in `booked`, and the database refuses more than `capacity`,
so two residents racing for the last place get one booking between them. Inspection scores keep
the contractor who was responsible when the score was given, so a contractor's record stays
theirs after an estate changes hands.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# -- where to find us -------------------------------------------------------------------------------------


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ServiceCentre(models.Model):
    """A housing service centre, office or community hub residents can walk into."""

    class Kind(models.TextChoices):
        SERVICE_CENTRE = "service_centre", "Housing service centre"
        OFFICE = "office", "Office"
        COMMUNITY_HUB = "community_hub", "Community hub"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERVICE_CENTRE)
    address = models.TextField(help_text="One line per line of the address, without the postcode.")
    postcode = models.CharField(max_length=10)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    helps_with = models.TextField(
        help_text="What residents can get help with here, one thing per line."
    )
    access_information = models.TextField(
        blank=True, help_text="Step-free access, hearing loop, parking, buses."
    )
    neighbourhoods = models.ManyToManyField(
        "portal.Neighbourhood", related_name="service_centres", blank=True
    )
    # Closed, not deleted: residents' history may refer to it. Closed centres are not shown.
    is_active = models.BooleanField(default=True)
    # One record per "add" form: a double click adds it once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()] + [
            self.postcode
        ]

    @property
    def help_list(self) -> list[str]:
        return [line.strip() for line in self.helps_with.splitlines() if line.strip()]


class DropInHours(models.Model):
    """When a centre is open to walk in without an appointment, on one day of the week."""

    centre = models.ForeignKey(
        ServiceCentre, on_delete=models.CASCADE, related_name="drop_in_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()
    note = models.CharField(
        max_length=150, blank=True, help_text="For example 'Money advice only'."
    )
    # One record per "add" form: a double click adds it once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "drop-in hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="drop_in_closes_after_opening"
            )
        ]

    def __str__(self):
        return (
            f"{self.centre}: {self.get_weekday_display()} {self.opens:%H:%M} to {self.closes:%H:%M}"
        )


def officer_photo_path(instance, filename):
    return f"officer_photos/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class OfficerProfile(models.Model):
    """What residents see of their housing officer: how to reach them and, if they wish, a photo.
    The officer's patch itself is `Officer.patch` in the core."""

    officer = models.OneToOneField(
        "portal.Officer", on_delete=models.CASCADE, related_name="public_profile"
    )
    phone = models.CharField(
        "Phone number for residents",
        max_length=40,
        blank=True,
        help_text="A work mobile or direct line.",
    )
    email = models.EmailField("Email address for residents", blank=True)
    about = models.TextField(blank=True, help_text="A few words residents will read.")
    # Re-saved by the service without metadata; served by a view, never from a guessable path.
    photo = models.FileField(upload_to=officer_photo_path, blank=True)
    photo_content_type = models.CharField(max_length=40, blank=True)
    photo_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="Alternative text, for people who cannot see the photo.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.officer)


class DoorstepDay(models.Model):
    """A day officers spend on an estate knocking on doors and meeting residents ("Community
    Thursday")."""

    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.CASCADE, related_name="doorstep_days"
    )
    title = models.CharField(max_length=120, default="Community Thursday")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    meeting_point = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    officer = models.ForeignKey(
        "portal.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="doorstep_days",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["estate", "starts_at"], name="doorstep_day_estate_start"),
            models.Index(fields=["starts_at"], name="doorstep_day_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="doorstep_day_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["estate", "starts_at"], name="doorstep_day_once_per_start"
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.estate}"


# -- surgeries ----------------------------------------------------------------------------------------------


class Surgery(models.Model):
    """An officer's surgery on an estate: bookable slots, and drop-ins welcome if it says so."""

    estate = models.ForeignKey("portal.Estate", on_delete=models.PROTECT, related_name="surgeries")
    venue = models.CharField(
        max_length=200, help_text="Where on the estate, e.g. 'Community room, Holly Court'."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    officer = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, related_name="surgeries"
    )
    drop_in_welcome = models.BooleanField(default=True)
    notes = models.TextField(
        blank=True, help_text="Shown to residents, e.g. 'Step-free access from the car park'."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # One surgery per scheduling form: a double click schedules it once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name_plural = "surgeries"
        indexes = [
            models.Index(fields=["estate", "starts_at"], name="surgery_estate_start"),
            models.Index(fields=["starts_at"], name="surgery_start"),
            models.Index(fields=["officer", "starts_at"], name="surgery_officer_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="surgery_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"Surgery at {self.venue}, {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


class SurgerySlot(models.Model):
    surgery = models.ForeignKey(Surgery, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="surgery_slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="surgery_slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["surgery", "starts_at"], name="surgery_slot_unique_start"
            ),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%H:%M} ({self.booked}/{self.capacity})"

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity


class SurgeryBooking(models.Model):
    slot = models.ForeignKey(SurgerySlot, on_delete=models.PROTECT, related_name="bookings")
    surgery = models.ForeignKey(Surgery, on_delete=models.CASCADE, related_name="bookings")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="surgery_bookings"
    )
    about = models.TextField(blank=True, help_text="What the resident would like to talk about.")
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set in the same transaction as the reminder is queued, so it goes once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # One place per resident per surgery: a second click, or a second tab, books nothing more.
            models.UniqueConstraint(
                fields=["surgery", "resident"],
                condition=Q(cancelled_at__isnull=True),
                name="surgery_booking_once_per_resident",
            )
        ]
        indexes = [models.Index(fields=["resident", "booked_at"], name="surgery_booking_resident")]

    def __str__(self):
        return f"{self.resident} at {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class SurgeryVisit(models.Model):
    """Someone who came to a surgery, booked or not, and what they raised. An issue raised can
    become a case (an enquiry, a repair, a complaint) in one step; the visit then points at it."""

    surgery = models.ForeignKey(Surgery, on_delete=models.CASCADE, related_name="visits")
    booking = models.OneToOneField(
        SurgeryBooking, on_delete=models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    resident = models.ForeignKey(
        "portal.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surgery_visits",
    )
    visitor_name = models.CharField(
        max_length=150, blank=True, help_text="For a visitor who is not a resident we know."
    )
    raised = models.TextField("What they raised")
    case = models.OneToOneField(
        "portal.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surgery_visit",
    )
    logged_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["logged_at", "id"]
        indexes = [models.Index(fields=["surgery", "logged_at"], name="surgery_visit_surgery")]

    def __str__(self):
        return f"{self.who} at {self.surgery}"

    @property
    def who(self) -> str:
        return self.resident.full_name if self.resident_id else (self.visitor_name or "A visitor")


# -- contractors, walkabouts and inspections --------------------------------------------------------------


class ContractService(models.TextChoices):
    CLEANING = "cleaning", "Cleaning"
    GROUNDS = "grounds", "Grounds maintenance"


class Contractor(models.Model):
    name = models.CharField(max_length=150, unique=True)
    service = models.CharField(max_length=10, choices=ContractService.choices)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    # One record per "add" form: a double click adds it once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContractorAssignment(models.Model):
    """A contractor doing a service on an estate from a date; the next assignment ends it."""

    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="assignments")
    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.CASCADE, related_name="contractor_assignments"
    )
    service = models.CharField(max_length=10, choices=ContractService.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # One record per "add" form: a double click adds it once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["estate", "service", "-starts_on"]
        indexes = [
            models.Index(fields=["estate", "service", "starts_on"], name="contract_estate_service")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "service", "starts_on"], name="contract_one_start_per_service"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.contractor} ({self.get_service_display()}) at {self.estate}"


class OpenSpace(models.Model):
    """A shared outdoor place on an estate that is inspected: a play area, a car park, a green."""

    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.CASCADE, related_name="open_spaces"
    )
    name = models.CharField(max_length=120)
    # Retired, not deleted: its past inspection scores stay. New inspections leave it out.
    is_active = models.BooleanField(default=True)
    # One record per "add" form: a double click adds it once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "name"], name="open_space_unique_in_estate")
        ]

    def __str__(self):
        return self.name


class Walkabout(models.Model):
    """An estate walkabout residents can join; the officer scores the estate inspection on the walk."""

    estate = models.ForeignKey("portal.Estate", on_delete=models.PROTECT, related_name="walkabouts")
    starts_at = models.DateTimeField()
    meeting_point = models.CharField(max_length=200)
    officer = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, related_name="walkabouts"
    )
    notes = models.TextField(
        blank=True, help_text="Shown to residents, e.g. 'About an hour; wear good shoes'."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["estate", "starts_at"], name="walkabout_estate_start"),
            models.Index(fields=["starts_at"], name="walkabout_start"),
        ]

    def __str__(self):
        return f"Walkabout on {self.estate}, {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class WalkaboutSignup(models.Model):
    walkabout = models.ForeignKey(Walkabout, on_delete=models.CASCADE, related_name="signups")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="walkabout_signups"
    )
    signed_up_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["walkabout", "resident"],
                condition=Q(cancelled_at__isnull=True),
                name="walkabout_signup_once",
            )
        ]
        indexes = [
            models.Index(fields=["resident", "signed_up_at"], name="walkabout_signup_resident")
        ]

    def __str__(self):
        return f"{self.resident} on {self.walkabout}"


class InspectionElement(models.TextChoices):
    CLEANING = "cleaning", "Cleaning"
    GROUNDS = "grounds", "Grounds maintenance"
    LIGHTING = "lighting", "Lighting"
    BINS = "bins", "Bins and bin stores"
    GRAFFITI = "graffiti", "Graffiti"
    FLY_TIPPING = "fly_tipping", "Fly-tipping"
    FIRE_SAFETY = "fire_safety", "Fire safety"


# Which contractor answers for each element; lighting and fire safety stay with the landlord.
ELEMENT_SERVICE = {
    InspectionElement.CLEANING: ContractService.CLEANING,
    InspectionElement.BINS: ContractService.CLEANING,
    InspectionElement.GRAFFITI: ContractService.CLEANING,
    InspectionElement.FLY_TIPPING: ContractService.CLEANING,
    InspectionElement.GROUNDS: ContractService.GROUNDS,
}


class Score(models.IntegerChoices):
    VERY_POOR = 1, "1: Very poor"
    POOR = 2, "2: Poor"
    ACCEPTABLE = 3, "3: Acceptable"
    GOOD = 4, "4: Good"
    EXCELLENT = 5, "5: Excellent"


class Inspection(models.Model):
    """One inspection of an estate, usually on a walkabout, scored block by block and space by space."""

    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.PROTECT, related_name="inspections"
    )
    walkabout = models.OneToOneField(
        Walkabout, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspection"
    )
    inspected_on = models.DateField()
    officer = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, related_name="inspections"
    )
    residents_present = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["estate", "inspected_on"], name="inspection_estate_day"),
            models.Index(fields=["inspected_on"], name="inspection_day"),
        ]

    def __str__(self):
        return f"Inspection of {self.estate}, {self.inspected_on:%Y-%m-%d}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


def inspection_photo_path(instance, filename):
    return (
        f"inspection_photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"
    )


class InspectionScore(models.Model):
    """One element of one place scored on an inspection, with what was seen. `contractor` is who
    was responsible for that element there on that day (none for the landlord's own elements)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    block = models.ForeignKey(
        "portal.Block", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    open_space = models.ForeignKey(
        OpenSpace, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    element = models.CharField(max_length=15, choices=InspectionElement.choices)
    score = models.PositiveSmallIntegerField(
        choices=Score.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    photo = models.FileField(upload_to=inspection_photo_path, blank=True)
    photo_content_type = models.CharField(max_length=40, blank=True)
    contractor = models.ForeignKey(
        Contractor, on_delete=models.PROTECT, null=True, blank=True, related_name="scores"
    )
    # Denormalised from the inspection so the trend reports group on one indexed table.
    estate = models.ForeignKey("portal.Estate", on_delete=models.CASCADE, related_name="+")
    inspected_on = models.DateField()
    case = models.OneToOneField(
        "portal.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_finding",
    )
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(block__isnull=False) & Q(open_space__isnull=True))
                | (Q(block__isnull=True) & Q(open_space__isnull=False)),
                name="inspection_score_one_place",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="inspection_score_range"
            ),
            models.UniqueConstraint(
                fields=["inspection", "block", "element"],
                condition=Q(block__isnull=False),
                name="inspection_score_once_per_block",
            ),
            models.UniqueConstraint(
                fields=["inspection", "open_space", "element"],
                condition=Q(open_space__isnull=False),
                name="inspection_score_once_per_space",
            ),
        ]
        indexes = [
            models.Index(fields=["contractor", "inspected_on"], name="inspection_score_contractor"),
            models.Index(fields=["estate", "inspected_on"], name="inspection_score_estate"),
        ]

    def __str__(self):
        return f"{self.place}: {self.get_element_display()} {self.score}"

    @property
    def place(self):
        return self.block if self.block_id else self.open_space

    @property
    def is_problem(self) -> bool:
        return self.score <= settings.NEIGHBOURHOODS_PROBLEM_SCORE
