from datetime import datetime

from allauth.mfa.models import Authenticator

from .models import Tombstone, User


def user_has_two_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def tombstone_list(*, user: User, kind: str | None, since: datetime | None) -> list[Tombstone]:
    """The learner's deletions of `kind` at or after `since`, oldest first (one query). None
    without `since` (a full list has no deleted rows in it) or without a kind (a list whose rows
    the learner never deletes)."""
    if since is None or kind is None:
        return []
    rows = Tombstone.objects.filter(user=user, kind=kind, deleted_at__gte=since)
    return list(rows.order_by("deleted_at", "pk"))
