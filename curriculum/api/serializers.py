"""Output serializers of the curriculum API: shapes only. The reads, and the attributes the
detail serializers read (`phase_nodes`, `outline`, `track_topics` ...), are in
curriculum/queries.py ("API reads")."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    Certification,
    Level,
    Phase,
    Resource,
    Skill,
    SkillLevel,
    Technology,
    Topic,
    Track,
)


@extend_schema_field(OpenApiTypes.URI)
class WebPageField(serializers.Field):
    """The absolute URL of the object's page on the website."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("help_text", "The object's page on the website.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: object) -> str:
        path = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class StudyLevelField(serializers.ChoiceField):
    """A study level: beginner, intermediate or advanced."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=Level.choices, read_only=True, **kwargs)


class StudyLevelSchema(OpenApiSerializerFieldExtension):
    """StudyLevelField as its own schema component, StudyLevelEnum. Left to drf-spectacular, an
    enum is named after its field, and `level` also names certification levels (CertLevel)."""

    target_class = StudyLevelField

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict:
        component = ResolvedComponent(
            name="StudyLevelEnum",
            type=ResolvedComponent.SCHEMA,
            object="StudyLevelEnum",
            schema={"type": "string", "enum": Level.values},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


# --- references: the few fields that name a related object -------------------------------------


class TrackRef(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["slug", "title"]


class PhaseRef(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["slug", "title"]


class TopicRef(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "title"]


class TechnologyRef(serializers.ModelSerializer):
    class Meta:
        model = Technology
        fields = ["slug", "name"]


class CertificationRef(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ["slug", "name"]


class SkillRef(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name"]


class TopicSummaryOut(serializers.ModelSerializer):
    level = StudyLevelField()
    hours = serializers.FloatField(help_text="Estimated study hours.")

    class Meta:
        model = Topic
        fields = ["slug", "title", "summary", "level", "hours"]


class TrackTopicsOut(serializers.Serializer):
    """Topics of one track, in track order."""

    track = TrackRef()
    topics = TopicSummaryOut(many=True)


# --- tracks and phases --------------------------------------------------------------------------


class PhaseNodeOut(serializers.Serializer):
    """A phase in a roadmap (curriculum.queries.PhaseNode) with its own topics."""

    slug = serializers.CharField(source="phase.slug")
    title = serializers.CharField(source="phase.title")
    summary = serializers.CharField(source="phase.summary")
    weeks_min = serializers.FloatField(source="phase.weeks_min")
    weeks_max = serializers.FloatField(source="phase.weeks_max")
    hours = serializers.FloatField(help_text="Hours of its topics, sub-phases' included.")
    topic_count = serializers.IntegerField(help_text="Its topics, sub-phases' included.")
    topics = TopicSummaryOut(many=True, help_text="Its own topics (not its sub-phases').")


class PhaseTreeOut(PhaseNodeOut):
    """A top-level phase with its sub-phases (one level)."""

    sub_phases = PhaseNodeOut(source="children", many=True)


class TrackOut(serializers.ModelSerializer):
    topic_count = serializers.IntegerField(help_text="Published topics.")
    hours = serializers.FloatField(help_text="Estimated study hours of its topics.")
    weeks_min = serializers.FloatField(help_text="Sum of its top-level phases' weeks.")
    weeks_max = serializers.FloatField()
    url = WebPageField()

    class Meta:
        model = Track
        fields = [
            "slug", "title", "summary", "hours_per_week", "topic_count", "hours", "weeks_min",
            "weeks_max", "url",
        ]  # fmt: skip


class TrackDetailOut(TrackOut):
    phases = PhaseTreeOut(source="phase_nodes", many=True)

    class Meta(TrackOut.Meta):
        fields = [*TrackOut.Meta.fields, "body_html", "phases"]


class PhaseOut(serializers.ModelSerializer):
    track = TrackRef()
    parent = PhaseRef(allow_null=True, help_text="The phase this is a sub-phase of.")
    weeks_min = serializers.FloatField()
    weeks_max = serializers.FloatField()
    url = WebPageField()

    class Meta:
        model = Phase
        fields = ["slug", "title", "summary", "track", "parent", "weeks_min", "weeks_max", "url"]


class PhaseDetailOut(PhaseOut):
    hours = serializers.FloatField(source="outline.hours")
    topic_count = serializers.IntegerField(source="outline.topic_count")
    topics = TopicSummaryOut(source="outline.topics", many=True, help_text="Its own topics.")
    sub_phases = PhaseNodeOut(source="outline.children", many=True)

    class Meta(PhaseOut.Meta):
        fields = [
            *PhaseOut.Meta.fields,
            "body_html",
            "hours",
            "topic_count",
            "topics",
            "sub_phases",
        ]


# --- topics and resources -----------------------------------------------------------------------


class ResourceInlineOut(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = [
            "id", "title", "url", "kind", "provider", "cost", "note", "link_status",
            "link_checked_at",
        ]  # fmt: skip


class ResourceOut(ResourceInlineOut):
    topic = TopicRef(allow_null=True, help_text="Its topic, or null for a skill's resource.")
    skill = SkillRef(allow_null=True, help_text="Its skill, or null for a topic's resource.")

    class Meta(ResourceInlineOut.Meta):
        fields = [*ResourceInlineOut.Meta.fields, "topic", "skill"]


class TopicOut(serializers.ModelSerializer):
    level = StudyLevelField()
    hours = serializers.FloatField(help_text="Estimated study hours.")
    track = TrackRef(source="phase.track")
    phase = PhaseRef()
    url = WebPageField()

    class Meta:
        model = Topic
        fields = ["slug", "title", "summary", "level", "hours", "track", "phase", "url"]


class TopicDetailOut(TopicOut):
    resources = ResourceInlineOut(many=True)
    technologies = TechnologyRef(many=True)
    certifications = CertificationRef(many=True)
    skills = SkillRef(many=True)
    previous = TopicRef(source="previous_topic", allow_null=True, help_text="In track order.")
    next = TopicRef(source="next_topic", allow_null=True, help_text="In track order.")

    class Meta(TopicOut.Meta):
        fields = [
            *TopicOut.Meta.fields, "body_html", "resources", "technologies", "certifications",
            "skills", "previous", "next",
        ]  # fmt: skip


# --- skills and certifications ------------------------------------------------------------------


class SkillLevelOut(serializers.ModelSerializer):
    level = StudyLevelField()

    class Meta:
        model = SkillLevel
        fields = ["level", "steps_html"]


class SkillOut(serializers.ModelSerializer):
    url = WebPageField()

    class Meta:
        model = Skill
        fields = ["slug", "name", "category", "summary", "url"]


class SkillDetailOut(SkillOut):
    levels = SkillLevelOut(many=True, help_text="Beginner, intermediate, advanced.")
    resources = ResourceInlineOut(many=True)
    technologies = TechnologyRef(many=True)
    certifications = CertificationRef(many=True)
    tracks = TrackTopicsOut(source="track_topics", many=True, help_text="Topics that teach it.")

    class Meta(SkillOut.Meta):
        fields = [
            *SkillOut.Meta.fields, "definition_html", "real_world_html", "demonstrate_html",
            "levels", "resources", "technologies", "certifications", "tracks",
        ]  # fmt: skip


class CertificationOut(serializers.ModelSerializer):
    successor = serializers.SerializerMethodField(help_text="The credential that replaces it.")
    url = WebPageField()

    class Meta:
        model = Certification
        fields = [
            "slug", "name", "vendor", "level", "status", "retired_on", "successor", "summary",
            "url",
        ]  # fmt: skip

    @extend_schema_field(CertificationRef(allow_null=True))
    def get_successor(self, certification: Certification) -> dict | None:
        successor = certification.successor
        if successor is None or successor.is_archived:
            return None
        return CertificationRef(successor).data


class CertificationDetailOut(CertificationOut):
    predecessors = CertificationRef(
        source="predecessor_list", many=True, help_text="Credentials it replaces."
    )
    tracks = TrackTopicsOut(
        source="track_topics", many=True, help_text="Topics that prepare for it."
    )
    skills = SkillRef(source="skill_list", many=True)

    class Meta(CertificationOut.Meta):
        fields = [*CertificationOut.Meta.fields, "body_html", "predecessors", "tracks", "skills"]
