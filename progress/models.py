"""The learner's own data: followed tracks with target dates, topic statuses, resources done,
private notes, the study log, daily activity (kept incrementally), settings, and reminders.
Deletions are recorded as `portal.models.Tombstone` rows for the mobile apps' incremental sync.

Every row belongs to one user (on_delete=CASCADE, so deleting the account removes it) and is only
ever read or changed through `progress.queries` / `progress.services` scoped to that user.
"""

from datetime import time
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from portal.markdown import RenderedMarkdownMixin

MINUTES_MAX = 1440


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user: object) -> "OwnedQuerySet":
        return self.filter(user=user)


class OwnedModel(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class TrackFollow(OwnedModel):
    """A track the learner follows (explicitly, or implicitly by marking one of its topics),
    with an optional target date to finish it."""

    track = models.ForeignKey("curriculum.Track", on_delete=models.CASCADE, related_name="+")
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="track_follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.track_id}"


class TopicStatus(OwnedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    topic = models.ForeignKey("curriculum.Topic", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(
        null=True, blank=True, help_text="The learner's local day it was marked done."
    )

    class Meta:
        verbose_name_plural = "topic statuses"
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_status_unique"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done"),
                name="topic_status_done_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.topic_id}: {self.status}"


class ResourceDone(OwnedModel):
    resource = models.ForeignKey("curriculum.Resource", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="resource_done_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} did {self.resource_id}"


class TopicNote(RenderedMarkdownMixin, OwnedModel):
    """A learner's private Markdown note on a topic (one per topic)."""

    markdown_fields: ClassVar[dict[str, str]] = {"body": "body_html"}

    topic = models.ForeignKey("curriculum.Topic", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} note on {self.topic_id}"


class StudyLogEntry(OwnedModel):
    """Time studied on a day (the learner's local date), optionally on a topic."""

    day = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_MAX)]
    )
    topic = models.ForeignKey(
        "curriculum.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "study log entries"
        ordering = ["-day", "-created_at"]
        indexes = [models.Index(fields=["user", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MINUTES_MAX),
                name="study_log_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}: {self.minutes} min"


class DailyActivity(models.Model):
    """Minutes studied per learner and local day, kept by the study-log services (never edited
    directly), so streaks, the heatmap and weekly hours read at most 366 rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    minutes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "daily activity"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_activity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}: {self.minutes} min"


class ProgressSettings(models.Model):
    """Per-learner progress preferences."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_settings"
    )
    weekly_goal_minutes = models.PositiveIntegerField(
        default=300, validators=[MinValueValidator(0), MaxValueValidator(7 * MINUTES_MAX)]
    )
    public_profile = models.BooleanField(
        default=False, help_text="Show tracks and progress bars at /u/<handle>/ (nothing else)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"settings of {self.user_id}"


class ReminderPreference(models.Model):
    """When and whether a learner gets study reminders and the weekly digest.

    Off until the learner turns it on (explicit opt-in). `next_reminder_at` / `next_digest_at` are
    the next due instants (UTC), kept by `progress.reminders` whenever the preferences change or
    a reminder is dispatched; they are NULL while that email is off, and the dispatcher finds due
    learners through their indexes.
    """

    class Cadence(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKDAYS = "weekdays", "Weekdays (Monday to Friday)"
        CUSTOM = "custom", "Chosen days"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    enabled = models.BooleanField(default=False)
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.DAILY)
    # Monday=0 ... Sunday=6, used when cadence is "custom".
    days = models.JSONField(default=list, blank=True)
    time_of_day = models.TimeField(default=time(18, 0))
    skip_if_studied = models.BooleanField(
        default=True, help_text="No reminder on a day the learner has already studied."
    )
    digest_enabled = models.BooleanField(default=False)
    digest_day = models.PositiveSmallIntegerField(
        default=6, validators=[MaxValueValidator(6)], help_text="Monday=0 ... Sunday=6."
    )
    zone = models.CharField(
        max_length=64, blank=True, help_text="The timezone the next times were computed in."
    )
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminders of {self.user_id}"


class ReminderDelivery(models.Model):
    """One reminder or digest: the idempotency key (user, kind, local date) and the log.

    The dispatcher creates the row as `pending`; the send task claims it (`claimed`, with
    `claimed_at`) before sending and marks it `sent` after; a claim older than the lease that is
    not marked sent is picked up again. A row never goes back from sent, skipped or failed.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Study reminder"
        DIGEST = "digest", "Weekly digest"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    local_date = models.DateField(help_text="The learner's local day this email is for.")
    due_at = models.DateTimeField(help_text="The scheduled instant (the learner's local time).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(max_length=300, blank=True, help_text="Why skipped, or the error.")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="reminder_once_per_kind_and_day"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-due_at"], name="reminder_log_by_user"),
            # The dispatcher's sweep for lost or stale work: only unfinished rows are indexed.
            models.Index(
                fields=["created_at"],
                name="reminder_unfinished",
                condition=Q(state__in=["pending", "claimed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} on {self.local_date}: {self.state}"
