"""The quizzes API: exams (exams.py) and attempts (attempts.py)."""

from .attempts import (
    AttemptAnswer,
    AttemptDetail,
    AttemptFlag,
    AttemptList,
    AttemptQuestions,
    AttemptSubmit,
)
from .exams import ExamViewSet

__all__ = [
    "AttemptAnswer",
    "AttemptDetail",
    "AttemptFlag",
    "AttemptList",
    "AttemptQuestions",
    "AttemptSubmit",
    "ExamViewSet",
]
