"""The learner's own progress under /api/v1/me/: followed tracks, statuses, resources done, notes,
the study log, targets, the dashboard, settings and the data export.

Every endpoint needs a signed-in learner (401 problem otherwise) and reads or changes only that
learner's rows: an id or slug that names nothing of theirs answers 404 and changes nothing.
Lists support incremental sync: `?updated_since=` returns the rows changed since then and, under
`deleted`, the rows deleted since (tombstones). Writes go through progress/services.py, whose
domain errors become 400 problems with field errors (404 for rows that are not the learner's).
"""

from datetime import date

from django.db import transaction
from django.http import HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from curriculum import queries as curriculum_queries
from curriculum.models import Resource, Topic
from portal.api import PROBLEM_CONTENT_TYPE, validated
from portal.schema import ProblemSerializer
from portal.sync import (
    SYNC_PARAMETERS,
    sync_list,
    sync_list_responses,
    sync_page,
)

from .. import queries, reminders, services
from . import examples
from . import serializers as io

NO_CONTENT = OpenApiResponse(description="Done; no body.")


class ProgressView(APIView):
    """Shared by the progress endpoints: signed-in learners only, and the services' domain
    errors as problem details."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.NotFoundError):
            exc = exceptions.NotFound(exc.message)
        elif isinstance(exc, services.ProgressError):
            exc = exceptions.ValidationError(exc.as_errors())
        return super().handle_exception(exc)

    @property
    def today(self) -> date:
        return self.request.user.local_today()


def _not_found(what: str) -> exceptions.NotFound:
    return exceptions.NotFound(f"You have no {what} here.")


def _topic_or_400(slug: str | None, field: str = "topic") -> Topic | None:
    if slug is None:
        return None
    topic = queries.topics_by_slug([slug]).get(slug)
    if topic is None:
        raise exceptions.ValidationError({field: [services.TOPIC_UNAVAILABLE]})
    return topic


def _topic_or_404(slug: str) -> Topic:
    topic = queries.topics_by_slug([slug]).get(slug)
    if topic is None:
        raise exceptions.NotFound(f"No topic with the slug {slug!r}.")
    return topic


# --- followed tracks ----------------------------------------------------------------------------


class MyTracks(ProgressView):
    """The tracks the learner follows, each with progress and what comes next."""

    @extend_schema(
        summary="List my followed tracks",
        description="Followed tracks (oldest follow first) with progress (hours of done topics "
        "against hours of topics not skipped) and the next topic. A track is followed "
        "explicitly, or implicitly by marking one of its topics or resources or setting a "
        "target. Target dates sync here (`me/targets/` adds the computed pace). Deleted "
        "follows are tombstones of kind `follow`.",
        operation_id="me_tracks_list",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("FollowPage", io.FollowOut)),
        examples=examples.TRACKS,
    )
    def get(self, request: Request) -> Response:
        user = request.user
        return sync_list(
            request,
            lambda since: queries.follow_list(user=user, updated_since=since),
            io.FollowOut,
            queries.TOMBSTONE_FOLLOW,
            prepare=lambda follows: queries.follows_with_progress(user=user, follows=follows),
        )

    @extend_schema(
        summary="Follow a track",
        description="Follow a published track; following it again changes nothing. An unknown, "
        "draft or archived track is a 400 naming `track`.",
        operation_id="me_tracks_follow",
        request=io.FollowIn,
        responses={200: io.FollowOut},
        examples=[*examples.FOLLOW_IN, *examples.FOLLOWED],
    )
    def post(self, request: Request) -> Response:
        data = validated(io.FollowIn, request.data)
        track = curriculum_queries.track_by_slug(data["track"])
        if track is None:
            raise exceptions.ValidationError({"track": [services.TRACK_UNAVAILABLE]})
        follow = services.track_follow(user=request.user, track=track)
        follow.track = track
        queries.follows_with_progress(user=request.user, follows=[follow])
        return Response(io.FollowOut(follow, context={"request": request}).data)


class MyTrack(ProgressView):
    @extend_schema(
        summary="Unfollow a track",
        description="Stop following the track: its target date goes too; topic statuses stay "
        "(marking a topic follows the track again). 404 if the learner does not follow it.",
        operation_id="me_tracks_unfollow",
        responses={204: NO_CONTENT},
    )
    def delete(self, request: Request, slug: str) -> Response:
        track = queries.track_any_state(slug)
        if track is None or not services.track_unfollow(user=request.user, track=track):
            raise _not_found("follow of this track")
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- statuses -----------------------------------------------------------------------------------


class MyStatuses(ProgressView):
    @extend_schema(
        summary="List my topic statuses",
        description="The learner's status of each topic they marked (a topic not listed is not "
        "started). `done_on` is the learner's local day it became done. Statuses are never "
        "deleted (set `not_started` instead), so `deleted` is always empty.",
        operation_id="me_statuses_list",
        parameters=[
            OpenApiParameter("track", str, description="Only this track's topics (a slug)."),
            *SYNC_PARAMETERS,
        ],
        responses=sync_list_responses(sync_page("StatusPage", io.StatusOut)),
        examples=examples.STATUSES,
    )
    def get(self, request: Request) -> Response:
        params = validated(io.StatusQuery, request.query_params)
        track = None
        if params.get("track"):
            track = queries.track_any_state(params["track"])
            if track is None:
                raise exceptions.ValidationError({"track": ["No track with this slug."]})
        return sync_list(
            request,
            lambda since: queries.status_list(user=request.user, updated_since=since, track=track),
            io.StatusOut,
            None,  # statuses are never deleted
            query=io.StatusQuery,
        )

    @extend_schema(
        summary="Set a topic's status",
        description="Mark a published topic `not_started`, `in_progress`, `done` or `skipped` "
        "(an upsert: one row per topic, whichever device writes). Follows the topic's track.",
        operation_id="me_statuses_set",
        request=io.StatusIn,
        responses={200: io.StatusOut},
        examples=[*examples.STATUS_IN, *examples.STATUS_SET],
    )
    def post(self, request: Request) -> Response:
        data = validated(io.StatusIn, request.data)
        topic = _topic_or_400(data["topic"])
        row = services.status_set(user=request.user, topic=topic, status=data["status"])
        row.topic = topic
        return Response(io.StatusOut(row).data)


class MyStatusesBulk(ProgressView):
    @extend_schema(
        summary="Set many topic statuses",
        description="Up to 500 `{topic, status}` items, all or none: a bad item refuses the "
        'batch with errors under `items` by position, e.g. `{"items": {"2": {"topic": '
        "[...]}}}`. A topic named twice takes its last status.",
        operation_id="me_statuses_bulk_set",
        request=io.StatusesIn,
        responses={200: io.StatusesOut},
        examples=[*examples.STATUSES_IN, *examples.STATUSES_SET],
    )
    def post(self, request: Request) -> Response:
        items = validated(io.StatusesIn, request.data)["items"]
        topics = queries.topics_by_slug(item["topic"] for item in items)
        for index, item in enumerate(items):
            if item["topic"] not in topics:
                error = {"topic": [services.TOPIC_UNAVAILABLE]}
                raise exceptions.ValidationError({"items": {str(index): error}})
        pairs = [(topics[item["topic"]], item["status"]) for item in items]
        rows = services.statuses_set(user=request.user, items=pairs)
        by_id = {topic.pk: topic for topic in topics.values()}
        for row in rows:
            row.topic = by_id[row.topic_id]
        return Response({"results": io.StatusOut(rows, many=True).data})


# --- resources done -----------------------------------------------------------------------------


class MyResourcesDone(ProgressView):
    @extend_schema(
        summary="List the resources I marked done",
        description="Resources (by id) the learner marked done. Unmarked ones are tombstones "
        "of kind `resource_done`.",
        operation_id="me_resources_done_list",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("ResourceDonePage", io.ResourceDoneOut)),
        examples=examples.RESOURCES_DONE,
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: queries.resource_done_list(user=request.user, updated_since=since),
            io.ResourceDoneOut,
            queries.TOMBSTONE_RESOURCE_DONE,
        )

    @extend_schema(
        summary="Mark a resource done",
        description="Mark a current resource done (again: no change). A topic's resource "
        "follows the topic's track.",
        operation_id="me_resources_done_mark",
        request=io.ResourceDoneIn,
        responses={200: io.ResourceDoneOut},
        examples=[*examples.RESOURCE_IN, *examples.RESOURCE_MARKED],
    )
    def post(self, request: Request) -> Response:
        data = validated(io.ResourceDoneIn, request.data)
        resource = Resource.objects.filter(pk=data["resource"]).only("pk").first()
        if resource is None:
            raise exceptions.ValidationError({"resource": [services.RESOURCE_UNAVAILABLE]})
        row = services.resource_done_set(user=request.user, resource=resource, done=True)
        return Response(io.ResourceDoneOut(row).data)


class MyResourceDone(ProgressView):
    @extend_schema(
        summary="Unmark a resource",
        description="The resource is not done any more. 404 if the learner had not marked it.",
        operation_id="me_resources_done_unmark",
        responses={204: NO_CONTENT},
    )
    def delete(self, request: Request, resource_id: int) -> Response:
        row = queries.resource_done_for(user=request.user, resource_id=resource_id)
        if row is None:
            raise _not_found("mark on this resource")
        services.resource_done_set(user=request.user, resource=row.resource, done=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- notes --------------------------------------------------------------------------------------


class MyNotes(ProgressView):
    @extend_schema(
        summary="List my notes",
        description="The learner's private Markdown notes, one per topic, with their sanitized "
        "HTML. Deleted notes are tombstones of kind `note`.",
        operation_id="me_notes_list",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("NotePage", io.NoteOut)),
        examples=examples.NOTES,
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: queries.note_list(user=request.user, updated_since=since),
            io.NoteOut,
            queries.TOMBSTONE_NOTE,
        )


class MyNote(ProgressView):
    @extend_schema(
        summary="My note on a topic",
        description="404 when the learner has no note on this topic.",
        operation_id="me_notes_retrieve",
        responses={200: io.NoteOut},
        examples=examples.NOTE_OUT,
    )
    def get(self, request: Request, slug: str) -> Response:
        note = queries.note_for(user=request.user, topic=_topic_or_404(slug))
        if note is None:
            raise _not_found("note on this topic")
        return Response(io.NoteOut(note).data)

    @extend_schema(
        summary="Write my note on a topic",
        description="Create or replace the note on a published topic. An empty body deletes "
        "the note and answers 204. A draft or archived topic is a 400 naming `topic`.",
        operation_id="me_notes_save",
        request=io.NoteIn,
        responses={200: io.NoteOut, 204: NO_CONTENT},
        examples=[*examples.NOTE_IN, *examples.NOTE_OUT],
    )
    def put(self, request: Request, slug: str) -> Response:
        data = validated(io.NoteIn, request.data)
        topic = _topic_or_404(slug)
        note = services.note_save(user=request.user, topic=topic, body=data["body"])
        if note is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        note.topic = topic
        return Response(io.NoteOut(note).data)

    @extend_schema(
        summary="Delete my note on a topic",
        description="404 when the learner has no note on this topic.",
        operation_id="me_notes_delete",
        responses={204: NO_CONTENT},
    )
    def delete(self, request: Request, slug: str) -> Response:
        if not services.note_delete(user=request.user, topic=_topic_or_404(slug)):
            raise _not_found("note on this topic")
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- study log ----------------------------------------------------------------------------------


class MyStudyLog(ProgressView):
    @extend_schema(
        summary="List my study log",
        description="Entries newest day first. Deleted entries are tombstones of kind `study_log`.",
        operation_id="me_study_log_list",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("StudyLogPage", io.StudyLogOut)),
        examples=examples.STUDY_LOG,
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: queries.study_log_list(user=request.user, updated_since=since),
            io.StudyLogOut,
            queries.TOMBSTONE_STUDY_LOG,
        )

    @extend_schema(
        summary="Log study time",
        description="Minutes (1-1440) studied on a day of the learner's calendar (in their "
        "timezone: not after today, not before 2000-01-01), optionally on a published topic.",
        operation_id="me_study_log_create",
        request=io.StudyLogIn,
        responses={201: io.StudyLogOut},
        examples=[*examples.ENTRY_IN, *examples.ENTRY_CREATED],
    )
    def post(self, request: Request) -> Response:
        data = dict(validated(io.StudyLogIn, request.data))
        data["topic"] = _topic_or_400(data.get("topic"))
        entry = services.study_log_add(user=request.user, **data)
        return Response(io.StudyLogOut(entry).data, status=status.HTTP_201_CREATED)


class StudyLogPatchIn(io.StudyLogIn):
    day = serializers.DateField(required=False)
    minutes = serializers.IntegerField(required=False, help_text="1 to 1440.")


class MyStudyLogEntry(ProgressView):
    @extend_schema(
        summary="One of my study-log entries",
        operation_id="me_study_log_retrieve",
        responses={200: io.StudyLogOut},
        examples=examples.ENTRY_OUT,
    )
    def get(self, request: Request, entry_id: int) -> Response:
        entry = queries.study_log_entry(user=request.user, entry_id=entry_id)
        if entry is None:
            raise _not_found("study-log entry with this id")
        return Response(io.StudyLogOut(entry).data)

    @extend_schema(
        summary="Change a study-log entry",
        description="Any of `day`, `minutes`, `topic` (null for none) and `note`, with the "
        "same rules as logging. A topic archived since the entry was logged may stay.",
        operation_id="me_study_log_update",
        request=StudyLogPatchIn,
        responses={200: io.StudyLogOut},
        examples=[*examples.ENTRY_PATCH, *examples.ENTRY_OUT],
    )
    def patch(self, request: Request, entry_id: int) -> Response:
        changes = dict(validated(StudyLogPatchIn, request.data))
        if "topic" in changes:
            changes["topic"] = _topic_or_400(changes["topic"])
        entry = services.study_log_update(user=request.user, entry_id=entry_id, **changes)
        return Response(io.StudyLogOut(entry).data)

    @extend_schema(
        summary="Delete a study-log entry",
        operation_id="me_study_log_delete",
        responses={204: NO_CONTENT},
    )
    def delete(self, request: Request, entry_id: int) -> Response:
        services.study_log_delete(user=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- targets ------------------------------------------------------------------------------------


class MyTargets(ProgressView):
    @extend_schema(
        summary="List my targets",
        description="Each followed track with its target date and pace: hours per week over "
        "the last four weeks (time logged on the track's topics, or all logged time when no "
        "entry names a topic), the projected finish, ahead/behind and the hours per week the "
        "target needs. Not paginated (one item per followed track) and not a sync list: the "
        "pace is computed; the target dates sync through `me/tracks/`.",
        operation_id="me_targets_list",
        responses={200: io.TargetOut(many=True)},
        examples=examples.TARGETS,
    )
    def get(self, request: Request) -> Response:
        found = queries.targets(user=request.user, today=self.today)
        return Response(io.TargetOut(found, many=True).data)


class MyTarget(ProgressView):
    @extend_schema(
        summary="Set my target date for a track",
        description="A day after today, or null to clear it. Follows the track. 404 for a "
        "track that is not published.",
        operation_id="me_targets_set",
        request=io.TargetIn,
        responses={200: io.TargetOut},
        examples=[*examples.TARGET_IN, *examples.TARGET_OUT],
    )
    def put(self, request: Request, slug: str) -> Response:
        data = validated(io.TargetIn, request.data)
        track = curriculum_queries.track_by_slug(slug)
        if track is None:
            raise exceptions.NotFound(f"No published track with the slug {slug!r}.")
        follow = services.target_set(
            user=request.user, track=track, target_date=data["target_date"]
        )
        follow.track = track
        pace = queries.pace(user=request.user, track=track, today=self.today)
        return Response(io.TargetOut(queries.TrackTarget(follow, pace)).data)


# --- dashboard, settings, export ----------------------------------------------------------------


class MyDashboard(ProgressView):
    @extend_schema(
        summary="My dashboard",
        description="Followed tracks with progress, next topic, pace and progress over the "
        "last twelve weeks; the study streak; this week's minutes (Monday to today, in the "
        "learner's timezone) against the weekly goal; and minutes per day for the last 365 "
        "days. A fixed number of queries whatever the learner's history.",
        operation_id="me_dashboard",
        responses={200: io.DashboardOut},
        examples=examples.DASHBOARD,
    )
    def get(self, request: Request) -> Response:
        board = queries.dashboard(user=request.user, today=self.today)
        data = {
            "today": board.today,
            "tracks": [
                {
                    "track": summary.track,
                    "follow": summary.follow,
                    "progress": summary.progress,
                    "next_up": summary.next_up,
                    "pace": summary.pace,
                    "over_time": [{"day": d, "percent": p} for d, p in summary.over_time],
                }
                for summary in board.tracks
            ],
            "streak": board.streak,
            "week_minutes": board.week_minutes,
            "weekly_goal_minutes": board.weekly_goal_minutes,
            "week_percent": board.week_percent,
            "heatmap": [{"day": day, "minutes": minutes} for day, minutes in board.heatmap],
        }
        return Response(io.DashboardOut(data, context={"request": request}).data)


def _settings_out(request: Request) -> dict:
    user = request.user
    settings = queries.progress_settings(user=user)
    public_url = None
    if settings.public_profile and user.handle:
        public_url = request.build_absolute_uri(reverse("progress:public", args=[user.handle]))
    return io.SettingsOut(
        {
            "weekly_goal_minutes": settings.weekly_goal_minutes,
            "public_profile": settings.public_profile,
            "handle": user.handle,
            "public_url": public_url,
        }
    ).data


class MySettings(ProgressView):
    @extend_schema(
        summary="My progress settings",
        description="The weekly goal and the public progress page (off by default; it shows "
        "only the followed tracks and their progress bars).",
        operation_id="me_settings_retrieve",
        responses={200: io.SettingsOut},
        examples=examples.SETTINGS,
    )
    def get(self, request: Request) -> Response:
        return Response(_settings_out(request))

    @extend_schema(
        summary="Change my progress settings",
        description="Any of `weekly_goal_minutes` (0-10080), `public_profile` and `handle` "
        "(needed to turn the page on; unique). All or nothing.",
        operation_id="me_settings_update",
        request=io.SettingsIn,
        responses={200: io.SettingsOut},
        examples=[*examples.SETTINGS_IN, *examples.SETTINGS],
    )
    def patch(self, request: Request) -> Response:
        data = validated(io.SettingsIn, request.data)
        user = request.user
        with transaction.atomic():
            if "weekly_goal_minutes" in data:
                services.weekly_goal_set(user=user, minutes=data["weekly_goal_minutes"])
            if "public_profile" in data or "handle" in data:
                enabled = data.get("public_profile")
                if enabled is None:
                    enabled = queries.progress_settings(user=user).public_profile
                services.public_profile_set(user=user, enabled=enabled, handle=data.get("handle"))
        return Response(_settings_out(request))


class MyReminders(ProgressView):
    @extend_schema(
        summary="My reminder preferences",
        description="Study reminders by email (off until the learner turns them on): cadence "
        "(`daily`, `weekdays` or `custom` days), local time of day in the account's timezone, "
        "skip on days already studied, and the weekly digest with its day. `next_reminder_at` "
        "and `next_digest_at` say when the next ones are due (null while off).",
        operation_id="me_reminders_retrieve",
        responses={200: io.RemindersOut},
        examples=examples.REMINDERS,
    )
    def get(self, request: Request) -> Response:
        pref = queries.reminder_preference(user=request.user)
        return Response(io.RemindersOut(pref).data)

    @extend_schema(
        summary="Change my reminder preferences",
        description="Any of the preference fields; the next due times are recomputed. `custom` "
        "needs at least one day. All or nothing.",
        operation_id="me_reminders_update",
        request=io.RemindersIn,
        responses={200: io.RemindersOut},
        examples=[*examples.REMINDERS_IN, *examples.REMINDERS],
    )
    def patch(self, request: Request) -> Response:
        data = validated(io.RemindersIn, request.data)
        pref = reminders.reminder_preferences_set(user=request.user, **data)
        return Response(io.RemindersOut(pref).data)


class MyReminderLog(ProgressView):
    @extend_schema(
        summary="List my reminders",
        description="Reminders and digests, newest first: sent, skipped (with why) or failed "
        "(with the mail error). `updated_since` returns those created, claimed for sending or "
        "finished since. Deliveries are never deleted, so `deleted` is always empty.",
        operation_id="me_reminder_log_list",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("ReminderLogPage", io.ReminderLogOut)),
        examples=examples.REMINDER_LOG,
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: queries.reminder_log(user=request.user, updated_since=since),
            io.ReminderLogOut,
            None,  # deliveries are never deleted
        )


class ZipRenderer(BaseRenderer):
    """`?format=csv`: the export as a zip of CSV files. Problems still render as JSON."""

    media_type = "application/zip"
    format = "csv"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: object,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class MyExport(ProgressView):
    renderer_classes = [JSONRenderer, ZipRenderer]

    @extend_schema(
        summary="Export everything I own",
        description="The account, settings, follows, statuses, resources done, notes, study "
        "log, daily activity and practice-exam attempts with their answers. JSON by default; "
        "`?format=csv` answers a zip of CSV files (account.csv and one file per kind).",
        operation_id="me_export",
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv"], description="json or csv."),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="A `format` other than `json` or `csv`."
            ),
        },
        examples=examples.EXPORT,
    )
    def get(self, request: Request) -> HttpResponseBase:
        day = self.today.isoformat()
        if request.accepted_renderer.format == "csv":
            response = Response(queries.export_csv_zip(user=request.user))
            response["Content-Disposition"] = f'attachment; filename="progress-{day}.zip"'
            return response
        response = Response(queries.export_data(user=request.user))
        response["Content-Disposition"] = f'attachment; filename="progress-{day}.json"'
        return response
