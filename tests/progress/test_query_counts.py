"""The dashboard and every progress endpoint run the same number of queries for a learner with 10
progress rows of each kind as for one with 10,000 (statuses, study-log entries, notes, resources
done, tombstones; daily activity over a year).

Both learners' data is built once for the module, in a transaction rolled back at its end; each
test runs in its own savepoint, so the writes it measures are undone too."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from curriculum.models import Resource, Topic, Track
from portal.models import Tombstone, User
from progress import queries
from progress.models import (
    DailyActivity,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)
from tests.factories import PhaseFactory, TrackFactory, UserFactory

SMALL, LARGE = 10, 10_000
STATUS_CYCLE = ["done", "skipped", "in_progress", "not_started"]
TOMBSTONE_KINDS = ["follow", "resource_done", "note", "study_log"]
SINCE = "2000-01-01T00:00:00Z"  # everything counts as changed: the largest sync answer


@dataclass
class Learner:
    user: User
    track: Track
    topics: list[Topic]  # the first `size` are marked; the last five are not
    spare: list[Topic]
    resources: list[Resource]
    entry: StudyLogEntry


def _bulk_topics(prefix: str, track: Track, count: int) -> list[Topic]:
    phase = PhaseFactory(track=track, slug=f"{prefix}-phase", position=1)
    sub_phase = PhaseFactory(track=track, parent=phase, slug=f"{prefix}-sub", position=1)
    return Topic.objects.bulk_create(
        Topic(
            phase=phase if index % 2 else sub_phase,
            slug=f"{prefix}-topic-{index}",
            title=f"Topic {index}",
            summary="A topic.",
            hours=1 + index % 5,
            level="beginner",
            position=index,
        )
        for index in range(count)
    )


def grow(prefix: str, size: int) -> Learner:
    """A learner with `size` rows of each kind of progress data."""
    user = UserFactory(username=f"{prefix}-learner", timezone="Europe/Berlin")
    today = user.local_today()
    track = TrackFactory(slug=f"{prefix}-track")
    topics = _bulk_topics(prefix, track, size + 5)
    resources = Resource.objects.bulk_create(
        Resource(topic=topic, title=f"Docs {topic.pk}", url=f"https://e.com/{topic.pk}", kind="doc")
        for topic in topics
    )
    marked = topics[:size]
    TrackFollow.objects.create(user=user, track=track, target_date=today + timedelta(days=90))
    TopicStatus.objects.bulk_create(
        TopicStatus(
            user=user,
            topic=topic,
            status=STATUS_CYCLE[index % 4],
            done_on=today - timedelta(days=index % 120) if index % 4 == 0 else None,
        )
        for index, topic in enumerate(marked)
    )
    ResourceDone.objects.bulk_create(
        ResourceDone(user=user, resource=resource) for resource in resources[:size]
    )
    TopicNote.objects.bulk_create(
        TopicNote(user=user, topic=topic, body=f"Note {topic.pk}", body_html="<p>Note</p>")
        for topic in marked
    )
    span = min(size, 365)
    entries = StudyLogEntry.objects.bulk_create(
        StudyLogEntry(
            user=user,
            day=today - timedelta(days=index % span),
            minutes=30,
            topic=marked[index] if index % 2 else None,
            note=f"Entry {index}",
        )
        for index in range(size)
    )
    per_day: dict = {}
    for entry in entries:
        per_day[entry.day] = per_day.get(entry.day, 0) + entry.minutes
    DailyActivity.objects.bulk_create(
        DailyActivity(user=user, day=day, minutes=minutes) for day, minutes in per_day.items()
    )
    Tombstone.objects.bulk_create(
        Tombstone(user=user, kind=TOMBSTONE_KINDS[index % 4], object_id=str(index))
        for index in range(size)
    )
    return Learner(user, track, topics, topics[size:], resources, entries[1])


@pytest.fixture(scope="module")
def learners(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = {SMALL: grow("small", SMALL), LARGE: grow("large", LARGE)}
        yield built
        transaction.set_rollback(True)


@dataclass
class Case:
    name: str
    call: Callable  # (client, learner) -> response
    status: int = 200


def json(client, method: str, url: str, data: object = None):
    return getattr(client, method)(url, data, content_type="application/json")


API = "/api/v1/me"
CASES = [
    Case("tracks list", lambda c, x: c.get(f"{API}/tracks/", {"updated_since": SINCE})),
    Case("follow", lambda c, x: json(c, "post", f"{API}/tracks/", {"track": x.track.slug})),
    Case("unfollow", lambda c, x: json(c, "delete", f"{API}/tracks/{x.track.slug}/"), 204),
    Case("statuses list", lambda c, x: c.get(f"{API}/statuses/")),
    Case("statuses sync", lambda c, x: c.get(f"{API}/statuses/", {"updated_since": SINCE})),
    Case(
        "statuses of a track",
        lambda c, x: c.get(f"{API}/statuses/", {"track": x.track.slug, "page_size": 5}),
    ),
    Case(
        "status set",
        lambda c, x: json(
            c, "post", f"{API}/statuses/", {"topic": x.spare[0].slug, "status": "done"}
        ),
    ),
    Case(
        "status change",
        lambda c, x: json(
            c, "post", f"{API}/statuses/", {"topic": x.topics[1].slug, "status": "done"}
        ),
    ),
    Case(
        "statuses bulk",
        lambda c, x: json(
            c,
            "post",
            f"{API}/statuses/bulk/",
            {"items": [{"topic": t.slug, "status": "done"} for t in [*x.spare, *x.topics[:5]]]},
        ),
    ),
    Case("resources done", lambda c, x: c.get(f"{API}/resources-done/", {"updated_since": SINCE})),
    Case(
        "resource mark",
        lambda c, x: json(c, "post", f"{API}/resources-done/", {"resource": x.resources[-1].pk}),
    ),
    Case(
        "resource unmark",
        lambda c, x: json(c, "delete", f"{API}/resources-done/{x.resources[0].pk}/"),
        204,
    ),
    Case("notes", lambda c, x: c.get(f"{API}/notes/", {"updated_since": SINCE})),
    Case("note", lambda c, x: c.get(f"{API}/notes/{x.topics[0].slug}/")),
    Case(
        "note write",
        lambda c, x: json(c, "put", f"{API}/notes/{x.spare[0].slug}/", {"body": "**new**"}),
    ),
    Case("note delete", lambda c, x: json(c, "delete", f"{API}/notes/{x.topics[0].slug}/"), 204),
    Case("study log", lambda c, x: c.get(f"{API}/study-log/")),
    Case("study log sync", lambda c, x: c.get(f"{API}/study-log/", {"updated_since": SINCE})),
    Case(
        "study log add",
        lambda c, x: json(
            c,
            "post",
            f"{API}/study-log/",
            {"day": x.user.local_today().isoformat(), "minutes": 20, "topic": x.topics[2].slug},
        ),
        201,
    ),
    Case("entry", lambda c, x: c.get(f"{API}/study-log/{x.entry.pk}/")),
    Case(
        "entry change",
        lambda c, x: json(
            c,
            "patch",
            f"{API}/study-log/{x.entry.pk}/",
            {"minutes": 45, "day": (x.user.local_today() - timedelta(days=400)).isoformat()},
        ),
    ),
    Case("entry delete", lambda c, x: json(c, "delete", f"{API}/study-log/{x.entry.pk}/"), 204),
    Case("targets", lambda c, x: c.get(f"{API}/targets/")),
    Case(
        "target set",
        lambda c, x: json(
            c,
            "put",
            f"{API}/targets/{x.track.slug}/",
            {"target_date": (x.user.local_today() + timedelta(days=30)).isoformat()},
        ),
    ),
    Case("dashboard", lambda c, x: c.get(f"{API}/dashboard/")),
    Case("settings", lambda c, x: c.get(f"{API}/settings/")),
    Case(
        "settings change",
        lambda c, x: json(
            c,
            "patch",
            f"{API}/settings/",
            {"weekly_goal_minutes": 60, "public_profile": True, "handle": f"h-{x.user.pk}"},
        ),
    ),
    Case("export json", lambda c, x: c.get(f"{API}/export/")),
    Case("export csv", lambda c, x: c.get(f"{API}/export/", {"format": "csv"})),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_queries_do_not_grow_with_the_learners_rows(case, learners, client, db):
    counted, real = {}, {}
    for size, learner in learners.items():
        client.force_login(learner.user)
        with CaptureQueriesContext(connection) as context:
            response = case.call(client, learner)
        assert response.status_code == case.status, (size, response.content[:500])
        counted[size] = len(context)
        statements = [query["sql"] for query in context.captured_queries]
        real[size] = [sql for sql in statements if "SAVEPOINT" not in sql]
    assert counted[SMALL] == counted[LARGE], counted
    assert len(real[LARGE]) <= 17, real[LARGE]  # the export reads 15 kinds of rows


def test_the_large_learner_really_is_large(learners, client, db):
    learner = learners[LARGE]
    client.force_login(learner.user)
    assert client.get(f"{API}/statuses/").json()["count"] == LARGE
    synced = client.get(f"{API}/study-log/", {"updated_since": SINCE}).json()
    assert synced["count"] == LARGE
    assert len(synced["deleted"]) == LARGE // 4
    board = queries.dashboard(user=learner.user, today=learner.user.local_today())
    assert board.streak == 365
    assert board.tracks[0].progress.done_topics == LARGE // 4


def test_the_dashboard_query_is_eight_queries_at_any_size(learners, db):
    for learner in learners.values():
        today = learner.user.local_today()
        with CaptureQueriesContext(connection) as context:
            board = queries.dashboard(user=learner.user, today=today)
        assert len(context) == 8
        assert board.tracks
        assert board.heatmap[-1][1] > 0
