"""Forms for newsletters and notices, in the GOV.UK style through crispy-forms-gds."""

from __future__ import annotations

from datetime import datetime, time

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from engagement.news.images import ImageRejected, clean_image
from portal.forms import GDSForm, GovukDateField, SubmissionTokenMixin, TimeOfDayField
from portal.models import Block, Estate
from portal.workdays import LONDON


class IssueForm(SubmissionTokenMixin, GDSForm):
    submit_label = "Save and continue"

    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="For example, Spring news from Millbrook Homes",
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 150 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences. Residents who get a text message see this.",
        error_messages={
            "required": "Enter a summary",
            "max_length": "The summary must be 300 characters or fewer",
        },
    )

    def get_layout(self):
        return Layout(
            Field.text("title"),
            Field.textarea("summary", max_characters=300),
            "submission_token",
            Button("submit", self.submit_label),
        )


class SectionForm(GDSForm):
    submit_label = "Save section"

    heading = forms.CharField(
        label="Heading",
        max_length=150,
        error_messages={
            "required": "Enter a heading",
            "max_length": "The heading must be 150 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        help_text="Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the text of the section"},
    )
    image = forms.FileField(
        label="Picture (optional)",
        required=False,
        help_text=f"A JPG or PNG, smaller than {settings.NEWS_IMAGE_MAX_BYTES // (1024 * 1024)}MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    image_alt = forms.CharField(
        label="Describe the picture (if you add one)",
        max_length=250,
        required=False,
        help_text="For people who cannot see it. For example, Residents planting bulbs in the Hollybank garden.",
    )

    def __init__(self, *args, has_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_image = has_image
        if has_image:
            self.fields["image"].label = "Replace the picture (optional)"
            self.fields["remove_image"] = forms.BooleanField(
                label="Remove the picture", required=False
            )
            self.helper.layout = self.get_layout()
        self.fields["image"].widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png"})

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        try:
            clean_image(upload)  # checked here so the error shows beside the field
        except ImageRejected as error:
            raise ValidationError(str(error)) from None
        upload.seek(0)
        return upload

    def clean(self):
        cleaned = super().clean()
        keeps_image = (self.has_image and not cleaned.get("remove_image")) or cleaned.get("image")
        if keeps_image and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", "Describe the picture for people who cannot see it")
        return cleaned

    def get_layout(self):
        fields = [
            Field.text("heading"),
            Field.textarea("text", rows=10),
            Field("image"),
            Field.text("image_alt"),
        ]
        if "remove_image" in self.fields:
            fields.append(Field.checkbox("remove_image"))
        return Layout(*fields, Button("submit", self.submit_label))


def _where_choices():
    """Each estate, and each block under its estate: a notice goes to one or the other."""
    choices = [("", "Choose an estate or block")]
    blocks = {}
    for block in Block.objects.order_by("name").values("pk", "name", "estate_id"):
        blocks.setdefault(block["estate_id"], []).append(block)
    for estate in Estate.objects.order_by("name").values("pk", "name"):
        options = [(f"estate:{estate['pk']}", f"All of {estate['name']}")]
        options += [
            (f"block:{b['pk']}", f"{b['name']}, {estate['name']}")
            for b in blocks.get(estate["pk"], [])
        ]
        choices.append((estate["name"], options))
    return choices


def _combine(day, moment):
    return datetime.combine(day, moment).replace(tzinfo=LONDON)


class NoticeForm(SubmissionTokenMixin, GDSForm):
    submit_label = "Send the notice now"

    title = forms.CharField(
        label="What is the problem?",
        max_length=120,
        help_text="Short and plain: it is the subject of the email and the start of the text message. "
        "For example, Lift out of service",
        error_messages={"required": "Say what the problem is"},
    )
    where = forms.ChoiceField(
        label="Who is it for?",
        help_text="Only residents living there are told.",
        error_messages={
            "required": "Choose the estate or block",
            "invalid_choice": "Choose the estate or block",
        },
    )
    details = forms.CharField(
        label="What residents need to know",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text="What is happening, what we are doing, and any help on offer (bottled water, help with stairs).",
        error_messages={"required": "Tell residents what they need to know"},
    )
    start_date = GovukDateField(
        label="Start date",
        required=False,
        help_text="Leave blank if it has already started. For example, 27 3 2026",
    )
    start_time = TimeOfDayField(
        label="Start time", required=False, help_text="For example, 9:30am or 14:30"
    )
    end_date = GovukDateField(
        label="Expected end date", required=False, help_text="Leave blank if you do not know yet"
    )
    end_time = TimeOfDayField(
        label="Expected end time", required=False, help_text="For example, 5pm"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = _where_choices()

    def clean_where(self):
        kind, _, pk = self.cleaned_data["where"].partition(":")
        if kind == "block":
            block = Block.objects.select_related("estate").filter(pk=pk).first()
            if block is not None:
                return block.estate, block
        elif kind == "estate":
            estate = Estate.objects.filter(pk=pk).first()
            if estate is not None:
                return estate, None
        raise ValidationError("Choose the estate or block")

    def clean(self):
        cleaned = super().clean()
        start_date, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        if start_time and not start_date and "start_date" not in self.errors:
            self.add_error("start_date", "Enter the start date as well as the time")
        cleaned["starts_at"] = (
            _combine(start_date, start_time or time(0, 0)) if start_date else None
        )
        end_date, end_time = cleaned.get("end_date"), cleaned.get("end_time")
        if end_time and not end_date and "end_date" not in self.errors:
            self.add_error("end_date", "Enter the expected end date as well as the time")
        cleaned["expected_end_at"] = (
            _combine(end_date, end_time or time(23, 59)) if end_date else None
        )
        return cleaned

    def get_layout(self):
        return Layout(
            Field.text("title"),
            Field.select("where"),
            Field.textarea("details", rows=6),
            Field("start_date"),
            Field.text("start_time", field_width=5),
            Field("end_date"),
            Field.text("end_time", field_width=5),
            "submission_token",
            Button("submit", self.submit_label),
        )


class NoticeUpdateForm(SubmissionTokenMixin, GDSForm):
    submit_label = "Send the update"

    message = forms.CharField(
        label="Update for residents",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text="For example, The lift engineer has fitted a new part and the lift is working again.",
        error_messages={"required": "Write the update for residents"},
    )
    resolves = forms.TypedChoiceField(
        label="Is the problem fixed?",
        choices=[("yes", "Yes, it is fixed: end the notice"), ("no", "No, it is still going on")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether the problem is fixed"},
    )
    end_date = GovukDateField(
        label="New expected end date (if it is still going on)",
        required=False,
        help_text="For example, 27 3 2026",
    )
    end_time = TimeOfDayField(
        label="New expected end time", required=False, help_text="For example, 5pm"
    )

    def clean(self):
        cleaned = super().clean()
        end_date, end_time = cleaned.get("end_date"), cleaned.get("end_time")
        if end_time and not end_date and "end_date" not in self.errors:
            self.add_error("end_date", "Enter the expected end date as well as the time")
        cleaned["expected_end_at"] = (
            _combine(end_date, end_time or time(23, 59))
            if end_date and cleaned.get("resolves") is False
            else None
        )
        return cleaned

    def get_layout(self):
        return Layout(
            Field.textarea("message", rows=5),
            Field.radios("resolves", legend_size=Size.MEDIUM),
            Field("end_date"),
            Field.text("end_time", field_width=5),
            "submission_token",
            Button("submit", self.submit_label),
        )
