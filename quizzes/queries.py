"""Reads shared by the quizzes' pages, template tags and API, with their joins fixed here so each
costs a fixed number of queries whatever the number of exams."""

from django.db.models import Prefetch, QuerySet

from curriculum.models import Certification

from .models import Exam, ExamDomain


def exam_catalogue() -> QuerySet[Exam]:
    """Current exams with their certification, successor and domains (three queries in all)."""
    return (
        Exam.objects.current()
        .select_related("certification", "successor")
        .prefetch_related(Prefetch("domains", queryset=ExamDomain.objects.order_by("position")))
        .order_by("code")
    )


def exam_by_code(code: str) -> Exam | None:
    """One current exam by its code (case-insensitive), with what the catalogue loads."""
    return exam_catalogue().filter(code__iexact=code).first()


def exam_versions(certification: Certification) -> list[Exam]:
    """The current exam versions of one certification, oldest code first, in one query."""
    return list(
        Exam.objects.current()
        .filter(certification=certification)
        .select_related("successor")
        .order_by("code")
    )
