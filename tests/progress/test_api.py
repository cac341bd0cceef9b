"""The progress API under /api/v1/me/: each endpoint's happy path, bad input answered as a 400
problem with field errors and nothing saved, another learner's rows answered 404 and left
unchanged, and incremental sync (`updated_since`, tombstones under `deleted`)."""

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
import time_machine
import yaml
from django.test import Client

from portal.models import Tombstone
from progress import services
from progress.models import (
    DailyActivity,
    ProgressSettings,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)
from tests.factories import UserFactory
from tests.portal.accounts_helpers import PASSWORD, verified_user

from .factories import (
    ResourceDoneFactory,
    StudyLogEntryFactory,
    TopicNoteFactory,
    TopicStatusFactory,
    TrackFollowFactory,
)
from .world import make_world

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
TODAY = date(2026, 3, 10)
LATER = datetime(2026, 3, 10, 15, tzinfo=UTC)
API = "/api/v1/me"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def user():
    return UserFactory(timezone="Europe/London")


@pytest.fixture
def other():
    return UserFactory(timezone="Europe/London")


@pytest.fixture
def me(client, user):
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    models = [
        TrackFollow, TopicStatus, ResourceDone, TopicNote, StudyLogEntry, DailyActivity,
        Tombstone, ProgressSettings,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def send(client: Client, method: str, url: str, data: object = None):
    return getattr(client, method)(url, data, content_type="application/json")


def assert_problem(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    if fields:
        assert set(fields) <= set(body["errors"]), body
    return body


# --- authentication -----------------------------------------------------------------------------

ROUTES = [
    ("get", "/tracks/"), ("post", "/tracks/"), ("delete", "/tracks/x/"),
    ("get", "/statuses/"), ("post", "/statuses/"), ("post", "/statuses/bulk/"),
    ("get", "/resources-done/"), ("post", "/resources-done/"), ("delete", "/resources-done/1/"),
    ("get", "/notes/"), ("get", "/notes/x/"), ("put", "/notes/x/"), ("delete", "/notes/x/"),
    ("get", "/study-log/"), ("post", "/study-log/"), ("get", "/study-log/1/"),
    ("patch", "/study-log/1/"), ("delete", "/study-log/1/"),
    ("get", "/targets/"), ("put", "/targets/x/"), ("get", "/dashboard/"),
    ("get", "/settings/"), ("patch", "/settings/"), ("get", "/export/"),
    ("get", "/reminders/"), ("patch", "/reminders/"), ("get", "/reminders/log/"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_requests_get_a_401_problem(client, method, path):
    response = send(client, method, f"{API}{path}", {})
    assert_problem(response, 401)
    assert "WWW-Authenticate" in response


def test_session_writes_need_the_csrf_token(world, user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = send(
        browser, "post", f"{API}/statuses/", {"topic": world.a_own.slug, "status": "done"}
    )
    body = assert_problem(response, 403)
    assert "CSRF" in body["detail"]
    assert not TopicStatus.objects.exists()


def test_the_apps_session_token_works_without_csrf(world):
    user = verified_user(email="ada@example.com")
    login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": "ada@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    token = login.json()["meta"]["session_token"]
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/statuses/",
        {"topic": world.a_own.slug, "status": "done"},
        content_type="application/json",
        headers={"X-Session-Token": token},
    )
    assert response.status_code == 200
    assert TopicStatus.objects.get().user == user


# --- followed tracks ----------------------------------------------------------------------------


def test_tracks_list_with_progress_and_next_up(me, world, user, other):
    TrackFollowFactory(user=user, track=world.track, target_date=date(2026, 9, 1))
    TopicStatusFactory(user=user, topic=world.a1_first, status="done")
    TrackFollowFactory(user=other, track=world.other_track)
    body = me.get(f"{API}/tracks/").json()
    assert body["count"] == 1
    assert body["deleted"] == []
    assert body["synced_at"] == "2026-03-10T12:00:00Z"
    item = body["results"][0]
    assert item["track"] == {"slug": world.track.slug, "title": world.track.title}
    assert item["url"] == f"http://testserver/tracks/{world.track.slug}/"
    assert item["target_date"] == "2026-09-01"
    assert item["progress"] == {
        "done_hours": 2.0, "total_hours": 20.0, "percent": 10, "done_topics": 1,
        "total_topics": 5, "skipped_topics": 0,
    }  # fmt: skip
    assert item["next_up"] == {"slug": world.a1_second.slug, "title": world.a1_second.title}


def test_follow_a_track(me, world, user):
    response = send(me, "post", f"{API}/tracks/", {"track": world.track.slug})
    assert response.status_code == 200
    assert response.json()["progress"]["total_topics"] == 5
    again = send(me, "post", f"{API}/tracks/", {"track": world.track.slug})
    assert again.json()["id"] == response.json()["id"]
    assert TrackFollow.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("slug", ["nope", "w-draft-track", ""])
def test_following_an_unknown_or_draft_track_is_a_400(me, world, slug):
    before = counts()
    assert_problem(send(me, "post", f"{API}/tracks/", {"track": slug}), 400, "track")
    assert counts() == before


def test_unfollow_and_its_tombstone(me, world, user):
    follow = TrackFollowFactory(user=user, track=world.track)
    with time_machine.travel(LATER, tick=False):
        assert send(me, "delete", f"{API}/tracks/{world.track.slug}/").status_code == 204
    body = me.get(f"{API}/tracks/", {"updated_since": "2026-03-10T14:00:00Z"}).json()
    assert body["results"] == []
    assert body["deleted"] == [
        {"kind": "follow", "id": str(follow.pk), "deleted_at": "2026-03-10T15:00:00Z"}
    ]


def test_unfollowing_leaves_other_learners_alone(me, world, other):
    theirs = TrackFollowFactory(user=other, track=world.track)
    before = counts()
    assert_problem(send(me, "delete", f"{API}/tracks/{world.track.slug}/"), 404)
    assert_problem(send(me, "delete", f"{API}/tracks/no-such-track/"), 404)
    assert counts() == before
    assert TrackFollow.objects.filter(pk=theirs.pk).exists()


# --- statuses -----------------------------------------------------------------------------------


def test_set_a_status(me, world, user):
    response = send(me, "post", f"{API}/statuses/", {"topic": world.a_own.slug, "status": "done"})
    assert response.status_code == 200
    body = response.json()
    assert (body["topic"], body["status"], body["done_on"]) == (
        world.a_own.slug,
        "done",
        "2026-03-10",
    )
    assert TrackFollow.objects.filter(user=user, track=world.track).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"topic": "w-a-own", "status": "finished"}, "status"),
        ({"topic": "w-a-own"}, "status"),
        ({"topic": "no-such-topic", "status": "done"}, "topic"),
        ({"topic": "w-archived", "status": "done"}, "topic"),
        ({"topic": "w-draft", "status": "done"}, "topic"),
        ({"topic": "w-in-draft-track", "status": "done"}, "topic"),
        ({"status": "done"}, "topic"),
    ],
)
def test_bad_status_input_is_a_400_and_saves_nothing(me, world, payload, field):
    before = counts()
    assert_problem(send(me, "post", f"{API}/statuses/", payload), 400, field)
    assert counts() == before


def test_bulk_set(me, world, user):
    items = [
        {"topic": world.a_own.slug, "status": "done"},
        {"topic": world.b_only.slug, "status": "skipped"},
        {"topic": world.a_own.slug, "status": "in_progress"},
    ]
    response = send(me, "post", f"{API}/statuses/bulk/", {"items": items})
    assert response.status_code == 200
    assert [(row["topic"], row["status"]) for row in response.json()["results"]] == [
        (world.a_own.slug, "in_progress"),
        (world.b_only.slug, "skipped"),
    ]
    assert TopicStatus.objects.filter(user=user).count() == 2


def test_bulk_set_refuses_the_batch_with_errors_by_position(me, world):
    before = counts()
    items = [
        {"topic": world.a_own.slug, "status": "done"},
        {"topic": world.archived.slug, "status": "done"},
    ]
    body = assert_problem(send(me, "post", f"{API}/statuses/bulk/", {"items": items}), 400)
    assert body["errors"] == {"items": {"1": {"topic": [services.TOPIC_UNAVAILABLE]}}}
    items[1] = {"topic": "unknown", "status": "done"}
    body = assert_problem(send(me, "post", f"{API}/statuses/bulk/", {"items": items}), 400)
    assert list(body["errors"]["items"]) == ["1"]
    items[1] = {"topic": world.b_only.slug, "status": "maybe"}
    assert_problem(send(me, "post", f"{API}/statuses/bulk/", {"items": items}), 400, "items")
    too_many = [{"topic": world.a_own.slug, "status": "done"}] * 501
    assert_problem(send(me, "post", f"{API}/statuses/bulk/", {"items": too_many}), 400, "items")
    assert_problem(send(me, "post", f"{API}/statuses/bulk/", {"items": []}), 400, "items")
    assert counts() == before


def test_status_list_sync_and_track_filter(me, world, user, other):
    TopicStatusFactory(user=user, topic=world.a_own, status="in_progress")
    TopicStatusFactory(user=user, topic=world.other_topic, status="in_progress")
    TopicStatusFactory(user=other, topic=world.b_only, status="done")
    with time_machine.travel(LATER, tick=False):
        services.status_set(user=user, topic=world.b_only, status="skipped")
    listed = me.get(f"{API}/statuses/").json()
    assert {row["topic"] for row in listed["results"]} == {
        world.a_own.slug, world.other_topic.slug, world.b_only.slug,
    }  # fmt: skip
    changed = me.get(f"{API}/statuses/", {"updated_since": "2026-03-10T13:00:00+00:00"}).json()
    assert [row["topic"] for row in changed["results"]] == [world.b_only.slug]
    assert changed["deleted"] == []
    of_track = me.get(f"{API}/statuses/", {"track": world.other_track.slug}).json()
    assert [row["topic"] for row in of_track["results"]] == [world.other_topic.slug]
    assert_problem(me.get(f"{API}/statuses/", {"track": "nope"}), 400, "track")


def test_setting_my_status_leaves_another_learners_alone(me, world, other):
    theirs = TopicStatusFactory(user=other, topic=world.a_own, status="done")
    send(me, "post", f"{API}/statuses/", {"topic": world.a_own.slug, "status": "skipped"})
    theirs.refresh_from_db()
    assert (theirs.status, theirs.updated_at) == ("done", NOW)


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01T00:00:00Z"])
def test_a_malformed_updated_since_is_a_400(me, since):
    for path in ("tracks", "statuses", "resources-done", "notes", "study-log"):
        assert_problem(me.get(f"{API}/{path}/", {"updated_since": since}), 400, "updated_since")


def test_a_page_past_the_last_is_a_404_problem(me):
    assert_problem(me.get(f"{API}/study-log/", {"page": 5}), 404)


# --- resources done -----------------------------------------------------------------------------


def test_mark_and_unmark_a_resource(me, world, user):
    response = send(me, "post", f"{API}/resources-done/", {"resource": world.resource.pk})
    assert response.status_code == 200
    row_id = response.json()["id"]
    assert response.json()["resource"] == world.resource.pk
    assert TrackFollow.objects.filter(user=user, track=world.track).exists()
    with time_machine.travel(LATER, tick=False):
        assert send(me, "delete", f"{API}/resources-done/{world.resource.pk}/").status_code == 204
    body = me.get(f"{API}/resources-done/", {"updated_since": "2026-03-10T12:00:01Z"}).json()
    assert body["results"] == []
    assert body["deleted"] == [
        {"kind": "resource_done", "id": str(row_id), "deleted_at": "2026-03-10T15:00:00Z"}
    ]


@pytest.mark.parametrize("resource", ["archived", 999999, "x", None])
def test_marking_a_missing_or_archived_resource_is_a_400(me, world, resource):
    if resource == "archived":
        resource = world.archived_resource.pk
    before = counts()
    assert_problem(
        send(me, "post", f"{API}/resources-done/", {"resource": resource}), 400, "resource"
    )
    assert counts() == before


def test_another_learners_resource_mark_is_not_mine_to_remove(me, world, other):
    theirs = ResourceDoneFactory(user=other, resource=world.resource)
    before = counts()
    assert_problem(send(me, "delete", f"{API}/resources-done/{world.resource.pk}/"), 404)
    assert counts() == before
    assert ResourceDone.objects.filter(pk=theirs.pk).exists()
    assert me.get(f"{API}/resources-done/").json()["results"] == []


# --- notes --------------------------------------------------------------------------------------


def test_write_read_and_delete_a_note(me, world, user):
    url = f"{API}/notes/{world.a_own.slug}/"
    response = send(me, "put", url, {"body": "**Key** idea <script>alert(1)</script>"})
    assert response.status_code == 200
    body = response.json()
    assert body["topic"] == world.a_own.slug
    assert "<strong>Key</strong>" in body["body_html"]
    assert "<script>" not in body["body_html"]
    assert me.get(url).json()["id"] == body["id"]
    assert [note["id"] for note in me.get(f"{API}/notes/").json()["results"]] == [body["id"]]
    with time_machine.travel(LATER, tick=False):
        assert send(me, "delete", url).status_code == 204
    synced = me.get(f"{API}/notes/", {"updated_since": "2026-03-10T14:00:00Z"}).json()
    assert synced["deleted"] == [
        {"kind": "note", "id": str(body["id"]), "deleted_at": "2026-03-10T15:00:00Z"}
    ]
    assert_problem(me.get(url), 404)


def test_an_empty_note_deletes_it(me, world, user):
    TopicNoteFactory(user=user, topic=world.a_own)
    response = send(me, "put", f"{API}/notes/{world.a_own.slug}/", {"body": "   "})
    assert response.status_code == 204
    assert not TopicNote.objects.exists()
    assert Tombstone.objects.filter(kind="note").count() == 1


def test_bad_note_input(me, world):
    before = counts()
    too_long = {"body": "x" * 20001}
    assert_problem(send(me, "put", f"{API}/notes/{world.a_own.slug}/", too_long), 400, "body")
    assert_problem(send(me, "put", f"{API}/notes/{world.a_own.slug}/", {}), 400, "body")
    archived = f"{API}/notes/{world.archived.slug}/"
    assert_problem(send(me, "put", archived, {"body": "x"}), 400, "topic")
    assert_problem(send(me, "put", f"{API}/notes/no-such-topic/", {"body": "x"}), 404)
    assert counts() == before


def test_another_learners_note_is_404_and_untouched(me, world, other):
    theirs = TopicNoteFactory(user=other, topic=world.a_own, body="theirs")
    url = f"{API}/notes/{world.a_own.slug}/"
    before = counts()
    assert_problem(me.get(url), 404)
    assert_problem(send(me, "delete", url), 404)
    assert counts() == before
    assert me.get(f"{API}/notes/").json()["results"] == []
    send(me, "put", url, {"body": "mine"})
    theirs.refresh_from_db()
    assert theirs.body == "theirs"


# --- study log ----------------------------------------------------------------------------------


def test_log_study_time(me, world, user):
    payload = {"day": "2026-03-09", "minutes": 45, "topic": world.a_own.slug, "note": "evening"}
    response = send(me, "post", f"{API}/study-log/", payload)
    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in payload} == payload
    plain = send(me, "post", f"{API}/study-log/", {"day": "2026-03-10", "minutes": 5})
    assert plain.json()["topic"] is None
    assert DailyActivity.objects.get(user=user, day=date(2026, 3, 9)).minutes == 45
    listed = me.get(f"{API}/study-log/").json()["results"]
    assert [entry["day"] for entry in listed] == ["2026-03-10", "2026-03-09"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"day": "2026-03-09", "minutes": 0}, "minutes"),
        ({"day": "2026-03-09", "minutes": 1441}, "minutes"),
        ({"day": "2026-03-09", "minutes": "many"}, "minutes"),
        ({"day": "2026-03-09"}, "minutes"),
        ({"day": "2026-03-11", "minutes": 30}, "day"),
        ({"day": "1999-12-31", "minutes": 30}, "day"),
        ({"day": "09/03/2026", "minutes": 30}, "day"),
        ({"day": "2026-03-09", "minutes": 30, "topic": "w-archived"}, "topic"),
        ({"day": "2026-03-09", "minutes": 30, "topic": "no-such-topic"}, "topic"),
        ({"day": "2026-03-09", "minutes": 30, "note": "x" * 501}, "note"),
    ],
)
def test_bad_study_log_input_is_a_400_and_saves_nothing(me, world, payload, field):
    before = counts()
    assert_problem(send(me, "post", f"{API}/study-log/", payload), 400, field)
    assert counts() == before


def test_the_future_is_the_learners_own(client, world):
    """At 12:00 UTC it is already the 11th in Auckland (UTC+13)."""
    client.force_login(UserFactory(timezone="Pacific/Auckland"))
    response = send(client, "post", f"{API}/study-log/", {"day": "2026-03-11", "minutes": 30})
    assert response.status_code == 201


def test_change_and_delete_an_entry(me, world, user):
    entry = services.study_log_add(user=user, day=date(2026, 3, 9), minutes=30)
    url = f"{API}/study-log/{entry.pk}/"
    assert me.get(url).json()["minutes"] == 30
    response = send(me, "patch", url, {"minutes": 50, "topic": world.a_own.slug})
    assert (response.json()["minutes"], response.json()["topic"]) == (50, world.a_own.slug)
    assert send(me, "patch", url, {"topic": None}).json()["topic"] is None
    assert DailyActivity.objects.get(user=user).minutes == 50
    assert_problem(send(me, "patch", url, {"minutes": 2000}), 400, "minutes")
    assert_problem(send(me, "patch", url, {"day": None}), 400, "day")
    with time_machine.travel(LATER, tick=False):
        assert send(me, "delete", url).status_code == 204
    assert not DailyActivity.objects.exists()
    synced = me.get(f"{API}/study-log/", {"updated_since": "2026-03-10T14:00:00Z"}).json()
    assert synced["results"] == []
    assert synced["deleted"] == [
        {"kind": "study_log", "id": str(entry.pk), "deleted_at": "2026-03-10T15:00:00Z"}
    ]


def test_another_learners_entry_is_404_and_unchanged(me, world, other):
    theirs = StudyLogEntryFactory(user=other, day=date(2026, 3, 9), minutes=30, note="theirs")
    url = f"{API}/study-log/{theirs.pk}/"
    before = counts()
    assert_problem(me.get(url), 404)
    assert_problem(send(me, "patch", url, {"minutes": 10}), 404)
    assert_problem(send(me, "delete", url), 404)
    assert_problem(me.get(f"{API}/study-log/999999/"), 404)
    assert counts() == before
    theirs.refresh_from_db()
    assert (theirs.minutes, theirs.note) == (30, "theirs")
    assert me.get(f"{API}/study-log/").json()["count"] == 0


def test_study_log_sync_returns_changed_entries_only(me, user):
    old = services.study_log_add(user=user, day=date(2026, 3, 1), minutes=30)
    services.study_log_add(user=user, day=date(2026, 3, 2), minutes=30)
    with time_machine.travel(LATER, tick=False):
        services.study_log_update(user=user, entry_id=old.pk, minutes=40)
    body = me.get(f"{API}/study-log/", {"updated_since": "2026-03-10T13:00:00Z"}).json()
    assert [(entry["id"], entry["minutes"]) for entry in body["results"]] == [(old.pk, 40)]


# --- targets ------------------------------------------------------------------------------------


def test_set_and_list_targets(me, world, user):
    url = f"{API}/targets/{world.track.slug}/"
    response = send(me, "put", url, {"target_date": "2026-06-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["track"]["slug"] == world.track.slug
    assert body["target_date"] == "2026-06-01"
    assert body["pace"]["state"] == "no_pace"
    assert body["pace"]["needed_hours_per_week"] == 1.7  # 20 h over 83 days
    listed = me.get(f"{API}/targets/").json()
    assert [(item["track"]["slug"], item["target_date"]) for item in listed] == [
        (world.track.slug, "2026-06-01")
    ]
    cleared = send(me, "put", url, {"target_date": None}).json()
    assert (cleared["target_date"], cleared["pace"]["state"]) == (None, "no_target")


def test_bad_targets(me, world, other):
    theirs = TrackFollowFactory(user=other, track=world.track, target_date=date(2026, 7, 1))
    before = counts()
    url = f"{API}/targets/{world.track.slug}/"
    assert_problem(send(me, "put", url, {"target_date": "2026-03-10"}), 400, "target_date")
    assert_problem(send(me, "put", url, {"target_date": "soon"}), 400, "target_date")
    assert_problem(send(me, "put", url, {}), 400, "target_date")
    assert_problem(send(me, "put", f"{API}/targets/w-draft-track/", {"target_date": None}), 404)
    assert counts() == before
    send(me, "put", url, {"target_date": "2026-08-01"})
    theirs.refresh_from_db()
    assert theirs.target_date == date(2026, 7, 1)


# --- dashboard, settings, export ----------------------------------------------------------------


def test_dashboard(me, world, user):
    services.target_set(user=user, track=world.track, target_date=date(2026, 9, 1))
    services.status_set(user=user, topic=world.a1_first, status="done")
    services.study_log_add(user=user, day=TODAY, minutes=90, topic=world.a_own)
    body = me.get(f"{API}/dashboard/").json()
    assert body["today"] == "2026-03-10"
    assert (body["streak"], body["week_minutes"], body["weekly_goal_minutes"]) == (1, 90, 300)
    assert body["week_percent"] == 30
    assert len(body["heatmap"]) == 365
    assert body["heatmap"][-1] == {"day": "2026-03-10", "minutes": 90}
    (track,) = body["tracks"]
    assert track["track"]["slug"] == world.track.slug
    assert track["progress"]["percent"] == 10
    assert track["next_up"]["slug"] == world.a1_second.slug
    assert track["pace"]["hours_per_week"] == 0.4  # 1.5 h over four weeks
    assert track["pace"]["basis"] == "track"
    assert track["over_time"][-1] == {"day": "2026-03-10", "percent": 10}
    assert len(track["over_time"]) == 12


def test_settings(me, user):
    assert me.get(f"{API}/settings/").json() == {
        "weekly_goal_minutes": 300, "public_profile": False, "handle": None, "public_url": None,
    }  # fmt: skip
    body = send(me, "patch", f"{API}/settings/", {"weekly_goal_minutes": 600}).json()
    assert body["weekly_goal_minutes"] == 600
    body = send(me, "patch", f"{API}/settings/", {"public_profile": True, "handle": "ada"}).json()
    assert body == {
        "weekly_goal_minutes": 600, "public_profile": True, "handle": "ada",
        "public_url": "http://testserver/u/ada/",
    }  # fmt: skip
    body = send(me, "patch", f"{API}/settings/", {"public_profile": False}).json()
    assert (body["public_profile"], body["handle"], body["public_url"]) == (False, "ada", None)


def test_settings_are_all_or_nothing(me, user):
    UserFactory(handle="taken")
    before = counts()
    payloads = [
        ({"weekly_goal_minutes": 500, "public_profile": True, "handle": "taken"}, "handle"),
        ({"weekly_goal_minutes": 500, "public_profile": True}, "handle"),
        ({"weekly_goal_minutes": 500, "handle": "Not Valid"}, "handle"),
        ({"weekly_goal_minutes": 99999}, "weekly_goal_minutes"),
        ({"public_profile": "perhaps"}, "public_profile"),
    ]
    for payload, field in payloads:
        assert_problem(send(me, "patch", f"{API}/settings/", payload), 400, field)
    assert counts() == before
    user.refresh_from_db()
    assert user.handle is None


def test_export_json_and_csv(me, world, user, other):
    services.status_set(user=user, topic=world.a_own, status="done")
    services.study_log_add(user=user, day=TODAY, minutes=30, note="mine")
    StudyLogEntryFactory(user=other, note="not mine")
    response = me.get(f"{API}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="progress-2026-03-10.json"'
    body = response.json()
    assert [entry["note"] for entry in body["study_log"]] == ["mine"]
    assert [row["topic"] for row in body["statuses"]] == [world.a_own.slug]
    assert [row["track"] for row in body["follows"]] == [world.track.slug]
    response = me.get(f"{API}/export/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    log = archive.read("study_log.csv").decode()
    assert "mine" in log
    assert "not mine" not in log


def test_export_with_an_unknown_format_is_a_problem(me):
    assert_problem(me.get(f"{API}/export/", {"format": "xml"}), 404)


# --- schema -------------------------------------------------------------------------------------


def test_every_progress_operation_is_documented(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/me/") and path not in ("/api/v1/me/", "/api/v1/me/delete/")
        for method, operation in methods.items()
    }
    assert len(operations) == len(ROUTES)
    for (path, method), operation in operations.items():
        assert operation["summary"], (path, method)
        responses = operation["responses"]
        for status in ("401", "403", "429"):
            assert PROBLEM in responses[status]["content"], (path, method, status)
        if method in ("post", "put", "patch"):
            assert PROBLEM in responses["400"]["content"], (path, method)
            assert operation["requestBody"]["content"]["application/json"]["examples"]
        if "{" in path:
            assert PROBLEM in responses["404"]["content"], (path, method)
        if method != "delete":
            ok = responses.get("200") or responses["201"]
            assert ok["content"]["application/json"]["examples"], (path, method)
        else:
            assert "204" in responses, path
    study_log = operations[("/api/v1/me/study-log/", "get")]
    assert {"updated_since", "page", "page_size"} <= {p["name"] for p in study_log["parameters"]}
    assert (
        "application/zip"
        in operations[("/api/v1/me/export/", "get")]["responses"]["200"]["content"]
    )


HUGE = 10**23
ODD_INPUT = [
    ("get", f"/study-log/{HUGE}/", None, 404),
    ("patch", f"/study-log/{HUGE}/", {"minutes": 5}, 404),
    ("delete", f"/study-log/{HUGE}/", None, 404),
    ("delete", f"/resources-done/{HUGE}/", None, 404),
    ("post", "/resources-done/", {"resource": HUGE}, 400),
    ("get", "/statuses/?updated_since=0001-01-01T00:00:00%2B05:00", None, 400),
    ("post", "/study-log/", {"day": "0001-01-01", "minutes": HUGE}, 400),
    ("post", "/study-log/", {"day": "2020-01-01", "minutes": 5, "topic": "a\x00b"}, 400),
    ("post", "/study-log/", {"day": "2020-01-01", "minutes": 5, "note": "a\x00b"}, 400),
    ("put", "/notes/w-a-own/", {"body": "a\x00b"}, 400),
    ("post", "/statuses/", ["not", "an", "object"], 400),
    ("post", "/statuses/bulk/", {"items": "nope"}, 400),
    ("patch", "/settings/", {"weekly_goal_minutes": HUGE}, 400),
    ("patch", "/settings/", {"handle": "x" * 5000}, 400),
    ("get", "/study-log/?page=99999999999999999999", None, 404),
]


@pytest.mark.parametrize(("method", "path", "data", "status"), ODD_INPUT)
def test_odd_input_is_a_problem_never_a_500(me, world, method, path, data, status):
    before = counts()
    assert_problem(send(me, method, f"{API}{path}", data), status)
    assert counts() == before


def test_a_problem_from_the_csv_export_is_still_json(client):
    body = assert_problem(client.get(f"{API}/export/", {"format": "csv"}), 401)
    assert body["type"] == "/api/problems/not_authenticated"


def test_dashboard_targets_and_settings_show_only_mine(me, world, user, other):
    services.status_set(user=other, topic=world.a_own, status="done")
    services.target_set(user=other, track=world.other_track, target_date=date(2026, 5, 1))
    services.study_log_add(user=other, day=TODAY, minutes=300)
    services.public_profile_set(user=other, enabled=True, handle="bob")
    board = me.get(f"{API}/dashboard/").json()
    assert (board["tracks"], board["streak"], board["week_minutes"]) == ([], 0, 0)
    assert sum(day["minutes"] for day in board["heatmap"]) == 0
    assert me.get(f"{API}/targets/").json() == []
    assert me.get(f"{API}/settings/").json()["handle"] is None
    assert me.get(f"{API}/tracks/").json()["count"] == 0
