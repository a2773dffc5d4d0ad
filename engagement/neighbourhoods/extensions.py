"""What this app adds to the shared core: menu items, case links, a block on the resident's home
page, and its part of a resident's subject access export."""

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


def register() -> None:
    register_menu_item(
        MenuItem(
            audience="public", label="Where to find us", url_name="neighbourhoods:index", order=5
        )
    )
    register_menu_item(
        MenuItem(
            audience="staff",
            label="Neighbourhoods",
            url_name="neighbourhoods_staff:home",
            order=55,
        )
    )
    register_menu_item(
        MenuItem(
            audience="resident",
            label="Your neighbourhood",
            url_name="neighbourhoods:index",
            order=55,
        )
    )
    register_case_links(case_links)
    register_resident_home_section(home_section)
    register_subject_access("neighbourhoods", export_for_resident)


def case_links(case, audience):
    if audience != "staff":
        return []
    from engagement.neighbourhoods.models import InspectionScore, SurgeryVisit

    links = []
    visit = SurgeryVisit.objects.filter(case=case).values_list("surgery_id", flat=True).first()
    if visit:
        links.append(
            CaseLink("Raised at a surgery", reverse("neighbourhoods_staff:surgery", args=[visit]))
        )
    finding = (
        InspectionScore.objects.filter(case=case).values_list("inspection_id", flat=True).first()
    )
    if finding:
        links.append(
            CaseLink(
                "Found on an estate inspection",
                reverse("neighbourhoods_staff:inspection", args=[finding]),
            )
        )
    return links


def home_section(resident):
    """Your housing officer and what is next on your estate, in three queries."""
    from engagement.neighbourhoods import selectors

    near = selectors.home_page_summary(resident)
    if near is None:
        return None
    return HomeSection(
        template="neighbourhoods/_home_section.html", context={"near": near}, order=45
    )


def export_for_resident(resident):
    from engagement.neighbourhoods.models import SurgeryBooking, SurgeryVisit, WalkaboutSignup

    bookings = [
        {
            "surgery": str(b.surgery),
            "time": b.slot.starts_at,
            "about": b.about,
            "booked_at": b.booked_at,
            "cancelled_at": b.cancelled_at,
        }
        for b in SurgeryBooking.objects.filter(resident=resident).select_related("slot", "surgery")
    ]
    visits = [
        {
            "surgery": str(v.surgery),
            "raised": v.raised,
            "case": v.case.reference if v.case_id else "",
        }
        for v in SurgeryVisit.objects.filter(resident=resident).select_related("surgery", "case")
    ]
    walkabouts = [
        {
            "walkabout": str(s.walkabout),
            "signed_up_at": s.signed_up_at,
            "cancelled_at": s.cancelled_at,
        }
        for s in WalkaboutSignup.objects.filter(resident=resident).select_related(
            "walkabout__estate"
        )
    ]
    return [
        {"surgery_bookings": bookings, "surgery_visits": visits, "walkabout_signups": walkabouts}
    ]
