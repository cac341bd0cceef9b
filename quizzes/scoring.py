"""Scoring, in one place: points for one answer, and the scaled score of a finished attempt.

Single choice and multiple response score one point, all or nothing; a yes/no statement series
scores a point per statement answered right. The scaled score is a linear estimate on the
vendor's scale (share of points x the scale's top), labelled as an estimate wherever it shows:
vendors scale with methods they do not publish.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .models import QuestionKind


def correct_keys(content: dict[str, Any]) -> list[int]:
    return [choice["key"] for choice in content["choices"] if choice["correct"]]


def max_points(content: dict[str, Any]) -> int:
    return len(content["choices"]) if content["kind"] == QuestionKind.YESNO else 1


def item_points(content: dict[str, Any], answer: Any) -> Decimal:
    """Points for `answer` (the stored form: a list of choice keys, or {key: bool} for a
    statement series; None when unanswered) to the frozen question `content`."""
    if answer is None:
        return Decimal(0)
    if content["kind"] == QuestionKind.YESNO:
        truth = {str(choice["key"]): choice["correct"] for choice in content["choices"]}
        return Decimal(sum(1 for key, value in answer.items() if truth.get(key) is value))
    return Decimal(1 if sorted(answer) == sorted(correct_keys(content)) else 0)


def scaled_score(points: Decimal, maximum: Decimal, scale_max: int) -> int:
    if not maximum:
        return 0
    value = (Decimal(scale_max) * points / maximum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(value)
