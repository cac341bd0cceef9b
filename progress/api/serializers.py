"""Input and output shapes of the progress API. Inputs check types only: the rules (ranges, days,
which topics may be marked) are the services' (progress/services.py), which the views turn into
the same 400 problems."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from curriculum.api.serializers import TopicRef, TrackRef
from curriculum.models import Track
from portal.sync import SyncQuery

from ..models import (
    ReminderDelivery,
    ReminderPreference,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)
from ..queries import AHEAD, BEHIND, FINISHED, NO_PACE, NO_TARGET, ON_TRACK

MAX_BULK = 500
TOPIC_HELP = "A topic's slug (as in /api/v1/topics/)."


def hours(help_text: str = "") -> serializers.FloatField:
    return serializers.FloatField(read_only=True, help_text=help_text)


# --- shared pieces ------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "07:30"})
class ClockTimeField(serializers.TimeField):
    """A local time of day, HH:MM (OpenAPI's `time` format would demand seconds and an offset)."""


class TopicStatusField(serializers.ChoiceField):
    """A learner's status of a topic: not_started, in_progress, done or skipped."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=TopicStatus.Status.choices, **kwargs)


class TopicStatusSchema(OpenApiSerializerFieldExtension):
    """TopicStatusField as its own schema component, TopicStatusEnum: left to drf-spectacular,
    it would share the name of other `status` choice sets (tracks, exams, attempts)."""

    target_class = TopicStatusField

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict:
        component = ResolvedComponent(
            name="TopicStatusEnum",
            type=ResolvedComponent.SCHEMA,
            object="TopicStatusEnum",
            schema={"type": "string", "enum": TopicStatus.Status.values},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


@extend_schema_field(OpenApiTypes.URI)
class TrackPageField(serializers.Field):
    """The absolute URL of the track's page on the website."""

    def __init__(self) -> None:
        super().__init__(source="track", read_only=True, help_text="The track's page.")

    def to_representation(self, track: Track) -> str:
        request = self.context.get("request")
        path = track.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ProgressOut(serializers.Serializer):
    done_hours = hours("Hours of done topics.")
    total_hours = hours("Hours of the topics not skipped.")
    percent = serializers.IntegerField(
        help_text="done_hours / total_hours, 0-100, rounded down (100 only when all is done)."
    )
    done_topics = serializers.IntegerField()
    total_topics = serializers.IntegerField(help_text="Topics not skipped.")
    skipped_topics = serializers.IntegerField()


class PaceOut(serializers.Serializer):
    hours_per_week = hours("Time logged over the last four weeks, per week.")
    basis = serializers.ChoiceField(
        choices=["track", "all"],
        help_text="track: entries naming a topic of this track; all: every entry (used when "
        "none of the last four weeks' entries names a topic).",
    )
    remaining_hours = hours("Planned hours not done yet.")
    projected_finish = serializers.DateField(
        allow_null=True, help_text="At this pace; null without any recent study time."
    )
    target_date = serializers.DateField(allow_null=True)
    state = serializers.ChoiceField(
        choices=[FINISHED, NO_TARGET, NO_PACE, BEHIND, AHEAD, ON_TRACK],
        help_text="ahead: more than a week before the target; on_track: up to a week before; "
        "behind: after it (or the target has passed).",
    )
    needed_hours_per_week = serializers.FloatField(
        allow_null=True, help_text="Hours per week that make the target; null without one."
    )


# --- tracks and targets -------------------------------------------------------------------------


class FollowOut(serializers.ModelSerializer):
    track = TrackRef()
    url = TrackPageField()
    progress = ProgressOut()
    next_up = TopicRef(allow_null=True, help_text="The first topic not done or skipped.")

    class Meta:
        model = TrackFollow
        fields = [
            "id", "track", "url", "target_date", "progress", "next_up", "created_at",
            "updated_at",
        ]  # fmt: skip


class FollowIn(serializers.Serializer):
    track = serializers.CharField(max_length=100, help_text="A published track's slug.")


class TargetOut(serializers.Serializer):
    track = TrackRef(source="follow.track")
    target_date = serializers.DateField(source="follow.target_date", allow_null=True)
    pace = PaceOut()


class TargetIn(serializers.Serializer):
    target_date = serializers.DateField(
        allow_null=True, help_text="A day after today, or null to clear the target."
    )


# --- statuses, resources, notes -----------------------------------------------------------------


class StatusOut(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = TopicStatusField(read_only=True)
    done_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The learner's local day it was marked done; null otherwise.",
    )

    class Meta:
        model = TopicStatus
        fields = ["id", "topic", "status", "done_on", "created_at", "updated_at"]


class StatusIn(serializers.Serializer):
    topic = serializers.CharField(max_length=100, help_text=TOPIC_HELP)
    status = TopicStatusField()


class StatusesIn(serializers.Serializer):
    items = StatusIn(many=True, allow_empty=False, max_length=MAX_BULK)


class StatusesOut(serializers.Serializer):
    results = StatusOut(many=True)


class StatusQuery(SyncQuery):
    track = serializers.CharField(
        required=False, max_length=100, help_text="Only the statuses of this track's topics."
    )


class ResourceDoneOut(serializers.ModelSerializer):
    resource = serializers.IntegerField(source="resource_id", help_text="The resource's id.")

    class Meta:
        model = ResourceDone
        fields = ["id", "resource", "created_at", "updated_at"]


class ResourceDoneIn(serializers.Serializer):
    resource = serializers.IntegerField(help_text="A current resource's id.")


class NoteOut(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body_html = serializers.CharField(read_only=True, help_text="The body as sanitized HTML.")

    class Meta:
        model = TopicNote
        fields = ["id", "topic", "body", "body_html", "created_at", "updated_at"]


class NoteIn(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="Markdown, at most 20,000 characters. An empty body deletes the note.",
    )


# --- study log ----------------------------------------------------------------------------------


class StudyLogOut(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = StudyLogEntry
        fields = ["id", "day", "minutes", "topic", "note", "created_at", "updated_at"]


class StudyLogIn(serializers.Serializer):
    day = serializers.DateField(
        help_text="The day studied, in your timezone: not after today, not before 2000-01-01."
    )
    minutes = serializers.IntegerField(help_text="1 to 1440.")
    topic = serializers.CharField(
        max_length=100, allow_null=True, required=False, help_text=f"{TOPIC_HELP} Optional."
    )
    note = serializers.CharField(
        allow_blank=True, required=False, help_text="At most 500 characters."
    )


# --- dashboard and settings ---------------------------------------------------------------------


class DayPercentOut(serializers.Serializer):
    day = serializers.DateField()
    percent = serializers.IntegerField()


class DayMinutesOut(serializers.Serializer):
    day = serializers.DateField()
    minutes = serializers.IntegerField()


class TrackSummaryOut(serializers.Serializer):
    track = TrackRef()
    url = TrackPageField()
    target_date = serializers.DateField(source="follow.target_date", allow_null=True)
    progress = ProgressOut()
    next_up = TopicRef(allow_null=True, help_text="The first topic not done or skipped.")
    pace = PaceOut()
    over_time = DayPercentOut(
        many=True, help_text="Percent done at today and at each of the eleven weeks before."
    )


class DashboardOut(serializers.Serializer):
    today = serializers.DateField(help_text="Today in the learner's timezone.")
    tracks = TrackSummaryOut(many=True, help_text="Followed tracks, in track order.")
    streak = serializers.IntegerField(
        help_text="Days in a row with study time, ending today (or yesterday, until something "
        "is logged today)."
    )
    week_minutes = serializers.IntegerField(help_text="Minutes logged since Monday.")
    weekly_goal_minutes = serializers.IntegerField()
    week_percent = serializers.IntegerField(help_text="week_minutes against the goal, 0-100.")
    heatmap = DayMinutesOut(many=True, help_text="The last 365 days, oldest first.")


class SettingsOut(serializers.Serializer):
    weekly_goal_minutes = serializers.IntegerField()
    public_profile = serializers.BooleanField(help_text="Whether /u/<handle>/ is shown.")
    handle = serializers.CharField(allow_null=True)
    public_url = serializers.URLField(
        allow_null=True, help_text="The public page, while it is turned on."
    )


class SettingsIn(serializers.Serializer):
    weekly_goal_minutes = serializers.IntegerField(required=False, help_text="0 to 10080.")
    public_profile = serializers.BooleanField(required=False)
    handle = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="3-30 lowercase letters, digits or hyphens; needed to turn the page on.",
    )


WEEKDAY_HELP = "0 (Monday) to 6 (Sunday)."


class RemindersOut(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Study reminders by email (off until turned on).")
    cadence = serializers.ChoiceField(choices=ReminderPreference.Cadence.choices)
    days = serializers.ListField(
        child=serializers.IntegerField(), help_text=f"For `custom`: weekdays, {WEEKDAY_HELP}"
    )
    time_of_day = ClockTimeField(format="%H:%M", help_text="Local time, in `timezone`.")
    timezone = serializers.CharField(source="user.timezone", help_text="The account's timezone.")
    skip_if_studied = serializers.BooleanField()
    digest_enabled = serializers.BooleanField()
    digest_day = serializers.IntegerField(help_text=WEEKDAY_HELP)
    next_reminder_at = serializers.DateTimeField(allow_null=True)
    next_digest_at = serializers.DateTimeField(allow_null=True)


class RemindersIn(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    cadence = serializers.ChoiceField(choices=ReminderPreference.Cadence.choices, required=False)
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
        help_text=f"Weekdays, {WEEKDAY_HELP} Needed with `custom`.",
    )
    time_of_day = ClockTimeField(required=False, help_text="HH:MM, local time.")
    skip_if_studied = serializers.BooleanField(required=False)
    digest_enabled = serializers.BooleanField(required=False)
    digest_day = serializers.IntegerField(
        required=False, min_value=0, max_value=6, help_text=WEEKDAY_HELP
    )


class ReminderLogOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReminderDelivery.Kind.choices)
    local_date = serializers.DateField(help_text="The learner's day the email was for.")
    due_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=ReminderDelivery.State.choices)
    reason = serializers.CharField(help_text="Why it was skipped, or the mail error.")
    finished_at = serializers.DateTimeField(allow_null=True)
