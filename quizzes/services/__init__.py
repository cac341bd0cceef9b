"""Writes to the quizzes: the exam import (exams.py) and the question banks (questions.py)."""

from .attempts import (
    AttemptClosed,
    AttemptError,
    AttemptNotFound,
    AttemptRefused,
    answer_save,
    attempt_refresh,
    attempt_start,
    attempt_submit,
    attempts_expire,
    domains_available,
    flag_set,
)
from .exams import ExamsImport, default_exams_dir, exam_specs_from_files, exams_import
from .questions import (
    GiftImport,
    QuestionsImport,
    exam_specs_from_database,
    gift_import,
    question_snapshot,
    question_version_sync,
    questions_export,
    questions_import,
    questions_load,
)

__all__ = [
    "AttemptClosed",
    "AttemptError",
    "AttemptNotFound",
    "AttemptRefused",
    "answer_save",
    "attempt_refresh",
    "attempt_start",
    "attempt_submit",
    "attempts_expire",
    "domains_available",
    "flag_set",
    "GiftImport",
    "gift_import",
    "ExamsImport",
    "QuestionsImport",
    "default_exams_dir",
    "exam_specs_from_database",
    "exam_specs_from_files",
    "exams_import",
    "question_snapshot",
    "question_version_sync",
    "questions_export",
    "questions_import",
    "questions_load",
]
