"""The public, read-only curriculum API: what a visitor may see, nested details, filters, search
that survives any string, pagination, problem details, renamed slugs, and query counts that do
not grow with the amount of content."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import yaml
from django.core.management import call_command

from curriculum.models import Resource, SlugRedirect, Topic
from tests.factories import (
    CertificationFactory,
    PhaseFactory,
    ResourceFactory,
    SkillFactory,
    SkillLevelFactory,
    TechnologyFactory,
    TopicFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
ARCHIVED = datetime(2026, 1, 1, tzinfo=UTC)
CHECKED = datetime(2026, 11, 23, 3, 12, 40, tzinfo=UTC)


@pytest.fixture
def world():
    """A published track (a phase with a sub-phase), what it hides (drafts, archived rows, a
    draft track), and the skills, technologies and certifications its topics use."""
    docker = TechnologyFactory(slug="docker", name="Docker")
    new_cert = CertificationFactory(slug="ai-200", name="AI Cloud Developer", vendor="Microsoft")
    old_cert = CertificationFactory(
        slug="az-204", name="Azure Developer", vendor="Microsoft", status="retired"
    )
    old_cert.successor = new_cert
    old_cert.retired_on = date(2026, 7, 31)
    old_cert.save()
    aws = CertificationFactory(slug="dva", name="AWS Developer", vendor="AWS")
    CertificationFactory(slug="archived-cert", archived_at=ARCHIVED)
    python = SkillFactory(slug="python", name="Python", category="Programming")
    for level in ("advanced", "beginner", "intermediate"):  # stored out of order
        SkillLevelFactory(skill=python, level=level, steps=f"- {level} **step**")
    sql = SkillFactory(slug="sql", name="SQL", category="Data")
    SkillFactory(slug="archived-skill", archived_at=ARCHIVED)

    track = TrackFactory(slug="ml-path", title="ML Path", position=1)
    foundations = PhaseFactory(slug="foundations", track=track, position=1, weeks_min=2)
    sub = PhaseFactory(slug="foundations-a", track=track, parent=foundations, position=1)
    later = PhaseFactory(slug="later", track=track, position=2)
    containers = TopicFactory(
        slug="containers", title="Containers", phase=sub, body="Run `docker run`.", hours=6
    )
    containers.technologies.add(docker)
    containers.certifications.add(old_cert)
    containers.skills.add(python)
    review = TopicFactory(
        slug="review", title="Review", phase=foundations, level="intermediate", hours=2
    )
    review.skills.add(sql)
    deploy = TopicFactory(slug="deploy", title="Deploy", phase=later, level="advanced")
    deploy.certifications.add(aws)
    draft = TopicFactory(slug="draft-topic", phase=later, status="draft")
    TopicFactory(slug="archived-topic", phase=later, archived_at=ARCHIVED)
    hidden_phase = PhaseFactory(slug="archived-phase", track=track, archived_at=ARCHIVED)
    TopicFactory(slug="in-archived-phase", phase=hidden_phase)
    draft_track = TrackFactory(slug="draft-track", status="draft")
    TopicFactory(slug="in-draft-track", phase=PhaseFactory(slug="draft-phase", track=draft_track))
    TrackFactory(slug="archived-track", archived_at=ARCHIVED)

    docs = ResourceFactory(
        topic=containers, title="Docker docs", kind="doc", link_status="ok", link_checked_at=CHECKED
    )
    book = ResourceFactory(
        topic=containers, title="Docker book", kind="book", cost="paid", link_status="broken"
    )
    ResourceFactory(topic=containers, title="Gone", archived_at=ARCHIVED)
    ResourceFactory(topic=draft, title="On a draft topic")
    on_skill = ResourceFactory(topic=None, skill=python, title="Python book", kind="book")
    return SimpleNamespace(
        track=track, containers=containers, review=review, deploy=deploy, docs=docs, book=book,
        on_skill=on_skill, python=python, old_cert=old_cert, new_cert=new_cert,
    )  # fmt: skip


def results(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(client, url: str) -> list[str]:
    return [item["slug"] for item in results(client, url)]


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["status"], body["type"]) == (status, f"/api/problems/{code}")
    return body


# --- tracks and phases --------------------------------------------------------------------------


def test_track_list_shows_published_tracks_with_totals(client, world):
    body = client.get("/api/v1/tracks/").json()
    assert body["count"] == 1
    track = body["results"][0]
    assert track["slug"] == "ml-path"
    assert (track["topic_count"], track["hours"]) == (3, 12.0)
    assert track["url"] == "http://testserver" + world.track.get_absolute_url()


def test_track_detail_nests_phases_sub_phases_and_topic_summaries(client, world):
    body = client.get("/api/v1/tracks/ml-path/").json()
    assert body["body_html"] == "<p>What this path is for.</p>"
    assert [phase["slug"] for phase in body["phases"]] == ["foundations", "later"]
    foundations = body["phases"][0]
    assert [topic["slug"] for topic in foundations["topics"]] == ["review"]
    assert [sub["slug"] for sub in foundations["sub_phases"]] == ["foundations-a"]
    assert foundations["sub_phases"][0]["topics"] == [
        {"slug": "containers", "title": "Containers", "summary": "A topic.", "level": "beginner",
         "hours": 6.0},
    ]  # fmt: skip
    assert (foundations["topic_count"], foundations["hours"]) == (2, 8.0)
    assert [topic["slug"] for topic in body["phases"][1]["topics"]] == ["deploy"]


def test_phase_list_is_in_track_order_and_filters_by_track(client, world):
    assert slugs(client, "/api/v1/phases/") == ["foundations", "foundations-a", "later"]
    other = PhaseFactory(slug="elsewhere", track=TrackFactory(slug="other-track"))
    assert slugs(client, "/api/v1/phases/?track=other-track") == [other.slug]
    first = results(client, "/api/v1/phases/?track=ml-path")[1]
    assert first["parent"] == {"slug": "foundations", "title": "Foundations"}
    assert first["track"] == {"slug": "ml-path", "title": "ML Path"}


def test_phase_detail_nests_its_topics_and_sub_phases(client, world):
    body = client.get("/api/v1/phases/foundations/").json()
    assert [topic["slug"] for topic in body["topics"]] == ["review"]
    assert [sub["slug"] for sub in body["sub_phases"]] == ["foundations-a"]
    assert [topic["slug"] for topic in body["sub_phases"][0]["topics"]] == ["containers"]
    assert body["parent"] is None
    assert body["url"].endswith("/ml-path/foundations/")


# --- topics -------------------------------------------------------------------------------------


def test_topic_list_shows_only_what_a_visitor_can_see(client, world):
    assert slugs(client, "/api/v1/topics/") == ["containers", "review", "deploy"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("track=ml-path", ["containers", "review", "deploy"]),
        ("track=draft-track", []),
        ("phase=foundations", ["containers", "review"]),  # its sub-phase's topics too
        ("phase=foundations-a", ["containers"]),
        ("level=intermediate", ["review"]),
        ("technology=docker", ["containers"]),
        ("certification=az-204", ["containers"]),
        ("certification=dva", ["deploy"]),
        ("skill=sql", ["review"]),
        ("skill=python&level=beginner", ["containers"]),
        ("skill=python&level=advanced", []),
        ("technology=no-such-technology", []),
    ],
)
def test_topic_filters(client, world, query, expected):
    assert slugs(client, f"/api/v1/topics/?{query}") == expected


def test_topic_filter_ignores_an_archived_technology(client, world):
    world.containers.technologies.add(TechnologyFactory(slug="old-tool", archived_at=ARCHIVED))
    assert slugs(client, "/api/v1/topics/?technology=old-tool") == []


def test_topic_detail_has_html_body_resources_and_references(client, world):
    body = client.get("/api/v1/topics/containers/").json()
    assert body["body_html"] == "<p>Run <code>docker run</code>.</p>"
    assert "body" not in body
    assert body["url"] == "http://testserver" + world.containers.get_absolute_url()
    assert body["track"] == {"slug": "ml-path", "title": "ML Path"}
    assert body["phase"] == {"slug": "foundations-a", "title": "Foundations A"}
    assert body["technologies"] == [{"slug": "docker", "name": "Docker"}]
    assert body["certifications"] == [{"slug": "az-204", "name": "Azure Developer"}]
    assert body["skills"] == [{"slug": "python", "name": "Python"}]
    assert (body["previous"], body["next"]["slug"]) == (None, "review")


def test_topic_detail_lists_current_resources_with_link_health(client, world):
    resources = client.get("/api/v1/topics/containers/").json()["resources"]
    assert [resource["title"] for resource in resources] == ["Docker docs", "Docker book"]
    docs, book = resources
    assert (docs["link_status"], docs["link_checked_at"]) == ("ok", "2026-11-23T03:12:40Z")
    assert (book["link_status"], book["link_checked_at"]) == ("broken", None)


# --- resources ----------------------------------------------------------------------------------


def titles(client, url: str) -> list[str]:
    return sorted(item["title"] for item in results(client, url))


def test_resource_list_shows_current_resources_of_visible_owners(client, world):
    expected = ["Docker book", "Docker docs", "Python book"]
    assert titles(client, "/api/v1/resources/") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=containers", ["Docker book", "Docker docs"]),
        ("topic=draft-topic", []),
        ("skill=python", ["Python book"]),
        ("kind=book", ["Docker book", "Python book"]),
        ("cost=paid", ["Docker book"]),
        ("link_status=ok", ["Docker docs"]),
        ("link_status=broken", ["Docker book"]),
        ("link_status=unchecked", ["Python book"]),
        ("kind=book&topic=containers", ["Docker book"]),
    ],
)
def test_resource_filters(client, world, query, expected):
    assert titles(client, f"/api/v1/resources/?{query}") == expected


def test_resource_detail_names_its_owner(client, world):
    body = client.get(f"/api/v1/resources/{world.on_skill.pk}/").json()
    assert body["title"] == "Python book"
    assert (body["topic"], body["skill"]) == (None, {"slug": "python", "name": "Python"})
    body = client.get(f"/api/v1/resources/{world.docs.pk}/").json()
    assert body["topic"] == {"slug": "containers", "title": "Containers"}
    assert body["link_status"] == "ok"


@pytest.mark.parametrize("title", ["Gone", "On a draft topic"])
def test_hidden_resource_is_a_404_problem(client, world, title):
    resource = Resource.objects.get(title=title)
    body = assert_problem(client.get(f"/api/v1/resources/{resource.pk}/"), 404, "not_found")
    assert str(resource.pk) in body["detail"]


# --- skills and certifications ------------------------------------------------------------------


def test_skill_list_hides_archived_skills_and_filters_by_category(client, world):
    assert slugs(client, "/api/v1/skills/") == ["python", "sql"]
    assert slugs(client, "/api/v1/skills/?category=data") == ["sql"]


def test_skill_detail_has_levels_in_order_resources_and_topics(client, world):
    body = client.get("/api/v1/skills/python/").json()
    assert [level["level"] for level in body["levels"]] == ["beginner", "intermediate", "advanced"]
    assert body["levels"][0]["steps_html"] == "<ul>\n<li>beginner <strong>step</strong></li>\n</ul>"
    assert body["definition_html"] == "<p>What it is.</p>"
    assert [resource["title"] for resource in body["resources"]] == ["Python book"]
    assert body["tracks"][0]["track"]["slug"] == "ml-path"
    assert [topic["slug"] for topic in body["tracks"][0]["topics"]] == ["containers"]


def test_certification_list_filters_by_vendor_and_status(client, world):
    assert slugs(client, "/api/v1/certifications/") == ["dva", "ai-200", "az-204"]
    assert slugs(client, "/api/v1/certifications/?vendor=microsoft") == ["ai-200", "az-204"]
    assert slugs(client, "/api/v1/certifications/?status=retired") == ["az-204"]


def test_certification_detail_has_successor_predecessors_topics_and_skills(client, world):
    world.python.certifications.add(world.old_cert)
    old = client.get("/api/v1/certifications/az-204/").json()
    assert old["successor"] == {"slug": "ai-200", "name": "AI Cloud Developer"}
    assert old["retired_on"] == "2026-07-31"
    assert [group["track"]["slug"] for group in old["tracks"]] == ["ml-path"]
    assert [topic["slug"] for topic in old["tracks"][0]["topics"]] == ["containers"]
    assert old["skills"] == [{"slug": "python", "name": "Python"}]
    new = client.get("/api/v1/certifications/ai-200/").json()
    assert new["predecessors"] == [{"slug": "az-204", "name": "Azure Developer"}]


def test_archived_successor_is_not_shown(client, world):
    world.new_cert.archived_at = ARCHIVED
    world.new_cert.save()
    assert client.get("/api/v1/certifications/az-204/").json()["successor"] is None
    listed = results(client, "/api/v1/certifications/?status=retired")
    assert listed[0]["successor"] is None


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("containers", ["containers"]),
        ("CONTAINERS", ["containers"]),
        ("docker run", ["containers"]),  # every word, in any of title, summary, body
        ('"docker run"', ["containers"]),
        ("docker deploy", []),
        ("", ["containers", "review", "deploy"]),
    ],
)
def test_topic_search(client, world, query, expected):
    assert slugs(client, f"/api/v1/topics/?search={query}") == expected


def test_search_combines_with_filters(client, world):
    assert slugs(client, "/api/v1/topics/?search=e&level=advanced") == ["deploy"]


ODD_SEARCHES = {
    "5000 characters": "a" * 5000,
    "5000 words": "a " * 2500,
    "NUL byte": "docker\x00run",
    "only NUL": "\x00",
    "emoji": "🐳 containers 🚀",
    "SQL": "'; DROP TABLE curriculum_topic; --",
    "percent": "%",
    "underscore": "_",
    "backslash": "\\",
    "quotes": '"\'"',
    "unbalanced quote": '"docker',
    "control characters": "\x01\x1f\x7f",
    "right-to-left": "\u202edocker",
}
SEARCHABLE = ["phases", "topics", "resources", "skills", "certifications"]


@pytest.mark.parametrize("endpoint", SEARCHABLE)
@pytest.mark.parametrize("text", ODD_SEARCHES.values(), ids=ODD_SEARCHES.keys())
def test_any_search_string_answers_a_page(client, world, endpoint, text):
    response = client.get(f"/api/v1/{endpoint}/", {"search": text})
    assert response.status_code == 200, response.content
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize("text", ["%", "_", "a" * 5000, "🐳", "'; --"])
def test_odd_search_strings_match_literally(client, world, text):
    assert slugs(client, f"/api/v1/topics/?search={text}") == []


def test_a_nul_byte_in_search_separates_words(client, world):
    assert slugs(client, "/api/v1/topics/?search=contai%00ners") == ["containers"]


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["level=expert", "kind=podcast", "cost=cheap", "link_status=dead", "status=gone"]
)
def test_a_choice_filter_outside_its_choices_is_a_400_problem(client, world, query):
    name = query.split("=")[0]
    endpoint = (
        "certifications" if name == "status" else "topics" if name == "level" else "resources"
    )
    body = assert_problem(client.get(f"/api/v1/{endpoint}/?{query}"), 400, "invalid")
    assert name in body["errors"]


@pytest.mark.parametrize("value", ["x" * 5000, "🐳", "' OR 1=1 --", "%25", "_"])
def test_odd_slug_filters_find_nothing(client, world, value):
    response = client.get("/api/v1/topics/", {"track": value, "technology": value})
    assert response.json()["results"] == []


@pytest.mark.parametrize("name", ["track", "phase", "technology", "certification", "skill"])
def test_a_nul_byte_in_a_slug_filter_is_a_400_problem(client, world, name):
    body = assert_problem(client.get("/api/v1/topics/", {name: "ml\x00path"}), 400, "invalid")
    assert name in body["errors"]


def test_ordering_by_an_allowed_field(client, world):
    assert slugs(client, "/api/v1/topics/?ordering=-title") == ["review", "deploy", "containers"]


@pytest.mark.parametrize("query", ["ordering=body", "ordering=nonsense", "ordering=%00"])
def test_ordering_by_another_field_is_ignored(client, world, query):
    assert slugs(client, f"/api/v1/topics/?{query}") == ["containers", "review", "deploy"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tracks/no-such-track/",
        "/api/v1/tracks/draft-track/",
        "/api/v1/tracks/archived-track/",
        "/api/v1/phases/archived-phase/",
        "/api/v1/phases/draft-phase/",
        "/api/v1/topics/draft-topic/",
        "/api/v1/topics/archived-topic/",
        "/api/v1/topics/in-archived-phase/",
        "/api/v1/topics/in-draft-track/",
        "/api/v1/skills/archived-skill/",
        "/api/v1/certifications/archived-cert/",
        "/api/v1/resources/999999/",
    ],
)
def test_unknown_archived_or_draft_is_a_404_problem(client, world, path):
    body = assert_problem(client.get(path), 404, "not_found")
    assert path.split("/")[-2] in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/topics/%00/",
        "/api/v1/topics/caf%C3%A9/",
        "/api/v1/topics/" + "x" * 5000 + "/",
        "/api/v1/resources/not-a-number/",
        "/api/v1/resources/99999999999999999999999/",
    ],
)
def test_odd_detail_paths_are_a_404_problem(client, world, path):
    assert_problem(client.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("kind", "endpoint", "new_slug"),
    [("track", "tracks", "ml-path"), ("phase", "phases", "foundations"),
     ("topic", "topics", "containers")],
)  # fmt: skip
def test_renamed_slug_redirects_to_the_new_one(client, world, kind, endpoint, new_slug):
    SlugRedirect.objects.create(kind=kind, old_slug="old-name", new_slug=new_slug)
    response = client.get(f"/api/v1/{endpoint}/old-name/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/{endpoint}/{new_slug}/"
    assert client.get(response["Location"]).json()["slug"] == new_slug


def test_a_redirect_is_only_followed_for_its_kind(client, world):
    SlugRedirect.objects.create(kind="phase", old_slug="old-name", new_slug="foundations")
    assert_problem(client.get("/api/v1/topics/old-name/"), 404, "not_found")


def test_a_visible_slug_wins_over_a_redirect(client, world):
    SlugRedirect.objects.create(kind="topic", old_slug="review", new_slug="containers")
    assert client.get("/api/v1/topics/review/").json()["slug"] == "review"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/topics/", "/api/v1/topics/containers/"])
def test_writes_are_a_405_problem(client, world, method, path):
    response = getattr(client, method)(path, data={}, content_type="application/json")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


# --- pagination ---------------------------------------------------------------------------------


def test_lists_are_paginated(client, world):
    first = client.get("/api/v1/topics/?page_size=2").json()
    assert (first["count"], len(first["results"])) == (3, 2)
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [topic["slug"] for topic in second["results"]] == ["deploy"]
    assert second["next"] is None


def test_page_size_is_capped_at_100(client, db):
    topic = TopicFactory()
    Resource.objects.bulk_create(
        Resource(topic=topic, title=f"R{index}", kind="doc", url=f"https://x.test/{index}")
        for index in range(105)
    )
    body = client.get("/api/v1/resources/?page_size=1000").json()
    assert (body["count"], len(body["results"])) == (105, 100)


def test_a_page_past_the_last_is_a_404_problem(client, world):
    assert_problem(client.get("/api/v1/topics/?page=9"), 404, "not_found")


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "page=%00", "page=99999999999999999999999"]
)
def test_a_bad_page_number_is_a_404_problem(client, world, query):
    assert_problem(client.get(f"/api/v1/topics/?{query}"), 404, "not_found")


@pytest.mark.parametrize("query", ["page_size=0", "page_size=-5", "page_size=abc", "page_size="])
def test_a_bad_page_size_falls_back_to_the_default(client, world, query):
    assert len(results(client, f"/api/v1/topics/?{query}")) == 3


# --- query counts -------------------------------------------------------------------------------


def build(size: int) -> None:
    """Content that grows with `size` in every direction an endpoint nests: tracks, phases,
    sub-phases, topics, resources, levels, and related technologies, certifications, skills."""
    technologies = [TechnologyFactory(slug=f"tech-{n}") for n in range(size)]
    certifications = [CertificationFactory(slug=f"cert-{n}") for n in range(size)]
    for older, newer in zip(certifications, certifications[1:], strict=False):
        older.successor = newer
        older.save()
    skills = [SkillFactory(slug=f"skill-{n}") for n in range(size)]
    for skill in skills:
        for level in ("beginner", "intermediate", "advanced"):
            SkillLevelFactory(skill=skill, level=level)
        ResourceFactory.create_batch(size, topic=None, skill=skill)
        skill.technologies.add(*technologies)
        skill.certifications.add(*certifications)
    for track_number in range(size):
        track = TrackFactory(slug=f"track-{track_number}")
        for phase_number in range(size):
            phase = PhaseFactory(slug=f"phase-{track_number}-{phase_number}", track=track)
            subs = [PhaseFactory(track=track, parent=phase) for _ in range(size)]
            for owner in [phase, *subs]:
                for _ in range(size):
                    topic = TopicFactory(phase=owner)
                    topic.technologies.add(*technologies)
                    topic.certifications.add(*certifications)
                    topic.skills.add(*skills)
                    ResourceFactory.create_batch(size, topic=topic)


ENDPOINTS = {
    # path: queries (what they are)
    "/api/v1/tracks/": 1,  # tracks with their totals
    "/api/v1/tracks/track-0/": 3,  # track, phases, topics
    "/api/v1/phases/?page_size=100": 2,  # count, phases with track and parent
    "/api/v1/phases/?track=track-0&search=phase": 2,
    "/api/v1/phases/phase-0-0/": 3,  # phase, sub-phases, topics
    "/api/v1/topics/?page_size=100": 2,  # count, topics with phase and track
    "/api/v1/topics/?skill=skill-0&certification=cert-0&technology=tech-0&search=topic": 2,
    "/api/v1/topics/topic-first/": 6,  # topic, resources, technologies, certifications, skills,
    # the track's topic sequence (previous / next)
    "/api/v1/resources/?page_size=100": 2,  # count, resources with topic and skill
    "/api/v1/resources/?link_status=unchecked&kind=doc&search=resource": 2,
    "/api/v1/resources/first/": 1,
    "/api/v1/skills/?page_size=100": 2,
    "/api/v1/skills/skill-0/": 6,  # skill, levels, resources, technologies, certifications, topics
    "/api/v1/certifications/?page_size=100": 2,  # count, certifications with successor
    "/api/v1/certifications/cert-0/": 4,  # certification, predecessors, topics, skills
}


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize(("path", "queries"), ENDPOINTS.items(), ids=ENDPOINTS.keys())
def test_query_count_does_not_grow_with_content(
    client, django_assert_num_queries, size, path, queries
):
    build(size)
    first_topic = Topic.objects.filter(phase__slug="phase-0-0").first()
    path = path.replace("topic-first", first_topic.slug)
    path = path.replace("resources/first", f"resources/{Resource.objects.first().pk}")
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    if "results" in body:
        assert body["results"], "the endpoint should find content at every size"


# --- schema -------------------------------------------------------------------------------------


def test_schema_documents_every_curriculum_operation(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for name in ["tracks", "phases", "topics", "resources", "skills", "certifications"]:
        key = "{id}" if name == "resources" else "{slug}"
        listing = schema["paths"][f"/api/v1/{name}/"]["get"]
        detail = schema["paths"][f"/api/v1/{name}/{key}/"]["get"]
        for operation in (listing, detail):
            assert operation["summary"], name
            assert operation["responses"]["200"]["content"]["application/json"]["examples"], name
        assert PROBLEM in detail["responses"]["404"]["content"]
        assert PROBLEM in listing["responses"]["404"]["content"]
        assert {"page", "page_size"} <= {parameter["name"] for parameter in listing["parameters"]}
    topics = schema["paths"]["/api/v1/topics/"]["get"]
    assert {parameter["name"] for parameter in topics["parameters"]} >= {
        "track", "phase", "level", "technology", "certification", "skill", "search", "ordering",
    }  # fmt: skip
    assert "301" in schema["paths"]["/api/v1/topics/{slug}/"]["get"]["responses"]
    assert schema["components"]["schemas"]["StudyLevelEnum"]["enum"] == [
        "beginner", "intermediate", "advanced",
    ]  # fmt: skip


def test_schema_generates_and_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "/api/v1/topics/{slug}/" in (tmp_path / "s.yaml").read_text()
