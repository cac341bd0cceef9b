"""Query-string filters of the curriculum API (`?track=`, `?level=`, `?search=` ...).

Slug filters match nothing (an empty page) for an unknown slug; choice filters answer 400 for a
value outside their choices, as every django-filter FilterSet does under portal/api.py.
"""

from collections.abc import Callable

import django_filters
from django.db.models import Q, QuerySet
from rest_framework import filters
from rest_framework.request import Request

from .models import Certification, Level, LinkStatus, Phase, Resource, Skill, Topic
from .search import MAX_QUERY_LENGTH, MAX_WORDS, clean_query

SLUG_HELP = "A {}'s slug."


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=` (every word must appear in one of the view's `search_fields`), safe for
    any string: the text is cleaned as the site search cleans it (curriculum.search.clean_query:
    control characters such as NUL, which PostgreSQL refuses, become spaces; at most
    MAX_QUERY_LENGTH characters) and only the first MAX_WORDS words are used, so the answer is a
    page of results or an empty one, never a 400 or a 500."""

    search_description = (
        f"Words to find (case-insensitive; every word must match; quotes keep a phrase "
        f"together). Only the first {MAX_QUERY_LENGTH} characters and {MAX_WORDS} words are used."
    )

    def get_search_terms(self, request: Request) -> list[str]:
        text = clean_query(request.query_params.get(self.search_param, ""))
        return filters.search_smart_split(text)[:MAX_WORDS]


def _current_related(relation: str) -> Callable[[QuerySet, str, str], QuerySet]:
    """A filter method: rows related through `relation` to the current row with this slug."""

    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            **{f"{relation}__slug": value, f"{relation}__archived_at__isnull": True}
        )

    return method


class PhaseFilter(django_filters.FilterSet):
    track = django_filters.CharFilter(field_name="track__slug", help_text=SLUG_HELP.format("track"))

    class Meta:
        model = Phase
        fields = ["track"]


class TopicFilter(django_filters.FilterSet):
    track = django_filters.CharFilter(
        field_name="phase__track__slug", help_text=SLUG_HELP.format("track")
    )
    phase = django_filters.CharFilter(
        method="filter_phase", help_text="A phase's slug; includes the topics of its sub-phases."
    )
    level = django_filters.ChoiceFilter(choices=Level.choices)
    technology = django_filters.CharFilter(
        method=_current_related("technologies"), help_text=SLUG_HELP.format("technology")
    )
    certification = django_filters.CharFilter(
        method=_current_related("certifications"), help_text=SLUG_HELP.format("certification")
    )
    skill = django_filters.CharFilter(
        method=_current_related("skills"), help_text=SLUG_HELP.format("skill")
    )

    class Meta:
        model = Topic
        fields = ["track", "phase", "level", "technology", "certification", "skill"]

    def filter_phase(self, queryset: QuerySet[Topic], name: str, value: str) -> QuerySet[Topic]:
        return queryset.filter(Q(phase__slug=value) | Q(phase__parent__slug=value))


class ResourceFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text=SLUG_HELP.format("topic"))
    skill = django_filters.CharFilter(field_name="skill__slug", help_text=SLUG_HELP.format("skill"))
    kind = django_filters.ChoiceFilter(choices=Resource.Kind.choices)
    cost = django_filters.ChoiceFilter(choices=Resource.Cost.choices)
    link_status = django_filters.ChoiceFilter(
        choices=LinkStatus.choices, help_text="The link checker's last verdict."
    )

    class Meta:
        model = Resource
        fields = ["topic", "skill", "kind", "cost", "link_status"]


class SkillFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(lookup_expr="iexact", help_text="Engineering, Data ...")

    class Meta:
        model = Skill
        fields = ["category"]


class CertificationFilter(django_filters.FilterSet):
    vendor = django_filters.CharFilter(lookup_expr="iexact", help_text="AWS, Microsoft ...")
    status = django_filters.ChoiceFilter(choices=Certification.Lifecycle.choices)

    class Meta:
        model = Certification
        fields = ["vendor", "status"]
