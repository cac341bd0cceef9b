"""Practice pages: the exam catalogue and one exam's page (its blueprint, lifecycle and how much
practice the banks hold). Attempts come with the quiz engine."""

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import queries


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    exams = sorted(queries.exam_catalogue(), key=lambda exam: (exam.vendor, exam.code))
    vendors = [
        (vendor, [(exam, exam.lifecycle(today)) for exam in group])
        for vendor, group in groupby(exams, key=lambda exam: exam.vendor)
    ]
    return render(request, "quizzes/index.html", {"vendors": vendors})


@require_GET
def exam_detail(request: HttpRequest, code: str) -> HttpResponse:
    exam = queries.exam_by_code(code)
    if exam is None:
        raise Http404(f"No exam with the code {code!r}.")
    return render(
        request,
        "quizzes/exam_detail.html",
        {"exam": exam, "lifecycle": exam.lifecycle(timezone.localdate())},
    )
