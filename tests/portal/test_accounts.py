import datetime as dt
from urllib.parse import urlparse

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

from .accounts_helpers import PASSWORD, last_link, login, totp_code, verified_user, with_totp

pytestmark = pytest.mark.django_db
User = get_user_model()


def _signup(client, email="new@example.com", password="a-long-unusual-passphrase", **extra):
    data = {"email": email, "password1": password, "password2": password, **extra}
    return client.post("/accounts/signup/", data, follow=True)


def _path(url: str) -> str:
    return urlparse(url).path


# --- Sign-up and verification ------------------------------------------------------------------


def test_signup_sends_verification_and_does_not_log_in(client):
    response = _signup(client)
    assert response.status_code == 200
    assert "verify" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert EmailAddress.objects.get(email="new@example.com").verified is False


def test_unverified_email_cannot_log_in(client):
    _signup(client)
    mail.outbox.clear()
    response = login(client, "new@example.com", "a-long-unusual-passphrase")
    assert SESSION_KEY not in client.session
    assert "verif" in response.content.decode().lower()


def test_verification_link_confirms_and_logs_in(client):
    _signup(client)
    link = _path(last_link("/accounts/confirm-email/"))
    assert client.get(link).status_code == 200  # GET only shows a confirm button
    assert EmailAddress.objects.get(email="new@example.com").verified is False
    client.post(link, follow=True)
    assert EmailAddress.objects.get(email="new@example.com").verified is True
    assert SESSION_KEY in client.session


def test_reused_verification_link_changes_nothing(client):
    _signup(client)
    link = _path(last_link("/accounts/confirm-email/"))
    client.post(link)
    client.post("/accounts/logout/")
    page = client.get(link)
    client.post(link)
    assert SESSION_KEY not in client.session
    assert b"expired or is invalid" in page.content or b"already been confirmed" in page.content


def test_expired_verification_link_is_refused(client):
    _signup(client)
    link = _path(last_link("/accounts/confirm-email/"))
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4)):
        page = client.get(link)
        client.post(link)
    assert b"expired or is invalid" in page.content
    assert EmailAddress.objects.get(email="new@example.com").verified is False
    assert SESSION_KEY not in client.session


def test_signup_with_registered_email_does_not_reveal_it(client):
    verified_user(email="taken@example.com", username="taken")
    fresh = _signup(client, email="fresh@example.com")
    taken = _signup(client, email="taken@example.com")
    assert fresh.redirect_chain == taken.redirect_chain
    assert b"already" not in taken.content
    assert User.objects.filter(email="taken@example.com").count() == 1


def test_signup_timezone_guess_from_browser(client):
    _signup(client, timezone="Asia/Kolkata")
    assert User.objects.get(email="new@example.com").timezone == "Asia/Kolkata"


def test_signup_ignores_unknown_timezone_guess(client):
    _signup(client, timezone="Mars/Base")
    assert User.objects.get(email="new@example.com").timezone == "UTC"


def test_signup_field_errors_are_shown_inline(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-email", "password1": "short", "password2": "other"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


# --- Log in, sessions, log out -----------------------------------------------------------------


def test_wrong_password_gets_generic_message(client):
    verified_user(email="ada@example.com")
    response = login(client, "ada@example.com", "wrong")
    assert SESSION_KEY not in client.session
    assert b"not correct" in response.content
    unknown = login(client, "nobody@example.com", "wrong")
    assert b"not correct" in unknown.content


def test_login_rotates_session_and_logout_ends_it_on_server(client):
    verified_user(email="ada@example.com")
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    login(client, "ada@example.com")
    after = client.session.session_key
    assert after != before
    assert Session.objects.filter(session_key=after).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=after).exists()


def test_logout_needs_post(client):
    verified_user(email="ada@example.com")
    login(client, "ada@example.com")
    client.get("/accounts/logout/")
    assert SESSION_KEY in client.session


def test_login_takes_browser_timezone_until_learner_chooses(client):
    user = verified_user(email="ada@example.com")
    login(client, "ada@example.com", data={"timezone": "America/Chicago"})
    user.refresh_from_db()
    assert user.timezone == "America/Chicago"
    user.timezone, user.timezone_confirmed = "Europe/Paris", True
    user.save()
    client.post("/accounts/logout/")
    login(client, "ada@example.com", data={"timezone": "America/Chicago"})
    user.refresh_from_db()
    assert user.timezone == "Europe/Paris"


def test_five_failed_logins_lock_the_account_even_with_right_password(client):
    verified_user(email="ada@example.com")
    for _ in range(5):
        login(client, "ada@example.com", "wrong")
    response = login(client, "ada@example.com")
    assert SESSION_KEY not in client.session
    assert b"Too many failed login attempts" in response.content


def test_spoofed_forwarded_for_does_not_reset_the_lock(client):
    verified_user(email="ada@example.com")
    for attempt in range(5):
        login(client, "ada@example.com", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    response = login(client, "ada@example.com", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert SESSION_KEY not in client.session
    assert b"Too many failed login attempts" in response.content


def test_lock_expires_after_five_minutes(client):
    verified_user(email="ada@example.com")
    for _ in range(5):
        login(client, "ada@example.com", "wrong")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6)):
        login(client, "ada@example.com")
        assert SESSION_KEY in client.session


# --- Password reset ----------------------------------------------------------------------------


def test_password_reset_does_not_reveal_unknown_email(client):
    verified_user(email="ada@example.com")
    known = client.post("/accounts/password/reset/", {"email": "ada@example.com"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "no@example.com"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain


def test_password_reset_link_works_once(client):
    user = verified_user(email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = _path(last_link("/accounts/password/reset/key/"))
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new = "another-long-passphrase-2026"
    client.post(set_url, {"password1": new, "password2": new}, follow=True)
    user.refresh_from_db()
    assert user.check_password(new)
    reused = client.get(link, follow=True)
    assert b"invalid" in reused.content.lower()


def test_expired_password_reset_link_is_refused_and_changes_nothing(client, settings):
    user = verified_user(email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = _path(last_link("/accounts/password/reset/key/"))
    expired = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, minutes=1)
    new = "another-long-passphrase-2026"
    with time_machine.travel(dt.datetime.now(dt.UTC) + expired):
        page = client.get(link, follow=True)
        set_url = page.redirect_chain[-1][0] if page.redirect_chain else link
        client.post(set_url, {"password1": new, "password2": new}, follow=True)
    assert b"The password reset link was invalid" in page.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Change password and email -----------------------------------------------------------------


def test_change_password_keeps_the_learner_logged_in(client):
    user = verified_user(email="ada@example.com")
    client.force_login(user)
    new = "another-long-passphrase-2026"
    data = {"oldpassword": PASSWORD, "password1": new, "password2": new}
    response = client.post("/accounts/password/change/", data, follow=True)
    assert b"Password successfully changed" in response.content
    user.refresh_from_db()
    assert user.check_password(new)
    assert SESSION_KEY in client.session


def test_change_password_with_wrong_current_password_changes_nothing(client):
    user = verified_user(email="ada@example.com")
    client.force_login(user)
    new = "another-long-passphrase-2026"
    data = {"oldpassword": "wrong", "password1": new, "password2": new}
    response = client.post("/accounts/password/change/", data)
    assert 'id="id_oldpassword_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_email_verifies_the_new_address_before_it_becomes_primary(client):
    user = verified_user(email="ada@example.com")
    client.force_login(user)
    client.post("/accounts/email/", {"email": "ada.new@example.com", "action_add": ""})
    assert mail.outbox[-1].to == ["ada.new@example.com"]
    refused = client.post(
        "/accounts/email/", {"email": "ada.new@example.com", "action_primary": ""}, follow=True
    )
    assert b"Your primary email address must be verified" in refused.content
    client.post(_path(last_link("/accounts/confirm-email/")))
    assert EmailAddress.objects.get(email="ada.new@example.com").verified
    client.post("/accounts/email/", {"email": "ada.new@example.com", "action_primary": ""})
    user.refresh_from_db()
    assert user.email == "ada.new@example.com"


# --- Two-factor --------------------------------------------------------------------------------


def test_login_with_totp_needs_a_right_code_used_once(client):
    user = verified_user(email="ada@example.com")
    secret = with_totp(user)
    login(client, "ada@example.com")
    assert SESSION_KEY not in client.session  # waiting for the second factor
    bad = client.post("/accounts/2fa/authenticate/", {"code": "000000"}, follow=True)
    assert SESSION_KEY not in client.session
    assert b"Incorrect code" in bad.content
    code = totp_code(secret)
    client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)
    assert SESSION_KEY in client.session
    client.post("/accounts/logout/")
    login(client, "ada@example.com")
    reused = client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)
    assert SESSION_KEY not in client.session
    assert b"Incorrect code" in reused.content


def test_login_with_a_recovery_code_works_once(client):
    user = verified_user(email="ada@example.com")
    with_totp(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    login(client, "ada@example.com")
    client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)
    assert SESSION_KEY in client.session
    client.post("/accounts/logout/")
    login(client, "ada@example.com")
    reused = client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)
    assert SESSION_KEY not in client.session
    assert b"Incorrect code" in reused.content


def test_production_default_requires_two_factor_for_staff(settings):
    assert settings.DEBUG is False  # tests run with production-shaped settings
    assert settings.STAFF_REQUIRE_2FA is True


def test_staff_without_two_factor_is_sent_to_set_it_up(client):
    staff = verified_user(email="boss@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    with_totp(staff)
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_REQUIRE_2FA=False)
def test_two_factor_not_required_when_disabled_for_debug(client):
    staff = verified_user(email="boss@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_learner_cannot_reach_admin(client):
    client.force_login(verified_user(email="ada@example.com"))
    response = client.get("/admin/", follow=True)
    assert response.status_code in (200, 403)
    assert b"Site administration" not in response.content


# --- Profile -----------------------------------------------------------------------------------


def test_profile_update(client):
    user = verified_user(email="ada@example.com")
    client.force_login(user)
    data = {"display_name": "Ada", "handle": "ada-l", "timezone": "Europe/London"}
    response = client.post("/accounts/profile/", data, follow=True)
    assert b"Your profile is saved" in response.content
    user.refresh_from_db()
    assert (user.display_name, user.handle, user.timezone) == ("Ada", "ada-l", "Europe/London")
    assert user.timezone_confirmed


@pytest.mark.parametrize(
    ("field", "value"),
    [("timezone", "Mars/Base"), ("handle", "Not Valid!"), ("handle", "taken")],
)
def test_profile_bad_input_shows_field_error_and_changes_nothing(client, field, value):
    UserFactory(username="other", handle="taken")
    user = verified_user(email="ada@example.com", display_name="Before")
    client.force_login(user)
    data = {"display_name": "After", "handle": "", "timezone": "UTC", field: value}
    response = client.post("/accounts/profile/", data)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Before"


def test_account_pages_use_site_layout(client):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        html = client.get(url).content.decode()
        assert '<nav aria-label="Main">' in html, url
        assert "site.css" in html, url
    client.force_login(verified_user(email="ada@example.com"))
    for url in ("/accounts/profile/", "/accounts/email/", "/accounts/2fa/", "/accounts/delete/"):
        html = client.get(url).content.decode()
        assert 'aria-label="Account"' in html, url


def test_profile_requires_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
