"""The quiz engine's API: start an attempt, read its questions (never their answers before they
may be shown), save an answer, flag, submit, read the result and the history. The learner's own
attempts only: another learner's attempt id answers 404.

Every payload comes from quizzes.queries (`present_item`, `attempt_summary`), the one place that
decides what a learner may see.
"""

from typing import Any, NoReturn

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import validated
from portal.schema import ProblemSerializer

from .. import queries, services
from ..models import Attempt, AttemptMode, AttemptStatus, Exam, QuestionKind


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the attempt's state."
    default_code = "conflict"


def raise_problem(error: services.AttemptError) -> NoReturn:
    """An engine refusal as the problem-details response it stands for."""
    if isinstance(error, services.AttemptNotFound):
        raise exceptions.NotFound(error.message)
    if error.status == status.HTTP_409_CONFLICT:
        raise Conflict(error.message, code=error.code)
    raise exceptions.ValidationError({error.field or "non_field_errors": [error.message]})


CONFLICT = OpenApiResponse(
    ProblemSerializer,
    description="The attempt is finished (submitted or out of time), or the bank cannot fill it.",
)
CHOICES = inline_serializer(
    "AttemptChoice",
    many=True,
    fields={
        "id": serializers.IntegerField(help_text="Send it back to answer."),
        "label": serializers.CharField(help_text="A, B, C ... in this attempt's shuffled order."),
        "text_html": serializers.CharField(),
        "correct": serializers.BooleanField(required=False, help_text="Only once revealed."),
        "rationale": serializers.CharField(required=False, help_text="Only once revealed."),
    },
)
QUESTION_FIELDS = {
    "position": serializers.IntegerField(),
    "kind": serializers.ChoiceField(choices=QuestionKind.choices),
    "choose": serializers.IntegerField(allow_null=True, help_text="Multiple response only."),
    "stem_html": serializers.CharField(),
    "choices": CHOICES,
    "answer": serializers.DictField(help_text='{"choices": [ids]} or {"statements": {...}}'),
    "answered": serializers.BooleanField(),
    "flagged": serializers.BooleanField(),
    "sure": serializers.BooleanField(help_text="The learner's sure/unsure toggle."),
    "domain": serializers.DictField(),
    "revealed": serializers.BooleanField(
        help_text="Whether correctness and the explanation are included: after submitting, "
        "or in practice once this question is answered."
    ),
    "explanation_html": serializers.CharField(required=False),
    "references": serializers.ListField(child=serializers.URLField(), required=False),
    "points": serializers.CharField(required=False),
    "max_points": serializers.IntegerField(required=False),
    "correct": serializers.BooleanField(required=False),
}
QUESTION = inline_serializer("AttemptQuestion", fields=QUESTION_FIELDS)
QUESTIONS = inline_serializer("AttemptQuestionList", fields=QUESTION_FIELDS, many=True)
SUMMARY = inline_serializer(
    "AttemptSummary",
    {
        "id": serializers.IntegerField(),
        "exam": serializers.CharField(),
        "mode": serializers.ChoiceField(choices=AttemptMode.choices),
        "status": serializers.ChoiceField(choices=AttemptStatus.choices),
        "full_length": serializers.BooleanField(),
        "extended_time": serializers.BooleanField(),
        "question_count": serializers.IntegerField(),
        "time_limit_minutes": serializers.IntegerField(allow_null=True),
        "started_at": serializers.DateTimeField(),
        "deadline": serializers.DateTimeField(allow_null=True),
        "seconds_left": serializers.IntegerField(
            allow_null=True, help_text="From the server's clock; null when untimed or finished."
        ),
        "answered": serializers.IntegerField(),
        "flagged": serializers.ListField(child=serializers.IntegerField()),
        "unanswered": serializers.ListField(child=serializers.IntegerField()),
        "result": serializers.DictField(
            required=False,
            help_text="Once finished: points, percent, scaled_score (a linear estimate), "
            "passed, per-domain results, time used against the budget.",
        ),
    },
)


def _summary(attempt: Any) -> dict:
    return queries.attempt_summary(attempt, queries.attempt_items(attempt))


def _own(request: Request, attempt_id: int) -> Any:
    attempt = queries.attempt_for(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise exceptions.NotFound("No such attempt.")
    return services.attempt_refresh(attempt=attempt)


class StartIn(serializers.Serializer):
    exam = serializers.CharField(help_text="Exam code: DVA-C03.")
    mode = serializers.ChoiceField(choices=AttemptMode.choices)
    full_length = serializers.BooleanField(default=False)
    extended_time = serializers.BooleanField(default=False)
    domains = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, max_length=20
    )
    count = serializers.IntegerField(default=10, min_value=1, max_value=services.PRACTICE_MAX)

    def validate_exam(self, code: str) -> Exam:
        exam = queries.exam_by_code(code)
        if exam is None:
            raise serializers.ValidationError(f"No exam with the code {code!r}.")
        return exam


class AttemptRowOut(serializers.ModelSerializer):
    exam = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id", "exam", "mode", "status", "started_at", "finished_at", "question_count",
            "scaled_score", "passed",
        ]  # fmt: skip


class AttemptList(APIView):
    """Start an attempt; list your attempts (history)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_list",
        summary="Your finished attempts, newest first, and your open ones",
        parameters=[OpenApiParameter("exam", str, description="Only this exam code.")],
        responses=inline_serializer(
            "AttemptHistory",
            {"results": AttemptRowOut(many=True), "open": AttemptRowOut(many=True)},
        ),
    )
    def get(self, request: Request) -> Response:
        exam = None
        if "exam" in request.query_params:
            exam = queries.exam_by_code(request.query_params["exam"])
            if exam is None:
                raise exceptions.NotFound(
                    f"No exam with the code {request.query_params['exam']!r}."
                )
        history = queries.attempt_history(user=request.user, exam=exam)[:200]
        open_ = queries.open_attempts(user=request.user)
        if exam is not None:
            open_ = open_.filter(exam=exam)
        return Response(
            {
                "results": AttemptRowOut(history, many=True).data,
                "open": AttemptRowOut(open_, many=True).data,
            }
        )

    @extend_schema(
        operation_id="attempts_create",
        summary="Start an exam simulation or a practice session",
        description=(
            "Exam mode draws the mini exam (30 questions, time pro rata) or, where the exam "
            "offers one, the full simulation, at blueprint weight, preferring questions you have "
            "not seen. One exam simulation per exam is open at a time: starting again returns it "
            "(200). Practice draws `count` questions from the chosen `domains`, untimed. 409 when "
            "the bank cannot fill the attempt."
        ),
        request=StartIn,
        responses={201: SUMMARY, 200: SUMMARY, 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Mini exam", value={"exam": "DVA-C03", "mode": "exam"}, request_only=True
            ),
            OpenApiExample(
                "Practice two domains",
                value={"exam": "AZ-204", "mode": "practice", "domains": ["2", "3"], "count": 10},
                request_only=True,
            ),
        ],  # fmt: skip
    )
    def post(self, request: Request) -> Response:
        data = validated(StartIn, request.data)
        try:
            attempt, created = services.attempt_start(
                user=request.user,
                exam=data["exam"],
                mode=data["mode"],
                full_length=data["full_length"],
                extended_time=data["extended_time"],
                domains=data.get("domains"),
                count=data["count"],
            )
        except services.AttemptError as error:
            raise_problem(error)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(_summary(attempt), status=code)


class AttemptDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_retrieve",
        summary="An attempt's state, timer and (once finished) result",
        responses=SUMMARY,
    )
    def get(self, request: Request, attempt_id: int) -> Response:
        return Response(_summary(_own(request, attempt_id)))


class AttemptQuestions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_questions_list",
        summary="The attempt's questions, without answers until they may be shown",
        responses=QUESTIONS,
    )
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = _own(request, attempt_id)
        items = queries.attempt_items(attempt)
        topics = None if attempt.is_open else queries.question_topics(items)
        return Response([queries.present_item(attempt, item, topics) for item in items])


class AnswerIn(serializers.Serializer):
    choices = serializers.ListField(child=serializers.IntegerField(), required=False)
    statements = serializers.DictField(child=serializers.BooleanField(), required=False)
    sure = serializers.BooleanField(
        required=False, help_text="false when the learner marks the answer unsure (default true)."
    )


class AttemptAnswer(APIView):
    """Save the answer to one question: the hot path while learners sit exams."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_answer",
        summary="Save (or clear, with an empty list) your answer to one question",
        description=(
            'Single choice: {"choices": [id]}; multiple response: exactly `choose` ids; a '
            'statement series: {"statements": {"<id>": true|false}}. Saving the same answer '
            "twice changes nothing. After the deadline or submit: 409. In practice the answer is "
            "final and the response reveals the feedback."
        ),
        request=AnswerIn,
        responses={200: QUESTION, 409: CONFLICT},
        examples=[OpenApiExample("Single choice", value={"choices": [31]}, request_only=True)],
    )
    def put(self, request: Request, attempt_id: int, position: int) -> Response:
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"answer": ["The answer must be an object."]})
        answer = {key: value for key, value in request.data.items() if key != "sure"}
        sure = request.data.get("sure", True)
        if not isinstance(sure, bool):
            raise exceptions.ValidationError({"sure": ["Must be true or false."]})
        try:
            item = services.answer_save(
                user=request.user, attempt_id=attempt_id, position=position, answer=answer,
                sure=sure,
            )  # fmt: skip
        except services.AttemptError as error:
            raise_problem(error)
        return Response(queries.present_item(item.attempt, item))


class FlagIn(serializers.Serializer):
    flagged = serializers.BooleanField()


class AttemptFlag(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_flag",
        summary="Flag a question for review (or clear the flag)",
        request=FlagIn,
        responses={200: QUESTION, 409: CONFLICT},
    )
    def put(self, request: Request, attempt_id: int, position: int) -> Response:
        data = validated(FlagIn, request.data)
        try:
            item = services.flag_set(
                user=request.user, attempt_id=attempt_id, position=position,
                flagged=data["flagged"],
            )  # fmt: skip
        except services.AttemptError as error:
            raise_problem(error)
        return Response(queries.present_item(item.attempt, item))


class AttemptSubmit(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_submit",
        summary="Submit and score the attempt (idempotent)",
        description="Submitting twice, or at once from two devices, gives one result.",
        request=None,
        responses=SUMMARY,
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        try:
            attempt = services.attempt_submit(user=request.user, attempt_id=attempt_id)
        except services.AttemptError as error:
            raise_problem(error)
        return Response(_summary(attempt))


__all__ = [
    "AttemptAnswer",
    "AttemptDetail",
    "AttemptFlag",
    "AttemptList",
    "AttemptQuestions",
    "AttemptSubmit",
]
