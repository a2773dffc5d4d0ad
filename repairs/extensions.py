"""What the repairs app adds to the shared core: menu items, links from the generic case pages to
the repair's own page, and its part of a resident's subject access export."""

from django.urls import reverse

from portal.extensions import (
    CaseLink,
    MenuItem,
    register_case_links,
    register_menu_item,
    register_subject_access,
)


def register():
    register_menu_item(
        MenuItem(audience="staff", label="Repairs", url_name="repairs_staff:list", order=30)
    )
    register_menu_item(
        MenuItem(audience="resident", label="Repairs", url_name="repairs:index", order=30)
    )
    register_case_links(case_links)
    register_subject_access("repairs", export_for_resident)


def case_links(case, audience):
    from repairs.selectors import REPAIR_CASE_KINDS

    if case.kind not in REPAIR_CASE_KINDS:
        return []
    name = "repairs_staff:detail" if audience == "staff" else "repairs:detail"
    label = {
        "repair": "Open the repair",
        "hazard": "Open the hazard record",
        "safety_concern": "Open the safety concern",
    }
    return [CaseLink(label.get(case.kind, "Open the repair"), reverse(name, args=[case.reference]))]


def export_for_resident(resident):
    from repairs.models import Appointment, RepairRequest

    repairs = RepairRequest.objects.filter(case__resident=resident).select_related(
        "case", "priority"
    )
    appointments = {}
    for appointment in Appointment.objects.filter(repair__case__resident=resident).select_related(
        "slot"
    ):
        appointments.setdefault(appointment.repair_id, []).append(
            {"status": appointment.get_status_display(), "slot": str(appointment.slot)}
        )
    return [
        {
            "reference": repair.case.reference,
            "where": repair.location_label,
            "problem": repair.problem_label,
            "description": repair.description,
            "priority": repair.priority.name,
            "access_notes": repair.access_notes,
            "contact_phone": repair.contact_phone,
            "completed_at": repair.completed_at,
            "appointments": appointments.get(repair.pk, []),
        }
        for repair in repairs
    ]
