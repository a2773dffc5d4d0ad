"""What the charter adds to the shared core: its live measures, menu items, a block on committee
members' home page, and residents' consultation comments in their data export."""

from portal.extensions import (
    HomeSection,
    MenuItem,
    register_menu_item,
    register_resident_home_section,
    register_subject_access,
)


def register() -> None:
    from charter.measures import register_all

    register_all()
    register_menu_item(
        MenuItem(audience="staff", label="Charter", url_name="charter_staff:versions", order=70)
    )
    register_menu_item(
        MenuItem(audience="resident", label="Our charter", url_name="charter:charter", order=70)
    )
    register_menu_item(
        MenuItem(
            audience="public", label="Our tenant charter", url_name="charter:charter", order=10
        )
    )
    register_resident_home_section(committee_home_section)
    register_subject_access("charter_comments", export_for_resident)
    register_subject_access("charter_consultation_notices", export_notices_for_resident)


def committee_home_section(resident):
    """For customer committee members: the draft customer voice report they can write."""
    from charter import selectors
    from charter.views import is_committee_member

    if not is_committee_member(resident):
        return None
    drafts = [r for r in selectors.voice_report_drafts()[:3]]
    year = drafts[0].year if drafts else selectors.voice_report_years()[0]
    return HomeSection(
        template="charter/resident/_home_section.html",
        context={
            "year": year,
            "label": selectors.financial_year_label(year),
            "started": bool(drafts),
        },
        order=60,
    )


def export_for_resident(resident):
    from charter.models import PromiseComment

    return [
        {
            "charter_version": comment.promise.version.number,
            "promise": comment.promise_text,
            "comment": comment.text,
            "status": comment.get_status_display(),
            "submitted_at": comment.submitted_at,
            "reason_not_published": comment.moderation_reason,
        }
        for comment in PromiseComment.objects.filter(resident=resident).select_related(
            "promise__version"
        )
    ]


def export_notices_for_resident(resident):
    """Each time we told the resident a draft charter was out for consultation, and how."""
    from charter.models import ConsultationNotice

    return [
        {
            "charter_version": notice.version.number,
            "told_at": notice.told_at,
            "channel": notice.channel,
        }
        for notice in ConsultationNotice.objects.filter(resident=resident).select_related("version")
    ]
