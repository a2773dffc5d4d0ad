"""What the repairs app adds to the shared core: menu items, links from the generic case pages to
the repair's own page, and its part of a resident's subject access export."""

from django.urls import reverse

from portal.extensions import (
    CaseLink,
    CaseOpener,
    MenuItem,
    register_case_links,
    register_case_opener,
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
    register_case_opener(
        CaseOpener("repair", "A repair in the resident's home", open_repair, order=20)
    )
    register_case_opener(
        CaseOpener("communal_repair", "A communal repair", open_communal_repair, order=30)
    )


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


# -- case openers: a repair raised in one step from another app (a surgery, an estate inspection) ---------


def _words(summary, details):
    return "\n\n".join(
        part.strip() for part in (summary or "", details or "") if part and part.strip()
    )


def _keep_summary(case, summary):
    """The officer's own words head the case in the queue, not the catalogue's 'Something else'."""
    from portal.models import Case

    if summary and summary.strip():
        case.summary = summary.strip()[:200]
        Case.objects.filter(pk=case.pk).update(summary=case.summary)
    return case


def open_repair(
    *, officer, summary="", details="", channel="walk_in", resident=None, home=None, **_
):
    """A repair in the resident's home, logged by an officer through report_repair."""
    from repairs.services import RepairNotAllowed, report_repair

    if resident is None or home is None:
        raise ValueError("A repair in a home needs the resident and their home")
    try:
        repair = report_repair(
            resident=resident,
            home=home,
            location="whole_home",
            category="other",
            problem="other",
            description=_words(summary, details),
            channel=channel,
            logged_by=officer,
        )
    except RepairNotAllowed as refused:  # a leaseholder's home: the caller shows why
        raise ValueError(str(refused)) from refused
    return _keep_summary(repair.case, summary)


def open_communal_repair(
    *,
    officer,
    summary="",
    details="",
    channel="walk_in",
    resident=None,
    home=None,
    block=None,
    estate=None,
    location="",
    **_,
):
    """A repair to shared areas. Reported for a resident in a block, it goes through report_repair
    like theirs would. Found on an inspection or raised with no block of the resident's, it goes
    through report_communal_repair for the block (which brings its estate) or else the estate,
    so it shows in that estate's patch with no home; a resident who raised it stays on it."""
    from repairs.services import RepairNotAllowed, report_communal_repair, report_repair

    if resident is not None and home is not None and home.block_id:
        try:
            repair = report_repair(
                resident=resident,
                home=home,
                location="communal_grounds",
                category="other",
                problem="other",
                description=_words(summary, details),
                channel=channel,
                logged_by=officer,
            )
        except RepairNotAllowed as refused:
            raise ValueError(str(refused)) from refused
        return _keep_summary(repair.case, summary)
    if block is None and estate is None and home is not None:
        estate = home.estate
    where = block.name if block is not None else (estate.name if estate is not None else "")
    # A RepairError (no block or estate given) is a ValueError: the caller shows why.
    repair = report_communal_repair(
        officer=officer,
        summary=summary,
        # The place heads the words too: they are what a contractor reads.
        details=_words(f"Where: {where}" if where else "", details),
        block=block,
        estate=None if block is not None else estate,
        channel=channel,
        location=location or "communal_grounds",
        resident=resident,
    )
    return repair.case
