import zoneinfo
from datetime import date, datetime
from functools import cache

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


@cache
def iana_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


REGIONS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


@cache
def timezone_choices() -> list[str]:
    """Canonical region/city names for pickers (legacy aliases such as US/Eastern stay valid)."""
    names = [name for name in iana_timezones() if name.split("/")[0] in REGIONS]
    return ["UTC", *sorted(names)]


def validate_timezone(value: str) -> None:
    if value not in iana_timezones():
        raise ValidationError(
            "“%(value)s” is not an IANA timezone name (for example Europe/Berlin).",
            params={"value": value},
            code="invalid_timezone",
        )


validate_handle = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{1,28}[a-z0-9])$",
    "3-30 lowercase letters, digits or hyphens, not starting or ending with a hyphen.",
    code="invalid_handle",
)


class User(AbstractUser):
    """The portal's user. Every "day" in the product (streaks, study log, reminders) is a day in
    `timezone`, so it lives on the user from the first migration."""

    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="IANA timezone name; days, streaks and reminders follow it.",
    )
    timezone_confirmed = models.BooleanField(
        default=False,
        help_text="Set once the learner chose a timezone; until then the browser's guess is used.",
    )
    display_name = models.CharField(max_length=80, blank=True)
    handle = models.CharField(
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_handle],
        help_text="Public handle for the optional public progress page.",
    )

    def __str__(self) -> str:
        return self.display_name or self.email or self.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.zone)

    def local_today(self) -> date:
        return self.local_now().date()


class Tombstone(models.Model):
    """A deleted row of a learner's own data, so a syncing app learns of the deletion: every
    `updated_since` list returns the tombstones of its kind under `deleted` (portal/sync.py).

    Each app names its kinds and says what `object_id` is (the deleted row's id as the API
    showed it: a primary key, an exam code, a question uid). Written by
    `portal.services.tombstone_record`, read by `portal.queries.tombstone_list`.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64)
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "kind", "deleted_at"], name="tombstone_by_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} deleted {self.kind} {self.object_id}"
