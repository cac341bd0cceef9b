"""The optional public progress page at /u/<handle>/: off by default, and when on it shows only
a name, the followed tracks and their bars: never the email, notes or study-log text."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from progress import services
from tests.factories import PhaseFactory, TopicFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_NOTE = "my-private-note-text"
SECRET_LOG = "my-private-log-text"


@pytest.fixture
def learner():
    user = UserFactory(username="grace", email="grace-secret@example.com", display_name="Grace H")
    track = TrackFactory(slug="ml-path", title="ML Path")
    phase = PhaseFactory(track=track)
    done = TopicFactory(phase=phase, slug="done-topic", hours=3)
    TopicFactory(phase=phase, slug="open-topic", hours=1)
    services.status_set(user=user, topic=done, status="done")
    services.note_save(user=user, topic=done, body=SECRET_NOTE)
    today = user.local_today()
    services.study_log_add(user=user, day=today, minutes=40, topic=done, note=SECRET_LOG)
    services.study_log_add(user=user, day=today - timedelta(days=1), minutes=20)
    services.target_set(user=user, track=track, target_date=today + timedelta(days=60))
    return user


@pytest.fixture
def public(learner):
    services.public_profile_set(user=learner, enabled=True, handle="grace")
    return learner


def test_public_page_is_off_by_default(client, learner):
    services.public_profile_set(user=learner, enabled=False, handle="grace")
    assert client.get("/u/grace/").status_code == 404


def test_unknown_handle_is_404(client, public):
    assert client.get("/u/nobody/").status_code == 404


def test_public_page_shows_name_tracks_and_bars(client, public):
    response = client.get("/u/grace/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Grace H</h1>" in page
    assert 'href="/tracks/ml-path/">ML Path</a>' in page
    assert 'aria-label="ML Path"' in page
    assert 'aria-valuenow="75"' in page  # 3 of 4 hours


def test_public_page_never_shows_email_notes_log_or_other_details(client, public):
    page = client.get("/u/grace/").content.decode()
    for secret in (
        "grace-secret@example.com",
        "grace-secret",
        SECRET_NOTE,
        SECRET_LOG,
        "done-topic",  # no topic-level detail
        "minutes",
        "streak",
        "Target",
    ):
        assert secret not in page, secret


def test_public_page_uses_the_handle_without_a_display_name(client, public):
    public.display_name = ""
    public.save(update_fields=["display_name"])
    page = client.get("/u/grace/").content.decode()
    assert "<h1>grace</h1>" in page


def test_public_page_is_off_again_when_turned_off(client, public):
    services.public_profile_set(user=public, enabled=False, handle=None)
    assert client.get("/u/grace/").status_code == 404


def test_inactive_learner_has_no_public_page(client, public):
    public.is_active = False
    public.save(update_fields=["is_active"])
    assert client.get("/u/grace/").status_code == 404


def test_public_page_escapes_the_display_name(client, public):
    public.display_name = "<script>alert(1)</script>"
    public.save(update_fields=["display_name"])
    page = client.get("/u/grace/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_public_page_is_seen_the_same_by_the_learner_and_others(client, public):
    anonymous = client.get("/u/grace/").content.decode()
    client.force_login(UserFactory())
    other = client.get("/u/grace/").content.decode()
    assert SECRET_NOTE not in other
    assert anonymous.count('role="progressbar"') == other.count('role="progressbar"') == 1


def test_public_page_query_count_does_not_grow_with_tracks(client, public):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/u/grace/").status_code == 200
        return len(queries)

    small = count()
    for _ in range(3):
        track = TrackFactory()
        services.status_set(
            user=public, topic=TopicFactory(phase=PhaseFactory(track=track)), status="done"
        )
    assert count() == small
    assert client.get("/u/grace/").content.decode().count('role="progressbar"') == 4
