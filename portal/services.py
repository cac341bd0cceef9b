from dataclasses import dataclass
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import transaction
from django.utils import timezone

from .models import User, iana_timezones


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


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


@transaction.atomic
def profile_update(*, user: User, display_name: str, handle: str | None, timezone: str) -> User:
    user.display_name = display_name
    user.handle = handle
    user.timezone = timezone
    user.timezone_confirmed = True
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "handle", "timezone", "timezone_confirmed"])
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
