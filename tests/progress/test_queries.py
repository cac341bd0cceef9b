"""The progress reads: progress math (skipped topics, sub-phases, what is not visible), next up,
streaks across timezones, this week, the heatmap, progress over time, pace and projections, the
dashboard, the public page and the data export."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from progress import queries, services
from progress.models import DailyActivity, TopicStatus
from quizzes.services import answer_save, attempt_start, attempt_submit
from tests.factories import UserFactory
from tests.quizzes.attempt_fixtures import make_bank

from .factories import (
    DailyActivityFactory,
    ResourceDoneFactory,
    StudyLogEntryFactory,
    TopicNoteFactory,
    TopicStatusFactory,
    TrackFollowFactory,
)
from .world import ARCHIVED, make_world

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def user():
    return UserFactory(timezone="Europe/London")


def mark(user, topic, status: str, done_on: date | None = None) -> TopicStatus:
    if status == "done" and done_on is None:
        done_on = TODAY
    return TopicStatusFactory(user=user, topic=topic, status=status, done_on=done_on)


def active(user, *days: date, minutes: int = 30) -> None:
    for day in days:
        DailyActivityFactory(user=user, day=day, minutes=minutes)


# --- progress -----------------------------------------------------------------------------------


def test_progress_without_statuses(world, user):
    progress = queries.track_progress(user=user, tracks=[world.track])[world.track.pk]
    assert progress == queries.Progress(
        done_hours=Decimal(0),
        total_hours=Decimal(20),
        percent=0,
        done_topics=0,
        total_topics=5,
        skipped_topics=0,
    )


def test_skipped_topics_leave_the_plan(world, user):
    mark(user, world.a1_first, "done")  # 2 h
    mark(user, world.b_only, "skipped")  # 6 h
    mark(user, world.a_own, "in_progress")
    progress = queries.track_progress(user=user, tracks=[world.track])[world.track.pk]
    assert (progress.done_hours, progress.total_hours) == (Decimal(2), Decimal(14))
    assert progress.percent == 14  # 14.28... rounded down
    assert (progress.done_topics, progress.total_topics, progress.skipped_topics) == (1, 4, 1)
    assert progress.remaining_hours == Decimal(12)


def test_hidden_topics_and_other_learners_do_not_count(world, user):
    mark(user, world.archived, "done")
    mark(user, world.draft, "done")
    mark(UserFactory(), world.a_own, "done")
    progress = queries.track_progress(user=user, tracks=[world.track])[world.track.pk]
    assert (progress.done_hours, progress.total_hours, progress.total_topics) == (0, 20, 5)


def test_percent_is_100_only_when_everything_planned_is_done(world, user):
    for topic in world.in_order[:-1]:
        mark(user, topic, "done")
    assert queries.track_progress(user=user, tracks=[world.track])[world.track.pk].percent == 70
    assert queries._percent(Decimal("99.9"), Decimal(100)) == 99
    mark(user, world.b_only, "skipped")
    progress = queries.track_progress(user=user, tracks=[world.track])[world.track.pk]
    assert (progress.percent, progress.complete) == (100, True)


def test_a_track_with_every_topic_skipped_is_complete_and_an_empty_one_is_at_0(world, user):
    for topic in world.in_order:
        mark(user, topic, "skipped")
    empty = make_world("e").draft_track_topic.phase.track  # a draft track: no visible topics
    found = queries.track_progress(user=user, tracks=[world.track, empty])
    assert (found[world.track.pk].percent, found[world.track.pk].total_hours) == (100, 0)
    assert (found[empty.pk].percent, found[empty.pk].complete) == (0, False)


def test_track_progress_is_one_query_for_many_tracks(world, user, django_assert_num_queries):
    mark(user, world.other_topic, "done")
    with django_assert_num_queries(1):
        found = queries.track_progress(user=user, tracks=[world.track, world.other_track.pk])
    assert found[world.other_track.pk].percent == 100
    assert found[world.track.pk].percent == 0


def test_a_phase_counts_its_sub_phases_topics(world, user, django_assert_num_queries):
    mark(user, world.a1_first, "done")  # 2 h in sub-phase A1
    mark(user, world.a2_only, "skipped")  # 4 h in sub-phase A2
    phases = [world.phase_a, world.sub_a1, world.sub_a2, world.phase_b]
    with django_assert_num_queries(1):
        found = queries.phase_progress(user=user, phases=phases)
    a = found[world.phase_a.pk]
    assert (a.done_hours, a.total_hours, a.percent) == (2, 10, 20)  # A1 2+3, A2 skipped, own 5
    assert (a.done_topics, a.total_topics, a.skipped_topics) == (1, 3, 1)
    assert (found[world.sub_a1.pk].done_hours, found[world.sub_a1.pk].total_hours) == (2, 5)
    assert found[world.sub_a2.pk].percent == 100  # its only topic skipped
    assert (found[world.phase_b.pk].total_hours, found[world.phase_b.pk].percent) == (6, 0)


def test_statuses_for_topics(world, user, django_assert_num_queries):
    mark(user, world.a_own, "done")
    mark(user, world.b_only, "skipped")
    mark(UserFactory(), world.a1_first, "done")
    ids = [topic.pk for topic in world.in_order]
    with django_assert_num_queries(1):
        found = queries.statuses_for_topics(user=user, topic_ids=ids)
    assert found == {world.a_own.pk: "done", world.b_only.pk: "skipped"}
    with django_assert_num_queries(0):
        assert queries.statuses_for_topics(user=AnonymousUser(), topic_ids=ids) == {}


# --- next up ------------------------------------------------------------------------------------


def test_next_up_follows_track_order(world, user):
    assert queries.next_up(user=user, track=world.track) == world.a1_first
    mark(user, world.a1_first, "done")
    mark(user, world.a1_second, "skipped")
    mark(user, world.a2_only, "in_progress")  # started is not finished
    assert queries.next_up(user=user, track=world.track) == world.a2_only
    TopicStatus.objects.filter(user=user, topic=world.a2_only).update(status="done", done_on=TODAY)
    assert queries.next_up(user=user, track=world.track) == world.a_own  # sub-phases first
    mark(user, world.a_own, "done")
    assert queries.next_up(user=user, track=world.track) == world.b_only  # not the draft
    mark(user, world.b_only, "skipped")
    assert queries.next_up(user=user, track=world.track) is None


def test_next_ups_for_many_tracks_is_one_query(world, user, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = queries.next_ups(user=user, tracks=[world.track, world.other_track])
    assert found == {world.track.pk: world.a1_first, world.other_track.pk: world.other_topic}
    assert found[world.track.pk].phase.track == world.track  # loaded, no further query


# --- streak, week, heatmap ----------------------------------------------------------------------


def test_streak_ends_today_or_yesterday(user):
    active(user, date(2026, 3, 6), date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10))
    assert queries.streak(user=user, today=TODAY) == 3
    DailyActivity.objects.filter(day=TODAY).delete()
    assert queries.streak(user=user, today=TODAY) == 2  # nothing yet today
    DailyActivity.objects.filter(day=date(2026, 3, 9)).delete()
    assert queries.streak(user=user, today=TODAY) == 0  # last study two days ago


def test_streak_ignores_days_after_today_and_other_learners(user):
    active(user, date(2026, 3, 11), TODAY)
    active(UserFactory(), date(2026, 3, 9))
    assert queries.streak(user=user, today=TODAY) == 1


def test_a_long_streak_is_read_in_one_query(user, django_assert_num_queries):
    DailyActivity.objects.bulk_create(
        DailyActivity(user=user, day=TODAY - timedelta(days=back), minutes=10)
        for back in range(400)
    )
    with django_assert_num_queries(1):
        assert queries.streak(user=user, today=TODAY) == 400


def test_streak_follows_the_learners_timezone():
    """Two learners log on the same two local days; what "today" is differs by timezone."""
    auckland = UserFactory(timezone="Pacific/Auckland")  # UTC+13 in March
    london = UserFactory(timezone="Europe/London")  # UTC+0 in March
    for learner in (auckland, london):
        with time_machine.travel(datetime(2026, 3, 11, 10, 30, tzinfo=UTC), tick=False):
            for day in (date(2026, 3, 10), date(2026, 3, 11)):
                services.study_log_add(user=learner, day=day, minutes=20)

    def streaks_at(moment: datetime) -> tuple[int, int]:
        with time_machine.travel(moment, tick=False):
            return tuple(queries.streak(user=u, today=u.local_today()) for u in (auckland, london))

    # 23:30 on the 11th in Auckland; 10:30 on the 11th in London.
    assert streaks_at(datetime(2026, 3, 11, 10, 30, tzinfo=UTC)) == (2, 2)
    # 00:30 on the 12th in Auckland: nothing yet today, the streak still stands.
    assert streaks_at(datetime(2026, 3, 11, 11, 30, tzinfo=UTC)) == (2, 2)
    # The 13th in Auckland (a day missed), 00:30 on the 12th... in London it is still the 12th.
    assert streaks_at(datetime(2026, 3, 12, 11, 30, tzinfo=UTC)) == (0, 2)
    assert streaks_at(datetime(2026, 3, 13, 0, 30, tzinfo=UTC)) == (0, 0)


def test_week_minutes_start_on_monday(user):
    active(user, date(2026, 3, 8), minutes=100)  # Sunday, last week
    active(user, date(2026, 3, 9), minutes=40)  # Monday
    active(user, TODAY, minutes=25)
    active(user, date(2026, 3, 11), minutes=1000)  # after today
    assert queries.week_minutes(user=user, today=TODAY) == 65
    assert queries.week_minutes(user=user, today=date(2026, 3, 8)) == 100
    assert queries.week_start(date(2026, 3, 15)) == date(2026, 3, 9)


def test_heatmap_is_the_last_365_days_oldest_first(user):
    active(user, TODAY - timedelta(days=364), minutes=5)
    active(user, TODAY - timedelta(days=365), minutes=7)  # one day too old
    active(user, TODAY, minutes=50)
    days = queries.heatmap(user=user, today=TODAY)
    assert len(days) == 365
    assert days[0] == (TODAY - timedelta(days=364), 5)
    assert days[-1] == (TODAY, 50)
    assert sum(minutes for _, minutes in days) == 55


# --- progress over time -------------------------------------------------------------------------


def test_progress_over_time_is_weekly_from_done_days(world, user):
    mark(user, world.a1_first, "done", done_on=TODAY - timedelta(weeks=5))  # 2 h
    mark(user, world.a1_second, "done", done_on=TODAY - timedelta(days=8))  # 3 h
    mark(user, world.a2_only, "done", done_on=TODAY)  # 4 h
    mark(user, world.b_only, "skipped")  # plan: 14 h
    points = queries.progress_over_time(user=user, track=world.track, today=TODAY)
    assert len(points) == 12
    assert points[-1] == (TODAY, 64)  # 9 / 14
    assert points[-2] == (TODAY - timedelta(weeks=1), 35)  # 5 / 14
    assert points[-3] == (TODAY - timedelta(weeks=2), 14)  # 2 / 14
    assert points[-6] == (TODAY - timedelta(weeks=5), 14)
    assert points[-7] == (TODAY - timedelta(weeks=6), 0)
    assert (
        points[-1][1]
        == queries.track_progress(user=user, tracks=[world.track])[world.track.pk].percent
    )


# --- pace ---------------------------------------------------------------------------------------


def log(user, minutes: int, *, topic=None, days_ago: int = 0) -> None:
    StudyLogEntryFactory(
        user=user, day=TODAY - timedelta(days=days_ago), minutes=minutes, topic=topic
    )


def test_pace_counts_time_on_the_tracks_topics(world, user):
    log(user, 360, topic=world.a_own, days_ago=2)
    log(user, 360, topic=world.b_only, days_ago=27)
    log(user, 600, topic=world.other_topic, days_ago=3)  # another track
    log(user, 600, days_ago=1)  # no topic: not this track's when entries name topics
    log(user, 600, topic=world.a_own, days_ago=28)  # five weeks... beyond the four
    TrackFollowFactory(user=user, track=world.track, target_date=TODAY + timedelta(days=200))
    pace = queries.pace(user=user, track=world.track, today=TODAY)
    assert (pace.basis, pace.hours_per_week) == ("track", Decimal("3.0"))  # 12 h / 4 weeks
    assert pace.remaining_hours == 20
    assert pace.projected_finish == TODAY + timedelta(days=47)  # 20 h at 3 h a week
    assert (pace.state, pace.target_date) == ("ahead", TODAY + timedelta(days=200))
    assert pace.needed_hours_per_week == Decimal("0.7")  # 20 h over 200 days (28.6 weeks)


def test_pace_falls_back_to_all_time_when_no_entry_names_a_topic(world, user):
    log(user, 720, days_ago=5)
    pace = queries.pace(user=user, track=world.track, today=TODAY)
    assert (pace.basis, pace.hours_per_week, pace.state) == ("all", Decimal("3.0"), "no_target")
    assert pace.projected_finish == TODAY + timedelta(days=47)


def test_time_only_on_another_track_is_no_pace(world, user):
    log(user, 720, topic=world.other_topic)
    TrackFollowFactory(user=user, track=world.track, target_date=TODAY + timedelta(days=30))
    pace = queries.pace(user=user, track=world.track, today=TODAY)
    assert (pace.basis, pace.hours_per_week, pace.projected_finish) == ("track", 0, None)
    assert pace.state == "no_pace"
    assert pace.needed_hours_per_week == Decimal("4.7")  # 20 h over 30 days


@pytest.mark.parametrize(
    ("target_in_days", "state"),
    [(30, "behind"), (46, "behind"), (47, "on_track"), (54, "on_track"), (55, "ahead")],
)
def test_ahead_on_track_or_behind(target_in_days, state):
    pace = queries.pace_of(
        remaining=Decimal(20),
        minutes=720,
        basis="track",
        target=TODAY + timedelta(days=target_in_days),
        today=TODAY,
    )
    assert pace.projected_finish == TODAY + timedelta(days=47)
    assert pace.state == state


def test_a_passed_target_is_behind_and_a_finished_track_is_finished():
    behind = queries.pace_of(
        remaining=Decimal(5), minutes=0, basis="all", target=TODAY - timedelta(days=1), today=TODAY
    )
    assert (behind.state, behind.needed_hours_per_week) == ("behind", None)
    done = queries.pace_of(
        remaining=Decimal(0), minutes=0, basis="all", target=TODAY + timedelta(days=9), today=TODAY
    )
    assert (done.state, done.projected_finish, done.needed_hours_per_week) == (
        "finished",
        TODAY,
        Decimal(0),
    )


# --- dashboard ----------------------------------------------------------------------------------


def test_dashboard_bundles_the_followed_tracks_and_study_time(world, user):
    TrackFollowFactory(user=user, track=world.track, target_date=TODAY + timedelta(days=100))
    TrackFollowFactory(user=user, track=world.draft_track_topic.phase.track)  # hidden
    mark(user, world.a1_first, "done")
    services.weekly_goal_set(user=user, minutes=120)
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        services.study_log_add(user=user, day=date(2026, 3, 9), minutes=60, topic=world.a_own)
        services.study_log_add(user=user, day=TODAY, minutes=30)
        services.study_log_add(user=user, day=date(2026, 3, 1), minutes=10)
    board = queries.dashboard(user=user, today=TODAY)
    assert [summary.track for summary in board.tracks] == [world.track]
    summary = board.tracks[0]
    assert summary.progress.percent == 10
    assert summary.next_up == world.a1_second
    assert summary.pace.basis == "track"
    assert summary.pace.hours_per_week == Decimal("0.3")  # 60 min over four weeks
    assert summary.over_time[-1] == (TODAY, 10)
    assert (board.streak, board.week_minutes, board.weekly_goal_minutes) == (2, 90, 120)
    assert board.week_percent == 75
    assert len(board.heatmap) == 365
    assert board.heatmap[-1] == (TODAY, 30)


def test_dashboard_for_a_new_learner(user):
    board = queries.dashboard(user=user, today=TODAY)
    assert (board.tracks, board.streak, board.week_minutes) == ([], 0, 0)
    assert board.weekly_goal_minutes == 300
    assert not queries.progress_settings(user=user).pk  # defaults, not saved


# --- public page --------------------------------------------------------------------------------


def test_public_profile_only_when_turned_on(world, user):
    TrackFollowFactory(user=user, track=world.track)
    mark(user, world.a_own, "done")
    assert queries.public_profile(handle="ada") is None
    services.public_profile_set(user=user, enabled=True, handle="ada")
    found = queries.public_profile(handle="ada")
    assert found.user == user
    assert [(item.track, item.progress.percent) for item in found.tracks] == [(world.track, 25)]
    services.public_profile_set(user=user, enabled=False, handle=None)
    assert queries.public_profile(handle="ada") is None
    assert queries.public_profile(handle="nobody") is None


def test_an_inactive_learners_page_is_gone(user):
    services.public_profile_set(user=user, enabled=True, handle="ada")
    user.is_active = False
    user.save()
    assert queries.public_profile(handle="ada") is None


# --- export -------------------------------------------------------------------------------------


def owned_everything(world, user) -> None:
    TrackFollowFactory(user=user, track=world.track, target_date=date(2026, 9, 1))
    mark(user, world.a_own, "done")
    mark(user, world.archived, "skipped")  # archived since: still the learner's
    ResourceDoneFactory(user=user, resource=world.resource)
    TopicNoteFactory(user=user, topic=world.a_own, body='Line one, "quoted"\nline two')
    StudyLogEntryFactory(user=user, day=TODAY, minutes=45, topic=world.a_own, note="evening")
    active(user, TODAY, minutes=45)
    services.weekly_goal_set(user=user, minutes=200)


def test_export_data_holds_everything_the_learner_owns(world, user):
    owned_everything(world, user)
    other = UserFactory()
    TopicNoteFactory(user=other, topic=world.a_own, body="not yours")
    data = queries.export_data(user=user)
    assert data["account"]["email"] == user.email
    assert data["account"]["weekly_goal_minutes"] == 200
    assert [row["track"] for row in data["follows"]] == [world.track.slug]
    assert {row["topic"]: row["status"] for row in data["statuses"]} == {
        world.a_own.slug: "done",
        world.archived.slug: "skipped",
    }
    assert data["resources_done"][0]["resource"] == world.resource.pk
    assert [row["body"] for row in data["notes"]] == ['Line one, "quoted"\nline two']
    assert data["study_log"][0] | {"created_at": None, "updated_at": None} == {
        "id": data["study_log"][0]["id"],
        "day": "2026-03-10",
        "minutes": 45,
        "topic": world.a_own.slug,
        "note": "evening",
        "created_at": None,
        "updated_at": None,
    }
    assert data["daily_activity"] == [{"day": "2026-03-10", "minutes": 45}]


def test_export_csv_zip_has_one_file_per_kind(world, user):
    owned_everything(world, user)
    archive = zipfile.ZipFile(io.BytesIO(queries.export_csv_zip(user=user)))
    assert set(archive.namelist()) == {
        "account.csv", "follows.csv", "statuses.csv", "resources_done.csv", "notes.csv",
        "study_log.csv", "daily_activity.csv", "quiz_attempts.csv", "quiz_answers.csv",
        "review_cards.csv", "exam_dates.csv", "question_notes.csv", "question_reports.csv",
        "reminder_preferences.csv", "reminder_log.csv",
    }  # fmt: skip
    notes = list(csv.DictReader(io.StringIO(archive.read("notes.csv").decode())))
    assert notes[0]["body"] == 'Line one, "quoted"\nline two'
    statuses = list(csv.DictReader(io.StringIO(archive.read("statuses.csv").decode())))
    assert len(statuses) == 2


def test_export_includes_practice_attempts_with_their_answers(user):
    exam = make_bank()
    attempt, _ = attempt_start(user=user, exam=exam, mode="exam")
    answer_save(user=user, attempt_id=attempt.pk, position=1, answer={"choices": []})
    attempt_submit(user=user, attempt_id=attempt.pk)
    attempt_start(user=UserFactory(), exam=exam, mode="exam")  # someone else's
    data = queries.export_data(user=user)
    assert [item["id"] for item in data["quiz_attempts"]] == [attempt.pk]
    archive = zipfile.ZipFile(io.BytesIO(queries.export_csv_zip(user=user)))
    attempts = list(csv.DictReader(io.StringIO(archive.read("quiz_attempts.csv").decode())))
    assert [row["id"] for row in attempts] == [str(attempt.pk)]
    assert "questions" not in attempts[0]
    answers = list(csv.DictReader(io.StringIO(archive.read("quiz_answers.csv").decode())))
    assert len(answers) == len(data["quiz_attempts"][0]["questions"])
    assert {row["attempt"] for row in answers} == {str(attempt.pk)}
    first = data["quiz_attempts"][0]["questions"][0]
    assert answers[0]["question"] == first["question"]
    assert answers[0]["answer"] == json.dumps(first["answer"], sort_keys=True)  # JSON text


def test_an_empty_export_still_has_headers(user):
    archive = zipfile.ZipFile(io.BytesIO(queries.export_csv_zip(user=user)))
    assert archive.read("study_log.csv").decode().startswith("id,day,minutes,topic,note")
    assert archive.read("quiz_answers.csv").decode().startswith("attempt,position,question")


def test_archived_phase_hides_its_topics_from_progress(world, user):
    world.phase_b.archived_at = ARCHIVED
    world.phase_b.save()
    progress = queries.track_progress(user=user, tracks=[world.track])[world.track.pk]
    assert progress.total_hours == 14
