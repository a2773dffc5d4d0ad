from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# The staff area and the Django admin: both open residents' records.
STAFF_PATH_PREFIXES = ("/staff/", "/admin/")


class StaffTwoFactorMiddleware:
    """Staff pages need a second factor: staff without TOTP set up are sent to set it up.

    Staff here means an officer, or a user who may use the Django admin. The demo turns this
    off (STAFF_REQUIRE_MFA) so anyone can try the staff area.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_REQUIRE_MFA
            and request.path.startswith(STAFF_PATH_PREFIXES)
            and request.user.is_authenticated
            and _is_staff(request.user)
            and not _has_totp(request.user)
        ):
            return redirect(
                f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


def _is_staff(user) -> bool:
    return user.is_staff or user.officer_or_none is not None


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
