"""The dashboard's exam-practice panels (exam-date countdown and its form, readiness with its
interval, reviews due, recurring confusions, topics done but still missed) and the struggling
flag on a topic page, for a learner whose history is built with the quiz engine's services; the
dashboard's query count does not grow with the answer history."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from progress import services as progress_services
from quizzes.models import ExamDate
from quizzes.services import exam_date_set
from tests.factories import TopicFactory, UserFactory
from tests.quizzes.attempt_fixtures import T0, at
from tests.quizzes.factories import ExamDomainFactory, ExamFactory, question_in
from tests.quizzes.learning_fixtures import practise_all, service_question, technologies

pytestmark = pytest.mark.django_db
NOW = T0 + timedelta(hours=1)  # Tuesday 24 November 2026, 11:00 in Berlin


@pytest.fixture(autouse=True)
def _clock():
    with at(NOW):
        yield


def sns_habit(content: dict) -> int:
    for choice in content["choices"]:
        if "Amazon SNS" in choice["text_html"]:
            return choice["key"]
    return next(choice["key"] for choice in content["choices"] if choice["correct"])


@pytest.fixture
def learner():
    return UserFactory(username="ada", timezone="Europe/Berlin")


@pytest.fixture
def world(learner):
    """DVA-C02 practised once through the services: 5 "SQS or SNS?" questions (linked to the
    topic "Queues", marked done) all answered SNS, 6 others right; booked for 15 January."""
    technologies()
    exam = ExamFactory(code="DVA-C02", name="AWS Developer", domains=[])
    build = ExamDomainFactory(exam=exam, code="1", name="Development", weight_min=60, weight_max=60)
    secure = ExamDomainFactory(exam=exam, code="2", name="Security", weight_min=40, weight_max=40)
    queues = TopicFactory(slug="queues", title="Queues")
    for _ in range(5):
        service_question(build, "Amazon SQS", ["Amazon SNS", "AWS Lambda"]).topics.add(queues)
    for _ in range(6):
        question_in(secure)
    progress_services.status_set(user=learner, topic=queues, status="done")
    practise_all(learner, exam, sns_habit, now=T0)
    exam_date_set(user=learner, exam=exam, day=date(2027, 1, 15), now=T0)
    return exam, queues


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def panel(page: str, name: str) -> str:
    found = re.search(rf'<section class="card"[^>]*data-panel="{name}">(.*?)</section>', page, re.S)
    assert found, f"no {name} panel"
    return re.sub(r"\s+", " ", found.group(1))


def test_the_dashboard_shows_every_learning_panel(signed_in, world):
    page = signed_in.get("/dashboard/").content.decode()
    countdown = panel(page, "exam-dates")
    assert "52 days" in countdown  # 24 November to 15 January
    assert "until DVA-C02 on 15 January 2027" in countdown
    reviews = panel(page, "reviews")
    assert re.search(r"data-reviews-due>(\d+)<", reviews).group(1) == "11"
    assert '<a href="/practice/DVA-C02/">Review DVA-C02</a>: 11 due' in reviews
    confusions = panel(page, "confusions")
    assert (
        "You picked <strong>Amazon SNS</strong> where <strong>Amazon SQS</strong> was right in "
        "5 of your last 5 answers."
    ) in confusions
    struggling = panel(page, "struggling")
    assert '<a href="/topics/queues/">Queues</a>: 0 of your last 5 answers right' in struggling
    readiness = re.search(r'<article class="card readiness[^"]*"[^>]*>(.*?)</article>', page, re.S)
    text = re.sub(r"\s+", " ", readiness.group(1))
    assert "data-verdict-label>Not yet</span>" in text
    assert "About <strong>40%</strong> right, likely between" in text
    assert "72% needed to pass" in text
    assert "<strong>Weakest:</strong> 1 Development (0% of 5)" in text
    assert '<svg class="chart progress-chart readiness-chart"' in text
    assert '<h4 id="readiness-DVA-C02-title">' in text


def test_a_new_learner_sees_invitations_not_errors(signed_in):
    page = signed_in.get("/dashboard/").content.decode()
    assert "Record the day: the dashboard counts down to it" in page
    assert "Practise or book an exam to see how ready you look" in page
    assert "None recurring" in page


def test_the_dashboard_costs_the_same_queries_whatever_the_answer_history(
    signed_in, learner, world
):
    exam, _queues = world

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert signed_in.get("/dashboard/").status_code == 200
        return len(context)

    small = count()
    for day in range(1, 9):
        practise_all(learner, exam, sns_habit, now=T0 - timedelta(days=day))
    assert count() == small


# --- The exam-date form --------------------------------------------------------------------------


def test_an_exam_date_is_saved_changed_and_cleared_from_the_dashboard(signed_in, learner, world):
    response = signed_in.post(
        "/progress/exam-date/", {"exam": "DVA-C02", "day": "2027-02-01", "next": "/dashboard/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")
    assert ExamDate.objects.get(user=learner).day == date(2027, 2, 1)
    signed_in.post("/progress/exam-date/", {"exam": "DVA-C02", "day": ""})
    assert not ExamDate.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"exam": "DVA-C02", "day": "2026-11-23"}, "The exam date is in the past."),
        ({"exam": "NOPE-C01", "day": "2027-02-01"}, "Select a valid choice."),
        ({"exam": "DVA-C02", "day": "soon"}, "Enter a valid date."),
    ],
)
def test_a_bad_exam_date_shows_the_form_again_and_keeps_the_old_one(
    signed_in, learner, world, data, error
):
    response = signed_in.post("/progress/exam-date/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert ExamDate.objects.get(user=learner).day == date(2027, 1, 15)


def test_the_exam_date_form_needs_a_learner(client, world):
    response = client.post("/progress/exam-date/", {"exam": "DVA-C02", "day": "2027-02-01"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ExamDate.objects.count() == 1


# --- The topic page ------------------------------------------------------------------------------


def test_the_topic_page_flags_a_done_topic_the_learner_keeps_missing(signed_in, learner, world):
    page = signed_in.get("/topics/queues/").content.decode()
    flag = re.search(r"<p [^>]*data-struggling-flag>(.*?)</p>", page, re.S)
    assert "you got 0 of your last 5 answers to its practice questions right" in flag.group(1)
    progress_services.status_set(user=learner, topic=world[1], status="in_progress")
    assert "data-struggling-flag" not in signed_in.get("/topics/queues/").content.decode()


def test_the_topic_flag_is_the_learners_own(client, world):
    client.force_login(UserFactory(username="bob"))
    assert "data-struggling-flag" not in client.get("/topics/queues/").content.decode()
