"""Read-only viewsets of the curriculum API, public like the pages that show the same content.

Only what a visitor can see is served (published tracks and topics, current phases, resources,
skills and certifications). A detail for a slug the importer renamed answers 301 to the new
slug's URL; any other unknown, archived or draft slug answers a 404 problem. Every 200 answer
carries an ETag and `If-None-Match` with a current one answers 304 (curriculum/api/etags.py).
"""

import json
from collections.abc import Callable
from hashlib import sha256

from django.db.models import Model, QuerySet
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api import PROBLEM_CONTENT_TYPE
from portal.schema import ProblemSerializer

from .. import filters, queries
from ..models import Track
from . import etags, examples
from . import serializers as out

# A page of a list is cached under the content stamp, so it is never stale: an edit renews the
# stamp and the next read misses. The lifetime only bounds the memory of pages nobody asks again.
LIST_CACHE_SECONDS = 600
RENAMED = OpenApiResponse(
    description="The slug was renamed: `Location` gives the URL of the same record's new slug."
)
BAD_FILTER = OpenApiResponse(
    ProblemSerializer, description="A filter value outside its choices (errors name the filter)."
)
NO_PAGE = OpenApiResponse(ProblemSerializer, description="A page number past the last page.")


def conditional_schema(**kwargs: object) -> object:
    """extend_schema for a read that answers ETag / If-None-Match (304 without a body)."""
    return extend_schema(parameters=etags.PARAMETERS, **kwargs)


def list_responses(serializer: type, *, choice_filters: bool = True) -> dict:
    responses = {200: serializer, 304: etags.NOT_MODIFIED, (404, PROBLEM_CONTENT_TYPE): NO_PAGE}
    if choice_filters:
        responses[(400, PROBLEM_CONTENT_TYPE)] = BAD_FILTER
    return responses


def detail_responses(serializer: type, *, renamed: bool = True) -> dict:
    responses = {200: serializer, 304: etags.NOT_MODIFIED}
    return {**responses, 301: RENAMED} if renamed else responses


class CurriculumViewSet(etags.ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """Shared by every curriculum viewset: public, GET only, `?search=`, `?ordering=`, filters,
    ETags, and a detail read from curriculum/queries.py with the renamed-slug redirect."""

    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend, OrderingFilter, filters.SearchFilter]
    lookup_field = "slug"
    noun: str  # "track": the SlugRedirect kind and the detail route "api:track-detail"
    detail_serializer_class: type
    list_read: Callable[[], QuerySet]
    detail_read: Callable[[str], Model | None]

    def get_queryset(self) -> QuerySet:
        return self.list_read()

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of the list, cached per exact URL under the content stamp: lists are public,
        the same for everyone, and change only when content is imported or edited, which renews
        the stamp (so an edit shows at once). Throttles still count every request."""
        url = sha256(request.build_absolute_uri().encode()).hexdigest()

        def page() -> object:
            data = super(CurriculumViewSet, self).list(request, *args, **kwargs).data
            return json.loads(JSONRenderer().render(data))  # plain data, safe to pickle

        name = f"curriculum-api-list:{url}"
        return Response(
            queries.kept_under_stamp(
                name, page, seconds=LIST_CACHE_SECONDS, stamp=self.content_stamp
            )
        )

    def get_serializer_class(self) -> type:
        return self.detail_serializer_class if self.action == "retrieve" else self.serializer_class

    def retrieve(self, request: Request, **kwargs: str) -> Response | HttpResponsePermanentRedirect:
        key = kwargs[self.lookup_field]
        found = self.detail_read(key)
        if found is None:
            return self.renamed_or_not_found(key)
        return Response(self.get_serializer(found).data)

    def renamed_or_not_found(self, slug: str) -> HttpResponsePermanentRedirect:
        new_slug = queries.renamed_slug(self.noun, slug)
        if new_slug and new_slug != slug:
            return HttpResponsePermanentRedirect(
                reverse(f"api:{self.noun}-detail", args=[new_slug])
            )
        raise exceptions.NotFound(f"No {self.noun} with the slug {slug!r}.")


@extend_schema_view(
    list=conditional_schema(
        summary="List the learning tracks",
        description="Published tracks in order, with their topic count, hours and weeks.",
        operation_id="tracks_list",
        responses=list_responses(out.TrackOut, choice_filters=False),
        examples=[examples.TRACK],
    ),
    retrieve=conditional_schema(
        summary="One track with its roadmap",
        description="The track, its phases in order, each with its sub-phases (one level) and "
        "its published topics as summaries.",
        operation_id="tracks_retrieve",
        responses=detail_responses(out.TrackDetailOut),
        examples=[examples.TRACK_DETAIL],
    ),
)
class TrackViewSet(CurriculumViewSet):
    """Learning tracks (paths), each a roadmap of phases and topics."""

    noun = "track"
    serializer_class = out.TrackOut
    detail_serializer_class = out.TrackDetailOut
    filter_backends: list = []  # five or so tracks: one page, in their order
    detail_read = staticmethod(queries.api_track_detail)

    def get_queryset(self) -> QuerySet[Track] | list[Track]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: the model, no query
            return Track.objects.none()
        return queries.track_list()


@extend_schema_view(
    list=conditional_schema(
        summary="List the phases",
        description="Current phases of published tracks in track order (a sub-phase after its "
        "parent).",
        operation_id="phases_list",
        responses=list_responses(out.PhaseOut, choice_filters=False),
        examples=[examples.PHASE],
    ),
    retrieve=conditional_schema(
        summary="One phase with its topics",
        description="The phase, its own published topics, and its sub-phases with theirs.",
        operation_id="phases_retrieve",
        responses=detail_responses(out.PhaseDetailOut),
        examples=[examples.PHASE_DETAIL],
    ),
)
class PhaseViewSet(CurriculumViewSet):
    """Phases of the tracks (one level of sub-phases)."""

    noun = "phase"
    serializer_class = out.PhaseOut
    detail_serializer_class = out.PhaseDetailOut
    filterset_class = filters.PhaseFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "weeks_min", "weeks_max"]
    list_read = staticmethod(queries.api_phases)
    detail_read = staticmethod(queries.api_phase_detail)


@extend_schema_view(
    list=conditional_schema(
        summary="List and search the topics",
        description="Published topics in track order. `?search=` looks for every word in the "
        "title, summary or body.",
        operation_id="topics_list",
        responses=list_responses(out.TopicOut),
        examples=[examples.TOPIC],
    ),
    retrieve=conditional_schema(
        summary="One topic with its resources",
        description="The topic's sanitized HTML body, its resources with their link health, its "
        "technologies, certifications and skills, and its neighbours in track order.",
        operation_id="topics_retrieve",
        responses=detail_responses(out.TopicDetailOut),
        examples=[examples.TOPIC_DETAIL],
    ),
)
class TopicViewSet(CurriculumViewSet):
    """Topics: what to learn, with estimated hours, level and resources."""

    noun = "topic"
    serializer_class = out.TopicOut
    detail_serializer_class = out.TopicDetailOut
    filterset_class = filters.TopicFilter
    search_fields = ["title", "summary", "body"]
    ordering_fields = ["title", "hours", "level"]
    list_read = staticmethod(queries.api_topics)
    detail_read = staticmethod(queries.api_topic_detail)


@extend_schema_view(
    list=conditional_schema(
        summary="List the resources",
        description="Current resources (documentation, courses, books ...) of published topics "
        "and of skills, with the link checker's last verdict.",
        operation_id="resources_list",
        responses=list_responses(out.ResourceOut),
        examples=[examples.RESOURCE],
    ),
    retrieve=conditional_schema(
        summary="One resource by its id",
        operation_id="resources_retrieve",
        responses=detail_responses(out.ResourceOut, renamed=False),
        examples=[examples.RESOURCE],
    ),
)
class ResourceViewSet(CurriculumViewSet):
    """Resources of topics and skills, with link health."""

    noun = "resource"
    lookup_field = "pk"
    serializer_class = out.ResourceOut
    detail_serializer_class = out.ResourceOut
    filterset_class = filters.ResourceFilter
    search_fields = ["title", "provider", "note"]
    ordering_fields = ["title", "kind", "cost", "link_checked_at"]
    list_read = staticmethod(queries.api_resources)
    detail_read = staticmethod(queries.api_resource_detail)

    def renamed_or_not_found(self, pk: int) -> HttpResponsePermanentRedirect:
        raise exceptions.NotFound(f"No resource with the id {pk}.")


@extend_schema_view(
    list=conditional_schema(
        summary="List the skills",
        description="The skills employers look for, in their order.",
        operation_id="skills_list",
        responses=list_responses(out.SkillOut, choice_filters=False),
        examples=[examples.SKILL],
    ),
    retrieve=conditional_schema(
        summary="One skill with its levels and resources",
        description="Definition, use at work and how to demonstrate it (sanitized HTML), steps "
        "per level, resources, technologies, certifications and the topics that teach it.",
        operation_id="skills_retrieve",
        responses=detail_responses(out.SkillDetailOut),
        examples=[examples.SKILL_DETAIL],
    ),
)
class SkillViewSet(CurriculumViewSet):
    """Skills, each from beginner to advanced."""

    noun = "skill"
    serializer_class = out.SkillOut
    detail_serializer_class = out.SkillDetailOut
    filterset_class = filters.SkillFilter
    search_fields = ["name", "summary"]
    ordering_fields = ["name", "category"]
    list_read = staticmethod(queries.api_skills)
    detail_read = staticmethod(queries.api_skill_detail)


@extend_schema_view(
    list=conditional_schema(
        summary="List the certifications",
        description="Current certifications (credentials) by vendor, with their status and "
        "successor. Their exam versions are under /api/v1/exams/.",
        operation_id="certifications_list",
        responses=list_responses(out.CertificationOut),
        examples=[examples.CERTIFICATION],
    ),
    retrieve=conditional_schema(
        summary="One certification with the topics that prepare for it",
        operation_id="certifications_retrieve",
        responses=detail_responses(out.CertificationDetailOut),
        examples=[examples.CERTIFICATION_DETAIL],
    ),
)
class CertificationViewSet(CurriculumViewSet):
    """Certifications a learner can aim for."""

    noun = "certification"
    serializer_class = out.CertificationOut
    detail_serializer_class = out.CertificationDetailOut
    filterset_class = filters.CertificationFilter
    search_fields = ["name", "summary"]
    ordering_fields = ["name", "vendor", "level", "status"]
    list_read = staticmethod(queries.api_certifications)
    detail_read = staticmethod(queries.api_certification_detail)
