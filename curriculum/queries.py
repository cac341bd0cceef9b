"""Reads shared by the curriculum pages (and the API), each with its joins fixed here so a page
costs the same number of queries whatever the amount of content.

Visibility: archived rows are never shown; drafts (a draft track hides all of its topics) are
shown only when `preview` is true, which the views set for staff.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    Certification,
    Level,
    Phase,
    Resource,
    Skill,
    SkillLevel,
    SlugRedirect,
    Status,
    Technology,
    Topic,
    Track,
)

# Columns a list of topics never shows: left out of roadmap-sized queries.
TOPIC_BODY = ("body", "body_html")
PHASE_BODY = ("body", "body_html")


def related_phase_bodies() -> list[str]:
    """The Markdown columns of a topic's phase, parent phase and track, for `defer()`."""
    owners = ("phase", "phase__track", "phase__parent")
    return [f"{owner}__{name}" for owner in owners for name in PHASE_BODY]


def with_places(topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """`topics` with their phase, parent phase and track (for links and track order), without
    any of their Markdown bodies: the load of every list of topics."""
    return topics.select_related("phase__track", "phase__parent").defer(
        *TOPIC_BODY, *related_phase_bodies()
    )


# --- visibility ---------------------------------------------------------------------------------


def visible_tracks(*, preview: bool = False) -> QuerySet[Track]:
    tracks = Track.objects.current()
    return tracks if preview else tracks.filter(status=Status.PUBLISHED)


def visible_topics(*, preview: bool = False) -> QuerySet[Topic]:
    """Current topics of current phases of current tracks; without `preview`, only published
    topics of published tracks."""
    topics = Topic.objects.current().filter(
        phase__archived_at__isnull=True,
        phase__parent__archived_at__isnull=True,
        phase__track__archived_at__isnull=True,
    )
    if preview:
        return topics
    return topics.filter(status=Status.PUBLISHED, phase__track__status=Status.PUBLISHED)


def visible_resources() -> QuerySet[Resource]:
    """Current resources whose topic or skill a visitor can see."""
    on_topic = Q(topic__in=visible_topics().values("pk"))
    on_skill = Q(skill__in=Skill.objects.current().values("pk"))
    return Resource.objects.current().filter(on_topic | on_skill)


def renamed_slug(kind: str, slug: str) -> str | None:
    """The current slug of a record once known as `slug` (the importer records `kind` as
    "track", "phase", "topic", ...), or None."""
    return (
        SlugRedirect.objects.filter(kind=kind, old_slug=slug).values_list("new_slug", flat=True)
    ).first()


# --- ordering -----------------------------------------------------------------------------------


def track_order_key(topic: Topic) -> tuple[int, int, int, int]:
    """A topic's place in its track: top-level phase, then that phase's sub-phases in order, then
    the phase's own topics (the order of the content files). Needs `phase__parent` loaded."""
    phase = topic.phase
    if phase.parent_id is None:
        return (phase.position, 1, 0, topic.position)
    return (phase.parent.position, 0, phase.position, topic.position)


def _level_order() -> Case:
    return Case(
        *(When(level=value, then=Value(index)) for index, value in enumerate(Level.values)),
        default=Value(len(Level.values)),
        output_field=IntegerField(),
    )


def _current_resources() -> Prefetch:
    return Prefetch("resources", queryset=Resource.objects.current().order_by("position", "pk"))


def _current(name: str, model: type) -> Prefetch:
    return Prefetch(name, queryset=model.objects.current())


# --- tracks and roadmaps ------------------------------------------------------------------------


@dataclass
class PhaseNode:
    """A phase of a roadmap with its visible topics and sub-phases."""

    phase: Phase
    topics: list[Topic] = field(default_factory=list)
    children: list["PhaseNode"] = field(default_factory=list)

    @property
    def all_topics(self) -> list[Topic]:
        """Its sub-phases' topics, then its own (track order)."""
        return [topic for child in self.children for topic in child.all_topics] + self.topics

    @property
    def hours(self) -> Decimal:
        return sum((topic.hours for topic in self.all_topics), Decimal(0))

    @property
    def topic_count(self) -> int:
        return len(self.all_topics)


@dataclass
class Roadmap:
    track: Track
    phases: list[PhaseNode]

    @property
    def topics(self) -> list[Topic]:
        return [topic for node in self.phases for topic in node.all_topics]

    @property
    def hours(self) -> Decimal:
        return sum((node.hours for node in self.phases), Decimal(0))

    @property
    def topic_count(self) -> int:
        return len(self.topics)

    @property
    def weeks_min(self) -> Decimal:
        return sum((node.phase.weeks_min for node in self.phases), Decimal(0))

    @property
    def weeks_max(self) -> Decimal:
        return sum((node.phase.weeks_max for node in self.phases), Decimal(0))


def _sum_per_track(rows: QuerySet, column: str, output: DecimalField | IntegerField) -> Coalesce:
    """The sum of `column` over `rows` (already filtered on OuterRef("pk")) as a subquery."""
    total = rows.order_by().values("group").annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(total, output_field=output), Value(0), output_field=output)


def track_list() -> list[Track]:
    """Published tracks, each annotated with `topic_count`, `hours`, `weeks_min` and `weeks_max`
    (sums over its published topics and top-level phases), in one query."""
    decimal = DecimalField(max_digits=8, decimal_places=1)
    topics = visible_topics().filter(phase__track=OuterRef("pk")).annotate(group=Value(1))
    phases = Phase.objects.current().filter(track=OuterRef("pk"), parent__isnull=True)
    phases = phases.annotate(group=Value(1))
    count = topics.order_by().values("group").annotate(n=Count("pk")).values("n")
    return list(
        visible_tracks().annotate(
            topic_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            hours=_sum_per_track(topics, "hours", decimal),
            weeks_min=_sum_per_track(phases, "weeks_min", decimal),
            weeks_max=_sum_per_track(phases, "weeks_max", decimal),
        )
    )


def track_by_slug(slug: str, *, preview: bool = False) -> Track | None:
    return visible_tracks(preview=preview).filter(slug=slug).first()


def _phase_tree(phases: Iterable[Phase], topics: Iterable[Topic]) -> dict[int, PhaseNode]:
    """Nodes for `phases` (ordered by position) with `topics` (ordered by position) attached."""
    nodes = {phase.pk: PhaseNode(phase) for phase in phases}
    for node in nodes.values():
        parent = nodes.get(node.phase.parent_id)
        if parent is not None:
            parent.children.append(node)
    for topic in topics:
        if topic.phase_id in nodes:
            nodes[topic.phase_id].topics.append(topic)
    return nodes


def roadmap(track: Track, *, preview: bool = False) -> Roadmap:
    """The track's phases, sub-phases and visible topics (without their bodies), in two queries."""
    phases = (
        Phase.objects.current()
        .filter(track=track)
        .defer(*PHASE_BODY)
        .order_by("parent_id", "position")
    )
    topics = (
        visible_topics(preview=preview)
        .filter(phase__track=track)
        .defer(*TOPIC_BODY)
        .order_by("position", "pk")
    )
    nodes = _phase_tree(phases, topics)
    top = sorted(
        (node for node in nodes.values() if node.phase.parent_id is None),
        key=lambda node: node.phase.position,
    )
    for node in nodes.values():
        node.phase.track = track
        node.children.sort(key=lambda child: child.phase.position)
    return Roadmap(track, top)


# --- phases -------------------------------------------------------------------------------------


def phase_by_slug(slug: str, *, preview: bool = False) -> Phase | None:
    """A current phase of a visible track, with its track and parent, whatever track the URL
    named (the view redirects a wrong one)."""
    return (
        Phase.objects.current()
        .filter(slug=slug, track__in=visible_tracks(preview=preview))
        .select_related("track", "parent")
        .first()
    )


def phase_outline(phase: Phase, *, preview: bool = False) -> PhaseNode:
    """The phase with its current sub-phases and their visible topics, in two queries."""
    children = Phase.objects.current().filter(parent=phase).defer(*PHASE_BODY).order_by("position")
    children = list(children)
    topics = (
        visible_topics(preview=preview)
        .filter(phase__in=[phase.pk, *(child.pk for child in children)])
        .defer(*TOPIC_BODY)
        .order_by("position", "pk")
    )
    nodes = _phase_tree([phase, *children], topics)
    for node in nodes.values():
        node.phase.track = phase.track
    return nodes[phase.pk]


# --- topics -------------------------------------------------------------------------------------


@dataclass
class ResourceGroup:
    kind: str
    label: str
    resources: list[Resource]


RESOURCE_GROUP_LABELS = {
    Resource.Kind.DOC: "Documentation",
    Resource.Kind.COURSE: "Courses",
    Resource.Kind.BOOK: "Books",
    Resource.Kind.VIDEO: "Videos",
    Resource.Kind.ARTICLE: "Articles",
    Resource.Kind.PROJECT: "Projects",
    Resource.Kind.CERTIFICATION: "Certifications",
    Resource.Kind.TOOL: "Tools",
}


def resource_groups(resources: Iterable[Resource]) -> list[ResourceGroup]:
    """Resources grouped by kind, kinds in their declared order, resources in theirs."""
    groups = {
        kind: ResourceGroup(kind, RESOURCE_GROUP_LABELS.get(kind, label), [])
        for kind, label in Resource.Kind.choices
    }
    for resource in resources:
        groups[resource.kind].resources.append(resource)
    return [group for group in groups.values() if group.resources]


@dataclass
class TopicPage:
    topic: Topic
    resource_groups: list[ResourceGroup]
    previous: Topic | None
    next: Topic | None


def topic_by_slug(slug: str, *, preview: bool = False) -> Topic | None:
    return (
        visible_topics(preview=preview)
        .filter(slug=slug)
        .select_related("phase__track", "phase__parent")
        .prefetch_related(
            _current_resources(),
            _current("technologies", Technology),
            _current("certifications", Certification),
            _current("skills", Skill),
        )
        .first()
    )


def track_topic_sequence(track: Track, *, preview: bool = False) -> list[Topic]:
    """The track's visible topics in track order (titles and places only), in one query."""
    topics = (
        visible_topics(preview=preview)
        .filter(phase__track=track)
        .select_related("phase__parent")
        .only(
            "slug",
            "title",
            "position",
            "phase__position",
            "phase__parent_id",
            "phase__parent__position",
        )
    )
    return sorted(topics, key=track_order_key)


def topic_page(slug: str, *, preview: bool = False) -> TopicPage | None:
    """A visible topic with its resources (grouped by kind), technologies, certifications,
    skills and its neighbours in track order, in six queries."""
    topic = topic_by_slug(slug, preview=preview)
    if topic is None:
        return None
    sequence = track_topic_sequence(topic.phase.track, preview=preview)
    index = next((i for i, other in enumerate(sequence) if other.pk == topic.pk), None)
    previous = sequence[index - 1] if index else None
    following = sequence[index + 1] if index is not None and index + 1 < len(sequence) else None
    return TopicPage(topic, resource_groups(topic.resources.all()), previous, following)


# --- certifications -----------------------------------------------------------------------------


@dataclass
class TrackTopics:
    track: Track
    topics: list[Topic]


def topics_by_track(topics: QuerySet[Topic]) -> list[TrackTopics]:
    """Visible `topics` grouped by track (tracks in their order, topics in track order)."""
    loaded = with_places(topics)
    groups: dict[int, TrackTopics] = {}
    for topic in loaded:
        track = topic.phase.track
        groups.setdefault(track.pk, TrackTopics(track, [])).topics.append(topic)
    for group in groups.values():
        group.topics.sort(key=track_order_key)
    return sorted(groups.values(), key=lambda group: (group.track.position, group.track.title))


def certification_list() -> list[Certification]:
    return list(Certification.objects.current().select_related("successor"))


@dataclass
class CertificationPage:
    certification: Certification
    predecessors: list[Certification]
    topics_by_track: list[TrackTopics]
    skills: list[Skill]


def certification_page(slug: str) -> CertificationPage | None:
    """A current certification with its successor, the certifications it replaces, its visible
    topics grouped by track and its skills, in four queries."""
    certification = (
        Certification.objects.current().filter(slug=slug).select_related("successor").first()
    )
    if certification is None:
        return None
    return CertificationPage(
        certification,
        list(Certification.objects.current().filter(successor=certification)),
        topics_by_track(visible_topics().filter(certifications=certification)),
        list(Skill.objects.current().filter(certifications=certification)),
    )


# --- skills -------------------------------------------------------------------------------------


def _ordered_levels() -> Prefetch:
    return Prefetch("levels", queryset=SkillLevel.objects.order_by(_level_order()))


@dataclass
class SkillCategory:
    name: str
    skills: list[Skill]


def skill_catalogue() -> list[SkillCategory]:
    """Current skills with their levels, grouped by category (in order of first appearance), in
    two queries."""
    categories: dict[str, SkillCategory] = {}
    skills = Skill.objects.current().prefetch_related(_ordered_levels())
    for skill in skills:
        categories.setdefault(skill.category, SkillCategory(skill.category, [])).skills.append(
            skill
        )
    return list(categories.values())


@dataclass
class SkillPage:
    skill: Skill
    resource_groups: list[ResourceGroup]
    topics_by_track: list[TrackTopics]


def skill_page(slug: str) -> SkillPage | None:
    """A current skill with its levels, resources, technologies, certifications and its visible
    topics grouped by track, in six queries."""
    skill = (
        Skill.objects.current()
        .filter(slug=slug)
        .prefetch_related(
            _ordered_levels(),
            _current_resources(),
            _current("technologies", Technology),
            _current("certifications", Certification),
        )
        .first()
    )
    if skill is None:
        return None
    return SkillPage(
        skill,
        resource_groups(skill.resources.all()),
        topics_by_track(visible_topics().filter(skills=skill)),
    )


# --- content stamp ------------------------------------------------------------------------------
# One stamp for everything the public catalogue shows (curriculum, link health, exams): the
# curriculum API's ETags and list cache are keyed on it. It lives in the cache (no query to read
# it) and `services.content_stamp_bump` replaces it after any write to that content commits. A
# lost stamp (cache flushed) is replaced by a new one: clients then get one full answer again.

CONTENT_STAMP_KEY = "curriculum:content-stamp"


def new_content_stamp() -> str:
    return uuid.uuid4().hex[:16]


def content_stamp() -> str:
    """The current content stamp: one cache read, no query."""
    stamp = cache.get(CONTENT_STAMP_KEY)
    if stamp is None:
        stamp = new_content_stamp()
        if not cache.add(CONTENT_STAMP_KEY, stamp, timeout=None):  # another process was first
            stamp = cache.get(CONTENT_STAMP_KEY, stamp)
    return stamp


def kept_under_stamp(
    name: str, make: Callable[[], Any], *, seconds: int, stamp: str | None = None
) -> Any:
    """What `make()` returns, kept in the cache under `name` and the content stamp (`stamp`, when
    the caller has read it already): made once per stamp, so never stale, since every write to
    the catalogue renews the stamp. `seconds` only bounds the memory of what nobody asks again.
    None (nothing to show) is not kept. The API's list pages and a visitor's roadmap page."""
    key = f"{name}:{stamp or content_stamp()}"
    kept = cache.get(key)
    if kept is None:
        kept = make()
        if kept is not None:
            cache.set(key, kept, seconds)
    return kept


# --- API reads ----------------------------------------------------------------------------------
# The /api/v1/ curriculum endpoints (curriculum/api/). Details reuse the page reads above, shaped
# as one object for a serializer; lists are querysets that filters, search and pagination narrow,
# each with its joins fixed here so a page of results costs the same queries at any size.


def _api_track_order(prefix: str, *, own_rows_last: bool) -> list:
    """Track order in SQL: track, top-level phase, then the phase's own rows and its sub-phases'
    (own rows last for topics, as track_order_key; the phase itself first for phases). `prefix`
    leads from the ordered model to its phase ("" or "phase__")."""
    parent = f"{prefix}parent"
    own_rank, sub_rank = (1, 0) if own_rows_last else (0, 1)
    return [
        f"{prefix}track__position",
        f"{prefix}track__title",
        Coalesce(f"{parent}__position", f"{prefix}position"),
        Coalesce(f"{parent}__id", f"{prefix}id"),
        Case(When(**{f"{parent}__isnull": True}, then=Value(own_rank)), default=Value(sub_rank)),
        f"{prefix}position",
    ]


def api_phases() -> QuerySet[Phase]:
    """Current phases of visible tracks in track order (sub-phases after their parent), with
    their track and parent (one query)."""
    return (
        Phase.objects.current()
        .filter(track__in=visible_tracks())
        .select_related("track", "parent")
        .defer(*PHASE_BODY)
        .order_by(*_api_track_order("", own_rows_last=False), "pk")
    )


def api_topics() -> QuerySet[Topic]:
    """Visible topics in track order, with their phase and track, without bodies (one query)."""
    return with_places(visible_topics()).order_by(
        *_api_track_order("phase__", own_rows_last=True), "position", "pk"
    )


def api_resources() -> QuerySet[Resource]:
    """Visible resources with their topic or skill (one query)."""
    return visible_resources().select_related("topic", "skill").order_by("pk")


def api_skills() -> QuerySet[Skill]:
    return Skill.objects.current().order_by("position", "name")


def api_certifications() -> QuerySet[Certification]:
    return Certification.objects.current().select_related("successor").order_by("vendor", "name")


def api_track_detail(slug: str) -> Track | None:
    """A visible track with its roadmap's totals and `phase_nodes` (PhaseNode: phases, sub-phases
    and topics), in three queries."""
    track = track_by_slug(slug)
    if track is None:
        return None
    plan = roadmap(track)
    track.phase_nodes = plan.phases
    track.topic_count, track.hours = plan.topic_count, plan.hours
    track.weeks_min, track.weeks_max = plan.weeks_min, plan.weeks_max
    return track


def api_phase_detail(slug: str) -> Phase | None:
    """A visible phase with `outline` (its PhaseNode: own topics, sub-phases with theirs), in
    three queries."""
    phase = phase_by_slug(slug)
    if phase is None:
        return None
    phase.outline = phase_outline(phase)
    return phase


def api_topic_detail(slug: str) -> Topic | None:
    """A visible topic with its resources, technologies, certifications, skills, and its
    neighbours in track order as `previous_topic` / `next_topic`, in six queries."""
    page = topic_page(slug)
    if page is None:
        return None
    page.topic.previous_topic, page.topic.next_topic = page.previous, page.next
    return page.topic


def api_skill_detail(slug: str) -> Skill | None:
    """A current skill with its levels, resources, technologies, certifications, and its visible
    topics grouped by track as `track_topics`, in six queries."""
    page = skill_page(slug)
    if page is None:
        return None
    page.skill.track_topics = page.topics_by_track
    return page.skill


def api_certification_detail(slug: str) -> Certification | None:
    """A current certification with its successor, `predecessor_list`, visible topics grouped
    by track as `track_topics`, and `skill_list`, in four queries."""
    page = certification_page(slug)
    if page is None:
        return None
    certification = page.certification
    certification.predecessor_list = page.predecessors
    certification.track_topics = page.topics_by_track
    certification.skill_list = page.skills
    return certification


def api_resource_detail(pk: int) -> Resource | None:
    return api_resources().filter(pk=pk).first()


# --- link health --------------------------------------------------------------------------------


def resources_due_for_link_check(
    *, resource_ids: Iterable[int] | None = None, stale_after: timedelta | None = None
) -> QuerySet[Resource]:
    """Current resources with an http(s) URL (limited to `resource_ids`, and to those not checked
    within `stale_after`, when given), least recently checked first."""
    resources = Resource.objects.current().filter(
        Q(url__istartswith="http://") | Q(url__istartswith="https://")
    )
    if resource_ids is not None:
        resources = resources.filter(pk__in=list(resource_ids))
    if stale_after is not None:
        cutoff = timezone.now() - stale_after
        resources = resources.filter(
            Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff)
        )
    return resources.order_by(F("link_checked_at").asc(nulls_first=True), "pk")
