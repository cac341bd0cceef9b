"""The quizzes API: exams (exams.py), attempts (attempts.py) and learning from practice
(learning.py: review queue, exam dates, readiness, confusions, notes and reports)."""

from .attempts import (
    AttemptAnswer,
    AttemptDetail,
    AttemptFlag,
    AttemptList,
    AttemptQuestions,
    AttemptSubmit,
)
from .exams import ExamViewSet
from .learning import (
    ConfusionList,
    ExamDateDetail,
    ExamDateList,
    QuestionNoteDetail,
    QuestionNoteList,
    QuestionReportList,
    ReadinessDetail,
    ReviewCardList,
    ReviewQueueView,
    ReviewRate,
)

__all__ = [
    "AttemptAnswer",
    "AttemptDetail",
    "AttemptFlag",
    "AttemptList",
    "AttemptQuestions",
    "AttemptSubmit",
    "ConfusionList",
    "ExamDateDetail",
    "ExamDateList",
    "ExamViewSet",
    "QuestionNoteDetail",
    "QuestionNoteList",
    "QuestionReportList",
    "ReadinessDetail",
    "ReviewCardList",
    "ReviewQueueView",
    "ReviewRate",
]
