from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

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


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and every personal row that points at it.

    Each app's personal data refers to the user with on_delete=CASCADE, so deleting the user
    removes it in the same transaction; tests/portal/test_account_delete.py checks every model
    that points at the user is left empty.
    """
    user.delete()
