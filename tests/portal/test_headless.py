"""The accounts API for the mobile apps: allauth headless, "app" client, X-Session-Token."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

from .accounts_helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
APP_LOGIN = "/_allauth/app/v1/auth/login"


def _app_login(client, email: str, password: str = PASSWORD):
    data = {"email": email, "password": password}
    return client.post(APP_LOGIN, data, content_type="application/json")


def test_app_login_returns_a_session_token_the_api_accepts(client, api_client):
    user = verified_user(email="ada@example.com", timezone="Europe/Berlin")
    response = _app_login(client, "ada@example.com")
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    me = api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200
    assert me.json()["id"] == user.pk
    assert me.json()["timezone"] == "Europe/Berlin"


def test_api_without_session_token_is_a_problem(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/api/problems/not_authenticated"


def test_unknown_session_token_is_refused(api_client):
    response = api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN="not-a-real-token")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM


def test_app_logout_ends_the_token(client, api_client):
    verified_user(email="ada@example.com")
    token = _app_login(client, "ada@example.com").json()["meta"]["session_token"]
    client.delete("/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token)
    assert api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code in (401, 403)


def test_app_login_with_wrong_password_or_unverified_email_is_not_signed_in(client, api_client):
    verified_user(email="ada@example.com")
    UserFactory(email="new@example.com")  # no verified address: verification is mandatory
    for email, password in (("ada@example.com", "wrong"), ("new@example.com", PASSWORD)):
        response = _app_login(client, email, password)
        assert response.status_code in (400, 401), email
        meta = response.json().get("meta", {})
        assert not meta.get("is_authenticated"), email
        # A pending flow (verify the email) gets a token for that flow only, not for the API.
        token = meta.get("session_token", "none")
        assert api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code in (401, 403)


def test_headless_serves_apps_and_keeps_the_account_pages():
    assert settings.HEADLESS_ONLY is False
    assert set(settings.HEADLESS_CLIENTS) == {"app", "browser"}
    authentication = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert authentication == [
        "portal.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
