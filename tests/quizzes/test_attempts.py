"""The quiz engine's services: drawing at blueprint weight (unseen first), refusing a short bank,
one open simulation, answers and their validation, deadline kept by the server, scoring, the
frozen versions, practice feedback."""

from datetime import timedelta
from decimal import Decimal

import pytest

from quizzes.models import Attempt, AttemptQuestion, Question
from quizzes.queries import attempt_items, present_item
from quizzes.services import (
    AttemptClosed,
    AttemptError,
    AttemptNotFound,
    AttemptRefused,
    answer_save,
    attempt_start,
    attempt_submit,
    attempts_expire,
    flag_set,
)
from tests.factories import UserFactory

from .attempt_fixtures import T0, at, fill
from .factories import question_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory()


def start(learner, exam, **kwargs):  # noqa: ANN001, ANN201
    with at(T0):
        attempt, _ = attempt_start(user=learner, exam=exam, mode="exam", **kwargs)
    return attempt


def right(item: AttemptQuestion) -> dict:
    keys = [c["key"] for c in item.version.content["choices"] if c["correct"]]
    return {"choices": [item.position * 10 + key for key in keys]}


def wrong(item: AttemptQuestion) -> dict:
    key = next(c["key"] for c in item.version.content["choices"] if not c["correct"])
    return {"choices": [item.position * 10 + key]}


def test_exam_draws_the_mini_exam_at_blueprint_weight_with_a_deadline(learner, bank):
    attempt = start(learner, bank)
    items = attempt_items(attempt)
    assert len(items) == attempt.question_count == 10
    assert sorted(item.domain.code for item in items) == ["1"] * 6 + ["2"] * 4
    assert attempt.deadline == T0 + timedelta(minutes=20)
    assert len({item.version.question_id for item in items}) == 10
    assert [item.position for item in items] == list(range(1, 11))


def test_extended_time_adds_thirty_minutes(learner, bank):
    attempt = start(learner, bank, extended_time=True)
    assert attempt.deadline == T0 + timedelta(minutes=50)


def test_choice_order_is_shuffled_per_attempt(learner, quiz_exam):
    fill(quiz_exam, 6, 4)
    orders = set()
    for _ in range(8):
        attempt = start(learner, quiz_exam)
        orders.add(tuple(tuple(i.choice_order) for i in attempt_items(attempt)))
        attempt_submit(user=learner, attempt_id=attempt.pk, now=T0 + timedelta(minutes=1))
    assert len(orders) > 1


def test_unseen_questions_come_first_then_the_least_recently_seen(learner, quiz_exam):
    fill(quiz_exam, 12, 8)  # two full sittings' worth
    first = start(learner, quiz_exam)
    attempt_submit(user=learner, attempt_id=first.pk, now=T0)
    seen = {item.version.question_id for item in attempt_items(first)}
    with at(T0 + timedelta(hours=1)):
        second, _ = attempt_start(user=learner, exam=quiz_exam, mode="exam")
    assert not seen & {item.version.question_id for item in attempt_items(second)}


def test_a_bank_that_cannot_fill_a_domain_is_refused_clearly(learner, quiz_exam):
    fill(quiz_exam, 6, 3)
    with pytest.raises(AttemptRefused, match=r"domain 2 needs 4, has 3"):
        start(learner, quiz_exam)
    assert not Attempt.objects.exists()


def test_full_simulation_only_where_the_exam_offers_one(learner, bank):
    with pytest.raises(AttemptError, match="mini exams only"):
        start(learner, bank, full_length=True)


def test_start_while_open_returns_the_open_attempt(learner, bank):
    first = start(learner, bank)
    with at(T0 + timedelta(minutes=5)):
        again, created = attempt_start(user=learner, exam=bank, mode="exam")
    assert (again.pk, created) == (first.pk, False)
    assert Attempt.objects.count() == 1


def test_answers_are_validated_and_bad_ones_change_nothing(learner, bank):
    attempt = start(learner, bank)
    item = attempt_items(attempt)[0]
    other = attempt_items(attempt)[1]
    cases = [
        (
            {"choices": [other.position * 10 + other.choice_order[0]]},
            "is not a choice of question 1",
        ),
        ({"choices": [10 + item.choice_order[0], 10 + item.choice_order[1]]}, "Choose exactly 1"),
        ({"choices": "A"}, "list of choice ids"),
        ({"statements": {}}, "choices"),
        ([1], "must be an object"),
        ({"choices": [19]}, "is not a choice"),
    ]
    for answer, message in cases:
        with at(T0), pytest.raises(AttemptError, match=message):
            answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=answer)
    item.refresh_from_db()
    assert item.answer is None
    with at(T0), pytest.raises(AttemptNotFound, match="Question 11 is not in this attempt"):
        answer_save(user=learner, attempt_id=attempt.pk, position=11, answer={"choices": []})


def test_another_learners_attempt_is_not_found(learner, bank):
    attempt = start(learner, bank)
    other = UserFactory()
    item = attempt_items(attempt)[0]
    with at(T0), pytest.raises(AttemptNotFound):
        answer_save(user=other, attempt_id=attempt.pk, position=1, answer=right(item))
    with pytest.raises(AttemptNotFound):
        attempt_submit(user=other, attempt_id=attempt.pk, now=T0)
    with at(T0), pytest.raises(AttemptNotFound):
        flag_set(user=other, attempt_id=attempt.pk, position=1, flagged=True)
    item.refresh_from_db()
    assert (item.answer, item.flagged) == (None, False)
    assert Attempt.objects.get().is_open


def test_saving_the_same_answer_twice_leaves_the_same_state(learner, bank):
    attempt = start(learner, bank)
    item = attempt_items(attempt)[0]
    with at(T0 + timedelta(minutes=1)):
        answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=right(item))
        answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=right(item))
    item.refresh_from_db()
    assert item.answer == sorted(k for k in item.choice_order if k == item.answer[0])
    assert item.points is None  # exam mode: scored only on submit


def test_submit_scores_saved_answers_with_domains_and_a_scaled_estimate(learner, bank):
    attempt = start(learner, bank)
    items = attempt_items(attempt)
    with at(T0 + timedelta(minutes=3)):
        for item in items[:7]:
            answer_save(user=learner, attempt_id=attempt.pk, position=item.position,
                        answer=right(item))  # fmt: skip
        answer_save(user=learner, attempt_id=attempt.pk, position=items[7].position,
                    answer=wrong(items[7]))  # fmt: skip
    result = attempt_submit(user=learner, attempt_id=attempt.pk, now=T0 + timedelta(minutes=4))
    assert result.status == "submitted"
    assert (result.points, result.max_points) == (Decimal(7), Decimal(10))
    assert (result.scaled_score, result.passed) == (700, True)
    assert [d["code"] for d in result.domain_results] == ["1", "2"]
    assert sum(Decimal(d["points"]) for d in result.domain_results) == 7
    again = attempt_submit(user=learner, attempt_id=attempt.pk, now=T0 + timedelta(minutes=9))
    assert (again.finished_at, again.scaled_score) == (result.finished_at, 700)


def test_answers_after_the_deadline_are_refused_and_the_attempt_expires(learner, bank):
    attempt = start(learner, bank)
    item = attempt_items(attempt)[0]
    with at(T0 + timedelta(minutes=19)):
        answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=right(item))
    with (
        at(T0 + timedelta(minutes=20, seconds=1)),
        pytest.raises(AttemptClosed, match="time is up"),
    ):
        answer_save(
            user=learner, attempt_id=attempt.pk, position=2, answer=right(attempt_items(attempt)[1])
        )
    attempt.refresh_from_db()
    assert attempt.status == "expired"
    assert attempt.points == 1  # what was saved before the deadline
    assert attempt.finished_at == attempt.deadline


def test_submit_after_the_deadline_finishes_as_expired(learner, bank):
    attempt = start(learner, bank)
    late = attempt_submit(user=learner, attempt_id=attempt.pk, now=T0 + timedelta(hours=2))
    assert (late.status, late.finished_at) == ("expired", attempt.deadline)


def test_periodic_expiry_finishes_only_attempts_past_their_deadline(learner, bank):
    attempt = start(learner, bank)
    other = UserFactory()
    with at(T0 + timedelta(minutes=15)):
        fresh, _ = attempt_start(user=other, exam=bank, mode="exam")
    assert attempts_expire(now=T0 + timedelta(minutes=21)) == 1
    attempt.refresh_from_db()
    fresh.refresh_from_db()
    assert (attempt.status, fresh.status) == ("expired", "open")
    assert attempts_expire(now=T0 + timedelta(minutes=21)) == 0


def test_flags_are_kept_and_refused_after_submit(learner, bank):
    attempt = start(learner, bank)
    with at(T0):
        flag_set(user=learner, attempt_id=attempt.pk, position=3, flagged=True)
    assert attempt_items(attempt)[2].flagged
    attempt_submit(user=learner, attempt_id=attempt.pk, now=T0)
    with at(T0), pytest.raises(AttemptClosed):
        flag_set(user=learner, attempt_id=attempt.pk, position=3, flagged=False)


def test_editing_a_question_never_changes_a_finished_attempt(learner, bank):
    from quizzes.services import question_version_sync

    attempt = start(learner, bank)
    item = attempt_items(attempt)[0]
    with at(T0):
        answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=right(item))
    attempt_submit(user=learner, attempt_id=attempt.pk, now=T0)
    question = Question.objects.get(pk=item.version.question_id)
    question.stem = "Rewritten entirely."
    question.save()
    choices = list(question.choices.order_by("position"))
    choices[0].correct, choices[1].correct = False, True
    for choice in choices[:2]:
        choice.save()
    question_version_sync(question=question)
    attempt.refresh_from_db()
    shown = present_item(attempt, attempt_items(attempt)[0])
    assert "Rewritten" not in shown["stem_html"]
    assert shown["correct"] is True
    assert Attempt.objects.get().points == 1


def test_multiple_response_is_all_or_nothing_and_yes_no_scores_each_statement(learner, quiz_exam):
    one, two = quiz_exam.domains.order_by("position")
    multi = question_in(one, kind="multiple", choose=2, correct=(0, 1), choices=5)
    yesno = question_in(two, kind="yesno", correct=(0, 2), choices=3)
    with at(T0):
        attempt, _ = attempt_start(user=learner, exam=quiz_exam, mode="practice", count=2)
    items = {i.version.question_id: i for i in attempt_items(attempt)}
    m, y = items[multi.pk], items[yesno.pk]
    with at(T0), pytest.raises(AttemptError, match="Choose exactly 2 choices; 1 given"):
        answer_save(user=learner, attempt_id=attempt.pk, position=m.position,
                    answer={"choices": [m.position * 10]})  # fmt: skip
    with at(T0):
        saved = answer_save(user=learner, attempt_id=attempt.pk, position=m.position,
                            answer={"choices": [m.position * 10, m.position * 10 + 2]})  # fmt: skip
        assert saved.points == 0  # one right, one wrong: nothing
        answer = {"statements": {str(y.position * 10 + k): k in (0, 1) for k in range(3)}}
        saved = answer_save(user=learner, attempt_id=attempt.pk, position=y.position, answer=answer)
        assert (saved.points, saved.max_points) == (1, 3)  # only statement 0 answered right


def test_practice_reveals_feedback_after_each_answer_only(learner, bank):
    with at(T0):
        attempt, _ = attempt_start(user=learner, exam=bank, mode="practice", domains=["2"], count=3)
    items = attempt_items(attempt)
    assert attempt.deadline is None
    assert {item.domain.code for item in items} == {"2"}
    before = present_item(attempt, items[0])
    assert "explanation_html" not in before
    assert all("correct" not in choice for choice in before["choices"])
    with at(T0):
        answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=wrong(items[0]))
    after = present_item(attempt, attempt_items(attempt)[0])
    assert after["revealed"]
    assert after["correct"] is False
    assert "Because the" in after["explanation_html"]
    assert "explanation_html" not in present_item(attempt, attempt_items(attempt)[1])
    with at(T0), pytest.raises(AttemptClosed, match="answered"):
        answer_save(user=learner, attempt_id=attempt.pk, position=1, answer=right(items[0]))


def test_practice_rejects_unknown_domains_and_bad_counts(learner, bank):
    with at(T0), pytest.raises(AttemptError, match="no domain 9"):
        attempt_start(user=learner, exam=bank, mode="practice", domains=["9"])
    with at(T0), pytest.raises(AttemptError, match="Choose 1 to 50"):
        attempt_start(user=learner, exam=bank, mode="practice", count=0)
    assert not Attempt.objects.exists()


def test_the_schedule_runs_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    periodic = PeriodicTask.objects.get(task="quizzes.tasks.expire_attempts")
    assert periodic.enabled
    assert (periodic.interval.every, periodic.interval.period) == (1, "minutes")


def test_practice_statement_series_needs_every_statement(learner, quiz_exam):
    one, _two = quiz_exam.domains.order_by("position")
    question_in(one, kind="yesno", correct=(0,), choices=3)
    with at(T0):
        attempt, _ = attempt_start(user=learner, exam=quiz_exam, mode="practice", count=1)
        with pytest.raises(AttemptError, match="Answer all 3 statements"):
            answer_save(user=learner, attempt_id=attempt.pk, position=1,
                        answer={"statements": {"10": True}})  # fmt: skip
    assert attempt_items(attempt)[0].answer is None
