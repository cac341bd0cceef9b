from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import User


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
    return list(DEMO_LOGINS)
