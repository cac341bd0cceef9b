import re

import pytest
from django.test import override_settings
from django.urls import path

from portal import views

pytestmark = pytest.mark.django_db


def test_home_renders_in_site_layout(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<nav aria-label="Main">' in html
    assert 'href="#main"' in html  # skip link
    assert "site.css" in html


def test_navigation_offers_log_in_to_visitors(client):
    html = client.get("/").content.decode()
    assert ">Log in</a>" in html


def test_unknown_url_gets_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "site.css" in html


def _boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("boom/", _boom),
    path("api/v1/boom/", _boom),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("api/docs/", views.home, name="api-docs"),
]
handler500 = "portal.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_is_styled_without_traceback(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_under_api_is_problem_json(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 500
    assert "secret internal detail" not in response.content.decode()


def test_pages_carry_csp_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    assert "<style" not in html
    assert " style=" not in html


def test_page_exposes_csrf_token_for_the_api_module(client):
    html = client.get("/").content.decode()
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', html)
