"""The admin's Markdown preview endpoint: staff only, POST only, bounded, sanitized."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.admin_views import MARKDOWN_PREVIEW_MAX_BYTES
from tests.factories import UserFactory

from .accounts_helpers import with_totp

pytestmark = pytest.mark.django_db
URL = "/admin/markdown-preview/"


@pytest.fixture
def staff():
    user = UserFactory(is_staff=True)
    with_totp(user)  # production settings: staff need two-factor to reach /admin/
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_url_is_named_and_sits_under_admin():
    assert reverse("markdown_preview") == URL


def test_staff_get_sanitized_html(staff_client):
    response = staff_client.post(
        URL, {"text": "**bold** <script>alert(1)</script>[x](javascript:alert(2))"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = response.json()["html"]
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_empty_text_previews_as_nothing(staff_client):
    assert staff_client.post(URL, {"text": ""}).json() == {"html": ""}


def test_anonymous_is_refused(client):
    response = client.post(URL, {"text": "**x**"})
    assert response.status_code == 403
    assert "html" not in response.json()


def test_learner_is_refused(client):
    client.force_login(UserFactory())
    assert client.post(URL, {"text": "**x**"}).status_code == 403


def test_inactive_staff_is_refused(client, staff):
    staff.is_active = False
    staff.save()
    client.force_login(staff)
    assert client.post(URL, {"text": "**x**"}).status_code == 403


def test_staff_without_two_factor_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(URL, {"text": "**x**"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_get_is_not_allowed(staff_client):
    assert staff_client.get(URL, {"text": "**x**"}).status_code == 405


def test_text_over_the_limit_is_refused(staff_client):
    response = staff_client.post(URL, {"text": "a" * (MARKDOWN_PREVIEW_MAX_BYTES + 1)})
    assert response.status_code == 400
    assert "Too long" in response.json()["error"]


def test_text_at_the_limit_is_previewed(staff_client):
    response = staff_client.post(URL, {"text": "a" * MARKDOWN_PREVIEW_MAX_BYTES})
    assert response.status_code == 200


def test_limit_counts_bytes_not_characters(staff_client):
    text = "é" * (MARKDOWN_PREVIEW_MAX_BYTES // 2 + 1)  # two bytes each in UTF-8
    assert staff_client.post(URL, {"text": text}).status_code == 400


def test_post_without_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(URL, {"text": "**x**"}).status_code == 403


def test_post_with_csrf_token_header_is_accepted(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    client.get("/admin/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(URL, {"text": "*x*"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json() == {"html": "<p><em>x</em></p>"}
