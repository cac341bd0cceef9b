"""Sign-in flows of a mobile app through allauth headless ("app" client, X-Session-Token, JSON):
sign-up and email verification, password reset, two-factor, logout, lockout, and the served spec.

Email links point at the website (HEADLESS_ONLY is False): the learner completes them there, or
the app takes the key from the link and posts it to the headless endpoint. Both are covered."""

import re

import pytest
import yaml
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail

from tests.factories import UserFactory

from .accounts_helpers import PASSWORD, last_link, totp_code, verified_user, with_totp

pytestmark = pytest.mark.django_db
APP = "/_allauth/app/v1"
NEW_PASSWORD = "a-brand-new-passphrase-42"


def _post(client, path: str, data: dict, token: str | None = None):
    headers = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    return client.post(f"{APP}{path}", data, content_type="application/json", **headers)


def _login(client, email: str, password: str = PASSWORD):
    return _post(client, "/auth/login", {"email": email, "password": password})


def _signup(client, email: str = "new@example.com"):
    return _post(client, "/auth/signup", {"email": email, "password": PASSWORD})


def _api_me(api_client, token: str):
    return api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)


def _pending(response) -> dict:
    """The one pending flow of a 401 answer, as allauth lists it under data.flows."""
    return next(flow for flow in response.json()["data"]["flows"] if flow.get("is_pending"))


def _key(link: str) -> str:
    """The key is the last path segment of the website link in the email."""
    return link.rstrip("/").rsplit("/", 1)[1]


# --- Sign-up and email verification ------------------------------------------------------------


def test_app_signup_is_pending_email_verification_and_not_signed_in(client, api_client):
    response = _signup(client)
    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False
    assert _pending(response) == {"id": "verify_email", "is_pending": True}
    token = response.json()["meta"]["session_token"]
    assert _api_me(api_client, token).status_code in (401, 403)
    assert mail.outbox[-1].to == ["new@example.com"]


def test_app_verifies_with_the_key_from_the_email_and_is_signed_in(client, api_client):
    pending_token = _signup(client).json()["meta"]["session_token"]
    key = _key(last_link("/accounts/confirm-email/"))
    check = client.get(
        f"{APP}/auth/email/verify",
        HTTP_X_EMAIL_VERIFICATION_KEY=key,
        HTTP_X_SESSION_TOKEN=pending_token,
    )
    assert check.json()["data"]["email"] == "new@example.com"
    response = _post(client, "/auth/email/verify", {"key": key}, pending_token)
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    token = response.json()["meta"]["session_token"]
    me = _api_me(api_client, token)
    assert me.status_code == 200
    assert me.json()["email"] == "new@example.com"


def test_email_link_opened_on_the_website_lets_the_app_log_in(client, api_client):
    _signup(client)
    link = last_link("/accounts/confirm-email/")
    path = re.sub(r"^https?://[^/]+", "", link)
    assert client.get(path).status_code == 200  # the website's confirm page, no app needed
    client.post(path)
    response = _login(client, "new@example.com")
    assert response.status_code == 200
    assert _api_me(api_client, response.json()["meta"]["session_token"]).status_code == 200


def test_unverified_login_is_pending_and_the_emailed_key_signs_in(client, api_client):
    UserFactory(email="new@example.com")  # no verified address
    response = _login(client, "new@example.com")
    assert response.status_code == 401
    assert _pending(response) == {"id": "verify_email", "is_pending": True}
    pending_token = response.json()["meta"]["session_token"]
    key = _key(last_link("/accounts/confirm-email/"))
    verified = _post(client, "/auth/email/verify", {"key": key}, pending_token)
    assert verified.status_code == 200
    assert _api_me(api_client, verified.json()["meta"]["session_token"]).status_code == 200


def test_wrong_verification_key_is_refused(client, api_client):
    pending_token = _signup(client).json()["meta"]["session_token"]
    response = _post(client, "/auth/email/verify", {"key": "not-a-key"}, pending_token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "key"
    assert _api_me(api_client, pending_token).status_code in (401, 403)


# --- Login and logout --------------------------------------------------------------------------


def test_app_logout_answers_signed_out_and_the_token_is_gone(client, api_client):
    verified_user(email="ada@example.com")
    token = _login(client, "ada@example.com").json()["meta"]["session_token"]
    assert _api_me(api_client, token).status_code == 200
    response = client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False
    assert _api_me(api_client, token).status_code in (401, 403)
    # allauth answers 410 Gone for a session token that no longer exists.
    assert client.get(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token).status_code == 410


# --- Password reset ----------------------------------------------------------------------------


def test_app_password_reset_with_the_key_from_the_email(client, api_client):
    verified_user(email="ada@example.com")
    assert _post(client, "/auth/password/request", {"email": "ada@example.com"}).json() == {
        "status": 200
    }
    key = _key(last_link("/accounts/password/reset/key/"))
    check = client.get(f"{APP}/auth/password/reset", HTTP_X_PASSWORD_RESET_KEY=key)
    assert check.status_code == 200
    assert check.json()["data"]["user"]["email"] == "ada@example.com"
    reset = _post(client, "/auth/password/reset", {"key": key, "password": NEW_PASSWORD})
    assert reset.status_code == 401  # the password is set; the app then logs in
    old = _login(client, "ada@example.com")
    assert old.status_code == 400
    assert old.json()["errors"][0]["code"] == "email_password_mismatch"
    new = _login(client, "ada@example.com", NEW_PASSWORD)
    assert new.status_code == 200
    assert _api_me(api_client, new.json()["meta"]["session_token"]).status_code == 200


def test_password_reset_key_works_once(client):
    verified_user(email="ada@example.com")
    _post(client, "/auth/password/request", {"email": "ada@example.com"})
    key = _key(last_link("/accounts/password/reset/key/"))
    _post(client, "/auth/password/reset", {"key": key, "password": NEW_PASSWORD})
    again = _post(client, "/auth/password/reset", {"key": key, "password": "another-one-9876"})
    assert again.status_code == 400
    assert again.json()["errors"][0]["param"] == "key"
    assert _login(client, "ada@example.com", NEW_PASSWORD).status_code == 200


def test_password_reset_request_for_an_unknown_email_answers_the_same(client):
    response = _post(client, "/auth/password/request", {"email": "nobody@example.com"})
    assert response.status_code == 200
    assert response.json() == {"status": 200}


# --- Two-factor --------------------------------------------------------------------------------


def _login_pending_2fa(client, api_client, *, recovery_codes: bool = False):
    """A learner with TOTP (and recovery codes) logs in: a pending 2FA flow, no API access."""
    user = verified_user(email="ada@example.com")
    secret = with_totp(user)
    codes = RecoveryCodes.activate(user).get_unused_codes() if recovery_codes else []
    response = _login(client, "ada@example.com")
    assert response.status_code == 401
    types = {"totp", "recovery_codes"} if recovery_codes else {"totp"}
    flow = _pending(response)
    assert flow["id"] == "mfa_authenticate"
    assert set(flow["types"]) == types
    token = response.json()["meta"]["session_token"]
    assert _api_me(api_client, token).status_code in (401, 403)
    return token, secret, codes


def test_app_login_with_totp_needs_the_code(client, api_client):
    token, secret, _codes = _login_pending_2fa(client, api_client)
    wrong = _post(client, "/auth/2fa/authenticate", {"code": "000000"}, token)
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["param"] == "code"
    assert _api_me(api_client, token).status_code in (401, 403)
    response = _post(client, "/auth/2fa/authenticate", {"code": totp_code(secret)}, token)
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    signed_in = response.json()["meta"]["session_token"]
    assert _api_me(api_client, signed_in).json()["email"] == "ada@example.com"


def test_app_login_with_a_recovery_code_uses_it_up(client, api_client):
    token, _secret, codes = _login_pending_2fa(client, api_client, recovery_codes=True)
    response = _post(client, "/auth/2fa/authenticate", {"code": codes[0]}, token)
    assert response.status_code == 200
    assert _api_me(api_client, response.json()["meta"]["session_token"]).status_code == 200
    again = _login(client, "ada@example.com").json()["meta"]["session_token"]
    reused = _post(client, "/auth/2fa/authenticate", {"code": codes[0]}, again)
    assert reused.status_code == 400


# --- Lockout (ACCOUNT_RATE_LIMITS; the cache is real in tests, emptied between them) -----------


def test_five_failed_logins_lock_the_account_with_allauths_answer(client, api_client):
    verified_user(email="ada@example.com")
    for _ in range(5):
        assert _login(client, "ada@example.com", "wrong").status_code == 400
    locked = _login(client, "ada@example.com")  # even the right password, for 5 minutes
    assert locked.status_code == 400
    assert locked.json() == {
        "status": 400,
        "errors": [
            {
                "message": "Too many failed login attempts. Try again later.",
                "code": "too_many_login_attempts",
            }
        ],
    }


def test_too_many_logins_from_one_address_answer_429(client):
    for number in range(30):  # "login": 30 a minute per IP address (allauth's default)
        assert _login(client, f"guess{number}@example.com", "wrong").status_code == 400
    response = _login(client, "guess@example.com", "wrong")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": 429}


# --- allauth's OpenAPI specification of /_allauth/ ---------------------------------------------


def test_allauth_specification_is_served_as_yaml_and_json(client):
    response = client.get("/_allauth/openapi.yaml")
    assert response.status_code == 200
    spec = yaml.safe_load(response.content)
    assert spec["openapi"].startswith("3.")
    for path in ("/auth/login", "/auth/signup", "/auth/email/verify", "/auth/password/reset"):
        assert f"/_allauth/{{client}}/v1{path}" in spec["paths"], path
    assert "/_allauth/{client}/v1/auth/2fa/authenticate" in spec["paths"]
    assert client.get("/_allauth/openapi.json").json()["paths"].keys() == spec["paths"].keys()


def test_allauth_specification_page_uses_local_assets_and_no_inline_script(client):
    response = client.get("/_allauth/openapi.html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert all("src=" in tag for tag in scripts), scripts
    init = client.get("/_allauth/openapi.html?script=")
    assert init["Content-Type"].startswith("application/javascript")
    assert "/_allauth/openapi.json" in init.content.decode()
