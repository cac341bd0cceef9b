"""Two devices writing the same row at the same moment, on real PostgreSQL: one row, no error.

A barrier inside each write (after its checks, before it reads or writes the learner's rows)
lets both threads pass their checks before either writes, so the race really happens."""

import threading
from collections.abc import Callable
from datetime import date
from unittest import mock

import pytest
from django.db import connection

from progress import services
from progress.models import DailyActivity, StudyLogEntry, TopicNote, TopicStatus, TrackFollow
from tests.factories import UserFactory

from .world import make_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def race(target: str, calls: list[Callable[[], object]]) -> list[BaseException]:
    """Run `calls` in threads that all wait at a barrier inside `services.<target>`; returns the
    errors raised (none expected)."""
    barrier = threading.Barrier(len(calls), timeout=10)
    original = getattr(services, target)
    errors: list[BaseException] = []

    def checked_then_wait(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)
        barrier.wait()
        return result

    def run(call: Callable[[], object]) -> None:
        try:
            call()
        except BaseException as error:  # reported to the test, which expects none
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, target, side_effect=checked_then_wait):
        threads = [threading.Thread(target=run, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return errors


def test_two_devices_setting_one_topic_leave_one_row(postgres):
    world = make_world()
    user = UserFactory()
    errors = race(
        "_topic_tracks",
        [
            lambda: services.status_set(user=user, topic=world.a_own, status="done"),
            lambda: services.status_set(user=user, topic=world.a_own, status="in_progress"),
        ],
    )
    assert errors == []
    row = TopicStatus.objects.get(user=user, topic=world.a_own)
    assert row.status in ("done", "in_progress")
    assert (row.done_on is not None) == (row.status == "done")
    assert TrackFollow.objects.filter(user=user).count() == 1


def test_bulk_and_single_sets_at_once(postgres):
    world = make_world()
    user = UserFactory()
    topics = world.in_order
    errors = race(
        "_topic_tracks",
        [
            lambda: services.statuses_set(user=user, items=[(t, "done") for t in topics]),
            lambda: services.statuses_set(user=user, items=[(t, "skipped") for t in topics[::-1]]),
            lambda: services.status_set(user=user, topic=topics[2], status="in_progress"),
        ],
    )
    assert errors == []
    assert TopicStatus.objects.filter(user=user).count() == len(topics)


def test_two_devices_logging_the_same_day_add_up(postgres):
    user = UserFactory()
    day = date(2026, 1, 5)
    errors = race(
        "_check_log_note",
        [
            lambda: services.study_log_add(user=user, day=day, minutes=30),
            lambda: services.study_log_add(user=user, day=day, minutes=45),
        ],
    )
    assert errors == []
    assert StudyLogEntry.objects.filter(user=user).count() == 2
    assert DailyActivity.objects.get(user=user, day=day).minutes == 75


def test_two_devices_saving_one_note_leave_one_note(postgres):
    world = make_world()
    user = UserFactory()
    errors = race(
        "_require_topic",
        [
            lambda: services.note_save(user=user, topic=world.a_own, body="from the phone"),
            lambda: services.note_save(user=user, topic=world.a_own, body="from the laptop"),
        ],
    )
    assert errors == []
    assert TopicNote.objects.get(user=user).body in ("from the phone", "from the laptop")
