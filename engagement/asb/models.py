"""Anti-social behaviour: residents' reports, the cases they make, and how officers work them.

Each ASB case is a `portal.Case` of kind `asb`; `AsbCase` holds its details one-to-one. A case
gathers one or more `AsbReport`s: repeated reports about the same people while a case is open join
it. Each reporter follows only their own report (`ReportUpdate` is what they see), so one
reporter never learns who else reported. The first-contact promise for each report is a portal
`Deadline` (kind `contact`), the case review a `Deadline` (kind `asb_review`), so the queue and the
reminder sweep see them.
"""

import re

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Category(models.TextChoices):
    NOISE = "noise", "Noise"
    VERBAL_ABUSE = "verbal_abuse", "Verbal abuse, harassment or intimidation"
    VIOLENCE = "violence", "Violence or threats of violence"
    DRUGS = "drugs", "Drugs or drug dealing"
    VANDALISM = "vandalism", "Vandalism, graffiti or damage"
    LITTER = "litter", "Rubbish, fly-tipping or litter"
    VEHICLES = "vehicles", "Vehicles or parking nuisance"
    PETS = "pets", "Pets and animals"
    OTHER = "other", "Something else"


class HateMotivation(models.TextChoices):
    # The five strands the police and the regulator record hate incidents under.
    DISABILITY = "disability", "Disability"
    RACE = "race", "Race or ethnicity"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    TRANSGENDER = "transgender", "Transgender identity"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved: the behaviour has stopped"
    MEDIATION = "mediation", "Resolved through mediation"
    AGREEMENT = "agreement", "Acceptable behaviour agreement signed"
    TENANCY_ACTION = "tenancy_action", "Tenancy enforcement (warning, injunction or possession)"
    REFERRED = "referred", "Referred to the police or another agency"
    NO_EVIDENCE = "no_evidence", "No further action: not enough evidence"
    NOT_ASB = "not_asb", "No further action: not anti-social behaviour"
    WITHDRAWN = "withdrawn", "The reporter withdrew the report"
    JOINED = "joined", "Joined into another case"


class AsbCase(models.Model):
    case = models.OneToOneField("portal.Case", on_delete=models.CASCADE, related_name="asb")
    category = models.CharField(max_length=20, choices=Category.choices)
    # Where it happens: the estate (and so the neighbourhood) reports are matched within.
    neighbourhood = models.ForeignKey(
        "portal.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="asb_cases",
        null=True,
        blank=True,
    )
    estate = models.ForeignKey(
        "portal.Estate", on_delete=models.PROTECT, related_name="asb_cases", null=True, blank=True
    )
    # Kept beside the case's own opened_at so NM01 reads one indexed table.
    opened_at = models.DateTimeField()
    is_hate_incident = models.BooleanField(default=False)
    hate_motivations = models.JSONField(
        default=list, blank=True
    )  # HateMotivation values; JSON so the SQLite demo runs
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A case emptied into another by an officer; NM01 does not count it twice.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_cases"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["opened_at", "is_hate_incident"], name="asb_case_opened"),
            models.Index(fields=["estate", "-opened_at"], name="asb_case_estate"),
            models.Index(fields=["neighbourhood", "-opened_at"], name="asb_case_patch"),
            models.Index(fields=["risk_level", "-opened_at"], name="asb_case_risk"),
        ]

    def __str__(self):
        return self.case.reference

    @property
    def reference(self):
        return self.case.reference

    def get_hate_motivations_display(self):
        labels = dict(HateMotivation.choices)
        return [labels.get(value, value) for value in self.hate_motivations]


class AsbReport(models.Model):
    """One person's report. The first opens the case; later ones about the same people join it."""

    asb_case = models.ForeignKey(AsbCase, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        "portal.Resident",
        on_delete=models.PROTECT,
        related_name="asb_reports",
        null=True,
        blank=True,
    )
    home = models.ForeignKey(
        "portal.Home", on_delete=models.PROTECT, related_name="asb_reports", null=True, blank=True
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    what_happened = models.TextField()
    where = models.CharField(max_length=300)
    happened_on = models.DateField()
    happened_at_time = models.CharField(max_length=60, blank=True)
    is_ongoing = models.BooleanField(default=False)
    is_hate_incident = models.BooleanField(default=False)
    hate_motivations = models.JSONField(
        default=list, blank=True
    )  # HateMotivation values; JSON so the SQLite demo runs
    channel = models.CharField(max_length=10, default="web")
    logged_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    # Told to the reporter: this report was added to a case that was already open.
    joined_existing = models.BooleanField(default=False)
    contact_deadline = models.OneToOneField(
        "portal.Deadline",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asb_report",
    )
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["reported_at", "id"]
        indexes = [
            models.Index(fields=["reporter", "-reported_at"], name="asb_report_reporter"),
            models.Index(fields=["asb_case", "reported_at"], name="asb_report_case"),
        ]

    def __str__(self):
        return f"{self.asb_case_id}: {self.what_happened[:40]}"

    @property
    def summary(self):
        first = next((line.strip() for line in self.what_happened.splitlines() if line.strip()), "")
        return first if len(first) <= 120 else first[:117].rstrip() + "..."

    def get_hate_motivations_display(self):
        labels = dict(HateMotivation.choices)
        return [labels.get(value, value) for value in self.hate_motivations]


class PersonRole(models.TextChoices):
    ALLEGED = "alleged", "Person causing the problem"
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"


def normalise_name(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def normalise_address(text: str) -> str:
    """'Flat 3, 12 Oak Court.' and 'flat 3 12 oak court' are the same address for matching."""
    return " ".join(re.sub(r"\bflat\b", " ", re.sub(r"[^a-z0-9 ]", " ", text.lower())).split())


class InvolvedPerson(models.Model):
    """Someone a report involves: described, named where known, their address where known. Names
    and addresses are kept normalised so a later report about the same people finds the case."""

    asb_case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="people")
    report = models.ForeignKey(
        AsbReport, on_delete=models.CASCADE, related_name="people", null=True, blank=True
    )
    role = models.CharField(max_length=10, choices=PersonRole.choices, default=PersonRole.ALLEGED)
    name = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    home = models.ForeignKey(
        "portal.Home", on_delete=models.SET_NULL, null=True, blank=True, related_name="asb_people"
    )
    name_key = models.CharField(max_length=150, blank=True, editable=False)
    address_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["name_key"], name="asb_person_name", condition=~Q(name_key="")),
            models.Index(
                fields=["address_key"], name="asb_person_address", condition=~Q(address_key="")
            ),
            models.Index(fields=["home"], name="asb_person_home", condition=Q(home__isnull=False)),
        ]

    def __str__(self):
        return self.name or self.description[:40] or self.address

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.name)
        self.address_key = normalise_address(self.address)
        super().save(*args, **kwargs)


class Incident(models.Model):
    """A line in the case's diary of incidents: each report's, and any an officer adds."""

    asb_case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="incidents")
    report = models.ForeignKey(
        AsbReport, on_delete=models.CASCADE, related_name="incidents", null=True, blank=True
    )
    happened_on = models.DateField()
    what_happened = models.TextField()
    where = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["asb_case", "-happened_on"], name="asb_incident_case")]

    def __str__(self):
        return f"{self.happened_on}: {self.what_happened[:40]}"


class Action(models.Model):
    """One step of the case's action plan, with who does it and by when."""

    asb_case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, related_name="asb_actions"
    )
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_on", "due_on", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                name="asb_action_open",
                condition=Q(completed_on__isnull=True),
            )
        ]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self):
        return self.completed_on is None and self.due_on < timezone.localdate()


class RiskAssessment(models.Model):
    """The answers to the risk questionnaire (engagement.asb.risk), the score and the level they
    give. The latest is the case's risk; earlier ones stay as its history."""

    asb_case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="risk_assessments")
    report = models.ForeignKey(
        AsbReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_assessments"
    )
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["asb_case", "-assessed_at"], name="asb_risk_case")]

    def __str__(self):
        return f"{self.get_level_display()} ({self.score})"


class ContactWith(models.TextChoices):
    REPORTER = "reporter", "The person who reported it"
    VICTIM = "victim", "A victim"
    WITNESS = "witness", "A witness"
    ALLEGED = "alleged", "The person causing the problem"
    AGENCY = "agency", "The police or another agency"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    VISIT = "visit", "Visit"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    MEETING = "meeting", "Meeting"


class Contact(models.Model):
    """An officer's contact about the case: with a reporter (which keeps that report's first-contact
    promise when they were reached), a victim, a witness, the person causing the problem, or an agency."""

    asb_case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="contacts")
    report = models.ForeignKey(
        AsbReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    with_whom = models.CharField(max_length=10, choices=ContactWith.choices)
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    reached = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    officer = models.ForeignKey(
        "portal.Officer", on_delete=models.PROTECT, related_name="asb_contacts"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["asb_case", "-made_at"], name="asb_contact_case")]

    def __str__(self):
        return f"{self.get_with_whom_display()} by {self.get_method_display()}"


class ReportUpdate(models.Model):
    """A line of one reporter's own timeline: only what concerns their report and what officers
    chose to tell them. Never another reporter's identity or words."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        JOINED = "joined", "Added to a case"
        CONTACT = "contact", "Contact"
        UPDATE = "update", "Update"
        CLOSED = "closed", "Closed"

    report = models.ForeignKey(AsbReport, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.TextField()
    author = models.ForeignKey(
        "portal.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="asb_update_report")]

    def __str__(self):
        return f"{self.report_id} {self.kind}"
