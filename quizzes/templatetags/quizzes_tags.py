"""Template tags through which lower apps' pages show quizzes data (the certification page lists
its exam versions with `{% load quizzes_tags %}{% exam_versions certification %}`), and the small
presentation helpers of the practice pages: clock and duration filters, and the history chart."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from curriculum.models import Certification

from .. import queries
from ..models import Attempt, Exam, Lifecycle

register = template.Library()


@dataclass(frozen=True)
class ExamVersion:
    exam: Exam
    lifecycle: Lifecycle
    successor_on_page: bool  # the successor is a version of the same certification

    @property
    def ending(self) -> bool:
        return self.lifecycle in (Lifecycle.RETIRING, Lifecycle.RETIRED)


@register.inclusion_tag("quizzes/components/exam_versions.html")
def exam_versions(certification: Certification, today: date | None = None) -> dict:
    """The certification's exam versions, each with its lifecycle on `today` (default: today)
    and, for retiring and retired ones, a notice pointing to the successor. One query."""
    today = today or timezone.localdate()
    versions = [
        ExamVersion(
            exam,
            exam.lifecycle(today),
            exam.successor is not None and exam.successor.certification_id == certification.pk,
        )
        for exam in queries.exam_versions(certification)
    ]
    return {"certification": certification, "versions": versions}


# --- Attempt pages -----------------------------------------------------------------------------


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds as a countdown: 59:05, or 1:05:00 from an hour."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds in words: 45 s, 12 min 5 s, 1 h 2 min."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


@register.filter
def inline_html(html: str) -> SafeString:
    """Sanitized one-paragraph Markdown HTML (a choice's text) without its <p>, to sit inside a
    label or legend; longer HTML is kept as it is."""
    html = (html or "").strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # rendered and sanitized once, on save (portal/markdown.py)


CHART_WIDTH, CHART_HEIGHT = 640, 260
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 72, 24, 16, 44


@register.inclusion_tag("quizzes/components/score_chart.html")
def score_chart(attempts: Sequence[Attempt], exam: Exam) -> dict:
    """A line chart of finished simulations' scaled scores, oldest first, against the passing
    score; drawn as SVG whose colours come from CSS classes (the CSP allows no inline style)."""
    width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    top = exam.score_scale_max

    def y(score: float) -> float:
        return round(CHART_TOP + height * (1 - score / top), 1)

    def x(index: int) -> float:
        share = index / (len(attempts) - 1) if len(attempts) > 1 else 0.5
        return round(CHART_LEFT + width * share, 1)

    points = [
        {
            "x": x(index),
            "y": y(attempt.scaled_score or 0),
            "score": attempt.scaled_score or 0,
            "passed": bool(attempt.passed),
            "day": timezone.localtime(attempt.finished_at or attempt.started_at).date(),
        }
        for index, attempt in enumerate(attempts)
    ]
    ticks = sorted({0, top // 2, top} - {exam.passing_score})
    return {
        "exam": exam,
        "points": points,
        "line": " ".join(f"{point['x']},{point['y']}" for point in points),
        "ticks": [{"value": value, "y": y(value)} for value in ticks],
        "passing": {"value": exam.passing_score, "y": y(exam.passing_score)},
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "bottom": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 22,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "best": max((point["score"] for point in points), default=None),
        "latest": points[-1] if points else None,
    }
