import zoneinfo
from datetime import date, datetime
from functools import cache

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


@cache
def iana_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in iana_timezones():
        raise ValidationError(
            "“%(value)s” is not an IANA timezone name (for example Europe/Berlin).",
            params={"value": value},
            code="invalid_timezone",
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

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.zone)

    def local_today(self) -> date:
        return self.local_now().date()
