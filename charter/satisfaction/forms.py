from __future__ import annotations

import uuid
from decimal import Decimal

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings

from charter.satisfaction import measures
from charter.satisfaction.importing import ImportRejected, decode
from charter.satisfaction.models import CollectionMethod, Survey
from portal.forms import GDSFormMixin, GovukDateField
from portal.models import Home, Tenancy

YES_NO = [("yes", "Yes"), ("no", "No")]


class SurveyForm(forms.Form):
    """The 12 questions, in the regulator's order and wording, with the three filter questions
    just before the questions they open. Online, no "don't know" is offered (a question may be
    left out instead); staff may record an unprompted one. Rendered by hand in
    satisfaction/_questions.html so the filter questions reveal what they open."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, landlord_name: str, tenure: str, staff: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.landlord_name, self.tenure, self.staff = landlord_name, tenure, staff
        for question in self.questions():
            choices = list(question.scale)
            if staff:
                choices.append((measures.DONT_KNOW, measures.DONT_KNOW_LABEL))
            self.fields[question.field] = forms.ChoiceField(
                label=question.text(landlord_name),
                choices=choices,
                required=question.code == "TP01",
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Answer the first question: how satisfied or dissatisfied you are overall"
                    if not staff
                    else "Record the answer to the first question",
                    "invalid_choice": "Choose one of the answers",
                },
            )
        for name in self.filters():
            self.fields[name] = forms.ChoiceField(
                label=measures.FILTER_QUESTIONS[name].format(landlord=landlord_name),
                choices=YES_NO,
                # Unanswered, the questions it opens count as not asked.
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Answer yes or no",
                    "invalid_choice": "Answer yes or no",
                },
            )

    def questions(self):
        return [q for q in measures.QUESTIONS if self.tenure in q.tenures()]

    def filters(self):
        codes = {q.code for q in self.questions()}
        return [name for name in measures.FILTERS if measures.FILTER_BEFORE[name] in codes]

    def blocks(self):
        """The page in order: each question, with each filter question just before the questions
        it opens, those nested inside it to be revealed by its "Yes"."""
        blocks, open_filter = [], None
        for question in self.questions():
            if question.asked_if and (
                open_filter is None or open_filter["name"] != question.asked_if
            ):
                open_filter = {
                    "kind": "filter",
                    "name": question.asked_if,
                    "field": self[question.asked_if],
                    "inside": [],
                }
                blocks.append(open_filter)
            block = {
                "kind": "question",
                "name": question.field,
                "code": question.code,
                "field": self[question.field],
                "number": question.code if self.staff else "",
            }
            if question.asked_if:
                open_filter["inside"].append(block)
            else:
                open_filter = None
                blocks.append(block)
        return blocks

    def clean(self):
        cleaned = super().clean()
        filters = self.filter_answers()
        for question in self.questions():
            if question.asked_if and filters.get(question.asked_if) is not True:
                # Answers revealed by "Yes" and then hidden by "No" are not kept.
                cleaned[question.field] = ""
        return cleaned

    def filter_answers(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {name: {"yes": True, "no": False}.get(data.get(name, "")) for name in self.filters()}

    def answers(self) -> dict:
        return {q.code: self.cleaned_data.get(q.field, "") for q in self.questions()}


class FindHouseholdForm(GDSFormMixin, forms.Form):
    submit_label = "Find the household"

    household = forms.CharField(
        label="Tenancy reference or UPRN",
        help_text="For example T-004213, or the home's 12-digit UPRN",
        max_length=30,
        error_messages={"required": "Enter the tenancy reference or the home's UPRN"},
    )

    def clean_household(self):
        value = self.cleaned_data["household"].strip()
        tenancy = Tenancy.objects.filter(reference__iexact=value).select_related("home").first()
        home = tenancy.home if tenancy else Home.objects.filter(uprn=value).first()
        if home is None:
            raise forms.ValidationError(
                "No tenancy or home has that reference: check it and try again"
            )
        if home.tenure not in measures.TENURES:
            raise forms.ValidationError(
                "That home is leasehold: the survey is for social rent and shared ownership households"
            )
        self.home = home
        return value

    def get_layout(self):
        return Layout(Field.text("household", field_width=20), Button("submit", self.submit_label))


class InterviewDetailsForm(GDSFormMixin, forms.Form):
    """How and when the staff-entered answers were given."""

    method = forms.ChoiceField(
        label="How were the answers given?",
        choices=[
            (CollectionMethod.PHONE, "Phone interview"),
            (CollectionMethod.FACE_TO_FACE, "Face-to-face interview"),
            (CollectionMethod.PAPER, "Paper questionnaire"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the answers were given"},
    )
    collected_on = GovukDateField(
        label="Date of the interview",
        today_is="not_after",
        required_message="Enter the date of the interview",
        help_text="For example, 27 6 2025",
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.helper.form_tag = False  # part of the interview page's one form
        self.helper.disable_csrf = True

    def get_layout(self):
        return Layout(Field.radios("method", legend_size=Size.SMALL), Field("collected_on"))

    def clean_collected_on(self):
        value = self.cleaned_data["collected_on"]
        start, end = measures.year_bounds(self.year)
        if value and not start <= value <= end:
            raise forms.ValidationError(
                f"The date of the interview must be between 1 April {self.year} and 31 March {self.year + 1}"
            )
        return value


class SurveySettingsForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save the survey settings"

    opens_on = GovukDateField(
        label="Date the online survey opens", required_message="Enter the date the survey opens"
    )
    closes_on = GovukDateField(
        label="Date the online survey closes", required_message="Enter the date it closes"
    )

    class Meta:
        model = Survey
        fields = [
            "target_margin_of_error",
            "expected_response_rate",
            "opens_on",
            "closes_on",
            "reminder_after_days",
            "max_reminders",
        ]
        labels = {
            "target_margin_of_error": "Target margin of error (percentage points, at 95% confidence)",
            "expected_response_rate": "Expected response rate (percent)",
            "reminder_after_days": "Days before each reminder",
            "max_reminders": "Most reminders to send a household",
        }
        error_messages = {
            "target_margin_of_error": {
                "required": "Enter the target margin of error",
                "invalid": "Enter the margin of error as a number, like 4 or 3.5",
            },
            "expected_response_rate": {"required": "Enter the expected response rate"},
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        start, end = measures.year_bounds(self.instance.year)
        for name, day in (("opens_on", opens), ("closes_on", closes)):
            if day and not start <= day <= end:
                self.add_error(
                    name,
                    f"The date must be between 1 April {self.instance.year} and 31 March "
                    f"{self.instance.year + 1}",
                )
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        margin = cleaned.get("target_margin_of_error")
        if margin is not None and not Decimal("0.5") <= margin <= Decimal("20"):
            self.add_error(
                "target_margin_of_error", "The margin of error must be between 0.5 and 20"
            )
        return cleaned

    def get_layout(self):
        return Layout(
            Field.text("target_margin_of_error", field_width=4),
            Field.text("expected_response_rate", field_width=4),
            Field("opens_on"),
            Field("closes_on"),
            Field.text("reminder_after_days", field_width=4),
            Field.text("max_reminders", field_width=4),
            Button("submit", self.submit_label),
        )


class ApproachForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save the summary of approach"

    class Meta:
        model = Survey
        fields = [name for name, _ in Survey.APPROACH_FIELDS]
        labels = dict(Survey.APPROACH_FIELDS)
        help_texts = {
            "timing": "When the answers were collected, for example June to September 2025",
            "collection_methods": "Online, phone, face to face, paper: and how many answered each way",
            "sample_method": "How households were chosen, for example a random sample of each tenure",
            "representativeness": "How the responses compare with all households (age, area, tenure...)",
            "weighting": "Any weighting applied, and why; or say there was none",
            "contractor_role": "What any survey company did; or say the survey was run in-house",
            "households_excluded": "Any households left out, and why (for example, those in legal proceedings)",
            "incentives": "Any prize draw or reward offered; or say there was none",
            "comparability": "Changes that affect comparison with last year (method, timing, questions)",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name, _ in Survey.APPROACH_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from charter.satisfaction.services import REQUIRED_APPROACH

        for name in REQUIRED_APPROACH:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = (
                f"Describe the {self.fields[name].label.lower()}"
            )

    def get_layout(self):
        return Layout(
            *[Field.textarea(name) for name, _ in Survey.APPROACH_FIELDS],
            Button("submit", self.submit_label),
        )


class PublishForm(GDSFormMixin, forms.Form):
    note = forms.CharField(
        label="What does this revision correct?",
        help_text="Shown on the public page beside the revision, for example: TP05 corrected after a late file",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, revision_needed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.revision_needed = revision_needed
        self.submit_label = (
            "Publish a corrected revision" if revision_needed else "Publish the measures"
        )
        if revision_needed:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = "Say what this revision corrects"
        else:
            del self.fields["note"]
        self.helper.layout = self.get_layout()

    def get_layout(self):
        parts = [Field.textarea("note")] if "note" in self.fields else []
        return Layout(*parts, Button("submit", getattr(self, "submit_label", "Publish")))


class CsvUploadForm(GDSFormMixin, forms.Form):
    """A CSV file, checked for its type and size before anything reads it."""

    submit_label = "Check and import the file"

    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,text/csv", "class": "govuk-file-upload"}
        ),
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (ending .csv)")
        if upload.size > settings.SATISFACTION_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {settings.SATISFACTION_IMPORT_MAX_BYTES // (1024 * 1024)} MB"
            )
        try:
            self.text = decode(upload.read())
        except ImportRejected as rejected:
            raise forms.ValidationError(rejected.errors[0]) from None
        return upload

    def get_layout(self):
        return Layout(Field("file"), Button("submit", self.submit_label))


def initial_answers(response) -> dict:
    """A stored response as the survey form's initial values, for correcting it."""
    initial = {q.field: getattr(response, q.field) for q in measures.QUESTIONS}
    for name in measures.FILTERS:
        initial[name] = {True: "yes", False: "no"}.get(getattr(response, name), "")
    return initial


class CorrectionReasonForm(GDSFormMixin, forms.Form):
    """Why the answers are being corrected: part of the correction page's one form."""

    reason = forms.CharField(
        label="Why are the answers being corrected?",
        help_text="For example: TP05 keyed as very dissatisfied, the resident said very satisfied",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the answers are being corrected"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def get_layout(self):
        return Layout(Field.textarea("reason"))


class WithdrawalForm(GDSFormMixin, forms.Form):
    submit_label = "Withdraw the response"

    reason = forms.CharField(
        label="Why is the response being withdrawn?",
        help_text="For example: a duplicate of the phone interview with the same household",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the response is being withdrawn"},
    )

    def get_layout(self):
        return Layout(
            Field.textarea("reason"),
            Button("submit", self.submit_label, css_class="govuk-button--warning"),
        )
