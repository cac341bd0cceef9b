"""The curriculum pages as a visitor (and a staff previewer) sees them."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from curriculum.models import Certification, LinkStatus, SlugRedirect, Topic, Track
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


@dataclass
class Curriculum:
    track: Track
    first: Topic  # in the sub-phase of phase 1
    second: Topic  # phase 1's own topic, after its sub-phase
    third: Topic  # phase 2
    draft: Topic
    archived: Topic


@pytest.fixture
def curriculum() -> Curriculum:
    """A published track: phase 1 (sub-phase 1a with one topic, then a topic of its own) and
    phase 2 (one topic, a draft and an archived one)."""
    track = TrackFactory(slug="ml-path", title="ML Path", hours_per_week=10, body="Intro **here**.")
    one = PhaseFactory(
        track=track, slug="one", title="Phase One", position=0, weeks_min=2, weeks_max=3
    )
    one_a = PhaseFactory(
        track=track,
        parent=one,
        slug="one-a",
        title="Sub-phase One A",
        position=0,
        weeks_min=1,
        weeks_max=2,
    )
    two = PhaseFactory(
        track=track, slug="two", title="Phase Two", position=1, weeks_min=4, weeks_max=4
    )
    return Curriculum(
        track=track,
        first=TopicFactory(
            phase=one_a, slug="first", title="First Topic", hours=6, level="beginner", position=0
        ),
        second=TopicFactory(
            phase=one, slug="second", title="Second Topic", hours=2.5, level="advanced", position=0
        ),
        third=TopicFactory(
            phase=two, slug="third", title="Third Topic", hours=10, level="intermediate", position=0
        ),
        draft=TopicFactory(
            phase=two, slug="draft-topic", title="Draft Topic", status="draft", position=1
        ),
        archived=TopicFactory(
            phase=two, slug="gone-topic", title="Gone Topic", archived_at=timezone.now(), position=2
        ),
    )


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def in_order(page: str, *parts: str) -> bool:
    positions = [page.index(part) for part in parts]
    return positions == sorted(positions)


def breadcrumbs(page: str) -> str:
    nav = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', page, re.S)
    assert nav, "no breadcrumbs"
    return nav.group(1)


def breadcrumb_labels(page: str) -> list[str]:
    return re.findall(r"<a [^>]*>([^<]*)</a>", breadcrumbs(page))


def current_crumb(page: str) -> str:
    """The label of the one breadcrumb marked as the current page."""
    (label,) = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', breadcrumbs(page))
    return label


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


# --- tracks list --------------------------------------------------------------------------------


def test_tracks_list_shows_published_tracks_with_totals(client, curriculum):
    TrackFactory(slug="draft-path", title="Draft Path", status="draft")
    TrackFactory(slug="old-path", title="Old Path", archived_at=timezone.now())
    page = html(client.get("/tracks/"))
    assert "ML Path" in page
    assert 'href="/tracks/ml-path/"' in page
    assert "18.5 hours" in page  # 6 + 2.5 + 10: drafts and archived topics not counted
    assert "6–7 weeks" in page  # top-level phases: 2-3 and 4
    assert "<dt>Topics</dt><dd>3</dd>" in page
    assert "Draft Path" not in page
    assert "Old Path" not in page


def test_tracks_list_has_title_and_breadcrumbs(client, curriculum):
    page = html(client.get("/tracks/"))
    assert "<title>Learning paths · Learning Portal</title>" in page
    assert breadcrumb_labels(page) == ["Home", "Learning paths"]
    assert current_crumb(page) == "Learning paths"


# --- roadmap ------------------------------------------------------------------------------------


def test_roadmap_draws_phases_sub_phases_and_topics_in_track_order(client, curriculum):
    page = html(client.get("/tracks/ml-path/"))
    assert in_order(page, "Phase One", "Sub-phase One A", "First Topic", "Second Topic")
    assert in_order(page, "Second Topic", "Phase Two", "Third Topic")
    assert '<ol class="roadmap">' in page
    assert 'href="/tracks/ml-path/one/"' in page
    assert 'href="/tracks/ml-path/one-a/"' in page
    assert 'href="/topics/first/"' in page


def test_roadmap_shows_hours_levels_and_durations(client, curriculum):
    page = html(client.get("/tracks/ml-path/"))
    assert "18.5 hours" in page
    assert "6–7 weeks" in page
    assert "2–3 weeks · 8.5 hours · 2 topics" in page  # phase one, its sub-phase included
    assert "4 weeks · 10 hours · 1 topic" in page
    assert '<span class="pill level level-advanced">Advanced</span>' in page
    assert "2.5 hours" in page
    assert "Intro <strong>here</strong>." in page  # the track's rendered body


def test_roadmap_hides_draft_and_archived_topics_from_visitors(client, curriculum):
    page = html(client.get("/tracks/ml-path/"))
    assert "Draft Topic" not in page
    assert "Gone Topic" not in page
    assert "Draft</strong>" not in page


def test_progress_hooks_invite_visitors_to_log_in(client, curriculum):
    page = html(client.get("/tracks/ml-path/"))
    assert "Progress hook" not in page  # template comments, never output
    assert "to track your progress" in page
    assert page.count('class="topic-item"') == 3


HOOKS = {
    "curriculum/components/learner_progress.html": "<i data-scope='{{ scope.slug }}'></i>",
    "curriculum/components/topic_status.html": "<i data-topic='{{ topic.slug }}'></i>",
}


def with_hooks(settings) -> None:
    """Fill the progress hooks, as the progress app will, with markers."""
    template_settings = {**settings.TEMPLATES[0], "APP_DIRS": False}
    template_settings["OPTIONS"] = {
        **template_settings["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", HOOKS),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [template_settings]


@pytest.mark.parametrize(
    ("url", "scope", "topics"),
    [
        ("/tracks/ml-path/", "ml-path", ["first", "second", "third"]),
        ("/tracks/ml-path/one/", "one", ["first", "second"]),
        ("/topics/third/", "third", []),
    ],
)
def test_progress_hooks_get_the_page_scope_and_each_topic(
    client, curriculum, settings, url, scope, topics
):
    with_hooks(settings)
    page = html(client.get(url))
    assert f"<i data-scope='{scope}'></i>" in page
    assert re.findall(r"<i data-topic='([^']*)'></i>", page) == topics


def test_roadmap_breadcrumbs_and_title(client, curriculum):
    page = html(client.get("/tracks/ml-path/"))
    assert "<title>ML Path · Learning Portal</title>" in page
    assert breadcrumb_labels(page) == ["Home", "Learning paths", "ML Path"]
    assert current_crumb(page) == "ML Path"


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_hidden_track_is_404_with_every_page_under_it(client, curriculum, status):
    if status == "draft":
        Track.objects.filter(pk=curriculum.track.pk).update(status="draft")
    else:
        Track.objects.filter(pk=curriculum.track.pk).update(archived_at=timezone.now())
    for url in ("/tracks/ml-path/", "/tracks/ml-path/one/", "/topics/first/"):
        assert client.get(url).status_code == 404, url
    assert "ML Path" not in html(client.get("/tracks/"))


def test_unknown_track_is_404(client, curriculum):
    response = client.get("/tracks/no-such-path/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_staff_previews_a_draft_track_with_a_banner(staff_client, curriculum):
    Track.objects.filter(pk=curriculum.track.pk).update(status="draft")
    page = html(staff_client.get("/tracks/ml-path/"))
    assert "<strong>Draft</strong> This track is not published yet" in page
    assert "Draft Topic" in page
    assert '<span class="pill pill-draft">Draft</span>' in page
    assert "Gone Topic" not in page  # archived stays hidden, even for staff


def test_renamed_track_redirects_permanently(client, curriculum):
    SlugRedirect.objects.create(kind="track", old_slug="old-ml-path", new_slug="ml-path")
    response = client.get("/tracks/old-ml-path/")
    assert response.status_code == 301
    assert response["Location"] == "/tracks/ml-path/"


def test_redirect_to_itself_is_404_not_a_loop(client, curriculum):
    SlugRedirect.objects.create(kind="track", old_slug="ghost-path", new_slug="ghost-path")
    assert client.get("/tracks/ghost-path/").status_code == 404


def test_redirect_of_another_kind_does_not_apply(client, curriculum):
    SlugRedirect.objects.create(kind="topic", old_slug="old-ml-path", new_slug="first")
    assert client.get("/tracks/old-ml-path/").status_code == 404


# --- phase --------------------------------------------------------------------------------------


def test_phase_page_lists_sub_phases_and_topics(client, curriculum):
    page = html(client.get("/tracks/ml-path/one/"))
    assert "<title>Phase One · ML Path · Learning Portal</title>" in page
    assert '<h1 id="phase-title">Phase One</h1>' in page
    assert in_order(page, "Sub-phases", "Sub-phase One A", "First Topic", "More topics", "Second")
    assert "A topic." in page  # topic summaries
    assert "8.5 hours" in page
    assert breadcrumb_labels(page) == ["Home", "Learning paths", "ML Path", "Phase One"]


def test_sub_phase_page_has_its_parent_in_the_breadcrumbs(client, curriculum):
    page = html(client.get("/tracks/ml-path/one-a/"))
    assert breadcrumb_labels(page) == [
        "Home",
        "Learning paths",
        "ML Path",
        "Phase One",
        "Sub-phase One A",
    ]
    assert 'Part of <a href="/tracks/ml-path/one/">Phase One</a>' in page
    assert "First Topic" in page
    assert "Second Topic" not in page


def test_phase_page_hides_draft_topics_from_visitors(client, curriculum):
    page = html(client.get("/tracks/ml-path/two/"))
    assert "Third Topic" in page
    assert "Draft Topic" not in page
    assert "Gone Topic" not in page


def test_phase_under_the_wrong_track_redirects_to_its_track(client, curriculum):
    TrackFactory(slug="other-path")
    response = client.get("/tracks/other-path/one/")
    assert response.status_code == 301
    assert response["Location"] == "/tracks/ml-path/one/"


def test_phase_under_an_unknown_track_redirects_to_its_track(client, curriculum):
    response = client.get("/tracks/renamed-path/two/")
    assert response.status_code == 301
    assert response["Location"] == "/tracks/ml-path/two/"


def test_unknown_phase_is_404(client, curriculum):
    assert client.get("/tracks/ml-path/no-such-phase/").status_code == 404


def test_archived_phase_is_404(client, curriculum):
    curriculum.third.phase.archived_at = timezone.now()
    curriculum.third.phase.save()
    assert client.get("/tracks/ml-path/two/").status_code == 404


def test_renamed_phase_redirects_to_its_new_slug(client, curriculum):
    SlugRedirect.objects.create(kind="phase", old_slug="phase-1", new_slug="one")
    response = client.get("/tracks/ml-path/phase-1/")
    assert response.status_code == 301
    assert response["Location"] == "/tracks/ml-path/one/"


def test_renamed_phase_whose_new_slug_is_gone_is_404(client, curriculum):
    SlugRedirect.objects.create(kind="phase", old_slug="phase-9", new_slug="nine")
    assert client.get("/tracks/ml-path/phase-9/").status_code == 404


# --- topic --------------------------------------------------------------------------------------


@pytest.fixture
def rich_topic(curriculum) -> Topic:
    """The third topic with Markdown, resources of three kinds, and what it relates to."""
    topic = curriculum.third
    topic.body = "Learn **this** first.\n\n<script>alert(1)</script>"
    topic.save()
    ResourceFactory(topic=topic, title="Official Guide", kind="doc", provider="AWS", position=0)
    ResourceFactory(
        topic=topic,
        title="Deep Course",
        kind="course",
        cost="paid",
        note="Retired in 2025; kept for reference.",
        position=1,
    )
    ResourceFactory(topic=topic, title="A Book", kind="book", url="", position=2)
    ResourceFactory(
        topic=topic,
        title="Dead Link Docs",
        kind="doc",
        position=3,
        link_status=LinkStatus.BROKEN,
        link_checked_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )
    ResourceFactory(topic=topic, title="Archived Resource", archived_at=timezone.now())
    topic.technologies.add(
        TechnologyFactory(name="Azure AD", status="legacy", note="Renamed to Entra ID.")
    )
    topic.certifications.add(CertificationFactory(slug="ml-cert", name="ML Cert"))
    topic.skills.add(SkillFactory(slug="python", name="Python"))
    return topic


def test_topic_page_renders_markdown_body_safely(client, rich_topic):
    page = html(client.get("/topics/third/"))
    assert "Learn <strong>this</strong> first." in page
    assert "<script>alert(1)</script>" not in page


def test_topic_page_groups_resources_by_kind(client, rich_topic):
    page = html(client.get("/topics/third/"))
    assert in_order(page, ">Documentation</h3>", "Official Guide", "Dead Link Docs", ">Courses<")
    assert in_order(page, ">Courses</h3>", "Deep Course", ">Books</h3>", "<cite>A Book</cite>")
    assert "AWS" in page
    assert '<span class="pill cost cost-paid">Paid</span>' in page
    assert "Retired in 2025; kept for reference." in page
    assert "Archived Resource" not in page


def test_topic_page_flags_broken_links_with_the_check_date(client, rich_topic):
    page = html(client.get("/topics/third/"))
    assert page.count("This link looks broken.") == 1
    assert '<time datetime="2026-11-20">20 November 2026</time>' in page
    notice = page.index("This link looks broken.")
    assert page.rindex("Dead Link Docs", 0, notice) > page.rindex("Official Guide", 0, notice)


def test_topic_page_lists_technologies_certifications_and_skills(client, rich_topic):
    page = html(client.get("/topics/third/"))
    assert "Azure AD" in page
    assert '<span class="pill pill-legacy">Legacy</span>' in page
    assert "Renamed to Entra ID." in page
    assert '<a href="/certifications/ml-cert/">ML Cert</a>' in page
    assert '<a href="/skills/python/">Python</a>' in page


def test_topic_page_links_previous_and_next_in_track_order(client, curriculum):
    page = html(client.get("/topics/second/"))
    assert 'href="/topics/first/" rel="prev"' in page
    assert 'href="/topics/third/" rel="next"' in page
    first = html(client.get("/topics/first/"))
    assert 'rel="prev"' not in first
    last = html(client.get("/topics/third/"))
    assert 'rel="next"' not in last  # the draft after it is not offered to visitors


def test_topic_page_breadcrumbs_and_title(client, curriculum):
    page = html(client.get("/topics/first/"))
    assert "<title>First Topic · ML Path · Learning Portal</title>" in page
    assert breadcrumb_labels(page) == [
        "Home",
        "Learning paths",
        "ML Path",
        "Phase One",
        "Sub-phase One A",
        "First Topic",
    ]
    assert current_crumb(page) == "First Topic"


def test_topic_titles_are_escaped(client, curriculum):
    Topic.objects.filter(pk=curriculum.first.pk).update(title="<b>Bold</b> & co")
    page = html(client.get("/topics/first/"))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "<b>Bold</b>" not in page


def test_draft_topic_is_404_for_visitors(client, curriculum):
    assert client.get("/topics/draft-topic/").status_code == 404


def test_staff_previews_a_draft_topic_with_a_banner(staff_client, curriculum):
    page = html(staff_client.get("/topics/draft-topic/"))
    assert "<strong>Draft</strong> This topic is not published yet" in page


def test_archived_topic_is_404(client, curriculum):
    assert client.get("/topics/gone-topic/").status_code == 404


def test_renamed_topic_redirects_permanently(client, curriculum):
    SlugRedirect.objects.create(kind="topic", old_slug="first-steps", new_slug="first")
    response = client.get("/topics/first-steps/")
    assert response.status_code == 301
    assert response["Location"] == "/topics/first/"


def test_unknown_topic_is_404(client, curriculum):
    assert client.get("/topics/no-such-topic/").status_code == 404


# --- certifications -----------------------------------------------------------------------------


@pytest.fixture
def certifications(curriculum) -> Certification:
    """A retired certification with its successor, taught by two topics of two tracks."""
    successor = CertificationFactory(slug="new-cert", name="New Cert", vendor="Microsoft")
    retired = CertificationFactory(
        slug="old-cert",
        name="Old Cert",
        vendor="Microsoft",
        level="associate",
        status="retired",
        retired_on=datetime(2026, 7, 31, tzinfo=UTC).date(),
        successor=successor,
        body="Covers **compute** and storage.",
    )
    other_track = TrackFactory(
        slug="cloud-path", title="Cloud Path", position=curriculum.track.position + 1
    )
    other = TopicFactory(phase=PhaseFactory(track=other_track), slug="cloud-topic", title="Cloud T")
    for topic in (curriculum.first, curriculum.third, other, curriculum.draft):
        topic.certifications.add(retired)
    SkillFactory(slug="cloud-skill", name="Cloud Skill").certifications.add(retired)
    CertificationFactory(slug="aws-cert", name="AWS Cert", vendor="AWS")
    CertificationFactory(slug="hidden-cert", name="Hidden Cert", archived_at=timezone.now())
    return retired


def test_certification_list_groups_by_vendor(client, certifications):
    page = html(client.get("/certifications/"))
    assert in_order(page, ">AWS</h2>", "AWS Cert", ">Microsoft</h2>", "New Cert", "Old Cert")
    assert '<span class="pill pill-retired">Retired</span>' in page
    assert "Succeeded by" in page
    assert "Hidden Cert" not in page
    assert breadcrumb_labels(page) == ["Home", "Certifications"]


def test_certification_page_shows_body_status_and_successor(client, certifications):
    page = html(client.get("/certifications/old-cert/"))
    assert "<title>Old Cert · Learning Portal</title>" in page
    assert "Covers <strong>compute</strong> and storage." in page
    assert "This certification was retired on 31 July 2026." in page
    assert 'Its successor is <a href="/certifications/new-cert/">New Cert</a>' in page
    assert "Microsoft" in page
    assert "Associate" in page
    assert breadcrumb_labels(page) == ["Home", "Certifications", "Old Cert"]


def test_successor_page_names_what_it_replaces(client, certifications):
    page = html(client.get("/certifications/new-cert/"))
    assert 'Replaces <a href="/certifications/old-cert/">Old Cert</a>' in page


def test_certification_page_groups_linked_topics_by_track(client, certifications):
    page = html(client.get("/certifications/old-cert/"))
    assert in_order(page, "ML Path</a></h3>", "First Topic", "Third Topic", "Cloud Path</a></h3>")
    assert "Cloud T" in page
    assert "Draft Topic" not in page
    assert '<a href="/skills/cloud-skill/">Cloud Skill</a>' in page


def test_certification_page_includes_its_exam_versions(client, certifications):
    ExamFactory(code="AZ-204", name="Developing Solutions", certification=certifications)
    page = html(client.get("/certifications/old-cert/"))
    assert "Exam versions" in page
    assert '<span class="exam-code">AZ-204</span>' in page


def test_archived_certification_is_404(client, certifications):
    assert client.get("/certifications/hidden-cert/").status_code == 404
    assert client.get("/certifications/no-such-cert/").status_code == 404


# --- skills -------------------------------------------------------------------------------------


@pytest.fixture
def skill(curriculum):
    python = SkillFactory(
        slug="python",
        name="Python",
        category="Programming",
        definition="A *language*.",
        real_world="Data pipelines.",
        demonstrate="A public repository.",
        position=0,
    )
    for level in ("advanced", "beginner", "intermediate"):
        SkillLevelFactory(skill=python, level=level, steps=f"- {level} steps")
    ResourceFactory(
        topic=None, skill=python, title="Automate the Boring Stuff", kind="book", url=""
    )
    python.technologies.add(TechnologyFactory(name="Pandas"))
    curriculum.first.skills.add(python)
    SkillFactory(slug="sql", name="SQL", category="Data", position=1)
    SkillFactory(slug="old-skill", name="Old Skill", archived_at=timezone.now())
    return python


def test_skill_catalogue_groups_by_category_with_levels(client, skill):
    page = html(client.get("/skills/"))
    assert in_order(page, ">Programming</h2>", "Python", ">Data</h2>", "SQL")
    assert in_order(page, "#level-beginner", "#level-intermediate", "#level-advanced")
    assert 'href="/skills/python/#level-beginner"' in page
    assert "Old Skill" not in page
    assert breadcrumb_labels(page) == ["Home", "Skills"]


def test_skill_page_shows_every_section_with_levels_in_order(client, skill):
    page = html(client.get("/skills/python/"))
    assert "<title>Python · Skills · Learning Portal</title>" in page
    assert "A <em>language</em>." in page
    assert in_order(page, "What it is", "How it is used at work", "From beginner to advanced")
    assert in_order(page, 'id="level-beginner"', 'id="level-intermediate"', 'id="level-advanced"')
    assert "<li>beginner steps</li>" in page
    assert "A public repository." in page
    assert "<cite>Automate the Boring Stuff</cite>" in page
    assert "Pandas" in page
    assert 'href="/topics/first/"' in page
    assert breadcrumb_labels(page) == ["Home", "Skills", "Python"]


def test_archived_or_unknown_skill_is_404(client, skill):
    assert client.get("/skills/old-skill/").status_code == 404
    assert client.get("/skills/no-such-skill/").status_code == 404


# --- search page --------------------------------------------------------------------------------


def test_search_page_without_a_query_helps(client, curriculum):
    page = html(client.get("/search/"))
    assert "<title>Search · Learning Portal</title>" in page
    assert 'role="search"' in page
    assert "Find what to study" in page
    assert 'href="/tracks/"' in page


def test_search_page_with_a_blank_query_asks_for_words(client, curriculum):
    page = html(client.get("/search/", {"q": "   "}))
    assert "Type something to search for" in page


def test_search_page_lists_matching_topics(client, curriculum):
    page = html(client.get("/search/", {"q": "third"}))
    assert "<title>Search: third · Learning Portal</title>" in page
    assert '<a href="/topics/third/">Third Topic</a>' in page
    assert "Draft Topic" not in page
    assert breadcrumb_labels(page) == ["Home", "Search"]


def test_search_page_says_when_nothing_matches(client, curriculum):
    page = html(client.get("/search/", {"q": "zzzqqq"}))
    assert "No results for “zzzqqq”" in page


def test_search_page_escapes_the_query(client, curriculum):
    page = html(client.get("/search/", {"q": '"><script>alert(1)</script>'}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# --- entry points -------------------------------------------------------------------------------


def test_home_page_links_to_the_tracks_and_search(client):
    page = html(client.get("/"))
    assert 'href="/tracks/"' in page
    assert 'action="/search/"' in page


def test_pages_answer_only_get(client, curriculum):
    assert client.post("/tracks/ml-path/").status_code == 405
