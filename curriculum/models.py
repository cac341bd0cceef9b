"""The curriculum: tracks of phases (one level of sub-phases) of topics with resources, and the
catalogue they refer to (technologies, certifications, skills, showcase projects).

Content files under content/curriculum/ are the source of truth (docs/content-format.md); rows
are upserted by slug and archived, never deleted, when the files drop them, so whatever learner
data refers to them survives.
"""

from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from portal.markdown import RenderedMarkdownMixin


class ContentQuerySet(models.QuerySet):
    def current(self) -> "ContentQuerySet":
        """Rows the content files still hold (not archived)."""
        return self.filter(archived_at__isnull=True)


class PublishableQuerySet(ContentQuerySet):
    def published(self) -> "PublishableQuerySet":
        return self.current().filter(status=Status.PUBLISHED)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class ImportedModel(models.Model):
    """What every row loaded from content files has: an archive mark (rows are archived, never
    deleted, when the files drop them) and the fingerprint of the values the last import wrote
    (so a dry run can tell admin edits from file changes)."""

    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    imported_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ContentModel(ImportedModel):
    """An imported record with a stable slug, its identity across imports."""

    slug = models.SlugField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class MarkdownBodyMixin(RenderedMarkdownMixin):
    """A Markdown `body` and its sanitized HTML, rendered whenever the row is saved."""

    markdown_fields: ClassVar[dict[str, str]] = {"body": "body_html"}

    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True


class Technology(ContentModel):
    class Category(models.TextChoices):
        LANGUAGE = "language", "Language"
        LIBRARY = "library", "Library"
        FRAMEWORK = "framework", "Framework"
        PLATFORM = "platform", "Platform"
        SERVICE = "service", "Service"
        TOOL = "tool", "Tool"
        PRACTICE = "practice", "Practice"

    class Lifecycle(models.TextChoices):
        CURRENT = "current", "Current"
        LEGACY = "legacy", "Legacy"
        DISCONTINUED = "discontinued", "Discontinued"

    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    vendor = models.CharField(max_length=80, blank=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.CURRENT)
    former_names = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "technologies"

    def __str__(self) -> str:
        return self.name


class Certification(MarkdownBodyMixin, ContentModel):
    class Lifecycle(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRING = "retiring", "Retiring"
        RETIRED = "retired", "Retired"
        DISCONTINUED = "discontinued", "Discontinued"

    class CertLevel(models.TextChoices):
        FUNDAMENTALS = "fundamentals", "Fundamentals"
        FOUNDATIONAL = "foundational", "Foundational"
        ASSOCIATE = "associate", "Associate"
        PROFESSIONAL = "professional", "Professional"
        SPECIALTY = "specialty", "Specialty"
        EXPERT = "expert", "Expert"
        CERTIFICATE = "certificate", "Certificate"

    name = models.CharField(max_length=160)
    vendor = models.CharField(max_length=80)
    level = models.CharField(max_length=20, choices=CertLevel.choices)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    retired_on = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("curriculum:certification", args=[self.slug])


class Skill(RenderedMarkdownMixin, ContentModel):
    markdown_fields: ClassVar[dict[str, str]] = {
        "definition": "definition_html",
        "real_world": "real_world_html",
        "demonstrate": "demonstrate_html",
    }
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=80)
    summary = models.CharField(max_length=300)
    definition = models.TextField(help_text="Markdown.")
    real_world = models.TextField(help_text="Markdown.")
    demonstrate = models.TextField(help_text="Markdown: how to show proficiency.")
    definition_html = models.TextField(blank=True, editable=False)
    real_world_html = models.TextField(blank=True, editable=False)
    demonstrate_html = models.TextField(blank=True, editable=False)
    technologies = models.ManyToManyField(Technology, blank=True, related_name="skills")
    certifications = models.ManyToManyField(Certification, blank=True, related_name="skills")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("curriculum:skill", args=[self.slug])


class SkillLevel(RenderedMarkdownMixin):
    markdown_fields: ClassVar[dict[str, str]] = {"steps": "steps_html"}
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(max_length=20, choices=Level.choices)
    steps = models.TextField(help_text="Markdown.")
    steps_html = models.TextField(blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill", "level"], name="skill_level_unique"),
        ]
        ordering = ["skill", "level"]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"


class Track(MarkdownBodyMixin, ContentModel):
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    source = models.CharField(max_length=120, blank=True, help_text="Seed document it comes from.")
    hours_per_week = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    position = models.PositiveIntegerField(default=0)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curriculum:track", args=[self.slug])


class Phase(MarkdownBodyMixin, ContentModel):
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="phases")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    weeks_min = models.DecimalField(max_digits=5, decimal_places=1)
    weeks_max = models.DecimalField(max_digits=5, decimal_places=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["track", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks_min__gte=0) & Q(weeks_max__gte=models.F("weeks_min")),
                name="phase_weeks_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curriculum:phase", args=[self.track.slug, self.slug])


class Topic(MarkdownBodyMixin, ContentModel):
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    level = models.CharField(max_length=20, choices=Level.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    position = models.PositiveIntegerField(default=0)
    technologies = models.ManyToManyField(Technology, blank=True, related_name="topics")
    certifications = models.ManyToManyField(Certification, blank=True, related_name="topics")
    skills = models.ManyToManyField(Skill, blank=True, related_name="topics")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["phase", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="topic_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curriculum:topic", args=[self.slug])


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    BROKEN = "broken", "Broken"


class Resource(ImportedModel):
    """A link (or, for a book, a reference) attached to a topic or to a skill."""

    class Kind(models.TextChoices):
        DOC = "doc", "Documentation"
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        VIDEO = "video", "Video"
        ARTICLE = "article", "Article"
        PROJECT = "project", "Project"
        CERTIFICATION = "certification", "Certification"
        TOOL = "tool", "Tool"

    class Cost(models.TextChoices):
        FREE = "free", "Free"
        FREE_TIER = "free-tier", "Free tier"
        PAID = "paid", "Paid"

    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="resources"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="resources"
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider = models.CharField(max_length=120, blank=True)
    cost = models.CharField(max_length=12, choices=Cost.choices, default=Cost.FREE)
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Link health, written by the link checker (curriculum.tasks), never by imports.
    link_status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED, editable=False
    )
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    link_http_status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    link_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(topic__isnull=False, skill__isnull=True)
                    | Q(topic__isnull=True, skill__isnull=False)
                ),
                name="resource_has_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["url"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Topic | Skill:
        return self.topic or self.skill

    @property
    def link_broken(self) -> bool:
        return self.link_status == LinkStatus.BROKEN

    @property
    def key(self) -> str:
        """Identity within its owner: the URL, or the title for a reference without one."""
        return self.url or self.title


class ShowcaseProject(MarkdownBodyMixin, ContentModel):
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    level = models.CharField(max_length=20, choices=Level.choices)
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    technologies = models.ManyToManyField(Technology, blank=True, related_name="projects")
    skills = models.ManyToManyField(Skill, blank=True, related_name="projects")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class SlugRedirect(models.Model):
    """A former slug of a renamed record, so old links can redirect to the new one."""

    kind = models.CharField(max_length=20)  # "track", "phase", "topic", ...
    old_slug = models.SlugField(max_length=100)
    new_slug = models.SlugField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slug_redirect_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.old_slug} -> {self.new_slug}"
