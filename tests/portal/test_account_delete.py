from importlib import import_module

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client, override_settings

from portal import services

from .accounts_helpers import PASSWORD, login, verified_user, with_totp

pytestmark = pytest.mark.django_db
User = get_user_model()


def _rows_pointing_at(user) -> dict[str, int]:
    """Every row, in every installed model, that refers to `user` through a foreign key."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and (
                field.related_model is User
            ):
                count = model._default_manager.filter(**{field.name: user.pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def test_delete_needs_password_and_confirmation(client):
    user = verified_user(email="ada@example.com")
    client.force_login(user)
    response = client.post("/accounts/delete/", {"password": "wrong", "confirm": "on"})
    assert "That password is not correct." in response.content.decode()
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert 'id="id_confirm_error"' in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_every_personal_row_and_logs_out(client):
    user = verified_user(email="ada@example.com")
    with_totp(user)
    RecoveryCodes.activate(user)
    client.force_login(user)
    assert _rows_pointing_at(user)  # the check below would be empty for the wrong reason
    response = client.post(
        "/accounts/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert b"deleted" in response.content
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(pk=user.pk).exists()
    assert _rows_pointing_at(user) == {}


def test_deleted_account_cannot_log_in(client):
    user = verified_user(email="ada@example.com")
    client.force_login(user)
    client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    login(client, "ada@example.com")
    assert SESSION_KEY not in client.session


def test_other_learners_are_untouched(client):
    user = verified_user(email="ada@example.com")
    other = verified_user(email="bob@example.com")
    client.force_login(user)
    client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    assert User.objects.filter(pk=other.pk).exists()
    assert _rows_pointing_at(other)


def _logged_in_session(user) -> str:
    other_browser = Client()
    other_browser.force_login(user)
    return other_browser.session.session_key


def test_delete_ends_the_users_sessions_elsewhere(client):
    user = verified_user(email="ada@example.com")
    other = verified_user(email="bob@example.com")
    phone = _logged_in_session(user)
    app_token = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": "ada@example.com", "password": PASSWORD},
        content_type="application/json",
    ).json()["meta"]["session_token"]
    bobs = _logged_in_session(other)
    client.force_login(user)
    client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    assert not Session.objects.filter(session_key__in=[phone, app_token]).exists()
    assert Session.objects.filter(session_key=bobs).exists()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in (phone, app_token):  # nor their copies in the cache (cached_db)
        assert SESSION_KEY not in store(session_key=key).load()
    assert store(session_key=bobs).load()[SESSION_KEY] == str(other.pk)


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache")
def test_sessions_that_cannot_be_listed_are_left_to_expire():
    user = verified_user(email="ada@example.com")
    _logged_in_session(user)
    assert services.sessions_end(user=user) == 0
    services.account_delete(user=user)
    assert not User.objects.filter(email="ada@example.com").exists()
