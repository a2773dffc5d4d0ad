"""Neighbourhood plans and the community fund for resident-led projects.

A NeighbourhoodPlan holds the priorities offered to the residents of one neighbourhood. During its
voting window each resident of that neighbourhood sends one Ballot: up to three priorities in
order. Officers turn the priorities residents chose into PlanActions with an owner and a date, and
publish progress on the neighbourhood's public page.

A CommunityFund is one financial year's budget for resident-led projects. Residents apply
(ProjectApplication), other residents add their support, officers and resident panel members score
each application against the fund's published criteria, an officer decides, the grant is paid, and
the applicant posts progress with photos. Amounts are whole pence; every total is a database
aggregate.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.workdays import financial_year_label as financial_year_label
from portal.workdays import financial_year_of as financial_year_of
from portal.workdays import local_date

# A first choice is worth 3 points, a second 2, a third 1: the order a resident gives counts.
MAX_CHOICES = 3


def points_for(rank: int) -> int:
    return MAX_CHOICES + 1 - rank


class Theme(models.TextChoices):
    SAFETY = "safety", "Safety"
    CLEANLINESS = "cleanliness", "Cleanliness"
    ASB = "asb", "Anti-social behaviour"
    COMMUNITY_SPACES = "community_spaces", "Community spaces"
    GREEN_SPACES = "green_spaces", "Green spaces"
    PARKING = "parking", "Parking and roads"
    YOUNG_PEOPLE = "young_people", "Activities for young people"
    OTHER = "other", "Something else"


class NeighbourhoodPlan(models.Model):
    neighbourhood = models.ForeignKey(
        "portal.Neighbourhood", on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(max_length=150)
    introduction = models.TextField(blank=True)
    voting_opens_on = models.DateField()
    voting_closes_on = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-off token: the same form sent twice makes one record.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # Telling the neighbourhood's residents that voting is open goes in chunks: when it began, the
    # highest resident id told so far (so a chunk run twice tells nobody twice), and when it ended.
    announcement_started_at = models.DateTimeField(null=True, blank=True)
    announced_through_resident_id = models.BigIntegerField(default=0)
    announcement_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-voting_opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_closes_on__gte=models.F("voting_opens_on")),
                name="plan_voting_window_in_order",
            ),
        ]
        indexes = [models.Index(fields=["neighbourhood", "-voting_opens_on"], name="plan_by_patch")]

    def __str__(self):
        return f"{self.title} ({self.neighbourhood})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def voting_state(self, today=None) -> str:
        """ "not_open", "open" or "closed", by London dates: the window includes both end days."""
        today = today or local_date(timezone.now())
        if today < self.voting_opens_on:
            return "not_open"
        if today > self.voting_closes_on:
            return "closed"
        return "open"

    @property
    def voting_is_open(self) -> bool:
        return self.is_published and self.voting_state() == "open"

    @property
    def voting_has_closed(self) -> bool:
        return self.voting_state() == "closed"


class PlanPriority(models.Model):
    plan = models.ForeignKey(NeighbourhoodPlan, on_delete=models.CASCADE, related_name="priorities")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="priority_title_unique_in_plan")
        ]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    """One resident's vote set on one plan. Sending it again replaces the choices."""

    plan = models.ForeignKey(NeighbourhoodPlan, on_delete=models.CASCADE, related_name="ballots")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="plan_ballots"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "resident"], name="one_ballot_per_resident_per_plan"
            )
        ]

    def __str__(self):
        return f"{self.resident} on {self.plan}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "rank"], name="one_priority_per_rank"),
            models.UniqueConstraint(
                fields=["ballot", "priority"], name="priority_chosen_once_per_ballot"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=MAX_CHOICES), name="choice_rank_in_range"
            ),
        ]
        indexes = [models.Index(fields=["priority", "rank"], name="choice_by_priority")]

    def __str__(self):
        return f"{self.rank}: {self.priority_id}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class PlanAction(models.Model):
    plan = models.ForeignKey(NeighbourhoodPlan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(PlanPriority, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, related_name="plan_actions"
    )
    # Who else does the work, where it is not only us: "Millbrook Police", "Friends of Hollybank Park".
    partner = models.CharField(max_length=150, blank=True)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-off token: the same form sent twice makes one record.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["plan", "status"], name="action_by_plan_status")]

    def __str__(self):
        return self.title


class ActionUpdate(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    written_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-off token: the same form sent twice makes one record.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Update on {self.action_id} at {self.created_at:%Y-%m-%d}"


# -- the community fund ----------------------------------------------------------------------------------------


class CommunityFund(models.Model):
    """One financial year's fund. `year` 2026 is 1 April 2026 to 31 March 2027."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=120, default="Community fund")
    introduction = models.TextField(blank=True)
    budget_pence = models.PositiveIntegerField()
    max_award_pence = models.PositiveIntegerField(help_text="The most one project can be given")
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="fund_window_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    def is_open_for_applications(self, today=None) -> bool:
        today = today or local_date(timezone.now())
        return self.opens_on <= today <= self.closes_on


class FundCriterion(models.Model):
    """A published criterion every application is scored against, from 0 to max_score."""

    fund = models.ForeignKey(CommunityFund, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    max_score = models.PositiveSmallIntegerField(default=5)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "fund criteria"
        constraints = [
            models.UniqueConstraint(fields=["fund", "title"], name="criterion_title_unique_in_fund")
        ]

    def __str__(self):
        return self.title


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Received"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Not funded"
    PAID = "paid", "Grant paid"
    COMPLETED = "completed", "Project finished"

    @classmethod
    def awarded_values(cls):
        return [cls.APPROVED, cls.PAID, cls.COMPLETED]


class ApplyingAs(models.TextChoices):
    RESIDENT = "resident", "Myself, as a resident"
    GROUP = "group", "A residents' group or community group"


class ProjectApplication(models.Model):
    fund = models.ForeignKey(CommunityFund, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        "portal.Resident", on_delete=models.PROTECT, related_name="project_applications"
    )
    neighbourhood = models.ForeignKey(
        "portal.Neighbourhood", on_delete=models.PROTECT, related_name="+"
    )
    applying_as = models.CharField(
        max_length=10, choices=ApplyingAs.choices, default=ApplyingAs.RESIDENT
    )
    group_name = models.CharField(max_length=150, blank=True)
    title = models.CharField(max_length=120)
    what = models.TextField("What the project is")
    where = models.CharField("Where it will happen", max_length=200)
    who_benefits = models.TextField()
    cost_pence = models.PositiveIntegerField("Amount asked for")
    cost_breakdown = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(unique=True, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    awarded_pence = models.PositiveIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True)
    paid_pence = models.PositiveIntegerField(default=0)
    payment_reference = models.CharField(max_length=60, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_pence__lte=models.F("awarded_pence")), name="paid_within_award"
            ),
            models.CheckConstraint(
                condition=Q(awarded_pence__lte=models.F("cost_pence")),
                name="award_within_amount_asked",
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "status"], name="application_by_fund_status"),
            models.Index(fields=["applicant", "-submitted_at"], name="application_by_applicant"),
            models.Index(fields=["neighbourhood", "status"], name="application_by_patch"),
            # The public list of projects: by status, newest first, across the years.
            models.Index(fields=["status", "-submitted_at"], name="application_by_status"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def applicant_label(self) -> str:
        return (
            self.group_name
            if self.applying_as == ApplyingAs.GROUP and self.group_name
            else "A resident"
        )

    @property
    def is_open_for_support(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED

    @property
    def is_funded(self) -> bool:
        return self.status in ApplicationStatus.awarded_values()


class ProjectSupporter(models.Model):
    application = models.ForeignKey(
        ProjectApplication, on_delete=models.CASCADE, related_name="supporters"
    )
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="projects_supported"
    )
    comment = models.CharField(max_length=500, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "resident"], name="support_once_per_resident"
            ),
        ]

    def __str__(self):
        return f"{self.resident_id} supports {self.application_id}"


class Assessment(models.Model):
    """One assessor's scores for one application: an officer's or a resident panel member's."""

    application = models.ForeignKey(
        ProjectApplication, on_delete=models.CASCADE, related_name="assessments"
    )
    officer = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        "portal.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_assessments",
    )
    comments = models.TextField(blank=True)
    total_score = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, resident__isnull=True)
                | Q(officer__isnull=True, resident__isnull=False),
                name="assessment_by_one_assessor",
            ),
            models.UniqueConstraint(
                fields=["application", "officer"],
                condition=Q(officer__isnull=False),
                name="one_assessment_per_officer",
            ),
            models.UniqueConstraint(
                fields=["application", "resident"],
                condition=Q(resident__isnull=False),
                name="one_assessment_per_resident",
            ),
        ]

    def __str__(self):
        return f"Assessment of {self.application_id}"

    @property
    def assessor_name(self) -> str:
        return (
            self.officer.name if self.officer_id else f"{self.resident.full_name} (resident panel)"
        )


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(FundCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"


def _photo_path(instance, filename):
    return f"plans/projects/{instance.public_id}{filename[filename.rfind('.') :]}"


class ProjectUpdate(models.Model):
    """Progress on a funded project, by the applicant, shown on the project's public page."""

    application = models.ForeignKey(
        ProjectApplication, on_delete=models.CASCADE, related_name="updates"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-off token: the same form sent twice makes one record.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Update on {self.application_id} at {self.created_at:%Y-%m-%d}"


class ProjectPhoto(models.Model):
    update = models.ForeignKey(ProjectUpdate, on_delete=models.CASCADE, related_name="photos")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.ImageField(upload_to=_photo_path, width_field="width", height_field="height")
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.public_id)


__all__ = [
    "ActionStatus",
    "ActionUpdate",
    "ApplicationStatus",
    "ApplyingAs",
    "Assessment",
    "Ballot",
    "BallotChoice",
    "CommunityFund",
    "CriterionScore",
    "FundCriterion",
    "NeighbourhoodPlan",
    "PlanAction",
    "PlanPriority",
    "ProjectApplication",
    "ProjectPhoto",
    "ProjectSupporter",
    "ProjectUpdate",
    "Theme",
]
