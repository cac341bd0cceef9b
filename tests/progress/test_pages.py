"""The progress pages and their plain forms, without JavaScript: the dashboard, following and
target dates, topic statuses, resources, notes, the study log, settings and the export."""

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import Resource, Topic, Track
from progress import services
from progress.models import (
    DailyActivity,
    ProgressSettings,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)
from tests.factories import PhaseFactory, ResourceFactory, TopicFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 18)  # a Wednesday
NOON = "2026-03-18 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOON, tick=False):
        yield


@dataclass
class Path:
    track: Track
    first: Topic  # 6 h
    second: Topic  # 4 h
    third: Topic  # 10 h, phase two
    resource: Resource


@pytest.fixture
def path() -> Path:
    track = TrackFactory(slug="ml-path", title="ML Path", hours_per_week=10)
    one = PhaseFactory(track=track, slug="one", title="Phase One", position=0)
    two = PhaseFactory(track=track, slug="two", title="Phase Two", position=1)
    first = TopicFactory(phase=one, slug="first", title="First Topic", hours=6, position=0)
    return Path(
        track=track,
        first=first,
        second=TopicFactory(phase=one, slug="second", title="Second Topic", hours=4, position=1),
        third=TopicFactory(phase=two, slug="third", title="Third Topic", hours=10, position=0),
        resource=ResourceFactory(topic=first, title="Intro docs"),
    )


@pytest.fixture
def learner():
    return UserFactory(username="ada", email="ada@example.com", display_name="Ada")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def html(response) -> str:
    return response.content.decode()


def field_errors(page: str, field: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="[^"]*{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    assert found, f"no errors on {field}"
    return found.group(1)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- login required -----------------------------------------------------------------------------

PRIVATE_GETS = [
    "/dashboard/",
    "/study-log/",
    "/progress/settings/",
    "/progress/export/",
    "/progress/export/progress.json",
    "/progress/export/progress-csv.zip",
    "/progress/topics/first/status/",
    "/progress/topics/first/note/",
    "/progress/tracks/ml-path/target/",
    "/progress/tracks/ml-path/follow/",
]

PRIVATE_POSTS = [
    ("/progress/topics/first/status/", {"status": "done"}),
    ("/progress/topics/first/note/", {"body": "x"}),
    ("/progress/topics/first/note/delete/", {}),
    ("/progress/tracks/ml-path/follow/", {}),
    ("/progress/tracks/ml-path/unfollow/", {}),
    ("/progress/tracks/ml-path/target/", {"target_date": "2026-06-01"}),
    ("/study-log/", {"day": "2026-03-18", "minutes": "30"}),
    ("/progress/settings/weekly-goal/", {"hours": "5"}),
    ("/progress/settings/public-page/", {"enabled": "on", "handle": "ada"}),
]


@pytest.mark.parametrize("url", PRIVATE_GETS)
def test_pages_need_login(client, path, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("url", "data"), PRIVATE_POSTS)
def test_forms_need_login_and_save_nothing(client, path, url, data):
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not TopicStatus.objects.exists()
    assert not TrackFollow.objects.exists()
    assert not StudyLogEntry.objects.exists()
    assert not TopicNote.objects.exists()
    assert not ProgressSettings.objects.exists()


def test_resource_done_needs_login(client, path):
    response = client.post(f"/progress/resources/{path.resource.pk}/done/", {"done": "on"})
    assert response.status_code == 302
    assert not ResourceDone.objects.exists()


# --- dashboard ----------------------------------------------------------------------------------


def test_empty_dashboard_invites_to_follow_a_path(signed_in):
    page = html(signed_in.get("/dashboard/"))
    assert "<h1>Your dashboard</h1>" in page
    assert "You do not follow a learning path yet." in page
    assert 'href="/tracks/"' in page
    assert "0 days" in page
    assert "Studied on 0 of the last 365 days" in page
    assert page.count("<rect") >= 365


def test_dashboard_shows_followed_track_progress_next_up_streak_week_and_heatmap(
    signed_in, learner, path
):
    services.status_set(user=learner, topic=path.first, status="done")
    services.status_set(user=learner, topic=path.second, status="skipped")
    services.study_log_add(user=learner, day=TODAY, minutes=90, topic=path.third)
    services.study_log_add(user=learner, day=TODAY - timedelta(days=1), minutes=30)
    services.weekly_goal_set(user=learner, minutes=600)
    page = html(signed_in.get("/dashboard/"))
    assert 'href="/tracks/ml-path/">ML Path</a>' in page
    assert 'aria-valuenow="37"' in page  # 6 of 16 planned hours (the skipped topic not counted)
    assert "6 of 16 hours done · 1 of 2 topics (1 skipped)" in page
    assert 'Next up:</strong> <a href="/topics/third/">Third Topic</a>' in page
    assert '<p class="stat" data-streak>2 days</p>' in page
    assert '<p class="stat" data-week-hours>2 h</p>' in page
    assert "of your 10 h goal" in page
    assert 'aria-valuenow="20"' in page  # 2 of 10 hours this week
    assert "<title>Wed 18 Mar 2026: 1 h 30 min</title>" in page
    assert "Studied on 2 of the last 365 days, 2 hours in total; longest streak 2 days." in page
    assert 'class="chart progress-chart"' in page
    assert "Progress over time on ML Path" in page
    assert '<th scope="row">March 2026</th>' in page


def test_dashboard_states_the_pace_against_the_target(signed_in, learner, path):
    services.target_set(user=learner, track=path.track, target_date=TODAY + timedelta(weeks=2))
    for back in range(4):  # 2 h a week over the last four weeks, on this track
        services.study_log_add(
            user=learner, day=TODAY - timedelta(weeks=back), minutes=120, topic=path.first
        )
    page = html(signed_in.get("/dashboard/"))
    # 20 h left at 2 h/week: 70 days, so around 27 May, 8 weeks after the 1 April target.
    assert "At your pace of 2 h/week you will finish around 27 May 2026" in page
    assert "8 weeks after your target of 1 April 2026" in page
    assert "<strong>behind</strong>. You need 10 h/week to make it." in page
    assert 'value="2026-04-01"' in page


def test_dashboard_without_recent_study_says_there_is_no_pace(signed_in, learner, path):
    services.track_follow(user=learner, track=path.track)
    page = html(signed_in.get("/dashboard/"))
    assert "no projected finish yet" in page


def test_dashboard_query_count_does_not_grow_with_history(
    signed_in, learner, path, django_assert_max_num_queries
):
    services.status_set(user=learner, topic=path.first, status="done")
    services.study_log_add(user=learner, day=TODAY, minutes=30)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get("/dashboard/").status_code == 200
        return len(queries)

    small = count()
    other = TrackFactory(slug="other-path")
    for index in range(5):
        topic = TopicFactory(phase=PhaseFactory(track=other), hours=2)
        services.status_set(user=learner, topic=topic, status="done")
        services.study_log_add(user=learner, day=TODAY - timedelta(days=index + 3), minutes=20)
    services.target_set(user=learner, track=other, target_date=TODAY + timedelta(days=90))
    assert count() == small


# --- follow, unfollow, target -------------------------------------------------------------------


def test_follow_redirects_back_with_a_message(signed_in, learner, path):
    response = signed_in.post("/progress/tracks/ml-path/follow/", {"next": "/tracks/ml-path/"})
    assert response.status_code == 302
    assert response["Location"] == "/tracks/ml-path/"
    assert TrackFollow.objects.filter(user=learner, track=path.track).exists()
    assert messages_of(response) == ["You follow ML Path."]


def test_unfollow_keeps_statuses(signed_in, learner, path):
    services.status_set(user=learner, topic=path.first, status="done")
    response = signed_in.post("/progress/tracks/ml-path/unfollow/")
    assert response["Location"] == "/dashboard/"
    assert not TrackFollow.objects.filter(user=learner).exists()
    assert TopicStatus.objects.filter(user=learner).count() == 1


def test_follow_page_without_post_asks_first(signed_in, learner, path):
    page = html(signed_in.get("/progress/tracks/ml-path/follow/"))
    assert "Follow ML Path?" in page
    assert not TrackFollow.objects.exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_next_elsewhere_is_ignored(signed_in, path, target):
    response = signed_in.post("/progress/tracks/ml-path/follow/", {"next": target})
    assert response["Location"] == "/tracks/ml-path/"


def test_unknown_track_is_404(signed_in, path):
    assert signed_in.post("/progress/tracks/no-such/follow/").status_code == 404
    assert signed_in.post("/progress/topics/no-such/status/", {"status": "done"}).status_code == 404


def test_draft_track_cannot_be_followed(signed_in, path):
    Track.objects.filter(pk=path.track.pk).update(status="draft")
    assert signed_in.post("/progress/tracks/ml-path/follow/").status_code == 404
    assert not TrackFollow.objects.exists()


def test_target_date_is_set_and_follows_the_track(signed_in, learner, path):
    response = signed_in.post(
        "/progress/tracks/ml-path/target/", {"target_date": "2026-09-30", "next": "/dashboard/"}
    )
    assert response["Location"] == "/dashboard/"
    follow = TrackFollow.objects.get(user=learner, track=path.track)
    assert follow.target_date == date(2026, 9, 30)
    assert messages_of(response) == ["Target for ML Path: 30 September 2026."]


def test_target_date_can_be_cleared(signed_in, learner, path):
    services.target_set(user=learner, track=path.track, target_date=date(2026, 9, 30))
    signed_in.post("/progress/tracks/ml-path/target/", {"target_date": ""})
    assert TrackFollow.objects.get(user=learner).target_date is None


@pytest.mark.parametrize(
    ("value", "error"),
    [("2026-03-18", "Choose a day after today."), ("someday", "Enter a valid date.")],
)
def test_bad_target_date_shows_the_form_with_the_error(signed_in, path, value, error):
    response = signed_in.post("/progress/tracks/ml-path/target/", {"target_date": value})
    assert response.status_code == 400
    page = html(response)
    assert error in field_errors(page, "target_date")
    assert 'action="/progress/tracks/ml-path/target/"' in page
    assert not TrackFollow.objects.exists()


# --- statuses, resources, notes -----------------------------------------------------------------


def test_status_form_marks_the_topic_and_returns_to_the_page(signed_in, learner, path):
    response = signed_in.post(
        "/progress/topics/second/status/",
        {"status": "in_progress", "next": "/tracks/ml-path/#status-second"},
    )
    assert response["Location"] == "/tracks/ml-path/#status-second"
    assert TopicStatus.objects.get(user=learner, topic=path.second).status == "in_progress"
    assert TrackFollow.objects.filter(user=learner, track=path.track).exists()  # implicitly
    assert messages_of(response) == ["Second Topic: in progress."]


def test_bad_status_shows_the_form_and_saves_nothing(signed_in, path):
    response = signed_in.post("/progress/topics/second/status/", {"status": "finished"})
    assert response.status_code == 400
    assert "Select a valid choice" in field_errors(html(response), "status")
    assert not TopicStatus.objects.exists()


def test_resource_done_is_checked_and_unchecked(signed_in, learner, path):
    url = f"/progress/resources/{path.resource.pk}/done/"
    response = signed_in.post(url, {"done": "on", "next": "/topics/first/"})
    assert response["Location"] == "/topics/first/"
    assert ResourceDone.objects.filter(user=learner, resource=path.resource).exists()
    signed_in.post(url, {})  # an unchecked box sends nothing
    assert not ResourceDone.objects.exists()


def test_unknown_resource_is_404(signed_in, path):
    assert signed_in.post("/progress/resources/999999/done/", {"done": "on"}).status_code == 404


def test_note_is_saved_rendered_and_deleted(signed_in, learner, path):
    response = signed_in.post(
        "/progress/topics/first/note/", {"body": "Read **twice**.", "next": "/topics/first/"}
    )
    assert response["Location"] == "/topics/first/"
    page = html(signed_in.get("/topics/first/"))
    assert "Read <strong>twice</strong>." in page
    signed_in.post("/progress/topics/first/note/delete/")
    assert not TopicNote.objects.exists()


def test_empty_note_shows_the_error_and_saves_nothing(signed_in, path):
    response = signed_in.post("/progress/topics/first/note/", {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in field_errors(html(response), "body")
    assert not TopicNote.objects.exists()


def test_too_long_note_is_refused(signed_in, path):
    response = signed_in.post("/progress/topics/first/note/", {"body": "x" * 20001})
    assert response.status_code == 400
    assert "at most 20000 characters" in field_errors(html(response), "body")
    assert not TopicNote.objects.exists()


def test_note_of_a_draft_topic_is_404(signed_in, path):
    Topic.objects.filter(pk=path.first.pk).update(status="draft")
    assert signed_in.post("/progress/topics/first/note/", {"body": "x"}).status_code == 404


# --- study log ----------------------------------------------------------------------------------


def test_study_log_entry_is_added_from_the_form(signed_in, learner, path):
    services.track_follow(user=learner, track=path.track)
    page = html(signed_in.get("/study-log/"))
    assert 'value="2026-03-18"' in page  # today, in the learner's timezone
    assert '<option value="third">ML Path: Third Topic</option>' in page
    response = signed_in.post(
        "/study-log/", {"day": "2026-03-17", "minutes": "45", "topic": "third", "note": "Ch. 3"}
    )
    assert response["Location"] == "/study-log/"
    entry = StudyLogEntry.objects.get(user=learner)
    assert (entry.day, entry.minutes, entry.topic, entry.note) == (
        date(2026, 3, 17),
        45,
        path.third,
        "Ch. 3",
    )
    assert DailyActivity.objects.get(user=learner).minutes == 45
    page = html(signed_in.get("/study-log/"))
    assert "Tue 17 Mar 2026" in page
    assert '<a href="/topics/third/">Third Topic</a>' in page
    assert "Ch. 3" in page


def test_study_log_day_follows_the_learner_timezone(client, path):
    # 12:00 UTC on 18 March is already 19 March in Auckland (UTC+13).
    client.force_login(UserFactory(timezone="Pacific/Auckland"))
    assert 'value="2026-03-19"' in html(client.get("/study-log/"))
    response = client.post("/study-log/", {"day": "2026-03-19", "minutes": "20"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"day": "2026-03-19", "minutes": "30"}, "day", "That day has not come yet."),
        ({"day": "yesterday", "minutes": "30"}, "day", "Enter a valid date."),
        ({"day": "2026-03-18", "minutes": "0"}, "minutes", "greater than or equal to 1"),
        ({"day": "2026-03-18", "minutes": "1441"}, "minutes", "less than or equal to 1440"),
        ({"day": "2026-03-18", "minutes": "lots"}, "minutes", "Enter a whole number."),
        ({"day": "2026-03-18", "minutes": "30", "topic": "nope"}, "topic", "valid choice"),
        ({"day": "2026-03-18", "minutes": "30", "note": "x" * 501}, "note", "at most 500"),
    ],
)
def test_bad_study_log_input_shows_field_errors_and_saves_nothing(
    signed_in, path, data, field, error
):
    response = signed_in.post("/study-log/", data)
    assert response.status_code == 400
    assert error in field_errors(html(response), field)
    assert not StudyLogEntry.objects.exists()
    assert not DailyActivity.objects.exists()


def test_study_log_refuses_a_draft_topic_on_the_field(signed_in, path):
    Topic.objects.filter(pk=path.third.pk).update(status="draft")
    response = signed_in.post(
        "/study-log/", {"day": "2026-03-18", "minutes": "5", "topic": "third"}
    )
    assert response.status_code == 400
    assert "No published topic" in field_errors(html(response), "topic")
    assert not StudyLogEntry.objects.exists()


def test_study_log_is_paginated_newest_first(signed_in, learner):
    for back in range(25):
        services.study_log_add(user=learner, day=TODAY - timedelta(days=back), minutes=10)
    first = html(signed_in.get("/study-log/"))
    assert first.count('class="study-log-entry"') == 20
    assert "Wed 18 Mar 2026" in first
    assert "Page 1 of 2" in first
    second = html(signed_in.get("/study-log/?page=2"))
    assert second.count('class="study-log-entry"') == 5
    assert "Sun 22 Feb 2026" in second
    assert html(signed_in.get("/study-log/?page=abc")).count('class="study-log-entry"') == 20


def test_study_log_query_count_does_not_grow(signed_in, learner, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get("/study-log/").status_code == 200
        return len(queries)

    services.study_log_add(user=learner, day=TODAY, minutes=10, topic=path.first)
    small = count()
    for back in range(1, 15):
        topic = TopicFactory(phase=path.first.phase)
        services.study_log_add(
            user=learner, day=TODAY - timedelta(days=back), minutes=10, topic=topic
        )
    assert count() == small


def test_study_log_entry_is_edited(signed_in, learner, path):
    entry = services.study_log_add(user=learner, day=TODAY, minutes=30)
    page = html(signed_in.get(f"/study-log/{entry.pk}/edit/"))
    assert 'value="30"' in page
    response = signed_in.post(
        f"/study-log/{entry.pk}/edit/",
        {"day": "2026-03-16", "minutes": "50", "topic": "first", "note": "Redone"},
    )
    assert response["Location"] == "/study-log/"
    entry.refresh_from_db()
    assert (entry.day, entry.minutes, entry.topic, entry.note) == (
        date(2026, 3, 16),
        50,
        path.first,
        "Redone",
    )
    assert list(DailyActivity.objects.values_list("day", "minutes")) == [(date(2026, 3, 16), 50)]


def test_bad_edit_shows_errors_and_changes_nothing(signed_in, learner):
    entry = services.study_log_add(user=learner, day=TODAY, minutes=30)
    response = signed_in.post(f"/study-log/{entry.pk}/edit/", {"day": TODAY, "minutes": "-5"})
    assert response.status_code == 400
    assert "greater than or equal to 1" in field_errors(html(response), "minutes")
    entry.refresh_from_db()
    assert entry.minutes == 30


def test_study_log_entry_is_deleted(signed_in, learner):
    entry = services.study_log_add(user=learner, day=TODAY, minutes=30)
    assert "Delete the entry of 18 March 2026?" in html(
        signed_in.get(f"/study-log/{entry.pk}/delete/")
    )
    response = signed_in.post(f"/study-log/{entry.pk}/delete/")
    assert response["Location"] == "/study-log/"
    assert not StudyLogEntry.objects.exists()
    assert not DailyActivity.objects.filter(minutes__gt=0).exists()


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_another_learners_entry_is_404_and_unchanged(signed_in, action):
    other = UserFactory()
    entry = services.study_log_add(user=other, day=TODAY, minutes=30, note="Theirs")
    assert signed_in.get(f"/study-log/{entry.pk}/{action}/").status_code == 404
    data = {"day": "2026-03-10", "minutes": "5", "note": "Mine now"}
    assert signed_in.post(f"/study-log/{entry.pk}/{action}/", data).status_code == 404
    entry.refresh_from_db()
    assert (entry.day, entry.minutes, entry.note) == (TODAY, 30, "Theirs")
    assert "Theirs" not in html(signed_in.get("/study-log/"))


# --- settings -----------------------------------------------------------------------------------


def test_settings_page_shows_the_goal_and_the_public_page_off(signed_in):
    page = html(signed_in.get("/progress/settings/"))
    assert 'name="hours" value="5"' in page  # the default 300 minutes
    assert 'name="enabled"' in page
    assert "checked" not in page


def test_weekly_goal_is_saved_in_minutes(signed_in, learner):
    response = signed_in.post("/progress/settings/weekly-goal/", {"hours": "7.5"})
    assert response["Location"] == "/progress/settings/"
    assert ProgressSettings.objects.get(user=learner).weekly_goal_minutes == 450


@pytest.mark.parametrize(
    ("hours", "error"),
    [
        ("-1", "greater than or equal to 0"),
        ("200", "less than or equal to 168"),
        ("lots", "Enter a number."),
    ],
)
def test_bad_weekly_goal_shows_the_error(signed_in, hours, error):
    response = signed_in.post("/progress/settings/weekly-goal/", {"hours": hours})
    assert response.status_code == 400
    assert error in field_errors(html(response), "hours")
    assert not ProgressSettings.objects.exists()


def test_public_page_is_turned_on_with_a_handle(signed_in, learner):
    response = signed_in.post(
        "/progress/settings/public-page/", {"enabled": "on", "handle": "ada-l"}
    )
    assert response["Location"] == "/progress/settings/"
    learner.refresh_from_db()
    assert learner.handle == "ada-l"
    assert ProgressSettings.objects.get(user=learner).public_profile is True
    assert 'href="/u/ada-l/"' in html(signed_in.get("/progress/settings/"))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"enabled": "on", "handle": ""}, "Choose a handle for your public page."),
        ({"enabled": "on", "handle": "Not Valid!"}, "lowercase letters"),
        ({"enabled": "on", "handle": "taken"}, "That handle is taken"),
    ],
)
def test_bad_public_page_settings_show_the_error(signed_in, learner, data, error):
    UserFactory(handle="taken")
    response = signed_in.post("/progress/settings/public-page/", data)
    assert response.status_code == 400
    assert error in field_errors(html(response), "handle")
    learner.refresh_from_db()
    assert learner.handle is None
    assert not ProgressSettings.objects.filter(user=learner).exists()


# --- export -------------------------------------------------------------------------------------


def test_export_page_links_both_downloads(signed_in):
    page = html(signed_in.get("/progress/export/"))
    assert 'href="/progress/export/progress.json"' in page
    assert 'href="/progress/export/progress-csv.zip"' in page


def test_json_export_holds_the_learners_data(signed_in, learner, path):
    services.status_set(user=learner, topic=path.first, status="done")
    services.note_save(user=learner, topic=path.first, body="My note")
    services.study_log_add(user=learner, day=TODAY, minutes=25, note="Log text")
    response = signed_in.get("/progress/export/progress.json")
    assert response["Content-Disposition"] == 'attachment; filename="progress.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "ada@example.com"
    assert [row["topic"] for row in data["statuses"]] == ["first"]
    assert data["notes"][0]["body"] == "My note"
    assert data["study_log"][0]["note"] == "Log text"


def test_csv_export_is_a_zip_of_csv_files(signed_in, learner, path):
    services.study_log_add(user=learner, day=TODAY, minutes=25, note="Log text")
    response = signed_in.get("/progress/export/progress-csv.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "study_log.csv" in archive.namelist()
    assert "Log text" in archive.read("study_log.csv").decode()


def test_export_holds_only_the_learners_own_data(signed_in, path):
    services.study_log_add(user=UserFactory(), day=TODAY, minutes=25, note="Someone else")
    assert b"Someone else" not in signed_in.get("/progress/export/progress.json").content


@pytest.mark.parametrize(
    "url",
    [
        "/study-log/99999999999999999999/edit/",
        "/study-log/99999999999999999999/delete/",
        "/progress/resources/99999999999999999999/done/",
    ],
)
def test_out_of_range_ids_are_404_not_500(signed_in, url):
    assert signed_in.get(url).status_code == 404
    assert (
        signed_in.post(url, {"done": "on", "day": "2026-03-18", "minutes": "5"}).status_code == 404
    )


def test_each_control_also_has_a_page_of_its_own(signed_in, learner, path):
    services.status_set(user=learner, topic=path.second, status="skipped")
    page = html(signed_in.get("/progress/topics/second/status/?next=/tracks/ml-path/"))
    assert "<h1>Status of Second Topic</h1>" in page
    assert '<option value="skipped" selected>Skipped</option>' in page
    assert 'name="next" value="/tracks/ml-path/"' in page
    page = html(signed_in.get("/progress/tracks/ml-path/target/"))
    assert 'type="date" name="target_date"' in page
    services.note_save(user=learner, topic=path.first, body="Old text")
    assert "Old text</textarea>" in html(signed_in.get("/progress/topics/first/note/"))
