"""The exams API: read-only catalogue data, public like the pages that show it."""

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import AllowAny

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
        slug_field="code", read_only=True, help_text="The exam code that replaces this one."
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


@extend_schema_view(
    list=extend_schema(summary="List the current exams", operation_id="exams_list"),
    retrieve=extend_schema(summary="One exam by its code", operation_id="exams_retrieve"),
)
class ExamViewSet(viewsets.ReadOnlyModelViewSet):
    """Exam versions with their computed lifecycle, dates, domains and successor."""

    permission_classes = [AllowAny]
    serializer_class = ExamOut
    filterset_class = ExamFilter
    ordering_fields = ["code", "name", "vendor"]
    ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

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
