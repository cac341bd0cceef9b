"""Integrity under real conditions, on PostgreSQL: 20 concurrent submits give one result, two
concurrent starts give one open simulation, and the periodic task on a real Celery worker
finishes an attempt whose time ran out."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quizzes import tasks
from quizzes.models import Attempt, AttemptQuestion
from quizzes.services import answer_save, attempt_start, attempt_submit
from tests.factories import UserFactory

from .attempt_fixtures import make_bank

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_at_once(count: int, work) -> list:  # noqa: ANN001
    """Run `work()` in `count` threads released together; return results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_concurrent_submits_give_exactly_one_result(postgres):
    exam = make_bank()
    learner = UserFactory()
    attempt, _ = attempt_start(user=learner, exam=exam, mode="exam")
    for item in AttemptQuestion.objects.filter(attempt=attempt)[:6]:
        right = [c["key"] for c in item.version.content["choices"] if c["correct"]]
        answer_save(user=learner, attempt_id=attempt.pk, position=item.position,
                    answer={"choices": [item.position * 10 + k for k in right]})  # fmt: skip

    def submit():  # noqa: ANN202
        done = attempt_submit(user=learner, attempt_id=attempt.pk)
        return (done.status, done.scaled_score, done.finished_at, str(done.points))

    results = run_at_once(20, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    status, scaled, _finished, points = results[0]
    assert (status, scaled, points) == ("submitted", 600, "6.00")
    assert Attempt.objects.count() == 1


def test_concurrent_starts_open_one_simulation(postgres):
    exam = make_bank()
    learner = UserFactory()

    def start():  # noqa: ANN202
        attempt, _created = attempt_start(user=learner, exam=exam, mode="exam")
        return attempt.pk

    results = run_at_once(8, start)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    assert Attempt.objects.filter(status="open").count() == 1


def test_the_periodic_task_on_a_real_worker_finishes_expired_attempts(worker):
    from portal.celery import app

    assert not app.conf.task_always_eager
    exam = make_bank()
    learner = UserFactory()
    attempt, _ = attempt_start(
        user=learner, exam=exam, mode="exam", now=timezone.now() - timedelta(minutes=30)
    )
    result = tasks.expire_attempts.apply_async(ignore_result=False)
    assert result.get(timeout=60) == 1
    attempt.refresh_from_db()
    assert attempt.status == "expired"
    assert attempt.finished_at == attempt.deadline
    assert attempt.scaled_score == 0
