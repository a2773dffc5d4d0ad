"""What the ASB app adds to the shared core: menu items, links from an ASB case to its own pages,
a block on the resident's home page, and its part of a resident's subject access export."""

from django.urls import reverse

from portal.extensions import (
    CaseLink,
    HomeSection,
    MenuItem,
    register_case_links,
    register_menu_item,
    register_resident_home_section,
    register_subject_access,
)
from portal.models import CaseKind


def register() -> None:
    register_menu_item(
        MenuItem(audience="staff", label="ASB cases", url_name="asb_staff:list", order=55)
    )
    register_menu_item(
        MenuItem(audience="resident", label="Anti-social behaviour", url_name="asb:list", order=55)
    )
    register_case_links(case_links)
    register_resident_home_section(home_section)
    register_subject_access("anti_social_behaviour", export_for_resident)


def case_links(case, audience):
    if case.kind != CaseKind.ASB:
        return []
    if audience == "staff":
        return [
            CaseLink(
                "Open the anti-social behaviour case",
                reverse("asb_staff:detail", args=[case.reference]),
            )
        ]
    from engagement.asb.models import AsbReport

    # The case's resident is its first reporter still on it: link to their own report.
    pk = (
        AsbReport.objects.filter(asb_case__case=case, reporter_id=case.resident_id)
        .order_by("reported_at")
        .values_list("pk", flat=True)
        .first()
    )
    return [CaseLink("Follow your report", reverse("asb:detail", args=[pk]))] if pk else []


def home_section(resident):
    """Open reports the resident is following: one count query."""
    from engagement.asb import selectors

    open_reports = selectors.open_reports_count(resident)
    if not open_reports:
        return None
    return HomeSection(
        template="asb/resident/_home_section.html", context={"open_reports": open_reports}, order=45
    )


def export_for_resident(resident):
    """Everything the resident told us in their own reports, and the updates we sent them. Other
    reporters' reports on the same case are theirs, not this resident's, and are left out."""
    from engagement.asb.models import AsbReport

    reports = (
        AsbReport.objects.filter(reporter=resident)
        .select_related("asb_case__case")
        .prefetch_related("people", "updates")
        .order_by("reported_at", "id")
    )
    return [
        {
            "case_reference": report.asb_case.case.reference,
            "reported_at": report.reported_at,
            "kind": report.get_category_display(),
            "what_happened": report.what_happened,
            "where": report.where,
            "happened_on": report.happened_on,
            "time": report.happened_at_time,
            "hate_incident": report.is_hate_incident,
            "hate_motivations": report.get_hate_motivations_display(),
            "people_described": [
                {"name": person.name, "description": person.description, "address": person.address}
                for person in report.people.all()
            ],
            "updates": [
                {"at": update.created_at, "message": update.message}
                for update in report.updates.all()
            ],
            "status": report.asb_case.case.get_status_display(),
        }
        for report in reports
    ]
