"""Quick fixes to the curriculum in Django admin. The content files stay the source of truth:
`export_curriculum` writes admin edits back to them, and `import_curriculum --dry-run` flags
edits an import would overwrite.

The "Content editors" group (migration 0004) may add, change and view everything here but not
delete: curriculum rows are archived, never deleted. Markdown fields get a live preview
(portal.widgets.MarkdownPreviewWidget); the HTML is rendered on save, so pages show an edit at once.
Every admin here renews the catalogue's content stamp after a write (ContentStampAdminMixin), so
the API's ETags and cached lists show an edit at once too.
"""

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from portal.widgets import MarkdownPreviewWidget

from . import services, tasks
from .models import (
    Certification,
    LinkStatus,
    Phase,
    Resource,
    ShowcaseProject,
    Skill,
    SkillLevel,
    SlugRedirect,
    Status,
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


class LinkHealthFilter(admin.SimpleListFilter):
    title = "link health"
    parameter_name = "link"

    def lookups(self, request, model_admin):  # noqa: ANN001, ANN201
        return [
            (LinkStatus.BROKEN, "Broken links"),
            (LinkStatus.OK, "Working links"),
            (LinkStatus.UNCHECKED, "Not checked yet"),
        ]

    def queryset(self, request, queryset):  # noqa: ANN001, ANN201
        if self.value() in LinkStatus.values:
            return queryset.filter(link_status=self.value()).exclude(url="")
        return queryset


URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ContentStampAdminMixin:
    """For admins of what the public API shows (curriculum, exams, questions): a POST to the
    change form (with its inlines and many-to-many fields), the delete page or the list (actions,
    list_editable) gives the catalogue a new content stamp (services.content_stamp_bump), so
    the API's ETags and cached lists show the edit at once.

    The bump comes after the admin view returns, once its own transaction has committed (actions
    run in autocommit), so it takes effect at once (inside an outer transaction it waits for that
    one's commit). Any POST bumps, even one that changes nothing (an invalid form, a confirmation
    page): a needless renewal only costs clients one full answer, a missed one serves stale
    content. Admin views of the content that are not these three call a service that bumps."""

    def changeform_view(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse:
        return self._stamped(request, super().changeform_view(request, *args, **kwargs))

    def delete_view(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return self._stamped(request, super().delete_view(request, *args, **kwargs))

    def changelist_view(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse:
        return self._stamped(request, super().changelist_view(request, *args, **kwargs))

    @staticmethod
    def _stamped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method == "POST":
            services.content_stamp_bump()
        return response


class MarkdownFieldsMixin:
    """The fields named in `markdown_fields` are edited with a live Markdown preview."""

    markdown_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # noqa: ANN001, ANN201
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownPreviewWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CurriculumAdmin(ContentStampAdminMixin, MarkdownFieldsMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    readonly_fields = ("archived_at",)


class ContentAdmin(CurriculumAdmin):
    prepopulated_fields = {"slug": ("title",)}
    markdown_fields = ("body",)


class StatusActionsMixin:
    """Publish or return to draft many rows at once (tracks and topics have a status)."""

    actions = ["publish", "unpublish"]

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(status=Status.PUBLISHED, updated_at=timezone.now())
        self.message_user(request, f"Published {count} {self._name(count)}.")

    @admin.action(
        description="Move selected %(verbose_name_plural)s to draft", permissions=["change"]
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(status=Status.DRAFT, updated_at=timezone.now())
        self.message_user(request, f"Moved {count} {self._name(count)} to draft.")

    def _name(self, count: int) -> str:
        meta = self.model._meta
        return meta.verbose_name if count == 1 else meta.verbose_name_plural


class ResourceForm(forms.ModelForm):
    def save(self, commit: bool = True) -> Resource:
        if self.instance.pk and "url" in self.changed_data:
            # The old URL's verdict says nothing about the new one: check it first next time.
            self.instance.link_status = LinkStatus.UNCHECKED
            self.instance.link_http_status = None
            self.instance.link_error = ""
            self.instance.link_checked_at = None
        return super().save(commit)


@admin.display(description="link", ordering="link_status")
def link_health(resource: Resource) -> str:
    if not resource.url:
        return "-"
    status = resource.get_link_status_display()
    if resource.link_broken:
        return f"{status}: {resource.link_error}" if resource.link_error else status
    return status


class PhaseInline(admin.TabularInline):
    model = Phase
    fk_name = "track"
    fields = ("position", "title", "slug", "parent", "weeks_min", "weeks_max")
    ordering = ("position", "pk")
    extra = 0
    show_change_link = True


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ("position", "title", "slug", "hours", "level", "status")
    ordering = ("position", "pk")
    extra = 0
    show_change_link = True


class ResourceInline(admin.TabularInline):
    model = Resource
    form = ResourceForm
    formfield_overrides = URL_FIELDS
    fields = ("position", "title", "url", "kind", "provider", "cost", "note", link_health)
    readonly_fields = (link_health,)
    ordering = ("position", "pk")
    extra = 0


class SkillLevelInline(MarkdownFieldsMixin, admin.TabularInline):
    model = SkillLevel
    fields = ("level", "steps")
    markdown_fields = ("steps",)
    extra = 0


@admin.register(Track)
class TrackAdmin(StatusActionsMixin, ContentAdmin):
    fields = (
        ("title", "slug"),
        "summary",
        ("status", "position", "hours_per_week"),
        "source",
        "body",
        "archived_at",
    )
    list_display = ("title", "slug", "status", "hours_per_week", "position", "archived_at")
    list_editable = ("status", "position")
    list_filter = ("status", ArchivedFilter)
    search_fields = ("title", "slug", "summary")
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(ContentAdmin):
    fields = (
        ("track", "parent"),
        ("title", "slug"),
        "summary",
        ("weeks_min", "weeks_max", "position"),
        "body",
        "archived_at",
    )
    list_display = ("title", "track", "parent", "weeks_min", "weeks_max", "position")
    list_editable = ("position",)
    list_filter = ("track", ArchivedFilter)
    list_select_related = ("track", "parent")
    search_fields = ("title", "slug", "summary")
    inlines = [TopicInline]


@admin.register(Topic)
class TopicAdmin(StatusActionsMixin, ContentAdmin):
    fields = (
        "phase",
        ("title", "slug"),
        "summary",
        ("level", "hours", "status", "position"),
        "body",
        "technologies",
        "certifications",
        "skills",
        "archived_at",
    )
    list_display = ("title", "phase", "hours", "level", "status", "position", "archived_at")
    list_editable = ("status", "position")
    list_filter = ("status", "level", "phase__track", ArchivedFilter)
    list_select_related = ("phase",)
    search_fields = ("title", "slug", "summary", "body")
    filter_horizontal = ("technologies", "certifications", "skills")
    inlines = [ResourceInline]


@admin.register(Resource)
class ResourceAdmin(CurriculumAdmin):
    form = ResourceForm
    list_display = ("title", "kind", "provider", "url", "topic", "skill", link_health)
    list_filter = (LinkHealthFilter, "kind", "cost", ArchivedFilter)
    list_select_related = ("topic", "skill")
    search_fields = ("title", "url", "provider")
    readonly_fields = (
        "archived_at",
        "link_status",
        "link_http_status",
        "link_error",
        "link_checked_at",
    )
    actions = ["recheck_links"]

    @admin.action(description="Re-check links of selected resources", permissions=["change"])
    def recheck_links(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.exclude(url="").values_list("pk", flat=True))
        transaction.on_commit(lambda: tasks.check_resource_links_for.delay(ids))
        self.message_user(
            request, f"Queued a link check of {len(ids)} resources; reload to see the results."
        )


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
    markdown_fields = ("body",)


@admin.register(Skill)
class SkillAdmin(CurriculumAdmin):
    list_display = ("name", "category", "position", "archived_at")
    list_editable = ("position",)
    list_filter = ("category", ArchivedFilter)
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("technologies", "certifications")
    inlines = [SkillLevelInline, ResourceInline]
    markdown_fields = ("definition", "real_world", "demonstrate")


@admin.register(ShowcaseProject)
class ShowcaseProjectAdmin(ContentAdmin):
    list_display = ("title", "level", "track", "position")
    list_editable = ("position",)
    list_filter = ("level", "track", ArchivedFilter)
    search_fields = ("title", "slug", "summary")
    filter_horizontal = ("technologies", "skills")


@admin.register(SlugRedirect)
class SlugRedirectAdmin(ContentStampAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "old_slug", "new_slug")
    list_filter = ("kind",)
    search_fields = ("old_slug", "new_slug")
