"""A visitor's roadmap page is the same for every visitor, so it is rendered once and kept whole in
the cache under the catalogue's content stamp (curriculum.views.track_detail): a repeat view runs
no query and sets no cookie, every kind of content write shows at once, and nothing personal
(a CSRF token, messages, a learner's statuses, the request's query string) is ever shared."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from curriculum import services, views
from curriculum.models import Phase, Topic, Track
from curriculum.services import curriculum_import
from tests.curriculum.test_api_etag import change
from tests.factories import PhaseFactory, TopicFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/tracks/shared-path/"


@pytest.fixture
def track() -> Track:
    track = TrackFactory(slug="shared-path", title="Shared path")
    phase = PhaseFactory(track=track, slug="shared-phase", title="First phase")
    TopicFactory(phase=phase, slug="shared-topic", title="First topic")
    TopicFactory(phase=phase, title="Second topic")
    return track


def visit(client, url: str = URL) -> tuple[int, str, object]:
    """(queries, page, response) of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode(), response


def test_a_repeat_view_is_the_same_page_with_no_query_and_no_cookie(client, track):
    first_queries, first, rendered = visit(client)
    again_queries, again, kept = visit(client)
    assert first_queries >= 3  # the track, its phases and its topics
    assert again_queries == 0
    assert again == first
    assert "First topic" in again
    # No visitor's CSRF token is written into the page handed to the next one.
    assert 'name="csrf-token"' not in first
    assert "csrfmiddlewaretoken" not in first
    assert "csrftoken" not in rendered.cookies
    assert "csrftoken" not in kept.cookies
    assert "Cookie" in kept["Vary"]  # a shared cache never gives it to a signed-in learner


def renew_after(write):  # noqa: ANN001, ANN201
    """A write as the imports and the admin make one: the stamp is renewed once it commits."""

    def run(world: Track) -> None:
        write(world)
        services.content_stamp_bump()

    return run


@renew_after
def rename_topic(track: Track) -> None:
    Topic.objects.filter(slug="shared-topic").update(title="Renamed topic")


@renew_after
def archive_topic(track: Track) -> None:
    Topic.objects.filter(slug="shared-topic").update(archived_at=timezone.now())


@renew_after
def add_topic(track: Track) -> None:
    TopicFactory(phase=Phase.objects.get(slug="shared-phase"), title="Added topic")


@renew_after
def rename_phase(track: Track) -> None:
    Phase.objects.filter(slug="shared-phase").update(title="Renamed phase")


@pytest.mark.parametrize("edit", [rename_topic, archive_topic, add_topic, rename_phase])
def test_a_committed_edit_shows_at_once(client, track, committed, edit):
    _, before, _ = visit(client)
    committed(edit, track)
    queries, after, _ = visit(client)
    assert queries > 0
    assert after != before


def test_an_edit_in_the_admin_shows_at_once(client, track, committed, editor):
    _, before, _ = visit(client)
    topic = Topic.objects.get(slug="shared-topic")
    committed(change, editor, f"/admin/curriculum/topic/{topic.pk}/change/", title="Edited here")
    _, after, _ = visit(client)
    assert "First topic" in before
    assert "Edited here" in after
    assert "First topic" not in after


def test_an_import_shows_at_once(client, content_folder, committed):
    committed(curriculum_import, path=content_folder.root)
    url = f"/tracks/{content_folder.track['slug']}/"
    topic = content_folder.topics()[0]
    _, before, _ = visit(client, url)
    assert topic["title"] in before
    topic["title"] = "Renamed by the files"
    content_folder.write()
    committed(curriculum_import, path=content_folder.root)
    _, after, _ = visit(client, url)
    assert "Renamed by the files" in after


def test_a_new_release_renders_its_own_copy(client, track, monkeypatch):
    visit(client)
    monkeypatch.setattr(views, "RELEASE", "next-release")
    queries, _, _ = visit(client)
    assert queries > 0


def test_learners_never_get_the_visitors_copy(client, track):
    _, shared, _ = visit(client)
    client.force_login(UserFactory())
    queries, page, _ = visit(client)
    assert queries > 3  # the learner's statuses and progress are read for them
    assert page != shared
    assert 'name="csrf-token"' in page  # their status controls post


def test_a_query_string_is_rendered_for_its_request(client, track):
    visit(client)
    queries, page, _ = visit(client, f"{URL}?from=newsletter")
    assert queries > 0
    assert "from%3Dnewsletter" in page  # the log-in link brings the visitor back here
    _, shared, _ = visit(client)
    assert "newsletter" not in shared


def test_messages_are_shown_to_their_visitor_only(client, track):
    visit(client)
    client.force_login(UserFactory())
    client.post("/accounts/logout/")  # "You have signed out." waits for the next page
    _, page, _ = visit(client)
    assert "signed out" in page
    _, later, _ = visit(client)
    assert "signed out" not in later


def test_an_unknown_track_is_a_404_every_time(client, track):
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/tracks/no-such-path/").status_code == 404
        assert len(queries) > 0  # looked up again, not kept
