from functools import cache

from django.conf import settings

from portal import extensions
from portal.models import Landlord, Notification


def doorstep(request):
    user = getattr(request, "user", None)
    officer = user.officer_or_none if user is not None and user.is_authenticated else None
    return {
        "landlord": Landlord.current(),
        "demo": settings.DEMO,
        "current_officer": officer,
        "unread_reminders": unread_reminders_for(officer),
        "extra_menu": _extra_menu(user, officer),
        # Pages anyone may read (the charter, the published measures...), linked from every footer.
        "public_links": extensions.menu_items(audience="public", user=user),
    }


def unread_reminders_for(officer):
    """The officer's unread reminders, as a callable the template calls when it shows the count:
    one indexed query on a page that shows it, none on a page that does not, none for residents."""
    if officer is None:
        return 0

    @cache
    def count():
        return Notification.objects.filter(officer=officer, read_at__isnull=True).count()

    return count


def _extra_menu(user, officer):
    """Menu items the domain apps add (Repairs, Complaints...), for this person."""
    if user is None or not user.is_authenticated:
        return []
    return extensions.menu_items(audience="staff" if officer else "resident", user=user)
