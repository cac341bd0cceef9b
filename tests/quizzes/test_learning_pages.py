"""The learning pages without JavaScript: spaced review started from the exam page (what is due
today, feedback after each answer, nothing of the answer before it), the exam date with its
countdown, readiness with its interval, private notes shown again in review, problem reports,
and recurring confusions named on the results. Bad input is a message on the page with nothing
changed, never a 500; another learner's attempts and notes are 404 or never shown."""

import re
from datetime import date, datetime, timedelta

import pytest

from quizzes import services
from quizzes.models import (
    AnswerRecord,
    Attempt,
    AttemptQuestion,
    ExamDate,
    QuestionNote,
    QuestionReport,
    ReviewCard,
)
from tests.factories import UserFactory

from .attempt_fixtures import T0, at
from .factories import ExamFactory
from .learning_fixtures import history, key_naming, record, service_question, technologies

pytestmark = pytest.mark.django_db
EXAM_PAGE = "/practice/TST-C01/"
START = "/practice/TST-C01/start/"
EXAM_DATE = "/practice/TST-C01/exam-date/"
EXPLANATION = "Because the <strong>right</strong> one does."  # every bank question's


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def page(attempt_id: int, suffix: str = "") -> str:
    return f"/practice/attempts/{attempt_id}/{suffix}"


def item(attempt: Attempt, position: int) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("version").get(attempt=attempt, position=position)


def ids(attempt: Attempt, position: int, *, correct: bool) -> list[str]:
    content = item(attempt, position).version.content
    return [str(position * 10 + c["key"]) for c in content["choices"] if c["correct"] is correct]


def check(client, attempt: Attempt, position: int, *, correct: bool):  # noqa: ANN001, ANN201
    """Check an answer to question `position` through the plain form."""
    chosen = ids(attempt, position, correct=correct)[:1]
    return client.post(page(attempt.pk, f"q/{position}/"), {"go": "check", "choices": chosen})


def started(response) -> Attempt:  # noqa: ANN001
    assert response.status_code == 302, response.content.decode()[:2000]
    return Attempt.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def practise(client, count: int, *, correct: bool = False) -> Attempt:  # noqa: ANN001
    """A practice session of `count` questions, each checked (wrong by default: due again
    within minutes)."""
    attempt = started(client.post(START, {"mode": "practice", "count": str(count)}))
    for position in range(1, count + 1):
        check(client, attempt, position, correct=correct)
    return attempt


def start_review(client) -> Attempt:  # noqa: ANN001
    return started(client.post(START, {"mode": "review"}))


def text(response) -> str:  # noqa: ANN001
    return response.content.decode()


# --- Spaced review from the exam page ----------------------------------------------------------


def test_with_nothing_due_the_review_start_says_so_and_starts_nothing(client, learner, bank):
    with at(T0):
        html = text(client.get(EXAM_PAGE))
        refused = client.post(START, {"mode": "review"})
    assert "Nothing of TST-C01 is due for review today." in html
    assert re.search(r'<button type="submit" disabled aria-describedby="review-none">', html)
    assert refused.status_code == 409
    assert re.search(r'role="alert"><p>Nothing of TST-C01 is due for review today\.', text(refused))
    assert not Attempt.objects.exists()


def test_review_serves_the_due_questions_with_feedback_after_each(client, learner, bank):
    with at(T0):
        practice = practise(client, 3)
    practised = set(practice.items.values_list("version__question_id", flat=True))
    with at(T0 + timedelta(hours=1)):
        html = text(client.get(EXAM_PAGE))
        assert re.search(r"<strong>3</strong> TST-C01 questions due today", html)
        review = start_review(client)
        first = text(client.get(page(review.pk, "?q=1")))
        checked = check(client, review, 1, correct=True)
        answered = text(client.get(page(review.pk, "?q=1")))
        second = text(client.get(page(review.pk, "?q=2")))
        resume = text(client.get(EXAM_PAGE))
    assert (review.mode, review.question_count, review.deadline) == ("review", 3, None)
    assert set(review.items.values_list("version__question_id", flat=True)) == practised
    assert "TST-C01 · Spaced review" in first
    assert "the answer and its explanation follow each one" in first
    assert "Check answer" in first
    assert checked.url == page(review.pk, "?q=1#feedback")
    assert 'class="verdict verdict-right">Right<' in answered
    assert EXPLANATION in answered
    assert EXPLANATION not in second  # the next question's feedback waits for its answer
    continued = f'href="{page(review.pk)}">Continue the review of 24 Nov, 10:00</a>'
    assert f"{continued} (1 of 3 answered)" in resume
    record = AnswerRecord.objects.get(source="review")
    assert (record.correct, record.attempt_item.attempt_id) == (True, review.pk)


def test_nothing_of_the_answer_shows_before_answering_in_review(client, learner, bank):
    with at(T0):
        practice = practise(client, 1)
        client.post(page(practice.pk, "q/1/note/"), {"body": "Remember the **first** choice"})
    with at(T0 + timedelta(hours=1)):
        review = start_review(client)
        before = text(client.get(page(review.pk, "?q=1")))
        check(client, review, 1, correct=False)
        after = text(client.get(page(review.pk, "?q=1")))
    for answer_only in ("Rationale ", EXPLANATION, "verdict", "is-correct", "Correct answer",
                        "mark-answer", "Your answer"):  # fmt: skip
        assert answer_only not in before, answer_only
        assert answer_only in after, answer_only
    assert "data-feedback hidden>" in before
    assert "Remember the <strong>first</strong> choice" in before  # the learner's own reminder


def test_a_note_written_after_a_miss_comes_back_in_a_later_review(client, learner, bank):
    with at(T0):
        practice = practise(client, 1)
        feedback = text(client.get(page(practice.pk, "?q=1")))
        saved = client.post(page(practice.pk, "q/1/note/"), {"body": "SQS **pulls**; SNS pushes"})
    assert f'action="{page(practice.pk, "q/1/note/")}"' in feedback
    assert "Add the note" in feedback
    assert saved.url == page(practice.pk, "?q=1#note-1")
    assert "Your note is saved" in text(client.get(saved.url))
    with at(T0 + timedelta(hours=1)):
        review = start_review(client)
        before = text(client.get(page(review.pk, "?q=1")))
        check(client, review, 1, correct=True)
        after = text(client.get(page(review.pk, "?q=1")))
    assert "Your note on this question" in before
    assert "SQS <strong>pulls</strong>; SNS pushes" in before
    assert "Your note on this question" not in after  # now with its form, in the feedback
    assert "SQS <strong>pulls</strong>; SNS pushes" in after
    assert "Delete the note" in after
    note = QuestionNote.objects.get()
    assert (note.user, note.body) == (learner, "SQS **pulls**; SNS pushes")


def test_a_note_is_changed_and_deleted_through_the_form(client, learner, bank):
    practice = practise(client, 1)
    note_url = page(practice.pk, "q/1/note/")
    client.post(note_url, {"body": "first"})
    client.post(note_url, {"body": "second", "go": "save"})
    assert QuestionNote.objects.get().body == "second"
    html = text(client.get(page(practice.pk, "?q=1")))
    assert re.search(r'<textarea name="body"[^>]*id="note-1-body"[^>]*>\s*second</textarea>', html)
    deleted = client.post(note_url, {"body": "second", "go": "delete"})
    assert "Your note is removed." in text(client.get(deleted.url))
    assert not QuestionNote.objects.exists()
    client.post(note_url, {"body": "again"})
    client.post(note_url, {"body": "   "})  # an empty note deletes it too
    assert not QuestionNote.objects.exists()


# --- Exam date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "countdown"),
    [(30, ": in 30 days."), (1, ": tomorrow."), (0, ": today.")],
)
def test_the_exam_date_is_saved_and_counted_down(client, learner, bank, days, countdown):
    day = T0.date() + timedelta(days=days)
    with at(T0):
        saved = client.post(EXAM_DATE, {"day": day.isoformat()})
        html = text(client.get(EXAM_PAGE))
    assert saved.url == "/practice/TST-C01/#exam-date"
    assert ExamDate.objects.get(user=learner, exam=bank).day == day
    assert f"You sit TST-C01 on {day:%-d} {day:%B %Y}:" in html  # the message
    assert f"<strong>{day.day} {day:%B %Y}</strong>{countdown}" in html
    assert f'value="{day.isoformat()}"' in html
    assert 'min="2026-11-24"' in html
    assert "Clear the date" in html


def test_an_exam_date_in_the_past_is_refused_and_nothing_changes(client, learner, bank):
    booked = date(2027, 1, 15)
    services.exam_date_set(user=learner, exam=bank, day=booked, now=T0)
    with at(T0):
        refused = client.post(EXAM_DATE, {"day": "2026-11-23"})
    assert refused.status_code == 400
    html = text(refused)
    assert re.search(r'id="id_day_error" role="alert">\s*<li>The exam date is in the past\.', html)
    assert 'value="2026-11-23"' in html  # the form shows what was posted
    assert ExamDate.objects.get().day == booked


def test_the_learners_own_day_decides_what_is_past(client, bank):
    auckland = UserFactory(timezone="Pacific/Auckland")  # already 25 November there
    client.force_login(auckland)
    with at(datetime(2026, 11, 24, 12, 0, tzinfo=T0.tzinfo)):
        refused = client.post(EXAM_DATE, {"day": "2026-11-24"})
        saved = client.post(EXAM_DATE, {"day": "2026-11-25"})
        html = text(client.get(EXAM_PAGE))
    assert refused.status_code == 400
    assert saved.status_code == 302
    assert "<strong>25 November 2026</strong>: today." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": ""}, "Enter the day you sit the exam."),
        ({"day": "next week"}, "Enter a valid date."),
        ({"day": "2027-02-30"}, "Enter a valid date."),
        ({"day": "2027-01-15", "go": "later"}, "Select a valid choice."),
    ],
)
def test_bad_exam_dates_show_a_message_and_save_nothing(client, learner, bank, data, message):
    with at(T0):
        response = client.post(EXAM_DATE, data)
    assert response.status_code == 400
    assert message in text(response)
    assert not ExamDate.objects.exists()


def test_the_exam_date_is_cleared(client, learner, bank):
    services.exam_date_set(user=learner, exam=bank, day=date(2027, 1, 15), now=T0)
    with at(T0):
        cleared = client.post(EXAM_DATE, {"day": "2027-01-15", "go": "clear"})
        html = text(client.get(cleared.url))
    assert "Your TST-C01 exam date is cleared." in html
    assert not ExamDate.objects.exists()
    assert "Booked TST-C01? Record the day" in html
    assert "Clear the date" not in html


def test_a_past_booked_day_says_it_has_passed(client, learner, bank):
    ExamDate.objects.create(user=learner, exam=bank, day=date(2026, 11, 1))
    with at(T0):
        html = text(client.get(EXAM_PAGE))
    assert "<strong>1 November 2026</strong>; that day has passed." in html
    assert re.search(r'value="clear" class="secondary" formnovalidate>Clear the date', html)


def test_the_exam_date_form_needs_a_login_a_post_and_a_known_exam(client, bank):
    anonymous = client.post(EXAM_DATE, {"day": "2027-01-15"})
    assert anonymous.url.startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(EXAM_DATE).status_code == 405
    assert client.post("/practice/NOPE-C01/exam-date/", {"day": "2027-01-15"}).status_code == 404
    assert not ExamDate.objects.exists()
    client.logout()
    anonymous_page = text(client.get(EXAM_PAGE))
    assert "exam-date" not in anonymous_page
    assert "readiness" not in anonymous_page


# --- Readiness ---------------------------------------------------------------------------------


def answer_history(user, bank, build: str, secure: str) -> None:  # noqa: ANN001
    """Answers to one question of each domain a day before T0: "1" right, "0" wrong."""
    one, two = bank.domains.order_by("position")
    history(user, one.question_links.first().question, build, T0 - timedelta(days=1))
    history(user, two.question_links.first().question, secure, T0 - timedelta(days=1))


def readiness_panel(html: str) -> str:
    return html.split('id="readiness"')[1].split("</section>")[0]


def test_readiness_states_the_verdict_estimate_interval_and_weakest_domains(client, learner, bank):
    answer_history(learner, bank, "111111111111000", "1111110000")  # 12 of 15, 6 of 10
    with at(T0):
        panel = readiness_panel(text(client.get(EXAM_PAGE)))
    assert 'data-outlook="borderline"' in panel
    assert ">Borderline</p>" in panel
    assert (
        "About <strong>72%</strong> right, likely between 45% and 90% (a 95% interval); "
        "70% is needed to pass." in panel
    )
    assert '<rect class="readiness-range" x="45" y="3" width="45" height="6">' in panel
    assert '<line class="readiness-pass" x1="70"' in panel
    assert '<line class="readiness-estimate" x1="72"' in panel
    assert "The range 45-90% includes the 70% needed to pass." in panel
    assert "From your 25 answers of the last 90 days" in panel
    assert "<strong>Weakest:</strong> 2. Secure (6 of 10 right); 1. Build (12 of 15 right)" in panel
    assert "style=" not in panel  # the CSP allows no inline style


@pytest.mark.parametrize(
    ("build", "secure", "outlook", "label"),
    [
        ("1" * 15, "1" * 10, "likely", "Likely to pass"),
        ("0" * 15, "0" * 10, "not_yet", "Not yet"),
    ],
)
def test_readiness_says_likely_or_not_yet_at_the_ends(
    client, learner, bank, build, secure, outlook, label
):
    answer_history(learner, bank, build, secure)
    with at(T0):
        panel = readiness_panel(text(client.get(EXAM_PAGE)))
    assert f'data-outlook="{outlook}"' in panel
    assert f">{label}</p>" in panel


def test_readiness_without_enough_answers_says_so(client, learner, bank):
    answer_history(learner, bank, "11", "")  # 2 answers, none in domain 2
    other = UserFactory()
    answer_history(other, bank, "1" * 15, "1" * 10)  # someone else's answers never count
    with at(T0):
        panel = readiness_panel(text(client.get(EXAM_PAGE)))
    assert ">Not enough data yet</p>" in panel
    assert "2 answers in the last 90 days; at least 10 are needed." in panel
    assert "Likely between" in panel
    with at(T0):
        client.force_login(UserFactory())
        empty = readiness_panel(text(client.get(EXAM_PAGE)))
    assert "0 answers in the last 90 days" in empty
    assert "<svg" not in empty
    assert "Practise TST-C01 to see how ready you look." in empty


# --- Notes: only one's own, only on answered questions -----------------------------------------


def test_a_note_on_a_question_not_yet_answered_is_404(client, learner, bank):
    practice = started(client.post(START, {"mode": "practice", "count": "2"}))
    check(client, practice, 1, correct=True)
    assert client.post(page(practice.pk, "q/2/note/"), {"body": "x"}).status_code == 404
    assert client.post(page(practice.pk, "q/9/note/"), {"body": "x"}).status_code == 404
    huge = "9" * 30
    assert client.post(page(practice.pk, f"q/{huge}/note/"), {"body": "x"}).status_code == 404
    assert client.post(page(huge, "q/1/report/"), {"reason": "typo"}).status_code == 404
    exam = started(client.post(START, {"mode": "exam"}))
    client.post(page(exam.pk, "q/1/"), {"go": "save", "choices": ids(exam, 1, correct=True)})
    assert client.post(page(exam.pk, "q/1/note/"), {"body": "x"}).status_code == 404  # open
    assert not QuestionNote.objects.exists()


def test_another_learners_attempt_and_notes_stay_theirs(client, learner, bank):
    other = UserFactory()
    theirs, _ = services.attempt_start(user=other, exam=bank, mode="practice", count=1)
    keys = [c["key"] for c in item(theirs, 1).version.content["choices"]]
    services.answer_save(user=other, attempt_id=theirs.pk, position=1,
                         answer={"choices": [10 + keys[0]]})  # fmt: skip
    question = item(theirs, 1).version.question
    services.question_note_save(user=other, question_uid=question.uid, body="Their secret note")
    assert client.post(page(theirs.pk, "q/1/note/"), {"body": "mine"}).status_code == 404
    assert client.post(page(theirs.pk, "q/1/report/"), {"reason": "typo"}).status_code == 404
    assert QuestionNote.objects.get().body == "Their secret note"
    assert not QuestionReport.objects.exists()
    # The same question in my own practice: my (empty) note, never theirs.
    mine = practise(client, 13)
    position = next(i.position for i in mine.items.all() if i.version.question_id == question.pk)
    html = text(client.get(page(mine.pk, f"?q={position}")))
    assert "Their secret note" not in html
    client.post(page(mine.pk, "submit/"))
    assert "Their secret note" not in text(client.get(page(mine.pk, "results/")))


def test_a_note_too_long_is_refused_on_the_form(client, learner, bank):
    practice = practise(client, 1)
    response = client.post(page(practice.pk, "q/1/note/"), {"body": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters (it has 5001)" in text(response)
    assert 'role="alert"' in text(response)
    assert not QuestionNote.objects.exists()


def test_notes_need_a_login(client, bank):
    attempt, _ = services.attempt_start(user=UserFactory(), exam=bank, mode="practice", count=1)
    response = client.post(page(attempt.pk, "q/1/note/"), {"body": "x"})
    assert response.url.startswith("/accounts/login/")
    assert client.get(page(attempt.pk, "q/1/note/")).status_code in (302, 405)


# --- Problem reports ---------------------------------------------------------------------------


def test_a_problem_is_reported_from_the_feedback(client, learner, bank):
    practice = practise(client, 1)
    feedback = text(client.get(page(practice.pk, "?q=1")))
    assert "Report a problem with this question" in feedback
    assert '<option value="wrong_answer">The marked answer is wrong</option>' in feedback
    sent = client.post(
        page(practice.pk, "q/1/report/"), {"reason": "wrong_answer", "text": "B is right too."}
    )
    assert sent.url == page(practice.pk, "?q=1#feedback")
    assert "Thank you: your report on question 1 is with the editors." in text(client.get(sent.url))
    report = QuestionReport.objects.get()
    assert (report.user, report.reason, report.text, report.state) == (
        learner, "wrong_answer", "B is right too.", "open"
    )  # fmt: skip
    assert report.question_id == item(practice, 1).version.question_id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "meh"}, "Select a valid choice. meh is not one of the available choices."),
        ({}, "This field is required."),
        ({"reason": "typo", "text": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_a_bad_report_is_refused_on_the_form(client, learner, bank, data, message):
    practice = practise(client, 1)
    response = client.post(page(practice.pk, "q/1/report/"), data)
    assert response.status_code == 400
    html = text(response)
    assert message in html
    assert re.search(r'<details class="question-report" id="report-1" open>', html)
    assert not QuestionReport.objects.exists()


def test_reports_and_notes_on_each_question_of_the_results(client, learner, bank):
    exam = started(client.post(START, {"mode": "exam"}))
    client.post(page(exam.pk, "submit/"))  # every question recorded, unanswered ones as wrong
    html = text(client.get(page(exam.pk, "results/")))
    assert html.count('class="question-report"') == 10
    assert html.count('class="note-form"') == 10
    assert 'id="note-3-body"' in html
    sent = client.post(page(exam.pk, "q/3/report/"), {"reason": "unclear"})
    assert sent.url == page(exam.pk, "results/#question-3")
    noted = client.post(page(exam.pk, "q/3/note/"), {"body": "Read the *whole* stem"})
    assert noted.url == page(exam.pk, "results/#note-3")
    html = text(client.get(noted.url))
    assert "Read the <em>whole</em> stem" in html
    assert QuestionReport.objects.get().reason == "unclear"
    bad = client.post(page(exam.pk, "q/4/report/"), {"reason": "meh"})
    assert bad.status_code == 400
    assert '<details class="question-report" id="report-4" open>' in text(bad)
    assert '<details class="question-report" id="report-3">' in text(bad)


# --- Confusions on the results -----------------------------------------------------------------


@pytest.fixture
def sqs_exam(quiz_exam):
    """TST-C01 with 3 questions whose right choice names Amazon SQS and a wrong one Amazon SNS,
    and 2 more such questions of another exam (another learner missed them: that never
    counts)."""
    technologies()
    build = quiz_exam.domains.get(code="1")
    for _ in range(3):
        service_question(build, "Amazon SQS", ["Amazon SNS", "AWS Lambda", "Amazon S3"])
    other = ExamFactory(code="OTHER-C01").domains.first()
    earlier = [service_question(other, "Amazon SQS", ["Amazon SNS", "AWS Lambda"]) for _ in "12"]
    stranger = UserFactory()
    for question in earlier:
        record(stranger, question, correct=False, at=T0,
               picked=[key_naming(question, "Amazon SNS")])  # fmt: skip
    return quiz_exam, earlier


def sns_practice(client, learner, sqs_exam, picks: str) -> Attempt:  # noqa: ANN001
    """The learner's two right answers the day before to the other exam's questions, then a
    practice session of TST-C01's 3 questions: "N" picks Amazon SNS, "Q" Amazon SQS;
    submitted."""
    _exam, earlier = sqs_exam
    for index, question in enumerate(earlier):
        record(learner, question, correct=True, at=T0 - timedelta(days=1, minutes=-index))
    with at(T0):
        practice = started(client.post(START, {"mode": "practice", "count": "3"}))
    for position, pick in enumerate(picks, start=1):
        question = item(practice, position).version.question
        name = "Amazon SNS" if pick == "N" else "Amazon SQS"
        choice = str(position * 10 + key_naming(question, name))
        with at(T0 + timedelta(minutes=position)):
            client.post(page(practice.pk, f"q/{position}/"), {"go": "check", "choices": [choice]})
    with at(T0 + timedelta(minutes=5)):
        client.post(page(practice.pk, "submit/"))
    return practice


def test_a_recurring_confusion_is_named_on_the_results(client, learner, sqs_exam):
    practice = sns_practice(client, learner, sqs_exam, "NNN")
    with at(T0 + timedelta(minutes=6)):
        html = text(client.get(page(practice.pk, "results/")))
    panel = html.split('id="confusions-title"')[1].split("</section>")[0]
    assert (
        "You keep choosing <strong>Amazon SNS</strong> where <strong>Amazon SQS</strong> is right "
        "(3 of the last 5)." in panel
    )
    assert html.count("You picked Amazon SNS where Amazon SQS is right.") == 3


def test_a_confusion_in_2_of_the_last_5_is_not_called_recurring(client, learner, sqs_exam):
    practice = sns_practice(client, learner, sqs_exam, "NQN")
    with at(T0 + timedelta(minutes=6)):
        html = text(client.get(page(practice.pk, "results/")))
    assert "Mix-ups that keep coming back" not in html
    assert html.count("You picked Amazon SNS where Amazon SQS is right.") == 2


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("answers", [10, 100])
def test_the_exam_page_costs_the_same_queries_whatever_the_history(
    client, learner, bank, django_assert_num_queries, answers
):
    questions = [link.question for link in bank.question_links.select_related("question")]
    for index in range(answers):
        record(learner, questions[index % len(questions)], correct=index % 3 != 0,
               at=T0 - timedelta(hours=index))  # fmt: skip
    for question in questions[:5]:
        ReviewCard.objects.create(user=learner, question=question, card={}, due=T0)
    services.exam_date_set(user=learner, exam=bank, day=date(2027, 1, 15), now=T0)
    with at(T0), django_assert_num_queries(10):
        html = text(client.get(EXAM_PAGE))
    assert re.search(r"<strong>5</strong> TST-C01 questions due today", html)
    assert "in 52 days" in html
    assert 'data-outlook="' in html


@pytest.mark.parametrize("size", [3, 9])
def test_the_results_cost_the_same_queries_at_any_size(
    client, learner, bank, django_assert_num_queries, size
):
    practice = practise(client, size)
    client.post(page(practice.pk, "submit/"))
    client.post(page(practice.pk, "q/1/note/"), {"body": "A note"})
    with django_assert_num_queries(9):
        html = text(client.get(page(practice.pk, "results/")))
    assert html.count('class="note-form"') == size
    assert html.count("<p>A note</p>") == 1
