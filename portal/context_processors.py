from django.conf import settings

from portal.models import Landlord


def doorstep(request):
    user = getattr(request, "user", None)
    officer = user.officer_or_none if user is not None and user.is_authenticated else None
    return {
        "landlord": Landlord.current(),
        "demo": settings.DEMO,
        "current_officer": officer,
    }
