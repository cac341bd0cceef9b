from dataclasses import dataclass
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Tombstone, User, iana_timezones


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


HANDLE_TAKEN = "User with this Handle already exists."  # as the model's unique check says it

DEMO_LOGINS = (
    DemoLogin("learner", "learner@example.com", "learn-ai-2026"),
    DemoLogin("admin", "admin@example.com", "admin-ai-2026"),
)


@transaction.atomic
def demo_users_ensure() -> list[DemoLogin]:
    """Create (or reset the passwords of) the local demo learner and admin. Only for DEBUG."""
    user_model: type[User] = get_user_model()
    for login in DEMO_LOGINS:
        user, _ = user_model.objects.get_or_create(
            username=login.email.split("@")[0], defaults={"email": login.email}
        )
        user.email = login.email
        user.is_staff = user.is_superuser = login.role == "admin"
        user.set_password(login.password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=login.email, defaults={"verified": True, "primary": True}
        )
    return list(DEMO_LOGINS)


def timezone_guess(*, user: User, name: str) -> bool:
    """Take the browser's timezone until the learner chooses one; unknown names are ignored."""
    if user.timezone_confirmed or name not in iana_timezones() or name == user.timezone:
        return False
    user.timezone = name
    user.save(update_fields=["timezone"])
    return True


def profile_update(
    *, user: User, display_name: str, handle: str | None, timezone: str | None = None
) -> User:
    """Save the profile (the profile page, `PATCH /api/v1/me/`). A given `timezone` is the
    learner's choice from now on (the browser's guess no longer replaces it); None keeps the
    current one as it was. Raises ValidationError naming the field (a handle taken, even by a
    concurrent save), with nothing saved."""
    user.display_name = display_name
    user.handle = handle
    if timezone is not None:
        user.timezone = timezone
        user.timezone_confirmed = True
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save(update_fields=["display_name", "handle", "timezone", "timezone_confirmed"])
    except IntegrityError as error:  # the unique handle, taken since full_clean looked
        raise ValidationError({"handle": [HANDLE_TAKEN]}) from error
    return user


def sessions_end(*, user: User) -> int:
    """End every server-side session of `user` (other browsers, the apps' session tokens).

    Sessions are not indexed by user, so this decodes each unexpired one; it runs only on account
    deletion, which is rare. Only database-backed engines can be listed: a cache engine has no
    index of its keys and signed cookies live in the browser. Those sessions stop working anyway
    once the user row is gone, as their user id no longer loads anyone.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):  # db and cached_db have it
        return 0
    rows = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    user_id = str(user.pk)
    keys = [
        key
        for key, data in rows.values_list("session_key", "session_data").iterator()
        if store_class().decode(data).get(SESSION_KEY) == user_id
    ]
    for key in keys:
        store_class(session_key=key).delete()  # through the store, so cached_db drops its copy
    return len(keys)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account, every personal row that points at it, and its sessions.

    Each app's personal data refers to the user with on_delete=CASCADE, so deleting the user
    removes it in the same transaction; tests/portal/test_account_delete.py checks every model
    that points at the user is left empty.
    """
    sessions_end(user=user)
    user.delete()


def tombstone_record(*, user: User, kind: str, object_id: object) -> Tombstone:
    """Record that the learner's row of `kind` with the API id `object_id` was deleted, so the
    sync lists (portal/sync.py) return it under `deleted`. Call it in the deleting transaction."""
    return Tombstone.objects.create(user=user, kind=kind, object_id=str(object_id))
