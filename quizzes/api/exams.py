"""The exams API: read-only catalogue data, public like the pages that show it. Answers carry an
ETag (curriculum/api/etags.py: the catalogue's content stamp, the URL and today's date, which
the lifecycle is computed from) and a current `If-None-Match` answers 304."""

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import AllowAny

from curriculum.api import etags
from portal.api import PROBLEM_CONTENT_TYPE
from portal.schema import ProblemSerializer

from .. import queries
from ..models import Exam, ExamDomain, Lifecycle


class ExamFilter(django_filters.FilterSet):
    vendor = django_filters.CharFilter(lookup_expr="iexact", help_text="AWS or Microsoft.")
    certification = django_filters.CharFilter(
        field_name="certification__slug", help_text="A curriculum certification's slug."
    )

    class Meta:
        model = Exam
        fields = ["vendor", "certification"]


class DomainOut(serializers.ModelSerializer):
    practice_questions = serializers.IntegerField(
        read_only=True, help_text="Active practice questions counted toward this domain."
    )

    class Meta:
        model = ExamDomain
        fields = ["code", "name", "weight_min", "weight_max", "practice_questions"]


class ExamFormatOut(serializers.Serializer):
    question_count = serializers.IntegerField()
    duration_minutes = serializers.IntegerField()


class ExamOut(serializers.ModelSerializer):
    certification = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    successor = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The exam code that replaces this one (null when none does).",
    )
    lifecycle = serializers.SerializerMethodField(
        help_text="Computed from the dates and today's date."
    )
    mini_exam = ExamFormatOut(read_only=True, help_text="30 questions, time pro rata.")
    domains = DomainOut(many=True, read_only=True)
    practice_questions = serializers.IntegerField(
        read_only=True,
        help_text="Active practice questions for this exam; 0 means no practice yet. Questions "
        "and their answers are never listed here.",
    )

    class Meta:
        model = Exam
        fields = [
            "code", "name", "vendor", "level", "certification", "lifecycle", "beta_from",
            "available_from", "last_day", "successor", "duration_minutes", "question_count",
            "scored_questions", "passing_score", "score_scale_max", "question_types",
            "full_simulation", "figures_are_portal_choice", "simulation_note", "mini_exam",
            "practice_questions", "domains",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=Lifecycle.choices))
    def get_lifecycle(self, exam: Exam) -> str:
        return exam.lifecycle(self.context["today"]).value


class ExamDetailOut(ExamOut):
    sources = serializers.ListField(child=serializers.CharField())
    conflicts = serializers.ListField(child=serializers.CharField())

    class Meta(ExamOut.Meta):
        fields = [*ExamOut.Meta.fields, "sources", "conflicts", "notes"]


_DVA_C02 = {
    "code": "DVA-C02",
    "name": "AWS Certified Developer - Associate",
    "vendor": "AWS",
    "level": "associate",
    "certification": "aws-certified-developer-associate",
    "lifecycle": "retiring",
    "beta_from": None,
    "available_from": None,
    "last_day": "2026-11-30",
    "successor": "DVA-C03",
    "duration_minutes": 130,
    "question_count": 65,
    "scored_questions": 50,
    "passing_score": 720,
    "score_scale_max": 1000,
    "question_types": ["multiple_choice", "multiple_response"],
    "full_simulation": True,
    "figures_are_portal_choice": False,
    "simulation_note": "",
    "mini_exam": {"question_count": 30, "duration_minutes": 60},
    "practice_questions": 73,
    "domains": [
        {"code": "1", "name": "Development with AWS Services", "weight_min": 32,
         "weight_max": 32, "practice_questions": 22},
        {"code": "2", "name": "Security", "weight_min": 26, "weight_max": 26,
         "practice_questions": 18},
        {"code": "3", "name": "Deployment", "weight_min": 24, "weight_max": 24,
         "practice_questions": 18},
        {"code": "4", "name": "Troubleshooting and Optimization", "weight_min": 18,
         "weight_max": 18, "practice_questions": 15},
    ],
}  # fmt: skip
EXAM = OpenApiExample("An exam", value=_DVA_C02, response_only=True)
EXAM_DETAIL = OpenApiExample(
    "An exam with its sources",
    value={
        **_DVA_C02,
        "sources": ["DVA-C02 exam guide (docs.aws.amazon.com/aws-certification/)"],
        "conflicts": [
            "Last day for DVA-C02: 2026-11-30 (AWS blog summaries) vs 2026-12-01 (the "
            "certification page): check the AWS page."
        ],
        "notes": "DVA-C03 delivery starts 2026-12-01.",
    },
    response_only=True,
)
NO_PAGE = OpenApiResponse(ProblemSerializer, description="A page number past the last page.")
BAD_FILTER = OpenApiResponse(
    ProblemSerializer, description="A filter value no text can hold (a NUL byte): errors name it."
)


@extend_schema_view(
    list=extend_schema(
        summary="List the current exams",
        description="Current (not archived) exam versions by code, each with its lifecycle "
        "(computed from its dates and today), format, domains with their practice question "
        "counts, and successor. `?vendor=` (case-insensitive) and `?certification=` (a "
        "curriculum certification's slug) narrow the list; an unknown value finds nothing.",
        operation_id="exams_list",
        parameters=etags.PARAMETERS,
        responses={
            200: ExamOut,
            304: etags.NOT_MODIFIED,
            (400, PROBLEM_CONTENT_TYPE): BAD_FILTER,
            (404, PROBLEM_CONTENT_TYPE): NO_PAGE,
        },
        examples=[EXAM],
    ),
    retrieve=extend_schema(
        summary="One exam by its code",
        description="One current exam by its code (case-insensitive), with what the list shows "
        "plus the sources its figures come from, the conflicts between them and notes. "
        "An unknown or archived code answers a 404 problem.",
        operation_id="exams_retrieve",
        parameters=etags.PARAMETERS,
        responses={200: ExamDetailOut, 304: etags.NOT_MODIFIED},
        examples=[EXAM_DETAIL],
    ),
)
class ExamViewSet(etags.ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Exam versions with their computed lifecycle, dates, domains and successor."""

    permission_classes = [AllowAny]
    serializer_class = ExamOut
    filterset_class = ExamFilter
    ordering_fields = ["code", "name", "vendor"]
    ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def etag_extra(self) -> list[str]:
        return [timezone.localdate().isoformat()]  # the lifecycle changes with the date

    def get_queryset(self) -> QuerySet[Exam]:
        return queries.exam_catalogue()

    def get_serializer_class(self) -> type[ExamOut]:
        return ExamDetailOut if self.action == "retrieve" else ExamOut

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_object(self) -> Exam:
        exam = queries.exam_by_code(self.kwargs["code"])
        if exam is None:
            raise exceptions.NotFound(f"No exam with the code {self.kwargs['code']!r}.")
        self.check_object_permissions(self.request, exam)
        return exam
