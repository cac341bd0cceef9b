"""Incremental sync of the learner's quiz data: attempts, exam dates, notes on questions, problem
reports and review cards take `updated_since` and answer `deleted` tombstones and `synced_at`
(docs/api.md, "Incremental sync"). Each list: the rows changed since, the tombstones after a
delete, another learner's rows never in it, and a fixed number of queries at two history sizes."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from portal.models import Tombstone
from quizzes.models import Attempt, QuestionReport, ReviewCard
from quizzes.services import (
    answer_save,
    attempt_start,
    attempt_submit,
    exam_date_set,
    flag_set,
    question_note_save,
    question_report,
    question_reports_state_set,
    review_rate,
)
from tests.factories import UserFactory

from .attempt_fixtures import T0, at, fill, make_bank
from .factories import ExamDomainFactory, ExamFactory
from .learning_fixtures import practise_all

pytestmark = pytest.mark.django_db
API = "/api/v1"
EVERYTHING = "2000-01-01T00:00:00Z"


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def right(content: dict) -> int:
    return next(choice["key"] for choice in content["choices"] if choice["correct"])


@pytest.fixture
def exam():
    return make_bank()


@pytest.fixture
def learner():
    return UserFactory(timezone="UTC")


@pytest.fixture
def other():
    return UserFactory(timezone="UTC")


@pytest.fixture
def me(api_client, learner):
    api_client.force_authenticate(learner)
    return api_client


def get(client, path: str, since: datetime | str | None = None, **params) -> dict:  # noqa: ANN001
    if since is not None:
        params["updated_since"] = since if isinstance(since, str) else iso(since)
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def practised(user, exam, moment: datetime = T0) -> None:  # noqa: ANN001
    """A practice session of every question of `exam`, all answered right, at `moment`."""
    with at(moment):
        practise_all(user, exam, right, now=moment)


def uids(rows: list[dict], key: str = "question") -> set[str]:
    return {row[key] for row in rows}


def question_uids(exam) -> list[str]:  # noqa: ANN001
    links = exam.question_links.select_related("question").order_by("pk")
    return [link.question.uid for link in links]


# --- Attempts ----------------------------------------------------------------------------------


def test_attempts_sync_follows_an_attempt_from_start_to_finish(me, learner, exam):
    practised(learner, exam)
    with at(T0 + timedelta(minutes=5)):
        finished = Attempt.objects.get(user=learner)
        attempt_submit(user=learner, attempt_id=finished.pk)
    started = T0 + timedelta(hours=1)  # a 20-minute simulation
    with at(started):
        sitting, _ = attempt_start(user=learner, exam=exam, mode="exam")
    everything = get(me, "/attempts/")
    assert [row["id"] for row in everything["results"]] == [finished.pk]
    assert [row["id"] for row in everything["open"]] == [sitting.pk]
    assert everything["deleted"] == []
    assert everything["results"][0]["updated_at"] == iso(T0 + timedelta(minutes=5))

    steps = [
        (started + timedelta(minutes=5), lambda: answer_save(
            user=learner, attempt_id=sitting.pk, position=1, answer={"choices": []})),
        (started + timedelta(minutes=10), lambda: flag_set(
            user=learner, attempt_id=sitting.pk, position=2, flagged=True)),
    ]  # fmt: skip
    for moment, write in steps:
        with at(moment):
            write()
        changed = get(me, "/attempts/", moment - timedelta(minutes=1))
        assert (changed["results"], [row["id"] for row in changed["open"]]) == ([], [sitting.pk])
        assert changed["open"][0]["updated_at"] == iso(moment)
    submitted = started + timedelta(minutes=15)
    with at(submitted):
        attempt_submit(user=learner, attempt_id=sitting.pk)
    changed = get(me, "/attempts/", submitted)  # inclusive: a change at the bound is in
    assert ([row["id"] for row in changed["results"]], changed["open"]) == ([sitting.pk], [])
    assert changed["deleted"] == []
    assert get(me, "/attempts/", submitted + timedelta(seconds=1))["results"] == []


def test_attempts_sync_keeps_the_exam_filter_and_refuses_bad_input(me, learner, exam):
    practised(learner, exam)
    ExamFactory(code="OTH-C01")
    assert get(me, "/attempts/", EVERYTHING, exam="tst-c01")["open"] != []
    assert get(me, "/attempts/", EVERYTHING, exam="OTH-C01")["open"] == []
    unknown = me.get(f"{API}/attempts/", {"exam": "NOPE-C01", "updated_since": EVERYTHING})
    assert unknown.status_code == 404
    for params in ({"updated_since": "soon"}, {"exam": "TST\x00"}):
        response = me.get(f"{API}/attempts/", params)
        assert response.status_code == 400, response.content
        assert list(response.json()["errors"]) == list(params)


# --- Exam dates ------------------------------------------------------------------------------


def test_exam_dates_sync_changed_dates_and_forgotten_ones_as_tombstones(me, learner, other, exam):
    with at(T0):
        exam_date_set(user=learner, exam=exam, day=date(2027, 1, 15))
        exam_date_set(user=other, exam=exam, day=date(2027, 1, 15))
    forgotten = T0 + timedelta(hours=1)
    with at(forgotten):
        assert me.delete(f"{API}/exam-dates/TST-C01/").status_code == 204
        exam_date_set(user=other, exam=exam, day=None)
    changed = get(me, "/exam-dates/", T0 + timedelta(minutes=30))
    assert changed["results"] == []
    assert changed["deleted"] == [
        {"kind": "exam_date", "id": "TST-C01", "deleted_at": iso(forgotten)}
    ]
    assert get(me, "/exam-dates/", forgotten)["deleted"] != []  # inclusive
    assert get(me, "/exam-dates/", forgotten + timedelta(seconds=1))["deleted"] == []
    assert get(me, "/exam-dates/")["deleted"] == []  # a full list has no deletions
    with at(T0 + timedelta(hours=2)):
        exam_date_set(user=learner, exam=exam, day=date(2027, 2, 1))
    again = get(me, "/exam-dates/", T0 + timedelta(minutes=90))
    assert [(row["exam"], row["day"]) for row in again["results"]] == [("TST-C01", "2027-02-01")]


def test_forgetting_a_date_never_booked_leaves_no_tombstone(learner, exam):
    exam_date_set(user=learner, exam=exam, day=None)
    assert not Tombstone.objects.exists()


# --- Notes on questions ------------------------------------------------------------------------


def test_question_notes_list_syncs_writes_deletes_and_emptied_notes(me, learner, other, exam):
    practised(learner, exam)
    practised(other, exam)
    first, second, third = question_uids(exam)[:3]
    for user in (learner, other):
        with at(T0):
            for uid in (first, second, third):
                question_note_save(user=user, question_uid=uid, body=f"About **{uid}**")
    listed = get(me, "/question-notes/")
    assert listed["count"] == 3
    assert listed["results"][0] == {
        "question": first, "body": f"About **{first}**",
        "body_html": f"<p>About <strong>{first}</strong></p>", "updated_at": iso(T0),
    }  # fmt: skip
    with at(T0 + timedelta(hours=1)):
        assert me.delete(f"{API}/question-notes/{first}/").status_code == 204
        assert (
            me.put(f"{API}/question-notes/{second}/", {"body": "  "}, format="json").status_code
            == 204
        )
        me.put(f"{API}/question-notes/{third}/", {"body": "Changed"}, format="json")
        question_note_save(user=other, question_uid=third, body="")
    changed = get(me, "/question-notes/", T0 + timedelta(minutes=1))
    assert uids(changed["results"]) == {third}
    assert [(row["kind"], row["id"]) for row in changed["deleted"]] == [
        ("question_note", first), ("question_note", second)
    ]  # fmt: skip


def test_question_notes_list_is_a_sync_list_with_a_400_for_a_bad_since(me):
    response = me.get(f"{API}/question-notes/", {"updated_since": "2026-02-30T00:00:00Z"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


# --- Problem reports ---------------------------------------------------------------------------


def test_question_reports_sync_the_state_an_editor_sets(me, learner, other, exam):
    practised(learner, exam)
    practised(other, exam)
    uid = question_uids(exam)[0]
    with at(T0):
        mine = question_report(user=learner, question_uid=uid, reason="typo", text="Teh")
        theirs = question_report(user=other, question_uid=uid, reason="typo")
    resolved = T0 + timedelta(hours=1)
    with at(resolved):
        question_reports_state_set(
            reports=QuestionReport.objects.filter(pk__in=[mine.pk, theirs.pk]), state="resolved"
        )
    changed = get(me, "/question-reports/", T0 + timedelta(minutes=30))
    assert [(row["id"], row["state"], row["updated_at"]) for row in changed["results"]] == [
        (mine.pk, "resolved", iso(resolved))
    ]
    assert changed["deleted"] == []
    assert get(me, "/question-reports/", resolved + timedelta(seconds=1))["results"] == []


@override_settings(STAFF_REQUIRE_2FA=False)
def test_resolving_in_the_admin_stamps_the_report_changed(client, learner, exam):
    practised(learner, exam)
    with at(T0):
        report = question_report(
            user=learner, question_uid=question_uids(exam)[0], reason="unclear"
        )
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Question editors"))
    client.force_login(editor)
    with at(T0 + timedelta(hours=1)):
        client.post(
            "/admin/quizzes/questionreport/",
            {"action": "resolve", "_selected_action": [report.pk]},
        )
    report.refresh_from_db()
    assert (report.state, report.updated_at) == ("resolved", T0 + timedelta(hours=1))


def test_a_report_state_outside_the_choices_changes_nothing(learner, exam):
    practised(learner, exam)
    report = question_report(user=learner, question_uid=question_uids(exam)[0], reason="unclear")
    with pytest.raises(Exception, match="Choose a state"):
        question_reports_state_set(reports=QuestionReport.objects.all(), state="gone")
    report.refresh_from_db()
    assert report.state == "open"


# --- Review cards ------------------------------------------------------------------------------


def test_review_cards_list_shows_the_schedule_of_each_question(me, learner, other, exam):
    practised(learner, exam)
    practised(other, exam)
    listed = get(me, "/review/cards/")
    assert listed["count"] == 13
    card = ReviewCard.objects.filter(user=learner).order_by("pk").first()
    assert listed["results"][0] == {
        "question": card.question.uid, "exams": ["TST-C01"], "due": iso(card.due),
        "state": "learning", "stability": card.card["stability"],
        "difficulty": card.card["difficulty"], "reviews": 1, "lapses": 0,
        "last_review": iso(card.last_review), "updated_at": iso(card.updated_at),
    }  # fmt: skip
    rated = T0 + timedelta(days=1)
    with at(rated):
        review_rate(user=learner, question_uid=card.question.uid, rating="again")
    changed = get(me, "/review/cards/", rated)
    assert [(row["question"], row["lapses"]) for row in changed["results"]] == [
        (card.question.uid, 1)
    ]
    assert changed["deleted"] == []


def test_an_exam_date_that_pulls_cards_in_marks_them_changed(me, learner, exam):
    practised(learner, exam)
    ReviewCard.objects.filter(user=learner).update(due=T0 + timedelta(days=60), updated_at=T0)
    booked = T0 + timedelta(days=1)
    with at(booked):
        exam_date_set(user=learner, exam=exam, day=date(2026, 12, 1))
    changed = get(me, "/review/cards/", booked)
    assert changed["count"] == 13
    assert {row["due"] < "2026-12-02" for row in changed["results"]} == {True}


# --- Every quiz list: another learner's rows, and the cost ------------------------------------

LISTS = ["/attempts/", "/exam-dates/", "/question-notes/", "/question-reports/", "/review/cards/"]


def own_everything(user, exam, moment: datetime) -> None:  # noqa: ANN001
    """Rows and tombstones of every kind for `user`: attempts, cards, a date, notes, reports."""
    practised(user, exam, moment)
    with at(moment):
        for index, uid in enumerate(question_uids(exam)):
            question_note_save(user=user, question_uid=uid, body=f"Note {index}")
            question_report(user=user, question_uid=uid, reason="typo")
        exam_date_set(user=user, exam=exam, day=date(2027, 1, 15))
        exam_date_set(user=user, exam=exam, day=None)
        exam_date_set(user=user, exam=exam, day=date(2027, 1, 16))
        question_note_save(user=user, question_uid=question_uids(exam)[0], body="")


@pytest.mark.parametrize("path", LISTS)
def test_another_learners_rows_and_deletions_never_appear(me, other, exam, path):
    own_everything(other, exam, T0)
    body = get(me, path, EVERYTHING)
    assert (body["count"], body["results"], body["deleted"]) == (0, [], [])
    assert body.get("open", []) == []


@pytest.mark.parametrize("path", LISTS)
def test_every_quiz_list_answers_the_sync_shape(me, learner, exam, path):
    own_everything(learner, exam, T0)
    with at(T0 + timedelta(hours=1)):
        body = get(me, path, T0)
    assert body["results"] or body.get("open")
    assert body["synced_at"] == iso(T0 + timedelta(hours=1))
    if path in ("/exam-dates/", "/question-notes/"):
        assert len(body["deleted"]) == 1
    else:
        assert body["deleted"] == []


@pytest.mark.parametrize("path", LISTS)
def test_quiz_lists_cost_the_same_at_two_history_sizes(me, learner, exam, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            body = get(me, path, EVERYTHING)
        assert body["results"] or body.get("open")
        return len(context)

    own_everything(learner, exam, T0)
    small = count()
    bigger = ExamFactory(code="BIG-C01", domains=[])
    ExamDomainFactory(exam=bigger, code="1", weight_min=60, weight_max=60, position=0)
    ExamDomainFactory(exam=bigger, code="2", weight_min=40, weight_max=40, position=1)
    fill(bigger, 25, 15)
    for day in range(1, 4):
        own_everything(learner, bigger, T0 + timedelta(days=day))
        own_everything(learner, exam, T0 + timedelta(days=day))
        with at(T0 + timedelta(days=day)):
            attempt_start(user=learner, exam=exam, mode="practice", count=3)
    for code in ("X1-C01", "X2-C01", "X3-C01"):
        exam_date_set(user=learner, exam=ExamFactory(code=code), day=date(2027, 3, 1))
    assert ReviewCard.objects.filter(user=learner).count() == 13 + 40
    assert Tombstone.objects.filter(user=learner).count() >= 12
    assert count() == small
