"""Forms for the repairs pages. Question pages ask one thing, with the question as the page's
heading (the legend or label is the h1), as the GOV.UK question-page pattern does."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings

from portal.uploads import MultipleFileField, MultipleFileInput
from repairs import catalogue
from repairs.models import (
    HazardSeverity,
    OperativeTeam,
    RepairPriority,
    SafetyConcernCategory,
    SatisfactionScore,
    VisitOutcome,
)


class RepairsForm(forms.Form):
    """Rendered inside a <form> the template writes (for the CSRF token and hidden fields)."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(*self.get_layout(), Button("submit", self.submit_label))

    def get_layout(self):
        return list(self.fields.keys())


def _heading_radios(name):
    return Field.radios(name, legend_size=Size.LARGE, legend_tag="h1")


def _heading_textarea(name, **kwargs):
    return Field.textarea(name, label_size=Size.LARGE, label_tag="h1", **kwargs)


# -- reporting a repair -----------------------------------------------------------------------------


class WhereForm(RepairsForm):
    where = forms.ChoiceField(label="Where is the problem?", widget=forms.RadioSelect)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for index, location in enumerate(locations):
            following = locations[index + 1] if index + 1 < len(locations) else None
            divider = "or" if following and following.where != location.where else None
            extra = {"divider": divider} if divider else {}
            if location.hint:
                extra["hint"] = location.hint
            choices.append(Choice(location.code, location.label, **extra))
        field = self.fields["where"]
        field.choices = choices
        field.error_messages["required"] = "Select where the problem is"
        field.error_messages["invalid_choice"] = "Select where the problem is"

    def get_layout(self):
        return [_heading_radios("where")]


class ChoiceQuestionForm(RepairsForm):
    """One radio question built from catalogue items (each with .code, .label and maybe .hint)."""

    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args, label, items, hint="", error="Select an option", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        field.label = label
        field.help_text = hint
        field.choices = [
            Choice(
                item.code, item.label, **({"hint": item.hint} if getattr(item, "hint", "") else {})
            )
            for item in items
        ]
        field.error_messages["required"] = error
        field.error_messages["invalid_choice"] = error

    def get_layout(self):
        return [_heading_radios("answer")]


class YesNoForm(RepairsForm):
    answer = forms.ChoiceField(widget=forms.RadioSelect, choices=[("yes", "Yes"), ("no", "No")])

    def __init__(self, *args, question: catalogue.Question, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        field.label = question.text
        field.help_text = question.hint
        field.error_messages["required"] = "Select yes or no"
        field.error_messages["invalid_choice"] = "Select yes or no"

    def get_layout(self):
        return [_heading_radios("answer")]


class DescriptionForm(RepairsForm):
    description = forms.CharField(
        label="Describe the problem",
        help_text="Tell us what is wrong, where exactly it is, and how long it has been like this.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=1200,
        error_messages={
            "required": "Describe the problem",
            "max_length": "The description must be 1,200 characters or fewer",
        },
    )

    def get_layout(self):
        return [_heading_textarea("description", max_characters=1200, rows=6)]


class PhotoFilesField(MultipleFileField):
    """Several photos from one input; each checked by repairs.photos, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,.heic"})
        )
        super().__init__(*args, **kwargs)


class PhotosForm(RepairsForm):
    photos = PhotoFilesField(
        label="Choose photos",
        required=False,
        help_text=f"JPEG, PNG or HEIC, each smaller than {settings.REPAIR_PHOTO_MAX_BYTES // (1024 * 1024)}MB.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("photos", css_class="govuk-file-upload"),
            Button.secondary("upload", "Upload photos"),
            Button("submit", "Continue"),
        )


class AccessForm(RepairsForm):
    access_notes = forms.CharField(
        label="Anything we need to know to get in?",
        help_text="For example a door code, a key safe, pets, parking, or a time you are never in. "
        "Leave it empty if there is nothing.",
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Access details must be 600 characters or fewer"},
    )
    contact_phone = forms.CharField(
        label="Phone number for the operative to call on the day",
        max_length=30,
        error_messages={"required": "Enter a phone number for the operative to call"},
    )

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        digits = [c for c in value if c.isdigit()]
        if len(digits) < 10 or any(c not in "0123456789 +()-" for c in value):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return value

    def get_layout(self):
        return [
            Field.textarea("access_notes", label_size=Size.MEDIUM, rows=4, max_characters=600),
            Field.text("contact_phone", field_width=20, autocomplete="tel", type="tel"),
        ]


# -- appointments -----------------------------------------------------------------------------------


def _in_words(labels: list[str]) -> str:
    """['Morning', 'Evening'] -> 'Morning and evening'."""
    words = [labels[0]] + [label.lower() for label in labels[1:]] if labels else []
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


class ChooseDayForm(RepairsForm):
    day = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args, days, label, **kwargs):
        from portal.templatetags.doorstep import govuk_date

        super().__init__(*args, **kwargs)
        field = self.fields["day"]
        field.label = label
        field.choices = [
            Choice(
                d.day.isoformat(),
                govuk_date(d.day, True),
                hint=_in_words([t.label for t in d.times]),
            )
            for d in days
        ]
        field.error_messages["required"] = "Select a day"
        field.error_messages["invalid_choice"] = "Select a day"

    def get_layout(self):
        return [_heading_radios("day")]


class ChooseTimeForm(RepairsForm):
    window = forms.ChoiceField(widget=forms.RadioSelect)
    submit_label = "Book this appointment"

    def __init__(self, *args, times, label, **kwargs):
        from portal.templatetags.doorstep import govuk_time

        super().__init__(*args, **kwargs)
        field = self.fields["window"]
        field.label = label
        field.choices = [
            Choice(t.window, f"{t.label}, {govuk_time(t.starts_at)} to {govuk_time(t.ends_at)}")
            for t in times
        ]
        field.error_messages["required"] = "Select a time"
        field.error_messages["invalid_choice"] = "Select a time"

    def get_layout(self):
        return [_heading_radios("window")]


class StaffSlotForm(RepairsForm):
    """Staff choosing a slot for a resident: every team's slot, with the places it has left."""

    slot = forms.ChoiceField(widget=forms.RadioSelect)
    submit_label = "Continue"

    def __init__(self, *args, slots, label, **kwargs):
        from portal.templatetags.doorstep import govuk_date, govuk_time

        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.label = label
        field.choices = [
            Choice(
                str(slot.pk),
                f"{govuk_date(slot.starts_at, True)}, {slot.get_window_display().lower()}, "
                f"{govuk_time(slot.starts_at)} to {govuk_time(slot.ends_at)}",
                hint=f"{slot.team.name}: {slot.places_left} "
                f"place{'' if slot.places_left == 1 else 's'} left",
            )
            for slot in slots
        ]
        field.error_messages["required"] = "Select a slot"
        # Not among the offered slots any more: someone took its last place meanwhile.
        field.error_messages["invalid_choice"] = "That slot is now full. Choose another slot"

    def get_layout(self):
        # The page has its own h1 (with who the booking is for) above the list.
        return [Field.radios("slot", legend_size=Size.MEDIUM)]


class StaffCancelAppointmentForm(RepairsForm):
    reason = forms.CharField(
        label="Why is the appointment being cancelled?",
        help_text="The resident sees this on their repair's timeline.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the appointment is being cancelled",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
    submit_label = "Cancel the appointment"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A destructive action: the warning button, as on the resident's cancel page.
        self.helper.layout = Layout(*self.get_layout(), Button.warning("submit", self.submit_label))

    def get_layout(self):
        return [Field.textarea("reason", rows=3, max_characters=500)]


# -- after the repair -------------------------------------------------------------------------------


class SatisfactionForm(RepairsForm):
    score = forms.TypedChoiceField(
        label="How satisfied are you with this repair?",
        coerce=int,
        widget=forms.RadioSelect,
        choices=SatisfactionScore.choices,
        error_messages={"required": "Select how satisfied you are with this repair"},
    )
    comment = forms.CharField(
        label="Tell us more (optional)",
        help_text="What went well, or what we could have done better.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    submit_label = "Send your answer"

    def get_layout(self):
        return [
            Field.radios("score", legend_size=Size.MEDIUM),
            Field.textarea("comment", rows=4, max_characters=1000),
        ]


# -- building-safety concerns -----------------------------------------------------------------------


class SafetyConcernForm(RepairsForm):
    category = forms.ChoiceField(
        label="What is your concern about?",
        widget=forms.RadioSelect,
        choices=SafetyConcernCategory.choices,
        error_messages={"required": "Select what your concern is about"},
    )
    location = forms.CharField(
        label="Where is it?",
        help_text="For example: the fire door on the third floor landing of Alder House.",
        max_length=200,
        error_messages={"required": "Tell us where it is"},
    )
    description = forms.CharField(
        label="What is the problem?",
        help_text="What you saw, and when.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1500,
        error_messages={"required": "Tell us what the problem is"},
    )
    submit_label = "Report the safety concern"

    def get_layout(self):
        return [
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.text("location"),
            Field.textarea("description", rows=5, max_characters=1500),
        ]


# -- staff ------------------------------------------------------------------------------------------


class PriorityForm(RepairsForm):
    priority = forms.ModelChoiceField(
        label="New priority",
        queryset=RepairPriority.objects.filter(is_active=True),
        empty_label=None,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="The resident will see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for changing the priority"},
    )
    submit_label = "Change priority"

    def get_layout(self):
        return [Field.select("priority"), Field.textarea("reason", rows=3)]


class AssignForm(RepairsForm):
    team = forms.ModelChoiceField(
        label="Operative team or contractor",
        queryset=OperativeTeam.objects.filter(is_active=True),
        error_messages={"required": "Select a team or contractor"},
    )
    submit_label = "Assign"

    def get_layout(self):
        return [Field.select("team")]


class VisitForm(RepairsForm):
    outcome = forms.ChoiceField(
        label="What happened?",
        widget=forms.RadioSelect,
        choices=VisitOutcome.choices,
        error_messages={"required": "Select what happened"},
    )
    follow_on_work = forms.CharField(
        label="Follow-on work needed",
        required=False,
        help_text="Only if more work is needed. The resident sees it.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Note for the resident (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    submit_label = "Record the visit"

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == VisitOutcome.FOLLOW_ON
            and not data.get("follow_on_work", "").strip()
        ):
            self.add_error("follow_on_work", "Say what follow-on work is needed")
        return data

    def get_layout(self):
        return [
            Field.radios("outcome", legend_size=Size.SMALL, small=True),
            Field.textarea("follow_on_work", rows=2),
            Field.textarea("note", rows=2),
        ]


class CompleteForm(RepairsForm):
    note = forms.CharField(
        label="What was done",
        required=False,
        help_text="The resident sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submit_label = "Mark the repair complete"

    def get_layout(self):
        return [Field.textarea("note", rows=3)]


class FlagHazardForm(RepairsForm):
    description = forms.CharField(
        label="What is the hazard?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the hazard"},
    )
    is_emergency = forms.BooleanField(
        label="Emergency hazard: an imminent and significant risk (investigate and make safe within 24 hours)",
        required=False,
    )
    submit_label = "Flag hazard and start the clocks"

    def get_layout(self):
        return [Field.textarea("description", rows=3), Field.checkbox("is_emergency", small=True)]


class NewHazardForm(FlagHazardForm):
    uprn = forms.CharField(
        label="UPRN of the home",
        max_length=12,
        error_messages={"required": "Enter the home's UPRN"},
        help_text="The Unique Property Reference Number, on the resident's record.",
    )

    def clean_uprn(self):
        from portal.models import Home

        uprn = self.cleaned_data["uprn"].strip()
        self.home = Home.objects.filter(uprn=uprn).first()
        if self.home is None:
            raise forms.ValidationError("No home has that UPRN")
        return uprn

    def get_layout(self):
        return [Field.text("uprn", field_width=10), *super().get_layout()]


class InvestigationForm(RepairsForm):
    severity = forms.ChoiceField(
        label="What did the investigation find?",
        widget=forms.RadioSelect,
        choices=[c for c in HazardSeverity.choices if c[0] != HazardSeverity.NOT_YET_KNOWN],
        error_messages={"required": "Select what the investigation found"},
    )
    findings = forms.CharField(
        label="Findings",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record the findings"},
    )
    further_work_needed = forms.BooleanField(
        label="Further works are needed beyond making it safe", required=False
    )
    submit_label = "Record the investigation"

    def get_layout(self):
        return [
            Field.radios("severity", legend_size=Size.SMALL, small=True),
            Field.textarea("findings", rows=3),
            Field.checkbox("further_work_needed", small=True),
        ]


class HazardSummaryForm(RepairsForm):
    summary = forms.CharField(
        label="Written summary for the tenant",
        help_text="What we found, what we will do and by when. It is sent to them and kept on their record.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the summary"},
    )
    submit_label = "Send the summary"

    def get_layout(self):
        return [Field.textarea("summary", rows=5)]


class WorkNoteForm(RepairsForm):
    note = forms.CharField(
        label="What was done", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, submit_label="Record", **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return [Field.textarea("note", rows=2)]


class SafetyActionForm(RepairsForm):
    action = forms.CharField(
        label="What was done",
        help_text="The resident sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was done"},
    )
    resolved = forms.BooleanField(label="The concern is dealt with: close it", required=False)
    submit_label = "Record the action"

    def get_layout(self):
        return [Field.textarea("action", rows=3), Field.checkbox("resolved", small=True)]
