"""Search over topics, resources and skills: what it finds, what it hides, and that no input,
however long or odd, makes it fail (on SQLite here, on PostgreSQL where DATABASE_URL points)."""

import pytest
from django.utils import timezone

from curriculum.models import Resource, Skill, Topic
from curriculum.search import MAX_QUERY_LENGTH, SearchResults, clean_query, search
from tests.factories import (
    PhaseFactory,
    ResourceFactory,
    SkillFactory,
    TopicFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "\t\n\r",
    "\x00",
    "a\x00b",
    "\x00" * 300,
    "'",
    '"',
    '"unterminated phrase',
    "\\",
    "\\x00",
    "%",
    "_",
    "%_%",
    "' OR 1=1 --",
    "'; DROP TABLE curriculum_topic; --",
    "&|!():*<>",
    "a & b | !c",
    "!!!",
    "-",
    "- -",
    "--",
    "-python",
    "or",
    "OR AND NOT",
    "(((",
    ")))",
    "*",
    "?",
    "$1",
    "{}[]",
    "<script>alert(1)</script>",
    "🤖 robots",
    "\u202ereversed",
    "\u200b\u200d",
    "\ufeffbom",
    "\ud800 lone surrogate",
    "ǅ Ω≈ç√ ﷺ",
    "ＳａｇｅＭａｋｅｒ",
    "日本語 検索",
    "the",
    "a an the of",
    "x" * 10_000,
    "word " * 2_000,
    "ß" * 500,
    "null",
    "None",
]


@pytest.fixture
def content() -> dict:
    """Published content to find, and hidden content that must never be found."""
    track = TrackFactory(slug="ml-path", title="ML Path")
    phase = PhaseFactory(track=track, slug="ml-phase")
    found = {
        "title": TopicFactory(
            phase=phase, slug="kubernetes-basics", title="Kubernetes Basics", summary="Clusters."
        ),
        "summary": TopicFactory(
            phase=phase, slug="serving", title="Serving", summary="Deploy on Kubernetes clusters."
        ),
        "body": TopicFactory(
            phase=phase,
            slug="monitoring",
            title="Monitoring",
            summary="Watch models.",
            body="Scrape metrics from Kubernetes pods.",
        ),
        "both": TopicFactory(
            phase=phase,
            slug="feature-stores",
            title="Feature Stores",
            summary="Features for training and serving pipelines.",
        ),
    }
    draft_track = TrackFactory(slug="draft-path", status="draft")
    hidden = [
        TopicFactory(phase=phase, slug="draft-k8s", title="Kubernetes Draft", status="draft"),
        TopicFactory(
            phase=phase, slug="old-k8s", title="Kubernetes Old", archived_at=timezone.now()
        ),
        TopicFactory(
            phase=PhaseFactory(track=draft_track), slug="k8s-in-draft", title="Kubernetes"
        ),
    ]
    resources = {
        "doc": ResourceFactory(topic=found["title"], title="Kubernetes Documentation"),
        "provider": ResourceFactory(topic=found["body"], title="Docs", provider="Kubernetes.io"),
        "on_draft": ResourceFactory(topic=hidden[0], title="Kubernetes on a draft"),
        "archived": ResourceFactory(
            topic=found["title"], title="Kubernetes archived", archived_at=timezone.now()
        ),
    }
    skills = {
        "name": SkillFactory(slug="kubernetes", name="Kubernetes", summary="Orchestration."),
        "definition": SkillFactory(
            slug="mlops", name="MLOps", definition="Running models on Kubernetes."
        ),
        "archived": SkillFactory(
            slug="old-skill", name="Kubernetes Old Skill", archived_at=timezone.now()
        ),
    }
    resources["on_skill"] = ResourceFactory(
        topic=None, skill=skills["name"], title="Kubernetes in Action", kind="book"
    )
    return {"topics": found, "hidden": hidden, "resources": resources, "skills": skills}


def slugs(results: SearchResults) -> set[str]:
    return {topic.slug for topic in results.topics}


# --- cleaning -----------------------------------------------------------------------------------


def test_clean_query_removes_nul_and_control_characters():
    assert clean_query("a\x00b\x07c\n d") == "a b c d"


def test_clean_query_drops_lone_surrogates():
    assert clean_query("\ud800abc\udfff") == "abc"


def test_clean_query_normalises_compatibility_characters():
    assert clean_query("ＳａｇｅＭａｋｅｒ") == "SageMaker"


def test_clean_query_is_cut_to_the_maximum_length():
    cleaned = clean_query("word " * 1_000)
    assert len(cleaned) <= MAX_QUERY_LENGTH
    assert cleaned.startswith("word word")
    assert not cleaned.endswith(" ")


# --- what it finds ------------------------------------------------------------------------------


def test_empty_query_finds_nothing_without_querying(django_assert_num_queries):
    with django_assert_num_queries(0):
        results = search("  \x00  ")
    assert results.query == ""
    assert results.total == 0


def test_search_finds_topics_by_title_summary_and_body(content):
    results = search("kubernetes")
    assert slugs(results) == {"kubernetes-basics", "serving", "monitoring"}


def test_title_matches_rank_first(content):
    results = search("kubernetes")
    assert results.topics[0].slug == "kubernetes-basics"
    assert results.skills[0].slug == "kubernetes"


def test_every_word_must_match(content):
    assert slugs(search("serving pipelines")) == {"feature-stores"}
    assert slugs(search("kubernetes pipelines")) == set()


def test_search_is_case_insensitive(content):
    assert "kubernetes-basics" in slugs(search("KUBERNETES"))


def test_search_finds_resources_by_title_and_provider(content):
    results = search("kubernetes")
    titles = {resource.title for resource in results.resources}
    assert titles == {"Kubernetes Documentation", "Docs", "Kubernetes in Action"}


def test_search_finds_skills_by_name_and_definition(content):
    assert {skill.slug for skill in search("kubernetes").skills} == {"kubernetes", "mlops"}


def test_search_never_shows_drafts_archived_rows_or_drafts_tracks(content):
    results = search("kubernetes")
    hidden = {topic.slug for topic in content["hidden"]}
    assert not slugs(results) & hidden
    assert "Kubernetes on a draft" not in {resource.title for resource in results.resources}
    assert "Kubernetes archived" not in {resource.title for resource in results.resources}
    assert "old-skill" not in {skill.slug for skill in results.skills}


def test_results_are_model_instances_with_what_the_page_shows(content):
    results = search("kubernetes")
    assert all(isinstance(topic, Topic) for topic in results.topics)
    assert all(isinstance(resource, Resource) for resource in results.resources)
    assert all(isinstance(skill, Skill) for skill in results.skills)
    assert results.topics[0].phase.track.title == "ML Path"


def test_limit_caps_each_list(content):
    results = search("kubernetes", limit=1)
    assert len(results.topics) == 1
    assert len(results.resources) == 1
    assert len(results.skills) == 1
    assert search("kubernetes", limit=-5).total == 0


def test_wildcard_characters_are_literal(content):
    assert search("%").total == 0
    assert search("_").total == 0


# --- any input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", NASTY)
def test_any_query_gives_results_or_nothing(content, query):
    results = search(query)
    assert isinstance(results.topics, list)
    assert len(results.query) <= MAX_QUERY_LENGTH
    assert "\x00" not in results.query


@pytest.mark.parametrize("query", [q for q in NASTY if "\ud800" not in q])
def test_search_page_never_fails(client, content, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "raw", ["%ED%A0%80", "%FF%FE", "%00", "%C0%80", "%E2%80%AE", "%", "%%%", "q%ZZ"]
)
def test_search_page_accepts_undecodable_query_strings(client, content, raw):
    response = client.get(f"/search/?q={raw}&q=second")
    assert response.status_code == 200


# --- PostgreSQL full-text search ----------------------------------------------------------------


def test_postgres_matches_word_forms(postgres, content):
    assert "serving" in slugs(search("cluster"))  # "clusters" in its summary


def test_postgres_ranks_summary_above_body(postgres, content):
    ranked = [topic.slug for topic in search("kubernetes").topics]
    assert ranked.index("serving") < ranked.index("monitoring")


def test_postgres_accepts_websearch_syntax(postgres, content):
    assert "kubernetes-basics" not in slugs(search("kubernetes -clusters"))
    assert slugs(search('"kubernetes pods"')) == {"monitoring"}
    assert "serving" in slugs(search("nonsenseword or clusters"))


def test_postgres_finds_partial_words_in_titles(postgres, content):
    assert "kubernetes-basics" in slugs(search("kuber"))


@pytest.mark.parametrize("query", NASTY)
def test_postgres_any_query_gives_results_or_nothing(postgres, content, query):
    assert isinstance(search(query).topics, list)
