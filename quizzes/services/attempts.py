"""Writes of the quiz engine: start an attempt, save an answer, flag, submit, and finish attempts
whose time ran out. The server keeps the deadline and the score; what an attempt asked is frozen
in the question versions it points to.

Every function takes the acting user and finds the attempt among that user's own, so another
learner's attempt id is simply not found.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..analytics import review_order
from ..blueprint import domain_quota
from ..models import (
    Attempt,
    AttemptMode,
    AttemptQuestion,
    AttemptStatus,
    Exam,
    Question,
    QuestionExam,
    QuestionKind,
    QuestionStatus,
    QuestionVersion,
    ReviewCard,
)
from ..scoring import item_points, max_points, scaled_score
from .errors import AttemptClosed, AttemptError, AttemptNotFound, AttemptRefused
from .review import answers_record

EXTRA_MINUTES = 30
FEEDBACK_AT_ONCE = (AttemptMode.PRACTICE, AttemptMode.REVIEW)
PRACTICE_MAX = 50


# --- Drawing questions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    question_id: int
    domain_id: int
    domain_code: str


def _candidates(exam: Exam, domain_codes: list[str] | None = None) -> list[Candidate]:
    links = QuestionExam.objects.filter(
        exam=exam,
        question__status=QuestionStatus.ACTIVE,
        question__archived_at__isnull=True,
        question__version__gt=0,
    )
    if domain_codes is not None:
        links = links.filter(domain__code__in=domain_codes)
    return [
        Candidate(*row)
        for row in links.order_by("question_id").values_list(
            "question_id", "domain_id", "domain__code"
        )
    ]


def _by_freshness(user: Any, candidates: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Questions the learner has not seen first (in random order), then the least recently
    seen."""
    seen = dict(
        AttemptQuestion.objects.filter(
            attempt__user=user, version__question_id__in=[c.question_id for c in candidates]
        )
        .values_list("version__question_id")
        .annotate(last=Max("attempt__started_at"))
    )
    unseen = [c for c in candidates if c.question_id not in seen]
    rng.shuffle(unseen)
    old = sorted(
        (c for c in candidates if c.question_id in seen), key=lambda c: seen[c.question_id]
    )
    return unseen + old


def _latest_versions(question_ids: list[int]) -> dict[int, QuestionVersion]:
    numbers = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "version"))
    wanted = Q(pk__in=[])
    for question_id, number in numbers.items():
        wanted |= Q(question_id=question_id, number=number)
    return {version.question_id: version for version in QuestionVersion.objects.filter(wanted)}


def _draw_exam(user: Any, exam: Exam, size: int, rng: random.Random) -> list[Candidate]:
    domains = list(exam.domains.order_by("position", "code"))
    quota = domain_quota(domains, size)
    pool = _by_freshness(user, _candidates(exam), rng)
    chosen: list[Candidate] = []
    short = []
    for domain in domains:
        in_domain = [c for c in pool if c.domain_id == domain.pk][: quota[domain.code]]
        if len(in_domain) < quota[domain.code]:
            short.append(f"domain {domain.code} needs {quota[domain.code]}, has {len(in_domain)}")
        chosen += in_domain
    if short:
        raise AttemptRefused(
            f"The {exam.code} question bank cannot fill a {size}-question simulation at "
            f"blueprint weight yet ({'; '.join(short)})."
        )
    return chosen


def _draw_practice(
    user: Any, exam: Exam, domain_codes: list[str], count: int, rng: random.Random
) -> list[Candidate]:
    known = set(exam.domains.values_list("code", flat=True))
    unknown = sorted(set(domain_codes) - known)
    if unknown:
        raise AttemptError(f"{exam.code} has no domain {', '.join(unknown)}.", field="domains")
    pool = _by_freshness(user, _candidates(exam, domain_codes or sorted(known)), rng)
    if not pool:
        raise AttemptRefused(f"There are no practice questions for {exam.code} in those domains.")
    return pool[:count]


def _draw_review(user: Any, exam: Exam, now: datetime, count: int) -> list[Candidate]:
    """The learner's review cards of this exam's questions due by the end of their day, the
    most overdue first; questions they keep confusing sit next to each other."""
    end_of_day = datetime.combine(
        now.astimezone(user.zone).date() + timedelta(days=1), datetime.min.time(), user.zone
    )
    due = dict(
        ReviewCard.objects.filter(user=user, due__lt=end_of_day).values_list("question_id", "due")
    )
    pool = [c for c in _candidates(exam) if c.question_id in due]
    if not pool:
        raise AttemptRefused(f"Nothing of {exam.code} is due for review today.")
    pool.sort(key=lambda c: (due[c.question_id], c.question_id))
    ids = [c.question_id for c in pool]
    order = {qid: i for i, qid in enumerate(review_order(user=user, question_ids=ids, now=now))}
    pool.sort(key=lambda c: order[c.question_id])
    return pool[: max(1, min(count, PRACTICE_MAX))]


# --- Starting ----------------------------------------------------------------------------------


def _create_items(
    attempt: Attempt, chosen: list[Candidate], rng: random.Random, keep_order: bool = False
) -> None:
    versions = _latest_versions([c.question_id for c in chosen])
    if not keep_order:
        rng.shuffle(chosen)
    items = []
    for position, candidate in enumerate(chosen, start=1):
        version = versions[candidate.question_id]
        order = [choice["key"] for choice in version.content["choices"]]
        rng.shuffle(order)
        items.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                version=version,
                domain_id=candidate.domain_id,
                choice_order=order,
                max_points=max_points(version.content),
            )
        )
    AttemptQuestion.objects.bulk_create(items)


def attempt_start(
    *,
    user: Any,
    exam: Exam,
    mode: str,
    full_length: bool = False,
    extended_time: bool = False,
    domains: list[str] | None = None,
    count: int = 10,
    now: datetime | None = None,
) -> tuple[Attempt, bool]:
    """Start an attempt, or return the learner's open exam simulation of `exam` (one at a time).

    Returns (attempt, created). Exam mode draws the mini exam (or, where the exam offers one, the
    full simulation) at blueprint weight, preferring unseen questions, and refuses when the bank
    cannot fill a domain. Practice draws `count` questions from the chosen domains, untimed.
    """
    now = now or timezone.now()
    rng = random.SystemRandom()
    if mode == AttemptMode.EXAM:
        existing = _open_exam_attempt(user, exam, now)
        if existing is not None:
            return existing, False
        if full_length and not exam.full_simulation:
            raise AttemptError(
                f"{exam.code} offers mini exams only for now: its bank cannot fill a full "
                "simulation.",
                field="full_length",
            )
        size = exam.question_count if full_length else exam.mini_exam().question_count
        minutes = exam.duration_minutes if full_length else exam.mini_exam().duration_minutes
        minutes += EXTRA_MINUTES if extended_time else 0
        chosen = _draw_exam(user, exam, size, rng)
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    user=user, exam=exam, mode=mode, full_length=full_length,
                    extended_time=extended_time, question_count=size,
                    time_limit_minutes=minutes, started_at=now,
                    deadline=now + timedelta(minutes=minutes),
                )  # fmt: skip
                _create_items(attempt, chosen, rng)
        except IntegrityError:  # a concurrent start won: return its attempt
            existing = _open_exam_attempt(user, exam, now)
            if existing is None:
                raise
            return existing, False
        return attempt, True
    if mode == AttemptMode.REVIEW:
        chosen = _draw_review(user, exam, now, count)
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user, exam=exam, mode=mode, question_count=len(chosen), started_at=now
            )
            _create_items(attempt, chosen, rng, keep_order=True)
        return attempt, True
    if mode != AttemptMode.PRACTICE:
        raise AttemptError(f"Unknown mode {mode!r}.", field="mode")
    if not 1 <= count <= PRACTICE_MAX:
        raise AttemptError(f"Choose 1 to {PRACTICE_MAX} questions.", field="count")
    chosen = _draw_practice(user, exam, list(domains or []), count, rng)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            user=user, exam=exam, mode=mode, question_count=len(chosen), started_at=now
        )
        _create_items(attempt, chosen, rng)
    return attempt, True


def _open_exam_attempt(user: Any, exam: Exam, now: datetime) -> Attempt | None:
    attempt = Attempt.objects.filter(
        user=user, exam=exam, mode=AttemptMode.EXAM, status=AttemptStatus.OPEN
    ).first()
    if attempt is not None and attempt_refresh(attempt=attempt, now=now).is_open:
        return attempt
    return None


# --- Answers -----------------------------------------------------------------------------------


def _keys(item: AttemptQuestion, ids: Any, field: str) -> list[int]:
    if not isinstance(ids, list) or not all(
        isinstance(value, int) and not isinstance(value, bool) for value in ids
    ):
        raise AttemptError("Give a list of choice ids.", field=field)
    keys = []
    for value in ids:
        position, key = divmod(value, 10)
        if position != item.position or key not in item.choice_order:
            raise AttemptError(f"{value} is not a choice of question {item.position}.", field=field)
        if key in keys:
            raise AttemptError(f"Choice {value} is given twice.", field=field)
        keys.append(key)
    return sorted(keys)


def normalize_answer(item: AttemptQuestion, answer: Any) -> Any:
    """The stored form of an answer to `item`, or AttemptError saying what is wrong with it.

    Single choice: {"choices": [id]}; multiple response: {"choices": [exactly `choose` ids]};
    a statement series: {"statements": {"<id>": true|false, ...}}. An empty answer clears it.
    """
    content = item.version.content
    if not isinstance(answer, dict):
        raise AttemptError("The answer must be an object.", field="answer")
    if content["kind"] == QuestionKind.YESNO:
        statements = answer.get("statements")
        if not isinstance(statements, dict) or set(answer) - {"statements"}:
            raise AttemptError(
                'Answer a statement series with {"statements": {"<id>": true or false}}.',
                field="statements",
            )
        stored = {}
        for raw, value in statements.items():
            try:
                number = int(raw)
            except (TypeError, ValueError):
                raise AttemptError(f"{raw!r} is not a statement id.", field="statements") from None
            (key,) = _keys(item, [number], "statements")
            if not isinstance(value, bool):
                raise AttemptError("Answer each statement true (yes) or false (no).",
                                   field="statements")  # fmt: skip
            stored[str(key)] = value
        return stored or None
    if set(answer) != {"choices"}:
        raise AttemptError('Answer with {"choices": [choice ids]}.', field="choices")
    keys = _keys(item, answer["choices"], "choices")
    if not keys:
        return None
    wanted = 1 if content["kind"] == QuestionKind.SINGLE else content["choose"]
    if len(keys) != wanted:
        raise AttemptError(
            f"Choose exactly {wanted} {'choice' if wanted == 1 else 'choices'}; {len(keys)} given.",
            field="choices",
        )
    return keys


def _item(user: Any, attempt_id: int, position: int) -> AttemptQuestion:
    item = (
        AttemptQuestion.objects.select_related("attempt", "version", "domain")
        .filter(attempt_id=attempt_id, attempt__user=user, position=position)
        .first()
    )
    if item is None:
        if not Attempt.objects.filter(pk=attempt_id, user=user).exists():
            raise AttemptNotFound("No such attempt.")
        raise AttemptNotFound(f"Question {position} is not in this attempt.")
    return item


def _writable(item: AttemptQuestion, now: datetime) -> None:
    attempt = item.attempt
    if attempt.is_open and attempt.deadline is not None and now >= attempt.deadline:
        attempt_refresh(attempt=attempt, now=now)
        raise AttemptClosed(
            "The time is up: the attempt was submitted with the answers saved before the deadline."
        )
    if not attempt.is_open:
        raise AttemptClosed("This attempt is finished; its answers can no longer change.")


def answer_save(
    *,
    user: Any,
    attempt_id: int,
    position: int,
    answer: Any,
    sure: bool = True,
    now: datetime | None = None,
) -> AttemptQuestion:
    """Save (or clear) the answer to question `position`, with the learner's sure/unsure toggle;
    saving the same answer twice leaves the same state. Practice and review answers are final,
    scored at once (the feedback follows) and fed into the review schedule."""
    now = now or timezone.now()
    item = _item(user, attempt_id, position)
    _writable(item, now)
    stored = normalize_answer(item, answer)
    practice = item.attempt.mode in FEEDBACK_AT_ONCE
    if practice and item.answered_at is not None:
        raise AttemptClosed("This practice question is answered; its feedback is shown.")
    if practice and stored is None:
        raise AttemptError("Choose an answer.", field="choices")
    statements = len(item.version.content["choices"])
    if practice and isinstance(stored, dict) and len(stored) != statements:
        raise AttemptError(
            f"Answer all {statements} statements: the feedback follows at once.",
            field="statements",
        )
    changes: dict[str, Any] = {
        "answer": stored,
        "answered_at": now if stored is not None else None,
        "sure": bool(sure),
    }
    if practice:
        changes["points"] = item_points(item.version.content, stored)
    if not practice:  # the hot path of exam simulations: one conditional update
        _update_open(item, changes)
        return item
    with transaction.atomic():
        _update_open(item, changes)
        answers_record(attempt=item.attempt, items=[item], now=now)
    return item


def _update_open(item: AttemptQuestion, changes: dict[str, Any]) -> None:
    """Write `changes` to `item` while its attempt is still open."""
    updated = AttemptQuestion.objects.filter(pk=item.pk, attempt__status=AttemptStatus.OPEN)
    if not updated.update(**changes):
        raise AttemptClosed("This attempt is finished; its answers can no longer change.")
    for name, value in changes.items():
        setattr(item, name, value)
    _touch(item.attempt)


def _touch(attempt: Attempt) -> None:
    """Stamp the attempt changed (its items are written with `.update()`, which skips the
    attempt's auto_now), so the apps' `updated_since` sync of attempts sees the change."""
    attempt.updated_at = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(updated_at=attempt.updated_at)


def flag_set(
    *, user: Any, attempt_id: int, position: int, flagged: bool, now: datetime | None = None
) -> AttemptQuestion:
    now = now or timezone.now()
    item = _item(user, attempt_id, position)
    _writable(item, now)
    AttemptQuestion.objects.filter(pk=item.pk).update(flagged=flagged)
    item.flagged = flagged
    _touch(item.attempt)
    return item


# --- Finishing ---------------------------------------------------------------------------------


def _finish(attempt: Attempt, status: str, now: datetime) -> None:
    """Score what was saved and close the attempt (the caller holds its row lock)."""
    items = list(attempt.items.select_related("version", "domain").order_by("position"))
    by_domain: dict[int, dict[str, Any]] = {}
    total = maximum = Decimal(0)
    for item in items:
        item.points = item_points(item.version.content, item.answer)
        total += item.points
        maximum += item.max_points
        result = by_domain.setdefault(
            item.domain_id,
            {"code": item.domain.code, "name": item.domain.name, "position": item.domain.position,
             "points": Decimal(0), "max_points": Decimal(0), "questions": 0},
        )  # fmt: skip
        result["points"] += item.points
        result["max_points"] += item.max_points
        result["questions"] += 1
    AttemptQuestion.objects.bulk_update(items, ["points"])
    if attempt.mode == AttemptMode.EXAM:
        answers_record(attempt=attempt, items=items, now=now)
    exam = attempt.exam
    attempt.status = status
    attempt.finished_at = now if status == AttemptStatus.SUBMITTED else min(now, attempt.deadline)
    cents = Decimal("0.01")  # as the columns store them, so every response reads the same
    attempt.points, attempt.max_points = total.quantize(cents), maximum.quantize(cents)
    attempt.scaled_score = scaled_score(total, maximum, exam.score_scale_max)
    attempt.passed = attempt.scaled_score >= exam.passing_score
    attempt.domain_results = [
        {**result, "points": str(result["points"]), "max_points": str(result["max_points"])}
        for result in sorted(by_domain.values(), key=lambda r: (r["position"], r["code"]))
    ]
    attempt.save(
        update_fields=[
            "status", "finished_at", "points", "max_points", "scaled_score", "passed",
            "domain_results", "updated_at",
        ]
    )  # fmt: skip


def attempt_submit(*, user: Any, attempt_id: int, now: datetime | None = None) -> Attempt:
    """Finish and score the attempt. Idempotent and safe under concurrent submits: the row lock
    lets one submit score it; the others find it finished and return the same result. Past the
    deadline, it is finished as expired with the answers saved before it."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("exam")
            .filter(pk=attempt_id, user=user)
            .first()
        )
        if attempt is None:
            raise AttemptNotFound("No such attempt.")
        if attempt.is_open:
            late = attempt.deadline is not None and now >= attempt.deadline
            _finish(attempt, AttemptStatus.EXPIRED if late else AttemptStatus.SUBMITTED, now)
    return attempt


def attempt_refresh(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Finish `attempt` as expired if its deadline has passed (on any request that reads it)."""
    now = now or timezone.now()
    if not attempt.is_open or attempt.deadline is None or now < attempt.deadline:
        return attempt
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        if locked.is_open:
            _finish(locked, AttemptStatus.EXPIRED, now)
    attempt.refresh_from_db()
    return attempt


def attempts_expire(*, now: datetime | None = None) -> int:
    """Finish every open attempt whose deadline has passed (the periodic task); returns how
    many were finished. Safe to run twice and next to learners' own requests."""
    now = now or timezone.now()
    finished = 0
    due = Attempt.objects.open().filter(deadline__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update(skip_locked=True)
                .select_related("exam")
                .filter(pk=pk, status=AttemptStatus.OPEN)
                .first()
            )
            if attempt is not None:
                _finish(attempt, AttemptStatus.EXPIRED, now)
                finished += 1
    return finished


def domains_available(exam: Exam) -> dict[str, int]:
    """Active questions per domain code of `exam` (for the practice form)."""
    counts: dict[str, int] = defaultdict(int)
    for candidate in _candidates(exam):
        counts[candidate.domain_code] += 1
    return dict(counts)
