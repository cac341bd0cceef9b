"""The quiz engine through the API alone, as a mobile app uses it: a whole mini exam with a
session token, never an answer before it may be shown, problem details for bad input, another
learner's attempt is 404, and a fixed number of queries to save an answer."""

import json
from datetime import timedelta

import pytest

from quizzes.models import Attempt, AttemptQuestion
from tests.portal.accounts_helpers import PASSWORD, verified_user

from .attempt_fixtures import T0, at

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
LEAKS = ('"correct"', '"rationale"', '"explanation_html"', "Rationale 0", "Because the")


@pytest.fixture
def token(client):
    verified_user(email="ada@example.com")
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": "ada@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    return response.json()["meta"]["session_token"]


class App:
    """A mobile client: JSON in and out, the session token on every request."""

    def __init__(self, api_client, token: str) -> None:
        self.client, self.token = api_client, token
        self.seen: list[str] = []

    def call(self, method: str, path: str, data=None):  # noqa: ANN001, ANN201
        response = getattr(self.client, method)(
            f"/api/v1{path}", data=data, format="json", HTTP_X_SESSION_TOKEN=self.token
        )
        self.seen.append(response.content.decode())
        return response


@pytest.fixture
def app(api_client, token):
    return App(api_client, token)


def right_ids(question: dict, attempt: Attempt) -> list[int]:
    item = AttemptQuestion.objects.get(attempt=attempt, position=question["position"])
    keys = [c["key"] for c in item.version.content["choices"] if c["correct"]]
    return [question["position"] * 10 + key for key in keys]


def test_a_whole_mini_exam_through_the_api_alone(app, bank):
    from quizzes.models import Question
    from tests.factories import TopicFactory

    topic = TopicFactory(slug="lambda-basics", title="Lambda Basics")
    for question in Question.objects.all():
        question.topics.add(topic)
    with at(T0):
        started = app.call("post", "/attempts/", {"exam": "tst-c01", "mode": "exam"})
    assert started.status_code == 201
    attempt_id = started.json()["id"]
    assert started.json()["seconds_left"] is None or started.json()["deadline"]
    with at(T0 + timedelta(minutes=1)):
        summary = app.call("get", f"/attempts/{attempt_id}/").json()
        assert summary["seconds_left"] == 19 * 60
        questions = app.call("get", f"/attempts/{attempt_id}/questions/").json()
    assert len(questions) == 10
    attempt = Attempt.objects.get(pk=attempt_id)
    with at(T0 + timedelta(minutes=2)):
        for question in questions[:8]:
            response = app.call(
                "put",
                f"/attempts/{attempt_id}/questions/{question['position']}/answer/",
                {"choices": right_ids(question, attempt)},
            )
            assert response.status_code == 200
            assert response.json()["answered"] is True
        app.call("put", f"/attempts/{attempt_id}/questions/9/flag/", {"flagged": True})
        again = app.call("post", "/attempts/", {"exam": "TST-C01", "mode": "exam"})
        assert (again.status_code, again.json()["id"]) == (200, attempt_id)  # resume
        assert again.json()["flagged"] == [9]
        assert again.json()["unanswered"] == [9, 10]
    # Nothing so far revealed an answer.
    for body in app.seen:
        for leak in LEAKS:
            assert leak not in body, leak
    with at(T0 + timedelta(minutes=5)):
        result = app.call("post", f"/attempts/{attempt_id}/submit/").json()
    assert result["status"] == "submitted"
    assert result["result"]["percent"] == 80
    assert result["result"]["scaled_score"] == 800
    assert result["result"]["scaled_score_is_estimate"] is True
    assert result["result"]["passed"] is True
    reviewed = app.call("get", f"/attempts/{attempt_id}/questions/").json()
    assert all(q["revealed"] and "explanation_html" in q for q in reviewed)
    linked = next(q for q in reviewed if q["topics"])
    assert linked["topics"] == [{"title": "Lambda Basics", "url": "/topics/lambda-basics/"}]
    assert any(c["correct"] for c in reviewed[0]["choices"])
    history = app.call("get", "/attempts/?exam=TST-C01").json()
    assert [row["id"] for row in history["results"]] == [attempt_id]


def test_bad_answers_are_problems_and_change_nothing(app, bank):
    with at(T0):
        attempt_id = app.call("post", "/attempts/", {"exam": "TST-C01", "mode": "exam"}).json()[
            "id"
        ]
        path = f"/attempts/{attempt_id}/questions"
        cases = [
            (f"{path}/1/answer/", {"choices": [21]}, 400, "is not a choice of question 1"),
            (f"{path}/1/answer/", {"choices": [10, 11]}, 400, "Choose exactly 1"),
            (f"{path}/1/answer/", ["x"], 400, "must be an object"),
            (f"{path}/1/answer/", {"choices": "x"}, 400, "list of choice ids"),
            (f"{path}/99/answer/", {"choices": []}, 404, "Question 99 is not in this attempt"),
            (f"{path}/1/flag/", {"flagged": "maybe"}, 400, "flagged"),
        ]
        for url, data, status, message in cases:
            response = app.call("put", url, data)
            assert response.status_code == status, (url, data, response.content)
            assert response["Content-Type"] == PROBLEM
            assert message in response.content.decode()
    assert not AttemptQuestion.objects.filter(answer__isnull=False).exists()


def test_answers_after_submit_or_deadline_are_409(app, bank):
    with at(T0):
        attempt_id = app.call("post", "/attempts/", {"exam": "TST-C01", "mode": "exam"}).json()[
            "id"
        ]
    with at(T0 + timedelta(minutes=21)):
        late = app.call("put", f"/attempts/{attempt_id}/questions/1/answer/", {"choices": []})
        assert late.status_code == 409
        assert "time is up" in late.json()["detail"]
        assert app.call("get", f"/attempts/{attempt_id}/").json()["status"] == "expired"
        again = app.call("put", f"/attempts/{attempt_id}/questions/1/flag/", {"flagged": True})
        assert again.status_code == 409


def test_a_short_bank_is_refused_with_409(app, quiz_exam):
    response = app.call("post", "/attempts/", {"exam": "TST-C01", "mode": "exam"})
    assert response.status_code == 409
    assert "cannot fill a 10-question simulation" in response.json()["detail"]
    unknown = app.call("post", "/attempts/", {"exam": "NOPE", "mode": "exam"})
    assert unknown.status_code == 400
    assert "exam" in unknown.json()["errors"]


def test_another_learners_attempt_is_404_everywhere(app, bank, api_client):
    with at(T0):
        attempt_id = app.call("post", "/attempts/", {"exam": "TST-C01", "mode": "exam"}).json()[
            "id"
        ]
    other = verified_user(email="bob@example.com")
    api_client.force_authenticate(other)
    for method, path, data in [
        ("get", f"/api/v1/attempts/{attempt_id}/", None),
        ("get", f"/api/v1/attempts/{attempt_id}/questions/", None),
        ("put", f"/api/v1/attempts/{attempt_id}/questions/1/answer/", {"choices": []}),
        ("put", f"/api/v1/attempts/{attempt_id}/questions/1/flag/", {"flagged": True}),
        ("post", f"/api/v1/attempts/{attempt_id}/submit/", None),
    ]:
        with at(T0):
            response = getattr(api_client, method)(path, data=data, format="json")
        assert response.status_code == 404, path
        assert response["Content-Type"] == PROBLEM
    assert Attempt.objects.get().is_open
    assert not AttemptQuestion.objects.filter(flagged=True).exists()


def test_anonymous_is_401(api_client):
    response = api_client.post("/api/v1/attempts/", {"exam": "X", "mode": "exam"}, format="json")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM


def test_practice_reveals_each_answer_through_the_api(app, bank):
    with at(T0):
        started = app.call(
            "post", "/attempts/", {"exam": "TST-C01", "mode": "practice", "domains": ["1"],
                                   "count": 2},
        ).json()  # fmt: skip
        questions = app.call("get", f"/attempts/{started['id']}/questions/").json()
        assert not any(q["revealed"] for q in questions)
        first = questions[0]
        wrong = next(c["id"] for c in first["choices"]
                     if c["id"] not in right_ids(first, Attempt.objects.get()))  # fmt: skip
        answered = app.call(
            "put", f"/attempts/{started['id']}/questions/1/answer/", {"choices": [wrong]}
        ).json()
    assert answered["revealed"] is True
    assert answered["correct"] is False
    assert "explanation_html" in answered
    assert all("rationale" in c for c in answered["choices"])


@pytest.mark.parametrize("questions", [10, 30])
def test_saving_an_answer_takes_a_fixed_number_of_queries(
    api_client, django_assert_max_num_queries, quiz_exam, questions
):
    from .attempt_fixtures import fill

    fill(quiz_exam, questions, questions)
    user = verified_user(email="ada@example.com")
    api_client.force_authenticate(user)
    with at(T0):
        attempt_id = api_client.post(
            "/api/v1/attempts/", {"exam": "TST-C01", "mode": "exam"}, format="json"
        ).json()["id"]
        # read the question with its attempt; update it; stamp the attempt changed (for sync)
        with django_assert_max_num_queries(3):
            response = api_client.put(
                f"/api/v1/attempts/{attempt_id}/questions/5/answer/", {"choices": []},
                format="json",
            )  # fmt: skip
    assert response.status_code == 200, response.content


def test_schema_documents_the_attempt_endpoints(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    answer = schema["paths"]["/api/v1/attempts/{attempt_id}/questions/{position}/answer/"]["put"]
    assert {"200", "400", "401", "404", "409"} <= set(answer["responses"])
    assert json.dumps(schema).count("attempts_") >= 7


def test_the_sure_toggle_through_the_api(app, bank):
    with at(T0):
        attempt_id = app.call("post", "/attempts/", {"exam": "TST-C01", "mode": "exam"}).json()[
            "id"
        ]
        saved = app.call(
            "put", f"/attempts/{attempt_id}/questions/1/answer/", {"choices": [], "sure": False}
        )
        assert saved.status_code == 200
        assert saved.json()["sure"] is False
        bad = app.call(
            "put", f"/attempts/{attempt_id}/questions/1/answer/", {"choices": [], "sure": "no"}
        )
        assert bad.status_code == 400
        assert "sure" in bad.json()["errors"]


def test_history_of_an_unknown_exam_is_404_not_everything(app, bank):
    response = app.call("get", "/attempts/?exam=NOPE-C01")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
