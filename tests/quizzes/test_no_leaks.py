"""No page and no API response shows whether a choice is right, a choice's rationale or a
question's explanation before it may be shown: in an exam simulation until it is submitted, in
practice until that question is answered. A whole attempt is walked through the pages and the API
and every response is scanned; afterwards the same texts do appear, so the scan can fail."""

import pytest

from quizzes.models import Attempt, AttemptQuestion, Choice, Question
from quizzes.services import question_version_sync
from tests.factories import UserFactory

from .attempt_fixtures import make_exam
from .factories import question_in

pytestmark = pytest.mark.django_db

# Markup and JSON keys that only ever carry the answer (templates, static/js/attempt.js, API).
MARKERS = (
    "data-correct",
    '"correct"',
    '"rationale"',
    '"explanation_html"',
    "is-correct",
    "Correct answer",
    "mark-answer",
    "verdict",
    'class="rationale"',
)


def secret_bank():
    """The test exam (6 + 4 questions, so a mini exam asks every one) with every kind, each
    question with its own rationale and explanation texts."""
    exam = make_exam()
    one, two = exam.domains.order_by("position")
    kinds = [
        (one, {}), (one, {}), (one, {}),
        (one, {"kind": "multiple", "choose": 2, "correct": (0, 1), "choices": 5}),
        (one, {"kind": "multiple", "choose": 2, "correct": (1, 3), "choices": 4}),
        (one, {"kind": "yesno", "correct": (0, 2), "choices": 3}),
        (two, {}), (two, {"correct": (2,)}), (two, {}),
        (two, {"kind": "yesno", "correct": (1,), "choices": 2}),
    ]  # fmt: skip
    for number, (domain, options) in enumerate(kinds, start=1):
        question = question_in(domain, explanation=f"Explained secret {number:02}.", **options)
        for choice in question.choices.all():
            Choice.objects.filter(pk=choice.pk).update(
                rationale=f"Hidden rationale {number:02}-{choice.position}."
            )
        question_version_sync(question=question)
    return exam


def secrets_of(question: Question) -> list[str]:
    rationales = question.choices.values_list("rationale", flat=True)
    return [question.explanation, *rationales]


def secrets_at(attempt: Attempt, position: int) -> list[str]:
    item = AttemptQuestion.objects.get(attempt=attempt, position=position)
    return secrets_of(Question.objects.get(pk=item.version.question_id))


class Walk:
    """The learner's browser and app at once: every page and API response is kept."""

    def __init__(self, client) -> None:  # noqa: ANN001
        self.client = client
        self.bodies: list[tuple[str, str]] = []

    def __call__(self, method: str, url: str, data=None, **extra):  # noqa: ANN001, ANN003, ANN204
        if url.startswith("/api/"):
            extra.setdefault("content_type", "application/json")
        response = getattr(self.client, method)(url, data, **extra)
        assert response.status_code < 500, url
        self.bodies.append((f"{method.upper()} {url}", response.content.decode()))
        if response.status_code == 302 and method == "post":
            return self("get", response.url)
        return response

    def found(self, texts) -> list[str]:  # noqa: ANN001
        return [
            f"{text!r} in {label}" for label, body in self.bodies for text in texts if text in body
        ]


def right_answer(attempt: Attempt, position: int) -> dict:
    item = AttemptQuestion.objects.get(attempt=attempt, position=position)
    content = item.version.content
    if content["kind"] == "yesno":
        return {f"statement-{position * 10 + c['key']}": "yes" if c["correct"] else "no"
                for c in content["choices"]}  # fmt: skip
    return {"choices": [position * 10 + c["key"] for c in content["choices"] if c["correct"]]}


def api_answer(form: dict) -> dict:
    """The same answer as the API takes it."""
    if "choices" in form:
        return {"choices": form["choices"]}
    return {"statements": {key.split("-")[1]: value == "yes" for key, value in form.items()}}


@pytest.fixture
def walk(client):
    client.force_login(UserFactory())
    return Walk(client)


def test_an_exam_simulation_shows_no_answer_until_it_is_submitted(walk):
    secret_bank()
    every_secret = [text for question in Question.objects.all() for text in secrets_of(question)]
    walk("get", "/practice/TST-C01/")
    walk("post", "/practice/TST-C01/start/", {"mode": "exam"})
    attempt = Attempt.objects.get()
    base = f"/practice/attempts/{attempt.pk}/"
    api = f"/api/v1/attempts/{attempt.pk}/"
    for position in range(1, 11):
        walk("get", f"{base}?q={position}")
        answer = right_answer(attempt, position)
        if position <= 5:  # the pages' plain forms
            walk("post", f"{base}q/{position}/", {"go": "next", "flagged": "on", **answer})
        else:  # the API, as static/js/attempt.js calls it
            walk("put", f"{api}questions/{position}/answer/", api_answer(answer))
            walk("put", f"{api}questions/{position}/flag/", {"flagged": True})
    walk("post", f"{base}q/1/", {"go": "save", "choices": ["21"]})  # a refused answer
    walk("put", f"{api}questions/1/answer/", {"choices": [21]})
    walk("get", f"{base}review/")
    walk("get", api)
    walk("get", f"{api}questions/")
    walk("post", "/api/v1/attempts/", {"exam": "TST-C01", "mode": "exam"})  # resume
    walk("get", "/api/v1/attempts/")
    walk("get", "/practice/TST-C01/history/")
    walk("get", f"{base}results/")  # open: back to the attempt page
    assert len(walk.bodies) > 40
    assert walk.found(every_secret) == []
    assert walk.found(MARKERS) == []

    walk.bodies.clear()
    walk("post", f"{base}submit/")
    walk("get", f"{api}questions/")
    results, questions = walk.bodies[-2][1], walk.bodies[-1][1]
    for text in every_secret:
        assert text in results, text
        assert text in questions, text
    assert "Correct answer" in results
    assert "is-correct" in results
    assert '"correct"' in questions
    assert '"explanation_html"' in questions
    assert "13 of 13 points (100%)" in results  # a point per statement of the two series


def test_practice_shows_a_questions_answer_only_once_it_is_answered(walk):
    secret_bank()
    walk("post", "/practice/TST-C01/start/", {"mode": "practice", "count": "10"})
    attempt = Attempt.objects.get()
    base = f"/practice/attempts/{attempt.pk}/"
    api = f"/api/v1/attempts/{attempt.pk}/"
    secrets = {position: secrets_at(attempt, position) for position in range(1, 11)}
    others = [text for position in range(3, 11) for text in secrets[position]]

    walk("get", f"{base}?q=1")
    walk("get", f"{api}questions/")
    assert walk.found(secrets[1]) == []
    assert walk.found(MARKERS) == []

    walk.bodies.clear()
    walk("post", f"{base}q/1/", {"go": "check", **right_answer(attempt, 1)})  # the plain form
    walk("put", f"{api}questions/2/answer/", api_answer(right_answer(attempt, 2)))  # the JS
    first_page, second_answer = walk.bodies[-2][1], walk.bodies[-1][1]
    assert all(text in first_page for text in secrets[1])
    assert all(text in second_answer for text in secrets[2])
    assert "verdict-right" in first_page

    walk("get", f"{base}?q=2")
    walk("get", f"{base}?q=3")
    walk("get", f"{api}questions/")
    walk("get", f"{base}review/")
    assert walk.found(others) == []
    third_page = walk.bodies[-3][1]
    assert walk.found(secrets[2])  # question 2's page shows its feedback ...
    assert not [text for text in secrets[1] + secrets[2] if text in third_page]  # ... not 3's
    assert [label for label, body in walk.bodies if "verdict" in body] == [
        f"GET {base}?q=1#feedback",
        f"GET {base}?q=2",
    ]
