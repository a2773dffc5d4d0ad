import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from portal.models import Landlord


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages, in plain English. Those not named here keep allauth's wording.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account has been closed. Contact us if you think this is wrong.",
        "email_password_mismatch": "The email address or password is not right. Check them and try again.",
        "enter_current_password": "Enter your current password",
        "incorrect_password": "Your current password is not right",
        "invalid_password_reset": "This link to reset your password has expired or has already been used",
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait 5 minutes and try again, or reset your password."
        ),
        "unverified_primary_email": "Confirm your email address before you continue",
        "rate_limited": "You have tried this too many times. Wait a few minutes and try again.",
    }

    def get_login_redirect_url(self, request):
        # Officers start in the staff area; a resident who has not linked a tenancy yet is
        # asked to, since nothing else is useful until they have.
        user = request.user
        if user.officer_or_none is not None:
            return reverse("staff:home")
        if user.resident_or_none is None:
            return reverse("link_tenancy")
        return reverse("home")

    def get_signup_redirect_url(self, request):
        # Only residents sign up (staff accounts are made by an administrator), and a new account
        # is never linked to a tenancy yet. allauth uses this once the email address is confirmed.
        return reverse("link_tenancy")

    def is_reauthentication_required(self, *, app, **kwargs):
        # Someone who gave their password moments ago need not type it again to set up 2-step
        # verification (an officer sent to set it up straight after signing in, say). An older
        # session still has to confirm the password first.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        return not any(
            record.get("method") == "password"
            and time.time() - record["at"] < app_settings.REAUTHENTICATION_TIMEOUT
            for record in get_authentication_records(request, request.user)
        )

    def format_email_subject(self, subject):
        # People know the landlord, not the software or the web address.
        return f"{subject} – {Landlord.current().name}"


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The security code is not right. Check your authenticator app and try again.",
        "unverified_email": "Confirm your email address before you set up 2-step verification",
        "cannot_delete_authenticator": "You cannot turn off 2-step verification",
    }

    def get_totp_issuer(self):
        # The name people see in their authenticator app beside the code.
        return Landlord.current().name
