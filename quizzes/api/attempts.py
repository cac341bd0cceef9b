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

from portal.api import PROBLEM_CONTENT_TYPE, validated
from portal.schema import ProblemSerializer
from portal.sync import (
    SYNC_PARAMETERS,
    SyncQuery,
    sync_example,
    sync_list,
    sync_list_responses,
    sync_page,
)

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


CLOSED_EXAMPLE = OpenApiExample(
    "Attempt finished",
    value={
        "type": "/api/problems/attempt_closed",
        "title": "Conflict",
        "status": 409,
        "detail": "This attempt is finished; its answers can no longer change.",
    },
    response_only=True,
    status_codes=["409"],
)
BANK_EXAMPLE = OpenApiExample(
    "Bank too small",
    value={
        "type": "/api/problems/bank_too_small",
        "title": "Conflict",
        "status": 409,
        "detail": "The DVA-C03 question bank cannot fill a 30-question simulation at blueprint "
        "weight yet (domain 4 needs 5, has 3).",
    },
    response_only=True,
    status_codes=["409"],
)
CONFLICT = OpenApiResponse(
    ProblemSerializer,
    description="The attempt is finished (submitted or out of time), or the bank cannot fill it.",
)
CONFLICT_STATUS = (409, PROBLEM_CONTENT_TYPE)
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


OPEN_SUMMARY = {
    "id": 812,
    "exam": "DVA-C03",
    "mode": "exam",
    "status": "open",
    "full_length": False,
    "extended_time": False,
    "question_count": 30,
    "time_limit_minutes": 60,
    "started_at": "2026-11-24T18:00:00Z",
    "deadline": "2026-11-24T19:00:00Z",
    "seconds_left": 3312,
    "answered": 4,
    "flagged": [3],
    "unanswered": list(range(5, 31)),
}
FINISHED_SUMMARY = {
    **OPEN_SUMMARY,
    "status": "submitted",
    "seconds_left": None,
    "answered": 30,
    "flagged": [],
    "unanswered": [],
    "result": {
        "points": "22.50",
        "max_points": "30.00",
        "percent": 75,
        "scaled_score": 775,
        "scaled_score_is_estimate": True,
        "score_scale_max": 1000,
        "passing_score": 720,
        "passed": True,
        "finished_at": "2026-11-24T18:52:10Z",
        "timed_out": False,
        "seconds_used": 3130,
        "seconds_per_question": 104,
        "seconds_per_question_budget": 120,
        "domains": [
            {"code": "1", "name": "Development with AWS Services", "position": 1,
             "points": "8.50", "max_points": "10.00", "questions": 10, "percent": 85},
            {"code": "2", "name": "Security", "position": 2,
             "points": "6.00", "max_points": "8.00", "questions": 8, "percent": 75},
        ],
    },
}  # fmt: skip
PRACTICE_SUMMARY = {
    **OPEN_SUMMARY,
    "id": 813,
    "exam": "AZ-204",
    "mode": "practice",
    "question_count": 10,
    "time_limit_minutes": None,
    "deadline": None,
    "seconds_left": None,
    "answered": 0,
    "flagged": [],
    "unanswered": list(range(1, 11)),
}
UNANSWERED_QUESTION = {
    "position": 3,
    "kind": "single",
    "choose": None,
    "stem_html": "<p>A Lambda function must read a secret at start-up without hard-coding it. "
    "Which service should store the secret?</p>",
    "choices": [
        {"id": 31, "label": "A", "text_html": "<p>AWS Secrets Manager</p>"},
        {"id": 30, "label": "B", "text_html": "<p>Amazon S3 with a public URL</p>"},
        {"id": 33, "label": "C", "text_html": "<p>An environment variable in plain text</p>"},
        {"id": 32, "label": "D", "text_html": "<p>Amazon CloudWatch Logs</p>"},
    ],
    "answer": {"choices": []},
    "answered": False,
    "flagged": False,
    "sure": True,
    "domain": {"code": "2", "name": "Security"},
    "revealed": False,
}
ANSWERED_QUESTION = {
    **UNANSWERED_QUESTION,
    "answer": {"choices": [31]},
    "answered": True,
    "choices": [
        {**choice, "correct": choice["id"] == 31, "rationale": rationale}
        for choice, rationale in zip(
            UNANSWERED_QUESTION["choices"],
            [
                "Secrets Manager stores and rotates secrets; the function reads it at start-up.",
                "A public object exposes the secret to anyone.",
                "Plain-text environment variables are visible to anyone who reads the "
                "configuration.",
                "Logs are for output, not for secrets.",
            ],
            strict=True,
        )
    ],
    "revealed": True,
    "explanation_html": "<p><strong>Secrets Manager</strong> keeps the secret encrypted and "
    "rotates it.</p>",
    "references": ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html"],
    "points": "1",
    "max_points": 1,
    "correct": True,
}


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
            "scaled_score", "passed", "updated_at",
        ]  # fmt: skip


class AttemptListQuery(SyncQuery):
    exam = serializers.CharField(required=False, max_length=20, help_text="An exam code.")


ATTEMPT_ROW = {
    "id": 807,
    "exam": "DVA-C03",
    "mode": "exam",
    "status": "submitted",
    "started_at": "2026-11-23T18:00:00Z",
    "finished_at": "2026-11-23T18:52:10Z",
    "question_count": 30,
    "scaled_score": 775,
    "passed": True,
    "updated_at": "2026-11-23T18:52:10Z",
}
OPEN_ROW = {
    **ATTEMPT_ROW,
    "id": 812,
    "mode": "practice",
    "status": "open",
    "started_at": "2026-11-24T18:00:00Z",
    "finished_at": None,
    "question_count": 10,
    "scaled_score": None,
    "passed": None,
    "updated_at": "2026-11-24T18:05:40Z",
}


class AttemptList(APIView):
    """Start an attempt; list your attempts (history)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_list",
        summary="Your finished attempts, newest first, and your open ones (sync list)",
        description=(
            "`results`: your finished attempts (submitted or out of time), newest first, "
            "paginated. `open`: your attempts still open, newest first, the same on every page. "
            "`?exam=CODE` keeps one exam's (an unknown code: 404). With `updated_since`, both "
            "keep only the attempts changed since: started, answered, flagged or finished (an "
            "attempt that finished moves from `open` to `results`). Attempts are never deleted "
            "(only with the account), so `deleted` is always empty."
        ),
        parameters=[
            OpenApiParameter("exam", str, description="Only this exam code."),
            *SYNC_PARAMETERS,
        ],
        responses={
            **sync_list_responses(
                sync_page(
                    "AttemptPage",
                    AttemptRowOut,
                    open=AttemptRowOut(
                        many=True, help_text="Open attempts (changed since `updated_since`)."
                    ),
                )
            ),
            (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="An unknown exam code, or a page past the last."
            ),
        },
        examples=[sync_example("One finished, one open", ATTEMPT_ROW, open=[OPEN_ROW])],
    )
    def get(self, request: Request) -> Response:
        code = validated(AttemptListQuery, request.query_params).get("exam")
        exam = None
        if code is not None:
            exam = queries.exam_by_code(code)
            if exam is None:
                raise exceptions.NotFound(f"No exam with the code {code!r}.")
        user = request.user
        return sync_list(
            request,
            lambda since: queries.attempt_history(user=user, exam=exam, updated_since=since),
            AttemptRowOut,
            None,  # attempts are never deleted by the learner
            query=AttemptListQuery,
            extra=lambda since: {
                "open": AttemptRowOut(
                    queries.open_attempts(user=user, exam=exam, updated_since=since), many=True
                ).data
            },
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
        responses={
            201: OpenApiResponse(SUMMARY, description="A new attempt, open."),
            200: OpenApiResponse(
                SUMMARY, description="The exam simulation of this exam already open (resume)."
            ),
            CONFLICT_STATUS: CONFLICT,
        },
        examples=[
            OpenApiExample(
                "Mini exam", value={"exam": "DVA-C03", "mode": "exam"}, request_only=True
            ),
            OpenApiExample(
                "Practice two domains",
                value={"exam": "AZ-204", "mode": "practice", "domains": ["2", "3"], "count": 10},
                request_only=True,
            ),
            OpenApiExample(
                "Mini exam started", value=OPEN_SUMMARY, response_only=True, status_codes=["201"]
            ),
            OpenApiExample(
                "Practice started", value=PRACTICE_SUMMARY, response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Open simulation resumed", value=OPEN_SUMMARY, response_only=True,
                status_codes=["200"],
            ),
            BANK_EXAMPLE,
        ],
    )  # fmt: skip
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
        description=(
            "`seconds_left` counts down on the server's clock (null when untimed or finished); "
            "`answered`, `flagged` and `unanswered` give the positions for a review screen. An "
            "attempt past its deadline is finished by this read (status `expired`, scored with "
            "the answers saved in time). Once finished, `result` has the points, percent, the "
            "scaled score (a linear estimate), pass or fail, per-domain results and time used. "
            "Another learner's attempt id answers 404."
        ),
        responses=OpenApiResponse(SUMMARY, description="The attempt's state."),
        examples=[
            OpenApiExample("Open exam simulation", value=OPEN_SUMMARY, response_only=True),
            OpenApiExample(
                "Submitted, with the result", value=FINISHED_SUMMARY, response_only=True
            ),
        ],  # fmt: skip
    )
    def get(self, request: Request, attempt_id: int) -> Response:
        return Response(_summary(_own(request, attempt_id)))


class AttemptQuestions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_questions_list",
        summary="The attempt's questions, without answers until they may be shown",
        description=(
            "Every question of the attempt in its shuffled order (`position` 1..n), each with "
            "its choices in shuffled order (`id` to answer with, `label` A, B, C ...), your saved "
            "`answer`, `flagged` and `sure`. `correct`, `rationale`, `explanation_html`, "
            "`references` and `points` appear only where `revealed` is true: after the attempt "
            "is finished, or in practice once that question is answered; finished attempts add "
            "the curriculum `topics` to study."
        ),
        responses=OpenApiResponse(QUESTIONS, description="The questions, in the attempt's order."),
        examples=[
            OpenApiExample(
                "During an exam simulation", value=[UNANSWERED_QUESTION], response_only=True
            ),
            OpenApiExample("After submitting", value=[ANSWERED_QUESTION], response_only=True),
        ],
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
        responses={
            200: OpenApiResponse(QUESTION, description="The question with the saved answer."),
            CONFLICT_STATUS: CONFLICT,
        },
        examples=[
            OpenApiExample("Single choice", value={"choices": [31]}, request_only=True),
            OpenApiExample(
                "Multiple response, unsure", value={"choices": [41, 43], "sure": False},
                request_only=True,
            ),
            OpenApiExample(
                "Statement series", value={"statements": {"51": True, "52": False}},
                request_only=True,
            ),
            OpenApiExample("Clear the answer", value={"choices": []}, request_only=True),
            OpenApiExample(
                "Saved in an exam simulation",
                value={**UNANSWERED_QUESTION, "answer": {"choices": [31]}, "answered": True},
                response_only=True, status_codes=["200"],
            ),
            OpenApiExample(
                "Saved in practice (feedback revealed)", value=ANSWERED_QUESTION,
                response_only=True, status_codes=["200"],
            ),
            CLOSED_EXAMPLE,
        ],
    )  # fmt: skip
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
        description=(
            "Marks a question to come back to before submitting (the attempt's `flagged` "
            "positions). Setting the same value twice changes nothing. 409 once the attempt is "
            "finished."
        ),
        request=FlagIn,
        responses={
            200: OpenApiResponse(QUESTION, description="The question with its flag."),
            CONFLICT_STATUS: CONFLICT,
        },
        examples=[
            OpenApiExample("Flag", value={"flagged": True}, request_only=True),
            OpenApiExample("Clear the flag", value={"flagged": False}, request_only=True),
            OpenApiExample(
                "Flagged", value={**UNANSWERED_QUESTION, "flagged": True}, response_only=True,
                status_codes=["200"],
            ),
            CLOSED_EXAMPLE,
        ],
    )  # fmt: skip
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
        description=(
            "Scores the saved answers and finishes the attempt; the response has the `result`. "
            "Submitting twice, or at once from two devices, gives one result. Past the deadline "
            "the attempt finishes as `expired` with the answers saved before it. No body."
        ),
        request=None,
        responses=OpenApiResponse(SUMMARY, description="The finished attempt with its result."),
        examples=[
            OpenApiExample("Submitted", value=FINISHED_SUMMARY, response_only=True),
        ],
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
