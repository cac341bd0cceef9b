"""When the next reminder or digest is due: pure functions of the preferences and an instant.

Every slot is a local wall-clock time (the learner's `time_of_day`) on a local date, turned into an
instant with the learner's IANA timezone, so daylight-saving changes move the UTC instant, never
the local time. A local time that does not exist on a spring-forward day is read with the offset
before the change (02:30 becomes 03:30); one that occurs twice on a fall-back day is the first
one. Either way each local date has exactly one slot.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAILY, WEEKDAYS, CUSTOM = "daily", "weekdays", "custom"
WEEKDAY_NUMBERS = (0, 1, 2, 3, 4)
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Slot:
    local_date: date
    at: datetime  # UTC


def reminder_days(cadence: str, days: list[int] | tuple[int, ...]) -> tuple[int, ...]:
    """The weekdays (Monday=0) a cadence sends on."""
    if cadence == DAILY:
        return ALL_DAYS
    if cadence == WEEKDAYS:
        return WEEKDAY_NUMBERS
    return tuple(sorted(set(days)))


def slot_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall-clock `at` on local `day` (see the module docstring)."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)  # fold=0
    return local.astimezone(UTC)


def next_slot(
    *, after: datetime, at: time, zone: ZoneInfo, weekdays: tuple[int, ...]
) -> Slot | None:
    """The first slot strictly after `after` on one of `weekdays`; None without any weekday."""
    if not weekdays:
        return None
    start = after.astimezone(zone).date() - timedelta(days=1)  # a slot may fall "yesterday" in UTC
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        instant = slot_instant(day, at, zone)
        if instant > after:
            return Slot(day, instant)
    return None  # unreachable with at least one weekday
