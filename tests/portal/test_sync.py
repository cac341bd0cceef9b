"""Incremental sync, the shared part (portal/sync.py, portal.services.tombstone_record,
portal.queries.tombstone_list): a malformed `updated_since` is a 400 problem naming it, `deleted`
holds only this learner's tombstones of the list's kind at or after the bound, and `synced_at` is
read before the rows. Then every sync list of the API answers that shape, and the reminder log
(whose rows change without an `updated_at`) syncs each step of a delivery."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from portal import services
from portal.models import Tombstone, User
from portal.queries import tombstone_list
from portal.sync import sync_list
from progress import reminders
from progress.models import ReminderDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PROBLEM = "application/problem+json"


def at(moment: datetime):  # noqa: ANN201
    return time_machine.travel(moment, tick=False)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class UserOut(serializers.Serializer):
    username = serializers.CharField()


class Probe(APIView):
    """A sync list of one row (the signed-in user), remembering the `updated_since` it read."""

    permission_classes = [IsAuthenticated]
    seen: list = []

    def get(self, request: Request) -> Response:
        def read(since: datetime | None):  # noqa: ANN202
            Probe.seen.append(since)
            return User.objects.filter(pk=request.user.pk).order_by("pk")

        return sync_list(request, read, UserOut, "probe")


def probe(user: User, **params: str) -> Response:
    request = APIRequestFactory().get("/probe/", params)
    force_authenticate(request, user)
    Probe.seen = []
    return Probe.as_view()(request).render()


@pytest.fixture
def learner():
    return UserFactory(username="ada")


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-13-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "\x00"]
)
def test_a_malformed_updated_since_is_a_400_problem_naming_it(learner, since):
    response = probe(learner, updated_since=since)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.data["errors"]) == ["updated_since"]
    assert Probe.seen == []  # nothing was read


def test_the_bound_is_parsed_and_passed_to_the_read(learner):
    body = probe(learner, updated_since="2026-11-24T10:00:00+01:00").data
    assert Probe.seen == [T0]
    assert (body["count"], body["results"]) == (1, [{"username": "ada"}])


def test_deleted_holds_only_this_learners_tombstones_of_the_kind_from_the_bound_on(learner):
    other = UserFactory()
    for minutes, user, kind, object_id in [
        (0, learner, "probe", "before"),
        (10, learner, "probe", "at-the-bound"),
        (20, learner, "probe", "after"),
        (20, learner, "other-kind", "not-this-list"),
        (20, other, "probe", "not-this-learner"),
    ]:
        with at(T0 + timedelta(minutes=minutes)):
            services.tombstone_record(user=user, kind=kind, object_id=object_id)
    body = probe(learner, updated_since=iso(T0 + timedelta(minutes=10))).data
    assert body["deleted"] == [
        {"kind": "probe", "id": "at-the-bound", "deleted_at": iso(T0 + timedelta(minutes=10))},
        {"kind": "probe", "id": "after", "deleted_at": iso(T0 + timedelta(minutes=20))},
    ]
    assert probe(learner).data["deleted"] == []  # a full list has no deletions


def test_synced_at_is_the_servers_time_of_the_answer(learner):
    with at(T0):
        body = probe(learner, updated_since="2026-01-01T00:00:00Z").data
    assert body["synced_at"] == "2026-11-24T09:00:00Z"
    assert list(body) == ["count", "next", "previous", "results", "deleted", "synced_at"]


def test_a_list_without_deletions_reads_no_tombstones(learner):
    services.tombstone_record(user=learner, kind="probe", object_id=1)
    with CaptureQueriesContext(connection) as context:
        assert tombstone_list(user=learner, kind=None, since=T0 - timedelta(days=1)) == []
        assert tombstone_list(user=learner, kind="probe", since=None) == []
    assert len(context) == 0


def test_a_tombstone_keeps_the_id_as_text(learner):
    tombstone = services.tombstone_record(user=learner, kind="study_log", object_id=1204)
    assert Tombstone.objects.get().object_id == "1204" == tombstone.object_id


def test_deleting_the_account_deletes_its_tombstones(learner):
    other = UserFactory()
    services.tombstone_record(user=learner, kind="note", object_id=1)
    services.tombstone_record(user=other, kind="note", object_id=2)
    services.account_delete(user=learner)
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == ["2"]


def test_tombstones_are_in_the_portal_admin_read_only():
    model_admin = admin.site._registry[Tombstone]
    assert Tombstone._meta.app_label == "portal"
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_delete_permission(None)


# --- Every sync list of the API ----------------------------------------------------------------

SYNC_LISTS = [
    "me/tracks/", "me/statuses/", "me/resources-done/", "me/notes/", "me/study-log/",
    "me/reminders/log/", "attempts/", "exam-dates/", "question-notes/", "question-reports/",
    "review/cards/",
]  # fmt: skip


@pytest.mark.parametrize("path", SYNC_LISTS)
def test_every_sync_list_answers_the_same_shape(api_client, learner, path):
    api_client.force_authenticate(learner)
    with at(T0):
        response = api_client.get(f"/api/v1/{path}", {"updated_since": "2026-11-01T00:00:00Z"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"count", "next", "previous", "results", "deleted", "synced_at"} <= set(body)
    assert body["synced_at"] == "2026-11-24T09:00:00Z"
    bad = api_client.get(f"/api/v1/{path}", {"updated_since": "2026-11-31T00:00:00Z"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == PROBLEM
    assert list(bad.json()["errors"]) == ["updated_since"]


# --- The reminder log --------------------------------------------------------------------------


def delivery(user: User, day: date) -> ReminderDelivery:
    due = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=18)
    return ReminderDelivery.objects.create(user=user, kind="reminder", local_date=day, due_at=due)


def test_the_reminder_log_syncs_each_step_of_a_delivery(api_client, learner):
    api_client.force_authenticate(learner)
    with at(T0):
        row = delivery(learner, date(2026, 11, 24))
        delivery(UserFactory(), date(2026, 11, 24))

    def changed(since: datetime) -> list[tuple[int, str]]:
        body = api_client.get("/api/v1/me/reminders/log/", {"updated_since": iso(since)}).json()
        assert body["deleted"] == []
        return [(item["id"], item["state"]) for item in body["results"]]

    assert changed(T0) == [(row.pk, "pending")]
    claimed = T0 + timedelta(minutes=5)
    assert reminders.claim(row.pk, claimed)
    assert changed(claimed) == [(row.pk, "claimed")]
    with at(T0 + timedelta(minutes=6)):
        reminders.fail([row.pk], "SMTP down")
    assert changed(T0 + timedelta(minutes=6)) == [(row.pk, "failed")]
    assert changed(T0 + timedelta(minutes=7)) == []


def test_the_reminder_log_costs_the_same_at_two_sizes(api_client, learner):
    api_client.force_authenticate(learner)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            response = api_client.get("/api/v1/me/reminders/log/", {"updated_since": iso(T0)})
        assert response.status_code == 200
        return len(context)

    with at(T0):
        delivery(learner, date(2026, 11, 1))
        small = count()
        for offset in range(2, 60):
            delivery(learner, date(2026, 11, 1) + timedelta(days=offset))
    assert count() == small
