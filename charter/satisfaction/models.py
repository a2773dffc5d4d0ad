"""The tenant perception survey, its responses, the landlord's imported compliance and stock
condition records, and each year's published Tenant Satisfaction Measures.

Answers are stored one column per question (tp01 ... tp12) so a year's results are one aggregate
query with conditional counts. A publication is a frozen snapshot: it is written once and never
changed; a correction is a new revision beside it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from charter.satisfaction import measures


class CollectionMethod(models.TextChoices):
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone interview"
    PAPER = "paper", "Paper questionnaire"
    FACE_TO_FACE = "face_to_face", "Face-to-face interview"


class ResponseSource(models.TextChoices):
    RESIDENT = "resident", "Answered online by the resident"
    STAFF = "staff", "Entered by staff"
    IMPORTED = "imported", "Imported from a survey contractor"


class SurveyTenure(models.TextChoices):
    LCRA = measures.LCRA, "Social rent (LCRA)"
    LCHO = measures.LCHO, "Shared ownership (LCHO)"


class Survey(models.Model):
    """One financial year's perception survey: how it is sampled, when it is open, and the draft
    summary of approach that is frozen into each publication."""

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="2025 means 1 April 2025 to 31 March 2026"
    )
    target_margin_of_error = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("20"))],
        help_text="Plus or minus this many percentage points at 95% confidence; the sample is sized for it.",
    )
    expected_response_rate = models.PositiveSmallIntegerField(
        default=35,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percent of invited households expected to answer; more are invited to allow for it.",
    )
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(default=7)
    max_reminders = models.PositiveSmallIntegerField(default=2)
    sample_drawn_at = models.DateTimeField(null=True, blank=True)

    # The summary of approach the regulator asks landlords to publish beside the results.
    timing = models.TextField(blank=True)
    collection_methods = models.TextField(blank=True)
    sample_method = models.TextField(blank=True)
    representativeness = models.TextField(blank=True)
    weighting = models.TextField(blank=True)
    contractor_role = models.TextField(blank=True)
    households_excluded = models.TextField(blank=True)
    incentives = models.TextField(blank=True)
    comparability = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    APPROACH_FIELDS = (
        ("timing", "Timing of the survey"),
        ("collection_methods", "Collection methods"),
        ("sample_method", "Sample method"),
        ("representativeness", "Representativeness of the sample"),
        ("weighting", "Weighting"),
        ("contractor_role", "Role of any external contractor"),
        ("households_excluded", "Households excluded"),
        ("incentives", "Incentives offered"),
        ("comparability", "Anything that affects comparison with earlier years"),
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Tenant satisfaction survey {self.label}"

    @property
    def label(self):
        return measures.year_label(self.year)

    def approach(self) -> dict:
        return {name: getattr(self, name) for name, _ in self.APPROACH_FIELDS}


class Invitation(models.Model):
    """A household drawn into the year's online sample, and the resident asked to answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    home = models.ForeignKey("portal.Home", on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        "portal.Resident", on_delete=models.CASCADE, related_name="tsm_invitations"
    )
    tenure = models.CharField(max_length=4, choices=SurveyTenure.choices)
    invited_at = models.DateTimeField()
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_contacted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "home"], name="tsm_invitation_once_per_home")
        ]
        indexes = [
            models.Index(fields=["survey", "resident"], name="tsm_invitation_resident"),
            models.Index(fields=["survey", "last_contacted_at"], name="tsm_invitation_contacted"),
        ]

    def __str__(self):
        return f"{self.survey} {self.home}"


_answer = {"max_length": 20, "blank": True, "choices": measures.ANSWER_CHOICES}


class SurveyResponseQuerySet(models.QuerySet):
    def counted(self):
        """Responses that count in the results: every one not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class SurveyResponse(models.Model):
    """One household's answers for one financial year. `respondent` is the household's reference
    (the home's UPRN for answers given in the portal; the contractor's reference, or a UPRN, for
    imported ones). A blank answer is a question not asked or skipped; `dont_know` is an
    unprompted don't know, not applicable or refusal. Neither counts in the results."""

    year = models.PositiveSmallIntegerField()
    respondent = models.CharField(max_length=60)
    home = models.ForeignKey(
        "portal.Home", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        "portal.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tsm_responses",
    )
    tenure = models.CharField(max_length=4, choices=SurveyTenure.choices)
    collected_on = models.DateField()
    method = models.CharField(max_length=12, choices=CollectionMethod.choices)
    source = models.CharField(max_length=10, choices=ResponseSource.choices)
    had_repair = models.BooleanField(null=True)
    made_complaint = models.BooleanField(null=True)
    has_communal = models.BooleanField(null=True)
    tp01 = models.CharField(**_answer)
    tp02 = models.CharField(**_answer)
    tp03 = models.CharField(**_answer)
    tp04 = models.CharField(**_answer)
    tp05 = models.CharField(**_answer)
    tp06 = models.CharField(**_answer)
    tp07 = models.CharField(**_answer)
    tp08 = models.CharField(**_answer)
    tp09 = models.CharField(**_answer)
    tp10 = models.CharField(**_answer)
    tp11 = models.CharField(**_answer)
    tp12 = models.CharField(**_answer)
    entered_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_batch = models.ForeignKey(
        "satisfaction.ResponseImport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # A withdrawn response (a duplicate household, or the resident asked for their answers to be
    # removed) stays stored for the record but no longer counts, and the household may answer again.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "respondent"],
                condition=Q(withdrawn_at__isnull=True),
                name="tsm_one_response_per_respondent_year",
            ),
            models.UniqueConstraint(
                fields=["year", "home"],
                condition=Q(home__isnull=False, withdrawn_at__isnull=True),
                name="tsm_one_response_per_home_year",
            ),
        ]
        indexes = [models.Index(fields=["year", "tenure"], name="tsm_response_year_tenure")]

    def __str__(self):
        return f"{self.respondent} {measures.year_label(self.year)}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def answers(self) -> dict:
        return {q.code: getattr(self, q.field) for q in measures.QUESTIONS}

    def filter_answers(self) -> dict:
        return {
            measures.REPAIR_FILTER: self.had_repair,
            measures.COMPLAINT_FILTER: self.made_complaint,
            measures.COMMUNAL_FILTER: self.has_communal,
        }


class ResponseCorrection(models.Model):
    """A staff correction of a stored response (an answer keyed wrongly): who, when, why, and the
    answers and filter answers before and after. The response's history; never changed."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="corrections"
    )
    corrected_at = models.DateTimeField()
    corrected_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    before = models.JSONField(help_text="The changed answers as they were, by code")
    after = models.JSONField(help_text="The changed answers as corrected, by code")
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-corrected_at", "-id"]
        indexes = [
            models.Index(fields=["response", "corrected_at"], name="tsm_correction_response")
        ]

    def __str__(self):
        return f"Correction of {self.response} at {self.corrected_at:%Y-%m-%d %H:%M}"


class ResponseImport(models.Model):
    """A contractor's file of responses, imported whole: who brought it in and when."""

    year = models.PositiveSmallIntegerField()
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name} ({self.rows} responses)"


class RecordKind(models.TextChoices):
    COMPLIANCE = "compliance", "Building safety compliance"
    STOCK_CONDITION = "stock_condition", "Stock condition"


class ManagementRecord(models.Model):
    """One home's (or block's) result for one management measure in a year, from the landlord's
    compliance or stock condition records: `met` is True when the required checks were all done
    (BS01 to BS05) or the home meets the Decent Homes Standard (RP01)."""

    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=4)
    asset = models.CharField(max_length=60, help_text="The home's UPRN, or the block's reference")
    met = models.BooleanField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "measure", "asset"], name="tsm_record_once_per_asset"
            )
        ]
        indexes = [models.Index(fields=["year", "measure"], name="tsm_record_year_measure")]

    def __str__(self):
        return f"{self.measure} {self.asset} {measures.year_label(self.year)}"


class ManagementImport(models.Model):
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"


class PublicationChanged(Exception):
    """A publication is a frozen record; a correction is a new revision."""


class PublicationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PublicationChanged(
            "A published year cannot be changed; publish a correction as a new revision"
        )

    def delete(self):
        raise PublicationChanged(
            "A published year cannot be deleted; publish a correction as a new revision"
        )


class Publication(models.Model):
    """A year's Tenant Satisfaction Measures as published: the figures and the summary of approach
    frozen at that moment. Revision 1 is the first publication; each correction is the next
    revision, with a note of what changed and why. Rows are never updated or deleted."""

    year = models.PositiveSmallIntegerField()
    revision = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey("portal.Officer", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text="What this revision corrects, and why")
    figures = models.JSONField(help_text="The measures as published: a list of rows")
    approach = models.JSONField(help_text="The summary of approach as published")

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "revision"], name="tsm_publication_revision_once"
            )
        ]

    def __str__(self):
        return f"TSM {self.label} revision {self.revision}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PublicationChanged(
                "A published year cannot be changed; publish a correction as a new revision"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("satisfaction:revision", args=[self.year, self.revision])

    def delete(self, *args, **kwargs):
        raise PublicationChanged(
            "A published year cannot be deleted; publish a correction as a new revision"
        )

    @property
    def label(self):
        return measures.year_label(self.year)


__all__ = [
    "CollectionMethod",
    "Invitation",
    "ManagementImport",
    "ManagementRecord",
    "Publication",
    "PublicationChanged",
    "RecordKind",
    "ResponseCorrection",
    "ResponseImport",
    "ResponseSource",
    "Survey",
    "SurveyResponse",
    "SurveyTenure",
]
