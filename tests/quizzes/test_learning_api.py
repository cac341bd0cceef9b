"""The learning API under /api/v1/: the review queue and rating, exam dates, readiness,
confusions, notes on questions and problem reports. Each endpoint: the happy path, bad input as a
4xx problem with nothing changed, and another learner's data never visible. Then the data
export and account deletion of the same rows."""

import csv
import io
import zipfile
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import services as portal_services
from progress import queries as progress_queries
from quizzes.models import AnswerRecord, ExamDate, QuestionNote, QuestionReport, ReviewCard
from quizzes.services import exam_date_set, question_note_save, question_report
from tests.factories import UserFactory

from .attempt_fixtures import T0, at
from .factories import ExamDomainFactory, ExamFactory, question_in
from .learning_fixtures import practise_all, service_question, technologies

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
NOW = T0 + timedelta(hours=1)  # 2026-11-24 10:00 UTC: 11:00 in Berlin
API = "/api/v1"


@pytest.fixture(autouse=True)
def _clock():
    with at(NOW):
        yield


def pick_sns_else_right(content: dict) -> int:
    """The learner's habit: SNS whenever it is offered, the right answer otherwise."""
    for choice in content["choices"]:
        if "Amazon SNS" in choice["text_html"]:
            return choice["key"]
    return next(choice["key"] for choice in content["choices"] if choice["correct"])


def practised_exam(user, code: str = "DVA-C02"):  # noqa: ANN001, ANN201
    """An exam (Development 60%, Security 40%) the learner has practised through the services:
    5 "SQS or SNS?" questions answered SNS (wrong), 6 others answered right."""
    technologies()
    exam = ExamFactory(code=code, domains=[], passing_score=720, score_scale_max=1000)
    build = ExamDomainFactory(exam=exam, code="1", name="Development", weight_min=60, weight_max=60)
    secure = ExamDomainFactory(exam=exam, code="2", name="Security", weight_min=40, weight_max=40)
    sqs = [service_question(build, "Amazon SQS", ["Amazon SNS", "AWS Lambda", "Amazon S3"])
           for _ in range(5)]  # fmt: skip
    others = [question_in(secure) for _ in range(6)]
    practise_all(user, exam, pick_sns_else_right, now=T0)
    return SimpleNamespace(exam=exam, sqs=sqs, others=others, unseen=question_in(secure))


@pytest.fixture
def learner():
    return UserFactory(timezone="Europe/Berlin")


@pytest.fixture
def other():
    return UserFactory(timezone="UTC")


@pytest.fixture
def world(learner):
    return practised_exam(learner)


@pytest.fixture
def me(api_client, learner):
    api_client.force_authenticate(learner)
    return api_client


def call(client, method: str, path: str, data=None):  # noqa: ANN001, ANN201
    return getattr(client, method)(f"{API}{path}", data=data, format="json")


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/review/"), ("post", "/review/q-1/rate/"), ("get", "/exam-dates/"),
        ("get", "/exam-dates/DVA-C02/"), ("put", "/exam-dates/DVA-C02/"),
        ("delete", "/exam-dates/DVA-C02/"), ("get", "/readiness/DVA-C02/"),
        ("get", "/confusions/"), ("get", "/question-notes/q-1/"), ("put", "/question-notes/q-1/"),
        ("delete", "/question-notes/q-1/"), ("get", "/question-reports/"),
        ("post", "/question-reports/"),
    ],
)  # fmt: skip
def test_every_endpoint_needs_a_signed_in_learner(api_client, method, path):
    body = problem(call(api_client, method, path, {}), 401)
    assert body["type"] == "/api/problems/not_authenticated"


# --- Review queue and rating -------------------------------------------------------------------


def test_review_queue_counts_whats_due_today_per_exam(me, learner, other, world):
    ids = list(
        ReviewCard.objects.filter(user=learner)
        .order_by("question_id")
        .values_list("question_id", flat=True)
    )
    overdue, later_today, next_week = ids[:3], ids[3:5], ids[5:]
    ReviewCard.objects.filter(question_id__in=overdue).update(due=NOW - timedelta(days=1))
    ReviewCard.objects.filter(question_id__in=later_today).update(
        due=datetime(2026, 11, 24, 22, 59, tzinfo=NOW.tzinfo)  # 23:59 in Berlin
    )
    ReviewCard.objects.filter(question_id__in=next_week).update(due=NOW + timedelta(days=7))
    practised_exam(other, code="OTHER-C01")  # someone else's cards, all due
    body = call(me, "get", "/review/").json()
    assert body["due_today"] == 5
    assert body["exams"] == [{"exam": "DVA-C02", "name": world.exam.name, "due_today": 5}]
    assert len(body["next"]) == 11
    first = body["next"][0]
    assert first["exams"] == ["DVA-C02"]
    assert first["question"] in {q.uid for q in [*world.sqs, *world.others]}
    assert [item["due"] for item in body["next"]] == sorted(item["due"] for item in body["next"])


def test_rating_a_question_moves_its_card(me, learner, world):
    question = world.others[0]
    before = ReviewCard.objects.get(user=learner, question=question)
    body = call(me, "post", f"/review/{question.uid}/rate/", {"rating": "easy"}).json()
    assert body["question"] == question.uid
    assert body["reviews"] == before.reviews + 1
    assert ReviewCard.objects.get(pk=before.pk).due > before.due


def test_rating_a_question_never_answered_is_404_and_changes_nothing(me, learner, other, world):
    cards = ReviewCard.objects.count()
    body = problem(call(me, "post", f"/review/{world.unseen.uid}/rate/", {"rating": "good"}), 404)
    assert "not answered" in body["detail"]
    problem(call(me, "post", "/review/no-such-question/rate/", {"rating": "good"}), 404)
    assert ReviewCard.objects.count() == cards
    assert not ReviewCard.objects.filter(user=other).exists()


def test_rating_with_a_bad_rating_is_400_naming_it(me, learner, world):
    question = world.others[0]
    before = ReviewCard.objects.get(user=learner, question=question)
    body = problem(call(me, "post", f"/review/{question.uid}/rate/", {"rating": "perfect"}), 400)
    assert list(body["errors"]) == ["rating"]
    assert ReviewCard.objects.get(pk=before.pk).reviews == before.reviews


def test_rating_another_learners_card_is_404(api_client, other, world):
    api_client.force_authenticate(other)
    problem(call(api_client, "post", f"/review/{world.sqs[0].uid}/rate/", {"rating": "good"}), 404)
    assert not ReviewCard.objects.filter(user=other).exists()


# --- Exam dates --------------------------------------------------------------------------------


def test_exam_dates_are_set_read_listed_and_forgotten(me, learner, world):
    body = call(me, "put", "/exam-dates/dva-c02/", {"day": "2027-01-15"}).json()
    assert body == {
        "exam": "DVA-C02", "exam_name": world.exam.name, "day": "2027-01-15",
        "days_left": (date(2027, 1, 15) - date(2026, 11, 24)).days,
        "updated_at": body["updated_at"],
    }  # fmt: skip
    assert call(me, "get", "/exam-dates/").json()["results"] == [body]
    assert call(me, "get", "/exam-dates/DVA-C02/").json()["day"] == "2027-01-15"
    assert call(me, "delete", "/exam-dates/DVA-C02/").status_code == 204
    problem(call(me, "delete", "/exam-dates/DVA-C02/"), 404)
    problem(call(me, "get", "/exam-dates/DVA-C02/"), 404)
    call(me, "put", "/exam-dates/DVA-C02/", {"day": "2026-11-24"})  # today is fine
    assert call(me, "put", "/exam-dates/DVA-C02/", {"day": None}).status_code == 204
    assert not ExamDate.objects.exists()


def test_an_exam_date_in_the_past_is_400_and_keeps_the_old_date(me, learner, world):
    exam_date_set(user=learner, exam=world.exam, day=date(2027, 2, 1))
    body = problem(call(me, "put", "/exam-dates/DVA-C02/", {"day": "2026-11-23"}), 400)
    assert body["errors"] == {"day": ["The exam date is in the past."]}
    body = problem(call(me, "put", "/exam-dates/DVA-C02/", {"day": "next week"}), 400)
    assert list(body["errors"]) == ["day"]
    problem(call(me, "put", "/exam-dates/DVA-C02/", {}), 400)
    assert ExamDate.objects.get().day == date(2027, 2, 1)


def test_an_unknown_exam_is_404(me, world):
    problem(call(me, "put", "/exam-dates/NOPE-C01/", {"day": "2027-01-15"}), 404)
    problem(call(me, "get", "/readiness/NOPE-C01/"), 404)
    assert not ExamDate.objects.exists()


def test_another_learners_exam_dates_are_never_visible(api_client, learner, other, world):
    exam_date_set(user=learner, exam=world.exam, day=date(2027, 2, 1))
    api_client.force_authenticate(other)
    assert call(api_client, "get", "/exam-dates/").json()["results"] == []
    problem(call(api_client, "get", "/exam-dates/DVA-C02/"), 404)
    problem(call(api_client, "delete", "/exam-dates/DVA-C02/"), 404)
    assert ExamDate.objects.get().user == learner


# --- Readiness and confusions ------------------------------------------------------------------


def test_readiness_states_the_verdict_interval_and_weakest_domain(me, world):
    body = call(me, "get", "/readiness/DVA-C02/").json()
    assert (body["exam"], body["threshold"], body["answered"]) == ("DVA-C02", 0.72, 11)
    assert [(d["code"], d["correct"], d["answered"]) for d in body["domains"]] == [
        ("1", 0, 5),
        ("2", 6, 6),
    ]
    assert body["estimate"] == 0.4  # 60% x 0 + 40% x 1
    assert body["low"] < 0.4 < body["high"] < 0.72
    assert (body["verdict"], body["verdict_label"]) == ("not_yet", "not yet")
    assert body["weakest"] == ["1"]
    assert body["missing"] == []


def test_readiness_of_another_learner_is_never_mine(api_client, other, world):
    api_client.force_authenticate(other)
    body = call(api_client, "get", "/readiness/DVA-C02/").json()
    assert (body["answered"], body["verdict"]) == (0, "not_enough_data")


def test_confusions_name_the_pair_and_its_questions(me, world, api_client, other):
    body = call(me, "get", "/confusions/").json()
    assert [(c["right"], c["picked"], c["times"], c["out_of"]) for c in body] == [
        ("Amazon SQS", "Amazon SNS", 5, 5)
    ]
    assert set(body[0]["questions"]) == {q.uid for q in world.sqs}
    assert call(me, "get", "/confusions/", {"exam": "DVA-C02"}).json() == body
    assert call(me, "get", "/confusions/", {"exam": "NOPE"}).json() == []
    api_client.force_authenticate(other)
    assert call(api_client, "get", "/confusions/").json() == []


# --- Notes -------------------------------------------------------------------------------------


def test_a_note_on_an_answered_question_is_written_read_and_deleted(me, world):
    uid = world.sqs[0].uid
    body = call(me, "put", f"/question-notes/{uid}/", {"body": "SQS **pulls**"}).json()
    assert (body["question"], body["body"]) == (uid, "SQS **pulls**")
    assert "<strong>pulls</strong>" in body["body_html"]
    assert call(me, "get", f"/question-notes/{uid}/").json()["body"] == "SQS **pulls**"
    assert call(me, "delete", f"/question-notes/{uid}/").status_code == 204
    problem(call(me, "delete", f"/question-notes/{uid}/"), 404)
    call(me, "put", f"/question-notes/{uid}/", {"body": "again"})
    assert call(me, "put", f"/question-notes/{uid}/", {"body": "  "}).status_code == 204
    assert not QuestionNote.objects.exists()


def test_a_note_on_a_question_never_answered_or_too_long_changes_nothing(me, learner, world):
    problem(call(me, "put", f"/question-notes/{world.unseen.uid}/", {"body": "x"}), 404)
    problem(call(me, "put", "/question-notes/no-such/", {"body": "x"}), 404)
    uid = world.sqs[0].uid
    question_note_save(user=learner, question_uid=uid, body="kept")
    body = problem(call(me, "put", f"/question-notes/{uid}/", {"body": "x" * 5001}), 400)
    assert list(body["errors"]) == ["body"]
    problem(call(me, "put", f"/question-notes/{uid}/", {}), 400)
    assert [note.body for note in QuestionNote.objects.all()] == ["kept"]


def test_another_learners_note_is_never_visible(api_client, learner, other, world):
    uid = world.sqs[0].uid
    question_note_save(user=learner, question_uid=uid, body="mine")
    practised_exam(other, code="OTHER-C01")
    api_client.force_authenticate(other)
    problem(call(api_client, "get", f"/question-notes/{uid}/"), 404)
    problem(call(api_client, "delete", f"/question-notes/{uid}/"), 404)
    problem(call(api_client, "put", f"/question-notes/{uid}/", {"body": "theirs"}), 404)
    assert [(n.user, n.body) for n in QuestionNote.objects.all()] == [(learner, "mine")]


# --- Reports -----------------------------------------------------------------------------------


def test_a_report_is_sent_and_listed_to_its_author_only(me, api_client, learner, other, world):
    data = {"question": world.sqs[0].uid, "reason": "wrong_answer", "text": "SNS keeps none"}
    response = call(me, "post", "/question-reports/", data)
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("question", "reason", "text", "state")} == {
        "question": world.sqs[0].uid, "reason": "wrong_answer", "text": "SNS keeps none",
        "state": "open",
    }  # fmt: skip
    listing = call(me, "get", "/question-reports/").json()
    assert (listing["count"], listing["results"]) == (1, [body])
    theirs = practised_exam(other, code="OTHER-C01")
    question_report(user=other, question_uid=theirs.others[0].uid, reason="typo")
    api_client.force_authenticate(other)
    listing = call(api_client, "get", "/question-reports/").json()
    assert [row["question"] for row in listing["results"]] == [theirs.others[0].uid]


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"question": "UNSEEN", "reason": "typo"}, 404, None),
        ({"question": "no-such", "reason": "typo"}, 404, None),
        ({"question": "SEEN", "reason": "meh"}, 400, "reason"),
        ({"question": "SEEN", "reason": "typo", "text": "x" * 2001}, 400, "text"),
        ({"reason": "typo"}, 400, "question"),
    ],
)
def test_a_bad_report_is_a_problem_and_saves_nothing(me, world, data, status, field):
    uids = {"UNSEEN": world.unseen.uid, "SEEN": world.sqs[0].uid}
    data = {**data, "question": uids.get(data.get("question"), data.get("question"))}
    data = {key: value for key, value in data.items() if value is not None}
    body = problem(call(me, "post", "/question-reports/", data), status)
    if field:
        assert list(body["errors"]) == [field]
    assert not QuestionReport.objects.exists()


# --- Cost --------------------------------------------------------------------------------------

LISTS = ["/review/", "/exam-dates/", "/readiness/DVA-C02/", "/confusions/", "/question-reports/"]


@pytest.mark.parametrize("path", LISTS)
def test_reads_cost_the_same_at_two_history_sizes(me, learner, world, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert call(me, "get", path).status_code == 200
        return len(context)

    exam_date_set(user=learner, exam=world.exam, day=date(2027, 1, 15))
    question_report(user=learner, question_uid=world.sqs[0].uid, reason="typo")
    small = count()
    for day in range(1, 6):
        practise_all(learner, world.exam, pick_sns_else_right, now=T0 - timedelta(days=day))
        question_report(user=learner, question_uid=world.sqs[day - 1].uid, reason="unclear")
    assert AnswerRecord.objects.filter(user=learner).count() == 11 + 12 * 5  # + the unseen one
    assert count() == small


# --- Export and deletion -----------------------------------------------------------------------


def own_review_data(user, world) -> None:  # noqa: ANN001
    exam_date_set(user=user, exam=world.exam, day=date(2027, 1, 15))
    question_note_save(user=user, question_uid=world.sqs[0].uid, body="SQS pulls")
    question_report(user=user, question_uid=world.sqs[1].uid, reason="typo", text="Teh")


def test_the_export_holds_review_cards_exam_dates_notes_and_reports(learner, other, world):
    own_review_data(learner, world)
    practised_exam(other, code="OTHER-C01")
    data = progress_queries.export_data(user=learner)
    assert len(data["review_cards"]) == 11
    assert {row["question"] for row in data["review_cards"]} == {
        q.uid for q in [*world.sqs, *world.others]
    }
    assert data["review_cards"][0]["reviews"] == 1
    assert data["exam_dates"] == [
        {"exam": "DVA-C02", "exam_name": world.exam.name, "day": "2027-01-15",
         "updated_at": data["exam_dates"][0]["updated_at"]}
    ]  # fmt: skip
    assert [(n["question"], n["body"]) for n in data["question_notes"]] == [
        (world.sqs[0].uid, "SQS pulls")
    ]
    assert [(r["question"], r["reason"], r["text"]) for r in data["question_reports"]] == [
        (world.sqs[1].uid, "typo", "Teh")
    ]
    archive = zipfile.ZipFile(io.BytesIO(progress_queries.export_csv_zip(user=learner)))
    rows = {
        name: list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
        for name in ("review_cards", "exam_dates", "question_notes", "question_reports")
    }
    assert {name: len(found) for name, found in rows.items()} == {
        "review_cards": 11, "exam_dates": 1, "question_notes": 1, "question_reports": 1,
    }  # fmt: skip
    assert rows["question_notes"][0]["body"] == "SQS pulls"


def test_the_export_endpoint_includes_the_review_data(me, learner, world):
    own_review_data(learner, world)
    body = call(me, "get", "/me/export/").json()
    assert {len(body[k]) for k in ("exam_dates", "question_notes", "question_reports")} == {1}


def test_deleting_the_account_removes_review_data_and_anonymises_reports(learner, other, world):
    own_review_data(learner, world)
    practised_exam(other, code="OTHER-C01")
    portal_services.account_delete(user=learner)
    for model in (ReviewCard, ExamDate, QuestionNote, AnswerRecord):
        assert not model.objects.filter(user_id=learner.pk).exists(), model
    report = QuestionReport.objects.get()
    assert (report.user_id, report.reason, report.text) == (None, "typo", "Teh")
    assert ReviewCard.objects.filter(user=other).count() == 11  # others keep theirs
    assert AnswerRecord.objects.filter(user=other).count() == 11
