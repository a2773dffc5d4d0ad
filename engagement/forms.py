"""Forms for resident voice, in the GOV.UK style through crispy-forms-gds. Pages show an error
summary at the top ({% error_summary form %}) and each message beside its field."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from engagement.documents import ACCEPT, check_document
from engagement.models import (
    ChangeSource,
    Consultation,
    ConsultationAudience,
    MembershipEndReason,
    Panel,
    PaperKind,
    QuestionKind,
    ResponseChannel,
    ResponseDecision,
    Rsvp,
    ScrutinyReview,
    SupportNeed,
)
from portal.extensions import live_measures
from portal.forms import GDSForm, GDSFormMixin, GovukDateField, TimeOfDayField
from portal.models import Estate, Officer, Tenure
from portal.workdays import LONDON


def text_field(label, *, required=True, rows=None, max_length=5000, message=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        max_length=max_length,
        help_text=help_text,
        error_messages={"required": message or f"Enter {label[0].lower() + label[1:]}"},
    )


class DocumentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            check_document(uploaded)
        return uploaded


def at(day, moment):
    return datetime.combine(day, moment, tzinfo=LONDON)


# -- residents ------------------------------------------------------------------------------------------------


class ApplyForm(GDSForm):
    submit_label = "Send my application"

    why = text_field(
        "Why would you like to join?",
        rows=5,
        message="Tell us why you would like to join",
        help_text="A few sentences is fine. There are no wrong answers, and you do not need any experience.",
    )
    interests = text_field(
        "Which parts of our service interest you most? (optional)",
        required=False,
        rows=3,
        help_text="For example, repairs, estate cleaning, how we handle complaints.",
    )
    availability = text_field(
        "When can you usually take part? (optional)",
        required=False,
        rows=2,
        help_text="For example, weekday evenings, or school hours.",
    )
    support_needs = forms.MultipleChoiceField(
        label="Is there anything that would help you take part?",
        help_text="We pay for or arrange these. Select all that apply.",
        choices=SupportNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_other = text_field(
        "Anything else we should know (optional)", required=False, rows=2, max_length=1000
    )

    def get_layout(self):
        return Layout(
            Field.textarea("why", label_size=Size.SMALL),
            Field.textarea("interests", label_size=Size.SMALL),
            Field.textarea("availability", label_size=Size.SMALL),
            Field.checkboxes("support_needs", legend_size=Size.SMALL, small=True),
            Field.textarea("support_other", label_size=Size.SMALL),
            Button("submit", self.submit_label),
        )


class LeaveForm(GDSForm):
    submit_label = "Leave the panel"
    reason = text_field(
        "Would you like to tell us why? (optional)", required=False, rows=3, max_length=2000
    )


class RsvpForm(GDSForm):
    submit_label = "Send my reply"
    rsvp = forms.ChoiceField(
        label="Are you coming?",
        choices=Rsvp.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you are coming"},
    )

    def get_layout(self):
        return Layout(
            Field.radios("rsvp", legend_size=Size.MEDIUM, inline=True),
            Button("submit", self.submit_label),
        )


class EvidenceRequestForm(GDSForm):
    submit_label = "Ask for this evidence"
    asked = text_field(
        "What would the panel like to see?",
        rows=3,
        max_length=2000,
        message="Say what evidence the panel would like to see",
        help_text="For example, the number of repairs done right first time in each month this year.",
    )


class ConsultationAnswersForm(GDSForm):
    """The questions of one consultation, built from its ConsultationQuestions."""

    submit_label = "Send my answers"

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.questions = list(consultation.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            label = (
                f"{question.number}. {question.text}{'' if question.required else ' (optional)'}"
            )
            message = f"Answer question {question.number}"
            if question.kind == QuestionKind.TEXT:
                field = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=question.required,
                    max_length=3000,
                    error_messages={"required": message},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(option, option) for option in question.options],
                    widget=forms.RadioSelect,
                    required=question.required,
                    error_messages={
                        "required": message,
                        "invalid_choice": f"Choose one of the answers to question {question.number}",
                    },
                )
            field.help_text = question.hint
            self.fields[name] = field
        self.fields["submission_token"] = forms.UUIDField(widget=forms.HiddenInput, required=False)
        self.helper.layout = self.get_layout()

    def get_layout(self):
        if not hasattr(self, "questions"):
            return Layout()
        parts = []
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                parts.append(Field.textarea(name, label_size=Size.SMALL))
            else:
                parts.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        parts.extend(self.extra_layout())
        parts.extend(["submission_token", Button("submit", self.submit_label)])
        return Layout(*parts)

    def extra_layout(self):
        return []

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f"q{q.pk}") for q in self.questions):
            raise ValidationError("Answer at least one question")
        return data

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") or "" for q in self.questions}


# -- staff: panels and members ---------------------------------------------------------------------------------


class PanelForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save the panel"

    open_to_tenures = forms.MultipleChoiceField(
        label="Who may join",
        help_text="Leave all unticked if it is open to every tenure.",
        choices=Tenure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    open_to_estates = forms.ModelMultipleChoiceField(
        label="Only residents of these estates (optional)",
        help_text="Leave all unticked if it is open to every estate.",
        queryset=Estate.objects.select_related("neighbourhood").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    roles = forms.CharField(
        label="Portfolio roles (optional)",
        help_text="One a line: parts of the service a member follows, like Repairs contract or Grounds maintenance.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    class Meta:
        model = Panel
        fields = [
            "name",
            "kind",
            "theme",
            "purpose",
            "what_members_do",
            "time_commitment",
            "open_to_tenures",
            "open_to_estates",
            "term_months",
            "is_recruiting",
        ]
        labels = {
            "name": "Name",
            "kind": "Kind of panel",
            "theme": "Theme (optional)",
            "what_members_do": "What members do",
            "time_commitment": "Time it takes",
            "term_months": "Length of a member's term, in months",
            "is_recruiting": "Looking for new members",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "what_members_do": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": "Enter the panel's name"},
            "kind": {"required": "Select the kind of panel"},
            "purpose": {"required": "Enter the panel's purpose"},
            "what_members_do": {"required": "Say what members do"},
            "time_commitment": {"required": "Say how much time it takes"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = "\n".join(
                self.instance.portfolio_roles.values_list("name", flat=True)
            )

    def role_names(self):
        return [
            line.strip() for line in self.cleaned_data.get("roles", "").splitlines() if line.strip()
        ]

    def get_layout(self):
        return Layout(
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("theme", field_width=20),
            Field.textarea("purpose"),
            Field.textarea("what_members_do"),
            Field.text("time_commitment"),
            Field.checkboxes("open_to_tenures", legend_size=Size.SMALL, small=True),
            Field.checkboxes("open_to_estates", legend_size=Size.SMALL, small=True),
            Field.textarea("roles"),
            Field.text("term_months", field_width=3),
            Field.checkbox("is_recruiting"),
            Button("submit", self.submit_label),
        )


class DecisionForm(GDSForm):
    submit_label = "Save the decision"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept as a member"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select accept or decline"},
    )
    message = text_field(
        "Message to the resident",
        rows=4,
        max_length=2000,
        message="Write a message to the resident",
        help_text="They receive this in their preferred way. If you decline, say why and what else they could do.",
    )
    portfolio_role = forms.ModelChoiceField(
        label="Portfolio role (optional)", queryset=None, required=False
    )

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio_role"].queryset = panel.portfolio_roles.all()
        self.fields["portfolio_role"].empty_label = "None for now"

    def get_layout(self):
        return Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("message"),
            Field.select("portfolio_role"),
            Button("submit", self.submit_label),
        )


class EndMembershipForm(GDSForm):
    submit_label = "End the membership and tell the resident"

    reason = forms.ChoiceField(
        label="Why is the membership ending?",
        choices=MembershipEndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the membership is ending"},
        help_text="Only staff see the reason.",
    )
    message = text_field(
        "Message to the resident",
        rows=5,
        max_length=2000,
        message="Write a message to the resident",
        help_text="They receive this in their preferred way and see it on their panels page. "
        "Thank them for what they did.",
    )
    note = text_field(
        "Note for staff (optional)",
        required=False,
        rows=3,
        max_length=2000,
        help_text="Shown with the reason in the panel's past members. The resident does not see it.",
    )

    def get_layout(self):
        return Layout(
            Field.radios("reason", legend_size=Size.MEDIUM),
            Field.textarea("message"),
            Field.textarea("note"),
            Button.warning("submit", self.submit_label),
        )


class ClosePanelForm(GDSForm):
    submit_label = "Close the panel"

    message = text_field(
        "Message to members and applicants",
        rows=5,
        max_length=2000,
        message="Write a message to the panel's members and applicants",
        help_text="Everyone waiting for a decision is declined with this message; members "
        "receive it too. Say why the panel is closing and how else they can have a say.",
    )

    def get_layout(self):
        return Layout(Field.textarea("message"), Button.warning("submit", self.submit_label))


class MeetingForm(GDSForm):
    submit_label = "Add the meeting"

    title = text_field(
        "Title",
        max_length=150,
        message="Enter a title",
        help_text="For example, Quarterly meeting.",
    )
    day = GovukDateField(
        label="Date",
        today_is="not_before",
        required_message="Enter the date of the meeting",
        help_text="For example, 27 3 2027",
    )
    starts = TimeOfDayField(label="Start time", help_text="For example, 18:30 or 6:30pm")
    ends = TimeOfDayField(label="End time (optional)", required=False)
    place = text_field(
        "Place (optional)",
        required=False,
        max_length=250,
        help_text="For example, Hollybank Community Centre, Room 2.",
    )
    online_link = forms.URLField(
        label="Online link (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )
    agenda = text_field("Agenda", rows=6, message="Enter the agenda", help_text="One item a line.")

    def __init__(self, *args, submit_label: str | None = None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def get_layout(self):
        return Layout(
            Field.text("title"),
            Field("day"),
            Field.text("starts", field_width=5),
            Field.text("ends", field_width=5),
            Field.text("place"),
            Field.text("online_link"),
            Field.textarea("agenda"),
            Button("submit", self.submit_label),
        )

    def clean(self):
        data = super().clean()
        if (
            not data.get("place")
            and not data.get("online_link")
            and not self.has_error("online_link")
        ):
            self.add_error("place", "Enter a place, an online link, or both")
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", "The end time must be after the start time")
        return data

    def meeting_details(self) -> dict:
        """What schedule_meeting and change_meeting take, from the cleaned answers."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": at(data["day"], data["starts"]),
            "ends_at": at(data["day"], data["ends"]) if data.get("ends") else None,
            "place": data["place"],
            "online_link": data["online_link"],
            "agenda": data["agenda"],
        }


class PaperForm(GDSForm):
    submit_label = "Upload"
    title = text_field("Title", max_length=150, message="Enter a title for the paper")
    kind = forms.ChoiceField(
        label="What is it?",
        choices=PaperKind.choices,
        widget=forms.RadioSelect,
        initial=PaperKind.PAPER,
    )
    document = DocumentField(
        label="File",
        help_text="PDF, Word, Excel, CSV, JPG or PNG.",
        error_messages={"required": "Choose a file to upload"},
    )

    def __init__(self, *args, minutes_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.minutes_only = minutes_only
        if minutes_only:
            # After the meeting only the minutes can be added to its papers.
            self.fields["kind"].choices = [(PaperKind.MINUTES, PaperKind.MINUTES.label)]
            self.fields["kind"].initial = PaperKind.MINUTES

    def get_layout(self):
        return Layout(
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field("document"),
            Button("submit", self.submit_label),
        )


class MinutesForm(GDSForm):
    submit_label = "Publish the minutes"
    minutes = text_field("Minutes", rows=10, message="Enter the minutes", max_length=20000)


class AttendanceForm(GDSForm):
    submit_label = "Save attendance"

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"] = forms.MultipleChoiceField(
            label="Who came?",
            choices=[(str(m.resident_id), m.resident.full_name) for m in members],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.helper.layout = Layout(
            Field.checkboxes("present", legend_size=Size.MEDIUM, small=True),
            Button("submit", self.submit_label),
        )


# -- staff: scrutiny -------------------------------------------------------------------------------------------


class ReviewForm(GDSForm):
    submit_label = "Open the review"

    panel = forms.ModelChoiceField(
        label="Panel",
        queryset=Panel.objects.filter(is_active=True),
        error_messages={"required": "Select the panel"},
    )
    title = text_field(
        "Title",
        max_length=200,
        message="Enter a title",
        help_text="For example, How we keep residents informed about repairs.",
    )
    service = text_field(
        "Service under review", max_length=150, message="Enter the service under review"
    )
    scope = text_field(
        "Scope", rows=4, message="Enter the scope", help_text="What is in and out of the review."
    )
    questions = text_field(
        "Questions",
        rows=4,
        message="Enter the questions the panel wants answered",
        help_text="One a line.",
    )
    starts_on = GovukDateField(label="Starts on", required_message="Enter the start date")
    report_due_on = GovukDateField(
        label="Report due on", required_message="Enter when the report is due"
    )
    timetable = text_field(
        "Timetable (optional)",
        rows=4,
        required=False,
        help_text="The stages and their dates, one a line.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = Panel.objects.filter(is_active=True).order_by("name")
        self.fields["panel"].empty_label = "Select a panel"

    def clean(self):
        data = super().clean()
        if (
            data.get("starts_on")
            and data.get("report_due_on")
            and data["report_due_on"] < data["starts_on"]
        ):
            self.add_error("report_due_on", "The report must be due after the review starts")
        return data


class DocumentEvidenceForm(GDSForm):
    submit_label = "Add the document"
    title = text_field("Title", max_length=200, message="Enter a title for the document")
    document = DocumentField(
        label="File",
        help_text="PDF, Word, Excel, CSV, JPG or PNG.",
        error_messages={"required": "Choose a file to upload"},
    )
    notes = text_field("Notes for the panel (optional)", rows=3, required=False)
    request = forms.ModelChoiceField(
        label="Answers the panel's request (optional)", queryset=None, required=False
    )

    def __init__(self, *args, review: ScrutinyReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = review.evidence_requests.all()
        self.fields["request"].empty_label = "Not in answer to a request"


class FigureEvidenceForm(GDSForm):
    submit_label = "Add the figure"
    measure = forms.ChoiceField(label="Figure", error_messages={"required": "Select a figure"})
    period_start = GovukDateField(
        label="From", today_is="not_after", required_message="Enter the start of the period"
    )
    period_end = GovukDateField(
        label="To", today_is="not_after", required_message="Enter the end of the period"
    )
    notes = text_field("Notes for the panel (optional)", rows=3, required=False)
    request = forms.ModelChoiceField(
        label="Answers the panel's request (optional)", queryset=None, required=False
    )

    def __init__(self, *args, review: ScrutinyReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Select a figure")] + [
            (m.key, m.label) for m in live_measures()
        ]
        self.fields["request"].queryset = review.evidence_requests.all()
        self.fields["request"].empty_label = "Not in answer to a request"

    def clean(self):
        data = super().clean()
        if (
            data.get("period_start")
            and data.get("period_end")
            and data["period_end"] < data["period_start"]
        ):
            self.add_error("period_end", "The period must end after it starts")
        return data


class FindingsForm(GDSForm):
    submit_label = "Save the findings"
    findings = text_field(
        "Findings", rows=8, max_length=20000, message="Enter the panel's findings"
    )
    summary = text_field(
        "Summary for the public page", rows=3, max_length=2000, message="Enter a short summary"
    )


class RecommendationForm(GDSForm):
    submit_label = "Add the recommendation"
    text = text_field("Recommendation", rows=3, max_length=3000, message="Enter the recommendation")


class ResponseForm(GDSForm):
    submit_label = "Save the response"
    decision = forms.ChoiceField(
        label="The landlord's decision",
        choices=ResponseDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the recommendation is accepted"},
    )
    reasons = text_field(
        "Reasons",
        rows=5,
        max_length=5000,
        message="Give the reasons for the decision",
        help_text="The panel and, once published, the public read this.",
    )

    def get_layout(self):
        return Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reasons"),
            Button("submit", self.submit_label),
        )


class ActionForm(GDSForm):
    submit_label = "Add the action"
    description = text_field("Action", rows=3, max_length=2000, message="Describe the action")
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=Officer.objects.filter(is_active=True),
        error_messages={"required": "Select who owns the action"},
    )
    due_on = GovukDateField(
        label="Due by", today_is="not_before", required_message="Enter when it is due"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].empty_label = "Select an owner"


class CompleteActionForm(GDSForm):
    submit_label = "Mark as done"
    note = text_field("What was done (optional)", rows=2, required=False, max_length=2000)


# -- staff: consultations -----------------------------------------------------------------------------------


class ConsultationForm(GDSForm):
    submit_label = "Save the consultation"

    title = text_field("Title", max_length=200, message="Enter a title")
    summary = text_field(
        "What is proposed, and why",
        rows=6,
        max_length=10000,
        message="Say what is proposed and why",
    )
    document = DocumentField(
        label="The draft document (optional)", required=False, help_text="PDF or Word."
    )
    opens_on = GovukDateField(label="Opens on", required_message="Enter when it opens")
    closes_on = GovukDateField(label="Closes on", required_message="Enter when it closes")
    closes_at_time = TimeOfDayField(
        label="Closing time", initial="23:59", help_text="On the closing day, for example 17:00."
    )
    audience = forms.ChoiceField(
        label="Who is asked?",
        choices=ConsultationAudience.choices,
        widget=forms.RadioSelect,
        initial=ConsultationAudience.EVERYONE,
    )
    audience_tenure = forms.ChoiceField(
        label="Tenure", choices=[("", "Select a tenure")] + list(Tenure.choices), required=False
    )
    audience_estate = forms.ModelChoiceField(
        label="Estate", queryset=Estate.objects.order_by("name"), required=False
    )
    tell_residents = forms.BooleanField(
        label="Tell the residents asked when it opens",
        help_text="Each gets one message, in the way they prefer us to contact them.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_estate"].empty_label = "Select an estate"

    def get_layout(self):
        return Layout(
            Field.text("title"),
            Field.textarea("summary"),
            Field("document"),
            Field("opens_on"),
            Field("closes_on"),
            Field.text("closes_at_time", field_width=5),
            Field.radios("audience", legend_size=Size.SMALL),
            Fieldset(
                Field.select("audience_tenure"),
                Field.select("audience_estate"),
                legend="If you ask one tenure or one estate",
                legend_size=Size.SMALL,
            ),
            Field.checkbox("tell_residents"),
            Button("submit", self.submit_label),
        )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The consultation must close after it opens")
        if data.get("audience") == ConsultationAudience.TENURE and not data.get("audience_tenure"):
            self.add_error("audience_tenure", "Select the tenure to ask")
        if data.get("audience") == ConsultationAudience.ESTATE and not data.get("audience_estate"):
            self.add_error("audience_estate", "Select the estate to ask")
        return data

    def apply_to(self, consultation: Consultation) -> Consultation:
        data = self.cleaned_data
        consultation.title = data["title"]
        consultation.summary = data["summary"]
        consultation.tell_residents = data["tell_residents"]
        consultation.opens_at = at(data["opens_on"], time(0, 0))
        consultation.closes_at = at(data["closes_on"], data["closes_at_time"])
        consultation.audience = data["audience"]
        consultation.audience_tenure = (
            data["audience_tenure"] if data["audience"] == ConsultationAudience.TENURE else ""
        )
        consultation.audience_estate = (
            data["audience_estate"] if data["audience"] == ConsultationAudience.ESTATE else None
        )
        return consultation


class QuestionForm(GDSForm):
    submit_label = "Add the question"
    text = text_field("Question", max_length=300, message="Enter the question")
    hint = text_field("Hint (optional)", required=False, max_length=300)
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of answer"},
    )
    choices = forms.CharField(
        label="Answers to choose from",
        help_text="For a choice question: one a line.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    required = forms.BooleanField(label="People must answer this question", required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == QuestionKind.CHOICE and len(self.choice_list()) < 2:
            self.add_error("choices", "Give at least two answers to choose from, one a line")
        return data

    def choice_list(self):
        return [
            line.strip()
            for line in self.cleaned_data.get("choices", "").splitlines()
            if line.strip()
        ]


class PaperAnswersForm(ConsultationAnswersForm):
    """Answers that came on paper, by phone or in person, typed in by staff."""

    submit_label = "Save these answers"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"] = forms.ChoiceField(
            label="How did the answers reach us?",
            choices=[c for c in ResponseChannel.choices if c[0] != ResponseChannel.WEB],
            widget=forms.RadioSelect,
            error_messages={"required": "Select how the answers reached us"},
        )
        self.fields["tenancy_reference"] = forms.CharField(
            label="Tenancy reference (optional)",
            help_text="So the answer counts once for that resident. Leave blank if they did not give one.",
            max_length=30,
            required=False,
        )
        self.helper.layout = self.get_layout()

    def extra_layout(self):
        return [
            Field.radios("channel", legend_size=Size.SMALL, inline=True),
            Field.text("tenancy_reference", field_width=10),
        ]


class ResultsForm(GDSForm):
    submit_label = "Publish the results"
    results_summary = text_field(
        "Summary of the results", rows=6, max_length=10000, message="Write a summary of the results"
    )


class OutcomeForm(GDSForm):
    submit_label = "Publish what changed"
    you_told_us = text_field(
        "What you told us", rows=5, max_length=5000, message="Say what residents told us"
    )
    we_changed = text_field(
        "What we changed", rows=5, max_length=5000, message="Say what we changed"
    )


class ChangeForm(GDSForm):
    submit_label = "Save the entry"
    source = forms.ChoiceField(
        label="Where did residents say it?",
        choices=[c for c in ChangeSource.choices if c[0] != ChangeSource.COMPLAINTS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where residents said it"},
    )
    review = forms.ModelChoiceField(
        label="Scrutiny review",
        queryset=ScrutinyReview.objects.order_by("-starts_on"),
        required=False,
    )
    consultation = forms.ModelChoiceField(
        label="Consultation", queryset=Consultation.objects.order_by("-opens_at"), required=False
    )
    panel = forms.ModelChoiceField(label="Panel", queryset=Panel.objects.all(), required=False)
    you_said = text_field("You said", rows=4, max_length=3000, message="Say what residents said")
    we_did = text_field("We did", rows=4, max_length=3000, message="Say what we did")
    made_on = GovukDateField(
        label="Date of the change",
        today_is="not_after",
        required_message="Enter the date of the change",
    )
    publish = forms.BooleanField(label="Publish it now", required=False)

    def __init__(self, *args, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (
            ("review", "Select a review"),
            ("consultation", "Select a consultation"),
            ("panel", "Select a panel"),
        ):
            self.fields[name].empty_label = label
        if not can_publish:
            del self.fields["publish"]
        self.helper.layout = self.get_layout()

    def get_layout(self):
        parts = [
            Field.radios("source", legend_size=Size.SMALL),
            Fieldset(
                Field.select("review"),
                Field.select("consultation"),
                Field.select("panel"),
                legend="Which one",
                legend_size=Size.SMALL,
            ),
            Field.textarea("you_said"),
            Field.textarea("we_did"),
            Field("made_on"),
        ]
        if "publish" in self.fields:
            parts.append(Field.checkbox("publish"))
        return Layout(*parts, Button("submit", self.submit_label))

    def clean(self):
        data = super().clean()
        needed = {
            ChangeSource.SCRUTINY: "review",
            ChangeSource.CONSULTATION: "consultation",
            ChangeSource.PANEL: "panel",
        }
        field = needed.get(data.get("source"))
        if field and not data.get(field):
            self.add_error(field, f"Select the {self.fields[field].label.lower()} it came from")
        return data
