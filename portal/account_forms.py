"""allauth's sign-in forms in our words: GOV.UK labels, hints and error messages.

allauth keeps the behaviour (rate limits, verification, second factor); these subclasses only change
what people read. The templates under templates/allauth/ render them as GOV.UK form groups.
"""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms
from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError

ENTER_EMAIL = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
CODE_HINT = "The 6-digit code shown in your authenticator app"


def new_password_hint() -> str:
    """The rules our password validators enforce, said plainly (the minimum length is a setting)."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, MinimumLengthValidator)
    ]
    length = f"at least {max(lengths)} characters" if lengths else "a long password"
    return f"Use {length}. Do not use a common password, only numbers, or your email address."


class GovukFieldsMixin:
    """Sets labels, hints and messages per field; GOV.UK forms never use placeholders."""

    labels: dict[str, str] = {}
    hints: dict[str, str] = {}
    required_messages: dict[str, str] = {}
    # Extra classes for the input, such as a narrower width for a 6-digit code.
    input_classes: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.hints:
                field.help_text = self.hints[name]
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]
            if name in self.input_classes:
                field.widget.attrs["class"] = self.input_classes[name]
            if getattr(field.widget, "input_type", None) == "email":
                field.error_messages["invalid"] = EMAIL_FORMAT
                field.widget.attrs["spellcheck"] = "false"


class LoginForm(GovukFieldsMixin, account_forms.LoginForm):
    labels = {"login": "Email address", "password": "Password", "remember": "Remember me"}
    hints = {
        "password": "",
        "remember": "Stay signed in on this device. Do not choose this on a shared or public computer.",
    }
    required_messages = {"login": ENTER_EMAIL, "password": "Enter your password"}

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # A wrong email or password is shown next to the password, where the person will
            # retype; anything else (too many tries) stays an error for the whole form.
            if error.code == "email_password_mismatch":
                self.add_error("password", error)
                return self.cleaned_data
            raise


class SignupForm(GovukFieldsMixin, account_forms.SignupForm):
    labels = {
        "email": "Email address",
        "password1": "Create a password",
        "password2": "Confirm your password",
    }
    required_messages = {
        "email": ENTER_EMAIL,
        "password1": "Create a password",
        "password2": "Enter your password again",
    }

    def __init__(self, *args, **kwargs):
        self.hints = {
            "email": "We will send you an email to check it is yours.",
            "password1": new_password_hint(),
        }
        super().__init__(*args, **kwargs)


class ResetPasswordForm(GovukFieldsMixin, account_forms.ResetPasswordForm):
    labels = {"email": "Email address"}
    required_messages = {"email": ENTER_EMAIL}


class ResetPasswordKeyForm(GovukFieldsMixin, account_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm your new password"}
    required_messages = {
        "password1": "Enter a new password",
        "password2": "Enter your new password again",
    }

    def __init__(self, *args, **kwargs):
        self.hints = {"password1": new_password_hint()}
        super().__init__(*args, **kwargs)


class ChangePasswordForm(GovukFieldsMixin, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Confirm your new password",
    }
    required_messages = {
        "oldpassword": "Enter your current password",
        "password1": "Enter a new password",
        "password2": "Enter your new password again",
    }

    def __init__(self, *args, **kwargs):
        self.hints = {"oldpassword": "", "password1": new_password_hint()}
        super().__init__(*args, **kwargs)


class SetPasswordForm(GovukFieldsMixin, account_forms.SetPasswordForm):
    labels = {"password1": "Create a password", "password2": "Confirm your password"}
    required_messages = {"password1": "Create a password", "password2": "Enter your password again"}

    def __init__(self, *args, **kwargs):
        self.hints = {"password1": new_password_hint()}
        super().__init__(*args, **kwargs)


class AddEmailForm(GovukFieldsMixin, account_forms.AddEmailForm):
    labels = {"email": "Email address"}
    required_messages = {"email": ENTER_EMAIL}


class ReauthenticateForm(GovukFieldsMixin, account_forms.ReauthenticateForm):
    labels = {"password": "Password"}
    hints = {"password": ""}
    required_messages = {"password": "Enter your password"}


class AuthenticateForm(GovukFieldsMixin, mfa_base_forms.AuthenticateForm):
    labels = {"code": "Security code"}
    hints = {"code": f"{CODE_HINT}. If you cannot use the app, enter one of your recovery codes."}
    required_messages = {"code": "Enter the security code"}
    input_classes = {"code": "govuk-input--width-10"}


class MFAReauthenticateForm(GovukFieldsMixin, mfa_base_forms.ReauthenticateForm):
    labels = AuthenticateForm.labels
    hints = AuthenticateForm.hints
    required_messages = AuthenticateForm.required_messages
    input_classes = AuthenticateForm.input_classes


class ActivateTOTPForm(GovukFieldsMixin, mfa_totp_forms.ActivateTOTPForm):
    labels = {"code": "Security code"}
    hints = {"code": CODE_HINT}
    required_messages = {"code": "Enter the security code from your authenticator app"}
    input_classes = {"code": "govuk-input--width-10"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
