"""Reads shared by the quizzes' pages, template tags and API, with their joins fixed here so each
costs a fixed number of queries whatever the number of exams."""

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from curriculum.models import Certification, Topic

from .models import (
    Attempt,
    AttemptMode,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    ExamDomain,
    Question,
    QuestionNote,
    QuestionStatus,
    choice_id,
)

# Tombstone kinds of the learner's quiz data (`portal.models.Tombstone`), each with the id the
# API shows the deleted row by. Attempts, review cards and reports are never deleted by the
# learner (only with the account), so they have none.
TOMBSTONE_EXAM_DATE = "exam_date"  # object_id: the exam code
TOMBSTONE_QUESTION_NOTE = "question_note"  # object_id: the question uid


def _active(prefix: str) -> Q:
    """Links to questions that may be served (active and not archived)."""
    return Q(
        **{
            f"{prefix}question__status": QuestionStatus.ACTIVE,
            f"{prefix}question__archived_at__isnull": True,
        }
    )


def exam_catalogue() -> QuerySet[Exam]:
    """Current exams with their certification, successor and domains, each exam with
    `practice_questions` and each domain with `practice_questions` (active questions mapped to
    it): three queries in all, whatever the number of exams and questions."""
    domains = ExamDomain.objects.order_by("position", "code").annotate(
        practice_questions=Count("question_links", filter=_active("question_links__"))
    )
    return (
        Exam.objects.current()
        .select_related("certification", "successor")
        .annotate(practice_questions=Count("question_links", filter=_active("question_links__")))
        .prefetch_related(Prefetch("domains", queryset=domains))
        .order_by("code")
    )


def exam_by_code(code: str) -> Exam | None:
    """One current exam by its code (case-insensitive), with what the catalogue loads."""
    return exam_catalogue().filter(code__iexact=code).first()


def exam_versions(certification: Certification) -> list[Exam]:
    """The current exam versions of one certification, oldest code first, each with
    `practice_questions`, in one query."""
    return list(
        Exam.objects.current()
        .filter(certification=certification)
        .select_related("successor")
        .annotate(practice_questions=Count("question_links", filter=_active("question_links__")))
        .order_by("code")
    )


# --- Attempts: what a learner may see ----------------------------------------------------------
#
# The one place that decides what of a question an attempt shows. Correctness, rationales and
# explanations are included only when `revealed()` says so: after the attempt is finished, or in
# practice once that question is answered. Pages and API both build on these functions.

LETTERS = "ABCDEFGH"


def attempt_for(*, user: object, attempt_id: int) -> Attempt | None:
    """One of the learner's own attempts, with its exam (one query)."""
    return Attempt.objects.select_related("exam").filter(pk=attempt_id, user=user).first()


def attempt_items(attempt: Attempt) -> list[AttemptQuestion]:
    """The attempt's questions in order, with their frozen versions (one query)."""
    return list(attempt.items.select_related("version", "domain").order_by("position"))


def questioned_topic_ids() -> QuerySet:
    """The ids of topics some question is linked to, as a subquery: bounded by the content, so
    a filter on it keeps a learner's many topics out of per-topic work."""
    return Question.topics.through.objects.values("topic_id")


def question_topics(items: list[AttemptQuestion]) -> dict[int, list[Topic]]:
    """The published curriculum topics each item's question exercises, to study after a
    review (one query)."""
    through = Question.topics.through.objects.filter(
        question_id__in={item.version.question_id for item in items},
        topic__in=Topic.objects.published(),
    ).select_related("topic")
    topics: dict[int, list[Topic]] = {}
    for row in through.order_by("topic__title"):
        topics.setdefault(row.question_id, []).append(row.topic)
    return topics


def revealed(attempt: Attempt, item: AttemptQuestion) -> bool:
    if not attempt.is_open:
        return True
    feedback_at_once = attempt.mode in (AttemptMode.PRACTICE, AttemptMode.REVIEW)
    return feedback_at_once and item.answered_at is not None


def answer_ids(item: AttemptQuestion) -> dict:
    """The item's saved answer in the attempt's choice ids, as the API and forms send it."""
    if item.answer is None:
        return {"choices": []} if item.version.content["kind"] != "yesno" else {"statements": {}}
    if isinstance(item.answer, dict):
        return {
            "statements": {
                str(choice_id(item.position, int(key))): value for key, value in item.answer.items()
            }
        }
    return {"choices": [choice_id(item.position, key) for key in item.answer]}


def present_item(
    attempt: Attempt, item: AttemptQuestion, topics: dict[int, list[Topic]] | None = None
) -> dict:
    """A question of an attempt as the learner may see it now; once revealed, with the
    curriculum topics to study when `topics` (from `question_topics`) is given."""
    content = item.version.content
    by_key = {choice["key"]: choice for choice in content["choices"]}
    show = revealed(attempt, item)
    choices = []
    for index, key in enumerate(item.choice_order):
        choice = by_key[key]
        shown = {
            "id": choice_id(item.position, key),
            "label": LETTERS[index],
            "text_html": choice["text_html"],
        }
        if show:
            shown["correct"] = choice["correct"]
            shown["rationale"] = choice["rationale"]
        choices.append(shown)
    payload = {
        "position": item.position,
        "kind": content["kind"],
        "choose": content["choose"] if content["kind"] == "multiple" else None,
        "stem_html": content["stem_html"],
        "choices": choices,
        "answer": answer_ids(item),
        "answered": item.answer is not None,
        "flagged": item.flagged,
        "sure": item.sure,
        "domain": {"code": item.domain.code, "name": item.domain.name},
        "revealed": show,
    }
    if show:
        payload |= {
            "explanation_html": content["explanation_html"],
            "references": content["references"],
            "points": str(item.points) if item.points is not None else "0",
            "max_points": item.max_points,
            "correct": item.points is not None and item.points == item.max_points,
        }
        if topics is not None:
            payload["topics"] = [
                {"title": topic.title, "url": topic.get_absolute_url()}
                for topic in topics.get(item.version.question_id, [])
            ]
    return payload


def attempt_summary(attempt: Attempt, items: list[AttemptQuestion], now=None) -> dict:  # noqa: ANN001
    """The attempt's state: timer from the server's clock, progress, flags; the result once
    finished."""
    summary = {
        "id": attempt.pk,
        "exam": attempt.exam.code,
        "mode": attempt.mode,
        "status": attempt.status,
        "full_length": attempt.full_length,
        "extended_time": attempt.extended_time,
        "question_count": attempt.question_count,
        "time_limit_minutes": attempt.time_limit_minutes,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": attempt.time_left(now) if attempt.is_open else None,
        "answered": sum(1 for item in items if item.answer is not None),
        "flagged": [item.position for item in items if item.flagged],
        "unanswered": [item.position for item in items if item.answer is None],
    }
    if not attempt.is_open:
        summary["result"] = attempt_result(attempt, items)
    return summary


def attempt_result(attempt: Attempt, items: list[AttemptQuestion]) -> dict:
    exam = attempt.exam
    used = (attempt.finished_at - attempt.started_at).total_seconds()
    budget = (
        attempt.time_limit_minutes * 60 / attempt.question_count
        if attempt.time_limit_minutes
        else None
    )
    return {
        "points": str(attempt.points),
        "max_points": str(attempt.max_points),
        "percent": round(100 * attempt.points / attempt.max_points) if attempt.max_points else 0,
        "scaled_score": attempt.scaled_score,
        "scaled_score_is_estimate": True,
        "score_scale_max": exam.score_scale_max,
        "passing_score": exam.passing_score,
        "passed": attempt.passed,
        "finished_at": attempt.finished_at,
        "timed_out": attempt.status == AttemptStatus.EXPIRED,
        "seconds_used": round(used),
        "seconds_per_question": round(used / max(1, len(items))),
        "seconds_per_question_budget": round(budget) if budget else None,
        "domains": [
            {
                **result,
                "percent": round(100 * float(result["points"]) / float(result["max_points"]))
                if float(result["max_points"])
                else 0,
            }
            for result in attempt.domain_results
        ],
    }


def _of(
    attempts: QuerySet[Attempt], exam: Exam | None, updated_since: datetime | None
) -> QuerySet[Attempt]:
    if exam is not None:
        attempts = attempts.filter(exam=exam)
    if updated_since is not None:  # every write to an attempt or its answers stamps it
        attempts = attempts.filter(updated_at__gte=updated_since)
    return attempts.select_related("exam")


def attempt_history(
    *, user: object, exam: Exam | None = None, updated_since: datetime | None = None
) -> QuerySet[Attempt]:
    """The learner's finished attempts, newest first (one query); with `updated_since`, those
    finished (or otherwise changed) since."""
    attempts = Attempt.objects.filter(user=user).exclude(status=AttemptStatus.OPEN)
    return _of(attempts, exam, updated_since).order_by("-started_at", "-pk")


def open_attempts(
    *, user: object, exam: Exam | None = None, updated_since: datetime | None = None
) -> QuerySet[Attempt]:
    """The learner's open attempts, newest first (one query); with `updated_since`, those
    started, answered or flagged since."""
    attempts = Attempt.objects.filter(user=user, status=AttemptStatus.OPEN)
    return _of(attempts, exam, updated_since).order_by("-started_at", "-pk")


def export_attempts(*, user: object) -> list[dict]:
    """Every attempt of the learner with what was asked and answered, for their data export
    (two queries)."""
    attempts = list(Attempt.objects.filter(user=user).select_related("exam").order_by("pk"))
    items: dict[int, list[AttemptQuestion]] = {}
    for item in (
        AttemptQuestion.objects.filter(attempt__user=user)
        .select_related("version__question", "domain")
        .order_by("attempt_id", "position")
    ):
        items.setdefault(item.attempt_id, []).append(item)
    return [
        {
            "id": attempt.pk,
            "exam": attempt.exam.code,
            "mode": attempt.mode,
            "status": attempt.status,
            "started_at": attempt.started_at.isoformat(),
            "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
            "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
            "points": str(attempt.points) if attempt.points is not None else None,
            "max_points": str(attempt.max_points) if attempt.max_points is not None else None,
            "scaled_score": attempt.scaled_score,
            "passed": attempt.passed,
            "questions": [
                {
                    "position": item.position,
                    "question": item.version.question.uid,
                    "version": item.version.number,
                    "domain": item.domain.code,
                    "answer": item.answer,
                    "flagged": item.flagged,
                    "answered_at": item.answered_at.isoformat() if item.answered_at else None,
                    "points": str(item.points) if item.points is not None else None,
                }
                for item in items.get(attempt.pk, [])
            ],
        }
        for attempt in attempts
    ]


# --- Pages -------------------------------------------------------------------------------------
# Reads only the practice pages need (quizzes/views.py); what a learner may see of a question
# still comes from `present_item` above.


def attempt_item(attempt: Attempt, position: int) -> AttemptQuestion | None:
    """One question of the attempt with its frozen version and domain (one query)."""
    return attempt.items.select_related("version", "domain").filter(position=position).first()


def open_attempts_for(*, user: object, exam: Exam) -> list[Attempt]:
    """The learner's attempts of `exam` still open and, when timed, before their deadline,
    newest first, each with `answered_count` (one query)."""
    attempts = (
        Attempt.objects.filter(user=user, exam=exam, status=AttemptStatus.OPEN)
        .annotate(answered_count=Count("items", filter=Q(items__answered_at__isnull=False)))
        .order_by("-started_at")
    )
    return [attempt for attempt in attempts if attempt.deadline is None or attempt.time_left()]


def question_notes(*, user: object, question_ids: list[int]) -> dict[int, QuestionNote]:
    """The learner's own notes on these questions, by question id (one query; none for no
    ids). Another learner's notes are never read."""
    if not question_ids:
        return {}
    notes = QuestionNote.objects.filter(user=user, question_id__in=question_ids)
    return {note.question_id: note for note in notes}
