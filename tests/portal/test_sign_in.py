"""Signing up, signing in and 2-step verification, through allauth on our GOV.UK pages."""

import copy
import importlib.util
import re
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django import forms
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse

from portal.middleware import StaffTwoFactorMiddleware
from portal.models import Landlord, User
from tests import factories

NEW_PASSWORD = "a-long-new-password-42"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _no_unknown_template_variables():
    # A typo in one of our templates shows up as this marker instead of silently as nothing.
    # Once for the module: changing TEMPLATES throws away the compiled templates.
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = "@@MISSING %s@@"
    with override_settings(TEMPLATES=templates):
        yield


@pytest.fixture
def landlord():
    landlord = Landlord.current()
    landlord.name = "Millbrook Homes"
    landlord.save()
    return landlord


def sign_in(client, email, password=factories.PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def link_in(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def assert_govuk_page(response, title):
    html = response.content.decode()
    assert "@@MISSING" not in html, re.search(r"@@MISSING [^@]*@@", html).group(0)
    assert f"<title>{title}</title>" in html
    assert 'class="govuk-template__body"' in html


def form_group_of(html, field_id):
    """The GOV.UK form group holding the input with this id."""
    start = html.rindex('<div class="govuk-form-group', 0, html.index(f'id="{field_id}"'))
    return html[start : html.index("</div>", html.index(f'id="{field_id}"'))]


# Signing up


def test_a_new_resident_signs_up_confirms_their_email_and_is_asked_to_link_their_home(
    client, landlord
):
    response = client.get(reverse("account_signup"))
    assert_govuk_page(response, "Create an account – Millbrook Homes")

    response = client.post(
        reverse("account_signup"),
        {"email": "Pat.Jones@Example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert_govuk_page(client.get(response.url), "Check your email – Millbrook Homes")
    user = User.objects.get(email="pat.jones@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session  # not in until the address is confirmed

    [message] = mail.outbox
    assert message.to == ["pat.jones@example.org"]
    assert message.subject == "Confirm your email address – Millbrook Homes"
    assert "Millbrook Homes" in message.body
    confirm_url = link_in(message)

    page = client.get(confirm_url)
    assert_govuk_page(page, "Confirm your email address – Millbrook Homes")
    assert "pat.jones@example.org" in page.content.decode()

    response = client.post(confirm_url)

    assert response.status_code == 302
    assert response.url == reverse("link_tenancy")
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_resident_who_signs_in_before_confirming_is_sent_a_new_link_instead(client):
    user = factories.UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1


def test_signing_up_with_a_short_password_explains_the_rule_next_to_the_field(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "sam@example.org", "password1": "short", "password2": "short"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("govuk-error-summary__list") == 1
    group = form_group_of(html, "id_password1")
    assert "govuk-form-group--error" in group
    assert "govuk-error-message" in group and "at least 10 characters" in group
    assert not User.objects.filter(email="sam@example.org").exists()


# Signing in


def test_a_wrong_password_shows_a_govuk_error_next_to_the_password_and_keeps_the_email(
    client, resident, landlord
):
    response = sign_in(client, resident.user.email, password="not-my-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert_govuk_page(response, "Error: Sign in – Millbrook Homes")
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<a href="#id_password">The email address or password is not right.' in html
    password_group = form_group_of(html, "id_password")
    assert "govuk-form-group--error" in password_group
    assert '<p id="id_password-error" class="govuk-error-message">' in password_group
    assert 'aria-describedby="id_password-error"' in password_group
    assert f'value="{resident.user.email}"' in form_group_of(html, "id_login")
    assert "_auth_user_id" not in client.session


def test_an_empty_sign_in_form_asks_for_the_email_address_and_password(client):
    response = sign_in(client, "", password="")

    html = response.content.decode()
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert "Enter your email address" in form_group_of(html, "id_login")


def test_an_email_address_in_the_wrong_format_is_explained(client):
    html = sign_in(client, "not-an-email").content.decode()

    assert "Enter an email address in the correct format, like name@example.com" in form_group_of(
        html, "id_login"
    )


def test_the_sign_in_page_has_labels_and_a_remember_me_checkbox_and_no_placeholders(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<label class="govuk-label" for="id_login">Email address</label>' in html
    assert (
        'type="email"' in html and 'autocomplete="email"' in html and 'spellcheck="false"' in html
    )
    assert 'autocomplete="current-password"' in html
    assert (
        '<input class="govuk-checkboxes__input" id="id_remember" name="remember" type="checkbox"'
        in html
    )
    assert ">Remember me</label>" in html
    assert "placeholder" not in html
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>'
        in html
    )
    assert reverse("account_signup") in html and reverse("account_reset_password") in html


def test_a_resident_linked_to_a_home_goes_to_their_home_after_signing_in(client, resident):
    response = sign_in(client, resident.user.email)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(resident.user.pk)


def test_a_resident_not_yet_linked_to_a_home_is_asked_to_link_one(client):
    user = factories.UserFactory()

    response = sign_in(client, user.email)

    assert response.url == reverse("link_tenancy")


def test_an_officer_goes_to_the_staff_area_after_signing_in(client, officer):
    response = sign_in(client, officer.user.email)

    assert response.status_code == 302
    assert response.url == reverse("staff:home")


def test_remember_me_keeps_the_session_after_the_browser_closes_and_otherwise_not(client, resident):
    sign_in(client, resident.user.email)
    assert client.session.get_expire_at_browser_close()

    client.logout()
    sign_in(client, resident.user.email, remember="on")
    assert not client.session.get_expire_at_browser_close()


def test_signing_out_asks_first_then_signs_out(client, resident):
    sign_in(client, resident.user.email)

    assert_govuk_page(
        client.get(reverse("account_logout")), f"Sign out – {Landlord.current().name}"
    )
    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Rate limits


def test_repeated_failed_sign_ins_for_one_email_are_refused_even_with_the_right_password(
    client, resident
):
    for _ in range(5):
        sign_in(client, resident.user.email, password="a-wrong-guess")

    response = sign_in(client, resident.user.email)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have tried to sign in too many times." in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_for_one_email_do_not_lock_out_another(client, resident):
    other = factories.UserFactory()
    for _ in range(5):
        sign_in(client, other.email, password="a-wrong-guess")

    response = sign_in(client, resident.user.email)

    assert response.status_code == 302


# Passwords


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, resident, landlord):
    assert_govuk_page(
        client.get(reverse("account_reset_password")), "Reset your password – Millbrook Homes"
    )

    response = client.post(reverse("account_reset_password"), {"email": resident.user.email})

    assert response.url == reverse("account_reset_password_done")
    assert_govuk_page(client.get(response.url), "Check your email – Millbrook Homes")
    [message] = mail.outbox
    assert message.subject == "Reset your password – Millbrook Homes"
    assert "Millbrook Homes" in message.body

    # allauth swaps the key in the link for one kept in the session, then shows the form.
    response = client.get(link_in(message), follow=True)
    assert_govuk_page(response, "Create a new password – Millbrook Homes")
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.url == reverse("account_reset_password_from_key_done")
    assert_govuk_page(client.get(response.url), "Your password has been changed – Millbrook Homes")
    client.logout()
    assert sign_in(client, resident.user.email, password=NEW_PASSWORD).url == reverse("home")


def test_a_used_or_broken_reset_link_says_so(client, resident):
    response = client.get(
        reverse("account_reset_password_from_key", args=["zz", "not-a-key"]), follow=True
    )

    assert "This link has expired or has already been used" in response.content.decode()


def test_someone_who_asks_to_reset_a_password_for_an_unknown_address_is_told_by_email(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    [message] = mail.outbox
    assert message.subject.startswith("You do not have an account with this email address")


def test_a_resident_changes_their_password(client, resident):
    sign_in(client, resident.user.email)
    assert_govuk_page(
        client.get(reverse("account_change_password")),
        f"Change your password – {Landlord.current().name}",
    )

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": factories.PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    resident.user.refresh_from_db()
    assert resident.user.check_password(NEW_PASSWORD)


def test_a_resident_adds_a_second_email_address_and_is_asked_to_confirm_it(client, resident):
    sign_in(client, resident.user.email)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "pat.second@example.org"}
    )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["pat.second@example.org"]
    html = client.get(reverse("account_email")).content.decode()
    assert 'class="govuk-radios__input"' in html
    assert "Not confirmed yet." in html


# Staff and 2-step verification


def middleware_response(user, path="/staff/"):
    request = RequestFactory().get(path)
    request.user = user
    return StaffTwoFactorMiddleware(lambda request: HttpResponse("the page"))(request)


def test_an_officer_without_an_authenticator_app_is_sent_to_set_one_up(client, officer, settings):
    settings.STAFF_REQUIRE_MFA = True
    client.force_login(officer.user)

    response = client.get(reverse("staff:home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('mfa_activate_totp')}?next=%2Fstaff%2F"


def test_an_administrator_without_an_authenticator_app_cannot_open_the_django_admin(
    client, settings
):
    settings.STAFF_REQUIRE_MFA = True
    admin = User.objects.create_superuser(email="admin@example.org", password=factories.PASSWORD)
    client.force_login(admin)

    response = client.get("/admin/")

    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_an_officer_with_an_authenticator_app_gets_into_the_staff_area(officer, settings):
    settings.STAFF_REQUIRE_MFA = True
    TOTP.activate(officer.user, generate_totp_secret())

    assert middleware_response(officer.user).content == b"the page"


def test_residents_and_visitors_are_not_asked_for_an_authenticator_app(resident, settings):
    settings.STAFF_REQUIRE_MFA = True

    assert middleware_response(resident.user).content == b"the page"
    assert middleware_response(resident.user, path="/").content == b"the page"
    assert middleware_response(AnonymousUser()).content == b"the page"


def test_officers_need_no_authenticator_app_when_staff_mfa_is_off(officer, settings):
    settings.STAFF_REQUIRE_MFA = False

    assert middleware_response(officer.user).content == b"the page"


def load_settings(monkeypatch, tmp_path, **environment):
    for name in ("DOORSTEP_DEMO", "STAFF_REQUIRE_MFA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"VAR_DIR": str(tmp_path), **environment}.items():
        monkeypatch.setenv(name, value)
    path = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
    spec = importlib.util.spec_from_file_location("settings_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_staff_must_use_2_step_verification_except_in_the_demo(monkeypatch, tmp_path):
    assert load_settings(monkeypatch, tmp_path).STAFF_REQUIRE_MFA is True
    assert load_settings(monkeypatch, tmp_path, DOORSTEP_DEMO="true").STAFF_REQUIRE_MFA is False


def test_an_officer_sets_up_an_authenticator_app_and_then_gets_in(
    client, officer, settings, landlord
):
    settings.STAFF_REQUIRE_MFA = True
    sign_in(client, officer.user.email)
    response = client.get(reverse("staff:home"), follow=True)

    assert_govuk_page(response, "Set up 2-step verification – Millbrook Homes")
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Staff must use 2-step verification" in html
    secret = client.session[TOTP_SECRET_SESSION_KEY]
    assert secret in html  # the setup key, for when the QR code cannot be scanned

    wrong = client.post(
        reverse("mfa_activate_totp"),
        {"code": "000000" if totp_code(secret) != "000000" else "111111"},
    )
    assert_govuk_page(wrong, "Error: Set up 2-step verification – Millbrook Homes")
    assert "The security code is not right." in form_group_of(wrong.content.decode(), "id_code")

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=officer.user, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get(response.url)
    assert_govuk_page(codes_page, "Your recovery codes – Millbrook Homes")
    assert "Continue to the staff area" in codes_page.content.decode()
    assert middleware_response(officer.user).content == b"the page"


def test_an_officer_with_an_authenticator_app_enters_a_code_after_their_password(
    client, officer, landlord
):
    secret = generate_totp_secret()
    TOTP.activate(officer.user, secret)

    response = sign_in(client, officer.user.email)

    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert_govuk_page(client.get(response.url), "Enter your security code – Millbrook Homes")
    wrong = client.post(reverse("mfa_authenticate"), {"code": ""})
    assert '<a href="#id_code">Enter the security code</a>' in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.url == reverse("staff:home")
    assert client.session["_auth_user_id"] == str(officer.user.pk)


# Every page we styled renders on our layout


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
        ("account_reset_password_from_key_done", "Your password has been changed"),
    ],
)
def test_the_pages_for_signing_in_render_on_our_layout(client, url_name, title):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert_govuk_page(response, f"{title} – {Landlord.current().name}")


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("account_logout", "Sign out"),
        ("account_change_password", "Change your password"),
        ("account_email", "Your email addresses"),
        ("mfa_index", "2-step verification"),
        ("mfa_activate_totp", "Set up 2-step verification"),
    ],
)
def test_the_pages_for_a_signed_in_account_render_on_our_layout(client, resident, url_name, title):
    sign_in(client, resident.user.email)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert_govuk_page(response, f"{title} – {Landlord.current().name}")


def test_the_pages_for_an_account_with_2_step_verification_render_on_our_layout(client, officer):
    sign_in(client, officer.user.email)
    client.get(reverse("mfa_activate_totp"))
    client.post(
        reverse("mfa_activate_totp"), {"code": totp_code(client.session[TOTP_SECRET_SESSION_KEY])}
    )
    name = Landlord.current().name

    for url_name, title in [
        ("mfa_index", "2-step verification"),
        ("mfa_view_recovery_codes", "Your recovery codes"),
        ("mfa_generate_recovery_codes", "Make new recovery codes"),
        ("mfa_deactivate_totp", "Turn off 2-step verification"),
    ]:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, url_name
        assert_govuk_page(response, f"{title} – {name}")


def test_the_pages_that_need_a_step_first_send_people_to_it(client, resident):
    assert client.get(reverse("mfa_authenticate")).status_code == 302
    client.force_login(resident.user)
    # Signed in without a fresh password (an old session): asked for the password again first.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert_govuk_page(response, f"Confirm it is you – {Landlord.current().name}")


def test_a_broken_email_confirmation_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))

    assert response.status_code == 200
    assert_govuk_page(
        response, f"This link has expired or is not valid – {Landlord.current().name}"
    )


class CodeForm(forms.Form):
    code = forms.CharField(label="Code")


def test_an_allauth_page_we_did_not_rewrite_still_gets_govuk_markup_from_the_elements(rf):
    # Sign-in by code is off today; if it is turned on, allauth's own page is already on our
    # layout, with the error summary from the form element.
    request = rf.get("/")
    request.user = AnonymousUser()

    html = render_to_string(
        "account/confirm_login_code.html", {"verify_form": CodeForm(data={})}, request
    )

    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<a href="#id_code">' in html
    assert "govuk-form-group--error" in form_group_of(html, "id_code")
    assert 'class="govuk-button"' in html
    assert 'class="govuk-template__body"' in html
