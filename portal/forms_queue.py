"""Forms of the case queue: the filters (a GET form) and assigning cases (a POST form around
the table, so it works without JavaScript)."""

from django import forms

from portal import queue
from portal.models import CaseChannel, CaseKind, CaseStatus, Officer


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(choices=queue.VIEWS, required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label="Search",
        help_text="A case reference, a resident’s name, an address or a postcode",
        max_length=100,
        required=False,
    )
    kind = forms.ChoiceField(label="Kind of case", choices=[("", "Any kind"), *CaseKind.choices], required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any open status")]
        + [(value, label) for value, label in CaseStatus.choices if value in CaseStatus.open_values()],
        required=False,
    )
    neighbourhood = forms.TypedChoiceField(label="Neighbourhood", coerce=int, required=False, empty_value=None)
    channel = forms.ChoiceField(
        label="Came in by", choices=[("", "Any channel"), *CaseChannel.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query for the choices, used both to render and to check the value sent.
        self.fields["neighbourhood"].choices = [("", "Any neighbourhood"), *queue.neighbourhoods().values_list("id", "name")]
        # Drawn by hand in templates/staff/queue/_filters.html, not by crispy-forms: the queue
        # is drawn on every click, and crispy's template per field and option cost more than
        # the rest of the page (measured by bench/case_queue.py).

    def selects(self, filters: queue.QueueFilters) -> list[dict]:
        """The drop-down filters, with the value chosen, for the template to draw."""
        chosen = {
            "kind": filters.kind,
            "status": filters.status,
            "neighbourhood": str(filters.neighbourhood_id or ""),
            "channel": filters.channel,
        }
        return [
            {
                "name": name,
                "label": self.fields[name].label,
                "choices": [(str(value), label) for value, label in self.fields[name].choices],
                "value": chosen[name],
            }
            for name in chosen
        ]

    def filters(self) -> queue.QueueFilters:
        """The filters asked for; a value that is not valid (a hand-edited address) is ignored."""
        self.is_valid()
        data = self.cleaned_data
        return queue.QueueFilters(
            view=data.get("view") or queue.VIEW_ALL,
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            neighbourhood_id=data.get("neighbourhood"),
            channel=data.get("channel") or "",
            search=data.get("q") or "",
        )


class AssignCasesForm(forms.Form):
    """Which cases, to whom. 'Assign to me' buttons (bulk or on one row) need no officer chosen."""

    ASSIGN = "assign"
    ASSIGN_TO_ME = "assign_to_me"

    cases = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    owner = forms.TypedChoiceField(
        label="Assign to",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Select who to assign the cases to"},
    )
    action = forms.ChoiceField(choices=[(ASSIGN, ASSIGN), (ASSIGN_TO_ME, ASSIGN_TO_ME)], required=False)
    assign_one = forms.IntegerField(required=False)
    next = forms.CharField(required=False)

    def __init__(self, *args, officer, officers, **kwargs):
        """`officers`: (id, label) pairs of the people cases can be assigned to."""
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.fields["owner"].choices = [("", "Choose someone"), *officers]

    def clean_cases(self):
        # Any case id is accepted here; the service assigns only open cases that exist.
        return [int(value) for value in self.cleaned_data["cases"] or [] if str(value).isdigit()]

    def clean(self):
        data = super().clean()
        if data.get("assign_one"):
            data["case_ids"] = [data["assign_one"]]
            data["new_owner"] = self.officer
            return data
        data["case_ids"] = data.get("cases") or []
        if not data["case_ids"]:
            self.add_error("cases", "Select at least one case to assign")
        if data.get("action") == self.ASSIGN_TO_ME:
            data["new_owner"] = self.officer
        elif data.get("owner") is None:
            self.add_error("owner", "Select who to assign the cases to")
        else:
            data["new_owner"] = Officer.objects.select_related("team", "user").get(pk=data["owner"])
        return data
