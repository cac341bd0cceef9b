"""Production security settings that tests/settings.py turns off for the plain-HTTP test client."""

import pytest
from django.test import override_settings

from .accounts_helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client):
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@override_settings(SECURE_SSL_REDIRECT=True)
def test_https_reported_by_the_proxy_is_honoured(client):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response.wsgi_request.is_secure()


def test_session_and_csrf_cookies_are_samesite_lax(client):
    verified_user(email="ada@example.com")
    page = client.get("/accounts/login/")
    assert page.cookies["csrftoken"]["samesite"] == "Lax"
    data = {"login": "ada@example.com", "password": PASSWORD}
    logged_in = client.post("/accounts/login/", data)
    assert logged_in.cookies["sessionid"]["samesite"] == "Lax"
    assert logged_in.cookies["sessionid"]["httponly"]
