"""The account endpoints: `GET`/`PATCH /api/v1/me/` (the profile page's fields and rules) and
`POST /api/v1/me/delete/` (the deletion page's password and confirmation; every session ends)."""

import pytest
import yaml
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.factories import UserFactory

from .accounts_helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db
User = get_user_model()
PROBLEM = "application/problem+json"


@pytest.fixture
def ada():
    return verified_user(
        email="ada@example.com", display_name="Ada", handle="ada", timezone="Europe/Berlin"
    )


@pytest.fixture
def signed_in(ada):
    client = APIClient()
    client.force_authenticate(ada)
    return client


def app_token(email: str) -> str:
    response = APIClient().post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_me_shows_the_profile(signed_in, ada):
    body = signed_in.get("/api/v1/me/").json()
    assert body == {
        "id": ada.pk,
        "username": ada.username,
        "email": "ada@example.com",
        "display_name": "Ada",
        "handle": "ada",
        "timezone": "Europe/Berlin",
    }


def test_patch_changes_the_profile(signed_in, ada):
    response = signed_in.patch(
        "/api/v1/me/",
        {"display_name": "Ada L.", "handle": "ada-l", "timezone": "America/New_York"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["handle"] == "ada-l"
    ada.refresh_from_db()
    assert (ada.display_name, ada.handle, ada.timezone) == ("Ada L.", "ada-l", "America/New_York")
    assert ada.timezone_confirmed


def test_patch_changes_only_the_fields_given(signed_in, ada):
    response = signed_in.patch("/api/v1/me/", {"display_name": "Countess"}, format="json")
    assert response.status_code == 200
    ada.refresh_from_db()
    assert (ada.display_name, ada.handle, ada.timezone) == ("Countess", "ada", "Europe/Berlin")
    assert not ada.timezone_confirmed  # the timezone was not chosen in this request


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_handle_removes_it(signed_in, ada, empty):
    response = signed_in.patch("/api/v1/me/", {"handle": empty}, format="json")
    assert response.status_code == 200
    assert response.json()["handle"] is None
    ada.refresh_from_db()
    assert ada.handle is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"handle": "Not A Handle!"}, "handle"),
        ({"handle": "x" * 31}, "handle"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": ["a list"]}, "display_name"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_and_saves_nothing(signed_in, ada, data, field):
    response = signed_in.patch("/api/v1/me/", {"display_name": "Changed", **data}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == [field]
    ada.refresh_from_db()
    assert (ada.display_name, ada.handle, ada.timezone) == ("Ada", "ada", "Europe/Berlin")


def test_a_taken_handle_is_a_400_naming_handle(signed_in, ada):
    UserFactory(handle="grace")
    response = signed_in.patch(
        "/api/v1/me/", {"handle": "grace", "display_name": "Changed"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["handle"]
    ada.refresh_from_db()
    assert (ada.handle, ada.display_name) == ("ada", "Ada")


def test_unknown_and_read_only_fields_are_ignored(signed_in, ada):
    response = signed_in.patch(
        "/api/v1/me/",
        {"email": "evil@example.com", "username": "root", "id": 1, "is_staff": True},
        format="json",
    )
    assert response.status_code == 200
    ada.refresh_from_db()
    assert (ada.email, ada.is_staff) == ("ada@example.com", False)
    assert ada.username != "root"


def test_a_legacy_timezone_the_account_has_is_kept(signed_in, ada):
    ada.timezone = "US/Eastern"  # an alias the picker does not offer, valid for the model
    ada.save()
    response = signed_in.patch("/api/v1/me/", {"timezone": "US/Eastern"}, format="json")
    assert response.status_code == 200


# --- deletion -----------------------------------------------------------------------------------


def test_a_wrong_password_deletes_nothing(signed_in, ada):
    response = signed_in.post(
        "/api/v1/me/delete/", {"password": "wrong", "confirm": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["That password is not correct."]}
    assert User.objects.filter(pk=ada.pk).exists()


@pytest.mark.parametrize("data", [{"password": PASSWORD}, {"password": PASSWORD, "confirm": False}])
def test_deletion_needs_the_confirmation(signed_in, ada, data):
    response = signed_in.post("/api/v1/me/delete/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["confirm"]
    assert User.objects.filter(pk=ada.pk).exists()


def test_deletion_needs_a_password(signed_in, ada):
    response = signed_in.post("/api/v1/me/delete/", {"confirm": True}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["password"]
    assert User.objects.filter(pk=ada.pk).exists()


def test_deletion_removes_the_account_and_ends_every_token(ada):
    token = app_token("ada@example.com")
    other_token = app_token("ada@example.com")  # a second device
    client = APIClient(HTTP_X_SESSION_TOKEN=token)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post(
        "/api/v1/me/delete/", {"password": PASSWORD, "confirm": True}, format="json"
    )
    assert response.status_code == 204
    assert response.content == b""
    assert not User.objects.filter(pk=ada.pk).exists()
    for used in (token, other_token):
        assert APIClient(HTTP_X_SESSION_TOKEN=used).get("/api/v1/me/").status_code == 401


def test_deletion_through_the_session_logs_out(ada):
    client = APIClient()
    client.force_login(ada)
    response = client.post(
        "/api/v1/me/delete/", {"password": PASSWORD, "confirm": True}, format="json"
    )
    assert response.status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


# --- authentication -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/me/", None),
        ("patch", "/api/v1/me/", {"display_name": "X"}),
        ("post", "/api/v1/me/delete/", {"password": PASSWORD, "confirm": True}),
    ],
)
def test_anonymous_gets_401(method, path, data):
    response = getattr(APIClient(), method)(path, data, format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("patch", "/api/v1/me/", {"display_name": "X"}),
        ("post", "/api/v1/me/delete/", {"password": PASSWORD, "confirm": True}),
    ],
)
def test_session_writes_need_the_csrf_token(ada, method, path, data):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(ada)
    response = getattr(client, method)(path, data, format="json")
    assert response.status_code == 403
    ada.refresh_from_db()
    assert ada.display_name == "Ada"


def test_app_token_writes_need_no_csrf(ada):
    client = APIClient(HTTP_X_SESSION_TOKEN=app_token("ada@example.com"), enforce_csrf_checks=True)
    response = client.patch("/api/v1/me/", {"display_name": "From the app"}, format="json")
    assert response.status_code == 200


# --- schema -------------------------------------------------------------------------------------


def test_schema_documents_the_account_operations(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    me = schema["paths"]["/api/v1/me/"]
    delete = schema["paths"]["/api/v1/me/delete/"]["post"]
    for operation in (me["get"], me["patch"], delete):
        assert operation["summary"]
        assert operation["description"]
    assert me["get"]["responses"]["200"]["content"]["application/json"]["examples"]
    for operation in (me["patch"], delete):
        assert operation["requestBody"]["content"]["application/json"]["examples"]
        assert operation["responses"]["400"]["content"][PROBLEM]["examples"]
        assert "401" in operation["responses"]
    assert "204" in delete["responses"]
    for path in ("/api/v1/exams/", "/api/v1/exams/{code}/"):
        responses = schema["paths"][path]["get"]["responses"]
        assert responses["200"]["content"]["application/json"]["examples"], path
