"""progress_tags on the curriculum pages: a logged-in learner sees their bars, statuses and
controls on the roadmap, phase and topic pages; the statuses of a whole page load in one query;
visitors get a log-in prompt and no extra queries."""

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import Phase, Resource, Topic, Track
from progress import services
from progress.models import TopicStatus
from tests.factories import (
    CertificationFactory,
    PhaseFactory,
    ResourceFactory,
    TopicFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Path:
    track: Track
    one: Phase
    one_a: Phase  # a sub-phase of one
    two: Phase
    first: Topic  # in one_a, 6 h
    second: Topic  # in one, 4 h
    third: Topic  # in two, 10 h
    resource: Resource


@pytest.fixture
def path() -> Path:
    track = TrackFactory(slug="ml-path", title="ML Path")
    one = PhaseFactory(track=track, slug="one", title="Phase One", position=0)
    one_a = PhaseFactory(track=track, parent=one, slug="one-a", title="Sub One A", position=0)
    two = PhaseFactory(track=track, slug="two", title="Phase Two", position=1)
    first = TopicFactory(phase=one_a, slug="first", title="First Topic", hours=6)
    return Path(
        track=track,
        one=one,
        one_a=one_a,
        two=two,
        first=first,
        second=TopicFactory(phase=one, slug="second", title="Second Topic", hours=4),
        third=TopicFactory(phase=two, slug="third", title="Third Topic", hours=10),
        resource=ResourceFactory(topic=first, title="Intro docs"),
    )


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def selected_status(page: str, slug: str) -> str:
    form = re.search(rf'<form [^>]*id="status-{slug}".*?</form>', page, re.S)
    assert form, f"no status control for {slug}"
    (value,) = re.findall(r'<option value="([a-z_]+)" selected>', form.group(0))
    return value


def badge(page: str, slug: str) -> str:
    form = re.search(rf'<form [^>]*id="status-{slug}".*?</form>', page, re.S)
    return re.search(r'class="pill status-badge status-[a-z_]+"[^>]*>([^<]*)<', form.group(0))[1]


def bar(page: str, key: str) -> str:
    found = re.search(rf'data-progress-bar="{key}"[^>]*>.*?aria-valuenow="(\d+)"', page, re.S)
    assert found, f"no bar {key}"
    return found.group(1)


# --- visitors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/tracks/ml-path/", "/tracks/ml-path/one/", "/topics/first/"])
def test_visitors_get_a_log_in_prompt_and_no_controls(client, path, url):
    page = page_of(client, url)
    assert "to track your progress" in page
    assert f'href="/accounts/login/?next={url}"' in page
    assert "data-progress-status" not in page
    assert "progress.js" not in page
    assert "Your progress" not in page


def test_visitors_pay_no_queries_for_progress(client, path):
    with CaptureQueriesContext(connection) as queries:
        client.get("/tracks/ml-path/")
    assert not any("progress_" in query["sql"] for query in queries.captured_queries)


# --- roadmap ------------------------------------------------------------------------------------


def test_roadmap_shows_the_learners_statuses_and_bars(signed_in, learner, path):
    services.status_set(user=learner, topic=path.first, status="done")
    services.status_set(user=learner, topic=path.second, status="in_progress")
    page = page_of(signed_in, "/tracks/ml-path/")
    assert selected_status(page, "first") == "done"
    assert badge(page, "first") == "Done"
    assert selected_status(page, "second") == "in_progress"
    assert selected_status(page, "third") == "not_started"
    assert bar(page, f"track-{path.track.pk}") == "30"  # 6 of 20 hours
    assert bar(page, f"phase-{path.one.pk}") == "60"  # its sub-phase's 6 of 10 hours
    assert bar(page, f"phase-{path.two.pk}") == "0"
    assert "6 of 20 hours done · 1 of 3 topics" in page
    assert 'action="/progress/tracks/ml-path/unfollow/"' in page  # marking followed the track
    assert '<script type="module" src="/static/js/progress.js">' in page
    assert 'href="/static/css/progress.css"' in page


def test_roadmap_offers_to_follow_a_track_not_followed(signed_in, path):
    page = page_of(signed_in, "/tracks/ml-path/")
    assert 'action="/progress/tracks/ml-path/follow/"' in page
    assert bar(page, f"track-{path.track.pk}") == "0"


def test_another_learners_statuses_are_not_shown(signed_in, path):
    services.status_set(user=UserFactory(), topic=path.first, status="done")
    page = page_of(signed_in, "/tracks/ml-path/")
    assert selected_status(page, "first") == "not_started"
    assert bar(page, f"track-{path.track.pk}") == "0"


def test_status_controls_post_back_to_the_topic_on_the_page(signed_in, path):
    page = page_of(signed_in, "/tracks/ml-path/")
    assert 'action="/progress/topics/third/status/"' in page
    assert 'name="next" value="/tracks/ml-path/#status-third"' in page
    assert '<label class="visually-hidden" for="status-third-select">Status of Third Topic' in page


# --- phase and topic pages ----------------------------------------------------------------------


def test_phase_page_shows_its_bar_sub_phase_bars_and_statuses(signed_in, learner, path):
    services.status_set(user=learner, topic=path.second, status="done")
    services.status_set(user=learner, topic=path.first, status="skipped")
    page = page_of(signed_in, "/tracks/ml-path/one/")
    assert bar(page, f"phase-{path.one.pk}") == "100"  # 4 of 4 planned hours
    assert bar(page, f"phase-{path.one_a.pk}") == "100"  # everything skipped counts as complete
    assert selected_status(page, "first") == "skipped"
    assert selected_status(page, "second") == "done"
    assert "status-third" not in page  # not on this page


def test_topic_page_shows_status_resources_note_and_log_form(signed_in, learner, path):
    services.status_set(user=learner, topic=path.first, status="in_progress")
    services.resource_done_set(user=learner, resource=path.resource, done=True)
    services.note_save(user=learner, topic=path.first, body="Remember *this*.")
    page = page_of(signed_in, "/topics/first/")
    assert selected_status(page, "first") == "in_progress"
    assert bar(page, f"track-{path.track.pk}") == "0"
    assert (
        f'<input type="checkbox" name="done" id="resource-done-{path.resource.pk}" checked>' in page
    )
    assert "Remember <em>this</em>." in page
    assert "Remember *this*.</textarea>" in page
    assert 'action="/progress/topics/first/note/delete/"' in page
    assert '<input type="hidden" name="topic" value="first">' in page
    assert 'action="/study-log/"' in page


def test_topic_page_without_a_note_offers_to_write_one(signed_in, path):
    page = page_of(signed_in, "/topics/second/")
    assert "Write a note" in page
    assert 'data-progress-note-delete="second" hidden' in page


def test_note_markup_is_sanitized(signed_in, learner, path):
    services.note_save(user=learner, topic=path.first, body="<script>alert(1)</script> hi")
    page = page_of(signed_in, "/topics/first/")
    assert "<script>alert(1)</script>" not in page


def test_certification_page_lists_statuses_too(signed_in, learner, path):
    certification = CertificationFactory(slug="cert")
    path.third.certifications.add(certification)
    services.status_set(user=learner, topic=path.third, status="done")
    page = page_of(signed_in, "/certifications/cert/")
    assert selected_status(page, "third") == "done"


# --- one query for the whole page ---------------------------------------------------------------


def grow(track: Track, learner, count: int) -> None:
    """`count` more topics in the track (in new phases and sub-phases), every one marked."""
    statuses = ["done", "in_progress", "skipped", "not_started"]
    for index in range(count):
        phase = PhaseFactory(track=track)
        if index % 2:
            phase = PhaseFactory(track=track, parent=phase)
        topic = TopicFactory(phase=phase)
        services.status_set(user=learner, topic=topic, status=statuses[index % 4])


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    return len(sql), sql


@pytest.mark.parametrize("url", ["/tracks/ml-path/", "/tracks/ml-path/one/", "/topics/first/"])
def test_page_query_count_is_the_same_with_5_and_50_topics_marked(signed_in, learner, path, url):
    grow(path.track, learner, 5)
    if url == "/tracks/ml-path/one/":
        for _ in range(5):
            services.status_set(user=learner, topic=TopicFactory(phase=path.one), status="done")
    small, _ = count_queries(signed_in, url)
    grow(path.track, learner, 45)
    if url == "/tracks/ml-path/one/":
        for _ in range(45):
            services.status_set(user=learner, topic=TopicFactory(phase=path.one), status="done")
    assert TopicStatus.objects.filter(user=learner).count() >= 50
    large, sql = count_queries(signed_in, url)
    assert large == small
    status_reads = [query for query in sql if 'FROM "progress_topicstatus"' in query]
    assert len(status_reads) <= 3  # the page's statuses, once; the progress sums' subqueries


def test_roadmap_reads_the_statuses_once(signed_in, learner, path):
    grow(path.track, learner, 20)
    _, sql = count_queries(signed_in, "/tracks/ml-path/")
    direct = [
        query for query in sql if query.startswith('SELECT "progress_topicstatus"."topic_id"')
    ]
    assert len(direct) == 1  # the statuses of every topic on the page, in one query
    topic_ids = re.search(r'"topic_id" IN \(([^)]*)\)', direct[0]).group(1).split(",")
    assert len(topic_ids) == 23  # all of the page's topics at once


def test_roadmap_renders_a_control_per_topic_for_many_topics(signed_in, learner, path):
    grow(path.track, learner, 30)
    page = page_of(signed_in, "/tracks/ml-path/")
    assert page.count("data-progress-status=") == 33
    assert page.count(" selected>Done</option>") == 8  # indices 0, 4, ... 28
