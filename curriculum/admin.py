"""Quick fixes to the curriculum in Django admin. The content files stay the source of truth:
`export_curriculum` writes admin edits back to them, and `import_curriculum --dry-run` flags
edits an import would overwrite."""

from django.contrib import admin
from django.db import models

from .models import (
    Certification,
    Phase,
    Resource,
    ShowcaseProject,
    Skill,
    SkillLevel,
    SlugRedirect,
    Technology,
    Topic,
    Track,
)


class ArchivedFilter(admin.SimpleListFilter):
    title = "archived"
    parameter_name = "archived"

    def lookups(self, request, model_admin):  # noqa: ANN001, ANN201
        return [("no", "Current"), ("yes", "Archived")]

    def queryset(self, request, queryset):  # noqa: ANN001, ANN201
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class CurriculumAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    readonly_fields = ("archived_at",)


class ContentAdmin(CurriculumAdmin):
    prepopulated_fields = {"slug": ("title",)}


class PhaseInline(admin.TabularInline):
    model = Phase
    fk_name = "track"
    fields = ("position", "title", "slug", "parent", "weeks_min", "weeks_max")
    extra = 0
    show_change_link = True


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ("position", "title", "slug", "hours", "level", "status")
    extra = 0
    show_change_link = True


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = URL_FIELDS
    fields = ("position", "title", "url", "kind", "provider", "cost", "note")
    extra = 0


class SkillLevelInline(admin.TabularInline):
    model = SkillLevel
    fields = ("level", "steps")
    extra = 0


@admin.register(Track)
class TrackAdmin(ContentAdmin):
    list_display = ("title", "slug", "status", "hours_per_week", "position", "archived_at")
    list_filter = ("status", ArchivedFilter)
    search_fields = ("title", "slug", "summary")
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(ContentAdmin):
    list_display = ("title", "track", "parent", "weeks_min", "weeks_max", "position")
    list_filter = ("track", ArchivedFilter)
    list_select_related = ("track", "parent")
    search_fields = ("title", "slug")
    inlines = [TopicInline]


@admin.register(Topic)
class TopicAdmin(ContentAdmin):
    list_display = ("title", "phase", "hours", "level", "status", "archived_at")
    list_filter = ("status", "level", "phase__track", ArchivedFilter)
    list_select_related = ("phase",)
    search_fields = ("title", "slug", "summary", "body")
    filter_horizontal = ("technologies", "certifications", "skills")
    inlines = [ResourceInline]


@admin.register(Resource)
class ResourceAdmin(CurriculumAdmin):
    list_display = ("title", "kind", "provider", "cost", "url", "topic", "skill")
    list_filter = ("kind", "cost", ArchivedFilter)
    list_select_related = ("topic", "skill")
    search_fields = ("title", "url", "provider")


@admin.register(Technology)
class TechnologyAdmin(CurriculumAdmin):
    list_display = ("name", "category", "vendor", "status", "archived_at")
    list_filter = ("category", "status", "vendor", ArchivedFilter)
    search_fields = ("name", "slug", "former_names", "summary")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Certification)
class CertificationAdmin(CurriculumAdmin):
    list_display = ("name", "vendor", "level", "status", "retired_on", "successor")
    list_filter = ("vendor", "level", "status", ArchivedFilter)
    list_select_related = ("successor",)
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Skill)
class SkillAdmin(CurriculumAdmin):
    list_display = ("name", "category", "position", "archived_at")
    list_filter = ("category", ArchivedFilter)
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("technologies", "certifications")
    inlines = [SkillLevelInline, ResourceInline]


@admin.register(ShowcaseProject)
class ShowcaseProjectAdmin(ContentAdmin):
    list_display = ("title", "level", "track", "position")
    list_filter = ("level", "track", ArchivedFilter)
    search_fields = ("title", "slug", "summary")
    filter_horizontal = ("technologies", "skills")


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ("kind", "old_slug", "new_slug")
    list_filter = ("kind",)
    search_fields = ("old_slug", "new_slug")
