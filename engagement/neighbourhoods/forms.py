"""Forms for where to find us, surgeries, walkabouts and inspections (GOV.UK through crispy-forms-gds)."""

from __future__ import annotations

from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from engagement.neighbourhoods.models import (
    ContractService,
    InspectionElement,
    Score,
    ServiceCentre,
    Weekday,
)
from engagement.neighbourhoods.photos import PhotoRejected, clean_photo
from engagement.neighbourhoods.services import (
    FINDING_CASE_KINDS,
    VISIT_CASE_KINDS,
    CentreDetails,
)
from portal.forms import GDSFormMixin, GovukDateField, SubmissionTokenMixin, TimeOfDayField
from portal.models import Estate, Neighbourhood, Officer, OfficerRole, Tenancy
from portal.workdays import LONDON


def _london(day, clock) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)


def estate_choices():
    return forms.ModelChoiceField(
        label="Estate",
        queryset=Estate.objects.select_related("neighbourhood").order_by(
            "neighbourhood__name", "name"
        ),
        empty_label="Choose an estate",
        error_messages={"required": "Choose the estate"},
    )


def officer_choices(label="Officer"):
    return forms.ModelChoiceField(
        label=label,
        queryset=Officer.objects.filter(is_active=True)
        .exclude(role=OfficerRole.CONTACT_CENTRE)
        .order_by("name"),
        empty_label="Choose an officer",
        error_messages={"required": "Choose the officer"},
    )


class _EstateLabel:
    @staticmethod
    def label(estate):
        return f"{estate.name} ({estate.neighbourhood.name})"


class WhenMixin:
    """A day and a start (and end) time, together a moment in London."""

    def clean(self):
        cleaned = super().clean()
        day, starts = cleaned.get("day"), cleaned.get("starts")
        if day and starts:
            cleaned["starts_at"] = _london(day, starts)
            if cleaned["starts_at"] <= timezone.now():
                self.add_error("starts", "The start time must be in the future")
            ends = cleaned.get("ends")
            if "ends" in self.fields and ends:
                cleaned["ends_at"] = _london(day, ends)
                if ends <= starts:
                    self.add_error("ends", "The end time must be after the start time")
        return cleaned


class ScheduleSurgeryForm(WhenMixin, GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Schedule the surgery"

    estate = estate_choices()
    venue = forms.CharField(
        label="Where on the estate",
        max_length=200,
        help_text="For example 'Community room, Holly Court'",
        error_messages={"required": "Enter where the surgery is"},
    )
    day = GovukDateField(label="Date", today_is="not_before", help_text="For example, 12 3 2027")
    starts = TimeOfDayField(label="Start time")
    ends = TimeOfDayField(label="End time")
    officer = officer_choices("Officer running it")
    slot_minutes = forms.TypedChoiceField(
        label="Length of each appointment",
        choices=[(10, "10 minutes"), (15, "15 minutes"), (20, "20 minutes"), (30, "30 minutes")],
        coerce=int,
        initial=15,
        widget=forms.RadioSelect,
    )
    places_per_slot = forms.IntegerField(
        label="Places in each appointment",
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many people each appointment can take",
            "min_value": "Each appointment needs at least 1 place",
            "max_value": "Each appointment can take at most 20 people",
            "invalid": "Places in each appointment must be a number, like 1",
        },
    )
    drop_in_welcome = forms.BooleanField(
        label="People can drop in without booking", required=False, initial=True
    )
    notes = forms.CharField(
        label="Anything residents should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].label_from_instance = _EstateLabel.label

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.select("estate"),
            Field.text("venue"),
            Field("day"),
            Field.text("starts", field_width=5),
            Field.text("ends", field_width=5),
            Field.select("officer"),
            Field.radios("slot_minutes", legend_size=Size.SMALL, inline=True),
            Field.text("places_per_slot", field_width=2, inputmode="numeric"),
            Field.checkbox("drop_in_welcome"),
            Field.textarea("notes"),
            Button("submit", self.submit_label),
        )


class CancelSurgeryForm(GDSFormMixin, forms.Form):
    submit_label = "Cancel the surgery"
    reason = forms.CharField(
        label="Why is it cancelled?",
        help_text="Everyone booked is told, with this reason",
        max_length=200,
        error_messages={"required": "Say why the surgery is cancelled"},
    )


class CancelWalkaboutForm(GDSFormMixin, forms.Form):
    submit_label = "Cancel the walkabout"
    reason = forms.CharField(
        label="Why is it cancelled?",
        help_text="Everyone joining is told, with this reason",
        max_length=200,
        error_messages={"required": "Say why the walkabout is cancelled"},
    )


class BookSlotForm(GDSFormMixin, forms.Form):
    submit_label = "Book this time"

    slot = forms.ChoiceField(
        label="Choose a time",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a time"},
    )
    about = forms.CharField(
        label="What would you like to talk about? (optional)",
        help_text="It helps your officer come prepared. Do not include anything you would not want written down",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {str(slot.pk): slot for slot in slots}
        self.fields["slot"].choices = [
            (
                str(slot.pk),
                f"{timezone.localtime(slot.starts_at):%H:%M} to {timezone.localtime(slot.ends_at):%H:%M}"
                + ("" if slot.capacity == 1 else f" ({slot.places_left} places left)"),
            )
            for slot in slots
        ]

    def clean_slot(self):
        return self.slots[self.cleaned_data["slot"]]

    def get_layout(self):
        return Layout(
            Field.radios("slot", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("about", max_characters=1000),
            Button("submit", self.submit_label),
        )


class LogVisitForm(GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Log the visit"

    booking = forms.ChoiceField(label="Who came", widget=forms.RadioSelect, required=False)
    tenancy_reference = forms.CharField(
        label="Tenancy reference of someone who dropped in (optional)",
        required=False,
        max_length=30,
        help_text="For a resident, so what they raised can become a repair or complaint for their home",
    )
    visitor_name = forms.CharField(
        label="Name of someone who dropped in",
        required=False,
        max_length=150,
        help_text="Leave empty if you chose a resident who booked or gave a tenancy reference",
    )
    raised = forms.CharField(
        label="What they raised",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what they raised"},
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = {str(b.pk): b for b in bookings}
        self.fields["booking"].choices = [
            (
                str(b.pk),
                f"{b.resident.full_name}, booked {timezone.localtime(b.slot.starts_at):%H:%M}",
            )
            for b in bookings
        ] + [("", "Someone who dropped in")]

    def clean(self):
        cleaned = super().clean()
        booking = self.bookings.get(cleaned.get("booking") or "")
        cleaned["booking"] = booking
        cleaned["resident"] = None
        reference = cleaned.get("tenancy_reference", "").strip()
        if booking is None and reference:
            tenancy = (
                Tenancy.objects.filter(reference__iexact=reference, end_date__isnull=True)
                .prefetch_related("residents")
                .first()
            )
            residents = list(tenancy.residents.all()) if tenancy else []
            if not residents:
                self.add_error("tenancy_reference", "No current tenancy has that reference")
            else:
                cleaned["resident"] = residents[0]
        if booking is None and not reference and not cleaned.get("visitor_name", "").strip():
            self.add_error(
                "visitor_name",
                "Enter the name of the person who dropped in, or choose who booked",
            )
        return cleaned

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.radios("booking", legend_size=Size.SMALL),
            Field.text("tenancy_reference", field_width=10),
            Field.text("visitor_name"),
            Field.textarea("raised"),
            Button("submit", self.submit_label),
        )


class RaiseCaseForm(GDSFormMixin, forms.Form):
    submit_label = "Open the case"

    kind = forms.ChoiceField(
        label="What should it become?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of case to open"},
    )
    summary = forms.CharField(
        label="Summary for the case queue",
        max_length=120,
        help_text="A few words, for example 'Broken light by the bin store'",
        error_messages={"required": "Enter a summary for the case"},
    )
    details = forms.CharField(
        label="Details (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds.items())

    def get_layout(self):
        return Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("summary"),
            Field.textarea("details"),
            Button("submit", self.submit_label),
        )


def visit_case_form(*args, **kwargs):
    return RaiseCaseForm(*args, kinds=VISIT_CASE_KINDS, **kwargs)


def finding_case_form(*args, **kwargs):
    return RaiseCaseForm(*args, kinds=FINDING_CASE_KINDS, **kwargs)


class ScheduleWalkaboutForm(WhenMixin, GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Schedule the walkabout"

    estate = estate_choices()
    day = GovukDateField(label="Date", today_is="not_before", help_text="For example, 12 3 2027")
    starts = TimeOfDayField(label="Start time")
    meeting_point = forms.CharField(
        label="Where to meet",
        max_length=200,
        error_messages={"required": "Enter where residents meet you"},
    )
    officer = officer_choices("Officer leading it")
    notes = forms.CharField(
        label="Anything residents should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].label_from_instance = _EstateLabel.label

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.select("estate"),
            Field("day"),
            Field.text("starts", field_width=5),
            Field.text("meeting_point"),
            Field.select("officer"),
            Field.textarea("notes"),
            Button("submit", self.submit_label),
        )


class DoorstepDayForm(WhenMixin, GDSFormMixin, forms.Form):
    submit_label = "Add to the calendar"

    estate = estate_choices()
    title = forms.CharField(label="Name", max_length=120, initial="Community Thursday")
    day = GovukDateField(label="Date", today_is="not_before", help_text="For example, 12 3 2027")
    starts = TimeOfDayField(label="Start time")
    ends = TimeOfDayField(label="End time")
    meeting_point = forms.CharField(
        label="Where to find us (optional)", max_length=200, required=False
    )
    description = forms.CharField(
        label="What residents can expect (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].label_from_instance = _EstateLabel.label

    def get_layout(self):
        return Layout(
            Field.select("estate"),
            Field.text("title"),
            Field("day"),
            Field.text("starts", field_width=5),
            Field.text("ends", field_width=5),
            Field.text("meeting_point"),
            Field.textarea("description"),
            Button("submit", self.submit_label),
        )


class OfficerProfileForm(GDSFormMixin, forms.Form):
    submit_label = "Save your details"

    phone = forms.CharField(label="Phone number for residents", max_length=40, required=False)
    email = forms.EmailField(
        label="Email address for residents",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    about = forms.CharField(
        label="About you (optional)",
        required=False,
        max_length=600,
        help_text="A few words residents will read, for example how long you have looked after the area",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label="Photo of you (optional)",
        required=False,
        help_text="A JPEG, PNG or HEIC photo, smaller than 10MB. We remove the location and other details from it",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/heic"}),
    )
    photo_description = forms.CharField(
        label="Describe the photo (optional)",
        max_length=200,
        required=False,
        help_text="For people who cannot see it, for example 'Priya smiling, in front of Holly Court'",
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            clean_photo(upload, what="Your photo")
        except PhotoRejected as error:
            raise forms.ValidationError(str(error)) from None
        upload.seek(0)
        return upload

    def get_layout(self):
        return Layout(
            Field.text("phone", field_width=20, type="tel", autocomplete="tel"),
            Field.text("email", field_width=30, type="email", autocomplete="email"),
            Field.textarea("about", max_characters=600),
            Field("photo"),
            Field.text("photo_description"),
            Field.checkbox("remove_photo"),
            Button("submit", self.submit_label),
        )


class PlaceScoresForm(forms.Form):
    """The checklist for one block or open space: each element scored 1 to 5, with a comment and
    a photo. Laid out by its template (one fieldset per element) for a phone in the hand."""

    def __init__(self, *args, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # for the error summary; the template lays the fields out
        self.helper.form_tag = False
        existing = existing or {}
        self.elements = []
        for element in InspectionElement:
            found = existing.get(element.value)
            self.fields[f"{element.value}_score"] = forms.TypedChoiceField(
                label=f"Score for {element.label.lower()}",
                choices=Score.choices,
                coerce=int,
                widget=forms.RadioSelect,
                initial=found.score if found else None,
                error_messages={"required": f"Score {element.label.lower()}, from 1 to 5"},
            )
            self.fields[f"{element.value}_comment"] = forms.CharField(
                label=f"What did you see? ({element.label.lower()}, optional)",
                required=False,
                max_length=1000,
                initial=found.comment if found else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{element.value}_photo"] = forms.FileField(
                label=f"Photo ({element.label.lower()}, optional)",
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/*", "capture": "environment"}
                ),
            )
            self.elements.append((element, found))

    def clean(self):
        cleaned = super().clean()
        for element in InspectionElement:
            upload = cleaned.get(f"{element.value}_photo")
            if upload:
                try:
                    clean_photo(upload, what=f"The photo for {element.label.lower()}")
                except PhotoRejected as error:
                    self.add_error(f"{element.value}_photo", str(error))
                else:
                    upload.seek(0)
        return cleaned

    def bound_elements(self):
        return [
            (
                element,
                found,
                self[f"{element.value}_score"],
                self[f"{element.value}_comment"],
                self[f"{element.value}_photo"],
            )
            for element, found in self.elements
        ]


class CompleteInspectionForm(GDSFormMixin, forms.Form):
    submit_label = "Finish the inspection"

    residents_present = forms.IntegerField(
        label="How many residents walked with you?",
        min_value=0,
        max_value=500,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many residents walked with you, or 0",
            "invalid": "Enter a number, like 3",
            "min_value": "Enter a number, like 3",
        },
    )
    summary = forms.CharField(
        label="Summary for residents (optional)",
        required=False,
        help_text="Residents see this beside the scores",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def get_layout(self):
        return Layout(
            Field.text("residents_present", field_width=3, inputmode="numeric"),
            Field.textarea("summary"),
            Button("submit", self.submit_label),
        )


class StartInspectionForm(GDSFormMixin, forms.Form):
    submit_label = "Start the inspection"
    estate = estate_choices()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].label_from_instance = _EstateLabel.label

    def get_layout(self):
        return Layout(Field.select("estate"), Button("submit", self.submit_label))


# -- setting up: service centres, contractors, open spaces (managers) -------------------------------------------

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


class ServiceCentreForm(GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Save the centre"

    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter the name of the centre"}
    )
    kind = forms.ChoiceField(
        label="What kind of place is it?",
        choices=ServiceCentre.Kind.choices,
        widget=forms.RadioSelect,
        initial=ServiceCentre.Kind.SERVICE_CENTRE,
        error_messages={"required": "Choose what kind of place it is"},
    )
    address = forms.CharField(
        label="Address",
        help_text="One line of the address on each line, without the postcode",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the address"},
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"}
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    email = forms.EmailField(
        label="Email address (optional)", required=False, error_messages={"invalid": EMAIL_INVALID}
    )
    helps_with = forms.CharField(
        label="What residents can get help with",
        help_text="One thing on each line, for example 'Rent and money advice'",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what residents can get help with there"},
    )
    access_information = forms.CharField(
        label="Getting in and getting there (optional)",
        help_text="Step-free access, hearing loop, parking, buses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label="Which neighbourhoods does it serve? (optional)",
        help_text="Residents in these neighbourhoods see it first",
        queryset=Neighbourhood.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def details(self) -> CentreDetails:
        data = self.cleaned_data
        return CentreDetails(
            name=data["name"],
            kind=data["kind"],
            address=data["address"],
            postcode=data["postcode"],
            helps_with=data["helps_with"],
            phone=data["phone"],
            email=data["email"],
            access_information=data["access_information"],
            neighbourhoods=tuple(data["neighbourhoods"]),
        )

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("address"),
            Field.text("postcode", field_width=10, autocomplete="postal-code"),
            Field.text("phone", field_width=20, type="tel"),
            Field.text("email", field_width=30, type="email", spellcheck="false"),
            Field.textarea("helps_with"),
            Field.textarea("access_information"),
            Field.checkboxes("neighbourhoods", legend_size=Size.SMALL, small=True),
            Button("submit", self.submit_label),
        )


class DropInHoursForm(GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Save the hours"

    weekday = forms.TypedChoiceField(
        label="Day",
        choices=[("", "Choose a day"), *Weekday.choices],
        coerce=int,
        error_messages={"required": "Choose the day"},
    )
    opens = TimeOfDayField(label="Opening time")
    closes = TimeOfDayField(label="Closing time")
    note = forms.CharField(
        label="Note for residents (optional)",
        max_length=150,
        required=False,
        help_text="For example 'Money advice only'",
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", "The closing time must be after the opening time")
        return cleaned

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.select("weekday"),
            Field.text("opens", field_width=5),
            Field.text("closes", field_width=5),
            Field.text("note"),
            Button("submit", self.submit_label),
        )


class ContractorForm(GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Save the contractor"

    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter the contractor's name"}
    )
    service = forms.ChoiceField(
        label="What do they do?",
        choices=ContractService.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they do"},
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    email = forms.EmailField(
        label="Email address (optional)", required=False, error_messages={"invalid": EMAIL_INVALID}
    )

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.text("name"),
            Field.radios("service", legend_size=Size.SMALL),
            Field.text("phone", field_width=20, type="tel"),
            Field.text("email", field_width=30, type="email", spellcheck="false"),
            Button("submit", self.submit_label),
        )


class AssignEstateForm(GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Give them the estate"

    estate = estate_choices()
    starts_on = GovukDateField(label="From", help_text="Their first day, for example 1 4 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].label_from_instance = _EstateLabel.label

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.select("estate"),
            Field("starts_on"),
            Button("submit", self.submit_label),
        )


class LastDayForm(GDSFormMixin, forms.Form):
    """The last day of a contract: of one estate, or of every estate a contractor holds."""

    last_day = GovukDateField(label="Last day", help_text="For example, 31 3 2027")

    def __init__(self, *args, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return Layout(Field("last_day"), Button("submit", self.submit_label))


class OpenSpaceForm(GDSFormMixin, SubmissionTokenMixin):
    submit_label = "Add the open space"

    estate = estate_choices()
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example 'Play area' or 'Car park behind Holly Court'",
        error_messages={"required": "Enter the name of the open space"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].label_from_instance = _EstateLabel.label

    def get_layout(self):
        return Layout(
            "submission_token",
            Field.select("estate"),
            Field.text("name"),
            Button("submit", self.submit_label),
        )


class RenameOpenSpaceForm(GDSFormMixin, forms.Form):
    submit_label = "Save the name"

    name = forms.CharField(
        label="New name",
        max_length=120,
        error_messages={"required": "Enter the name of the open space"},
    )
