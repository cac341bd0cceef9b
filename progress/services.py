"""Writes to the learner's own progress data. Every service is keyword-only and atomic, checks its
input against the rules below and raises a `ProgressError` (with the field it is about) before
writing anything, so a refused write leaves nothing behind.

- Topics can be marked, noted and logged only while they are published and current, in a
  published, current track (the curriculum's `visible_topics()`); unmarking, deleting a note or a
  log entry works whatever the topic became since.
- Marking a topic or a resource, or setting a target, follows the track implicitly.
- Statuses are upserted on (user, topic), so two devices setting one topic at once leave one row.
- `DailyActivity` (minutes per local day) is kept in step by the study-log services, never
  recomputed from the whole log.
- Deleting a row of the learner's data records a tombstone (`portal.services.tombstone_record`),
  so syncing apps learn of it.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from curriculum import queries as curriculum_queries
from curriculum.models import Resource, Topic, Track
from portal.models import User, validate_handle
from portal.services import tombstone_record

from .models import (
    MINUTES_MAX,
    DailyActivity,
    ProgressSettings,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)
from .queries import (
    EARLIEST_DAY,
    TOMBSTONE_FOLLOW,
    TOMBSTONE_NOTE,
    TOMBSTONE_RESOURCE_DONE,
    TOMBSTONE_STUDY_LOG,
)

Status = TopicStatus.Status
NOTE_MAX = TopicNote._meta.get_field("body").max_length
LOG_NOTE_MAX = StudyLogEntry._meta.get_field("note").max_length
WEEKLY_GOAL_MAX = 7 * MINUTES_MAX

TOPIC_UNAVAILABLE = "No published topic with this slug (it may have been archived)."
TRACK_UNAVAILABLE = "No published track with this slug (it may have been archived)."
RESOURCE_UNAVAILABLE = "No current resource with this id."
HANDLE_TAKEN = "That handle is taken; choose another."


# --- domain errors ------------------------------------------------------------------------------


class ProgressError(ValueError):
    """A write the rules refuse. `field` names the input it is about; in a bulk write, `index` is
    the position of the offending item."""

    def __init__(self, field: str, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.index = index

    def as_errors(self) -> dict:
        """The field errors of a problem-details body: {"field": ["message"]}, and for a bulk
        item {"items": {"<index>": {"field": ["message"]}}}."""
        errors = {self.field: [self.message]}
        return errors if self.index is None else {"items": {str(self.index): errors}}


class UnavailableError(ProgressError):
    """The topic, track or resource does not exist, is archived or is not published."""


class NotFoundError(ProgressError):
    """The learner has no such row (it may be another learner's): the API answers 404."""


# --- checks -------------------------------------------------------------------------------------


def _topic_tracks(topic_ids: Iterable[int]) -> dict[int, int]:
    """Topic id -> track id, for those of `topic_ids` a learner may mark (one query)."""
    topics = curriculum_queries.visible_topics().filter(pk__in=list(topic_ids))
    return dict(topics.values_list("pk", "phase__track_id"))


def _require_topic(topic: Topic) -> int:
    """The track id of `topic`, which must be published and current."""
    track_id = _topic_tracks([topic.pk]).get(topic.pk)
    if track_id is None:
        raise UnavailableError("topic", TOPIC_UNAVAILABLE)
    return track_id


def _require_track(track: Track) -> None:
    if not curriculum_queries.visible_tracks().filter(pk=track.pk).exists():
        raise UnavailableError("track", TRACK_UNAVAILABLE)


def _check_status(status: object, *, index: int | None = None) -> None:
    if status not in Status.values:
        choices = ", ".join(Status.values)
        raise ProgressError("status", f"Choose one of: {choices}.", index=index)


def _check_minutes(minutes: object) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ProgressError("minutes", "Enter a whole number of minutes.")
    if not 1 <= minutes <= MINUTES_MAX:
        raise ProgressError("minutes", f"Enter between 1 and {MINUTES_MAX} minutes.")


def _check_day(user: User, day: object) -> None:
    """A day of the learner's own calendar: not after their local today, not before 2000."""
    if not isinstance(day, date) or hasattr(day, "hour"):  # a datetime is not a day
        raise ProgressError("day", "Enter a date (YYYY-MM-DD).")
    if day < EARLIEST_DAY:
        raise ProgressError("day", f"Enter a day from {EARLIEST_DAY.isoformat()} on.")
    if day > user.local_today():
        raise ProgressError("day", f"That day has not come yet in your timezone ({user.timezone}).")


def _check_log_note(note: object) -> None:
    if not isinstance(note, str) or len(note) > LOG_NOTE_MAX:
        raise ProgressError("note", f"Write at most {LOG_NOTE_MAX} characters.")


# --- follows ------------------------------------------------------------------------------------


def _follow_tracks(user: User, track_ids: Iterable[int]) -> None:
    """Follow the tracks the learner does not follow yet (one query; never touches a follow that
    exists, so its target date and `updated_at` stay)."""
    follows = [TrackFollow(user=user, track_id=track_id) for track_id in sorted(set(track_ids))]
    TrackFollow.objects.bulk_create(follows, ignore_conflicts=True)


@transaction.atomic
def track_follow(*, user: User, track: Track) -> TrackFollow:
    """Follow a published track; following it again changes nothing."""
    _require_track(track)
    follow, _ = TrackFollow.objects.get_or_create(user=user, track=track)
    return follow


@transaction.atomic
def track_unfollow(*, user: User, track: Track) -> bool:
    """Stop following `track` (its target date goes with the follow; statuses stay). Returns
    whether the learner followed it."""
    follow = TrackFollow.objects.select_for_update().filter(user=user, track=track).first()
    if follow is None:
        return False
    tombstone_record(user=user, kind=TOMBSTONE_FOLLOW, object_id=follow.pk)
    follow.delete()
    return True


@transaction.atomic
def target_set(*, user: User, track: Track, target_date: date | None) -> TrackFollow:
    """Set (or clear, with None) the day the learner means to finish `track`, following it."""
    _require_track(track)
    if target_date is not None and target_date <= user.local_today():
        raise ProgressError("target_date", "Choose a day after today.")
    follow, _ = TrackFollow.objects.select_for_update().get_or_create(user=user, track=track)
    if follow.target_date != target_date:
        follow.target_date = target_date
        follow.save(update_fields=["target_date", "updated_at"])
    return follow


# --- statuses -----------------------------------------------------------------------------------


def _statuses_upsert(
    user: User, items: Sequence[tuple[Topic, str]], *, bulk: bool
) -> list[TopicStatus]:
    """Check every item, then upsert them all in one statement (the last item wins for a topic
    named twice) and follow their tracks. A fixed number of queries whatever the item count."""
    wanted: dict[int, str] = {}
    for index, (topic, status) in enumerate(items):
        _check_status(status, index=index if bulk else None)
        wanted[topic.pk] = status
    tracks = _topic_tracks(wanted)
    for index, (topic, _) in enumerate(items):
        if topic.pk not in tracks:
            raise UnavailableError("topic", TOPIC_UNAVAILABLE, index=index if bulk else None)
    # Rows are locked and written in topic order, so two batches that overlap cannot deadlock.
    locked = TopicStatus.objects.select_for_update().filter(user=user, topic__in=list(wanted))
    existing = {row.topic_id: row for row in locked.order_by("topic_id")}
    today = user.local_today()
    changed = [
        TopicStatus(
            user=user,
            topic_id=topic_id,
            status=status,
            done_on=_done_on(existing.get(topic_id), status, today),
        )
        for topic_id, status in sorted(wanted.items())
        if topic_id not in existing or existing[topic_id].status != status
    ]
    if changed:
        # ON CONFLICT DO UPDATE: a row another device inserted meanwhile is updated, not doubled.
        TopicStatus.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["user", "topic"],
            update_fields=["status", "done_on", "updated_at"],
        )
    _follow_tracks(user, tracks.values())
    saved = {
        row.topic_id: row for row in TopicStatus.objects.filter(user=user, topic__in=list(wanted))
    }
    return [saved[topic_id] for topic_id in wanted]


def _done_on(row: TopicStatus | None, status: str, today: date) -> date | None:
    """The local day a topic became done: kept while it stays done, cleared otherwise."""
    if status != Status.DONE:
        return None
    if row is not None and row.status == Status.DONE:
        return row.done_on
    return today


@transaction.atomic
def status_set(*, user: User, topic: Topic, status: str) -> TopicStatus:
    """Mark `topic` not started, in progress, done or skipped (following its track). Marking it
    done records the learner's local today as `done_on`; marking it done again keeps that day."""
    return _statuses_upsert(user, [(topic, status)], bulk=False)[0]


@transaction.atomic
def statuses_set(*, user: User, items: Sequence[tuple[Topic, str]]) -> list[TopicStatus]:
    """Set many statuses at once, all or none: any bad item refuses the whole batch (the error's
    `index` says which). Returns the rows in the order of their first mention."""
    return _statuses_upsert(user, items, bulk=True)


# --- resources ----------------------------------------------------------------------------------


@transaction.atomic
def resource_done_set(*, user: User, resource: Resource, done: bool) -> ResourceDone | None:
    """Mark a current resource done (following its topic's track) or not done any more."""
    if not done:
        row = ResourceDone.objects.select_for_update().filter(user=user, resource=resource).first()
        if row is not None:
            tombstone_record(user=user, kind=TOMBSTONE_RESOURCE_DONE, object_id=row.pk)
            row.delete()
        return None
    found = list(
        curriculum_queries.visible_resources()
        .filter(pk=resource.pk)
        .values_list("topic__phase__track_id", flat=True)
    )
    if not found:
        raise UnavailableError("resource", RESOURCE_UNAVAILABLE)
    row, _ = ResourceDone.objects.get_or_create(user=user, resource=resource)
    track_id = found[0]
    if track_id is not None:  # a skill's resource belongs to no track
        _follow_tracks(user, [track_id])
    return row


# --- notes --------------------------------------------------------------------------------------


@transaction.atomic
def note_save(*, user: User, topic: Topic, body: str) -> TopicNote | None:
    """Write the learner's private Markdown note on `topic`; an empty body deletes it."""
    if not body.strip():
        note_delete(user=user, topic=topic)
        return None
    if len(body) > NOTE_MAX:
        raise ProgressError("body", f"Write at most {NOTE_MAX} characters.")
    _require_topic(topic)
    note, _ = TopicNote.objects.update_or_create(user=user, topic=topic, defaults={"body": body})
    return note


@transaction.atomic
def note_delete(*, user: User, topic: Topic) -> bool:
    """Delete the learner's note on `topic`; returns whether there was one."""
    note = TopicNote.objects.select_for_update().filter(user=user, topic=topic).first()
    if note is None:
        return False
    tombstone_record(user=user, kind=TOMBSTONE_NOTE, object_id=note.pk)
    note.delete()
    return True


# --- study log ----------------------------------------------------------------------------------


def _activity_add(user: User, day: date, minutes: int) -> None:
    """Add `minutes` to the learner's day (creating the row)."""
    rows = DailyActivity.objects.filter(user=user, day=day)
    if rows.update(minutes=F("minutes") + minutes):
        return
    try:
        with transaction.atomic():
            DailyActivity.objects.create(user=user, day=day, minutes=minutes)
    except IntegrityError:  # another request created the day's row meanwhile
        rows.update(minutes=F("minutes") + minutes)


def _activity_subtract(user: User, day: date, minutes: int) -> None:
    """Take `minutes` off the learner's day, deleting the row when nothing is left."""
    rows = DailyActivity.objects.filter(user=user, day=day)
    rows.update(minutes=Greatest(F("minutes") - minutes, Value(0)))
    rows.filter(minutes=0).delete()


def _entry_for_update(user: User, entry_id: int) -> StudyLogEntry:
    entry = StudyLogEntry.objects.select_for_update().filter(user=user, pk=entry_id).first()
    if entry is None:
        raise NotFoundError("id", "You have no study-log entry with this id.")
    return entry


@transaction.atomic
def study_log_add(
    *, user: User, day: date, minutes: int, topic: Topic | None = None, note: str = ""
) -> StudyLogEntry:
    """Log `minutes` studied on `day` (the learner's local date), optionally on a topic."""
    _check_day(user, day)
    _check_minutes(minutes)
    _check_log_note(note)
    if topic is not None:
        _require_topic(topic)
    entry = StudyLogEntry.objects.create(
        user=user, day=day, minutes=minutes, topic=topic, note=note
    )
    _activity_add(user, day, minutes)
    return entry


LOG_FIELDS = frozenset({"day", "minutes", "topic", "note"})


@transaction.atomic
def study_log_update(*, user: User, entry_id: int, **changes: object) -> StudyLogEntry:
    """Change any of `day`, `minutes`, `topic` (None for none) and `note` of the learner's entry,
    moving its minutes between days. A topic archived since can stay; a new one must be
    published."""
    unknown = set(changes) - LOG_FIELDS
    if unknown:
        raise TypeError(f"study_log_update() got unknown fields: {sorted(unknown)}")
    entry = _entry_for_update(user, entry_id)
    if "day" in changes:
        _check_day(user, changes["day"])
    if "minutes" in changes:
        _check_minutes(changes["minutes"])
    if "note" in changes:
        _check_log_note(changes["note"])
    topic = changes.get("topic")
    if topic is not None and topic.pk != entry.topic_id:
        _require_topic(topic)
    old_day, old_minutes = entry.day, entry.minutes
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*changes, "updated_at"])
    if (entry.day, entry.minutes) != (old_day, old_minutes):
        _activity_subtract(user, old_day, old_minutes)
        _activity_add(user, entry.day, entry.minutes)
    return entry


@transaction.atomic
def study_log_delete(*, user: User, entry_id: int) -> None:
    """Delete the learner's entry and take its minutes off its day."""
    entry = _entry_for_update(user, entry_id)
    tombstone_record(user=user, kind=TOMBSTONE_STUDY_LOG, object_id=entry.pk)
    entry.delete()
    _activity_subtract(user, entry.day, entry.minutes)


# --- settings -----------------------------------------------------------------------------------


@transaction.atomic
def weekly_goal_set(*, user: User, minutes: int) -> ProgressSettings:
    """The minutes the learner means to study each week (0: no goal)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ProgressError("weekly_goal_minutes", "Enter a whole number of minutes.")
    if not 0 <= minutes <= WEEKLY_GOAL_MAX:
        raise ProgressError(
            "weekly_goal_minutes", f"Enter between 0 and {WEEKLY_GOAL_MAX} minutes."
        )
    settings, _ = ProgressSettings.objects.update_or_create(
        user=user, defaults={"weekly_goal_minutes": minutes}
    )
    return settings


def _handle_check(user: User, handle: str) -> None:
    try:
        validate_handle(handle)
    except ValidationError as error:
        raise ProgressError("handle", " ".join(error.messages)) from error
    if User.objects.filter(handle=handle).exclude(pk=user.pk).exists():
        raise ProgressError("handle", HANDLE_TAKEN)


@transaction.atomic
def public_profile_set(*, user: User, enabled: bool, handle: str | None) -> ProgressSettings:
    """Turn the public progress page at /u/<handle>/ on or off. `handle` None keeps the current
    handle; a string sets it ("" clears it, which needs the page off). The page needs a handle.

    The handle is a column of the portal's User; portal.services has no service that sets only
    the handle (profile_update also confirms the timezone), so it is written here, checked by
    the portal's own validator."""
    new_handle = user.handle if handle is None else (handle.strip() or None)
    if enabled and not new_handle:
        raise ProgressError("handle", "Choose a handle for your public page.")
    if new_handle != user.handle:
        if new_handle:
            _handle_check(user, new_handle)
        try:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(handle=new_handle)
        except IntegrityError as error:  # taken by another learner a moment ago
            raise ProgressError("handle", HANDLE_TAKEN) from error
        user.handle = new_handle
    settings, _ = ProgressSettings.objects.update_or_create(
        user=user, defaults={"public_profile": enabled}
    )
    return settings
