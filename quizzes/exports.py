"""The learner's review data for their data export (progress' `export_data` and
`export_csv_zip` add it): review cards, exam dates, notes on questions and problem reports.

The answers themselves are in the attempts' export (`queries.export_attempts`, every question
asked with the answer given), so the AnswerRecords derived from them are not repeated here.
Every row is flat (the CSV export writes one file per kind with these columns); four queries.
"""

from datetime import date, datetime
from typing import Any

from .models import ExamDate, QuestionNote, QuestionReport, ReviewCard

LEARNING_COLUMNS = {
    "review_cards": [
        "question", "due", "last_review", "reviews", "lapses", "state", "stability",
        "difficulty", "updated_at",
    ],
    "exam_dates": ["exam", "exam_name", "day", "updated_at"],
    "question_notes": ["question", "body", "updated_at"],
    "question_reports": ["question", "reason", "text", "state", "created_at"],
}  # fmt: skip


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _review_cards(user: Any) -> list[dict]:
    rows = ReviewCard.objects.filter(user=user).order_by("pk")
    return [
        {
            "question": row["question__uid"],
            "due": _iso(row["due"]),
            "last_review": _iso(row["last_review"]),
            "reviews": row["reviews"],
            "lapses": row["lapses"],
            "state": (row["card"] or {}).get("state"),
            "stability": (row["card"] or {}).get("stability"),
            "difficulty": (row["card"] or {}).get("difficulty"),
            "updated_at": _iso(row["updated_at"]),
        }
        for row in rows.values(
            "question__uid", "due", "last_review", "reviews", "lapses", "card", "updated_at"
        )
    ]


def export_learning(*, user: Any) -> dict[str, list[dict]]:
    """The learner's review cards (with the FSRS state), booked exam dates, private notes on
    questions (Markdown) and the problem reports they sent, kind by kind (four queries)."""
    dates = ExamDate.objects.filter(user=user).order_by("day", "pk")
    notes = QuestionNote.objects.filter(user=user).order_by("pk")
    reports = QuestionReport.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "review_cards": _review_cards(user),
        "exam_dates": [
            {"exam": row["exam__code"], "exam_name": row["exam__name"],
             "day": _iso(row["day"]), "updated_at": _iso(row["updated_at"])}
            for row in dates.values("exam__code", "exam__name", "day", "updated_at")
        ],
        "question_notes": [
            {"question": row["question__uid"], "body": row["body"],
             "updated_at": _iso(row["updated_at"])}
            for row in notes.values("question__uid", "body", "updated_at")
        ],
        "question_reports": [
            {"question": row["question__uid"], "reason": row["reason"], "text": row["text"],
             "state": row["state"], "created_at": _iso(row["created_at"])}
            for row in reports.values("question__uid", "reason", "text", "state", "created_at")
        ],
    }  # fmt: skip
