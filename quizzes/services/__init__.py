"""Writes to the quizzes: the exam import (exams.py) and the question banks (questions.py)."""

from .attempts import (
    PRACTICE_MAX,
    answer_save,
    attempt_refresh,
    attempt_start,
    attempt_submit,
    attempts_expire,
    domains_available,
    flag_set,
)
from .errors import AttemptClosed, AttemptError, AttemptNotFound, AttemptRefused
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
from .review import (
    answers_record,
    exam_date_set,
    question_note_save,
    question_report,
    question_reports_state_set,
    rating_for,
    review_rate,
)

__all__ = [
    "PRACTICE_MAX",
    "AttemptClosed",
    "AttemptError",
    "AttemptNotFound",
    "AttemptRefused",
    "answer_save",
    "answers_record",
    "exam_date_set",
    "question_note_save",
    "question_report",
    "question_reports_state_set",
    "rating_for",
    "review_rate",
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
