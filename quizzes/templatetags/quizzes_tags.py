"""Template tags through which lower apps' pages show quizzes data (the certification page lists
its exam versions with `{% load quizzes_tags %}{% exam_versions certification %}`)."""

from dataclasses import dataclass
from datetime import date

from django import template
from django.utils import timezone

from curriculum.models import Certification

from .. import queries
from ..models import Exam, Lifecycle

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
