"""Reads shared by the quizzes' pages, template tags and API, with their joins fixed here so each
costs a fixed number of queries whatever the number of exams."""

from django.db.models import Count, Prefetch, Q, QuerySet

from curriculum.models import Certification

from .models import Exam, ExamDomain, QuestionStatus


def _active(prefix: str) -> Q:
    """Links to questions that may be served (active and not archived)."""
    return Q(
        **{
            f"{prefix}question__status": QuestionStatus.ACTIVE,
            f"{prefix}question__archived_at__isnull": True,
        }
    )


def exam_catalogue() -> QuerySet[Exam]:
    """Current exams with their certification, successor and domains, each exam with
    `practice_questions` and each domain with `practice_questions` (active questions mapped to
    it): three queries in all, whatever the number of exams and questions."""
    domains = ExamDomain.objects.order_by("position").annotate(
        practice_questions=Count("question_links", filter=_active("question_links__"))
    )
    return (
        Exam.objects.current()
        .select_related("certification", "successor")
        .annotate(practice_questions=Count("question_links", filter=_active("question_links__")))
        .prefetch_related(Prefetch("domains", queryset=domains))
        .order_by("code")
    )


def exam_by_code(code: str) -> Exam | None:
    """One current exam by its code (case-insensitive), with what the catalogue loads."""
    return exam_catalogue().filter(code__iexact=code).first()


def exam_versions(certification: Certification) -> list[Exam]:
    """The current exam versions of one certification, oldest code first, each with
    `practice_questions`, in one query."""
    return list(
        Exam.objects.current()
        .filter(certification=certification)
        .select_related("successor")
        .annotate(practice_questions=Count("question_links", filter=_active("question_links__")))
        .order_by("code")
    )
