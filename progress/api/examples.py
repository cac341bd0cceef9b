"""OpenAPI examples of the progress API's requests and answers. A list shows one item; the sync
envelope (`count`, `next`, `previous`, `results`, `deleted`, `synced_at`) is spelled out once per
list so the deletions show."""

from drf_spectacular.utils import OpenApiExample

SITE = "https://portal.example.com"
TRACK = {"slug": "ai-ml-engineer-skills", "title": "High-Demand Skills for AI/ML Engineer Roles"}
TOPIC = {"slug": "skills-python-basics-for-ml", "title": "Python Basics for ML"}
PROGRESS = {
    "done_hours": 36.0,
    "total_hours": 328.0,
    "percent": 10,
    "done_topics": 4,
    "total_topics": 35,
    "skipped_topics": 1,
}
PACE = {
    "hours_per_week": 6.5,
    "basis": "track",
    "remaining_hours": 292.0,
    "projected_finish": "2027-10-05",
    "target_date": "2027-06-30",
    "state": "behind",
    "needed_hours_per_week": 9.1,
}
SYNCED_AT = "2026-11-24T18:30:00Z"
FOLLOW = {
    "id": 7,
    "track": TRACK,
    "url": f"{SITE}/tracks/ai-ml-engineer-skills/",
    "target_date": "2027-06-30",
    "progress": PROGRESS,
    "next_up": {"slug": "skills-sql-for-data", "title": "SQL for Data Work"},
    "created_at": "2026-09-01T07:12:03Z",
    "updated_at": "2026-11-20T21:40:11Z",
}
STATUS = {
    "id": 311,
    "topic": TOPIC["slug"],
    "status": "done",
    "done_on": "2026-11-23",
    "created_at": "2026-11-02T19:01:44Z",
    "updated_at": "2026-11-23T20:15:09Z",
}
RESOURCE_DONE = {
    "id": 52,
    "resource": 118,
    "created_at": "2026-11-21T08:00:00Z",
    "updated_at": "2026-11-21T08:00:00Z",
}
NOTE = {
    "id": 19,
    "topic": TOPIC["slug"],
    "body": "Practise **list comprehensions** before the next topic.",
    "body_html": "<p>Practise <strong>list comprehensions</strong> before the next topic.</p>",
    "created_at": "2026-11-12T18:00:00Z",
    "updated_at": "2026-11-22T18:30:00Z",
}
ENTRY = {
    "id": 1204,
    "day": "2026-11-23",
    "minutes": 45,
    "topic": TOPIC["slug"],
    "note": "Exercises 1-6",
    "created_at": "2026-11-23T20:16:40Z",
    "updated_at": "2026-11-23T20:16:40Z",
}


def _page(item: dict, kind: str, deleted_id: str) -> dict:
    return {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [item],
        "deleted": [{"kind": kind, "id": deleted_id, "deleted_at": "2026-11-22T09:03:00Z"}],
        "synced_at": SYNCED_AT,
    }


def response(name: str, value: dict | list, *, status: int = 200, summary: str = "") -> list:
    return [
        OpenApiExample(
            name, value=value, response_only=True, status_codes=[status], summary=summary or name
        )
    ]


def request(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


TRACKS = response("Followed tracks changed since", _page(FOLLOW, "follow", "6"))
FOLLOWED = response("The followed track", FOLLOW)
STATUSES = response("Statuses changed since", _page(STATUS, "status", "0") | {"deleted": []})
STATUS_SET = response("The status", STATUS)
STATUSES_SET = response("The statuses, in the order sent", {"results": [STATUS]})
RESOURCES_DONE = response("Resources done since", _page(RESOURCE_DONE, "resource_done", "49"))
RESOURCE_MARKED = response("The resource marked done", RESOURCE_DONE)
NOTES = response("Notes changed since", _page(NOTE, "note", "17"))
NOTE_OUT = response("The note", NOTE)
STUDY_LOG = response("Entries changed since", _page(ENTRY, "study_log", "1198"))
ENTRY_CREATED = response("The new entry", ENTRY, status=201)
ENTRY_OUT = response("The entry", ENTRY)
TARGET = {"track": TRACK, "target_date": "2027-06-30", "pace": PACE}
TARGETS = response("Targets with their pace", [TARGET])
TARGET_OUT = response("The target and the pace toward it", TARGET)
DASHBOARD = response(
    "The dashboard (heatmap trimmed to two days)",
    {
        "today": "2026-11-24",
        "tracks": [
            {
                "track": TRACK,
                "url": FOLLOW["url"],
                "target_date": "2027-06-30",
                "progress": PROGRESS,
                "next_up": FOLLOW["next_up"],
                "pace": PACE,
                "over_time": [
                    {"day": "2026-11-17", "percent": 8},
                    {"day": "2026-11-24", "percent": 10},
                ],
            }
        ],
        "streak": 5,
        "week_minutes": 95,
        "weekly_goal_minutes": 300,
        "week_percent": 31,
        "heatmap": [
            {"day": "2026-11-23", "minutes": 45},
            {"day": "2026-11-24", "minutes": 50},
        ],
    },
)
SETTINGS = response(
    "Settings with the public page on",
    {
        "weekly_goal_minutes": 300,
        "public_profile": True,
        "handle": "ada",
        "public_url": f"{SITE}/u/ada/",
    },
)
EXPORT = response(
    "Everything the learner owns (one row per kind)",
    {
        "exported_at": "2026-11-24T18:30:00+00:00",
        "account": {
            "username": "ada",
            "email": "ada@example.com",
            "display_name": "Ada",
            "handle": "ada",
            "timezone": "Europe/London",
            "weekly_goal_minutes": 300,
            "public_profile": True,
        },
        "follows": [
            {
                "track": TRACK["slug"],
                "track_title": TRACK["title"],
                "target_date": "2027-06-30",
                "created_at": "2026-09-01T07:12:03+00:00",
                "updated_at": "2026-11-20T21:40:11+00:00",
            }
        ],
        "statuses": [
            {
                "topic": TOPIC["slug"],
                "topic_title": TOPIC["title"],
                "track": TRACK["slug"],
                "status": "done",
                "done_on": "2026-11-23",
                "updated_at": "2026-11-23T20:15:09+00:00",
            }
        ],
        "resources_done": [
            {
                "resource": 118,
                "title": "Hugging Face NLP Course (now the LLM Course)",
                "url": "https://huggingface.co/learn/llm-course",
                "topic": "skills-how-llms-work",
                "done_at": "2026-11-21T08:00:00+00:00",
            }
        ],
        "notes": [
            {
                "topic": TOPIC["slug"],
                "topic_title": TOPIC["title"],
                "body": NOTE["body"],
                "created_at": "2026-11-12T18:00:00+00:00",
                "updated_at": "2026-11-22T18:30:00+00:00",
            }
        ],
        "study_log": [
            {
                "id": 1204,
                "day": "2026-11-23",
                "minutes": 45,
                "topic": TOPIC["slug"],
                "note": "Exercises 1-6",
                "created_at": "2026-11-23T20:16:40+00:00",
                "updated_at": "2026-11-23T20:16:40+00:00",
            }
        ],
        "daily_activity": [{"day": "2026-11-23", "minutes": 45}],
        "quiz_attempts": [],
    },
)

FOLLOW_IN = [request("Follow a track", {"track": TRACK["slug"]})]
STATUS_IN = [request("Mark a topic done", {"topic": TOPIC["slug"], "status": "done"})]
STATUSES_IN = [
    request(
        "Mark two topics",
        {
            "items": [
                {"topic": TOPIC["slug"], "status": "done"},
                {"topic": "skills-sql-for-data", "status": "in_progress"},
            ]
        },
    )
]
RESOURCE_IN = [request("Mark a resource done", {"resource": 118})]
NOTE_IN = [request("Write a note", {"body": NOTE["body"]})]
ENTRY_IN = [
    request(
        "Log 45 minutes on a topic",
        {"day": "2026-11-23", "minutes": 45, "topic": TOPIC["slug"], "note": "Exercises 1-6"},
    )
]
ENTRY_PATCH = [request("Correct the minutes", {"minutes": 60})]
TARGET_IN = [request("Aim for the end of June", {"target_date": "2027-06-30"})]
REMINDERS = response(
    "Reminders on weekdays at 07:30, with the digest on Sundays",
    {
        "enabled": True,
        "cadence": "weekdays",
        "days": [],
        "time_of_day": "07:30",
        "timezone": "Europe/Berlin",
        "skip_if_studied": True,
        "digest_enabled": True,
        "digest_day": 6,
        "next_reminder_at": "2026-11-25T06:30:00Z",
        "next_digest_at": "2026-11-29T06:30:00Z",
    },
)
REMINDERS_IN = [
    request(
        "Remind me on weekdays at 07:30",
        {"enabled": True, "cadence": "weekdays", "time_of_day": "07:30"},
    ),
    request("Mondays and Thursdays only", {"cadence": "custom", "days": [0, 3]}),
    request("Turn reminders off", {"enabled": False}),
]
REMINDER_LOG = response(
    "The last reminders",
    {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": 41,
                "kind": "reminder",
                "local_date": "2026-11-24",
                "due_at": "2026-11-24T06:30:00Z",
                "state": "sent",
                "reason": "",
                "finished_at": "2026-11-24T06:30:04Z",
            },
            {
                "id": 40,
                "kind": "reminder",
                "local_date": "2026-11-23",
                "due_at": "2026-11-23T06:30:00Z",
                "state": "skipped",
                "reason": "already studied that day",
                "finished_at": "2026-11-23T06:30:03Z",
            },
        ],
        "deleted": [],
        "synced_at": SYNCED_AT,
    },
)
SETTINGS_IN = [
    request("Set a weekly goal of 5 hours", {"weekly_goal_minutes": 300}),
    request("Turn the public page on", {"public_profile": True, "handle": "ada"}),
]
