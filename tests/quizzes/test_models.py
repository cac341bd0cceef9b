"""An exam's lifecycle is computed from its dates and today's date, so it changes on its own."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
import yaml
from django.conf import settings

from quizzes.models import Exam, Lifecycle

EXAMS_FILE = Path(settings.BASE_DIR) / "content" / "exams" / "exams.yaml"
DATES = ("beta_from", "available_from", "last_day")


@pytest.fixture(scope="module")
def real() -> dict[str, Exam]:
    """The project's exams with their real dates and figures (unsaved: no database needed)."""
    data = yaml.safe_load(EXAMS_FILE.read_text(encoding="utf-8"))
    fields = ("code", "duration_minutes", "question_count", *DATES)
    return {item["code"]: Exam(**{key: item.get(key) for key in fields}) for item in data["exams"]}


def on(day: date):  # noqa: ANN201
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


@pytest.mark.parametrize(
    ("code", "day", "state"),
    [
        ("DVA-C02", date(2026, 11, 24), Lifecycle.RETIRING),
        ("DVA-C02", date(2026, 11, 30), Lifecycle.RETIRING),
        ("DVA-C02", date(2026, 12, 1), Lifecycle.RETIRED),
        ("DVA-C03", date(2026, 11, 24), Lifecycle.UPCOMING),
        ("DVA-C03", date(2026, 12, 1), Lifecycle.ACTIVE),
        ("MLA-C02", date(2026, 9, 28), Lifecycle.UPCOMING),
        ("MLA-C02", date(2026, 11, 24), Lifecycle.BETA),
        ("MLA-C01", date(2026, 9, 28), Lifecycle.RETIRING),
        ("MLA-C01", date(2026, 9, 29), Lifecycle.RETIRED),
        ("AZ-204", date(2026, 11, 24), Lifecycle.RETIRED),
        ("AZ-204", date(2026, 7, 31), Lifecycle.RETIRING),
        ("AI-200", date(2026, 11, 24), Lifecycle.BETA),
        ("AI-103", date(2026, 6, 30), Lifecycle.UPCOMING),
        ("AI-103", date(2026, 11, 24), Lifecycle.BETA),
        ("MLS-C01", date(2026, 11, 24), Lifecycle.RETIRED),
        ("CLF-C02", date(2026, 11, 24), Lifecycle.ACTIVE),
    ],
)
def test_lifecycle_of_real_exams_follows_the_date(real, code, day, state):
    with on(day):
        assert real[code].lifecycle() == state
    assert real[code].lifecycle(day) == state


def test_successor_takes_over_the_day_after_the_last_day(real):
    old, new = real["DVA-C02"], real["DVA-C03"]
    with on(date(2026, 11, 30)):
        assert (old.lifecycle(), new.lifecycle()) == ("retiring", "upcoming")
    with on(date(2026, 12, 1)):
        assert (old.lifecycle(), new.lifecycle()) == ("retired", "active")


@pytest.mark.parametrize(
    ("dates", "state"),
    [
        ({}, Lifecycle.ACTIVE),
        ({"available_from": date(2026, 1, 1)}, Lifecycle.ACTIVE),
        ({"available_from": date(2027, 1, 1)}, Lifecycle.UPCOMING),
        ({"beta_from": date(2026, 1, 1), "available_from": date(2026, 6, 1)}, Lifecycle.ACTIVE),
        ({"beta_from": date(2026, 6, 1), "available_from": date(2027, 1, 1)}, Lifecycle.BETA),
        ({"last_day": date(2026, 6, 1)}, Lifecycle.RETIRING),
        ({"last_day": date(2026, 5, 31)}, Lifecycle.RETIRED),
    ],
)
def test_lifecycle_rules(dates, state):
    assert Exam(**dates).lifecycle(date(2026, 6, 1)) == state


@pytest.mark.parametrize(
    ("code", "questions", "minutes"),
    [("AZ-204", 30, 60), ("DVA-C02", 30, 60), ("CLF-C02", 30, 42), ("AZ-900", 30, 34)],
)
def test_mini_exam_is_30_questions_with_time_pro_rata_rounded_up(real, code, questions, minutes):
    mini = real[code].mini_exam()
    assert (mini.question_count, mini.duration_minutes) == (questions, minutes)


def test_mini_exam_never_asks_more_than_the_exam():
    mini = Exam(duration_minutes=20, question_count=10).mini_exam()
    assert (mini.question_count, mini.duration_minutes) == (10, 20)
