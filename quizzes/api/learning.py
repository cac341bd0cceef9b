"""Learning from practice, under /api/v1/: the review queue, the review cards and rating one, exam
dates, readiness, recurring confusions, notes on questions and problem reports.

The lists of the learner's rows (review cards, exam dates, notes, reports) are sync lists
(portal/sync.py): `?updated_since=`, tombstones under `deleted`, `synced_at`. Readiness, the
confusions and the review queue are computed from the answers, not rows, so they are not.

The signed-in learner's own data only: another learner's notes, reports, dates or cards are never
read (every read and write is scoped to `request.user`), and a question the learner has not
answered answers 404. Reads come from `quizzes.analytics`, writes go through `quizzes.services`
(whose refusals become problem details through `raise_problem`, as in the attempts API).
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import validated
from portal.schema import ProblemSerializer
from portal.sync import SYNC_PARAMETERS, sync_example, sync_list, sync_list_responses, sync_page

from .. import analytics, queries, services
from ..models import CARD_STATES, Exam, QuestionReport, ReviewCard
from ..services.review import RATINGS
from .attempts import raise_problem

NO_CONTENT = OpenApiResponse(description="Done; no body.")
DECIMALS = 4


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def _exam_or_404(code: str) -> Exam:
    exam = queries.exam_by_code(code)
    if exam is None:
        raise exceptions.NotFound(f"No exam with the code {code!r}.")
    return exam


# --- Review queue ------------------------------------------------------------------------------

DUE_ITEM = inline_serializer(
    "ReviewDueItem",
    {
        "question": serializers.CharField(help_text="The question's stable id (uid)."),
        "exams": serializers.ListField(child=serializers.CharField()),
        "due": serializers.DateTimeField(),
    },
)
REVIEW_QUEUE = inline_serializer(
    "ReviewQueue",
    {
        "due_today": serializers.IntegerField(
            help_text="Cards due by the end of your day (in your timezone)."
        ),
        "exams": inline_serializer(
            "ReviewDueExam",
            {
                "exam": serializers.CharField(),
                "name": serializers.CharField(),
                "due_today": serializers.IntegerField(),
            },
            many=True,
        ),
        "next": serializers.ListField(
            child=DUE_ITEM, help_text="The next 20 cards by due time, overdue first."
        ),
    },
)


class ReviewQueueView(APIView):
    @extend_schema(
        operation_id="review_queue",
        summary="Your review queue: what is due today, per exam, and the next cards",
        description="Cards of questions review mode can serve (active ones). Start a review "
        'session with `POST /attempts/ {"exam": "<code>", "mode": "review"}`.',
        responses=REVIEW_QUEUE,
        examples=[
            OpenApiExample(
                "Two exams",
                value={
                    "due_today": 7,
                    "exams": [
                        {"exam": "DVA-C02", "name": "AWS Developer", "due_today": 7},
                        {"exam": "DVA-C03", "name": "AWS Developer", "due_today": 5},
                    ],
                    "next": [
                        {
                            "question": "dva-0042",
                            "exams": ["DVA-C02"],
                            "due": "2026-11-24T08:10:00Z",
                        },
                    ],
                },
                response_only=True,
            )
        ],  # fmt: skip
    )
    def get(self, request: Request) -> Response:
        queue = analytics.review_queue(user=request.user, now=timezone.now())
        return Response(
            {
                "due_today": queue.due_today,
                "exams": [
                    {"exam": e.code, "name": e.name, "due_today": e.count} for e in queue.exams
                ],
                "next": [
                    {"question": item.question_uid, "exams": list(item.exam_codes), "due": item.due}
                    for item in queue.next
                ],  # fmt: skip
            }
        )


class RateIn(serializers.Serializer):
    rating = serializers.ChoiceField(
        choices=list(RATINGS), help_text="again, hard, good or easy (FSRS)."
    )


CARD = inline_serializer(
    "ReviewCard",
    {
        "question": serializers.CharField(),
        "due": serializers.DateTimeField(),
        "last_review": serializers.DateTimeField(allow_null=True),
        "reviews": serializers.IntegerField(),
        "lapses": serializers.IntegerField(),
    },
)


class ReviewRate(APIView):
    @extend_schema(
        operation_id="review_rate",
        summary="Rate a question in your review schedule by hand",
        description="Only a question you have answered (it has a review card): otherwise 404 "
        "and nothing changes. With an exam date booked, the next due day is never after it.",
        request=RateIn,
        responses={200: CARD},
        examples=[
            OpenApiExample("Good", value={"rating": "good"}, request_only=True),
            OpenApiExample(
                "The card",
                value={
                    "question": "dva-0042",
                    "due": "2026-11-28T09:00:00Z",
                    "last_review": "2026-11-24T09:00:00Z",
                    "reviews": 3,
                    "lapses": 1,
                },
                response_only=True,
            ),  # fmt: skip
        ],
    )
    def post(self, request: Request, uid: str) -> Response:
        data = validated(RateIn, request.data)
        try:
            card = services.review_rate(user=request.user, question_uid=uid, rating=data["rating"])
        except services.AttemptError as error:
            raise_problem(error)
        return Response(
            {"question": uid, "due": card.due, "last_review": card.last_review,
             "reviews": card.reviews, "lapses": card.lapses}
        )  # fmt: skip


class ReviewCardOut(serializers.Serializer):
    question = serializers.CharField(source="question.uid", help_text="The question's uid.")
    exams = serializers.SerializerMethodField(help_text="Codes of the question's current exams.")
    due = serializers.DateTimeField()
    state = serializers.ChoiceField(
        choices=list(CARD_STATES.values()), allow_null=True, help_text="The FSRS state."
    )
    stability = serializers.FloatField(allow_null=True, help_text="FSRS stability, in days.")
    difficulty = serializers.FloatField(allow_null=True, help_text="FSRS difficulty, 1-10.")
    reviews = serializers.IntegerField()
    lapses = serializers.IntegerField()
    last_review = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_exams(self, card: ReviewCard) -> list[str]:
        return [link.exam.code for link in card.question.exam_links.all()]


CARD_EXAMPLE = {
    "question": "dva-0042",
    "exams": ["DVA-C02", "DVA-C03"],
    "due": "2026-11-28T09:00:00Z",
    "state": "review",
    "stability": 4.93,
    "difficulty": 5.31,
    "reviews": 3,
    "lapses": 1,
    "last_review": "2026-11-24T09:00:00Z",
    "updated_at": "2026-11-24T09:00:00Z",
}


class ReviewCardList(APIView):
    @extend_schema(
        operation_id="review_cards_list",
        summary="Your review cards (sync list)",
        description="Every question in your spaced-review schedule, oldest card first: its "
        "exams, when it is due, the FSRS state (`learning`, `review`, `relearning`) with "
        "stability and difficulty, reviews, lapses and the last review. A card changes with "
        "each answer to its question, each rating and each exam date that pulls it in. Cards "
        "are never deleted (only with the account), so `deleted` is always empty.",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("ReviewCardPage", ReviewCardOut)),
        examples=[sync_example("One card", CARD_EXAMPLE)],
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: analytics.review_card_list(user=request.user, updated_since=since),
            ReviewCardOut,
            None,  # cards are never deleted by the learner
        )


# --- Exam dates --------------------------------------------------------------------------------


class ExamDateOut(serializers.Serializer):
    exam = serializers.CharField(source="exam.code")
    exam_name = serializers.CharField(source="exam.name")
    day = serializers.DateField()
    days_left = serializers.SerializerMethodField(
        help_text="Days from today (in your timezone) to the exam day; negative once past."
    )
    updated_at = serializers.DateTimeField()

    def get_days_left(self, booked: Any) -> int:
        return analytics.days_left(booked.day, self.context["today"])


EXAM_DATE_EXAMPLE = {
    "exam": "DVA-C02",
    "exam_name": "AWS Certified Developer - Associate",
    "day": "2027-01-15",
    "days_left": 52,
    "updated_at": "2026-11-24T18:02:11Z",
}


class ExamDateIn(serializers.Serializer):
    day = serializers.DateField(
        allow_null=True, help_text="Today or later, in your timezone; null forgets the date."
    )


class ExamDateList(APIView):
    @extend_schema(
        operation_id="exam_dates_list",
        summary="Your booked exam dates, soonest first (sync list)",
        description="Forgotten dates are tombstones of kind `exam_date` whose `id` is the "
        "exam's code.",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("ExamDatePage", ExamDateOut)),
        examples=[
            sync_example(
                "One date, one forgotten",
                EXAM_DATE_EXAMPLE,
                [{"kind": "exam_date", "id": "AZ-204", "deleted_at": "2026-11-23T08:00:00Z"}],
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: analytics.exam_date_list(user=request.user, updated_since=since),
            ExamDateOut,
            queries.TOMBSTONE_EXAM_DATE,
            context={"today": request.user.local_today()},
        )


class ExamDateDetail(APIView):
    def _out(self, request: Request, booked: Any) -> Response:
        return Response(ExamDateOut(booked, context={"today": request.user.local_today()}).data)

    @extend_schema(
        operation_id="exam_dates_retrieve",
        summary="Your booked date for one exam",
        description="404 when you have not booked this exam.",
        responses={200: ExamDateOut},
        examples=[OpenApiExample("A date", value=EXAM_DATE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, code: str) -> Response:
        booked = analytics.exam_date_for(user=request.user, exam=_exam_or_404(code))
        if booked is None:
            raise exceptions.NotFound("You have no date booked for this exam.")
        return self._out(request, booked)

    @extend_schema(
        operation_id="exam_dates_save",
        summary="Record the day you booked an exam",
        description="A day in the past is a 400 naming `day`, and nothing changes. Review cards "
        "of the exam's questions due after the day are pulled in before it. `null` forgets the "
        "date (204).",
        request=ExamDateIn,
        responses={200: ExamDateOut, 204: NO_CONTENT},
        examples=[
            OpenApiExample("Book", value={"day": "2027-01-15"}, request_only=True),
            OpenApiExample("The date", value=EXAM_DATE_EXAMPLE, response_only=True),
        ],
    )
    def put(self, request: Request, code: str) -> Response:
        data = validated(ExamDateIn, request.data)
        exam = _exam_or_404(code)
        try:
            booked = services.exam_date_set(user=request.user, exam=exam, day=data["day"])
        except services.AttemptError as error:
            raise_problem(error)
        if booked is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._out(request, booked)

    @extend_schema(
        operation_id="exam_dates_delete",
        summary="Forget your date for an exam",
        description="404 when you have not booked this exam.",
        responses={204: NO_CONTENT},
    )
    def delete(self, request: Request, code: str) -> Response:
        exam = _exam_or_404(code)
        if analytics.exam_date_for(user=request.user, exam=exam) is None:
            raise exceptions.NotFound("You have no date booked for this exam.")
        services.exam_date_set(user=request.user, exam=exam, day=None)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Readiness ---------------------------------------------------------------------------------

VERDICT_CHOICES = list(analytics.VERDICTS.items())


class DomainReadinessOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField(help_text="Blueprint mid-weight; the domains add up to 1.")
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Share correct; null without data.")
    low = serializers.FloatField(help_text="Wilson 95% interval of the share.")
    high = serializers.FloatField()


class ReadinessOut(serializers.Serializer):
    exam = serializers.CharField()
    exam_name = serializers.CharField()
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    verdict_label = serializers.CharField()
    reason = serializers.CharField()
    estimate = serializers.FloatField(
        allow_null=True, help_text="Blueprint-weighted share correct; null while a domain has none."
    )
    low = serializers.FloatField(help_text="Blueprint-weighted Wilson 95% bounds (conservative).")
    high = serializers.FloatField()
    threshold = serializers.FloatField(help_text="passing_score / score_scale_max.")
    answered = serializers.IntegerField()
    days = serializers.IntegerField(help_text="Answers of the last this many days count.")
    domains = DomainReadinessOut(many=True)
    weakest = serializers.ListField(child=serializers.CharField(), help_text="Domain codes.")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Domain codes without answers yet."
    )


def readiness_data(found: analytics.Readiness) -> dict:
    return {
        "exam": found.exam_code,
        "exam_name": found.exam_name,
        "verdict": found.verdict,
        "verdict_label": found.verdict_label,
        "reason": found.reason,
        "estimate": _ratio(found.estimate),
        "low": _ratio(found.low),
        "high": _ratio(found.high),
        "threshold": _ratio(found.threshold),
        "answered": found.answered,
        "days": found.days,
        "domains": [
            {
                "code": d.code,
                "name": d.name,
                "weight": _ratio(d.weight),
                "answered": d.answered,
                "correct": d.correct,
                "share": _ratio(d.share),
                "low": _ratio(d.low),
                "high": _ratio(d.high),
            }
            for d in found.domains
        ],  # fmt: skip
        "weakest": [d.code for d in found.weakest],
        "missing": [d.code for d in found.missing],
    }


class ReadinessDetail(APIView):
    @extend_schema(
        operation_id="readiness_retrieve",
        summary="How ready you look for an exam, with the uncertainty",
        description=(
            "From your answers of the last 90 days to the exam's questions (at most the 50 most "
            "recent per domain, in any mode). Each domain's share correct has a Wilson 95% "
            "interval; the exam's estimate and interval are their blueprint-weighted means "
            "(conservative). `verdict`: `likely` when the low bound reaches the passing "
            "threshold, `not_yet` when the high bound is below it, `borderline` between, and "
            "`not_enough_data` with fewer than 10 answers or a domain without any (`missing`)."
        ),
        responses={200: ReadinessOut},
        examples=[
            OpenApiExample(
                "Borderline",
                value={
                    "exam": "TST-C01",
                    "exam_name": "Test exam",
                    "verdict": "borderline",
                    "verdict_label": "borderline",
                    "reason": "The range 45-90% includes the 70% needed to pass.",
                    "estimate": 0.72,
                    "low": 0.454,
                    "high": 0.8904,
                    "threshold": 0.7,
                    "answered": 25,
                    "days": 90,
                    "domains": [
                        {
                            "code": "1",
                            "name": "Build",
                            "weight": 0.6,
                            "answered": 15,
                            "correct": 12,
                            "share": 0.8,
                            "low": 0.5481,
                            "high": 0.9295,
                        },
                        {
                            "code": "2",
                            "name": "Secure",
                            "weight": 0.4,
                            "answered": 10,
                            "correct": 6,
                            "share": 0.6,
                            "low": 0.3127,
                            "high": 0.8318,
                        },
                    ],
                    "weakest": ["2", "1"],
                    "missing": [],
                },
                response_only=True,
            )
        ],  # fmt: skip
    )
    def get(self, request: Request, code: str) -> Response:
        exam = _exam_or_404(code)
        found = analytics.readiness(user=request.user, exam=exam, now=timezone.now())
        return Response(readiness_data(found))


# --- Confusions --------------------------------------------------------------------------------


class ConfusionOut(serializers.Serializer):
    right = serializers.CharField(help_text="What the right choice named.")
    picked = serializers.CharField(help_text="What you picked instead.")
    times = serializers.IntegerField()
    out_of = serializers.IntegerField()
    last_at = serializers.DateTimeField()
    questions = serializers.ListField(
        child=serializers.CharField(), help_text="Uids of questions telling the two apart."
    )


class ConfusionList(APIView):
    @extend_schema(
        operation_id="confusions_list",
        summary="The confusions you keep making",
        description="A pair recurs when, of your last 5 answers to questions whose right "
        "choice names A and which offered a choice naming B, at least 3 picked B. Names are the "
        "curriculum's technologies. `?exam=CODE` keeps that exam's questions (an unknown code "
        "finds nothing).",
        parameters=[OpenApiParameter("exam", OpenApiTypes.STR, description="An exam code.")],
        responses=ConfusionOut(many=True),
        examples=[
            OpenApiExample(
                "SQS for SNS",
                value=[
                    {
                        "right": "Amazon SQS",
                        "picked": "Amazon SNS",
                        "times": 3,
                        "out_of": 5,
                        "last_at": "2026-11-24T08:55:00Z",
                        "questions": ["dva-0042", "dva-0107", "dva-0311"],
                    }
                ],
                response_only=True,
            )
        ],  # fmt: skip
    )
    def get(self, request: Request) -> Response:
        exam = None
        if "exam" in request.query_params:
            exam = queries.exam_by_code(request.query_params["exam"])
            if exam is None:
                return Response([])
        found = analytics.confusions(user=request.user, exam=exam, now=timezone.now())
        uids = analytics.question_uids({qid for c in found for qid in c.question_ids})
        return Response(
            [
                {
                    "right": c.right,
                    "picked": c.picked,
                    "times": c.times,
                    "out_of": c.out_of,
                    "last_at": c.last_at,
                    "questions": [uids[q] for q in c.question_ids if q in uids],
                }
                for c in found
            ]  # fmt: skip
        )


# --- Notes on questions ------------------------------------------------------------------------


class QuestionNoteOut(serializers.Serializer):
    question = serializers.CharField(source="question.uid")
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="Sanitized HTML.")
    updated_at = serializers.DateTimeField()


class QuestionNoteIn(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="Markdown, at most 5000 characters."
    )


NOTE_EXAMPLE = {
    "question": "dva-0042",
    "body": "SQS **pulls**; SNS pushes.",
    "body_html": "<p>SQS <strong>pulls</strong>; SNS pushes.</p>",
    "updated_at": "2026-11-24T18:02:11Z",
}


class QuestionNoteList(APIView):
    @extend_schema(
        operation_id="question_notes_list",
        summary="Your notes on questions (sync list)",
        description="Your private notes, oldest first, with the sanitized HTML. A note deleted "
        "(or emptied) is a tombstone of kind `question_note` whose `id` is the question's uid.",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("QuestionNotePage", QuestionNoteOut)),
        examples=[
            sync_example(
                "One note, one deleted",
                NOTE_EXAMPLE,
                [{"kind": "question_note", "id": "dva-0107", "deleted_at": "2026-11-23T08:00:00Z"}],
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: analytics.question_note_list(user=request.user, updated_since=since),
            QuestionNoteOut,
            queries.TOMBSTONE_QUESTION_NOTE,
        )


class QuestionNoteDetail(APIView):
    @extend_schema(
        operation_id="question_notes_retrieve",
        summary="Your private note on a question",
        description="404 when you have no note on it (notes are yours alone).",
        responses={200: QuestionNoteOut},
        examples=[OpenApiExample("A note", value=NOTE_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, uid: str) -> Response:
        note = analytics.question_note_for(user=request.user, question_uid=uid)
        if note is None:
            raise exceptions.NotFound("You have no note on this question.")
        return Response(QuestionNoteOut(note).data)

    @extend_schema(
        operation_id="question_notes_save",
        summary="Write your note on a question you have answered",
        description="Only on a question you have answered (404 otherwise). An empty body "
        "deletes the note (204). Over 5000 characters: 400 naming `body`.",
        request=QuestionNoteIn,
        responses={200: QuestionNoteOut, 204: NO_CONTENT},
        examples=[
            OpenApiExample(
                "Write", value={"body": "SQS **pulls**; SNS pushes."}, request_only=True
            ),
            OpenApiExample("The note", value=NOTE_EXAMPLE, response_only=True),
        ],  # fmt: skip
    )
    def put(self, request: Request, uid: str) -> Response:
        data = validated(QuestionNoteIn, request.data)
        try:
            note = services.question_note_save(
                user=request.user, question_uid=uid, body=data["body"]
            )
        except services.AttemptError as error:
            raise_problem(error)
        if note is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(QuestionNoteOut(note).data)

    @extend_schema(
        operation_id="question_notes_delete",
        summary="Delete your note on a question",
        description="404 when you have no note on it.",
        responses={204: NO_CONTENT},
    )
    def delete(self, request: Request, uid: str) -> Response:
        if analytics.question_note_for(user=request.user, question_uid=uid) is None:
            raise exceptions.NotFound("You have no note on this question.")
        services.question_note_save(user=request.user, question_uid=uid, body="")
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Problem reports ---------------------------------------------------------------------------


class QuestionReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField(source="question.uid")
    reason = serializers.ChoiceField(choices=QuestionReport.Reason.choices)
    text = serializers.CharField()
    state = serializers.ChoiceField(
        choices=QuestionReport.State.choices, help_text="An editor resolves or dismisses it."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(help_text="Sent, or its state last changed.")


class QuestionReportIn(serializers.Serializer):
    question = serializers.SlugField(help_text="The question's uid (a question you have seen).")
    reason = serializers.ChoiceField(choices=QuestionReport.Reason.choices)
    text = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="At most 2000 characters."
    )


REPORT_EXAMPLE = {
    "id": 12,
    "question": "dva-0042",
    "reason": "wrong_answer",
    "text": "The docs say SNS does not keep messages.",
    "state": "open",
    "created_at": "2026-11-24T18:02:11Z",
    "updated_at": "2026-11-24T18:02:11Z",
}


class QuestionReportList(APIView):
    @extend_schema(
        operation_id="question_reports_list",
        summary="Your problem reports, newest first (sync list)",
        description="With `updated_since`: the reports sent since, and those an editor "
        "resolved, dismissed or reopened since (`updated_at`). Reports are never deleted by "
        "their author, so `deleted` is always empty.",
        parameters=SYNC_PARAMETERS,
        responses=sync_list_responses(sync_page("QuestionReportPage", QuestionReportOut)),
        examples=[sync_example("One report", REPORT_EXAMPLE)],
    )
    def get(self, request: Request) -> Response:
        return sync_list(
            request,
            lambda since: analytics.question_reports_of(user=request.user, updated_since=since),
            QuestionReportOut,
            None,  # reports are never deleted by their author
        )

    @extend_schema(
        operation_id="question_reports_create",
        summary="Report a problem with a question you have seen",
        description="A question you were never shown answers 404; an unknown reason or a text "
        "over 2000 characters is a 400 naming the field. Editors see reports in the admin.",
        request=QuestionReportIn,
        responses={
            201: QuestionReportOut,
            404: OpenApiResponse(ProblemSerializer, description="A question you have never seen."),
        },
        examples=[
            OpenApiExample(
                "Wrong answer",
                value={
                    "question": "dva-0042",
                    "reason": "wrong_answer",
                    "text": "The docs say SNS does not keep messages.",
                },
                request_only=True,
            ),
            OpenApiExample("The report", value=REPORT_EXAMPLE, response_only=True),
        ],  # fmt: skip
    )
    def post(self, request: Request) -> Response:
        data = validated(QuestionReportIn, request.data)
        try:
            report = services.question_report(
                user=request.user, question_uid=data["question"], reason=data["reason"],
                text=data["text"],
            )  # fmt: skip
        except services.AttemptError as error:
            raise_problem(error)
        return Response(QuestionReportOut(report).data, status=status.HTTP_201_CREATED)


__all__ = [
    "ConfusionList",
    "ExamDateDetail",
    "ExamDateList",
    "QuestionNoteDetail",
    "QuestionNoteList",
    "QuestionReportList",
    "ReadinessDetail",
    "ReviewCardList",
    "ReviewQueueView",
    "ReviewRate",
]
