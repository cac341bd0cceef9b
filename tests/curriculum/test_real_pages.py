"""Every page of the real curriculum (content/) opens for a visitor: the five tracks, each of
their phases and topics, every certification and skill, and a search."""

import pytest

from curriculum.models import Certification, Phase, Skill, Topic, Track
from tests import content

pytestmark = pytest.mark.django_db

TRACKS = {
    "ai-ml-engineer-skills",
    "aws-ai-ml-certifications",
    "azure-ai-ml-infrastructure",
    "ml-ai-engineer-roadmap",
    "phase-2-ai-specialisation",
}


@pytest.fixture
def real_content() -> None:
    """The curriculum and the exams (the certification pages list exam versions), imported once
    per run (tests/content.py)."""
    content.real_content("import_curriculum", "import_exams")


def fetch_all(client, urls: list[str]) -> list[str]:
    """The URLs that did not answer 200."""
    return [url for url in urls if client.get(url).status_code != 200]


def test_the_five_tracks_are_listed(client, real_content):
    page = client.get("/tracks/").content.decode()
    assert set(Track.objects.published().values_list("slug", flat=True)) == TRACKS
    for track in Track.objects.published():
        assert f'href="{track.get_absolute_url()}"' in page


def test_every_track_phase_and_topic_page_opens(client, real_content):
    tracks = Track.objects.published()
    phases = Phase.objects.current().filter(track__in=tracks).select_related("track")
    topics = Topic.objects.published().filter(phase__track__in=tracks)
    urls = [
        *(track.get_absolute_url() for track in tracks),
        *(phase.get_absolute_url() for phase in phases),
        *(topic.get_absolute_url() for topic in topics),
    ]
    assert len(urls) > 150
    assert fetch_all(client, urls) == []


def test_every_roadmap_links_all_its_published_topics(client, real_content):
    for track in Track.objects.published():
        page = client.get(track.get_absolute_url()).content.decode()
        for topic in Topic.objects.published().filter(phase__track=track):
            assert f'href="{topic.get_absolute_url()}"' in page, (track.slug, topic.slug)


def test_every_certification_and_skill_page_opens(client, real_content):
    urls = [
        "/certifications/",
        "/skills/",
        *(certification.get_absolute_url() for certification in Certification.objects.current()),
        *(skill.get_absolute_url() for skill in Skill.objects.current()),
    ]
    assert fetch_all(client, urls) == []


def test_search_finds_real_topics(client, real_content):
    page = client.get("/search/", {"q": "SageMaker"}).content.decode()
    assert "Amazon SageMaker" in page
