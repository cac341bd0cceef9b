"""Reads of the learner's progress, shared by the pages, the API and the data export. Each runs a
fixed number of queries whatever the size of the learner's history, and none reads the whole of
it for a page:

- Progress (per track, per phase) and "next up" read the learner's statuses of the topics in
  question: at most one row per topic, so bounded by the curriculum, not by time.
- Streak, this week, the heatmap and pace read `DailyActivity` (minutes per local day, kept
  incrementally by the study-log services) or the study log of the last four weeks, through the
  (user, day) indexes; the streak reads back only as far as the streak goes.
- "Today" is always the learner's local day, passed in by the caller (`user.local_today()`).

Progress counts only visible topics (published and current, in a published track), like the
pages: hours of done topics against hours of topics not skipped.
"""

import csv
import io
import json
import math
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from curriculum import queries as curriculum_queries
from curriculum.models import Phase, Resource, Topic, Track
from portal.models import User
from quizzes import analytics as quizzes_analytics
from quizzes import exports as quizzes_exports
from quizzes import queries as quizzes_queries

from .models import (
    DailyActivity,
    ProgressSettings,
    ReminderDelivery,
    ReminderPreference,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)

Status = TopicStatus.Status
EARLIEST_DAY = date(2000, 1, 1)  # the first day a study-log entry can have
HEATMAP_DAYS = 365
OVER_TIME_WEEKS = 12
PACE_DAYS = 28  # pace is measured over the last four weeks
ON_TRACK_DAYS = 7  # a projection within a week before the target is "on track", not "ahead"

# Tombstone kinds (`portal.models.Tombstone`): what a deleted row was; `object_id` is its id.
TOMBSTONE_FOLLOW = "follow"
TOMBSTONE_RESOURCE_DONE = "resource_done"
TOMBSTONE_NOTE = "note"
TOMBSTONE_STUDY_LOG = "study_log"

ZERO = Decimal(0)
TENTH = Decimal("0.1")


# --- progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Done against planned: `total_*` count the topics not skipped; `percent` is 0-100, rounded
    down so it says 100 only when everything planned is done (a track whose every topic is
    skipped is complete; one with no topics is at 0)."""

    done_hours: Decimal
    total_hours: Decimal
    percent: int
    done_topics: int
    total_topics: int
    skipped_topics: int = 0

    @property
    def remaining_hours(self) -> Decimal:
        return self.total_hours - self.done_hours

    @property
    def complete(self) -> bool:
        """Everything planned is done (and there was something to do or skip)."""
        return self.percent == 100


def _percent(done_hours: Decimal, total_hours: Decimal, *, all_skipped: bool = False) -> int:
    if total_hours <= 0:
        return 100 if all_skipped else 0
    return min(100, math.floor(done_hours * 100 / total_hours))


@dataclass
class _Tally:
    done_hours: Decimal = ZERO
    total_hours: Decimal = ZERO
    done_topics: int = 0
    total_topics: int = 0
    skipped_topics: int = 0

    def add(self, row: dict) -> None:
        self.done_hours += row["done_hours"]
        self.total_hours += row["total_hours"]
        self.done_topics += row["done_topics"]
        self.total_topics += row["total_topics"]
        self.skipped_topics += row["skipped_topics"]

    def progress(self) -> Progress:
        all_skipped = self.total_topics == 0 and self.skipped_topics > 0
        return Progress(
            done_hours=self.done_hours,
            total_hours=self.total_hours,
            percent=_percent(self.done_hours, self.total_hours, all_skipped=all_skipped),
            done_topics=self.done_topics,
            total_topics=self.total_topics,
            skipped_topics=self.skipped_topics,
        )


def _status_topic_ids(user: User, status: str) -> QuerySet:
    return TopicStatus.objects.filter(user=user, status=status).values("topic_id")


def _my_status(user: User) -> Coalesce:
    """The learner's status of the outer query's topic ("not_started" when unmarked): one probe
    of the (user, topic) unique index per topic, so its cost follows the topics asked about,
    not how many the learner has marked."""
    mine = TopicStatus.objects.filter(user=user, topic=OuterRef("pk")).values("status")[:1]
    return Coalesce(Subquery(mine), Value(Status.NOT_STARTED))


def _tallies(user: User, topics: QuerySet[Topic], *groups: str) -> list[dict]:
    """Per combination of `groups` (columns of Topic), the learner's done and planned hours and
    topics, in one query."""
    done = Q(my_status=Status.DONE)
    skipped = Q(my_status=Status.SKIPPED)
    hours = DecimalField(max_digits=12, decimal_places=1)
    return list(
        topics.order_by()
        .annotate(my_status=_my_status(user))
        .values(*groups)
        .annotate(
            done_hours=Coalesce(Sum("hours", filter=done), Value(ZERO), output_field=hours),
            total_hours=Coalesce(Sum("hours", filter=~skipped), Value(ZERO), output_field=hours),
            done_topics=Count("pk", filter=done),
            total_topics=Count("pk", filter=~skipped),
            skipped_topics=Count("pk", filter=skipped),
        )
    )


def _ids(objects: Iterable[Any]) -> list[int]:
    return [item if isinstance(item, int) else item.pk for item in objects]


def track_progress(*, user: User, tracks: Iterable[Track | int]) -> dict[int, Progress]:
    """Progress of the learner on each of `tracks` (objects or ids), in one query."""
    track_ids = _ids(tracks)
    tallies = {track_id: _Tally() for track_id in track_ids}
    topics = curriculum_queries.visible_topics().filter(phase__track__in=track_ids)
    for row in _tallies(user, topics, "phase__track_id"):
        tallies[row["phase__track_id"]].add(row)
    return {track_id: tally.progress() for track_id, tally in tallies.items()}


def phase_progress(*, user: User, phases: Iterable[Phase | int]) -> dict[int, Progress]:
    """Progress on each of `phases` (objects or ids), a phase counting its sub-phases' topics
    too, in one query."""
    phase_ids = _ids(phases)
    tallies = {phase_id: _Tally() for phase_id in phase_ids}
    topics = curriculum_queries.visible_topics().filter(
        Q(phase__in=phase_ids) | Q(phase__parent__in=phase_ids)
    )
    for row in _tallies(user, topics, "phase_id", "phase__parent_id"):
        for phase_id in (row["phase_id"], row["phase__parent_id"]):
            if phase_id in tallies:
                tallies[phase_id].add(row)
    return {phase_id: tally.progress() for phase_id, tally in tallies.items()}


def statuses_for_topics(*, user: User, topic_ids: Iterable[int]) -> dict[int, str]:
    """Topic id -> the learner's status, for those of `topic_ids` they have marked (one query;
    none for an anonymous visitor). A topic missing from the answer is not started."""
    topic_ids = list(topic_ids)
    if not getattr(user, "is_authenticated", False) or not topic_ids:
        return {}
    rows = TopicStatus.objects.filter(user=user, topic__in=topic_ids)
    return dict(rows.values_list("topic_id", "status"))


# What is shown of a next-up topic (pages and API: slug, title, hours, phase title) and what
# orders it in its track.
NEXT_UP_FIELDS = (
    "slug", "title", "hours", "position", "phase__title", "phase__track", "phase__position",
    "phase__parent__position",
)  # fmt: skip


def next_ups(*, user: User, tracks: Iterable[Track | int]) -> dict[int, Topic]:
    """Track id -> the first topic of the track, in track order, that the learner has neither
    done nor skipped (tracks with nothing left are missing). One query over the tracks'
    unfinished topics."""
    track_ids = _ids(tracks)
    finished = TopicStatus.objects.filter(
        user=user, topic=OuterRef("pk"), status__in=[Status.DONE, Status.SKIPPED]
    )
    topics = (
        curriculum_queries.visible_topics()
        .filter(phase__track__in=track_ids)
        .exclude(Exists(finished))  # an index probe per topic, not a scan of all the statuses
        .select_related("phase__parent")
        .only(*NEXT_UP_FIELDS)  # every unfinished topic of the tracks is read: a few columns
    )
    first: dict[int, Topic] = {}
    for topic in sorted(topics, key=curriculum_queries.track_order_key):
        first.setdefault(topic.phase.track_id, topic)
    return first


def next_up(*, user: User, track: Track) -> Topic | None:
    """The first topic in track order (phase, sub-phase, topic positions) the learner has neither
    done nor skipped, with its phase and track loaded; None when nothing is left."""
    return next_ups(user=user, tracks=[track]).get(track.pk)


# --- study time ---------------------------------------------------------------------------------


def streak(*, user: User, today: date) -> int:
    """Consecutive days with study time ending today, or ending yesterday while nothing is
    logged today yet (so the streak does not read 0 all morning). One query, read back only as
    far as the streak goes."""
    days = (
        DailyActivity.objects.filter(user=user, day__lte=today, minutes__gt=0)
        .order_by("-day")
        .values_list("day", flat=True)
        .iterator(chunk_size=64)
    )
    count = 0
    expected = today
    try:
        for day in days:
            if count == 0 and day == today - timedelta(days=1):
                expected = day  # nothing yet today: count from yesterday
            if day != expected:
                break
            count += 1
            expected -= timedelta(days=1)
    finally:
        days.close()
    return count


def week_start(today: date) -> date:
    """The Monday of the week `today` is in."""
    return today - timedelta(days=today.weekday())


def week_minutes(*, user: User, today: date) -> int:
    """Minutes studied this week (Monday to `today`, the learner's local days), in one query."""
    rows = DailyActivity.objects.filter(user=user, day__range=(week_start(today), today))
    return rows.aggregate(total=Coalesce(Sum("minutes"), 0))["total"]


def heatmap(*, user: User, today: date) -> list[tuple[date, int]]:
    """(day, minutes) for each of the last 365 days, oldest first, in one query."""
    start = today - timedelta(days=HEATMAP_DAYS - 1)
    rows = DailyActivity.objects.filter(user=user, day__range=(start, today))
    minutes = dict(rows.values_list("day", "minutes"))
    return [
        (day, minutes.get(day, 0))
        for day in (start + timedelta(days=offset) for offset in range(HEATMAP_DAYS))
    ]


def _done_days(user: User, track_ids: Sequence[int]) -> dict[int, list[tuple[date, Decimal]]]:
    """Track id -> (done_on, hours) of the learner's done visible topics (one query)."""
    mine = TopicStatus.objects.filter(user=user, topic=OuterRef("pk"), status=Status.DONE)
    rows = (
        curriculum_queries.visible_topics()
        .filter(phase__track__in=track_ids)
        .annotate(done_on=Subquery(mine.values("done_on")[:1]))  # an index probe per topic
        .filter(done_on__isnull=False)
    )
    found: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for track_id, done_on, hours in rows.values_list("phase__track_id", "done_on", "hours"):
        found[track_id].append((done_on, hours))
    return found


def _over_time(
    done: list[tuple[date, Decimal]], total_hours: Decimal, today: date, weeks: int
) -> list[tuple[date, int]]:
    points = [today - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    return [
        (point, _percent(sum((h for day, h in done if day <= point), ZERO), total_hours))
        for point in points
    ]


def progress_over_time(
    *, user: User, track: Track, today: date, weeks: int = OVER_TIME_WEEKS
) -> list[tuple[date, int]]:
    """(day, percent) at `today` and each of the `weeks` - 1 weeks before it, oldest first: the
    share of today's planned hours whose topics were done by that day (`done_on`). Two
    queries."""
    total = track_progress(user=user, tracks=[track])[track.pk].total_hours
    return _over_time(_done_days(user, [track.pk]).get(track.pk, []), total, today, weeks)


# --- pace and targets ---------------------------------------------------------------------------

AHEAD, ON_TRACK, BEHIND = "ahead", "on_track", "behind"
NO_TARGET, NO_PACE, FINISHED = "no_target", "no_pace", "finished"


@dataclass(frozen=True)
class Pace:
    """Recent pace on a track and where it leads.

    `hours_per_week` is the time logged over the last four weeks divided by four. `basis` says
    which time: "track", the entries that name a topic of this track (the honest measure), or
    "all", every entry, when none of the learner's entries in those weeks names a topic. `state`:
    "finished" (nothing left), "no_target", "no_pace" (nothing logged lately), "behind" (the
    projection, or today, is after the target), "ahead" (more than a week early) or "on_track".
    `needed_hours_per_week` makes the target from today (None without a future target).
    """

    hours_per_week: Decimal
    basis: str
    remaining_hours: Decimal
    projected_finish: date | None
    target_date: date | None
    state: str
    needed_hours_per_week: Decimal | None


def _pace_state(
    remaining: Decimal, projected: date | None, target: date | None, today: date
) -> str:
    if remaining <= 0:
        return FINISHED
    if target is None:
        return NO_TARGET
    if target < today:
        return BEHIND
    if projected is None:
        return NO_PACE
    if projected > target:
        return BEHIND
    return AHEAD if (target - projected).days > ON_TRACK_DAYS else ON_TRACK


def pace_of(
    *, remaining: Decimal, minutes: int, basis: str, target: date | None, today: date
) -> Pace:
    """The pace from `minutes` logged over the last four weeks and `remaining` hours (pure)."""
    per_week = Decimal(minutes) / 60 / (PACE_DAYS // 7)
    projected = None
    if remaining <= 0:
        projected = today
    elif per_week > 0:
        projected = today + timedelta(days=math.ceil(remaining / per_week * 7))
    needed = None
    if target is not None and target > today:
        weeks_left = Decimal((target - today).days) / 7
        needed = max(remaining, ZERO) / weeks_left
    return Pace(
        hours_per_week=per_week.quantize(TENTH, ROUND_HALF_UP),
        basis=basis,
        remaining_hours=max(remaining, ZERO),
        projected_finish=projected,
        target_date=target,
        state=_pace_state(remaining, projected, target, today),
        needed_hours_per_week=None if needed is None else needed.quantize(TENTH, ROUND_CEILING),
    )


def _logged_minutes(user: User, today: date) -> dict[int | None, int]:
    """Track id (None for entries without a topic) -> minutes logged in the last four weeks."""
    start = today - timedelta(days=PACE_DAYS - 1)
    rows = (
        StudyLogEntry.objects.filter(user=user, day__range=(start, today))
        .order_by()
        .values(track=F("topic__phase__track_id"))
        .annotate(minutes=Sum("minutes"))
    )
    totals: dict[int | None, int] = defaultdict(int)
    for row in rows:
        totals[row["track"]] += row["minutes"]
    return totals


def _pace_minutes(logged: dict[int | None, int], track_id: int) -> tuple[int, str]:
    if any(key is not None for key in logged):
        return logged.get(track_id, 0), "track"
    return logged.get(None, 0), "all"


def _follow_pace(
    follow: TrackFollow, progress: Progress, logged: dict[int | None, int], today: date
) -> Pace:
    """The pace on a followed track towards its target date, from `_logged_minutes`."""
    minutes, basis = _pace_minutes(logged, follow.track_id)
    return pace_of(
        remaining=progress.remaining_hours,
        minutes=minutes,
        basis=basis,
        target=follow.target_date,
        today=today,
    )


def pace(*, user: User, track: Track, today: date) -> Pace:
    """Recent pace on `track` against the learner's target date for it (three queries)."""
    remaining = track_progress(user=user, tracks=[track])[track.pk].remaining_hours
    minutes, basis = _pace_minutes(_logged_minutes(user, today), track.pk)
    target = (
        TrackFollow.objects.filter(user=user, track=track)
        .values_list("target_date", flat=True)
        .first()
    )
    return pace_of(remaining=remaining, minutes=minutes, basis=basis, target=target, today=today)


# --- settings -----------------------------------------------------------------------------------


def progress_settings(*, user: User) -> ProgressSettings:
    """The learner's settings, or the defaults (unsaved) before they change any."""
    found = ProgressSettings.objects.filter(user=user).first()
    return found or ProgressSettings(user=user)


# --- dashboard ----------------------------------------------------------------------------------


@dataclass
class TrackSummary:
    """A followed track on the dashboard."""

    follow: TrackFollow
    track: Track
    progress: Progress
    next_up: Topic | None
    pace: Pace
    over_time: list[tuple[date, int]]


@dataclass
class Dashboard:
    today: date
    tracks: list[TrackSummary]
    streak: int
    week_minutes: int
    weekly_goal_minutes: int
    heatmap: list[tuple[date, int]] = field(default_factory=list)

    @property
    def week_percent(self) -> int:
        """This week's minutes against the weekly goal, 0-100 (100 once the goal is met)."""
        if self.weekly_goal_minutes <= 0:
            return 0
        return min(100, self.week_minutes * 100 // self.weekly_goal_minutes)


def followed(*, user: User) -> list[TrackFollow]:
    """The learner's follows of visible tracks, in track order, with their track (one query)."""
    return list(
        TrackFollow.objects.owned_by(user)
        .filter(track__in=curriculum_queries.visible_tracks())
        .select_related("track")
        .defer("track__body", "track__body_html")
        .order_by("track__position", "track__title")
    )


def track_summaries(
    *, user: User, follows: Sequence[TrackFollow], today: date
) -> list[TrackSummary]:
    """Progress, next up, pace and progress over time for each follow, in four queries."""
    track_ids = [follow.track_id for follow in follows]
    progress = track_progress(user=user, tracks=track_ids)
    upcoming = next_ups(user=user, tracks=track_ids)
    done = _done_days(user, track_ids)
    logged = _logged_minutes(user, today)
    return [
        TrackSummary(
            follow=follow,
            track=follow.track,
            progress=progress[follow.track_id],
            next_up=upcoming.get(follow.track_id),
            pace=_follow_pace(follow, progress[follow.track_id], logged, today),
            over_time=_over_time(
                done.get(follow.track_id, []),
                progress[follow.track_id].total_hours,
                today,
                OVER_TIME_WEEKS,
            ),
        )
        for follow in follows
    ]


def dashboard(*, user: User, today: date) -> Dashboard:
    """Everything the dashboard shows, for `today` (the learner's local day), in eight queries
    whatever the learner's history."""
    days = heatmap(user=user, today=today)
    monday = week_start(today)
    return Dashboard(
        today=today,
        tracks=track_summaries(user=user, follows=followed(user=user), today=today),
        streak=streak(user=user, today=today),
        week_minutes=sum(minutes for day, minutes in days if day >= monday),
        weekly_goal_minutes=progress_settings(user=user).weekly_goal_minutes,
        heatmap=days,
    )


def follows_with_progress(*, user: User, follows: Sequence[TrackFollow]) -> Sequence[TrackFollow]:
    """`follows` with `progress` (Progress) and `next_up` (Topic or None) set on each, in two
    queries (the API's list of followed tracks)."""
    track_ids = [follow.track_id for follow in follows]
    progress = track_progress(user=user, tracks=track_ids)
    upcoming = next_ups(user=user, tracks=track_ids)
    for follow in follows:
        follow.progress = progress[follow.track_id]
        follow.next_up = upcoming.get(follow.track_id)
    return follows


class TrackTarget(NamedTuple):
    follow: TrackFollow
    pace: Pace


def targets(*, user: User, today: date) -> list[TrackTarget]:
    """Each followed visible track with its target date and pace, in three queries."""
    follows = followed(user=user)
    progress = track_progress(user=user, tracks=[follow.track_id for follow in follows])
    logged = _logged_minutes(user, today)
    return [
        TrackTarget(follow, _follow_pace(follow, progress[follow.track_id], logged, today))
        for follow in follows
    ]


# --- the public page ----------------------------------------------------------------------------


class TrackProgress(NamedTuple):
    track: Track
    progress: Progress


class PublicProfile(NamedTuple):
    """What /u/<handle>/ may show: the user (for the display name and handle only) and their
    followed tracks with progress. Never email, notes or study log."""

    user: User
    tracks: list[TrackProgress]


def public_profile(*, handle: str) -> PublicProfile | None:
    """The public page of the learner with `handle`, only while they have turned it on (three
    queries)."""
    user = User.objects.filter(
        handle=handle, is_active=True, progress_settings__public_profile=True
    ).first()
    if user is None:
        return None
    follows = followed(user=user)
    progress = track_progress(user=user, tracks=[follow.track_id for follow in follows])
    tracks = [TrackProgress(follow.track, progress[follow.track_id]) for follow in follows]
    return PublicProfile(user, tracks)


# --- the API's lists (incremental sync) ---------------------------------------------------------


_OWNED = ("id", "user_id", "created_at", "updated_at")


def _since(rows: QuerySet, updated_since: datetime | None) -> QuerySet:
    return rows if updated_since is None else rows.filter(updated_at__gte=updated_since)


def follow_list(*, user: User, updated_since: datetime | None = None) -> QuerySet[TrackFollow]:
    """The learner's follows (any track state: a sync mirrors the rows), oldest first."""
    rows = TrackFollow.objects.owned_by(user).select_related("track")
    return _since(rows, updated_since).defer("track__body", "track__body_html").order_by("pk")


def status_list(
    *, user: User, updated_since: datetime | None = None, track: Track | None = None
) -> QuerySet[TopicStatus]:
    """The learner's statuses with their topic's slug, optionally of one track's topics."""
    rows = (
        TopicStatus.objects.owned_by(user)
        .select_related("topic")
        .only("topic__slug", *_OWNED, "status", "done_on", "topic")
    )
    if track is not None:
        rows = rows.filter(topic__phase__track=track)
    return _since(rows, updated_since).order_by("pk")


def resource_done_list(
    *, user: User, updated_since: datetime | None = None
) -> QuerySet[ResourceDone]:
    return _since(ResourceDone.objects.owned_by(user), updated_since).order_by("pk")


def resources_done(*, user: User, resource_ids: Iterable[int]) -> set[int]:
    """Which of `resource_ids` the learner marked done, in one query."""
    rows = ResourceDone.objects.owned_by(user).filter(resource__in=list(resource_ids))
    return set(rows.values_list("resource_id", flat=True))


def resource_done_for(*, user: User, resource_id: int) -> ResourceDone | None:
    """The learner's mark on a resource, with the resource. (Looked up through the resource's own
    id field, whose lookup answers nothing, not an error, for an id too large to be one.)"""
    rows = ResourceDone.objects.owned_by(user).select_related("resource")
    return rows.filter(resource__id=resource_id).first()


def note_list(*, user: User, updated_since: datetime | None = None) -> QuerySet[TopicNote]:
    rows = (
        TopicNote.objects.owned_by(user)
        .select_related("topic")
        .only("topic__slug", *_OWNED, "topic", "body", "body_html")
    )
    return _since(rows, updated_since).order_by("pk")


def note_for(*, user: User, topic: Topic) -> TopicNote | None:
    return TopicNote.objects.owned_by(user).filter(topic=topic).first()


def study_log_list(*, user: User, updated_since: datetime | None = None) -> QuerySet[StudyLogEntry]:
    """The learner's study log, newest day first, with each entry's topic slug and its title
    (`topic_title`, empty without a topic) for the page."""
    rows = (
        StudyLogEntry.objects.owned_by(user)
        .select_related("topic")
        .only("topic__slug", *_OWNED, "day", "minutes", "topic", "note")
        .annotate(topic_title=Coalesce(F("topic__title"), Value("")))
    )
    return _since(rows, updated_since).order_by("-day", "-created_at", "-pk")


def study_log_entry(*, user: User, entry_id: int) -> StudyLogEntry | None:
    return study_log_list(user=user).filter(pk=entry_id).first()


def track_any_state(slug: str) -> Track | None:
    """A track by slug whatever its state (a learner may unfollow an archived track)."""
    return Track.objects.filter(slug=slug).defer("body", "body_html").first()


def visible_topic(*, slug: str) -> Topic | None:
    """A visible topic by slug with its phase and track, without its body (one query)."""
    return (
        curriculum_queries.visible_topics()
        .filter(slug=slug)
        .select_related("phase__track")
        .defer(*curriculum_queries.TOPIC_BODY)
        .first()
    )


def visible_topic_resource(*, resource_id: int) -> Resource | None:
    """A visible resource of a topic (a skill's resource is never marked from a page)."""
    rows = curriculum_queries.visible_resources().filter(topic__isnull=False)
    return rows.filter(pk=resource_id).first()


# What a study-log form shows of a topic (its label and value) and needs to order it.
LOG_TOPIC_FIELDS = (
    "slug", "title", "position", "phase__position", "phase__track__title",
    "phase__parent__position",
)  # fmt: skip


def log_topics(*, tracks: Sequence[Track], also: Topic | None = None) -> list[Topic]:
    """The topics a study-log entry can name: those of `tracks` in track order (one query), plus
    `also` (the entry's own topic) when it is no longer among them."""
    topics = (
        curriculum_queries.visible_topics()
        .filter(phase__track__in=[track.pk for track in tracks])
        .select_related("phase__track", "phase__parent")
        .only(*LOG_TOPIC_FIELDS)  # a form's choices: hundreds of rows, a few columns each
    )
    order = {track.pk: index for index, track in enumerate(tracks)}
    ordered = sorted(
        topics,
        key=lambda topic: (order[topic.phase.track_id], curriculum_queries.track_order_key(topic)),
    )
    if also is not None and all(topic.pk != also.pk for topic in ordered):
        ordered.append(also)
    return ordered


def topics_by_slug(slugs: Iterable[str]) -> dict[str, Topic]:
    """Topics by slug, in any state (the services decide which may be used), in one query."""
    return {topic.slug: topic for topic in Topic.objects.filter(slug__in=set(slugs)).only("slug")}


# --- data export --------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


REMINDER_PREFERENCE_COLUMNS = [
    "enabled", "cadence", "days", "time_of_day", "skip_if_studied", "digest_enabled",
    "digest_day", "next_reminder_at", "next_digest_at",
]  # fmt: skip
REMINDER_LOG_COLUMNS = ["kind", "local_date", "due_at", "state", "reason", "finished_at"]


def _export_sections(user: User) -> dict[str, list[dict]]:
    """Every row the learner owns, kind by kind, as flat records (one query per kind)."""
    follows = TrackFollow.objects.owned_by(user).order_by("pk")
    statuses = TopicStatus.objects.owned_by(user).order_by("pk")
    resources = ResourceDone.objects.owned_by(user).order_by("pk")
    notes = TopicNote.objects.owned_by(user).order_by("pk")
    log = StudyLogEntry.objects.owned_by(user).order_by("day", "pk")
    activity = DailyActivity.objects.filter(user=user).order_by("day")
    reminder_prefs = ReminderPreference.objects.filter(user=user)
    reminders_sent = ReminderDelivery.objects.filter(user=user).order_by("due_at", "pk")
    return {
        "follows": [
            {
                "track": row["track__slug"],
                "track_title": row["track__title"],
                "target_date": _iso(row["target_date"]),
                "created_at": _iso(row["created_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
            for row in follows.values(
                "track__slug", "track__title", "target_date", "created_at", "updated_at"
            )
        ],
        "statuses": [
            {
                "topic": row["topic__slug"],
                "topic_title": row["topic__title"],
                "track": row["topic__phase__track__slug"],
                "status": row["status"],
                "done_on": _iso(row["done_on"]),
                "updated_at": _iso(row["updated_at"]),
            }
            for row in statuses.values(
                "topic__slug",
                "topic__title",
                "topic__phase__track__slug",
                "status",
                "done_on",
                "updated_at",
            )
        ],
        "resources_done": [
            {
                "resource": row["resource_id"],
                "title": row["resource__title"],
                "url": row["resource__url"],
                "topic": row["resource__topic__slug"],
                "done_at": _iso(row["created_at"]),
            }
            for row in resources.values(
                "resource_id",
                "resource__title",
                "resource__url",
                "resource__topic__slug",
                "created_at",
            )
        ],
        "notes": [
            {
                "topic": row["topic__slug"],
                "topic_title": row["topic__title"],
                "body": row["body"],
                "created_at": _iso(row["created_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
            for row in notes.values(
                "topic__slug", "topic__title", "body", "created_at", "updated_at"
            )
        ],
        "study_log": [
            {
                "id": row["id"],
                "day": _iso(row["day"]),
                "minutes": row["minutes"],
                "topic": row["topic__slug"],
                "note": row["note"],
                "created_at": _iso(row["created_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
            for row in log.values(
                "id", "day", "minutes", "topic__slug", "note", "created_at", "updated_at"
            )
        ],
        "daily_activity": [
            {"day": _iso(day), "minutes": minutes}
            for day, minutes in activity.values_list("day", "minutes")
        ],
        "reminder_preferences": [
            {
                **row,
                "days": " ".join(str(day) for day in row["days"]),
                "time_of_day": row["time_of_day"].strftime("%H:%M"),
                "next_reminder_at": _iso(row["next_reminder_at"]),
                "next_digest_at": _iso(row["next_digest_at"]),
            }
            for row in reminder_prefs.values(*REMINDER_PREFERENCE_COLUMNS)
        ],
        "reminder_log": [
            {
                **row,
                "local_date": _iso(row["local_date"]),
                "due_at": _iso(row["due_at"]),
                "finished_at": _iso(row["finished_at"]),
            }
            for row in reminders_sent.values(*REMINDER_LOG_COLUMNS)
        ],
    }


def _export_account(user: User) -> dict:
    settings = progress_settings(user=user)
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "handle": user.handle,
        "timezone": user.timezone,
        "weekly_goal_minutes": settings.weekly_goal_minutes,
        "public_profile": settings.public_profile,
    }


def export_data(*, user: User) -> dict:
    """Everything the learner owns, for a JSON download: the account and settings, one list per
    kind (follows, statuses, resources_done, notes, study_log, daily_activity,
    reminder_preferences, reminder_log), their
    practice-exam attempts with every question asked and answer given (quizzes' own export), and
    their review data: review_cards, exam_dates, question_notes, question_reports
    (`quizzes.exports`). Fifteen queries."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": _export_account(user),
        **_export_sections(user),
        "quiz_attempts": quizzes_queries.export_attempts(user=user),
        **quizzes_exports.export_learning(user=user),
    }


EXPORT_COLUMNS = {
    "follows": ["track", "track_title", "target_date", "created_at", "updated_at"],
    "statuses": ["topic", "topic_title", "track", "status", "done_on", "updated_at"],
    "resources_done": ["resource", "title", "url", "topic", "done_at"],
    "notes": ["topic", "topic_title", "body", "created_at", "updated_at"],
    "study_log": ["id", "day", "minutes", "topic", "note", "created_at", "updated_at"],
    "daily_activity": ["day", "minutes"],
    "reminder_preferences": REMINDER_PREFERENCE_COLUMNS,
    "reminder_log": REMINDER_LOG_COLUMNS,
}
ATTEMPT_COLUMNS = [
    "id", "exam", "mode", "status", "started_at", "deadline", "finished_at", "points",
    "max_points", "scaled_score", "passed",
]  # fmt: skip
ANSWER_COLUMNS = [
    "attempt", "position", "question", "version", "domain", "answer", "flagged", "answered_at",
    "points",
]  # fmt: skip


def _csv(columns: Sequence[str], rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _attempt_tables(attempts: list[dict]) -> tuple[list[dict], list[dict]]:
    """Attempts flattened for CSV: one row per attempt, and one per question asked (the answer
    as JSON text)."""
    rows, answers = [], []
    for attempt in attempts:
        rows.append({key: value for key, value in attempt.items() if key != "questions"})
        for question in attempt.get("questions", []):
            answer = json.dumps(question.get("answer"), sort_keys=True)
            answers.append({"attempt": attempt["id"], **question, "answer": answer})
    return rows, answers


def _columns(rows: list[dict], default: list[str]) -> list[str]:
    """The columns of `rows` in order (`default` for no rows), so a field the quizzes app adds to
    its export is never dropped."""
    columns = list(default)
    for row in rows:
        columns += [key for key in row if key not in columns]
    return columns


def export_csv_zip(*, user: User) -> bytes:
    """The same data as `export_data`, as a zip of CSV files: account.csv (one row), one file per
    kind, quiz_attempts.csv with quiz_answers.csv, and one file per kind of review data
    (review_cards.csv, exam_dates.csv, question_notes.csv, question_reports.csv); each with a
    header row even when empty."""
    account = _export_account(user)
    files = {"account.csv": _csv(list(account), [account])}
    for kind, rows in _export_sections(user).items():
        files[f"{kind}.csv"] = _csv(EXPORT_COLUMNS[kind], rows)
    attempts, answers = _attempt_tables(quizzes_queries.export_attempts(user=user))
    files["quiz_attempts.csv"] = _csv(_columns(attempts, ATTEMPT_COLUMNS), attempts)
    files["quiz_answers.csv"] = _csv(_columns(answers, ANSWER_COLUMNS), answers)
    for kind, rows in quizzes_exports.export_learning(user=user).items():
        files[f"{kind}.csv"] = _csv(_columns(rows, quizzes_exports.LEARNING_COLUMNS[kind]), rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --- learning from practice: the dashboard's panels and the topic flag --------------------------
#
# Read through `quizzes.analytics` (quizzes never imports progress): readiness per exam, exam-date
# countdowns, reviews due, recurring confusions, and topics marked done whose linked questions the
# learner keeps missing. A fixed number of queries whatever the learner's history.

STRUGGLING_SHARE = 0.5  # under half right over ...
STRUGGLING_LAST = 5  # ... the last five answers to the topic's questions,
STRUGGLING_MIN_ANSWERS = 3  # ... once there are at least three


@dataclass(frozen=True)
class StrugglingTopic:
    """A topic the learner marked done whose linked questions they keep missing."""

    topic: Topic
    share: float
    answered: int

    @property
    def correct(self) -> int:
        return round(self.share * self.answered)


def _struggling(share: float, answered: int) -> bool:
    return answered >= STRUGGLING_MIN_ANSWERS and share < STRUGGLING_SHARE


def struggling_topics(*, user: User) -> list[StrugglingTopic]:
    """Visible topics the learner marked done whose linked questions they keep missing: under
    50% right over their last 5 answers to them (at least 3 answers), lowest share first. Two
    queries, their work bounded by the topics questions link to, not by the learner's statuses."""
    done = (
        curriculum_queries.visible_topics()
        .filter(pk__in=_status_topic_ids(user, Status.DONE))
        .filter(pk__in=quizzes_queries.questioned_topic_ids())
        .defer(*curriculum_queries.TOPIC_BODY)
    )
    topics = {topic.pk: topic for topic in done}
    shares = quizzes_analytics.topic_answer_shares(
        user=user, topic_ids=topics, last=STRUGGLING_LAST
    )
    found = [
        StrugglingTopic(topics[topic_id], share, answered)
        for topic_id, (share, answered) in shares.items()
        if _struggling(share, answered)
    ]
    return sorted(found, key=lambda item: (item.share, item.topic.title))


def topic_struggle(*, user: User, topic: Topic, status: str) -> StrugglingTopic | None:
    """The struggling flag of one topic for its page: only when it is marked done (one query
    then, none otherwise)."""
    if status != Status.DONE:
        return None
    shares = quizzes_analytics.topic_answer_shares(
        user=user, topic_ids=[topic.pk], last=STRUGGLING_LAST
    )
    share, answered = shares.get(topic.pk, (1.0, 0))
    return StrugglingTopic(topic, share, answered) if _struggling(share, answered) else None


@dataclass(frozen=True)
class ExamCountdown:
    exam_date: Any  # quizzes.ExamDate, with its exam
    days_left: int

    @property
    def exam(self) -> Any:
        return self.exam_date.exam


@dataclass
class LearningPanels:
    today: date
    countdowns: list[ExamCountdown]  # booked exams, today or later, soonest first
    readiness: list[Any]  # quizzes.analytics.Readiness per booked or practised exam
    review: Any  # quizzes.analytics.ReviewQueue
    confusions: list[Any]  # quizzes.analytics.Confusion, strongest first
    struggling: list[StrugglingTopic]
    exams: list[Any] = field(default_factory=list)  # current exams, for the exam-date form


def learning_panels(*, user: User, now: datetime) -> LearningPanels:
    """What the dashboard's learning panels show: exam-date countdowns, readiness per booked or
    practised exam, reviews due today, recurring confusions, struggling topics, and the exams
    for the date form. Fifteen queries whatever the learner's history."""
    today = now.astimezone(user.zone).date()
    booked = [row for row in quizzes_analytics.exam_date_list(user=user) if row.day >= today]
    exams = quizzes_analytics.learner_exams(user=user, now=now)
    return LearningPanels(
        today=today,
        countdowns=[ExamCountdown(row, (row.day - today).days) for row in booked],
        readiness=quizzes_analytics.readiness_for(user=user, exams=exams, now=now),
        review=quizzes_analytics.review_queue(user=user, now=now, limit=3),
        confusions=quizzes_analytics.confusions(user=user, now=now)[:5],
        struggling=struggling_topics(user=user)[:8],
        exams=quizzes_analytics.exam_choices(),
    )


# --- reminders ----------------------------------------------------------------------------------

REMINDER_LOG_SHOWN = 10
DIGEST_DAYS = 7


def reminder_preference(*, user: User) -> ReminderPreference:
    """The learner's reminder preferences (unsaved defaults, reminders off, before any change)."""
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(user=user)


def reminder_log(
    *, user: User, updated_since: datetime | None = None
) -> QuerySet[ReminderDelivery]:
    """The learner's reminders and digests, newest first (sent, skipped with why, failed).

    With `updated_since`, those created, claimed for sending or finished since: a delivery
    changes only through those steps, each stamping its own time (the dispatcher writes with
    `.update()`, so there is no `updated_at`). A send given back after a mail error goes to
    `pending` without a stamp; its next claim or its failure stamps it again."""
    rows = ReminderDelivery.objects.filter(user=user)
    if updated_since is not None:
        rows = rows.filter(
            Q(created_at__gte=updated_since)
            | Q(claimed_at__gte=updated_since)
            | Q(finished_at__gte=updated_since)
        )
    return rows.order_by("-due_at", "-pk")


def reminder_delivery(delivery_id: int) -> ReminderDelivery:
    return ReminderDelivery.objects.select_related("user").get(pk=delivery_id)


def studied_on(*, user: User, day: date) -> bool:
    """Did the learner log study time or finish a topic on `day` (their local day)?"""
    return (
        DailyActivity.objects.filter(user=user, day=day, minutes__gt=0).exists()
        or TopicStatus.objects.filter(user=user, done_on=day).exists()
    )


def reminder_skip_reason(*, delivery: ReminderDelivery, now: datetime) -> str:
    """Why a claimed delivery should not be sent after all ("" to send it)."""
    user = delivery.user
    if not user.is_active or not user.email:
        return "the account is inactive or has no email address"
    pref = reminder_preference(user=user)
    if delivery.kind == ReminderDelivery.Kind.REMINDER:
        if not pref.enabled:
            return "reminders were turned off"
        if pref.skip_if_studied and studied_on(user=user, day=delivery.local_date):
            return "already studied that day"
    elif not pref.digest_enabled:
        return "the weekly digest was turned off"
    return ""


@dataclass
class NextTopic:
    track: Track
    topic: Topic
    pace: Pace


@dataclass
class ReminderContent:
    """What a study reminder or the weekly digest says, for the learner's `today`."""

    today: date
    next_topics: list[NextTopic]
    reviews_due: int
    countdowns: list[ExamCountdown]
    streak: int
    streak_at_risk: bool  # a streak that ends unless the learner studies today
    # The digest's week (the seven days up to `today`):
    week_minutes: int = 0
    topics_done: list[Topic] = field(default_factory=list)
    attempts: list[Any] = field(default_factory=list)  # quizzes.Attempt, finished this week
    readiness: list[Any] = field(default_factory=list)  # quizzes.analytics.Readiness

    @property
    def week_hours(self) -> str:
        return f"{self.week_minutes / 60:.1f}"


def _week_done(user: User, today: date) -> list[Topic]:
    start = today - timedelta(days=DIGEST_DAYS - 1)
    rows = (
        TopicStatus.objects.filter(user=user, status=Status.DONE, done_on__range=(start, today))
        .select_related("topic")
        .only("topic__slug", "topic__title", "done_on", "user")
        .order_by("done_on", "pk")
    )
    return [row.topic for row in rows]


def reminder_content(*, user: User, now: datetime, digest: bool = False) -> ReminderContent:
    """Everything a reminder shows (the next topic per followed track with its pace, spaced
    reviews due today, exam countdowns, the streak) and, for the digest, the week's study time,
    topics done, quiz results and readiness. A fixed number of queries whatever the history."""
    today = now.astimezone(user.zone).date()
    summaries = track_summaries(user=user, follows=followed(user=user), today=today)
    booked = [row for row in quizzes_analytics.exam_date_list(user=user) if row.day >= today]
    streak_days = streak(user=user, today=today)
    content = ReminderContent(
        today=today,
        next_topics=[
            NextTopic(summary.track, summary.next_up, summary.pace)
            for summary in summaries
            if summary.next_up is not None
        ],
        reviews_due=quizzes_analytics.review_queue(user=user, now=now, limit=0).due_today,
        countdowns=[ExamCountdown(row, (row.day - today).days) for row in booked],
        streak=streak_days,
        streak_at_risk=streak_days > 0 and not studied_on(user=user, day=today),
    )
    if digest:
        start = today - timedelta(days=DIGEST_DAYS - 1)
        content.week_minutes = DailyActivity.objects.filter(
            user=user, day__range=(start, today)
        ).aggregate(total=Coalesce(Sum("minutes"), 0))["total"]
        content.topics_done = _week_done(user, today)
        content.attempts = list(
            quizzes_queries.attempt_history(user=user).filter(
                finished_at__gte=now - timedelta(days=DIGEST_DAYS)
            )
        )
        exams = quizzes_analytics.learner_exams(user=user, now=now)
        content.readiness = quizzes_analytics.readiness_for(user=user, exams=exams, now=now)
    return content
