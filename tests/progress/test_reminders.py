"""Study reminders: preferences (service, page, API), the local-time schedule across daylight-saving
changes, the dispatcher's idempotency and batching, the emails' content and the unsubscribe link.

The fault tests (real worker killed, broker and SMTP down) are in test_reminder_faults.py."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.celery import app
from progress import reminders, schedule
from progress.models import DailyActivity, ReminderDelivery, ReminderPreference
from progress.services import ProgressError, track_follow
from progress.tasks import send_reminders
from tests.factories import UserFactory

from .world import make_world

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
API = "/api/v1/me/reminders/"


@pytest.fixture(autouse=True)
def eager():
    """Sends run in-process here (the worker tests are in test_reminder_faults.py)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def learner(zone: str = "UTC", **prefs: object):
    user = UserFactory(timezone=zone)
    reminders.reminder_preferences_set(
        user=user, now=prefs.pop("now", None), **{"enabled": True, **prefs}
    )
    return user


def run_dispatcher(start: datetime, end: datetime, step: timedelta = timedelta(minutes=5)) -> None:
    at = start
    while at <= end:
        reminders.reminders_dispatch(now=at)
        at += step


# --- schedule ---------------------------------------------------------------------------------


def test_cadences_choose_their_days():
    assert schedule.reminder_days("daily", []) == (0, 1, 2, 3, 4, 5, 6)
    assert schedule.reminder_days("weekdays", [6]) == (0, 1, 2, 3, 4)
    assert schedule.reminder_days("custom", [3, 0, 3]) == (0, 3)


def test_next_slot_is_the_local_time_on_the_next_chosen_day():
    friday_noon = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 12:00 in New York
    slot = schedule.next_slot(
        after=friday_noon, at=time(8, 0), zone=NEW_YORK, weekdays=schedule.WEEKDAY_NUMBERS
    )
    assert slot.local_date == date(2026, 11, 30)  # Monday, not the weekend
    assert slot.at == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # 08:00 EST


def test_a_time_skipped_by_spring_forward_still_gives_one_slot():
    slot = schedule.next_slot(
        after=datetime(2026, 3, 8, 0, 0, tzinfo=UTC),
        at=time(2, 30),
        zone=NEW_YORK,
        weekdays=schedule.ALL_DAYS,
    )
    assert slot.local_date == date(2026, 3, 8)
    assert slot.at.astimezone(NEW_YORK).hour == 3  # 02:30 does not exist that day


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [(date(2026, 3, 6), date(2026, 3, 10)), (date(2026, 10, 30), date(2026, 11, 3))],
    ids=["spring forward", "fall back"],
)
def test_one_reminder_at_0800_new_york_on_each_day_across_dst(first_day, last_day):
    start = datetime.combine(first_day, time(0), tzinfo=NEW_YORK).astimezone(UTC)
    user = learner("America/New_York", time_of_day=time(8, 0), skip_if_studied=False, now=start)
    end = datetime.combine(last_day, time(23, 55), tzinfo=NEW_YORK).astimezone(UTC)
    run_dispatcher(start, end)

    rows = list(ReminderDelivery.objects.filter(user=user).order_by("due_at"))
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    assert [row.local_date for row in rows] == days
    assert {row.due_at.astimezone(NEW_YORK).time() for row in rows} == {time(8, 0)}
    assert {row.state for row in rows} == {"sent"}
    keys = [message.extra_headers["X-Reminder-Key"] for message in mail.outbox]
    assert sorted(keys) == sorted(f"{user.pk}:reminder:{day.isoformat()}" for day in days)


def test_weekdays_cadence_sends_nothing_at_the_weekend():
    start = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # Friday
    user = learner(cadence="weekdays", time_of_day=time(9, 0), skip_if_studied=False, now=start)
    run_dispatcher(start, datetime(2026, 11, 30, 23, 55, tzinfo=UTC), timedelta(minutes=15))
    days = list(ReminderDelivery.objects.filter(user=user).values_list("local_date", flat=True))
    assert sorted(days) == [date(2026, 11, 27), date(2026, 11, 30)]


# --- preferences ------------------------------------------------------------------------------


def test_new_learners_get_no_reminders_until_they_opt_in():
    user = UserFactory()
    reminders.reminders_dispatch(now=datetime(2030, 1, 1, tzinfo=UTC))
    assert not ReminderDelivery.objects.exists()
    pref = reminders.reminder_preferences_set(user=user, cadence="weekdays")
    assert pref.enabled is False
    assert pref.next_reminder_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cadence": "custom", "days": []}, "days"),
        ({"days": [7]}, "days"),
        ({"cadence": "hourly"}, "cadence"),
        ({"digest_day": 9}, "digest_day"),
        ({"enabled": "yes"}, "enabled"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_preferences_are_refused_and_change_nothing(changes, field):
    user = learner(time_of_day=time(7, 0))
    before = ReminderPreference.objects.get(user=user)
    with pytest.raises(ProgressError) as error:
        reminders.reminder_preferences_set(user=user, **changes)
    assert error.value.field == field
    after = ReminderPreference.objects.get(user=user)
    assert (after.cadence, after.days, after.digest_day, after.next_reminder_at) == (
        before.cadence,
        before.days,
        before.digest_day,
        before.next_reminder_at,
    )


def test_turning_reminders_off_clears_the_next_time():
    user = learner()
    pref = reminders.reminder_preferences_set(user=user, enabled=False, digest_enabled=True)
    assert pref.next_reminder_at is None
    assert pref.next_digest_at is not None


def test_settings_page_saves_preferences_and_shows_the_log(client):
    user = UserFactory(timezone="Europe/Berlin")
    client.force_login(user)
    page = client.get(reverse("progress:reminders"))
    assert page.status_code == 200
    assert b"No reminders yet" in page.content
    form = {
        "enabled": "on",
        "cadence": "custom",
        "days": ["0", "3"],
        "time_of_day": "07:30",
        "digest_day": "6",
    }
    response = client.post(reverse("progress:reminders"), form)
    assert response.status_code == 302
    pref = ReminderPreference.objects.get(user=user)
    assert (pref.enabled, pref.cadence, pref.days, pref.time_of_day) == (
        True,
        "custom",
        [0, 3],
        time(7, 30),
    )
    assert pref.next_reminder_at.astimezone(ZoneInfo("Europe/Berlin")).time() == time(7, 30)
    ReminderDelivery.objects.create(
        user=user,
        kind="reminder",
        local_date=date(2026, 11, 23),
        due_at=datetime(2026, 11, 23, 6, 30, tzinfo=UTC),
        state="skipped",
        reason="already studied that day",
    )
    page = client.get(reverse("progress:reminders"))
    assert b"already studied that day" in page.content


def test_settings_page_shows_field_errors_and_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    form = {"enabled": "on", "cadence": "custom", "time_of_day": "25:99", "digest_day": "6"}
    response = client.post(reverse("progress:reminders"), form)
    assert response.status_code == 400
    assert b"Choose at least one day" in response.content
    assert b"Enter a valid time" in response.content
    assert not ReminderPreference.objects.exists()


def test_api_reads_and_changes_preferences(client):
    user = UserFactory(timezone="Asia/Tokyo")
    client.force_login(user)
    body = client.get(API).json()
    assert body["enabled"] is False
    assert body["timezone"] == "Asia/Tokyo"
    response = client.patch(
        API,
        {"enabled": True, "cadence": "weekdays", "time_of_day": "06:45", "digest_enabled": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_of_day"] == "06:45"
    assert body["next_reminder_at"] is not None
    local = datetime.fromisoformat(body["next_reminder_at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    assert local.time() == time(6, 45)
    assert local.weekday() < 5


def test_api_refuses_bad_input_with_a_problem(client):
    user = UserFactory()
    client.force_login(user)
    response = client.patch(API, {"cadence": "custom", "days": []}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "days" in response.json()["errors"]
    response = client.patch(API, {"time_of_day": "noon"}, content_type="application/json")
    assert response.status_code == 400
    assert not ReminderPreference.objects.exists()


def test_api_log_lists_only_the_learners_own_reminders(client):
    user, other = UserFactory(), UserFactory()
    for who in (user, other):
        ReminderDelivery.objects.create(
            user=who,
            kind="reminder",
            local_date=date(2026, 11, 24),
            due_at=datetime(2026, 11, 24, 8, tzinfo=UTC),
            state="sent",
        )
    client.force_login(user)
    body = client.get(f"{API}log/").json()
    assert body["count"] == 1
    assert body["results"][0]["state"] == "sent"


# --- dispatch and delivery --------------------------------------------------------------------


def test_dispatching_twice_and_sending_twice_sends_once():
    start = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    users = [learner(time_of_day=time(8, 0), now=start) for _ in range(3)]
    due = datetime(2026, 11, 24, 8, 1, tzinfo=UTC)
    app.conf.task_always_eager = False  # only create the rows; send by hand below
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(reminders, "_enqueue", lambda ids: 0)
            reminders.reminders_dispatch(now=due)
            reminders.reminders_dispatch(now=due)
    finally:
        app.conf.task_always_eager = True
    ids = list(ReminderDelivery.objects.values_list("pk", flat=True))
    assert len(ids) == 3
    send_reminders.apply(args=[ids])
    send_reminders.apply(args=[ids])
    assert len(mail.outbox) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
    assert set(ReminderDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_claim_is_taken_once_until_its_lease_runs_out(settings):
    user = learner()
    row = ReminderDelivery.objects.create(
        user=user, kind="reminder", local_date=date(2026, 11, 24), due_at=datetime.now(UTC)
    )
    now = datetime.now(UTC)
    assert reminders.claim(row.pk, now)
    assert not reminders.claim(row.pk, now + timedelta(seconds=5))
    later = now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 1)
    assert reminders.claim(row.pk, later)  # the first claimant died: another may send


def test_a_stale_claim_is_picked_up_by_the_next_dispatch(settings):
    user = learner()
    row = ReminderDelivery.objects.create(
        user=user,
        kind="reminder",
        local_date=user.local_today(),
        due_at=datetime.now(UTC),
        state="claimed",
        claimed_at=datetime.now(UTC) - timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 5),
        attempts=1,
    )
    ReminderDelivery.objects.filter(pk=row.pk).update(
        created_at=datetime.now(UTC) - timedelta(minutes=30)
    )
    report = reminders.reminders_dispatch()
    assert report.requeued == 1
    row.refresh_from_db()
    assert row.state == "sent"
    assert row.attempts == 2
    assert len(mail.outbox) == 1


def test_a_reminder_is_skipped_when_the_learner_already_studied_that_day():
    start = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    user = learner(time_of_day=time(18, 0), now=start)
    DailyActivity.objects.create(user=user, day=date(2026, 11, 24), minutes=30)
    reminders.reminders_dispatch(now=datetime(2026, 11, 24, 18, 2, tzinfo=UTC))
    row = ReminderDelivery.objects.get(user=user)
    assert (row.state, row.reason) == ("skipped", "already studied that day")
    assert mail.outbox == []


def test_a_reminder_hours_late_is_logged_as_late_not_sent():
    user = learner(time_of_day=time(8, 0), now=datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    reminders.reminders_dispatch(now=datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    row = ReminderDelivery.objects.get(user=user)
    assert row.state == "skipped"
    assert row.reason.startswith("late")
    assert mail.outbox == []
    pref = ReminderPreference.objects.get(user=user)
    assert pref.next_reminder_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_a_timezone_change_moves_the_next_reminder_instead_of_sending_at_the_old_time():
    user = learner("UTC", time_of_day=time(8, 0), now=datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    user.timezone = "Asia/Tokyo"
    user.save(update_fields=["timezone"])
    reminders.reminders_dispatch(now=datetime(2026, 11, 24, 8, 1, tzinfo=UTC))
    assert not ReminderDelivery.objects.exists()
    pref = ReminderPreference.objects.get(user=user)
    assert pref.next_reminder_at.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(8, 0)


def test_dispatch_queries_per_batch_do_not_grow_with_the_batch(settings):
    settings.REMINDER_BATCH_SIZE = 1000
    start = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    due = datetime(2026, 11, 24, 8, 1, tzinfo=UTC)
    counts = {}
    for size in (2, 40):
        ReminderDelivery.objects.all().delete()
        ReminderPreference.objects.all().delete()
        for _ in range(size):
            learner(time_of_day=time(8, 0), now=start)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(reminders, "_enqueue", lambda ids: len(ids))
            with CaptureQueriesContext(connection) as context:
                report = reminders.reminders_dispatch(now=due)
        assert report.created == size
        counts[size] = len(context)
    assert counts[2] == counts[40], counts


def test_batches_cover_every_due_learner(settings):
    settings.REMINDER_BATCH_SIZE = 3
    start = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    for _ in range(7):
        learner(time_of_day=time(8, 0), skip_if_studied=False, now=start)
    report = reminders.reminders_dispatch(now=datetime(2026, 11, 24, 8, 1, tzinfo=UTC))
    assert (report.created, report.batches) == (7, 3)
    assert len(mail.outbox) == 7


# --- the emails -------------------------------------------------------------------------------


def test_reminder_email_has_the_next_topic_reviews_exam_and_streak(settings):
    world = make_world()
    user = learner(time_of_day=time(8, 0), skip_if_studied=False)
    track_follow(user=user, track=world.track)
    yesterday = user.local_today() - timedelta(days=1)
    DailyActivity.objects.create(user=user, day=yesterday, minutes=20)
    delivery = reminders.reminder_send_now(user=user)
    assert delivery.state in {"pending", "sent"}
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert world.a1_first.title in text
    assert f"/topics/{world.a1_first.slug}/" in html
    assert "1-day study streak ends today" in text
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(settings.SITE_URL)
    assert url in text
    assert url in html


def test_digest_email_has_the_week(client):
    world = make_world()
    user = learner(digest_enabled=True)
    track_follow(user=user, track=world.track)
    DailyActivity.objects.create(user=user, day=user.local_today(), minutes=90)
    reminders.reminder_send_now(user=user, kind="digest")
    [message] = mail.outbox
    assert "1.5 hours" in message.body
    assert message.subject.startswith("Your week: 1.5 h")
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert reminders.unsubscribe_read(token).kind == "digest"
    assert "Stop the weekly digest" in message.body


def test_send_now_keeps_to_one_per_day():
    user = learner()
    assert reminders.reminder_send_now(user=user) is not None
    assert reminders.reminder_send_now(user=user) is None
    assert len(mail.outbox) == 1


# --- unsubscribe ------------------------------------------------------------------------------


def unsubscribe_url(user, kind="reminder") -> str:
    return reverse("progress:unsubscribe", args=[reminders.unsubscribe_token(user=user, kind=kind)])


def test_opening_the_unsubscribe_link_changes_nothing():
    user = learner()
    response = Client().get(unsubscribe_url(user))
    assert response.status_code == 200
    assert b"Stop study reminders?" in response.content
    assert ReminderPreference.objects.get(user=user).enabled


def test_posting_the_unsubscribe_link_works_without_login_or_csrf():
    user = learner(digest_enabled=True)
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(unsubscribe_url(user), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    pref = ReminderPreference.objects.get(user=user)
    assert pref.enabled is False
    assert pref.next_reminder_at is None
    assert pref.digest_enabled  # the digest has its own link


def test_the_digest_link_stops_only_the_digest():
    user = learner(digest_enabled=True)
    Client().post(unsubscribe_url(user, "digest"))
    pref = ReminderPreference.objects.get(user=user)
    assert pref.enabled
    assert not pref.digest_enabled


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoicmVtaW5kZXIifQ:1xVxlb:forged"])
def test_a_bad_unsubscribe_token_is_refused_and_changes_nothing(token):
    user = learner()
    response = Client().post(reverse("progress:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert ReminderPreference.objects.get(user=user).enabled


def test_send_reminder_command_prints_the_email_once_a_day():
    from io import StringIO

    from django.core.management import CommandError, call_command

    user = learner(skip_if_studied=False)
    out = StringIO()
    call_command("send_reminder", user.email.upper(), stdout=out)
    assert f"reminder for {user.email.upper()} on {user.local_today()}: sent" in out.getvalue()
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="already sent"):
        call_command("send_reminder", user.email, stdout=StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("send_reminder", "nobody@example.com", stdout=StringIO())
    assert len(mail.outbox) == 1
