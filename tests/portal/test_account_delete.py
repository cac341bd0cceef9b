import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import models

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
