"""The progress API (/api/v1/me/...): serializers, OpenAPI examples and views."""

from .views import (
    MyDashboard,
    MyExport,
    MyNote,
    MyNotes,
    MyResourceDone,
    MyResourcesDone,
    MySettings,
    MyStatuses,
    MyStatusesBulk,
    MyStudyLog,
    MyStudyLogEntry,
    MyTarget,
    MyTargets,
    MyTrack,
    MyTracks,
)

__all__ = [
    "MyDashboard",
    "MyExport",
    "MyNote",
    "MyNotes",
    "MyResourceDone",
    "MyResourcesDone",
    "MySettings",
    "MyStatuses",
    "MyStatusesBulk",
    "MyStudyLog",
    "MyStudyLogEntry",
    "MyTarget",
    "MyTargets",
    "MyTrack",
    "MyTracks",
]
