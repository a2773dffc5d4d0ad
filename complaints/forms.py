"""Forms for complaints, in the GOV.UK style through crispy-forms-gds. Errors are listed in an error
summary at the top of each page (the templates call {% error_summary form %})."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from complaints import rules
from complaints.documents import ACCEPT, check_document
from complaints.models import (
    Category,
    MadeBy,
    Outcome,
    RefusalGround,
    RepresentativeRole,
    RootCause,
)
from complaints.self_assessment import ITEMS, Compliance
from portal.forms import GDSForm, GovukDateField
from portal.models import CaseChannel, Officer
from portal.uploads import MultipleFileField, MultipleFileInput
from portal.workdays import LONDON


def _today() -> date:
    return timezone.now().astimezone(LONDON).date()


class DocumentsField(MultipleFileField):
    """Several files from one file input, each checked by its content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "class": "govuk-file-upload"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        if len(files) > settings.COMPLAINT_DOCUMENT_MAX_FILES:
            raise ValidationError(f"Select up to {settings.COMPLAINT_DOCUMENT_MAX_FILES} files")
        problems = []
        for uploaded in files:
            try:
                check_document(uploaded)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return files


def pounds_to_pence(value) -> int:
    try:
        amount = Decimal(str(value).replace("£", "").replace(",", "").strip() or "0")
    except InvalidOperation:
        raise ValidationError("Enter an amount in pounds, like 50 or 75.50") from None
    if amount < 0:
        raise ValidationError("The amount cannot be negative")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("Enter the amount in pounds and pence, like 75.50")
    return int(amount * 100)


# -- making a complaint ------------------------------------------------------------------------------------


class ComplaintForm(GDSForm):
    """A resident's complaint, online."""

    submit_label = "Send your complaint"

    what_happened = forms.CharField(
        label="What happened?",
        help_text="Tell us what went wrong, when, and who you dealt with. You do not need to use the word complaint.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": "Tell us what happened"},
    )
    outcome_wanted = forms.CharField(
        label="What would you like us to do to put things right?",
        help_text="For example, an apology, a repair done, or a change to how we do things.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    events_began_on = GovukDateField(
        label="When did this start?",
        today_is="not_after",
        required=False,
        help_text="If you know. For example, 27 3 2026",
    )
    documents = DocumentsField(
        label="Photos or documents (optional)",
        help_text=(
            f"PDF, JPG, PNG or Word, up to {settings.COMPLAINT_DOCUMENT_MAX_FILES} files, each smaller than "
            f"{settings.COMPLAINT_DOCUMENT_MAX_BYTES // (1024 * 1024)}MB."
        ),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return Layout(
            Field.textarea("what_happened", label_size=Size.MEDIUM, rows=7),
            Field.textarea("outcome_wanted", label_size=Size.MEDIUM, rows=3),
            Field("events_began_on", context={"legend_size": "govuk-fieldset__legend--m"}),
            Field("documents", context={"label_size": "govuk-label--m"}),
            "submission_token",
            Button("submit", self.submit_label),
        )


LOGGED_CHANNELS = [
    (CaseChannel.PHONE, "Phone"),
    (CaseChannel.LETTER, "Letter"),
    (CaseChannel.EMAIL, "Email"),
    (CaseChannel.WALK_IN, "In person"),
    (CaseChannel.TEXT, "Text message"),
]


class FindTenancyForm(GDSForm):
    submit_label = "Find"
    tenancy_reference = forms.CharField(
        label="Tenancy reference", max_length=30, error_messages={"required": "Enter the tenancy reference"}
    )

    def get_layout(self):
        return Layout(Field.text("tenancy_reference", field_width=10), Button("submit", self.submit_label))


class LogComplaintForm(GDSForm):
    """A complaint received by phone, letter, email or in person, or through a representative."""

    submit_label = "Log the complaint"

    channel = forms.ChoiceField(
        label="How did it reach us?",
        choices=LOGGED_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the complaint reached us"},
    )
    received_on = GovukDateField(
        label="Date received",
        today_is="not_after",
        help_text="The clock starts from the day it reached us, not the day it is logged. For example, 27 3 2026",
    )
    what_happened = forms.CharField(
        label="What the resident is unhappy about",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Say what the resident is unhappy about"},
    )
    outcome_wanted = forms.CharField(
        label="What they want us to do to put it right",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    events_began_on = GovukDateField(
        label="When the events began", today_is="not_after", required=False, help_text="If known. For example, 27 3 2026"
    )
    made_by = forms.ChoiceField(
        label="Who made the complaint?",
        choices=MadeBy.choices,
        widget=forms.RadioSelect,
        initial=MadeBy.RESIDENT,
    )
    representative_name = forms.CharField(label="Representative's name", max_length=150, required=False)
    representative_role = forms.ChoiceField(
        label="Who they are", choices=[("", "Select")] + RepresentativeRole.choices, required=False
    )
    representative_contact = forms.CharField(
        label="Representative's contact details",
        max_length=200,
        required=False,
        help_text="A phone number, email or address",
    )
    representative_consent = forms.BooleanField(
        label="The resident agreed that this person may complain for them", required=False
    )
    representative_consent_note = forms.CharField(
        label="How consent was given",
        max_length=300,
        required=False,
        help_text="For example, signed form received 3 March, or confirmed by phone",
    )
    documents = DocumentsField(label="Letter, email or documents (optional)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", _today())
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return Layout(
            Field.radios("channel", legend_size=Size.SMALL, inline=False),
            Field("received_on"),
            Field.textarea("what_happened", rows=7),
            Field.textarea("outcome_wanted", rows=3),
            Field("events_began_on"),
            Field.radios("made_by", legend_size=Size.SMALL),
            Fieldset(
                Field.text("representative_name"),
                Field.select("representative_role"),
                Field.text("representative_contact"),
                Field.checkbox("representative_consent"),
                Field.text("representative_consent_note"),
                legend="If someone complained for the resident",
                legend_size=Size.SMALL,
            ),
            Field("documents"),
            Button("submit", self.submit_label),
        )

    def clean(self):
        data = super().clean()
        if data.get("made_by") == MadeBy.REPRESENTATIVE:
            if not data.get("representative_name", "").strip():
                self.add_error("representative_name", "Enter the representative's name")
            if not data.get("representative_consent"):
                self.add_error(
                    "representative_consent",
                    "Confirm the resident agreed that this person may complain for them",
                )
        return data


class RaiseFromCaseForm(GDSForm):
    submit_label = "Open a stage 1 complaint"

    what_happened = forms.CharField(
        label="What the resident is unhappy about",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Say what the resident is unhappy about"},
    )
    outcome_wanted = forms.CharField(
        label="What they want us to do to put it right",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    channel = forms.ChoiceField(
        label="How did they tell us?",
        choices=LOGGED_CHANNELS + [(CaseChannel.WEB, "Online")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they told us"},
    )

    def get_layout(self):
        return Layout(
            Field.textarea("what_happened", rows=7),
            Field.textarea("outcome_wanted", rows=3),
            Field.radios("channel", legend_size=Size.SMALL),
            Button("submit", self.submit_label),
        )


# -- working a complaint ------------------------------------------------------------------------------------


class AcknowledgeForm(GDSForm):
    submit_label = "Acknowledge the complaint"

    understanding = forms.CharField(
        label="Our understanding of the complaint",
        help_text="Set out each point the resident raises. They will see this.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Set out your understanding of the complaint"},
    )
    outcome_sought = forms.CharField(
        label="The outcome the resident wants",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ExtendForm(GDSForm):
    submit_label = "Extend and tell the resident"

    def __init__(self, *args, days_left: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_days"] = forms.IntegerField(
            label="How many more working days?",
            help_text=f"Up to {days_left} more at this stage.",
            min_value=1,
            max_value=max(days_left, 1),
            error_messages={
                "required": "Enter the number of working days",
                "invalid": "Enter a whole number of working days",
                "min_value": "The extension must be at least 1 working day",
                "max_value": f"The extension can be at most {days_left} more working days at this stage",
            },
        )
        self.fields["reason"] = forms.CharField(
            label="Why we need more time",
            help_text="The resident is told this, with the Housing Ombudsman's contact details.",
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": "Give the reason for the extension"},
        )
        self.helper.layout = Layout(
            Field.text("working_days", field_width=2),
            Field.textarea("reason", rows=4),
            Button("submit", self.submit_label),
        )


POINT_ROWS = 4
ACTION_ROWS = 3


class ResponseForm(GDSForm):
    """The structured response: the complaint as defined, a decision on each point, reasons, the
    remedy and how to escalate. Blank point and action rows are ignored (no JavaScript needed)."""

    submit_label = "Send the response"

    definition = forms.CharField(
        label="The complaint",
        help_text="The complaint as we defined it when we acknowledged it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Set out the complaint"},
    )
    reasons = forms.CharField(
        label="What we found and why we reached our decision",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Explain what you found and the reasons for your decision"},
    )
    apology = forms.CharField(label="Our apology (if any)", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    compensation = forms.CharField(
        label="Compensation offered, in pounds (if any)",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        help_text="For example, 75 or 75.50",
    )
    how_to_escalate = forms.CharField(
        label="How to take it further",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Explain how the resident can take the complaint further"},
    )

    def __init__(self, *args, stage: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        decisions = [("", "Select")] + Outcome.choices
        point_sets = []
        for n in range(1, POINT_ROWS + 1):
            self.fields[f"point_{n}"] = forms.CharField(
                label=f"Point {n}", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
            )
            self.fields[f"point_{n}_decision"] = forms.ChoiceField(label="Decision", choices=decisions, required=False)
            self.fields[f"point_{n}_reasons"] = forms.CharField(
                label="Reasons", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
            )
            point_sets.append(
                Fieldset(
                    Field.textarea(f"point_{n}", rows=2),
                    Field.select(f"point_{n}_decision"),
                    Field.textarea(f"point_{n}_reasons", rows=3),
                    legend=f"Point {n}" + ("" if n == 1 else " (if needed)"),
                    legend_size=Size.SMALL,
                )
            )
        action_sets = []
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label="What we will do", required=False, max_length=300)
            self.fields[f"action_{n}_due_on"] = GovukDateField(label="By when", today_is="not_before", required=False)
            action_sets.append(
                Fieldset(
                    Field.text(f"action_{n}"),
                    Field(f"action_{n}_due_on"),
                    legend=f"Action {n}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper.layout = Layout(
            Field.textarea("definition", label_size=Size.MEDIUM, rows=4),
            HTML('<h2 class="govuk-heading-m">Our decision on each point</h2>'),
            *point_sets,
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=5),
            HTML('<h2 class="govuk-heading-m">Putting things right</h2>'),
            Field.textarea("apology", rows=3),
            *action_sets,
            Field.text("compensation", field_width=5),
            Field.textarea("how_to_escalate", label_size=Size.MEDIUM, rows=5),
            Button("submit", self.submit_label),
        )

    def clean_compensation(self):
        return pounds_to_pence(self.cleaned_data.get("compensation") or "0")

    def clean(self):
        data = super().clean()
        points = []
        for n in range(1, POINT_ROWS + 1):
            text = (data.get(f"point_{n}") or "").strip()
            decision = data.get(f"point_{n}_decision") or ""
            reasons = (data.get(f"point_{n}_reasons") or "").strip()
            if not text and not decision and not reasons:
                continue
            if not text:
                self.add_error(f"point_{n}", f"Set out point {n}, or leave its decision and reasons blank")
            if not decision:
                self.add_error(f"point_{n}_decision", f"Select a decision on point {n}")
            if not reasons:
                self.add_error(f"point_{n}_reasons", f"Give the reasons for the decision on point {n}")
            points.append((text, decision, reasons))
        if not points:
            self.add_error("point_1", "Give a decision on at least one point of the complaint")
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            text = (data.get(f"action_{n}") or "").strip()
            due_on = data.get(f"action_{n}_due_on")
            if f"action_{n}_due_on" in self.errors:
                continue
            if text and not due_on:
                self.add_error(f"action_{n}_due_on", f"Enter when action {n} will be done")
            elif due_on and not text:
                self.add_error(f"action_{n}", f"Say what action {n} is, or clear its date")
            elif text:
                actions.append((text, due_on))
        data["points"] = points
        data["actions"] = actions
        return data


class RefuseForm(GDSForm):
    submit_label = "Refuse and tell the resident"

    ground = forms.ChoiceField(
        label="Why can this complaint not be taken forward?",
        choices=RefusalGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the complaint cannot be taken forward"},
    )
    events_began_on = GovukDateField(
        label="When the events complained about began",
        today_is="not_after",
        required=False,
        help_text="Needed to refuse a complaint as more than 12 months old. For example, 27 3 2024",
    )
    reason = forms.CharField(
        label="Explanation for the resident",
        help_text="They see this with their right to ask the Housing Ombudsman to look at the decision.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Explain the decision to the resident"},
    )

    def __init__(self, *args, received_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.received_on = received_on

    def get_layout(self):
        return Layout(
            Field.radios("ground", legend_size=Size.SMALL),
            Field("events_began_on"),
            Field.textarea("reason", rows=4),
            Button("submit", self.submit_label, css_class="govuk-button--warning"),
        )

    def clean(self):
        data = super().clean()
        if data.get("ground") == RefusalGround.OUT_OF_TIME and "events_began_on" not in self.errors:
            began = data.get("events_began_on")
            if began is None:
                self.add_error("events_began_on", "Enter when the events began")
            elif not rules.is_out_of_time(events_began_on=began, received_on=self.received_on):
                self.add_error(
                    "events_began_on",
                    "The events began less than 12 months before the complaint, so it cannot be refused as out of time",
                )
        return data


class EscalateForStaffForm(GDSForm):
    submit_label = "Escalate to stage 2"

    channel = forms.ChoiceField(
        label="How did the resident ask?",
        choices=LOGGED_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the resident asked"},
    )


class AssignHandlerForm(GDSForm):
    submit_label = "Assign"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"] = forms.ModelChoiceField(
            label="Who will handle this stage?",
            queryset=Officer.objects.filter(is_active=True).order_by("name"),
            error_messages={"required": "Select an officer"},
        )
        self.helper.layout = Layout(Field.select("handler"), Button("submit", self.submit_label))


class LearningForm(GDSForm):
    submit_label = "Save what we learned"

    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Select")] + Category.choices,
        error_messages={"required": "Select a category"},
    )
    root_cause = forms.ChoiceField(
        label="Root cause",
        choices=[("", "Select")] + RootCause.choices,
        error_messages={"required": "Select the root cause"},
    )
    learning = forms.CharField(
        label="What we learned and what we will change",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what we learned"},
    )


class LearningEntryForm(GDSForm):
    submit_label = "Save the entry"

    you_said = forms.CharField(
        label="You said",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In general words: no names, addresses or anything that identifies the resident.",
        error_messages={"required": "Say what residents told us"},
    )
    we_did = forms.CharField(
        label="We did",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what we did"},
    )
    publish = forms.BooleanField(label="Publish it now on the 'You said, we did' page", required=False)

    def __init__(self, *args, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]
            self.helper.layout = Layout("you_said", "we_did", Button("submit", self.submit_label))


class CompensationPaymentForm(GDSForm):
    submit_label = "Record the payment"

    amount = forms.CharField(
        label="Amount paid, in pounds",
        max_length=12,
        help_text="For example, 75 or 75.50",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the amount paid"},
    )
    paid_on = GovukDateField(label="Date paid", today_is="not_after")
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def get_layout(self):
        return Layout(
            Field.text("amount", field_width=5),
            Field("paid_on"),
            Field.text("note"),
            Button("submit", self.submit_label),
        )

    def clean_amount(self):
        pence = pounds_to_pence(self.cleaned_data["amount"])
        if pence <= 0:
            raise ValidationError("Enter the amount paid")
        return pence


class CompleteActionForm(GDSForm):
    submit_label = "Mark as done"

    note = forms.CharField(
        label="What was done (optional)", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SelfAssessmentForm(GDSForm):
    submit_label = "Save the self-assessment"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sets = []
        for item in ITEMS:
            self.fields[f"{item.key}_status"] = forms.ChoiceField(
                label=item.statement,
                choices=Compliance.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select how far we meet: {item.statement[0].lower()}{item.statement[1:]}"},
            )
            self.fields[f"{item.key}_evidence"] = forms.CharField(
                label="Evidence",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )
            sets.append(
                Fieldset(
                    Field.radios(f"{item.key}_status", small=True),
                    Field.textarea(f"{item.key}_evidence", rows=2),
                    legend=item.section,
                    legend_size=Size.SMALL,
                )
            )
        self.fields["improvements"] = forms.CharField(
            label="What we changed because of complaints this year",
            widget=forms.Textarea(attrs={"rows": 5}),
            required=False,
        )
        self.helper.layout = Layout(
            *sets, Field.textarea("improvements", label_size=Size.MEDIUM, rows=4), Button("submit", self.submit_label)
        )

    @classmethod
    def initial_from(cls, answers: dict, improvements: str) -> dict:
        initial = {"improvements": improvements}
        for item in ITEMS:
            answer = answers.get(item.key, {})
            initial[f"{item.key}_status"] = answer.get("status", "")
            initial[f"{item.key}_evidence"] = answer.get("evidence", "")
        return initial

    def answers(self) -> dict:
        return {
            item.key: {
                "status": self.cleaned_data[f"{item.key}_status"],
                "evidence": self.cleaned_data.get(f"{item.key}_evidence", "").strip(),
            }
            for item in ITEMS
        }
