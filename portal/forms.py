import re
import uuid
from datetime import time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.models import Resident


def posted(request, *, files=False):
    """What a form is bound to: the POST (even an empty one, so an empty form shows its errors)
    on a POST, nothing on a GET. files=True gives the uploaded files instead."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


_TIME_OF_DAY = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?$")


def parse_time_of_day(text: str) -> time:
    """A time as people write it: 14:30, 14.30, 1430, 2:30pm, 2pm, midday, midnight.
    ValueError for anything else, including a bare "9" (morning or evening?)."""
    text = text.strip().lower().replace(" ", "")
    if text in ("midday", "noon", "12noon"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = _TIME_OF_DAY.match(text)
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise ValueError(text)
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return time(hour, minute)


class TimeOfDayField(forms.CharField):
    """A time of day typed into a GOV.UK text input (parse_time_of_day), cleaned to a time."""

    def __init__(self, *, label, required_message=None, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "For example, 14:30 or 2:30pm")
        super().__init__(label=label, **kwargs)
        what = label.removesuffix(" (optional)")
        what = what[0].lower() + what[1:]
        self.error_messages["required"] = required_message or f"Enter the {what}"
        self.invalid_message = f"Enter the {what} in the form 14:30 or 2:30pm"

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_time_of_day(value)
        except ValueError:
            raise ValidationError(self.invalid_message, code="invalid") from None


class SubmissionTokenMixin(forms.Form):
    """A hidden token, new each time the form is shown: the service makes one record per token,
    so the same form sent twice (a double click, a resent page) makes one."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class GDSFormMixin:
    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = self.get_layout()

    def get_layout(self):
        return Layout(*self.fields.keys(), Button("submit", self.submit_label))


class GDSForm(GDSFormMixin, forms.Form):
    """A plain form drawn in the GOV.UK Design System (crispy-forms-gds)."""


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages that name the date asked for, and
    the date's allowed side of today in London: "before" (a date of birth), "not_after" (when
    something happened), "not_before" (when something is due), or None."""

    _LIMITS = {
        "before": (lambda value, today: value < today, "must be in the past"),
        "not_after": (lambda value, today: value <= today, "must be today or in the past"),
        "not_before": (lambda value, today: value >= today, "must be today or in the future"),
    }

    def __init__(self, *, label, today_is=None, required_message=None, **kwargs):
        super().__init__(label=label, **kwargs)
        self.today_is = today_is
        self.error_messages.update(
            {
                "required": required_message or f"Enter {label[0].lower() + label[1:]}",
                "incomplete": f"{label} must include a day, month and year",
                "invalid": f"{label} must be a real date",
            }
        )

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if value is None:
            return value
        if value.year < 1900:
            raise ValidationError(f"{self.label} must be after 1900", code="invalid")
        if self.today_is:
            allowed, message = self._LIMITS[self.today_is]
            if not allowed(value, timezone.localdate()):
                raise ValidationError(f"{self.label} {message}", code="invalid")
        return value


class LinkTenancyForm(GDSFormMixin, forms.Form):
    submit_label = "Link my home"

    tenancy_reference = forms.CharField(
        label="Tenancy reference",
        help_text="It is on your tenancy agreement and your rent statements, for example T-004213.",
        max_length=30,
        error_messages={"required": "Enter your tenancy reference"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        today_is="before",
        required_message="Enter your date of birth",
        help_text="For example, 27 3 1985",
    )
    postcode = forms.CharField(
        label="Postcode of your home",
        max_length=10,
        error_messages={"required": "Enter the postcode of your home"},
    )

    def get_layout(self):
        return Layout(
            Field.text("tenancy_reference", field_width=10),
            Field("date_of_birth"),
            Field.text("postcode", field_width=10),
            Button("submit", self.submit_label),
        )


class ContactPreferencesForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save your preferences"

    class Meta:
        model = Resident
        fields = [
            "email",
            "phone",
            "preferred_channel",
            "preferred_language",
            "needs_large_print",
            "needs_easy_read",
            "needs_interpreter",
            "accessibility_needs",
        ]
        labels = {
            "email": "Email address",
            "phone": "Phone number",
            "preferred_channel": "How should we contact you?",
            "preferred_language": "Which language do you prefer?",
            "accessibility_needs": "Anything else that helps us communicate with you (optional)",
        }
        widgets = {
            "preferred_channel": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("preferred_channel")
        if channel == "email" and not cleaned.get("email"):
            self.add_error("email", "Enter an email address, or choose another way to contact you")
        if channel in ("text", "phone") and not cleaned.get("phone"):
            self.add_error("phone", "Enter a phone number, or choose another way to contact you")
        return cleaned

    def get_layout(self):
        return Layout(
            Field.text("email", field_width=20),
            Field.text("phone", field_width=20),
            Field.radios("preferred_channel", legend_size=Size.MEDIUM),
            Field.text("preferred_language", field_width=20),
            Fieldset(
                Field.checkbox("needs_large_print"),
                Field.checkbox("needs_easy_read"),
                Field.checkbox("needs_interpreter"),
                legend="Do you need any of these?",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("accessibility_needs"),
            Button("submit", self.submit_label),
        )
