"""Search over what a visitor can see: published topics, their resources, and skills.

On PostgreSQL it is full-text search (`websearch_to_tsquery`, which accepts any input) ranked with
weights (title A, summary B, body C), plus titles and names containing the text as typed, so
partial words and dotted names still find something. Elsewhere (SQLite in development) every
word must appear in one of the same fields, titles first. Any string is accepted: it is cleaned
and cut to MAX_QUERY_LENGTH first, and an empty query finds nothing.
"""

import operator
import unicodedata
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, FloatField, Q, QuerySet, Value, When

from . import queries
from .models import Resource, Skill, Topic

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12  # the fallback builds one condition per word
CONFIG = "english"


@dataclass
class SearchResults:
    query: str
    topics: list[Topic] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.topics) + len(self.resources) + len(self.skills)


@dataclass(frozen=True)
class Target:
    """What to search in one model: its fields by weight (the first is its title), and the
    short fields that also match when they contain the query as typed (full-text search splits
    "Kubernetes.io" or "scikit-learn" into tokens a word would not match)."""

    weights: dict[str, str]
    names: tuple[str, ...]

    @property
    def title(self) -> str:
        return next(iter(self.weights))

    def names_contain(self, text: str) -> Q:
        return reduce(operator.or_, (Q(**{f"{name}__icontains": text}) for name in self.names))


TOPICS = Target({"title": "A", "summary": "B", "body": "C"}, names=("title",))
RESOURCES = Target({"title": "A", "provider": "B", "note": "B"}, names=("title", "provider"))
SKILLS = Target(
    {"name": "A", "summary": "B", "definition": "C", "real_world": "C", "demonstrate": "C"},
    names=("name",),
)


def clean_query(query: str) -> str:
    """The query as text a database accepts: NFKC-normalised, control characters (NUL, which
    PostgreSQL rejects) turned into spaces, lone surrogates dropped, whitespace collapsed, and at
    most MAX_QUERY_LENGTH characters."""
    text = unicodedata.normalize("NFKC", query[: MAX_QUERY_LENGTH * 4])
    kept = []
    for character in text:
        category = unicodedata.category(character)
        if category == "Cs":
            continue
        kept.append(" " if category == "Cc" else character)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].strip()


def _full_text(rows: QuerySet, target: Target, query: str) -> QuerySet:
    vector = reduce(
        operator.add,
        (
            SearchVector(name, weight=weight, config=CONFIG)
            for name, weight in target.weights.items()
        ),
    )
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    return (
        rows.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(Q(document=search_query) | target.names_contain(query))
        .order_by("-rank", target.title, "pk")
    )


def _every_word(rows: QuerySet, target: Target, query: str) -> QuerySet:
    words = query.split()[:MAX_WORDS]
    per_word = (
        reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in target.weights))
        for word in words
    )
    in_title = Q(**{f"{target.title}__icontains": query})
    rank = Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return (
        rows.filter(reduce(operator.and_, per_word))
        .annotate(rank=rank)
        .order_by("-rank", target.title, "pk")
    )


def _matching(rows: QuerySet, target: Target, query: str, limit: int) -> list:
    method = _full_text if connection.vendor == "postgresql" else _every_word
    return list(method(rows, target, query)[:limit])


def search(query: str, *, limit: int = 20) -> SearchResults:
    """Topics, resources and skills matching `query`, best first, at most `limit` of each (three
    queries; none for an empty query)."""
    text = clean_query(query or "")
    limit = max(0, limit)
    if not text or not limit:
        return SearchResults(text)
    topics = queries.with_places(queries.visible_topics())
    resources = queries.visible_resources().select_related("topic", "skill")
    skills = Skill.objects.current()
    return SearchResults(
        text,
        topics=_matching(topics, TOPICS, text, limit),
        resources=_matching(resources, RESOURCES, text, limit),
        skills=_matching(skills, SKILLS, text, limit),
    )
