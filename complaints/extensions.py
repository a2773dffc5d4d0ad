"""What the complaints app adds to the shared core: menu items, links from any case, and its part
of a resident's subject access export."""

from django.urls import reverse
from django.utils import timezone

from portal.extensions import (
    CaseLink,
    CaseOpener,
    ChangeMade,
    MenuItem,
    register_case_links,
    register_case_opener,
    register_change_source,
    register_menu_item,
    register_subject_access,
)
from portal.models import CaseKind


def register():
    register_menu_item(
        MenuItem(audience="staff", label="Complaints", url_name="complaints_staff:list", order=40)
    )
    register_menu_item(
        MenuItem(audience="resident", label="Complaints", url_name="complaints:list", order=40)
    )
    register_case_links(case_links)
    register_subject_access("complaints", export_for_resident)
    register_change_source(changes_made)
    register_case_opener(CaseOpener("complaint", "A complaint", open_complaint, order=40))


def changes_made():
    """Published complaints learning, for the landlord-wide "you said, we did" list."""
    from complaints import selectors

    url = reverse("complaints:you_said_we_did")
    return [
        ChangeMade(
            made_on=timezone.localdate(entry.published_at),
            you_said=entry.you_said,
            we_did=entry.we_did,
            source="Complaints",
            url=url,
        )
        for entry in selectors.published_learning()
    ]


def case_links(case, audience):
    from complaints.models import Complaint

    if case.kind == CaseKind.COMPLAINT:
        name = "complaints_staff:detail" if audience == "staff" else "complaints:detail"
        return [CaseLink("Open the complaint", reverse(name, args=[case.reference]))]
    links = []
    if audience == "staff":
        for reference in Complaint.objects.filter(related_case=case).values_list(
            "case__reference", flat=True
        ):
            links.append(
                CaseLink(
                    f"Complaint {reference} about this case",
                    reverse("complaints_staff:detail", args=[reference]),
                )
            )
        if case.is_open:
            links.append(
                CaseLink(
                    "Raise a complaint from this case",
                    reverse("complaints_staff:raise_from_case", args=[case.reference]),
                )
            )
    return links


def export_for_resident(resident):
    from complaints.models import Complaint

    complaints = (
        Complaint.objects.filter(case__resident=resident)
        .select_related("case")
        .prefetch_related("stages")
    )
    return [
        {
            "reference": complaint.case.reference,
            "what_happened": complaint.what_happened,
            "outcome_wanted": complaint.outcome_wanted,
            "status": complaint.get_status_display(),
            "made_by": complaint.get_made_by_display(),
            "representative": complaint.representative_name,
            "stages": [
                {
                    "stage": stage.stage,
                    "requested_on": stage.requested_on,
                    "acknowledged_on": stage.acknowledged_on,
                    "responded_on": stage.responded_on,
                    "outcome": stage.get_outcome_display() if stage.outcome else "",
                    "compensation_pence": stage.compensation_pence,
                }
                for stage in complaint.stages.all()
            ],
        }
        for complaint in complaints
    ]


def open_complaint(
    *, officer, summary="", details="", channel="walk_in", resident=None, home=None, **_
):
    """A stage 1 complaint logged by an officer from another app (raised at a surgery, say)."""
    from complaints.services import ComplaintError, make_complaint

    if resident is None:
        raise ValueError("A complaint needs the resident who is making it")
    what_happened = "\n\n".join(
        part.strip() for part in (summary, details) if part and part.strip()
    )
    try:
        complaint = make_complaint(
            resident=resident,
            home=home,
            what_happened=what_happened,
            channel=channel,
            logged_by=officer,
        )
    except ComplaintError as refused:  # the caller shows why
        raise ValueError(str(refused)) from refused
    return complaint.case
