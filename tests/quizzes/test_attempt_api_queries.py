"""The exam endpoints the benchmarks drive (bench/http_scenarios.py), through the session cookie
as the web pages call them: saving an answer and submitting cost the same queries for a learner
with no history as for one with 30 finished attempts, and at two bank sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from quizzes.models import AttemptQuestion
from tests.factories import UserFactory

from .attempt_fixtures import T0, at, fill

pytestmark = pytest.mark.django_db
HISTORY = 30
# user, the question with its attempt, the conditional update, the attempt's updated_at (so the
# apps' sync of attempts sees the answer); the session comes from the cache (cached_db)
SAVE_QUERIES = 4
# user, savepoint, the locked attempt, its items, points, answer records, the review schedule's
# cards (read, create, update), the attempt, savepoint release...
SUBMIT_QUERIES = 14


def learner_with_history(exam, attempts: int):  # noqa: ANN001, ANN201
    user = UserFactory()
    for _ in range(attempts):
        attempt, _ = services.attempt_start(user=user, exam=exam, mode="exam")
        AttemptQuestion.objects.filter(attempt=attempt).update(answer=[0], answered_at=T0)
        services.attempt_submit(user=user, attempt_id=attempt.pk)
    return user


def measure(client, exam, history: int) -> tuple[int, int]:  # noqa: ANN001
    """(queries to save an answer, queries to submit) for a learner with `history` attempts."""
    user = learner_with_history(exam, history)
    client.force_login(user)
    attempt, _ = services.attempt_start(user=user, exam=exam, mode="exam")
    item = attempt.items.order_by("position").first()
    body = {"choices": [item.position * 10 + item.choice_order[0]]}
    path = f"/api/v1/attempts/{attempt.pk}/"
    with CaptureQueriesContext(connection) as save:
        response = client.put(f"{path}questions/{item.position}/answer/", body,
                              content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    with CaptureQueriesContext(connection) as submit:
        response = client.post(f"{path}submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    return len(save), len(submit)


@pytest.mark.parametrize("questions", [10, 30])
def test_save_and_submit_cost_the_same_queries_with_or_without_history(
    client, quiz_exam, questions
):
    fill(quiz_exam, questions, questions)
    with at(T0):
        fresh = measure(client, quiz_exam, 0)
        seasoned = measure(client, quiz_exam, HISTORY)
    assert fresh == seasoned
    assert fresh[0] == SAVE_QUERIES
    assert fresh[1] == SUBMIT_QUERIES
