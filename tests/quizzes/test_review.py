"""Spaced review (FSRS): every scored answer feeds the schedule (wrong -> Again, right and unsure
-> Hard, right and sure -> Good), exam dates cap it, review mode serves what is due; notes and
reports on questions."""

from datetime import date, timedelta

import pytest

from quizzes.models import AnswerRecord, Attempt, ExamDate, QuestionNote, QuestionReport, ReviewCard
from quizzes.queries import attempt_items
from quizzes.services import (
    AttemptError,
    AttemptNotFound,
    AttemptRefused,
    answer_save,
    attempt_start,
    attempt_submit,
    exam_date_set,
    question_note_save,
    question_report,
    review_rate,
)
from tests.factories import UserFactory

from .attempt_fixtures import T0, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory(timezone="Europe/Berlin")


def practise(learner, exam, *, right: bool, sure: bool = True, when=T0, count: int = 1):  # noqa: ANN001, ANN201
    with at(when):
        attempt, _ = attempt_start(user=learner, exam=exam, mode="practice", count=count)
        item = attempt_items(attempt)[0]
        keys = [c["key"] for c in item.version.content["choices"] if c["correct"] == right][:1]
        answer_save(user=learner, attempt_id=attempt.pk, position=1,
                    answer={"choices": [10 + keys[0]]}, sure=sure)  # fmt: skip
    return item.version.question


def card_of(learner, question) -> ReviewCard:  # noqa: ANN001
    return ReviewCard.objects.get(user=learner, question=question)


def test_each_answer_is_recorded_once_and_rated(learner, bank):
    wrong = practise(learner, bank, right=False)
    record = AnswerRecord.objects.get(question=wrong)
    assert (record.correct, record.source, record.score) == (False, "practice", 0)
    card = card_of(learner, wrong)
    assert (card.reviews, card.lapses) == (1, 1)
    assert card.due <= T0 + timedelta(minutes=10)  # Again: back within the learning steps


def test_unsure_comes_back_sooner_than_sure(learner, bank):
    # Two days of "right" answers: sure (Good) and unsure (Hard) on separate questions.
    sure_q = practise(learner, bank, right=True, sure=True)
    unsure_q = practise(learner, bank, right=True, sure=False)
    assert AnswerRecord.objects.get(question=unsure_q).sure is False
    assert card_of(learner, unsure_q).due < card_of(learner, sure_q).due


def test_the_schedule_moves_out_with_each_good_review(learner, bank):
    question = practise(learner, bank, right=True)
    intervals = []
    when = T0
    for _ in range(4):
        card = card_of(learner, question)
        intervals.append(card.due - when)
        when = card.due + timedelta(minutes=1)
        with at(when):
            review_rate(user=learner, question_uid=question.uid, rating="good")
    assert intervals == sorted(intervals)
    assert card_of(learner, question).due - when > timedelta(days=2)


def test_an_exam_date_caps_and_tightens_the_schedule(learner, bank):
    question = practise(learner, bank, right=True)
    when = T0
    for _ in range(5):  # push the card weeks out
        when = card_of(learner, question).due + timedelta(minutes=1)
        with at(when):
            review_rate(user=learner, question_uid=question.uid, rating="easy")
    assert card_of(learner, question).due - when > timedelta(days=20)
    exam_day = when.date() + timedelta(days=10)
    exam_date_set(user=learner, exam=bank, day=exam_day, now=when)
    due = card_of(learner, question).due
    assert due <= when + timedelta(days=5)  # at most half the time left
    with at(when + timedelta(days=5)):
        review_rate(user=learner, question_uid=question.uid, rating="easy")
    assert card_of(learner, question).due <= when + timedelta(days=5) + timedelta(days=2, hours=12)
    assert card_of(learner, question).due.date() <= exam_day


def test_an_exam_date_in_the_past_is_refused(learner, bank):
    with pytest.raises(AttemptError, match="in the past"):
        exam_date_set(user=learner, exam=bank, day=date(2020, 1, 1), now=T0)
    assert not ExamDate.objects.exists()


def test_exam_submit_records_every_question_unanswered_as_wrong(learner, bank):
    with at(T0):
        attempt, _ = attempt_start(user=learner, exam=bank, mode="exam")
    attempt_submit(user=learner, attempt_id=attempt.pk, now=T0 + timedelta(minutes=3))
    assert AnswerRecord.objects.filter(user=learner, source="exam").count() == 10
    assert not AnswerRecord.objects.filter(correct=True).exists()
    assert ReviewCard.objects.filter(user=learner).count() == 10
    attempt_submit(user=learner, attempt_id=attempt.pk, now=T0 + timedelta(minutes=4))
    assert AnswerRecord.objects.count() == 10  # submitting again records nothing more


def test_new_cards_are_made_without_fsrs_clock_ids(learner, bank, monkeypatch):
    """fsrs gives a card made without an id one from the clock and sleeps a millisecond after it:
    an exam submit of many new questions spent most of its time asleep. Cards get their id from
    the review time instead (they are found by learner and question, never by it)."""
    import fsrs.card

    def no_sleep(seconds: float) -> None:
        raise AssertionError("fsrs slept to make a card id")

    monkeypatch.setattr(fsrs.card.time, "sleep", no_sleep)
    with at(T0):
        attempt, _ = attempt_start(user=learner, exam=bank, mode="exam")
    submitted = T0 + timedelta(minutes=3)
    attempt_submit(user=learner, attempt_id=attempt.pk, now=submitted)
    ids = {card.card["card_id"] for card in ReviewCard.objects.filter(user=learner)}
    assert ids == {int(submitted.timestamp() * 1000)}


def test_review_mode_serves_what_is_due_with_feedback_after_each(learner, bank):
    with at(T0), pytest.raises(AttemptRefused, match="Nothing of TST-C01 is due"):
        attempt_start(user=learner, exam=bank, mode="review")
    question = practise(learner, bank, right=False)
    with at(T0 + timedelta(hours=1)):
        review, _ = attempt_start(user=learner, exam=bank, mode="review")
        items = attempt_items(review)
        assert [item.version.question_id for item in items] == [question.pk]
        keys = [c["key"] for c in items[0].version.content["choices"] if c["correct"]]
        answer_save(
            user=learner, attempt_id=review.pk, position=1, answer={"choices": [10 + keys[0]]}
        )
    assert AnswerRecord.objects.filter(source="review", correct=True).count() == 1
    assert card_of(learner, question).reviews == 2
    assert Attempt.objects.get(pk=review.pk).mode == "review"


def test_rating_a_question_never_answered_is_refused(learner, bank):
    from quizzes.models import Question

    never = Question.objects.first()
    with pytest.raises(AttemptNotFound, match="not answered"):
        review_rate(user=learner, question_uid=never.uid, rating="good")
    question = practise(learner, bank, right=True)
    with pytest.raises(AttemptError, match="Rate with one of"):
        review_rate(user=learner, question_uid=question.uid, rating="perfect")
    assert card_of(learner, question).reviews == 1


def test_notes_only_on_answered_questions_and_only_ones_own(learner, bank):
    from quizzes.models import Question

    question = practise(learner, bank, right=False)
    never = Question.objects.exclude(pk=question.pk).first()
    with pytest.raises(AttemptNotFound):
        question_note_save(user=learner, question_uid=never.uid, body="x")
    note = question_note_save(user=learner, question_uid=question.uid, body="SQS **pulls**")
    assert "<strong>pulls</strong>" in note.body_html
    other = UserFactory()
    with pytest.raises(AttemptNotFound):
        question_note_save(user=other, question_uid=question.uid, body="mine now")
    assert question_note_save(user=learner, question_uid=question.uid, body="  ") is None
    assert not QuestionNote.objects.exists()


def test_reports_need_a_seen_question_and_a_known_reason(learner, bank):
    from quizzes.models import Question

    question = practise(learner, bank, right=True)
    with pytest.raises(AttemptError, match="Choose a reason"):
        question_report(user=learner, question_uid=question.uid, reason="meh")
    never = Question.objects.exclude(pk=question.pk).first()
    with pytest.raises(AttemptNotFound):
        question_report(user=learner, question_uid=never.uid, reason="typo")
    report = question_report(user=learner, question_uid=question.uid, reason="unclear", text="Hm")
    assert (report.state, QuestionReport.objects.count()) == ("open", 1)
