"""Quick fixes to exams in Django admin: names, figures, domains and the lifecycle dates. The
content files stay the source of truth; `import_exams --dry-run` flags edits an import would
overwrite."""

from django.contrib import admin

from curriculum.admin import ArchivedFilter

from .models import Exam, ExamDomain


class ExamDomainInline(admin.TabularInline):
    model = ExamDomain
    fields = ("position", "code", "name", "weight_min", "weight_max")
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = (
        "code", "name", "vendor", "certification", "lifecycle_state", "beta_from", "available_from",
        "last_day", "successor", "full_simulation",
    )  # fmt: skip
    list_filter = ("vendor", "level", "full_simulation", ArchivedFilter)
    list_select_related = ("certification", "successor")
    search_fields = ("code", "name", "certification__slug")
    autocomplete_fields = ("successor",)
    readonly_fields = ("lifecycle_state", "archived_at")
    inlines = (ExamDomainInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "certification", "vendor", "level")}),
        (
            "Lifecycle",
            {
                "fields": (
                    "lifecycle_state",
                    "beta_from",
                    "available_from",
                    "last_day",
                    "successor",
                ),
                "description": "The lifecycle is computed from these dates and today's date.",
            },
        ),
        (
            "Format",
            {
                "fields": (
                    "duration_minutes",
                    "question_count",
                    "scored_questions",
                    "passing_score",
                    "score_scale_max",
                    "question_types",
                    "full_simulation",
                    "figures_are_portal_choice",
                    "simulation_note",
                )  # fmt: skip
            },
        ),
        ("Sources", {"fields": ("sources", "conflicts", "notes", "archived_at")}),
    )

    @admin.display(description="lifecycle")
    def lifecycle_state(self, exam: Exam) -> str:
        return exam.lifecycle().label if exam.pk else "-"
