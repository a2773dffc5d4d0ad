"""What resident voice adds to the shared core: menu items, the block on the resident's home page,
its published "you said, we did" entries, and its part of a resident's subject access export."""

from django.urls import reverse
from django.utils import timezone

from portal.extensions import (
    ChangeMade,
    HomeSection,
    MenuItem,
    register_change_source,
    register_menu_item,
    register_resident_home_section,
    register_subject_access,
)


def register() -> None:
    register_menu_item(
        MenuItem(audience="resident", label="Get involved", url_name="engagement:index", order=60)
    )
    register_menu_item(
        MenuItem(audience="public", label="Get involved", url_name="engagement:index", order=30)
    )
    register_menu_item(
        MenuItem(
            audience="public",
            label="You said, we did",
            url_name="engagement:you_said_we_did",
            order=40,
        )
    )
    register_menu_item(
        MenuItem(
            audience="staff", label="Resident voice", url_name="engagement_staff:index", order=60
        )
    )
    register_change_source(changes_made)
    register_resident_home_section(home_section)
    register_subject_access("engagement", export_for_resident)


def changes_made():
    from engagement import selectors
    from engagement.models import ChangeSource

    items = []
    for entry in selectors.published_changes():
        if entry.source == ChangeSource.SCRUTINY and entry.review_id and entry.review.published_at:
            url = reverse("engagement:public_review", args=[entry.review.slug])
            source = f"Scrutiny review: {entry.review.title}"
        elif entry.source == ChangeSource.CONSULTATION and entry.consultation_id:
            url = reverse("engagement:consultation", args=[entry.consultation.slug])
            source = f"Consultation: {entry.consultation.title}"
        elif entry.source == ChangeSource.PANEL and entry.panel_id:
            url = reverse("engagement:panel", args=[entry.panel.slug])
            source = entry.panel.name
        else:
            url, source = "", entry.get_source_display()
        items.append(
            ChangeMade(
                made_on=entry.made_on,
                you_said=entry.you_said,
                we_did=entry.we_did,
                source=source,
                url=url,
            )
        )
    return items


def home_section(resident):
    """Your panels and your next meetings: three queries, whatever the numbers."""
    from engagement import selectors
    from engagement.models import MembershipStatus

    memberships = list(
        selectors.resident_memberships(resident).filter(status__in=MembershipStatus.live())
    )
    if not memberships:
        return None
    return HomeSection(
        template="engagement/resident/_home_section.html",
        context={
            "memberships": memberships,
            "meetings": selectors.upcoming_meetings_for(resident, limit=3),
        },
        order=40,
    )


def export_for_resident(resident):
    from engagement.models import ConsultationResponse, MeetingAttendance, PanelMembership

    memberships = PanelMembership.objects.filter(resident=resident).select_related(
        "panel", "portfolio_role"
    )
    attendances = MeetingAttendance.objects.filter(resident=resident).select_related(
        "meeting__panel"
    )
    responses = (
        ConsultationResponse.objects.filter(resident=resident)
        .select_related("consultation")
        .prefetch_related("answers__question")
    )
    return [
        *(
            {
                "record": "panel membership",
                "panel": m.panel.name,
                "status": m.get_status_display(),
                "applied_at": timezone.localtime(m.applied_at).isoformat(),
                "why": m.why,
                "interests": m.interests,
                "availability": m.availability,
                "support_needs": m.support_labels(),
                "support_other": m.support_other,
                "decision_message": m.decision_message,
                "term_starts_on": m.term_starts_on,
                "term_ends_on": m.term_ends_on,
                "portfolio_role": m.portfolio_role.name if m.portfolio_role else "",
                "leaving_reason": m.leaving_reason,
                "ended_at": timezone.localtime(m.ended_at).isoformat() if m.ended_at else "",
                "end_reason": m.get_end_reason_display() if m.end_reason else "",
                "ending_message": m.ending_message,
            }
            for m in memberships
        ),
        *(
            {
                "record": "meeting",
                "panel": a.meeting.panel.name,
                "meeting": a.meeting.title,
                "starts_at": timezone.localtime(a.meeting.starts_at).isoformat(),
                "reply": a.get_rsvp_display() if a.rsvp else "",
                "attended": a.attended,
            }
            for a in attendances
        ),
        *(
            {
                "record": "consultation answer",
                "consultation": r.consultation.title,
                "submitted_at": timezone.localtime(r.submitted_at).isoformat(),
                "channel": r.get_channel_display(),
                "answers": [
                    {"question": a.question.text, "answer": a.choice or a.text}
                    for a in r.answers.all()
                ],
            }
            for r in responses
        ),
    ]
