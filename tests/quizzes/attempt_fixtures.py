"""A small exam with a bank for the quiz engine's tests: 2 domains (60/40), 10 questions in 20
minutes, so its mini exam is the whole 10 (6 + 4 at blueprint weight)."""

from datetime import UTC, datetime

import time_machine

from .factories import ExamDomainFactory, ExamFactory, question_in

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def at(moment: datetime):  # noqa: ANN201
    return time_machine.travel(moment, tick=False)


def make_exam():  # noqa: ANN201
    exam = ExamFactory(
        code="TST-C01", question_count=10, scored_questions=None, duration_minutes=20,
        passing_score=700, score_scale_max=1000, domains=[],
    )  # fmt: skip
    ExamDomainFactory(exam=exam, code="1", name="Build", weight_min=60, weight_max=60, position=0)
    ExamDomainFactory(exam=exam, code="2", name="Secure", weight_min=40, weight_max=40, position=1)
    return exam


def fill(exam, first: int = 8, second: int = 5) -> None:  # noqa: ANN001
    one, two = exam.domains.order_by("position")
    for _ in range(first):
        question_in(one)
    for _ in range(second):
        question_in(two)


def make_bank():  # noqa: ANN201
    """8 + 5 active single choice questions: enough for the 6 + 4 mini exam."""
    exam = make_exam()
    fill(exam)
    return exam
