"""Every curriculum page runs the same number of queries whatever the amount of content: each is
rendered with one unit of content, then with three, and the counts must match."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import Certification, Phase, Skill, Topic, Track
from curriculum.search import search
from tests.factories import (
    CertificationFactory,
    PhaseFactory,
    ResourceFactory,
    SkillFactory,
    SkillLevelFactory,
    TechnologyFactory,
    TopicFactory,
    TrackFactory,
    UserFactory,
)
from tests.quizzes.factories import ExamFactory

pytestmark = pytest.mark.django_db

WORD = "Kubernetes"  # in every grown title, so search results grow too


@dataclass
class World:
    track: Track
    phase: Phase
    topic: Topic
    certification: Certification
    skill: Skill


@pytest.fixture
def world() -> World:
    track = TrackFactory(slug="measured-path")
    phase = PhaseFactory(track=track, slug="measured-phase")
    return World(
        track=track,
        phase=phase,
        topic=TopicFactory(phase=phase, slug="measured-topic"),
        certification=CertificationFactory(slug="measured-cert"),
        skill=SkillFactory(slug="measured-skill"),
    )


def add_topic(phase: Phase, world: World) -> Topic:
    topic = TopicFactory(phase=phase, title=f"{WORD} topic")
    ResourceFactory.create_batch(2, topic=topic, title=f"{WORD} docs")
    topic.technologies.add(TechnologyFactory())
    topic.certifications.add(world.certification)
    topic.skills.add(world.skill)
    return topic


def grow(world: World, units: int) -> None:
    """Add `units` of everything every page lists."""
    for _ in range(units):
        for track in (world.track, TrackFactory(title=f"{WORD} path")):
            phase = PhaseFactory(track=track)
            add_topic(PhaseFactory(track=track, parent=phase), world)
            add_topic(phase, world)
            TopicFactory(phase=phase, status="draft")
        add_topic(PhaseFactory(track=world.track, parent=world.phase), world)
        add_topic(world.phase, world)
        topic = world.topic
        ResourceFactory(topic=topic, kind="course", link_status="broken")
        ResourceFactory(topic=topic, kind="book", url="")
        topic.technologies.add(TechnologyFactory())
        topic.certifications.add(CertificationFactory(successor=CertificationFactory()))
        topic.skills.add(SkillFactory())
        skill = SkillFactory(name=f"{WORD} skill", category=f"Category {Skill.objects.count()}")
        for level in ("beginner", "intermediate", "advanced"):
            SkillLevelFactory(skill=skill, level=level)
        for owner in (skill, world.skill):
            ResourceFactory(topic=None, skill=owner, title=f"{WORD} book", kind="book")
            owner.technologies.add(TechnologyFactory())
            owner.certifications.add(world.certification, CertificationFactory())
        CertificationFactory(successor=world.certification, vendor=f"Vendor {units}")
        ExamFactory(certification=world.certification, domains=[])


@pytest.fixture
def levels(world: World) -> None:
    for level in ("beginner", "intermediate", "advanced"):
        SkillLevelFactory(skill=world.skill, level=level)


def measure(client, url: str) -> tuple[int, int]:
    """(queries, bytes) for one GET of `url`, rendered afresh: a visitor's roadmap page is kept
    whole in the cache (tests/curriculum/test_shared_pages.py), emptied here so the page's own
    reads are counted, as for the first visitor after an edit."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), len(response.content)


PAGES = [
    "/tracks/",
    "/tracks/measured-path/",
    "/tracks/measured-path/measured-phase/",
    "/topics/measured-topic/",
    "/certifications/",
    "/certifications/measured-cert/",
    "/skills/",
    "/skills/measured-skill/",
    f"/search/?q={WORD}",
]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_content(client, world, levels, url):
    grow(world, 1)
    queries, size = measure(client, url)
    grow(world, 2)
    more_queries, more_size = measure(client, url)
    assert more_queries == queries
    assert more_size > size  # the page did list the added content


@pytest.mark.parametrize("url", ["/tracks/measured-path/", "/topics/measured-topic/"])
def test_staff_preview_query_count_does_not_grow(client, world, levels, url):
    client.force_login(UserFactory(is_staff=True))
    grow(world, 1)
    queries, size = measure(client, url)
    grow(world, 2)
    more_queries, more_size = measure(client, url)
    assert more_queries == queries
    assert more_size > size


def test_search_runs_three_queries_at_any_size(world, django_assert_num_queries):
    grow(world, 1)
    with django_assert_num_queries(3):
        small = search(WORD)
    grow(world, 2)
    with django_assert_num_queries(3):
        large = search(WORD)
    assert large.total > small.total


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/tracks/", 1),
        ("/tracks/measured-path/", 3),
        ("/tracks/measured-path/measured-phase/", 3),
        ("/topics/measured-topic/", 6),
        ("/certifications/", 1),
        ("/certifications/measured-cert/", 5),
        ("/skills/", 2),
        ("/skills/measured-skill/", 6),
        (f"/search/?q={WORD}", 3),
    ],
)
def test_pages_run_few_queries(client, world, levels, url, expected):
    """The budget per page for a visitor (the certification page's exam versions included)."""
    grow(world, 1)
    assert measure(client, url)[0] == expected
