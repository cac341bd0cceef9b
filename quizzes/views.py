"""Practice pages: the exam catalogue, one exam's page (its blueprint, lifecycle, how much
practice the banks hold, and for a learner the start panel, the exam date and readiness), and the
attempt pages: a question at a time with the navigator and timer, the review screen, the results
and the history; under a revealed question, the learner's private note and a problem report."""

from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import analytics, queries, services
from .forms import (
    AnswerForm,
    ExamDateForm,
    ExamStartForm,
    NoteForm,
    PracticeStartForm,
    ReportForm,
    ReviewStartForm,
)
from .models import Attempt, AttemptMode, AttemptQuestion, AttemptStatus, Exam, QuestionNote

HISTORY_MAX = 100  # attempts listed on the history page


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
    return _exam_page(request, _exam(code))


# --- Attempts: start, sit, review, results, history --------------------------------------------
#
# Each control is a plain form posting here; static/js/attempt.js sends the same answers and
# flags to the JSON API instead when JavaScript runs. What of a question a learner may see comes
# from `queries.present_item` alone; every refusal comes from `services` as an AttemptError.

FIELD_ALIASES = {"full_length": "length"}  # service field -> form field
NEXT_STEPS = {"previous", "next", "review"}


def _exam(code: str) -> Exam:
    exam = queries.exam_by_code(code)
    if exam is None:
        raise Http404(f"No exam with the code {code!r}.")
    return exam


def _exam_page(
    request: HttpRequest,
    exam: Exam,
    *,
    status: int = 200,
    exam_form: ExamStartForm | None = None,
    practice_form: PracticeStartForm | None = None,
    review_form: ReviewStartForm | None = None,
    exam_date_form: ExamDateForm | None = None,
) -> HttpResponse:
    """The exam's page; for a learner, with the start panel (resume, or start a simulation, a
    practice session or a spaced review) and, after a refused start, the form with its message;
    then the learner's preparation: the exam date and readiness."""
    context = {"exam": exam, "lifecycle": exam.lifecycle(timezone.localdate())}
    if request.user.is_authenticated:
        available = services.domains_available(exam)
        opened = queries.open_attempts_for(user=request.user, exam=exam)
        context |= {
            "simulation": next((a for a in opened if a.mode == AttemptMode.EXAM), None),
            "practices": [a for a in opened if a.mode == AttemptMode.PRACTICE],
            "reviews": [a for a in opened if a.mode == AttemptMode.REVIEW],
            "exam_form": exam_form or ExamStartForm(exam=exam),
            "practice_form": practice_form or PracticeStartForm(),
            "review_form": review_form or ReviewStartForm(),
            "practice_domains": [
                (domain, available.get(domain.code, 0)) for domain in exam.domains.all()
            ],
        }
        context |= _preparation(request, exam, exam_date_form)
    return render(request, "quizzes/exam_detail.html", context, status=status)


def _form_error(form: forms.Form, error: services.AttemptError) -> None:
    """A service's refusal shown on the field it names (or the whole form)."""
    field = FIELD_ALIASES.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start (or resume) an exam simulation, or start a practice session or a spaced review. A
    GET (after logging in from a start button) goes back to the exam's start panel."""
    exam = _exam(code)
    start_panel = reverse("quizzes:exam", args=[exam.code]) + "#start"
    mode = request.POST.get("mode")
    if request.method == "GET" or mode not in AttemptMode.values:
        if request.method == "POST":
            messages.error(request, "Choose an exam simulation or a practice session.")
        return redirect(start_panel)
    if mode == AttemptMode.EXAM:
        form, key = ExamStartForm(request.POST, exam=exam), "exam_form"
    elif mode == AttemptMode.REVIEW:
        form, key = ReviewStartForm(request.POST), "review_form"
    else:
        form, key = PracticeStartForm(request.POST), "practice_form"
    status = 400
    if form.is_valid():
        try:
            attempt, created = services.attempt_start(
                user=request.user, exam=exam, mode=mode, **form.start_options()
            )
        except services.AttemptError as error:
            _form_error(form, error)
            status = error.status
        else:
            if not created:
                messages.info(
                    request, f"Your {exam.code} simulation is still running: here it is again."
                )
            return redirect("quizzes:attempt", attempt.pk)
    return _exam_page(request, exam, status=status, **{key: form})


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    """One of the learner's own attempts (another learner's is 404), finished first if its time
    ran out, so a page never shows an expired attempt as open."""
    attempt = queries.attempt_for(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404("No such attempt.")
    return services.attempt_refresh(attempt=attempt)


def _results(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    if attempt.status == AttemptStatus.EXPIRED:
        messages.info(request, "The time ran out: the answers saved before it were scored.")
    return redirect("quizzes:results", attempt.pk)


def _position(raw: str | None, items: list[AttemptQuestion]) -> int:
    """The question asked for by ?q=, else the first unanswered one (where to resume)."""
    try:
        asked = int(raw or "")
    except ValueError:
        asked = 0
    if 1 <= asked <= len(items):
        return asked
    return next((item.position for item in items if item.answer is None), 1)


def _navigator(items: list[AttemptQuestion], current: int | None) -> list[dict]:
    return [
        {
            "position": item.position,
            "answered": item.answer is not None,
            "flagged": item.flagged,
            "current": item.position == current,
        }
        for item in items
    ]


def _marked(question: dict, answer: dict | None = None) -> dict:
    """`present_item`'s question with each choice marked as the learner answered it (`answer`,
    default the saved one): `chosen` for choices, `said` (True for Yes, False for No, None) for
    statements. It adds nothing the learner may not see."""
    answer = answer if answer is not None else question["answer"]
    chosen = set(answer.get("choices", []))
    said = {str(key): value for key, value in answer.get("statements", {}).items()}
    for choice in question["choices"]:
        choice["chosen"] = choice["id"] in chosen
        choice["said"] = said.get(str(choice["id"]))
    return question


def _question_page(
    request: HttpRequest,
    attempt: Attempt,
    items: list[AttemptQuestion],
    position: int,
    *,
    form: AnswerForm | None = None,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    item = items[position - 1]
    topics = queries.question_topics([item]) if queries.revealed(attempt, item) else None
    question = _marked(
        queries.present_item(attempt, item, topics), form.posted_answer() if form else None
    )
    if attempt.mode != AttemptMode.EXAM:  # the feedback's note and report forms
        notes = queries.question_notes(user=request.user, question_ids=[item.version.question_id])
        _with_learning(question, item, notes, bound, can_note=True)
    context = {
        "attempt": attempt,
        "summary": queries.attempt_summary(attempt, items),
        "navigator": _navigator(items, position),
        "question": question,
        "form": form,
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < len(items) else None,
    }
    return render(request, "quizzes/attempt.html", context, status=status)


@login_required
@require_GET
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """One question of an open attempt (?q=<position>), with the navigator and the timer."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return _results(request, attempt)
    items = queries.attempt_items(attempt)
    return _question_page(request, attempt, items, _position(request.GET.get("q"), items))


def _save(request: HttpRequest, attempt: Attempt, item: AttemptQuestion, form: AnswerForm) -> None:
    """Save what the question's form posted. An exam answer is saved when it changed (or
    cleared); a practice (or review) answer only when checked, once, since its feedback
    follows."""
    go = form.cleaned_data["go"]
    practice = attempt.mode != AttemptMode.EXAM  # feedback after each answer
    answer = form.cleared() if go == "clear" else form.answer
    sure = not form.cleaned_data["unsure"]
    if practice:
        wanted = go == "check" and item.answered_at is None
    else:
        shown = queries.answer_ids(item)
        wanted = answer != shown or (item.answer is not None and sure != item.sure)
    if wanted:
        services.answer_save(
            user=request.user, attempt_id=attempt.pk, position=item.position, answer=answer,
            sure=sure,
        )  # fmt: skip
    if form.cleaned_data["flagged"] != item.flagged:
        services.flag_set(
            user=request.user, attempt_id=attempt.pk, position=item.position,
            flagged=form.cleaned_data["flagged"],
        )  # fmt: skip


def _after(attempt: Attempt, position: int, go: str) -> str:
    """Where a question's form leads: the previous or next question, the review screen, or the
    same question again (to its feedback after checking a practice answer)."""
    page = reverse("quizzes:attempt", args=[attempt.pk])
    if go == "review" or (go == "next" and position >= attempt.question_count):
        return reverse("quizzes:review", args=[attempt.pk])
    if go == "previous":
        return f"{page}?q={max(1, position - 1)}"
    if go == "next":
        return f"{page}?q={position + 1}"
    return f"{page}?q={position}" + ("#feedback" if go == "check" else "")


@login_required
@require_POST
def question_save(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """The question form without JavaScript: save the answer and the flag, then move on. Bad
    input shows the question again with the message and changes nothing."""
    attempt = _own_attempt(request, attempt_id)
    item = queries.attempt_item(attempt, position)
    if item is None:
        raise Http404("No such question in this attempt.")
    if not attempt.is_open:
        messages.error(request, "This attempt is finished; its answers can no longer change.")
        return _results(request, attempt)
    form = AnswerForm(request.POST, kind=item.version.content["kind"])
    if form.is_valid():
        try:
            _save(request, attempt, item, form)
        except services.AttemptClosed as error:
            messages.error(request, error.message)
            return redirect("quizzes:results", attempt.pk)
        except services.AttemptError as error:
            form.add_error(None, error.message)
    if form.errors:
        items = queries.attempt_items(attempt)
        return _question_page(request, attempt, items, position, form=form, status=400)
    return redirect(_after(attempt, position, form.cleaned_data["go"]))


@login_required
@require_GET
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The review screen before submitting: unanswered and flagged questions, linked."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return _results(request, attempt)
    items = queries.attempt_items(attempt)
    context = {
        "attempt": attempt,
        "summary": queries.attempt_summary(attempt, items),
        "navigator": _navigator(items, None),
    }
    return render(request, "quizzes/attempt_review.html", context)


@login_required
@require_POST
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        attempt = services.attempt_submit(user=request.user, attempt_id=attempt_id)
    except services.AttemptNotFound:
        raise Http404("No such attempt.") from None
    return redirect("quizzes:results", attempt.pk)


@login_required
@require_GET
def attempt_results(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """A finished attempt: scores, domains, time, and every question with its answer."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("quizzes:attempt", attempt.pk)
    return _results_page(request, attempt)


def _results_page(
    request: HttpRequest, attempt: Attempt, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    """The results, each question with the learner's note and the report form (`bound`: a
    form posted with errors, by position), and the recurring confusions the attempt touches."""
    items = queries.attempt_items(attempt)
    topics = queries.question_topics(items)
    summary = queries.attempt_summary(attempt, items)
    question_ids = [item.version.question_id for item in items]
    notes = queries.question_notes(user=request.user, question_ids=question_ids)
    mixed_up = analytics.attempt_confusions(items)
    questions = []
    for item in items:
        question = _marked(queries.present_item(attempt, item, topics))
        can_note = attempt.mode == AttemptMode.EXAM or item.answered_at is not None
        _with_learning(question, item, notes, bound, can_note=can_note)
        question["confusions"] = mixed_up.get(item.position, [])
        questions.append(question)
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "summary": summary,
        "result": summary["result"],
        "questions": questions,
        "confusions": analytics.confusions_among(
            user=request.user, question_ids=question_ids, now=timezone.now()
        ),
    }
    return render(request, "quizzes/attempt_results.html", context, status=status)


@login_required
@require_GET
def exam_history(request: HttpRequest, code: str) -> HttpResponse:
    """The learner's finished attempts of one exam, with a chart of the simulations' scores."""
    exam = _exam(code)
    attempts = list(queries.attempt_history(user=request.user, exam=exam)[:HISTORY_MAX])
    context = {
        "exam": exam,
        "attempts": attempts,
        "simulations": [a for a in reversed(attempts) if a.mode == AttemptMode.EXAM],
        "practice_sessions": [a for a in attempts if a.mode != AttemptMode.EXAM],
        "opened": queries.open_attempts_for(user=request.user, exam=exam),
    }
    return render(request, "quizzes/history.html", context)


# --- Learning from practice: review, exam date, readiness, notes and reports -------------------
#
# Reads come from `quizzes.analytics` (and `queries`), writes from `services.review`; the note and
# report forms post here whether or not JavaScript runs.


def _preparation(request: HttpRequest, exam: Exam, exam_date_form: ExamDateForm | None) -> dict:
    """The learner's side of the exam page: this exam's questions due for review today, the
    booked exam day with its countdown, and readiness with its uncertainty. Five queries,
    whatever the learner's history."""
    user, now = request.user, timezone.now()
    today = user.local_today()
    queue = analytics.review_queue(user=user, now=now, limit=0)
    booked = analytics.exam_date_for(user=user, exam=exam)
    initial = {"day": booked.day} if booked else None
    return {
        "review_due": next((due.count for due in queue.exams if due.code == exam.code), 0),
        "review_session_max": services.PRACTICE_MAX,
        "exam_date": booked,
        "days_left": analytics.days_left(booked.day, today) if booked else None,
        "exam_date_form": exam_date_form or ExamDateForm(initial=initial, today=today),
        "readiness": analytics.readiness(user=user, exam=exam, now=now),
        "readiness_min_answers": analytics.READINESS_MIN_ANSWERS,
    }


@login_required
@require_POST
def exam_date(request: HttpRequest, code: str) -> HttpResponse:
    """Record, change or clear the day the learner sits the exam. A day in the past is refused
    on the form and nothing is saved."""
    exam = _exam(code)
    form = ExamDateForm(request.POST, today=request.user.local_today())
    status = 400
    if form.is_valid():
        try:
            booked = services.exam_date_set(user=request.user, exam=exam, day=form.chosen_day())
        except services.AttemptError as error:
            _form_error(form, error)
            status = error.status
        else:
            if booked is None:
                messages.success(request, f"Your {exam.code} exam date is cleared.")
            else:
                day = date_format(booked.day, "j F Y")
                messages.success(
                    request, f"You sit {exam.code} on {day}: your reviews now fit before it."
                )
            return redirect(reverse("quizzes:exam", args=[exam.code]) + "#exam-date")
    return _exam_page(request, exam, status=status, exam_date_form=form)


def _auto_id(kind: str, position: int) -> str:
    """Field ids unique on a page that lists several questions' forms."""
    return f"{kind}-{position}-%s"


def _with_learning(
    question: dict,
    item: AttemptQuestion,
    notes: dict[int, QuestionNote],
    bound: dict | None,
    *,
    can_note: bool,
) -> dict:
    """`question` with the learner's own note and the note and report forms (the posted one
    with its errors when `bound` holds it for this position)."""
    position = item.position
    note = notes.get(item.version.question_id)
    posted = (bound or {}).get(position, {})
    question["note"] = note
    question["can_note"] = can_note or note is not None
    question["note_form"] = posted.get("note_form") or NoteForm(
        initial={"body": note.body if note else ""}, auto_id=_auto_id("note", position)
    )
    question["report_form"] = posted.get("report_form") or ReportForm(
        auto_id=_auto_id("report", position)
    )
    return question


def _answered_item(
    request: HttpRequest, attempt_id: int, position: int
) -> tuple[Attempt, AttemptQuestion]:
    """A question of the learner's own attempt whose answer is shown (answered in practice or
    review, or the attempt finished); anything else is 404."""
    attempt = _own_attempt(request, attempt_id)
    item = queries.attempt_item(attempt, position)
    if item is None or not queries.revealed(attempt, item):
        raise Http404("No such answered question in this attempt.")
    return attempt, item


def _question_uid(item: AttemptQuestion) -> str:
    question_id = item.version.question_id
    return analytics.question_uids([question_id])[question_id]


def _back(attempt: Attempt, position: int, anchor: str) -> str:
    if attempt.is_open:
        return reverse("quizzes:attempt", args=[attempt.pk]) + f"?q={position}#{anchor}"
    return reverse("quizzes:results", args=[attempt.pk]) + f"#{anchor}"


def _learning_form_again(
    request: HttpRequest, attempt: Attempt, position: int, posted: dict
) -> HttpResponse:
    """The page a note or report form was posted from, again, with the form's errors."""
    bound = {position: posted}
    if attempt.is_open:
        items = queries.attempt_items(attempt)
        return _question_page(request, attempt, items, position, bound=bound, status=400)
    return _results_page(request, attempt, bound=bound, status=400)


@login_required
@require_POST
def question_note(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Save, change or delete (an empty note, or "delete") the learner's private note on a
    question they have answered; it is shown again when the question comes back in review."""
    attempt, item = _answered_item(request, attempt_id, position)
    form = NoteForm(request.POST, auto_id=_auto_id("note", position))
    if form.is_valid():
        try:
            note = services.question_note_save(
                user=request.user, question_uid=_question_uid(item), body=form.body_to_save()
            )
        except services.AttemptNotFound:
            raise Http404("No such question among those you have answered.") from None
        except services.AttemptError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                "Your note is saved: it comes back with this question."
                if note
                else "Your note is removed.",
            )
            return redirect(_back(attempt, position, f"note-{position}"))
    return _learning_form_again(request, attempt, position, {"note_form": form})


@login_required
@require_POST
def question_report(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Report a problem with a question whose answer the learner has seen, for the editors."""
    attempt, item = _answered_item(request, attempt_id, position)
    form = ReportForm(request.POST, auto_id=_auto_id("report", position))
    if form.is_valid():
        try:
            services.question_report(
                user=request.user, question_uid=_question_uid(item), **form.cleaned_data
            )
        except services.AttemptNotFound:
            raise Http404("No such question among those you have seen.") from None
        except services.AttemptError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"Thank you: your report on question {position} is with the editors."
            )
            anchor = "feedback" if attempt.is_open else f"question-{position}"
            return redirect(_back(attempt, position, anchor))
    return _learning_form_again(request, attempt, position, {"report_form": form})
