"""What the news app adds to the shared core: menu items, the notices on a resident's home page,
and its part of a resident's subject access export."""

from portal.extensions import (
    HomeSection,
    MenuItem,
    register_menu_item,
    register_resident_home_section,
    register_subject_access,
)


def register() -> None:
    register_menu_item(
        MenuItem(audience="staff", label="News", url_name="news_staff:overview", order=70)
    )
    register_menu_item(
        MenuItem(audience="resident", label="News", url_name="news:issues", order=70)
    )
    register_menu_item(MenuItem(audience="public", label="News", url_name="news:issues", order=50))
    register_menu_item(
        MenuItem(audience="public", label="Service updates", url_name="news:service_updates", order=55)
    )
    register_resident_home_section(home_section)
    register_subject_access("news", export_for_resident)


def home_section(resident):
    """Service notices for the resident's estate or block while they last, and the latest
    newsletter: two queries, however many notices there are."""
    from django.utils import timezone

    from engagement.news import selectors

    notices = list(selectors.current_notices_for_resident(resident)[:5])
    latest = selectors.latest_issue()
    if not notices and latest is None:
        return None
    return HomeSection(
        template="news/home_section.html",
        context={"notices": notices, "latest": latest, "now": timezone.now()},
        order=20,
    )


def export_for_resident(resident):
    from engagement.news import selectors

    return [
        {
            "what": delivery.mailing.get_kind_display(),
            "title": delivery.mailing.subject,
            "sent_on": delivery.created_at,
            "channel": delivery.get_channel_display(),
            "sent_to": delivery.address,
            "status": delivery.get_status_display(),
            "failure": delivery.failure,
        }
        for delivery in selectors.resident_deliveries(resident)
    ]
