"""The learner's attempts in their data export, and gone with their account."""

import json

import pytest

from portal.services import account_delete
from quizzes.models import Attempt, AttemptQuestion
from quizzes.queries import export_attempts
from quizzes.services import answer_save, attempt_start, attempt_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sit(user, exam):  # noqa: ANN001, ANN201
    attempt, _ = attempt_start(user=user, exam=exam, mode="exam")
    answer_save(user=user, attempt_id=attempt.pk, position=1, answer={"choices": []})
    return attempt_submit(user=user, attempt_id=attempt.pk)


def test_export_holds_every_attempt_with_questions_and_answers(bank, django_assert_num_queries):
    learner, other = UserFactory(), UserFactory()
    mine = sit(learner, bank)
    sit(other, bank)
    with django_assert_num_queries(2):
        exported = export_attempts(user=learner)
    assert [a["id"] for a in exported] == [mine.pk]
    assert len(exported[0]["questions"]) == 10
    assert exported[0]["questions"][0]["question"].startswith("q-")
    json.dumps(exported)  # plain JSON


def test_account_deletion_removes_attempts_and_answers(bank):
    learner, other = UserFactory(), UserFactory()
    sit(learner, bank)
    kept = sit(other, bank)
    account_delete(user=learner)
    assert list(Attempt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert set(AttemptQuestion.objects.values_list("attempt_id", flat=True)) == {kept.pk}
