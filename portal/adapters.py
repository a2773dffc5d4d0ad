from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Officers start in the staff area; a resident who has not linked a tenancy yet is
        # asked to, since nothing else is useful until they have.
        user = request.user
        if user.officer_or_none is not None:
            return reverse("staff:home")
        if user.resident_or_none is None:
            return reverse("link_tenancy")
        return reverse("home")
