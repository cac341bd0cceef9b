"""Learning from practice: every scored answer is recorded and feeds the learner's spaced-review
schedule (FSRS); exam dates cap the schedule; notes and problem reports on questions.

Deleting an exam date or a note records a tombstone (`portal.services.tombstone_record`), and
every write stamps `updated_at` (set by hand where a bulk write skips auto_now), so the apps'
`updated_since` lists see each change.

Ratings: a wrong answer is Again, a right one marked "unsure" Hard, a right and sure one Good.
With an exam date for an exam a question maps to, no review is scheduled after that day and
intervals tighten toward it (at most half the time left).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from portal.services import tombstone_record

from ..models import (
    AnswerRecord,
    AnswerSource,
    AttemptMode,
    AttemptQuestion,
    Exam,
    ExamDate,
    Question,
    QuestionExam,
    QuestionNote,
    QuestionReport,
    ReviewCard,
)
from ..queries import TOMBSTONE_EXAM_DATE, TOMBSTONE_QUESTION_NOTE
from ..scoring import item_points
from .errors import AttemptError, AttemptNotFound

SCHEDULER = Scheduler(enable_fuzzing=False)
RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
SOURCE_OF_MODE = {
    AttemptMode.EXAM: AnswerSource.EXAM,
    AttemptMode.PRACTICE: AnswerSource.PRACTICE,
    AttemptMode.REVIEW: AnswerSource.REVIEW,
}


def rating_for(*, correct: bool, sure: bool) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Good if sure else Rating.Hard


# --- Exam dates and the cap they put on the schedule ------------------------------------------


def _exam_days(user: Any, question_ids: list[int], today: date) -> dict[int, date]:
    """The earliest booked exam day, today or later, of the exams each question maps to."""
    booked = dict(ExamDate.objects.filter(user=user, day__gte=today).values_list("exam_id", "day"))
    if not booked:
        return {}
    days: dict[int, date] = {}
    for question_id, exam_id in QuestionExam.objects.filter(
        question_id__in=question_ids, exam_id__in=booked
    ).values_list("question_id", "exam_id"):
        day = booked[exam_id]
        days[question_id] = min(day, days.get(question_id, day))
    return days


def capped_due(due: datetime, now: datetime, exam_day: date | None, zone: Any) -> datetime:
    """`due`, but never after the exam day and at most half the time left before it."""
    if exam_day is None:
        return due
    exam_start = datetime.combine(exam_day, time.min, tzinfo=zone)
    if exam_start <= now:
        return due
    tighter = now + max(timedelta(days=1), (exam_start - now) / 2)
    return min(due, tighter, exam_start)


def _card_id(now: datetime) -> int:
    return int(now.timestamp() * 1000)


CARD_FIELDS = ["card", "due", "last_review", "reviews", "lapses", "updated_at"]


def _reviewed(
    card_row: ReviewCard | None,
    *,
    user: Any,
    question_id: int,
    rating: Rating,
    now: datetime,
    exam_day: date | None,
) -> ReviewCard:
    """The learner's card for the question after a review rated `rating` (not saved)."""
    # A new card gets its id here: fsrs makes one from the clock and sleeps 1 ms after it to
    # keep ids apart, which cost an exam submit of 50 new questions over 50 ms. Cards are found by
    # learner and question, never by this id, so the review time in milliseconds serves.
    card = Card.from_dict(card_row.card) if card_row else Card(card_id=_card_id(now))
    card, _log = SCHEDULER.review_card(card, rating, review_datetime=now)
    card.due = capped_due(card.due, now, exam_day, user.zone)
    row = card_row or ReviewCard(user=user, question_id=question_id, reviews=0, lapses=0)
    row.card, row.due, row.last_review = card.to_dict(), card.due, now
    row.reviews += 1
    row.lapses += rating == Rating.Again
    row.updated_at = now
    return row


# --- Recording answers -------------------------------------------------------------------------


def answers_record(*, attempt: Any, items: list[AttemptQuestion], now: datetime) -> int:
    """Record the scored `items` of `attempt` and feed each into the learner's schedule.

    Exam simulations record every item at submit (an unanswered one counts as wrong); practice and
    review record each answer as it is given. An item is recorded once.
    """
    recorded = set(
        AnswerRecord.objects.filter(attempt_item__in=items).values_list(
            "attempt_item_id", flat=True
        )
    )
    items = [item for item in items if item.pk not in recorded]
    if not items:
        return 0
    user = attempt.user
    today = now.astimezone(user.zone).date()
    question_ids = [item.version.question_id for item in items]
    exam_days = _exam_days(user, question_ids, today)
    cards = {
        card.question_id: card
        for card in ReviewCard.objects.filter(user=user, question_id__in=question_ids)
    }
    records, new_cards, changed_cards = [], [], []
    for item in items:
        points = (
            item.points
            if item.points is not None
            else item_points(item.version.content, item.answer)
        )
        correct = points == item.max_points
        question_id = item.version.question_id
        records.append(
            AnswerRecord(
                user=user, question_id=question_id, version=item.version,
                exam_id=attempt.exam_id, domain_id=item.domain_id,
                source=SOURCE_OF_MODE[attempt.mode], attempt_item=item,
                answered_at=item.answered_at or now, picked=item.answer, correct=correct,
                score=(Decimal(points) / item.max_points).quantize(Decimal("0.001")),
                sure=item.sure,
            )
        )  # fmt: skip
        card = _reviewed(
            cards.get(question_id), user=user, question_id=question_id,
            rating=rating_for(correct=correct, sure=item.sure), now=now,
            exam_day=exam_days.get(question_id),
        )  # fmt: skip
        (changed_cards if card.pk else new_cards).append(card)
    AnswerRecord.objects.bulk_create(records)
    ReviewCard.objects.bulk_create(new_cards)
    ReviewCard.objects.bulk_update(changed_cards, CARD_FIELDS)
    return len(records)


def review_rate(*, user: Any, question_uid: str, rating: str, now: datetime | None = None):
    """Rate a question in the learner's schedule by hand (a flashcard-style review): only a
    question they have answered before, so it has a card."""
    now = now or timezone.now()
    if rating not in RATINGS:
        raise AttemptError(f"Rate with one of {', '.join(RATINGS)}.", field="rating")
    question = Question.objects.filter(uid=question_uid).first()
    card = ReviewCard.objects.filter(user=user, question=question).exists() if question else False
    if not card:
        raise AttemptNotFound("You have not answered that question yet, so it is not in review.")
    exam_day = _exam_days(user, [question.pk], now.astimezone(user.zone).date()).get(question.pk)
    with transaction.atomic():
        row = ReviewCard.objects.select_for_update().get(user=user, question=question)
        row = _reviewed(
            row, user=user, question_id=question.pk, rating=RATINGS[rating], now=now,
            exam_day=exam_day,
        )  # fmt: skip
        row.save(update_fields=CARD_FIELDS)
        return row


# --- Exam dates --------------------------------------------------------------------------------


def exam_date_set(*, user: Any, exam: Exam, day: date | None, now: datetime | None = None):
    """Record (or with None, forget) the day the learner booked `exam`. A booked day must not be
    in the past; the review cards of the exam's questions due after it are pulled in."""
    now = now or timezone.now()
    today = now.astimezone(user.zone).date()
    if day is None:
        with transaction.atomic():
            deleted, _ = ExamDate.objects.filter(user=user, exam=exam).delete()
            if deleted:
                tombstone_record(user=user, kind=TOMBSTONE_EXAM_DATE, object_id=exam.code)
        return None
    if day < today:
        raise AttemptError("The exam date is in the past.", field="day")
    with transaction.atomic():
        booked, _ = ExamDate.objects.update_or_create(user=user, exam=exam, defaults={"day": day})
        question_ids = QuestionExam.objects.filter(exam=exam).values("question_id")
        cards = list(ReviewCard.objects.filter(user=user, question_id__in=question_ids))
        exam_days = _exam_days(user, [card.question_id for card in cards], today)
        changed = []
        for card in cards:
            due = capped_due(card.due, now, exam_days.get(card.question_id), user.zone)
            if due != card.due:
                card.due = due
                card.card = {**card.card, "due": due.isoformat()}
                card.updated_at = timezone.now()  # bulk_update skips auto_now
                changed.append(card)
        ReviewCard.objects.bulk_update(changed, ["due", "card", "updated_at"])
    return booked


# --- Notes and reports -------------------------------------------------------------------------


def _answered_question(user: Any, question_uid: str) -> Question:
    question = Question.objects.filter(uid=question_uid).first()
    if question is None or not AnswerRecord.objects.filter(user=user, question=question).exists():
        raise AttemptNotFound("No such question among those you have answered.")
    return question


def question_note_save(*, user: Any, question_uid: str, body: str) -> QuestionNote | None:
    """Save the learner's private note on a question they have answered (empty deletes it)."""
    question = _answered_question(user, question_uid)
    body = body.strip()
    if len(body) > 5000:
        raise AttemptError("A note is at most 5000 characters.", field="body")
    if not body:
        with transaction.atomic():
            deleted, _ = QuestionNote.objects.filter(user=user, question=question).delete()
            if deleted:
                tombstone_record(user=user, kind=TOMBSTONE_QUESTION_NOTE, object_id=question.uid)
        return None
    note, _ = QuestionNote.objects.update_or_create(
        user=user, question=question, defaults={"body": body}
    )
    return note


def question_report(*, user: Any, question_uid: str, reason: str, text: str = ""):
    """Report a problem with a question the learner has seen."""
    question = Question.objects.filter(uid=question_uid).first()
    seen = (
        question
        and AttemptQuestion.objects.filter(attempt__user=user, version__question=question).exists()
    )
    if not seen:
        raise AttemptNotFound("No such question among those you have seen.")
    if reason not in QuestionReport.Reason.values:
        raise AttemptError(
            f"Choose a reason: {', '.join(QuestionReport.Reason.values)}.", field="reason"
        )
    if len(text) > 2000:
        raise AttemptError("At most 2000 characters.", field="text")
    return QuestionReport.objects.create(
        user=user, question=question, version_id=None, reason=reason, text=text.strip()
    )


def question_reports_state_set(*, reports: QuerySet[QuestionReport], state: str) -> int:
    """An editor resolves, dismisses or reopens reports; stamps them changed so each reporter's
    report list syncs the new state. Returns how many were changed."""
    if state not in QuestionReport.State.values:
        raise AttemptError(f"Choose a state: {', '.join(QuestionReport.State.values)}.")
    return reports.update(state=state, updated_at=timezone.now())
