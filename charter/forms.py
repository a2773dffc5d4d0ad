"""Forms for the charter's staff pages, residents' comments and the customer voice report."""

from __future__ import annotations

import uuid
from decimal import Decimal

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from charter.measures import measure_choices
from charter.models import CharterSection
from portal.forms import GDSForm, GovukDateField


class VersionForm(GDSForm):
    submit_label = "Save"

    title = forms.CharField(
        label="Title", max_length=150, error_messages={"required": "Enter a title for the charter"}
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea,
        help_text="Why the charter exists and how residents shaped it. Shown at the top of the charter.",
    )

    def get_layout(self):
        return Layout(
            Field.text("title", label_size=Size.SMALL),
            Field.textarea("introduction", label_size=Size.SMALL, rows=6),
            Button("submit", self.submit_label),
        )


class PromiseForm(GDSForm):
    submit_label = "Save promise"

    section = forms.ChoiceField(
        label="Section",
        choices=CharterSection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the section the promise belongs in"},
    )
    text = forms.CharField(
        label="Promise",
        widget=forms.Textarea,
        max_length=600,
        help_text="Say what we will do, plainly: for example 'We will call you back within one working day'.",
        error_messages={
            "required": "Enter the promise",
            "max_length": "The promise must be 600 characters or fewer",
        },
    )
    measure_key = forms.ChoiceField(
        label="How we show we keep it (optional)",
        required=False,
        help_text="A live figure from our records shown beside the promise on the charter.",
    )
    target_percent = forms.DecimalField(
        label="Target percent (optional)",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
        help_text="A percent, for example 95.",
        error_messages={
            "invalid": "Enter the target as a number, like 95",
            "min_value": "The target must be between 0 and 100",
            "max_value": "The target must be between 0 and 100",
            "max_decimal_places": "Give the target to one decimal place at most",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_key"].choices = [("", "No live measure")] + measure_choices()

    def clean(self):
        data = super().clean()
        if data.get("target_percent") is not None and not data.get("measure_key"):
            self.add_error(
                "target_percent", "Choose a live measure for the target, or leave the target empty"
            )
        return data

    def get_layout(self):
        return Layout(
            Field.radios("section", legend_size=Size.SMALL),
            Field.textarea("text", label_size=Size.SMALL, rows=3),
            Field.select("measure_key"),
            Field.text("target_percent", field_width=4, label_size=Size.SMALL),
            Button("submit", self.submit_label),
        )


class CommitmentForm(GDSForm):
    submit_label = "Save"

    text = forms.CharField(
        label="What we ask from you",
        widget=forms.Textarea,
        max_length=400,
        help_text="For example 'Tell us straight away if you are struggling to pay your rent'.",
        error_messages={
            "required": "Enter what we ask from residents",
            "max_length": "Use 400 characters or fewer",
        },
    )

    def get_layout(self):
        return Layout(
            Field.textarea("text", label_size=Size.SMALL, rows=3),
            Button("submit", self.submit_label),
        )


class ConsultationForm(GDSForm):
    submit_label = "Put out for consultation"

    closes_on = GovukDateField(
        label="Closing date",
        today_is="not_before",
        required_message="Enter the date the consultation closes",
        help_text="Residents can comment until the end of this day. For example, 31 1 2027",
    )

    consultation = forms.ModelChoiceField(
        label="Linked consultation (optional)",
        required=False,
        queryset=None,
        empty_label="None",
        help_text="A consultation in Get involved with questions about the charter, shown alongside it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from engagement.models import Consultation

        self.fields["consultation"].queryset = Consultation.objects.order_by("-opens_at")[:50]

    def get_layout(self):
        return Layout(
            Field("closes_on", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field.select("consultation"),
            Button("submit", self.submit_label),
        )


class WithdrawalForm(GDSForm):
    submit_label = "Withdraw the consultation"

    reason = forms.CharField(
        label="Why are you withdrawing it?",
        widget=forms.Textarea,
        max_length=500,
        help_text="Shown on the consultation page, so residents know why. For example 'We need to add "
        "promises about the new repairs service before we ask you'.",
        error_messages={
            "required": "Say why you are withdrawing the consultation",
            "max_length": "Use 500 characters or fewer",
        },
    )

    def get_layout(self):
        return Layout(
            Field.textarea("reason", label_size=Size.SMALL, rows=4, max_characters=500),
            Button("submit", self.submit_label, css_class="govuk-button--warning"),
        )


class CommentForm(GDSForm):
    submit_label = "Send comment"

    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea,
        max_length=2000,
        help_text="What would make this promise better for you? Do not include personal details such as your "
        "address: we publish comments (without your name) once we have checked them.",
        error_messages={
            "required": "Enter your comment",
            "max_length": "Your comment must be 2,000 characters or fewer",
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return Layout(
            Field.textarea("text", label_size=Size.MEDIUM, rows=5, max_characters=2000),
            "submission_token",
            Button("submit", self.submit_label),
        )


class ModerationForm(GDSForm):
    submit_label = "Save decision"

    decision = forms.ChoiceField(
        label="Publish this comment?",
        choices=[("publish", "Yes, publish it"), ("reject", "No, do not publish it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to publish the comment"},
    )
    reason = forms.CharField(
        label="Why not (told to the resident)",
        required=False,
        max_length=300,
        help_text="For example 'It names a member of staff'.",
        error_messages={"max_length": "Use 300 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why the comment will not be published")
        return data

    def get_layout(self):
        return Layout(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.text("reason", label_size=Size.SMALL),
            Button("submit", self.submit_label),
        )


class VoiceReportForm(GDSForm):
    submit_label = "Save draft"

    foreword = forms.CharField(
        label="Foreword from the customer committee",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"max_length": "The foreword must be 5,000 characters or fewer"},
    )
    what_changed = forms.CharField(
        label="What residents changed this year",
        required=False,
        widget=forms.Textarea,
        max_length=8000,
        help_text="In the committee's words. The scrutiny reviews, consultations and changes made are listed "
        "below it from our records.",
        error_messages={"max_length": "Use 8,000 characters or fewer"},
    )
    looking_ahead = forms.CharField(
        label="Looking ahead",
        required=False,
        widget=forms.Textarea,
        max_length=3000,
        error_messages={"max_length": "Use 3,000 characters or fewer"},
    )

    def get_layout(self):
        return Layout(
            Field.textarea("foreword", label_size=Size.MEDIUM, rows=6),
            Field.textarea("what_changed", label_size=Size.MEDIUM, rows=8),
            Field.textarea("looking_ahead", label_size=Size.MEDIUM, rows=4),
            Button("submit", self.submit_label),
        )
