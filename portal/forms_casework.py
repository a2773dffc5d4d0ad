"""Forms for enquiries and casework: the resident's "Contact us", the contact centre's "Log an
enquiry", and the small action forms on the staff case page."""

import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Button,
    Field,
    Layout,
    Size,
)
from django import forms

from portal.models import CaseChannel, CaseStatus, ContactOutcome, Officer

QUESTION_MAX = 2000
NOTE_MAX = 5000


class CaseworkForm(forms.Form):
    """A GOV.UK form whose error summary links to the first input of each field in error (the
    radio buttons of a radio field, not an element that is not there)."""

    submit_label = "Continue"
    button_class = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK character counts must not cut off typing, so no maxlength attribute.
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        self.helper = FormHelper()
        # Templates write the <form> and its CSRF token, so each action posts to its own URL.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self.get_layout()

    def get_layout(self):
        return Layout(*self.fields.keys(), self.button())

    def button(self):
        extra = {"css_class": self.button_class} if self.button_class else {}
        # A page holds several of these forms: each button needs its own id.
        return Button(
            "submit", self.submit_label, css_id=f"{self.prefix or 'form'}-submit", **extra
        )

    def error_links(self):
        """(anchor, message) for the error summary, in the order the fields appear."""
        links = []
        for error in self.non_field_errors():
            links.append((self._anchor(next(iter(self.fields), "")), error))
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            for error in self.errors.get(name, []):
                links.append((self._anchor(name), error))
        return links

    def _anchor(self, name):
        if not name:
            return ""
        bound = self[name]
        if isinstance(bound.field.widget, forms.RadioSelect):
            return f"id_{bound.html_name}_1"  # crispy-forms-gds numbers radio buttons from 1
        return bound.auto_id


class OnceTokenField(forms.CharField):
    """A hidden token, made when the form is first shown, that lets the view recognise the same
    submission sent twice (a double click, a resent page)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return uuid.UUID(value).hex
        except (ValueError, TypeError, AttributeError):
            return ""  # missing or mangled: the view makes a new one


def new_token() -> str:
    return uuid.uuid4().hex


def question_field(label):
    return forms.CharField(
        label=label,
        max_length=QUESTION_MAX,
        # crispy-forms-gds's character count appends to aria-describedby and fails if it is absent.
        widget=forms.Textarea(attrs={"rows": 6, "aria-describedby": ""}),
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {QUESTION_MAX:,} characters or fewer",
        },
    )


class ContactUsForm(CaseworkForm):
    submit_label = "Send your question"

    token = OnceTokenField()
    question = question_field("What is your question?")

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.homes = {str(home.pk): home for home in homes}
        if len(self.homes) > 1:
            self.fields["home"] = forms.ChoiceField(
                label="Which home is your question about?",
                choices=[(pk, home.short_address) for pk, home in self.homes.items()],
                widget=forms.RadioSelect,
                error_messages={"required": "Select which home your question is about"},
            )
            self.order_fields(["token", "home"])  # the order of the page, for the error summary
            self.helper.layout = self.get_layout()

    def get_layout(self):
        fields = []
        if "home" in self.fields:
            fields.append(Field.radios("home", legend_size=Size.MEDIUM))
        return Layout(
            "token",
            *fields,
            Field.textarea(
                "question",
                label_size=Size.MEDIUM,
                rows=6,
                max_characters=QUESTION_MAX,
                threshold=75,
            ),
            self.button(),
        )

    def chosen_home(self):
        if len(self.homes) == 1:
            return next(iter(self.homes.values()))
        return self.homes.get(self.cleaned_data.get("home", ""))


class ResidentSearchForm(forms.Form):
    """The contact centre's search: a name, a postcode (with or without a street address in front),
    or a tenancy reference."""

    q = forms.CharField(
        label="Search by name, postcode, address or tenancy reference",
        help_text="For example, Smith, Jane Smith, MK9 3EJ, 12 Mill Lane MK9 3EJ or T-004213",
        max_length=100,
        required=False,
    )


CONTACT_CENTRE_CHANNELS = [
    (CaseChannel.PHONE, "Phone call"),
    (CaseChannel.TEXT, "Text message"),
    (CaseChannel.EMAIL, "Email"),
    (CaseChannel.LETTER, "Letter"),
    (CaseChannel.WALK_IN, "In person"),
]


class LogEnquiryForm(CaseworkForm):
    submit_label = "Log the enquiry"

    token = OnceTokenField()
    channel = forms.ChoiceField(
        label="How did the resident contact us?",
        choices=CONTACT_CENTRE_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the resident contacted us"},
    )
    question = question_field("What is their question?")
    answered = forms.ChoiceField(
        label="Did you answer it there and then?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        help_text="If not, their housing officer will call them back by the end of the next working day.",
        error_messages={"required": "Select yes if you answered the question there and then"},
    )
    answer = forms.CharField(
        label="What did you tell them?",
        required=False,
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The answer must be {QUESTION_MAX:,} characters or fewer"},
    )

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].error_messages["required"] = "Enter the resident's question"
        self.fields["question"].error_messages["max_length"] = (
            f"The question must be {QUESTION_MAX:,} characters or fewer"
        )
        self.homes = {str(home.pk): home for home in homes}
        if len(self.homes) > 1:
            self.fields["home"] = forms.ChoiceField(
                label="Which home is it about?",
                choices=[(pk, home.short_address) for pk, home in self.homes.items()],
                widget=forms.RadioSelect,
                error_messages={"required": "Select which home the enquiry is about"},
            )
            self.order_fields(["token", "home"])  # the order of the page, for the error summary
            self.helper.layout = self.get_layout()

    def get_layout(self):
        fields = []
        if "home" in self.fields:
            fields.append(Field.radios("home", legend_size=Size.SMALL))
        return Layout(
            "token",
            *fields,
            Field.radios("channel", legend_size=Size.SMALL),
            Field.textarea(
                "question", label_size=Size.SMALL, rows=5, max_characters=QUESTION_MAX, threshold=75
            ),
            # "Did you answer it?" and the answer it reveals are written out in the template:
            # crispy-forms-gds's conditional radios point aria-controls at a reveal that "No"
            # does not have, which is invalid ARIA.
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answered") == "yes" and not cleaned.get("answer", "").strip():
            self.add_error("answer", "Enter what you told the resident")
        if cleaned.get("answered") == "no":
            cleaned["answer"] = ""
        return cleaned

    def chosen_home(self):
        if len(self.homes) == 1:
            return next(iter(self.homes.values()))
        return self.homes.get(self.cleaned_data.get("home", ""))


# The case page's actions. Each has a prefix, so several can sit on one page with unique ids.


class ReassignForm(CaseworkForm):
    prefix = "assign"
    submit_label = "Reassign"
    button_class = "govuk-button--secondary"

    officer = forms.ModelChoiceField(
        label="Assign to",
        queryset=Officer.objects.none(),
        empty_label="Choose an officer",
        error_messages={"required": "Select who to assign the case to"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = self.fields["officer"]
        officers.queryset = (
            Officer.objects.filter(is_active=True).select_related("team").order_by("name")
        )
        officers.label_from_instance = lambda o: f"{o.name} ({o.team.name})" if o.team else o.name


class NoteForm(CaseworkForm):
    prefix = "note"
    submit_label = "Add the note"
    button_class = "govuk-button--secondary"

    text = forms.CharField(
        label="Note",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the note",
            "max_length": f"The note must be {NOTE_MAX:,} characters or fewer",
        },
    )
    visible_to_resident = forms.BooleanField(
        label="Show this note to the resident",
        required=False,
        help_text="Leave this unticked to keep the note for staff only.",
    )

    def get_layout(self):
        return Layout(
            Field.textarea("text", rows=4),
            Field.checkbox("visible_to_resident", small=True),
            self.button(),
        )


CONTACT_METHODS = [
    (CaseChannel.PHONE, "Phone call"),
    (CaseChannel.TEXT, "Text message"),
    (CaseChannel.EMAIL, "Email"),
    (CaseChannel.WALK_IN, "Visit"),
    (CaseChannel.LETTER, "Letter"),
]


class ContactAttemptForm(CaseworkForm):
    prefix = "contact"
    submit_label = "Record the contact"
    button_class = "govuk-button--secondary"

    method = forms.ChoiceField(
        label="How",
        choices=CONTACT_METHODS,
        initial=CaseChannel.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you contacted the resident"},
    )
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX,
        help_text="When you spoke to them, the resident sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The note must be {NOTE_MAX:,} characters or fewer"},
    )

    def get_layout(self):
        return Layout(
            Field.radios("method", legend_size=Size.SMALL, small=True),
            Field.radios("outcome", legend_size=Size.SMALL, small=True),
            Field.textarea("note", rows=3),
            self.button(),
        )


class StatusForm(CaseworkForm):
    prefix = "status"
    submit_label = "Change the status"
    button_class = "govuk-button--secondary"

    status = forms.ChoiceField(
        label="Status",
        choices=[(value, CaseStatus(value).label) for value in CaseStatus.open_values()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )

    def get_layout(self):
        return Layout(Field.radios("status", legend_size=Size.SMALL, small=True), self.button())


class CloseCaseForm(CaseworkForm):
    prefix = "close"
    submit_label = "Close the case"
    button_class = "govuk-button--warning"

    outcome = forms.ChoiceField(
        label="How did it end?",
        choices=[
            (CaseStatus.RESOLVED, "Resolved: we did what was asked or answered the question"),
            (
                CaseStatus.CLOSED,
                "Closed without resolving: withdrawn, a duplicate, or we could not help",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the case ended"},
    )
    message = forms.CharField(
        label="Message to the resident",
        help_text="The resident sees this on their case and is sent it.",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a message to the resident",
            "max_length": f"The message must be {NOTE_MAX:,} characters or fewer",
        },
    )

    def get_layout(self):
        return Layout(
            Field.radios("outcome", legend_size=Size.SMALL, small=True),
            Field.textarea("message", rows=4),
            self.button(),
        )
