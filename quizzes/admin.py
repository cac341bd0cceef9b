"""Quick fixes to exams in Django admin: names, figures, domains and the lifecycle dates. The
content files stay the source of truth; `import_exams --dry-run` flags edits an import would
overwrite.

Question editors also find here the learners' problem reports (resolve or dismiss them) and the
item statistics of every question (times answered, share correct, discrimination, how often each
choice is picked), flagged when a question discriminates negatively or has 3 or more open
reports. Learners' private notes on questions are not in the admin.

Exams, question banks and questions show in the public API (an exam's practice question counts):
their admins renew the catalogue's content stamp after a write (ContentStampAdminMixin), and the
GIFT import calls a service that does.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import URLValidator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from curriculum.admin import ArchivedFilter, ContentStampAdminMixin
from curriculum.content import ContentInvalid
from portal.widgets import MarkdownPreviewWidget

from . import analytics
from .models import (
    Choice,
    Exam,
    ExamDomain,
    Question,
    QuestionBank,
    QuestionExam,
    QuestionReport,
    QuestionStatus,
    QuestionVersion,
)
from .rules import answer_problems, is_catch_all
from .services import gift_import, question_reports_state_set, question_version_sync


class ExamDomainInline(admin.TabularInline):
    model = ExamDomain
    fields = ("position", "code", "name", "weight_min", "weight_max")
    extra = 0


@admin.register(Exam)
class ExamAdmin(ContentStampAdminMixin, admin.ModelAdmin):
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


# --- Questions ---------------------------------------------------------------------------------


class ReferencesField(forms.CharField):
    """A question's reference URLs, one per line, stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 80})

    def prepare_value(self, value: object) -> str:
        if isinstance(value, list):
            return "\n".join(value)
        return super().prepare_value(value)

    def to_python(self, value: str | None) -> list[str]:
        urls = [line.strip() for line in (value or "").splitlines() if line.strip()]
        validate = URLValidator(schemes=["https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(f"{url!r} is not an https URL.") from None
        if len(set(urls)) != len(urls):
            raise ValidationError("A URL is listed twice.")
        return urls


class QuestionForm(forms.ModelForm):
    references = ReferencesField(
        help_text="One URL per line, on the vendor's official documentation.", required=True
    )

    class Meta:
        model = Question
        fields = (
            "uid", "bank", "kind", "status", "difficulty", "stem", "choose", "explanation",
            "references", "topics",
        )  # fmt: skip
        widgets = {
            "stem": MarkdownPreviewWidget(attrs={"rows": 8}),
            "explanation": MarkdownPreviewWidget(attrs={"rows": 8}),
        }


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ("position", "text", "correct", "rationale")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 50}),
            "rationale": forms.Textarea(attrs={"rows": 2, "cols": 50}),
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if is_catch_all(text):
            raise ValidationError(
                "'All/none of the above' choices are not allowed: choices are shuffled."
            )
        return text


class ChoiceFormSet(forms.BaseInlineFormSet):
    """The answer rules of quizzes.rules, checked over the whole set of choices."""

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        question = self.instance
        problems = answer_problems(question.kind, [c.get("correct", False) for c in kept],
                                   question.choose)  # fmt: skip
        if problems:
            raise ValidationError([problem[0].upper() + problem[1:] + "." for problem in problems])


class ExamLinkFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError("Map the question to at least one exam, with its domain there.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    extra = 0
    min_num = 2
    ordering = ("position",)


class ExamLinkInline(admin.TabularInline):
    model = QuestionExam
    formset = ExamLinkFormSet
    extra = 0
    min_num = 1
    verbose_name = "exam and domain"
    verbose_name_plural = "exams and domains"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # noqa: ANN001, ANN201
        if db_field.name == "domain":
            kwargs["queryset"] = ExamDomain.objects.select_related("exam").order_by(
                "exam__code", "position"
            )
        if db_field.name == "exam":
            kwargs["queryset"] = Exam.objects.current().order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(QuestionBank)
class QuestionBankAdmin(ContentStampAdminMixin, admin.ModelAdmin):
    list_display = ("slug", "title", "question_count")
    search_fields = ("slug", "title")
    readonly_fields = ("archived_at",)

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        return super().get_queryset(request).annotate(questions_total=Count("questions"))

    @admin.display(description="questions", ordering="questions_total")
    def question_count(self, bank: QuestionBank) -> int:
        return bank.questions_total


class GiftImportForm(forms.Form):
    file = forms.FileField(help_text="A Moodle GIFT file (UTF-8), at most 2 MB.")
    domain = forms.ModelChoiceField(
        queryset=ExamDomain.objects.filter(exam__archived_at__isnull=True)
        .select_related("exam")
        .order_by("exam__code", "position"),
        help_text="Every imported question counts toward this exam and domain.",
    )
    bank = forms.SlugField(max_length=50, help_text="Bank slug; made when it does not exist.")
    bank_title = forms.CharField(max_length=200, required=False)
    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.") from None


@admin.register(Question)
class QuestionAdmin(ContentStampAdminMixin, admin.ModelAdmin):
    form = QuestionForm
    change_list_template = "admin/quizzes/question/change_list.html"
    list_display = ("uid", "bank", "kind", "status", "difficulty", "exam_codes", "version")
    list_filter = ("status", "kind", "difficulty", "bank", "exams", ArchivedFilter)
    list_select_related = ("bank",)
    search_fields = ("uid", "stem")
    autocomplete_fields = ("topics",)
    readonly_fields = ("version", "archived_at", "stem_preview", "item_statistics")
    inlines = (ChoiceInline, ExamLinkInline)
    actions = ("make_active", "make_draft", "make_retired")
    fieldsets = (
        (None, {"fields": ("uid", "bank", "kind", "status", "difficulty", "version")}),
        (
            "Question",
            {
                "fields": ("stem", "choose", "explanation", "references", "topics"),
                "description": (
                    "Stem and explanation are Markdown. Single choice: exactly one correct "
                    "choice. Multiple response: at least two correct and two wrong, and "
                    "'choose' equal to the number correct. Yes/no: each choice is a statement; "
                    "tick 'correct' when its answer is Yes."
                ),
            },
        ),
        ("Rendered", {"fields": ("stem_preview",), "classes": ("collapse",)}),
        ("Learners' answers", {"fields": ("item_statistics",)}),
        ("Archive", {"fields": ("archived_at",)}),
    )

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "exam_links", queryset=QuestionExam.objects.select_related("exam", "domain")
                )
            )
        )

    @admin.display(description="exams")
    def exam_codes(self, question: Question) -> str:
        return ", ".join(
            f"{link.exam.code} ({link.domain.code})" for link in question.exam_links.all()
        )

    @admin.display(description="saved stem and explanation, as learners see them")
    def stem_preview(self, question: Question) -> str:
        return format_html(
            '<div class="markdown-body">{}<hr>{}</div>',
            mark_safe(question.stem_html),  # noqa: S308 - sanitized by render_markdown
            mark_safe(question.explanation_html),  # noqa: S308
        )

    @admin.display(description="item statistics")
    def item_statistics(self, question: Question) -> str:
        if not question.pk:
            return "-"
        stats = analytics.item_statistics([question.pk])[question.pk]
        row = StatsRow(question, stats)
        return format_html(
            "{} answers, {} correct; discrimination {} ({} exam answers); picked: {}; "
            "{} open report(s).{}",
            stats.answered,
            row.share_text,
            row.discrimination_text,
            stats.discrimination_n,
            row.picks_text,
            stats.open_reports,
            format_html(' <strong class="errornote">Flagged: {}</strong>', row.flag_text)
            if stats.flagged
            else "",
        )

    def save_related(self, request, form, formsets, change) -> None:  # noqa: ANN001
        super().save_related(request, form, formsets, change)
        question_version_sync(question=form.instance)

    def get_urls(self):  # noqa: ANN201
        view = self.admin_site.admin_view(self.import_gift_view)
        stats = self.admin_site.admin_view(self.item_statistics_view)
        return [
            path("import-gift/", view, name="quizzes_question_import_gift"),
            path("item-statistics/", stats, name="quizzes_question_item_statistics"),
            *super().get_urls(),
        ]

    def item_statistics_view(self, request: HttpRequest) -> HttpResponse:
        """Every answered or reported question with its item statistics, flagged ones first
        (`?flagged=1`: only those; `?exam=CODE`: one exam's questions)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        exam = Exam.objects.filter(code=request.GET.get("exam", "")).first()
        ids = None
        if exam is not None:
            ids = list(QuestionExam.objects.filter(exam=exam).values_list("question_id", flat=True))
        stats = analytics.item_statistics(ids)
        if request.GET.get("flagged") == "1":
            stats = {pk: row for pk, row in stats.items() if row.flagged}
        questions = Question.objects.filter(pk__in=stats).select_related("bank")
        questions = questions.prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
        )
        rows = sorted(
            (StatsRow(question, stats[question.pk]) for question in questions),
            key=StatsRow.sort_key,
        )
        page = Paginator(rows, 100).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Item statistics",
            "opts": self.model._meta,
            "page": page,
            "rows": page.object_list,
            "exams": Exam.objects.current().order_by("code").values_list("code", flat=True),
            "exam": exam,
            "flagged_only": request.GET.get("flagged") == "1",
            "flag_reports": analytics.FLAG_REPORTS,
            "discrimination_min": analytics.DISCRIMINATION_MIN,
        }
        return TemplateResponse(request, "admin/quizzes/question/item_statistics.html", context)

    def import_gift_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GiftImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            domain = form.cleaned_data["domain"]
            try:
                result = gift_import(
                    text=form.cleaned_data["file"],
                    source=request.FILES["file"].name,
                    exam_code=domain.exam.code,
                    domain_code=domain.code,
                    bank=form.cleaned_data["bank"],
                    bank_title=form.cleaned_data["bank_title"],
                )
            except ContentInvalid as invalid:
                errors = [str(error) for error in invalid.errors]
            else:
                self.message_user(
                    request,
                    f"Imported {len(result.questions)} draft question(s) into {result.bank}: "
                    "add references and mark them active.",
                    messages.SUCCESS,
                )
                return redirect("admin:quizzes_question_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import questions from GIFT",
            "opts": self.model._meta,
            "form": form,
            "gift_errors": errors,
        }
        return TemplateResponse(request, "admin/quizzes/question/import_gift.html", context)

    def _set_status(self, request, queryset, status: str) -> None:  # noqa: ANN001
        updated = queryset.update(status=status)
        self.message_user(request, f"{updated} question(s) marked {status}.", messages.SUCCESS)

    @admin.action(description="Mark selected questions active", permissions=["change"])
    def make_active(self, request, queryset) -> None:  # noqa: ANN001
        self._set_status(request, queryset, QuestionStatus.ACTIVE)

    @admin.action(description="Mark selected questions draft", permissions=["change"])
    def make_draft(self, request, queryset) -> None:  # noqa: ANN001
        self._set_status(request, queryset, QuestionStatus.DRAFT)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def make_retired(self, request, queryset) -> None:  # noqa: ANN001
        self._set_status(request, queryset, QuestionStatus.RETIRED)


@admin.register(QuestionVersion)
class QuestionVersionAdmin(admin.ModelAdmin):
    list_display = ("question", "number", "created_at")
    list_select_related = ("question",)
    search_fields = ("question__uid",)
    readonly_fields = ("question", "number", "fingerprint", "content", "created_at")

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


# --- Item statistics and learners' reports -----------------------------------------------------

LETTERS = "ABCDEFGHIJ"


class StatsRow:
    """A question with its item statistics, as the admin shows them."""

    def __init__(self, question: Question, stats: analytics.ItemStats) -> None:
        self.question = question
        self.stats = stats

    def sort_key(self) -> tuple:
        discrimination = self.stats.discrimination
        return (
            not self.stats.flagged,
            discrimination if discrimination is not None else 2.0,
            self.question.uid,
        )

    @property
    def share_text(self) -> str:
        share = self.stats.share_correct
        return "-" if share is None else f"{share:.0%}"

    @property
    def discrimination_text(self) -> str:
        value = self.stats.discrimination
        return "-" if value is None else f"{value:+.2f}"

    @property
    def picks(self) -> list[tuple[str, bool, str]]:
        """(letter, correct now, share picked) per choice key: the keys are positions, as in
        the question's frozen versions."""
        correct = [choice.correct for choice in self.question.choices.all()]
        shares = self.stats.pick_shares
        keys = sorted({*range(len(correct)), *shares})
        return [
            (
                LETTERS[key] if key < len(LETTERS) else str(key),
                key < len(correct) and correct[key],
                f"{shares.get(key, 0.0):.0%}",
            )
            for key in keys
        ]

    @property
    def picks_text(self) -> str:
        return ", ".join(
            f"{letter}{' (right)' if right else ''} {share}" for letter, right, share in self.picks
        )

    @property
    def flag_text(self) -> str:
        return "; ".join(self.stats.flag_reasons)


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    """Learners' reports of problems with questions: read them, fix the question, then resolve
    or dismiss them. Reports come from learners only (no adding here); the reporter is shown by
    username while the account exists (a deleted account leaves the report, anonymised)."""

    list_display = ("question", "reason", "state", "created_at", "short_text", "reporter")
    list_filter = ("state", "reason", "created_at", "question__bank")
    list_select_related = ("question", "user")
    search_fields = ("question__uid", "text")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("question", "version", "reason", "text", "state", "reporter", "created_at")
    readonly_fields = ("question", "version", "reason", "text", "reporter", "created_at")
    actions = ("resolve", "dismiss", "reopen")

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    @admin.display(description="text")
    def short_text(self, report: QuestionReport) -> str:
        return report.text if len(report.text) <= 80 else f"{report.text[:79]}…"

    @admin.display(description="reported by")
    def reporter(self, report: QuestionReport) -> str:
        return report.user.get_username() if report.user_id else "(deleted account)"

    def _set_state(self, request, queryset: QuerySet, state: str) -> None:  # noqa: ANN001
        updated = question_reports_state_set(reports=queryset, state=state)
        self.message_user(request, f"{updated} report(s) marked {state}.", messages.SUCCESS)

    @admin.action(description="Mark selected reports resolved", permissions=["change"])
    def resolve(self, request, queryset) -> None:  # noqa: ANN001
        self._set_state(request, queryset, QuestionReport.State.RESOLVED)

    @admin.action(description="Dismiss selected reports", permissions=["change"])
    def dismiss(self, request, queryset) -> None:  # noqa: ANN001
        self._set_state(request, queryset, QuestionReport.State.DISMISSED)

    @admin.action(description="Reopen selected reports", permissions=["change"])
    def reopen(self, request, queryset) -> None:  # noqa: ANN001
        self._set_state(request, queryset, QuestionReport.State.OPEN)
