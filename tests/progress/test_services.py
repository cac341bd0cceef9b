"""The progress services: what each writes, the rules that refuse a write (leaving nothing
behind), the learner's local day, implicit follows, daily activity kept in step, and tombstones."""

from datetime import UTC, date, datetime

import pytest
import time_machine

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

from .factories import StudyLogEntryFactory
from .world import ARCHIVED, make_world

pytestmark = pytest.mark.django_db
Status = TopicStatus.Status
# 2026-03-10 11:30 UTC: already 2026-03-11 in Auckland (UTC+13), still 2026-03-10 in London and
# 2026-03-10 03:30 in Los Angeles.
NOW = datetime(2026, 3, 10, 11, 30, tzinfo=UTC)


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def user():
    return UserFactory(timezone="Europe/London")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def counts() -> dict[str, int]:
    models = [TrackFollow, TopicStatus, ResourceDone, TopicNote, StudyLogEntry, DailyActivity]
    return {
        **{model.__name__: model.objects.count() for model in models},
        "Tombstone": Tombstone.objects.count(),
        "ProgressSettings": ProgressSettings.objects.count(),
    }


# --- follows ------------------------------------------------------------------------------------


def test_follow_is_idempotent(world, user):
    first = services.track_follow(user=user, track=world.track)
    again = services.track_follow(user=user, track=world.track)
    assert first.pk == again.pk
    assert TrackFollow.objects.filter(user=user).count() == 1


def test_following_a_draft_or_archived_track_is_refused(world, user):
    draft_track = world.draft_track_topic.phase.track
    world.other_track.archived_at = ARCHIVED
    world.other_track.save()
    for track in (draft_track, world.other_track):
        with pytest.raises(services.UnavailableError) as caught:
            services.track_follow(user=user, track=track)
        assert caught.value.field == "track"
    assert not TrackFollow.objects.exists()


def test_unfollow_deletes_with_a_tombstone(world, user):
    follow = services.track_follow(user=user, track=world.track)
    assert services.track_unfollow(user=user, track=world.track) is True
    assert not TrackFollow.objects.filter(user=user).exists()
    tombstone = Tombstone.objects.get(user=user)
    assert (tombstone.kind, tombstone.object_id) == ("follow", str(follow.pk))


def test_unfollowing_a_track_not_followed_changes_nothing(world, user):
    before = counts()
    assert services.track_unfollow(user=user, track=world.track) is False
    assert counts() == before


# --- statuses -----------------------------------------------------------------------------------


def test_status_set_creates_the_row_and_follows_the_track(world, user):
    row = services.status_set(user=user, topic=world.a1_first, status=Status.IN_PROGRESS)
    assert (row.status, row.done_on) == (Status.IN_PROGRESS, None)
    assert TrackFollow.objects.filter(user=user, track=world.track).exists()


def test_done_on_is_the_learners_local_day(world):
    auckland = UserFactory(timezone="Pacific/Auckland")
    los_angeles = UserFactory(timezone="America/Los_Angeles")
    assert services.status_set(user=auckland, topic=world.a_own, status="done").done_on == date(
        2026, 3, 11
    )
    assert services.status_set(user=los_angeles, topic=world.a_own, status="done").done_on == date(
        2026, 3, 10
    )


def test_done_again_keeps_the_first_day_and_leaving_done_clears_it(world, user):
    services.status_set(user=user, topic=world.a_own, status=Status.DONE)
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=UTC), tick=False):
        assert services.status_set(user=user, topic=world.a_own, status="done").done_on == date(
            2026, 3, 10
        )
        assert services.status_set(user=user, topic=world.a_own, status="skipped").done_on is None
        assert services.status_set(user=user, topic=world.a_own, status="done").done_on == date(
            2026, 3, 20
        )
    assert TopicStatus.objects.filter(user=user).count() == 1


def test_an_unchanged_status_is_not_rewritten(world, user):
    first = services.status_set(user=user, topic=world.a_own, status="in_progress")
    with time_machine.travel(datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        again = services.status_set(user=user, topic=world.a_own, status="in_progress")
    assert again.updated_at == first.updated_at


@pytest.mark.parametrize("status", ["finished", "", None, "DONE"])
def test_unknown_status_is_refused_and_nothing_saved(world, user, status):
    before = counts()
    with pytest.raises(services.ProgressError) as caught:
        services.status_set(user=user, topic=world.a_own, status=status)
    assert caught.value.field == "status"
    assert counts() == before


@pytest.mark.parametrize("name", ["draft", "archived", "draft_track_topic"])
def test_a_topic_that_is_not_published_and_current_is_refused(world, user, name):
    before = counts()
    with pytest.raises(services.UnavailableError) as caught:
        services.status_set(user=user, topic=getattr(world, name), status="done")
    assert caught.value.field == "topic"
    assert caught.value.as_errors() == {"topic": [services.TOPIC_UNAVAILABLE]}
    assert counts() == before


def test_a_topic_in_an_archived_phase_is_refused(world, user):
    world.sub_a1.archived_at = ARCHIVED
    world.sub_a1.save()
    with pytest.raises(services.UnavailableError):
        services.status_set(user=user, topic=world.a1_first, status="done")


def test_bulk_set_upserts_every_item_and_the_last_mention_wins(world, user):
    services.status_set(user=user, topic=world.a_own, status="in_progress")
    rows = services.statuses_set(
        user=user,
        items=[
            (world.a_own, "done"),
            (world.b_only, "skipped"),
            (world.other_topic, "in_progress"),
            (world.b_only, "in_progress"),
        ],
    )
    assert [(row.topic_id, row.status) for row in rows] == [
        (world.a_own.pk, "done"),
        (world.b_only.pk, "in_progress"),
        (world.other_topic.pk, "in_progress"),
    ]
    assert TopicStatus.objects.filter(user=user).count() == 3
    assert set(TrackFollow.objects.filter(user=user).values_list("track", flat=True)) == {
        world.track.pk,
        world.other_track.pk,
    }


def test_bulk_set_refuses_the_whole_batch_for_one_bad_item(world, user):
    before = counts()
    with pytest.raises(services.UnavailableError) as caught:
        services.statuses_set(
            user=user,
            items=[(world.a_own, "done"), (world.archived, "done"), (world.b_only, "done")],
        )
    assert caught.value.index == 1
    assert caught.value.as_errors() == {"items": {"1": {"topic": [services.TOPIC_UNAVAILABLE]}}}
    with pytest.raises(services.ProgressError) as caught:
        services.statuses_set(user=user, items=[(world.a_own, "done"), (world.b_only, "nope")])
    assert (caught.value.index, caught.value.field) == (1, "status")
    assert counts() == before


def test_implicit_follow_keeps_an_existing_target(world, user):
    services.target_set(user=user, track=world.track, target_date=date(2026, 9, 1))
    services.status_set(user=user, topic=world.a_own, status="done")
    assert TrackFollow.objects.get(user=user).target_date == date(2026, 9, 1)


# --- resources ----------------------------------------------------------------------------------


def test_marking_a_resource_done_follows_its_topics_track(world, user):
    row = services.resource_done_set(user=user, resource=world.resource, done=True)
    again = services.resource_done_set(user=user, resource=world.resource, done=True)
    assert row.pk == again.pk
    assert TrackFollow.objects.filter(user=user, track=world.track).exists()


def test_a_skills_resource_follows_nothing(world, user):
    services.resource_done_set(user=user, resource=world.skill_resource, done=True)
    assert ResourceDone.objects.filter(user=user).count() == 1
    assert not TrackFollow.objects.filter(user=user).exists()


def test_an_archived_resource_cannot_be_marked(world, user):
    before = counts()
    with pytest.raises(services.UnavailableError) as caught:
        services.resource_done_set(user=user, resource=world.archived_resource, done=True)
    assert caught.value.field == "resource"
    assert counts() == before


def test_unmarking_a_resource_leaves_a_tombstone(world, user):
    row = services.resource_done_set(user=user, resource=world.resource, done=True)
    assert services.resource_done_set(user=user, resource=world.resource, done=False) is None
    assert not ResourceDone.objects.exists()
    assert Tombstone.objects.get().object_id == str(row.pk)
    services.resource_done_set(user=user, resource=world.resource, done=False)
    assert Tombstone.objects.count() == 1


# --- notes --------------------------------------------------------------------------------------


def test_note_save_creates_then_replaces_one_note(world, user):
    first = services.note_save(user=user, topic=world.a_own, body="Use **bold**")
    second = services.note_save(user=user, topic=world.a_own, body="Now <script>x</script>")
    assert first.pk == second.pk
    note = TopicNote.objects.get()
    assert note.body == "Now <script>x</script>"
    assert "<script>" not in note.body_html


def test_an_empty_note_deletes_it_with_a_tombstone(world, user):
    note = services.note_save(user=user, topic=world.a_own, body="x")
    assert services.note_save(user=user, topic=world.a_own, body="  \n ") is None
    assert not TopicNote.objects.exists()
    assert Tombstone.objects.get(kind="note").object_id == str(note.pk)


def test_note_rules(world, user):
    with pytest.raises(services.ProgressError) as caught:
        services.note_save(user=user, topic=world.a_own, body="x" * 20001)
    assert caught.value.field == "body"
    with pytest.raises(services.UnavailableError):
        services.note_save(user=user, topic=world.archived, body="x")
    assert not TopicNote.objects.exists()
    assert services.note_delete(user=user, topic=world.a_own) is False
    assert not Tombstone.objects.exists()


def test_a_note_on_a_topic_archived_since_can_still_be_deleted(world, user):
    services.note_save(user=user, topic=world.a_own, body="x")
    world.a_own.archived_at = ARCHIVED
    world.a_own.save()
    assert services.note_delete(user=user, topic=world.a_own) is True


# --- study log ----------------------------------------------------------------------------------


def activity(user) -> dict[date, int]:
    return dict(DailyActivity.objects.filter(user=user).values_list("day", "minutes"))


def test_logging_adds_to_the_days_activity(world, user):
    services.study_log_add(user=user, day=date(2026, 3, 9), minutes=30, topic=world.a_own)
    services.study_log_add(user=user, day=date(2026, 3, 9), minutes=15, note="review")
    services.study_log_add(user=user, day=date(2026, 3, 10), minutes=1440)
    assert activity(user) == {date(2026, 3, 9): 45, date(2026, 3, 10): 1440}


@pytest.mark.parametrize("minutes", [0, -5, 1441, True, "30", 2.5, None])
def test_minutes_outside_1_to_1440_are_refused(user, minutes):
    before = counts()
    with pytest.raises(services.ProgressError) as caught:
        services.study_log_add(user=user, day=date(2026, 3, 9), minutes=minutes)
    assert caught.value.field == "minutes"
    assert counts() == before


@pytest.mark.parametrize(
    "day", [date(2026, 3, 11), date(1999, 12, 31), datetime(2026, 3, 9, tzinfo=UTC), "2026-03-09"]
)
def test_days_in_the_future_or_before_2000_are_refused(user, day):
    before = counts()
    with pytest.raises(services.ProgressError) as caught:
        services.study_log_add(user=user, day=day, minutes=30)
    assert caught.value.field == "day"
    assert counts() == before


def test_the_first_day_allowed_is_2000_01_01(user):
    services.study_log_add(user=user, day=date(2000, 1, 1), minutes=30)
    assert StudyLogEntry.objects.count() == 1


def test_today_is_the_learners_own_today():
    auckland = UserFactory(timezone="Pacific/Auckland")
    los_angeles = UserFactory(timezone="America/Los_Angeles")
    services.study_log_add(user=auckland, day=date(2026, 3, 11), minutes=30)
    with pytest.raises(services.ProgressError):
        services.study_log_add(user=los_angeles, day=date(2026, 3, 11), minutes=30)
    services.study_log_add(user=los_angeles, day=date(2026, 3, 10), minutes=30)


def test_log_note_length_and_topic_rules(world, user):
    before = counts()
    with pytest.raises(services.ProgressError) as caught:
        services.study_log_add(user=user, day=date(2026, 3, 9), minutes=5, note="x" * 501)
    assert caught.value.field == "note"
    with pytest.raises(services.UnavailableError) as caught:
        services.study_log_add(user=user, day=date(2026, 3, 9), minutes=5, topic=world.draft)
    assert caught.value.field == "topic"
    assert counts() == before


def test_update_moves_minutes_between_days(user):
    entry = services.study_log_add(user=user, day=date(2026, 3, 8), minutes=30)
    services.study_log_add(user=user, day=date(2026, 3, 9), minutes=10)
    services.study_log_update(user=user, entry_id=entry.pk, day=date(2026, 3, 9), minutes=50)
    assert activity(user) == {date(2026, 3, 9): 60}
    services.study_log_update(user=user, entry_id=entry.pk, minutes=20)
    assert activity(user) == {date(2026, 3, 9): 30}


def test_update_checks_like_add_and_saves_nothing_on_error(world, user):
    entry = services.study_log_add(user=user, day=date(2026, 3, 8), minutes=30)
    for changes in ({"minutes": 0}, {"day": date(2026, 3, 11)}, {"topic": world.archived}):
        with pytest.raises(services.ProgressError):
            services.study_log_update(user=user, entry_id=entry.pk, note="changed", **changes)
    entry.refresh_from_db()
    assert (entry.minutes, entry.day, entry.note, entry.topic) == (30, date(2026, 3, 8), "", None)
    assert activity(user) == {date(2026, 3, 8): 30}


def test_an_entry_may_keep_a_topic_archived_since(world, user):
    entry = services.study_log_add(user=user, day=date(2026, 3, 8), minutes=30, topic=world.a_own)
    world.a_own.archived_at = ARCHIVED
    world.a_own.save()
    services.study_log_update(user=user, entry_id=entry.pk, minutes=40, topic=world.a_own)
    services.study_log_update(user=user, entry_id=entry.pk, topic=None)
    entry.refresh_from_db()
    assert (entry.minutes, entry.topic) == (40, None)


def test_update_refuses_unknown_fields(user):
    entry = services.study_log_add(user=user, day=date(2026, 3, 8), minutes=30)
    with pytest.raises(TypeError):
        services.study_log_update(user=user, entry_id=entry.pk, user_id=99)


def test_delete_takes_the_minutes_off_and_leaves_a_tombstone(user):
    entry = services.study_log_add(user=user, day=date(2026, 3, 8), minutes=30)
    other = services.study_log_add(user=user, day=date(2026, 3, 8), minutes=20)
    services.study_log_delete(user=user, entry_id=entry.pk)
    assert activity(user) == {date(2026, 3, 8): 20}
    services.study_log_delete(user=user, entry_id=other.pk)
    assert activity(user) == {}
    assert sorted(Tombstone.objects.values_list("object_id", flat=True)) == sorted(
        [str(entry.pk), str(other.pk)]
    )


def test_another_learners_entry_cannot_be_changed_or_deleted(user):
    theirs = StudyLogEntryFactory(day=date(2026, 3, 8), minutes=30)
    before = counts()
    with pytest.raises(services.NotFoundError):
        services.study_log_update(user=user, entry_id=theirs.pk, minutes=10)
    with pytest.raises(services.NotFoundError):
        services.study_log_delete(user=user, entry_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.minutes == 30
    assert counts() == before


# --- targets and settings -----------------------------------------------------------------------


def test_target_set_follows_and_clears(world, user):
    follow = services.target_set(user=user, track=world.track, target_date=date(2026, 6, 1))
    assert follow.target_date == date(2026, 6, 1)
    assert services.target_set(user=user, track=world.track, target_date=None).target_date is None
    assert TrackFollow.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("target", [date(2026, 3, 10), date(2026, 3, 1)])
def test_a_target_must_be_after_today(world, user, target):
    with pytest.raises(services.ProgressError) as caught:
        services.target_set(user=user, track=world.track, target_date=target)
    assert caught.value.field == "target_date"
    assert not TrackFollow.objects.exists()


def test_weekly_goal(user):
    assert services.weekly_goal_set(user=user, minutes=0).weekly_goal_minutes == 0
    assert services.weekly_goal_set(user=user, minutes=10080).weekly_goal_minutes == 10080
    for minutes in (-1, 10081, "300", True):
        with pytest.raises(services.ProgressError):
            services.weekly_goal_set(user=user, minutes=minutes)
    assert ProgressSettings.objects.get(user=user).weekly_goal_minutes == 10080


def test_public_page_needs_a_valid_unique_handle(user):
    UserFactory(handle="taken")
    for handle, message in [
        (None, "Choose a handle"),
        ("", "Choose a handle"),
        ("Bad Handle", "lowercase"),
        ("taken", "taken"),
    ]:
        with pytest.raises(services.ProgressError) as caught:
            services.public_profile_set(user=user, enabled=True, handle=handle)
        assert caught.value.field == "handle"
        assert message in caught.value.message
    user.refresh_from_db()
    assert user.handle is None
    assert not ProgressSettings.objects.filter(user=user).exists()


def test_public_page_on_and_off(user):
    settings = services.public_profile_set(user=user, enabled=True, handle="ada")
    assert settings.public_profile is True
    user.refresh_from_db()
    assert user.handle == "ada"
    assert (
        services.public_profile_set(user=user, enabled=False, handle=None).public_profile is False
    )
    user.refresh_from_db()
    assert user.handle == "ada"  # None keeps the handle
    assert services.public_profile_set(user=user, enabled=True, handle=None).public_profile
    services.public_profile_set(user=user, enabled=False, handle="")
    user.refresh_from_db()
    assert user.handle is None
