"""Forms for reporting and working anti-social behaviour, GOV.UK style through crispy-forms-gds."""

from __future__ import annotations

import uuid

from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from engagement.asb import risk
from engagement.asb.models import (
    Category,
    ContactMethod,
    ContactWith,
    HateMotivation,
    Outcome,
    PersonRole,
)
from engagement.asb.services import PersonDetails
from portal.forms import GDSForm, GovukDateField
from portal.models import Officer

PEOPLE_SLOTS = 3


def _risk_field(audience: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="About you and your household"
        if audience == "resident"
        else "Select all that apply to the victim",
        help_text=(
            "Select all that are true. Your answers tell us how quickly your housing officer needs to contact you."
            if audience == "resident"
            else ""
        ),
        choices=[
            (q.key, q.resident_text if audience == "resident" else q.officer_text)
            for q in risk.QUESTIONS
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _hate_field(label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=HateMotivation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReportForm(GDSForm):
    """A resident's report of anti-social behaviour."""

    submit_label = "Send your report"

    category = forms.ChoiceField(
        label="What kind of behaviour is it?",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of behaviour it is"},
    )
    what_happened = forms.CharField(
        label="What happened?",
        help_text="Tell us what you saw or heard, and how it affects you.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Tell us what happened"},
    )
    where = forms.CharField(
        label="Where did it happen?",
        help_text="For example, the stairwell of Hollybank House, or outside 12 Mill Lane.",
        max_length=300,
        error_messages={"required": "Tell us where it happened"},
    )
    happened_on = GovukDateField(
        label="When did it happen?",
        today_is="not_after",
        help_text="If it has happened more than once, the most recent time. For example, 27 3 2026",
        required_message="Enter the date it happened",
    )
    happened_at_time = forms.CharField(
        label="What time? (optional)",
        help_text="For example, about 11pm, or every evening from 8pm.",
        max_length=60,
        required=False,
    )
    is_ongoing = forms.BooleanField(
        label="It is still going on, or keeps happening", required=False
    )
    hate_motivations = _hate_field(
        "Do you think it happened because of any of these? (optional)",
        "If you think it was because of someone's disability, race, religion, sexual orientation or transgender "
        "identity, we record it as a hate incident and act on it first. Select all that apply.",
    )
    risk_answers = _risk_field("resident")
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        for n in range(1, PEOPLE_SLOTS + 1):
            self.fields[f"person_{n}_name"] = forms.CharField(
                label="Their name, if you know it", max_length=150, required=False
            )
            self.fields[f"person_{n}_description"] = forms.CharField(
                label="What they look like, or anything else that helps us know who they are",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=1000,
                required=False,
            )
            self.fields[f"person_{n}_address"] = forms.CharField(
                label="Their address, if you know it",
                help_text="For example, Flat 12, Hollybank House",
                max_length=200,
                required=False,
            )

    def people(self) -> list[PersonDetails]:
        data = self.cleaned_data
        return [
            PersonDetails(
                role=PersonRole.ALLEGED,
                name=data.get(f"person_{n}_name", ""),
                description=data.get(f"person_{n}_description", ""),
                address=data.get(f"person_{n}_address", ""),
            )
            for n in range(1, PEOPLE_SLOTS + 1)
        ]

    def get_layout(self):
        people = [
            Fieldset(
                Field.text(f"person_{n}_name", field_width=20),
                Field.textarea(f"person_{n}_description", rows=2),
                Field.text(f"person_{n}_address", field_width=20),
                legend=f"Person {n} (optional)",
                legend_size=Size.SMALL,
            )
            for n in range(1, PEOPLE_SLOTS + 1)
        ]
        return Layout(
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.textarea("what_happened", label_size=Size.MEDIUM, rows=6),
            Field.text("where", label_size=Size.MEDIUM),
            Field("happened_on", context={"legend_size": "govuk-fieldset__legend--m"}),
            Field.text("happened_at_time", field_width=20),
            Field.checkbox("is_ongoing"),
            HTML(
                '<h2 class="govuk-heading-m">Who was involved?</h2>'
                '<p class="govuk-body">Tell us about the people causing the problem, if you can. '
                "You do not have to know their names. We will not tell them who reported it.</p>"
            ),
            *people,
            Field.checkboxes("hate_motivations", legend_size=Size.MEDIUM),
            Field.checkboxes("risk_answers", legend_size=Size.MEDIUM),
            "submission_token",
            Button("submit", self.submit_label),
        )


LOGGED_CHANNELS = [
    ("phone", "Phone"),
    ("walk_in", "In person"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("text", "Text message"),
]


class LogReportForm(ReportForm):
    """A report taken by an officer: by phone, in person, by email or letter."""

    submit_label = "Log the report"

    channel = forms.ChoiceField(
        label="How did it reach us?",
        choices=LOGGED_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the report reached us"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_answers"].label = "About the person reporting and their household"
        self.fields["risk_answers"].help_text = "Ask each question. Select all that are true."

    def get_layout(self):
        layout = super().get_layout()
        layout.fields.insert(0, Field.radios("channel", legend_size=Size.MEDIUM, inline=True))
        layout.fields[-1] = Button("submit", self.submit_label)
        return layout


class FindTenancyForm(GDSForm):
    submit_label = "Find"

    tenancy_reference = forms.CharField(
        label="Tenancy reference",
        max_length=30,
        error_messages={"required": "Enter the tenancy reference"},
    )

    def get_layout(self):
        return Layout(
            Field.text("tenancy_reference", field_width=10), Button("submit", self.submit_label)
        )


class DiaryEntryForm(GDSForm):
    """A resident adds another incident to their own report."""

    submit_label = "Add to your diary"

    happened_on = GovukDateField(
        label="When did it happen?",
        today_is="not_after",
        help_text="For example, 27 3 2026",
        required_message="Enter the date it happened",
    )
    happened_at_time = forms.CharField(label="What time? (optional)", max_length=60, required=False)
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Tell us what happened"},
    )

    def get_layout(self):
        return Layout(
            Field("happened_on", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field.text("happened_at_time", field_width=10),
            Field.textarea("what_happened", rows=4),
            Button("submit", self.submit_label),
        )


class RiskAssessmentForm(GDSForm):
    submit_label = "Save the risk assessment"

    answers = _risk_field("officer")
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="Anything that explains the level, such as support needs or other agencies involved.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def get_layout(self):
        return Layout(
            Field.checkboxes("answers", legend_size=Size.MEDIUM),
            Field.textarea("notes", rows=3),
            Button("submit", self.submit_label),
        )


def _officer_choices():
    return Officer.objects.filter(is_active=True).order_by("name")


class ActionForm(GDSForm):
    submit_label = "Add the action"

    description = forms.CharField(
        label="What needs to be done",
        max_length=300,
        help_text="For example, visit the victim, send a warning letter, or refer to mediation.",
        error_messages={"required": "Say what needs to be done"},
    )
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=Officer.objects.none(),
        error_messages={"required": "Choose who will do it"},
    )
    due_on = GovukDateField(
        label="Due date", today_is="not_before", help_text="For example, 27 3 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _officer_choices()

    def get_layout(self):
        return Layout(
            Field.text("description"),
            Field.select("owner"),
            Field("due_on"),
            Button("submit", self.submit_label),
        )


class ContactForm(GDSForm):
    submit_label = "Record the contact"

    with_whom = forms.ChoiceField(
        label="Who did you contact?",
        choices=ContactWith.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you contacted"},
    )
    report = forms.ChoiceField(label="Which report's reporter?", required=False)
    method = forms.ChoiceField(
        label="How?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you made contact"},
    )
    reached = forms.ChoiceField(
        label="Did you reach them?",
        choices=[("yes", "Yes"), ("no", "No, no answer or not in")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you reached them"},
    )
    note = forms.CharField(
        label="Note (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reports = {str(r.pk): r for r in reports}
        self.fields["report"].choices = [("", "Choose a report")] + [
            (
                str(r.pk),
                f"{r.reporter.full_name if r.reporter else 'Anonymous'}, reported {r.reported_at:%-d %b %Y}",
            )
            for r in reports
        ]
        if len(reports) == 1:
            self.fields["report"].initial = str(reports[0].pk)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("with_whom") == ContactWith.REPORTER:
            if not cleaned.get("report"):
                self.add_error("report", "Choose which report's reporter you contacted")
            else:
                cleaned["report"] = self.reports.get(cleaned["report"])
        else:
            cleaned["report"] = None
        cleaned["reached"] = cleaned.get("reached") == "yes"
        return cleaned

    def get_layout(self):
        return Layout(
            Field.radios("with_whom", legend_size=Size.SMALL),
            Field.select("report"),
            Field.radios("method", legend_size=Size.SMALL, inline=False),
            Field.radios("reached", legend_size=Size.SMALL, inline=True),
            Field.textarea("note", rows=3),
            Button("submit", self.submit_label),
        )


class IncidentForm(GDSForm):
    submit_label = "Add to the diary"

    happened_on = GovukDateField(
        label="When it happened", today_is="not_after", help_text="For example, 27 3 2026"
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what happened"},
    )
    where = forms.CharField(label="Where (optional)", max_length=300, required=False)

    def get_layout(self):
        return Layout(
            Field("happened_on"),
            Field.textarea("what_happened", rows=4),
            Field.text("where"),
            Button("submit", self.submit_label),
        )


class PersonForm(GDSForm):
    submit_label = "Add the person"

    role = forms.ChoiceField(
        label="Who are they?",
        choices=PersonRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who they are"},
    )
    name = forms.CharField(label="Name (optional)", max_length=150, required=False)
    description = forms.CharField(
        label="Description (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    address = forms.CharField(label="Address (optional)", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(key, "").strip() for key in ("name", "description", "address")):
            raise ValidationError("Give a name, a description or an address")
        return cleaned

    def person(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            role=data["role"],
            name=data["name"],
            description=data["description"],
            address=data["address"],
        )

    def get_layout(self):
        return Layout(
            Field.radios("role", legend_size=Size.SMALL),
            Field.text("name", field_width=20),
            Field.textarea("description", rows=2),
            Field.text("address", field_width=20),
            Button("submit", self.submit_label),
        )


class UpdateForm(GDSForm):
    submit_label = "Send the update"

    to = forms.ChoiceField(
        label="Who to tell",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to tell"},
    )
    message = forms.CharField(
        label="Update",
        help_text="The reporter sees this on their report and is sent it. Do not name other reporters, victims or witnesses.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        error_messages={"required": "Write the update"},
    )

    def __init__(self, *args, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reports = {str(r.pk): r for r in reports}
        self.fields["to"].choices = [("all", "Everyone who reported it")] + [
            (str(r.pk), f"Only {r.reporter.full_name if r.reporter else 'the anonymous reporter'}")
            for r in reports
        ]
        self.fields["to"].initial = "all"

    def clean_to(self):
        value = self.cleaned_data["to"]
        return None if value == "all" else self.reports.get(value)

    def get_layout(self):
        return Layout(
            Field.radios("to", legend_size=Size.SMALL),
            Field.textarea("message", rows=5),
            Button("submit", self.submit_label),
        )


class ReviewForm(GDSForm):
    submit_label = "Record the review"

    note = forms.CharField(
        label="What the review found",
        help_text="Progress on the action plan, whether the behaviour continues, and what happens next.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Say what the review found"},
    )

    def get_layout(self):
        return Layout(Field.textarea("note", rows=4), Button("submit", self.submit_label))


class HateForm(GDSForm):
    submit_label = "Save"

    motivations = _hate_field("Which hostility was it motivated by?")

    def get_layout(self):
        return Layout(
            Field.checkboxes("motivations", legend_size=Size.MEDIUM),
            HTML('<p class="govuk-body">Select none to record that it is not a hate incident.</p>'),
            Button("submit", self.submit_label),
        )


class OwnerForm(GDSForm):
    submit_label = "Change the officer"

    owner = forms.ModelChoiceField(
        label="Officer",
        queryset=Officer.objects.none(),
        error_messages={"required": "Choose an officer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _officer_choices()

    def get_layout(self):
        return Layout(Field.select("owner"), Button("submit", self.submit_label))


class CloseForm(GDSForm):
    submit_label = "Close the case"

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in Outcome.choices if c[0] != Outcome.JOINED],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    note_to_reporters = forms.CharField(
        label="What we tell the people who reported it",
        help_text="Each reporter sees this and is sent it. Do not name anyone who reported it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Write what you will tell the people who reported it"},
    )
    note = forms.CharField(
        label="Notes for staff (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )

    def get_layout(self):
        return Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("note_to_reporters", rows=4),
            Field.textarea("note", rows=3),
            Button("submit", self.submit_label),
        )


class MoveReportForm(GDSForm):
    submit_label = "Move the report"

    destination = forms.ChoiceField(
        label="Where should this report go?",
        choices=[
            ("existing", "Join another open case"),
            ("new", "Split it out into a case of its own"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the report should go"},
    )
    reference = forms.CharField(
        label="Reference of the case to join",
        help_text="For example, A-2026-000012",
        max_length=20,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("destination") == "existing" and not cleaned.get("reference", "").strip():
            self.add_error("reference", "Enter the reference of the case to join")
        return cleaned

    def get_layout(self):
        return Layout(
            Field.radios("destination", legend_size=Size.SMALL),
            Field.text("reference", field_width=10),
            Button("submit", self.submit_label),
        )
