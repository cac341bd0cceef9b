"""A read-only view of learners' progress for support staff ("why does my dashboard say ..."):
nothing can be added, changed or deleted here (learners change their data through the services;
deleting the account removes it all).

Private text stays private: note bodies and study-log notes are not shown, only that they exist
and when they changed.
"""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

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

USER_SEARCH = ("user__username", "user__email")


class ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = ("user",)
    search_fields = USER_SEARCH
    show_full_result_count = False  # counting a large table on every page is not worth it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(TrackFollow)
class TrackFollowAdmin(ReadOnlyAdmin):
    list_display = ("user", "track", "target_date", "updated_at")
    list_select_related = ("user", "track")
    search_fields = (*USER_SEARCH, "track__slug")


@admin.register(TopicStatus)
class TopicStatusAdmin(ReadOnlyAdmin):
    list_display = ("user", "topic", "status", "done_on", "updated_at")
    list_filter = ("status",)
    list_select_related = ("user", "topic")
    search_fields = (*USER_SEARCH, "topic__slug")


@admin.register(ResourceDone)
class ResourceDoneAdmin(ReadOnlyAdmin):
    list_display = ("user", "resource", "created_at")
    list_select_related = ("user", "resource")


@admin.register(TopicNote)
class TopicNoteAdmin(ReadOnlyAdmin):
    list_display = ("user", "topic", "updated_at")
    list_select_related = ("user", "topic")
    fields = ("user", "topic", "created_at", "updated_at")  # never the body


@admin.register(StudyLogEntry)
class StudyLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("user", "day", "minutes", "topic", "updated_at")
    list_select_related = ("user", "topic")
    fields = ("user", "day", "minutes", "topic", "created_at", "updated_at")  # never the note
    date_hierarchy = "day"


@admin.register(DailyActivity)
class DailyActivityAdmin(ReadOnlyAdmin):
    list_display = ("user", "day", "minutes")


@admin.register(ProgressSettings)
class ProgressSettingsAdmin(ReadOnlyAdmin):
    list_display = ("user", "weekly_goal_minutes", "public_profile", "updated_at")
    list_filter = ("public_profile",)


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "enabled",
        "cadence",
        "time_of_day",
        "digest_enabled",
        "next_reminder_at",
    )
    list_filter = ("enabled", "cadence", "digest_enabled")


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    """The reminder log: sent, skipped (with why) and failed (with the error)."""

    list_display = ("user", "kind", "local_date", "state", "reason", "attempts", "finished_at")
    list_filter = ("state", "kind")
    date_hierarchy = "due_at"
