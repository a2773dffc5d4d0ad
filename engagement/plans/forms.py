"""Forms for neighbourhood plans and the community fund, GOV.UK style through crispy-forms-gds."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from engagement.plans.models import MAX_CHOICES, ActionStatus, ApplyingAs, Theme
from engagement.plans.photos import ACCEPT, PhotoRejected, clean_photo
from portal.forms import GDSForm, GovukDateField
from portal.models import Officer
from portal.uploads import MultipleFileField, MultipleFileInput


class OneOffForm(GDSForm):
    """A form carrying a one-off token, so the same form sent twice makes one record."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


def pounds_to_pence(value, *, label="the amount") -> int:
    text = str(value or "").replace("£", "").replace(",", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"Enter {label} in pounds, like 250 or 249.99") from None
    if amount <= 0:
        raise ValidationError(f"Enter {label}: it must be more than £0")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"Enter {label} in pounds and pence, like 249.99")
    return int(amount * 100)


class PoundsField(forms.CharField):
    """An amount in pounds, typed as the person likes (£1,250 or 1250.00), cleaned to pence."""

    def __init__(self, *, label, money_label=None, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(label=label, **kwargs)
        self.money_label = money_label or label[0].lower() + label[1:]

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return pounds_to_pence(value, label=self.money_label)


# -- voting ---------------------------------------------------------------------------------------------------


ORDINALS = ["first", "second", "third"]


class BallotForm(GDSForm):
    """Up to three priorities, in order. The first is required."""

    submit_label = "Send your vote"

    def __init__(self, *args, priorities, **kwargs):
        self.priorities = list(priorities)
        super().__init__(*args, **kwargs)

    def get_layout(self):
        choices = [("", "Choose a priority")] + [(str(p.pk), p.title) for p in self.priorities]
        for rank in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{rank}"] = forms.ChoiceField(
                label=f"Your {ORDINALS[rank - 1]} choice" + ("" if rank == 1 else " (optional)"),
                choices=choices,
                required=rank == 1,
                error_messages={
                    "required": "Choose your first choice",
                    "invalid_choice": "Choose from the priorities listed",
                },
            )
        return Layout(
            *[Field.select(f"choice_{rank}") for rank in range(1, MAX_CHOICES + 1)],
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        picked = []
        for rank in range(1, MAX_CHOICES + 1):
            value = cleaned.get(f"choice_{rank}")
            if not value:
                continue
            if value in picked:
                self.add_error(
                    f"choice_{rank}",
                    f"You have already chosen this priority. Choose a different {ORDINALS[rank - 1]} choice, or leave it empty",
                )
            picked.append(value)
        if cleaned.get("choice_3") and not cleaned.get("choice_2"):
            self.add_error("choice_2", "Choose your second choice before your third")
        cleaned["priority_ids"] = picked
        return cleaned


# -- plans for staff ------------------------------------------------------------------------------------------


DEFAULT_THEMES = [Theme.SAFETY, Theme.CLEANLINESS, Theme.ASB, Theme.COMMUNITY_SPACES]


class PlanForm(OneOffForm):
    submit_label = "Create the draft plan"

    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=None,
        empty_label="Choose a neighbourhood",
        error_messages={"required": "Choose the neighbourhood"},
    )
    title = forms.CharField(
        label="Title",
        max_length=150,
        error_messages={"required": "Enter a title for the plan"},
        help_text="For example, Northgate neighbourhood plan 2026",
    )
    introduction = forms.CharField(
        label="Introduction for residents (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    voting_opens_on = GovukDateField(label="Voting opens on", help_text="For example, 1 4 2026")
    voting_closes_on = GovukDateField(
        label="Voting closes on", help_text="Residents can vote until the end of this day"
    )
    themes = forms.MultipleChoiceField(
        label="Priorities to offer",
        choices=[(t.value, t.label) for t in Theme if t != Theme.OTHER],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[t.value for t in DEFAULT_THEMES],
    )
    other_priorities = forms.CharField(
        label="Other priorities (optional)",
        help_text="One a line, for example: Better lighting on Canal Walk",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.models import Neighbourhood

        self.fields["neighbourhood"].queryset = Neighbourhood.objects.order_by("name")

    def get_layout(self):
        return Layout(
            Field.select("neighbourhood"),
            Field.text("title"),
            Field.textarea("introduction"),
            Field("voting_opens_on"),
            Field("voting_closes_on"),
            Field.checkboxes("themes", legend_size=Size.SMALL),
            Field.textarea("other_priorities"),
            "submission_token",
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("voting_opens_on"), cleaned.get("voting_closes_on")
        if opens and closes and closes < opens:
            self.add_error(
                "voting_closes_on", "Voting closes on must be the same as or after the day it opens"
            )
        priorities = [(theme, Theme(theme).label, "") for theme in cleaned.get("themes") or []]
        for line in (cleaned.get("other_priorities") or "").splitlines():
            if line.strip():
                priorities.append((Theme.OTHER, line.strip()[:120], ""))
        if "themes" in cleaned and len(priorities) < 2:
            self.add_error("themes", "Offer residents at least 2 priorities to choose from")
        cleaned["priorities"] = priorities
        return cleaned


class PriorityForm(GDSForm):
    submit_label = "Add the priority"

    theme = forms.ChoiceField(
        label="Theme", choices=Theme.choices, error_messages={"required": "Choose a theme"}
    )
    title = forms.CharField(
        label="Priority", max_length=120, error_messages={"required": "Enter the priority"}
    )
    description = forms.CharField(
        label="What it means (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def get_layout(self):
        return Layout(
            Field.select("theme"),
            Field.text("title"),
            Field.textarea("description"),
            Button("submit", self.submit_label),
        )


class ActionForm(OneOffForm):
    submit_label = "Add the action"

    priority = forms.ModelChoiceField(
        label="Which priority it answers",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the priority"},
    )
    title = forms.CharField(
        label="Action", max_length=200, error_messages={"required": "Enter the action"}
    )
    description = forms.CharField(
        label="Details (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=Officer.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose who owns it",
        error_messages={"required": "Choose who owns the action"},
    )
    partner = forms.CharField(
        label="Working with (optional)",
        max_length=150,
        required=False,
        help_text="For example, Millbrook Police or Friends of Hollybank Park",
    )
    due_on = GovukDateField(
        label="Due by", today_is="not_before", help_text="For example, 30 9 2026"
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from engagement.plans.selectors import priority_results

        self.fields["priority"].queryset = priority_results(plan)
        self.fields["priority"].label_from_instance = lambda p: f"{p.title} ({p.points} points)"

    def get_layout(self):
        return Layout(
            Field.radios("priority", legend_size=Size.SMALL),
            Field.text("title"),
            Field.textarea("description"),
            Field.select("owner"),
            Field.text("partner"),
            Field("due_on"),
            "submission_token",
            Button("submit", self.submit_label),
        )


class ActionProgressForm(OneOffForm):
    submit_label = "Publish the update"

    body = forms.CharField(
        label="What has happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Say what has happened"},
        help_text="This is published on the neighbourhood's page. Do not name residents.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )

    def get_layout(self):
        return Layout(
            Field.textarea("body"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            "submission_token",
            Button("submit", self.submit_label),
        )


# -- the fund -------------------------------------------------------------------------------------------------


class ApplicationForm(GDSForm):
    submit_label = "Send your application"

    applying_as = forms.ChoiceField(
        label="Who is applying?",
        choices=ApplyingAs.choices,
        widget=forms.RadioSelect,
        initial=ApplyingAs.RESIDENT,
        error_messages={"required": "Choose who is applying"},
    )
    group_name = forms.CharField(
        label="Name of the group (if a group is applying)", max_length=150, required=False
    )
    title = forms.CharField(
        label="Name of your project",
        max_length=120,
        help_text="For example, Hollybank community garden",
        error_messages={"required": "Enter the name of your project"},
    )
    what = forms.CharField(
        label="What do you want to do?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Tell us what you want to do"},
    )
    where = forms.CharField(
        label="Where will it happen?",
        max_length=200,
        help_text="For example, the grass behind Ash House",
        error_messages={"required": "Tell us where it will happen"},
    )
    who_benefits = forms.CharField(
        label="Who will benefit, and how?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Tell us who will benefit"},
    )
    cost = PoundsField(
        label="How much are you asking for?",
        money_label="how much you are asking for",
        error_messages={"required": "Enter how much you are asking for"},
    )
    cost_breakdown = forms.CharField(
        label="What will the money be spent on? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="For example, 6 planters £180, compost £40, bulbs £30",
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, fund, **kwargs):
        self.fund = fund
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        from engagement.plans.services import pounds

        self.fields["cost"].help_text = f"Up to {pounds(fund.max_award_pence)}"

    def get_layout(self):
        return Layout(
            Field.radios("applying_as", legend_size=Size.MEDIUM),
            Field.text("group_name"),
            Field.text("title", label_size=Size.MEDIUM),
            Field.textarea("what", label_size=Size.MEDIUM),
            Field.text("where", label_size=Size.MEDIUM),
            Field.textarea("who_benefits", label_size=Size.MEDIUM),
            Field.text("cost", field_width=10, label_size=Size.MEDIUM),
            Field.textarea("cost_breakdown"),
            "submission_token",
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("applying_as") == ApplyingAs.GROUP and not cleaned.get("group_name"):
            self.add_error("group_name", "Enter the name of your group")
        cost = cleaned.get("cost")
        if cost and cost > self.fund.max_award_pence:
            from engagement.plans.services import pounds

            self.add_error(
                "cost", f"The most one project can be given is {pounds(self.fund.max_award_pence)}"
            )
        return cleaned


class SupportForm(GDSForm):
    submit_label = "Add your support"

    comment = forms.CharField(
        label="Why you support it (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the officers and panel who assess it, not published",
    )

    def get_layout(self):
        return Layout(Field.textarea("comment"), Button("submit", self.submit_label))


class ScoreForm(GDSForm):
    """A score from 0 to the criterion's maximum for each published criterion."""

    submit_label = "Save your scores"

    def __init__(self, *args, criteria, **kwargs):
        self.criteria = list(criteria)
        super().__init__(*args, **kwargs)

    def get_layout(self):
        names = []
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                choices=[(str(n), str(n)) for n in range(0, criterion.max_score + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a score for {criterion.title}"},
            )
            names.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        self.fields["comments"] = forms.CharField(
            label="Comments (optional)",
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=3000,
            required=False,
        )
        return Layout(*names, Field.textarea("comments"), Button("submit", self.submit_label))

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class DecisionForm(GDSForm):
    submit_label = "Record the decision"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("decline", "Do not fund")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    amount = PoundsField(
        label="Amount awarded (if approved)", money_label="the amount awarded", required=False
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text="The applicant is sent these. Refer to the criteria.",
        error_messages={"required": "Give the reasons for the decision"},
    )

    def get_layout(self):
        return Layout(
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.text("amount", field_width=10),
            Field.textarea("reasons"),
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "approve"
            and not cleaned.get("amount")
            and "amount" not in self.errors
        ):
            self.add_error("amount", "Enter the amount awarded")
        return cleaned


class PaymentForm(GDSForm):
    submit_label = "Record the payment"

    paid_on = GovukDateField(
        label="Date paid", today_is="not_after", help_text="For example, 14 5 2026"
    )
    payment_reference = forms.CharField(
        label="Payment reference (optional)", max_length=60, required=False
    )

    def get_layout(self):
        return Layout(
            Field("paid_on"),
            Field.text("payment_reference", field_width=20),
            Button("submit", self.submit_label),
        )


class PhotosField(MultipleFileField):
    """Several photos from one input, each checked and cleaned; returns CleanPhotos."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ACCEPT, "class": "govuk-file-upload"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        if len(files) > settings.PLANS_PHOTO_MAX_FILES:
            raise ValidationError(f"Select up to {settings.PLANS_PHOTO_MAX_FILES} photos")
        cleaned, problems = [], []
        for upload in files:
            try:
                cleaned.append(clean_photo(upload))
            except PhotoRejected as error:
                problems.append(str(error))
        if problems:
            raise ValidationError(problems)
        return cleaned


class ProjectUpdateForm(OneOffForm):
    submit_label = "Post the update"

    body = forms.CharField(
        label="How is your project going?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        error_messages={"required": "Tell us how your project is going"},
    )
    photos = PhotosField(
        label="Photos (optional)",
        help_text=(
            f"JPG or PNG, up to {settings.PLANS_PHOTO_MAX_FILES} photos, each smaller than "
            f"{settings.PLANS_PHOTO_MAX_BYTES // (1024 * 1024)}MB. They are published on the project's page: "
            "only include people who have agreed to it."
        ),
    )
    finished = forms.BooleanField(label="The project is finished", required=False)

    def __init__(self, *args, can_finish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_finish:
            del self.fields["finished"]
            self.helper.layout = self.get_layout()

    def get_layout(self):
        parts = [
            Field.textarea("body", label_size=Size.MEDIUM),
            Field("photos", context={"label_size": "govuk-label--s"}),
        ]
        if "finished" in self.fields:
            parts.append(
                Fieldset(
                    Field.checkbox("finished"), legend="Is it finished?", legend_size=Size.SMALL
                )
            )
        return Layout(*parts, "submission_token", Button("submit", self.submit_label))


class FundForm(GDSForm):
    submit_label = "Set up the fund"

    year = forms.IntegerField(
        label="Financial year it starts in",
        min_value=2000,
        max_value=2100,
        help_text="2026 means 1 April 2026 to 31 March 2027",
        error_messages={"required": "Enter the financial year"},
    )
    name = forms.CharField(label="Name", max_length=120, initial="Community fund")
    introduction = forms.CharField(
        label="What it is for", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    budget = PoundsField(label="Budget", error_messages={"required": "Enter the budget"})
    max_award = PoundsField(
        label="The most one project can be given",
        money_label="the most one project can be given",
        error_messages={"required": "Enter the most one project can be given"},
    )
    opens_on = GovukDateField(label="Applications open on")
    closes_on = GovukDateField(label="Applications close on")
    criteria = forms.CharField(
        label="Criteria applications are scored against",
        help_text="One a line. Each is scored from 0 to 5.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least one criterion"},
    )

    def get_layout(self):
        return Layout(
            Field.text("year", field_width=4),
            Field.text("name"),
            Field.textarea("introduction"),
            Field.text("budget", field_width=10),
            Field.text("max_award", field_width=10),
            Field("opens_on"),
            Field("closes_on"),
            Field.textarea("criteria"),
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error(
                "closes_on", "Applications close on must be the same as or after the day they open"
            )
        cleaned["criteria_list"] = [
            (line.strip()[:150], "", 5)
            for line in (cleaned.get("criteria") or "").splitlines()
            if line.strip()
        ]
        return cleaned
