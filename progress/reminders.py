"""Study reminders and the weekly digest: the writes (preferences, dispatch, claim, send, log).

The database is the source of truth for what is due and what was sent; the broker only carries
work, so losing a message, a worker or the broker loses nothing:

1. `reminders_dispatch` (Celery beat, every few minutes) finds learners whose
   `next_reminder_at` / `next_digest_at` has passed through those indexed columns, in batches
   with a constant number of queries per batch. For each it inserts a `ReminderDelivery` row,
   keyed (learner, kind, local date) by a unique constraint, and moves the learner's next time
   on; after the batch commits, it enqueues the new rows' ids in chunks.
2. The same run sweeps up unfinished work: a row still pending, or claimed but not marked sent,
   after the lease (its message was lost, or its worker died) is enqueued again; one that has
   been tried too often is logged as failed; one more than `REMINDER_STALE_HOURS` late is skipped
   (a reminder for yesterday helps nobody).
3. `deliver` claims a row (pending, or claimed longer ago than the lease) with one conditional
   UPDATE, so of two tasks holding the same id only one sends; it sends, then marks it sent. The
   only window for a duplicate is between the mail server accepting the message and that mark
   (docs/operations.md).
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.models import User

from . import queries, schedule
from .models import ReminderDelivery, ReminderPreference
from .services import ProgressError

logger = logging.getLogger(__name__)

Kind = ReminderDelivery.Kind
State = ReminderDelivery.State
Cadence = ReminderPreference.Cadence
UNSUBSCRIBE_SALT = "progress.reminders.unsubscribe"
MAX_ATTEMPTS = 6


def lease() -> timedelta:
    return timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


# --- preferences --------------------------------------------------------------------------------


def _weekdays(pref: ReminderPreference) -> tuple[int, ...]:
    return schedule.reminder_days(pref.cadence, pref.days)


def _reschedule(pref: ReminderPreference, user: User, now: datetime) -> None:
    """Set the next due instants from the preferences (NULL while that email is off)."""
    zone, at = user.zone, pref.time_of_day
    pref.zone = user.timezone
    slot = schedule.next_slot(after=now, at=at, zone=zone, weekdays=_weekdays(pref))
    pref.next_reminder_at = slot.at if pref.enabled and slot else None
    digest = schedule.next_slot(after=now, at=at, zone=zone, weekdays=(pref.digest_day,))
    pref.next_digest_at = digest.at if pref.digest_enabled and digest else None


def _check_preferences(changes: dict) -> None:
    for field in ("enabled", "skip_if_studied", "digest_enabled"):
        if field in changes and not isinstance(changes[field], bool):
            raise ProgressError(field, "Must be true or false.")
    if "cadence" in changes and changes["cadence"] not in Cadence.values:
        raise ProgressError("cadence", f"Choose one of: {', '.join(Cadence.values)}.")
    if "days" in changes:
        days = changes["days"]
        if not isinstance(days, list | tuple) or not all(
            isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6 for day in days
        ):
            raise ProgressError("days", "Give weekdays as numbers from 0 (Monday) to 6 (Sunday).")
    if "time_of_day" in changes and not isinstance(changes["time_of_day"], time):
        raise ProgressError("time_of_day", "Give a time of day such as 07:30.")
    if "digest_day" in changes:
        day = changes["digest_day"]
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ProgressError("digest_day", "Give a weekday from 0 (Monday) to 6 (Sunday).")


FIELDS = (
    "enabled",
    "cadence",
    "days",
    "time_of_day",
    "skip_if_studied",
    "digest_enabled",
    "digest_day",
)


@transaction.atomic
def reminder_preferences_set(
    *, user: User, now: datetime | None = None, **changes: object
) -> ReminderPreference:
    """Change some of the learner's reminder preferences (the keys of `FIELDS`) and reschedule.
    Reminders stay off until the learner turns them on; "chosen days" needs at least one day."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ProgressError(sorted(unknown)[0], "Not a reminder preference.")
    _check_preferences(changes)
    pref, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    for field, value in changes.items():
        setattr(pref, field, sorted(set(value)) if field == "days" else value)
    if pref.cadence == Cadence.CUSTOM and not pref.days:
        raise ProgressError("days", "Choose at least one day, or another cadence.")
    _reschedule(pref, user, now or timezone.now())
    pref.save()
    return pref


# --- unsubscribe --------------------------------------------------------------------------------


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A signed token for the unsubscribe link: it names the learner and the kind of email and
    works without logging in (and without expiring)."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    kind: str


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """What an unsubscribe token names, or None for a bad or forged token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"], is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        return None
    if data.get("k") not in Kind.values:
        return None
    return Unsubscribe(user, data["k"])


def unsubscribe(*, target: Unsubscribe) -> None:
    """Turn off the kind of email the link came in (reminders or the digest)."""
    field = "enabled" if target.kind == Kind.REMINDER else "digest_enabled"
    reminder_preferences_set(user=target.user, **{field: False})


# --- dispatch -----------------------------------------------------------------------------------

COLUMNS = {Kind.REMINDER: "next_reminder_at", Kind.DIGEST: "next_digest_at"}


@dataclass
class DispatchReport:
    created: int = 0
    skipped_late: int = 0
    requeued: int = 0
    gave_up: int = 0
    enqueued: int = 0
    batches: int = 0


def _next_due(pref: ReminderPreference, kind: str, now: datetime) -> datetime | None:
    user = pref.user
    if kind == Kind.REMINDER:
        weekdays = _weekdays(pref) if pref.enabled else ()
    else:
        weekdays = (pref.digest_day,) if pref.digest_enabled else ()
    slot = schedule.next_slot(after=now, at=pref.time_of_day, zone=user.zone, weekdays=weekdays)
    return slot.at if slot else None


def _dispatch_batch(kind: str, now: datetime, report: DispatchReport) -> list[int] | None:
    """One batch of learners due for `kind`: insert their deliveries, move their next time on.
    Four queries whatever the batch holds. Returns the ids to enqueue (None when none was due)."""
    column = COLUMNS[kind]
    stale = timedelta(hours=settings.REMINDER_STALE_HOURS)
    prefs = list(
        ReminderPreference.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(**{f"{column}__lte": now})
        .select_related("user")
        .order_by(column)[: settings.REMINDER_BATCH_SIZE]
    )
    if not prefs:
        return None
    moved = [pref for pref in prefs if pref.zone != pref.user.timezone]
    if moved:  # the learner changed timezone since: the next times move with it, nothing is sent
        for pref in moved:
            _reschedule(pref, pref.user, now)
        ReminderPreference.objects.bulk_update(
            moved, ["zone", "next_reminder_at", "next_digest_at"]
        )
        prefs = [pref for pref in prefs if pref not in moved]
        if not prefs:
            return []
    rows = []
    for pref in prefs:
        due = getattr(pref, column)
        late = now - due > stale
        rows.append(
            ReminderDelivery(
                user_id=pref.user_id,
                kind=kind,
                local_date=due.astimezone(pref.user.zone).date(),
                due_at=due,
                state=State.SKIPPED if late else State.PENDING,
                reason=f"late: due {due:%Y-%m-%d %H:%M} UTC, dispatched {now:%H:%M}"
                if late
                else "",
                finished_at=now if late else None,
            )
        )
        report.skipped_late += late
        setattr(pref, column, _next_due(pref, kind, now))
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    ReminderPreference.objects.bulk_update(prefs, [column])
    ids = list(
        ReminderDelivery.objects.filter(
            kind=kind,
            state=State.PENDING,
            user_id__in=[pref.user_id for pref in prefs],
            local_date__in={row.local_date for row in rows},
            attempts=0,
            claimed_at=None,
        ).values_list("pk", flat=True)
    )
    report.created += len(ids)
    report.batches += 1
    return ids


def _sweep(now: datetime, report: DispatchReport) -> list[int]:
    """Unfinished deliveries older than the lease: give up on the too-often tried, skip the too
    late, and return the rest to enqueue again. Three queries."""
    cutoff = now - lease()
    unfinished = ReminderDelivery.objects.filter(
        state__in=[State.PENDING, State.CLAIMED], created_at__lte=cutoff
    ).filter(Q(state=State.PENDING) | Q(claimed_at__lte=cutoff))
    report.gave_up += unfinished.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=State.FAILED,
        reason=f"gave up after {MAX_ATTEMPTS} attempts",
        finished_at=now,
    )
    stale = now - timedelta(hours=settings.REMINDER_STALE_HOURS)
    report.skipped_late += unfinished.filter(due_at__lt=stale).update(
        state=State.SKIPPED, reason="late: not delivered in time", finished_at=now
    )
    ids = list(unfinished.values_list("pk", flat=True)[: settings.REMINDER_BATCH_SIZE * 10])
    report.requeued += len(ids)
    return ids


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _enqueue(ids: Sequence[int]) -> int:
    """Publish sends for `ids` in chunks; a broker that is down loses nothing (the rows stay
    pending and the next dispatch's sweep enqueues them again). Returns how many went out."""
    from .tasks import send_reminders  # tasks import this module

    sent = 0
    for chunk in _chunks(ids, settings.REMINDER_SEND_CHUNK):
        try:  # CELERY_TASK_PUBLISH_RETRY_POLICY bounds it (retry=False waits 2 s in kombu)
            send_reminders.apply_async(args=[chunk])
        except Exception:  # the broker is down: the sweep picks these up later
            logger.warning("reminders: could not enqueue %d sends; will retry", len(ids) - sent)
            break
        sent += len(chunk)
    return sent


def reminders_dispatch(*, now: datetime | None = None) -> DispatchReport:
    """Create the deliveries that are due and enqueue them; re-enqueue lost or stale work."""
    now = now or timezone.now()
    report = DispatchReport()
    broker_up = True  # after one failed publish, the rest wait for the next run's sweep
    for kind in COLUMNS:
        while True:
            with transaction.atomic():
                ids = _dispatch_batch(kind, now, report)
            if ids is None:
                break
            if broker_up:
                sent = _enqueue(ids)
                report.enqueued += sent
                broker_up = sent == len(ids)
    with transaction.atomic():
        ids = _sweep(now, report)
    if broker_up:
        report.enqueued += _enqueue(ids)
    return report


# --- delivery -----------------------------------------------------------------------------------


def claim(delivery_id: int, now: datetime) -> bool:
    """Claim a delivery for sending: one conditional UPDATE, so only one claimant wins."""
    return bool(
        ReminderDelivery.objects.filter(pk=delivery_id)
        .filter(Q(state=State.PENDING) | Q(state=State.CLAIMED, claimed_at__lte=now - lease()))
        .update(state=State.CLAIMED, claimed_at=now, attempts=F("attempts") + 1)
    )


def _finish(delivery_id: int, state: str, reason: str = "") -> None:
    ReminderDelivery.objects.filter(pk=delivery_id, state=State.CLAIMED).update(
        state=state, reason=reason[:300], finished_at=timezone.now()
    )


def release(delivery_id: int, error: str) -> None:
    """Give a claimed delivery back after a failed send, so a retry can claim it at once."""
    ReminderDelivery.objects.filter(pk=delivery_id, state=State.CLAIMED).update(
        state=State.PENDING, reason=error[:300]
    )


def fail(delivery_ids: Iterable[int], error: str) -> None:
    """Log deliveries as failed after the last retry."""
    ReminderDelivery.objects.filter(
        pk__in=list(delivery_ids), state__in=[State.PENDING, State.CLAIMED]
    ).update(state=State.FAILED, reason=error[:300], finished_at=timezone.now())


def deliver(delivery_id: int, *, connection: object = None) -> str:
    """Claim, compose and send one delivery, then mark it; returns its final state (or "taken"
    when another task holds it). Mail errors propagate after the claim is released."""
    from .emails import compose  # the email templates need the app registry

    now = timezone.now()
    if not claim(delivery_id, now):
        return "taken"
    delivery = queries.reminder_delivery(delivery_id)
    reason = queries.reminder_skip_reason(delivery=delivery, now=now)
    if reason:
        _finish(delivery_id, State.SKIPPED, reason)
        return State.SKIPPED
    message = compose(delivery=delivery, now=now, connection=connection)
    try:
        message.send()
    except Exception as error:
        release(delivery_id, f"{type(error).__name__}: {error}")
        raise
    _finish(delivery_id, State.SENT)
    return State.SENT


def reminder_send_now(*, user: User, kind: str = Kind.REMINDER) -> ReminderDelivery | None:
    """Make today's reminder (or digest) of `user` due now and dispatch it: the demo's way to
    see one in the console. None when today's was already sent (the idempotency key holds)."""
    now = timezone.now()
    today = user.local_today()
    if ReminderDelivery.objects.filter(user=user, kind=kind, local_date=today).exists():
        return None
    pref, _ = ReminderPreference.objects.get_or_create(user=user)
    setattr(pref, COLUMNS[kind], now)
    pref.save(update_fields=[COLUMNS[kind]])
    reminders_dispatch(now=now)
    return ReminderDelivery.objects.filter(user=user, kind=kind, local_date=today).first()
