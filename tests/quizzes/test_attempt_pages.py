"""The practice pages without JavaScript: start a simulation or a practice session from the exam
page, answer, flag and move between questions with plain forms, review, submit, read the results
and the history. Refusals are messages on the page, never a 500; another learner's attempt is
404 everywhere; the attempt page costs the same number of queries at 10 and 30 questions."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template

from quizzes import services
from quizzes.models import Attempt, AttemptQuestion, Question
from tests.factories import TopicFactory, UserFactory

from .attempt_fixtures import T0, at, make_exam
from .factories import CertificationFactory, ExamDomainFactory, ExamFactory, question_in

pytestmark = pytest.mark.django_db
START = "/practice/TST-C01/start/"


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def page(attempt_id: int, suffix: str = "") -> str:
    return f"/practice/attempts/{attempt_id}/{suffix}"


def item(attempt: Attempt, position: int) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("version").get(attempt=attempt, position=position)


def ids(attempt: Attempt, position: int, *, correct: bool) -> list[int]:
    """The attempt's ids of the right (or wrong) choices of question `position`."""
    content = item(attempt, position).version.content
    return [position * 10 + c["key"] for c in content["choices"] if c["correct"] is correct]


def start_exam(client, **data) -> Attempt:  # noqa: ANN001
    response = client.post(START, {"mode": "exam", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Attempt.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def answer(client, attempt: Attempt, position: int, go: str = "next", **data):  # noqa: ANN001, ANN201
    return client.post(page(attempt.pk, f"q/{position}/"), {"go": go, **data})


def mixed_bank():  # noqa: ANN201
    """The test exam with every kind: domain 1 has 2 single, 2 multiple (choose 2) and 2 yes/no
    series of 3 statements; domain 2 has 4 single choice questions."""
    exam = make_exam()
    one, two = exam.domains.order_by("position")
    for _ in range(2):
        question_in(one)
        question_in(one, kind="multiple", choose=2, correct=(0, 1), choices=5)
        question_in(one, kind="yesno", correct=(0, 2), choices=3)
    for _ in range(4):
        question_in(two)
    return exam


def kind_at(attempt: Attempt, kind: str) -> int:
    return next(
        i.position
        for i in attempt.items.select_related("version").order_by("position")
        if i.version.content["kind"] == kind
    )


# --- Start ---------------------------------------------------------------------------------------


def test_exam_page_offers_a_simulation_and_practice_by_domain(client, learner, bank):
    html = client.get("/practice/TST-C01/").content.decode()
    assert 'action="/practice/TST-C01/start/"' in html
    assert "Start the exam simulation" in html
    assert "Mini exam: 10 questions in 20 minutes" in html
    assert 'name="extended_time"' in html
    assert 'name="length"' not in html  # no full simulation for this exam
    assert re.search(r'value="1" id="practice-domain-1">\s*<label[^>]*>1\. Build', html)
    assert "(8 questions)" in html
    assert "(5 questions)" in html
    assert "Start practice" in html
    assert 'href="/practice/TST-C01/history/"' in html


def test_anonymous_learner_is_asked_to_log_in(client, bank):
    html = client.get("/practice/TST-C01/").content.decode()
    assert 'href="/accounts/login/?next=/practice/TST-C01/"' in html
    assert "Start the exam simulation" not in html
    response = client.post(START, {"mode": "exam"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/practice/TST-C01/start/")
    assert not Attempt.objects.exists()


def test_start_after_logging_in_leads_back_to_the_start_panel(client, learner, bank):
    response = client.get(START)
    assert (response.status_code, response.url) == (302, "/practice/TST-C01/#start")


def test_starting_a_simulation_opens_its_first_question(client, learner, bank):
    with at(T0):
        attempt = start_exam(client)
        html = client.get(page(attempt.pk)).content.decode()
    assert (attempt.mode, attempt.question_count, attempt.time_limit_minutes) == ("exam", 10, 20)
    assert attempt.user == learner
    assert "Question 1 <span" in html
    assert 'data-seconds-left="1200"' in html
    assert ">20:00<" in html


def test_starting_again_resumes_the_open_simulation(client, learner, bank):
    attempt = start_exam(client)
    answer(client, attempt, 1, choices=ids(attempt, 1, correct=True))
    again = client.post(START, {"mode": "exam"}, follow=True)
    assert again.redirect_chain[0][0] == page(attempt.pk)
    assert "still running: here it is again" in again.content.decode()
    assert "Question 2 <span" in again.content.decode()  # resumes at the first unanswered
    assert Attempt.objects.count() == 1
    html = client.get("/practice/TST-C01/").content.decode()
    assert f'href="{page(attempt.pk)}">Resume the simulation' in html
    assert "1 answered" in html
    assert "Start the exam simulation" not in html


def test_full_simulation_is_offered_only_where_the_exam_has_one(client, learner, bank):
    refused = client.post(START, {"mode": "exam", "length": "full"})
    assert refused.status_code == 400
    assert "offers mini exams only for now" in refused.content.decode()
    assert not Attempt.objects.exists()
    bank.full_simulation = True
    bank.save()
    html = client.get("/practice/TST-C01/").content.decode()
    assert "Full simulation: 10 questions in 20 min" in html
    attempt = start_exam(client, length="full")
    assert attempt.full_length is True


def test_a_short_bank_is_refused_with_a_clear_message(client, learner, quiz_exam):
    question_in(quiz_exam.domains.get(code="1"))
    response = client.post(START, {"mode": "exam"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "cannot fill a 10-question simulation at blueprint weight yet" in html
    assert "domain 1 needs 6, has 1" in html
    assert 'role="alert"' in html
    assert not Attempt.objects.exists()


def test_extended_time_adds_thirty_minutes(client, learner, bank):
    with at(T0):
        attempt = start_exam(client, extended_time="on")
        html = client.get(page(attempt.pk)).content.decode()
    assert (attempt.extended_time, attempt.time_limit_minutes) == (True, 50)
    assert attempt.deadline == T0 + timedelta(minutes=50)
    assert ">50:00<" in html
    assert "Mini exam, extended time" in html


def test_practice_starts_with_the_chosen_domain_and_count(client, learner, bank):
    response = client.post(START, {"mode": "practice", "domains": ["2"], "count": "3"})
    attempt = Attempt.objects.get()
    assert response.url == page(attempt.pk)
    assert (attempt.mode, attempt.question_count, attempt.deadline) == ("practice", 3, None)
    assert set(attempt.items.values_list("domain__code", flat=True)) == {"2"}
    html = client.get(page(attempt.pk)).content.decode()
    assert "Check answer" in html
    assert "data-timer" not in html  # untimed


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"count": "0"}, 400, "Choose 1 to 50 questions."),
        ({"count": "abc"}, 400, "Enter a whole number."),
        ({"count": "5", "domains": ["9"]}, 400, "TST-C01 has no domain 9."),
        ({"count": "5", "domains": ["x" * 30]}, 400, "Choose from the listed options."),
    ],
)
def test_bad_practice_starts_show_the_form_again_with_the_message(
    client, learner, bank, data, status, message
):
    response = client.post(START, {"mode": "practice", **data})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_practice_start_in_an_empty_domain_says_so(client, learner, bank):
    ExamDomainFactory(exam=bank, code="3", name="Empty", weight_min=0, weight_max=0)
    html = client.get("/practice/TST-C01/").content.decode()
    assert re.search(r'id="practice-domain-3" disabled>', html)
    response = client.post(START, {"mode": "practice", "domains": ["3"], "count": "5"})
    assert response.status_code == 409
    assert "no practice questions for TST-C01 in those domains" in response.content.decode()


def test_an_unknown_mode_goes_back_with_a_message(client, learner, bank):
    response = client.post(START, {"mode": "cram"}, follow=True)
    assert response.redirect_chain == [("/practice/TST-C01/#start", 302)]
    assert "Choose an exam simulation or a practice session." in response.content.decode()


# --- Sitting an exam without JavaScript ------------------------------------------------------


def test_answers_flags_and_moves_through_plain_forms(client, learner, bank):
    attempt = start_exam(client)
    first = client.get(page(attempt.pk, "?q=1")).content.decode()
    assert first.count('data-qnav="') == 10
    assert first.count('type="radio" name="choices"') == 4
    assert 'aria-current="page">1<' in first

    right = ids(attempt, 1, correct=True)
    moved = answer(client, attempt, 1, "next", choices=right)
    assert moved.url == page(attempt.pk, "?q=2")
    assert item(attempt, 1).answer is not None

    flagged = answer(client, attempt, 2, "save", flagged="on")
    assert flagged.url == page(attempt.pk, "?q=2")
    assert (item(attempt, 2).flagged, item(attempt, 2).answer) == (True, None)

    back = answer(client, attempt, 2, "previous", flagged="on")
    assert back.url == page(attempt.pk, "?q=1")
    html = client.get(back.url).content.decode()
    assert f'value="{right[0]}" id="choice-{right[0]}" checked' in html
    assert re.search(r'class="qnav is-answered"[^>]*data-qnav="1"', html)
    assert re.search(r'class="qnav is-flagged"[^>]*data-qnav="2"', html)
    assert "1 of 10 answered" in html

    unflag = answer(client, attempt, 2, "save")  # the unticked box clears the flag
    assert unflag.status_code == 302
    assert item(attempt, 2).flagged is False


def test_changing_and_clearing_an_answer(client, learner, bank):
    attempt = start_exam(client)
    wrong = ids(attempt, 1, correct=False)
    answer(client, attempt, 1, "save", choices=ids(attempt, 1, correct=True))
    answer(client, attempt, 1, "save", choices=wrong[:1])
    assert item(attempt, 1).answer == [wrong[0] % 10]
    html = client.get(page(attempt.pk, "?q=1")).content.decode()
    assert re.search(r'name="go" value="clear" class="secondary" data-clear>', html)
    answer(client, attempt, 1, "clear", choices=wrong[:1])
    assert item(attempt, 1).answer is None


def test_the_last_question_leads_to_the_review(client, learner, bank):
    attempt = start_exam(client)
    assert answer(client, attempt, 10, "next").url == page(attempt.pk, "review/")
    assert answer(client, attempt, 4, "review").url == page(attempt.pk, "review/")
    assert "Next: review" in client.get(page(attempt.pk, "?q=10")).content.decode()


def test_multiple_response_and_statement_series_through_plain_forms(client, learner):
    mixed_bank()
    attempt = start_exam(client)
    multiple = kind_at(attempt, "multiple")
    html = client.get(page(attempt.pk, f"?q={multiple}")).content.decode()
    assert "Choose 2</legend>" in html
    assert html.count('type="checkbox" name="choices"') == 5

    right = ids(attempt, multiple, correct=True)
    one = answer(client, attempt, multiple, "next", choices=right[:1])
    assert one.status_code == 400
    assert "Choose exactly 2 choices; 1 given." in one.content.decode()
    assert "Nothing was saved." in one.content.decode()
    assert f'value="{right[0]}" id="choice-{right[0]}" checked' in one.content.decode()
    assert item(attempt, multiple).answer is None
    assert answer(client, attempt, multiple, "next", choices=right).status_code == 302
    assert item(attempt, multiple).answer == sorted(k % 10 for k in right)

    series = kind_at(attempt, "yesno")
    html = client.get(page(attempt.pk, f"?q={series}")).content.decode()
    assert "Answer Yes or No for each statement." in html
    assert html.count('value="yes" id="statement-') == 3
    first, second = series * 10, series * 10 + 1
    bad = answer(client, attempt, series, **{f"statement-{first}": "maybe"})
    assert bad.status_code == 400
    assert "Answer each statement Yes or No." in bad.content.decode()
    saved_before = {f"statement-{first}": "yes", f"statement-{second}": "no"}
    saved = answer(client, attempt, series, **saved_before)
    assert saved.status_code == 302
    assert item(attempt, series).answer == {"0": True, "1": False}
    html = client.get(page(attempt.pk, f"?q={series}")).content.decode()
    assert f'value="yes" id="statement-{first}-yes" checked' in html
    assert f'value="no" id="statement-{second}-no" checked' in html
    mixed_up = answer(client, attempt, series, choices=[str(first)])
    assert mixed_up.status_code == 400
    assert "Answer each statement Yes or No." in mixed_up.content.decode()
    assert item(attempt, series).answer == {"0": True, "1": False}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choices": ["21"]}, "21 is not a choice of question 1."),
        ({"choices": ["x"]}, "Choose from the listed choices."),
        ({"choices": ["10", "11"]}, "Choose exactly 1 choice; 2 given."),
        ({"statement-10": "yes"}, "Choose from the listed choices."),
        ({"go": "jump"}, "Select a valid choice."),
    ],
)
def test_bad_answers_show_a_message_and_change_nothing(client, learner, bank, data, message):
    attempt = start_exam(client)
    answer(client, attempt, 1, "save", choices=ids(attempt, 1, correct=True))
    before = item(attempt, 1).answer
    response = client.post(page(attempt.pk, "q/1/"), {"go": "next", "flagged": "on", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert (item(attempt, 1).answer, item(attempt, 1).flagged) == (before, False)


def test_answers_after_submit_are_refused_with_a_message(client, learner, bank):
    attempt = start_exam(client)
    client.post(page(attempt.pk, "submit/"))
    response = answer(client, attempt, 1, "next", choices=ids(attempt, 1, correct=True))
    assert response.url == page(attempt.pk, "results/")
    html = client.get(response.url).content.decode()
    assert "This attempt is finished; its answers can no longer change." in html
    assert item(attempt, 1).answer is None


def test_a_question_outside_the_attempt_is_404(client, learner, bank):
    attempt = start_exam(client)
    assert answer(client, attempt, 11).status_code == 404
    for query in ("?q=99", "?q=abc", "?q=0", "?q=²", "?q=" + "9" * 5000):
        html = client.get(page(attempt.pk, query)).content.decode()
        assert "Question 1 <span" in html


def test_out_of_range_ids_are_404(client, learner, bank):
    attempt = start_exam(client)
    huge = "9" * 30
    assert client.get(page(huge)).status_code == 404
    assert client.get(page(huge, "results/")).status_code == 404
    assert client.post(page(huge, "submit/")).status_code == 404
    assert client.post(page(attempt.pk, f"q/{huge}/"), {"go": "next"}).status_code == 404
    assert answer(client, attempt, 1, choices=[huge]).status_code == 400


def test_review_lists_unanswered_and_flagged_questions(client, learner, bank):
    attempt = start_exam(client)
    for position in range(1, 9):
        answer(client, attempt, position, choices=ids(attempt, position, correct=True))
    answer(client, attempt, 3, "save", choices=ids(attempt, 3, correct=True), flagged="on")
    answer(client, attempt, 9, "review", flagged="on")
    html = client.get(page(attempt.pk, "review/")).content.decode()
    unanswered = html.split('id="unanswered-title"')[1].split("</section>")[0]
    flagged = html.split('id="flagged-title"')[1].split("</section>")[0]
    assert "(2)" in unanswered
    assert "(2)" in flagged
    assert re.findall(r"\?q=(\d+)\">Question", unanswered) == ["9", "10"]
    assert re.findall(r"\?q=(\d+)\">Question", flagged) == ["3", "9"]
    assert "8 of 10 answered" in html
    assert f'action="{page(attempt.pk, "submit/")}"' in html
    assert "Unanswered questions score nothing." in html


def test_submit_shows_scores_domains_time_and_every_question(client, learner, bank):
    topic = TopicFactory(slug="queues", title="Queues in depth")
    for question in Question.objects.all():
        question.topics.add(topic)
    with at(T0):
        attempt = start_exam(client)
    with at(T0 + timedelta(minutes=4)):
        for position in range(1, 9):
            answer(client, attempt, position, choices=ids(attempt, position, correct=True))
        answer(client, attempt, 9, choices=ids(attempt, 9, correct=False)[:1])
        submitted = client.post(page(attempt.pk, "submit/"))
    assert submitted.url == page(attempt.pk, "results/")
    html = client.get(submitted.url).content.decode()
    assert "8 of 10 points (80%)" in html
    assert "800 of 1000" in html
    assert "Pass: scaled score 800 against a pass mark of 700 (estimate)" in html
    assert "linear" in html
    assert "estimate" in html
    assert "1. Build" in html
    assert "2. Secure" in html
    assert html.count('role="progressbar"') == 2
    assert "4 min of 20 min" in html
    assert "24 s against a budget of 2 min" in html
    assert html.count('class="review-question card"') == 10
    assert html.count("Rationale 0.") == 10
    assert html.count("Because the <strong>right</strong> one does.") == 10
    assert "Correct answer" in html
    assert "Your answer" in html
    assert "Not answered" in html
    assert 'href="/topics/queues/">Queues in depth</a>' in html
    assert "https://docs.aws.amazon.com/lambda/" in html


def test_a_failed_attempt_says_so(client, learner, bank):
    attempt = start_exam(client)
    client.post(page(attempt.pk, "submit/"))
    html = client.get(page(attempt.pk, "results/")).content.decode()
    assert "Fail: scaled score 0 against a pass mark of 700" in html
    assert "verdict-fail" in html


def test_open_and_finished_attempts_go_to_their_page(client, learner, bank):
    attempt = start_exam(client)
    assert client.get(page(attempt.pk, "results/")).url == page(attempt.pk)
    client.post(page(attempt.pk, "submit/"))
    assert client.get(page(attempt.pk)).url == page(attempt.pk, "results/")
    assert client.get(page(attempt.pk, "review/")).url == page(attempt.pk, "results/")
    again = client.post(page(attempt.pk, "submit/"))  # submitting twice is harmless
    assert again.url == page(attempt.pk, "results/")


def test_after_the_deadline_the_attempt_shows_its_results(client, learner, bank):
    with at(T0):
        attempt = start_exam(client)
        answer(client, attempt, 1, choices=ids(attempt, 1, correct=True))
    with at(T0 + timedelta(minutes=19, seconds=30)):
        html = client.get(page(attempt.pk, "?q=2")).content.decode()
        assert 'data-seconds-left="30"' in html
        assert ">0:30<" in html
    with at(T0 + timedelta(minutes=21)):
        response = client.get(page(attempt.pk, "?q=2"), follow=True)
        late = answer(client, attempt, 2, choices=ids(attempt, 2, correct=True))
    assert response.redirect_chain[-1][0] == page(attempt.pk, "results/")
    html = response.content.decode()
    assert "The time ran out: the answers saved before the deadline were scored." in html
    assert "1 of 10 points (10%)" in html
    assert late.url == page(attempt.pk, "results/")
    attempt.refresh_from_db()
    assert attempt.status == "expired"
    assert item(attempt, 2).answer is None


def test_another_learners_attempt_is_404_on_every_page(client, learner, bank):
    other = UserFactory()
    theirs, _ = services.attempt_start(user=other, exam=bank, mode="exam")
    pages = [
        ("get", page(theirs.pk)),
        ("get", page(theirs.pk, "review/")),
        ("get", page(theirs.pk, "results/")),
        ("post", page(theirs.pk, "q/1/")),
        ("post", page(theirs.pk, "submit/")),
    ]
    for method, url in pages:
        response = getattr(client, method)(url, {"choices": ["10"], "go": "next"})
        assert response.status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.is_open
    assert not theirs.items.filter(answer__isnull=False).exists()
    services.attempt_submit(user=other, attempt_id=theirs.pk)
    assert client.get(page(theirs.pk, "results/")).status_code == 404
    assert page(theirs.pk) not in client.get("/practice/TST-C01/history/").content.decode()


def test_attempt_pages_need_a_login(client, bank):
    attempt, _ = services.attempt_start(user=UserFactory(), exam=bank, mode="exam")
    for url in (page(attempt.pk), page(attempt.pk, "results/"), "/practice/TST-C01/history/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


# --- Practice ------------------------------------------------------------------------------------


def test_practice_shows_the_feedback_right_after_checking(client, learner, bank):
    client.post(START, {"mode": "practice", "count": "3"})
    attempt = Attempt.objects.get()
    before = client.get(page(attempt.pk, "?q=1")).content.decode()
    assert "Rationale 0." not in before
    assert "Because the" not in before
    assert "data-feedback hidden>" in before

    empty = answer(client, attempt, 1, "check")
    assert empty.status_code == 400
    assert "Choose an answer." in empty.content.decode()

    right = ids(attempt, 1, correct=True)
    checked = answer(client, attempt, 1, "check", choices=right)
    assert checked.url == page(attempt.pk, "?q=1#feedback")
    html = client.get(page(attempt.pk, "?q=1")).content.decode()
    assert 'class="verdict verdict-right">Right<' in html
    assert html.count("Rationale ") == 4
    assert "Because the <strong>right</strong> one does." in html
    assert f'id="choice-{right[0]}" checked disabled' in html
    assert "Check answer" not in html

    wrong = ids(attempt, 1, correct=False)
    again = answer(client, attempt, 1, "check", choices=wrong[:1])  # final: nothing changes
    assert again.status_code == 302
    assert item(attempt, 1).points == 1

    skipped = answer(client, attempt, 2, "next", choices=ids(attempt, 2, correct=True))
    assert skipped.url == page(attempt.pk, "?q=3")
    assert item(attempt, 2).answer is None  # moving on does not check an answer
    assert "Finish the practice session" in client.get(page(attempt.pk, "review/")).content.decode()


def test_a_spaced_review_session_gives_feedback_like_practice(client, learner, bank):
    attempt, _ = services.attempt_start(user=learner, exam=bank, mode="practice", count=2)
    Attempt.objects.filter(pk=attempt.pk).update(mode="review")
    html = client.get(page(attempt.pk, "?q=1")).content.decode()
    assert "TST-C01 · Spaced review" in html
    assert "Check answer" in html
    answer(client, attempt, 1, "check", choices=ids(attempt, 1, correct=True))
    html = client.get(page(attempt.pk, "?q=1")).content.decode()
    assert "Because the <strong>right</strong> one does." in html
    assert (
        "Finish the spaced review session"
        in client.get(page(attempt.pk, "review/")).content.decode()
    )


def test_practice_results_have_no_time_budget(client, learner, bank):
    client.post(START, {"mode": "practice", "count": "2"})
    attempt = Attempt.objects.get()
    answer(client, attempt, 1, "check", choices=ids(attempt, 1, correct=False)[:1])
    client.post(page(attempt.pk, "submit/"))
    html = client.get(page(attempt.pk, "results/")).content.decode()
    assert "0 of 2 points (0%)" in html
    assert "against a budget" not in html
    assert "rough guide" in html


# --- History -------------------------------------------------------------------------------------


def test_history_charts_simulations_with_a_table_and_lists_open_attempts(client, learner, bank):
    with at(T0):
        first = start_exam(client)
        for position in range(1, 6):
            answer(client, first, position, choices=ids(first, position, correct=True))
        client.post(page(first.pk, "submit/"))
    with at(T0 + timedelta(days=2)):
        second = start_exam(client)
        for position in range(1, 9):
            answer(client, second, position, choices=ids(second, position, correct=True))
        client.post(page(second.pk, "submit/"))
        client.post(START, {"mode": "practice", "count": "2"})
        practice = Attempt.objects.get(mode="practice")
        client.post(page(practice.pk, "submit/"))
        opened = start_exam(client)
        html = client.get("/practice/TST-C01/history/").content.decode()
    chart = html.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in html.split("<svg")[1]
    assert chart.count("<circle") == 2
    assert "chart-point is-fail" in chart
    assert "chart-point is-pass" in chart
    assert "Pass 700" in chart
    assert "<polyline" in chart
    assert "2 simulations, oldest first; the latest scored 800" in chart
    table = html.split('class="history-table"')[1]
    assert table.index("800 of 1000") < table.index("500 of 1000")  # newest first
    assert f'href="{page(second.pk, "results/")}"' in html
    assert "Practice and review sessions" in html
    assert f'href="{page(opened.pk)}">Resume the simulation' in html


def test_history_without_attempts(client, learner, bank):
    html = client.get("/practice/TST-C01/history/").content.decode()
    assert "No finished simulations yet." in html
    assert "<svg" not in html
    assert client.get("/practice/NOPE/history/").status_code == 404


# --- The certification page ----------------------------------------------------------------------


def test_certification_page_offers_start_practice_for_versions_with_questions(db):
    certification = CertificationFactory(slug="aws-certified-developer-associate")
    with_questions = ExamFactory(code="DVA-C03", certification=certification)
    question_in(with_questions.domains.first())
    ExamFactory(code="DVA-C02", certification=certification)
    html = Template("{% load quizzes_tags %}{% exam_versions certification %}").render(
        Context({"certification": certification})
    )
    assert html.count("Start practice") == 1
    assert 'href="/practice/DVA-C03/#start">Start practice' in html


# --- Query counts --------------------------------------------------------------------------------


def sized_exam(size: int):  # noqa: ANN201
    exam = ExamFactory(
        code="SZ-C01", question_count=size, scored_questions=None, duration_minutes=2 * size,
        passing_score=700, score_scale_max=1000, domains=[],
    )  # fmt: skip
    one = ExamDomainFactory(exam=exam, code="1", weight_min=60, weight_max=60)
    two = ExamDomainFactory(exam=exam, code="2", weight_min=40, weight_max=40)
    for index in range(size):
        question_in(one if index < size * 0.6 else two)
    return exam


@pytest.mark.parametrize("size", [10, 30])
def test_attempt_pages_cost_the_same_queries_at_any_size(
    client, learner, django_assert_num_queries, size
):
    exam = sized_exam(size)
    attempt, _ = services.attempt_start(user=learner, exam=exam, mode="exam")
    for position in (1, 2):
        AttemptQuestion.objects.filter(attempt=attempt, position=position).update(
            answer=[0], flagged=True
        )
    with django_assert_num_queries(3):
        assert client.get(page(attempt.pk, "?q=3")).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(page(attempt.pk, "review/")).status_code == 200
    services.attempt_submit(user=learner, attempt_id=attempt.pk)
    with django_assert_num_queries(8):  # + the learner's notes and recurring confusions (1 + 3)
        assert client.get(page(attempt.pk, "results/")).status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/practice/SZ-C01/history/").status_code == 200
    with django_assert_num_queries(10):  # + review due, exam date, readiness (2 + 1 + 2)
        assert client.get("/practice/SZ-C01/").status_code == 200


def test_the_unsure_toggle_is_saved_and_rates_a_right_answer_hard(client, learner, bank):
    from quizzes.models import AnswerRecord, ReviewCard

    with at(T0):
        attempt = start_exam(client)
        html = client.get(page(attempt.pk, "?q=1")).content.decode()
        assert 'name="unsure"' in html
        answer(client, attempt, 1, choices=ids(attempt, 1, correct=True), unsure="on")
        assert item(attempt, 1).sure is False
        assert (
            'checked>\n            <label for="unsure">'
            in client.get(page(attempt.pk, "?q=1")).content.decode()
        )
        answer(client, attempt, 1, choices=ids(attempt, 1, correct=True))  # toggled back: sure
        assert item(attempt, 1).sure is True
        answer(client, attempt, 2, choices=ids(attempt, 2, correct=True), unsure="on")
        client.post(page(attempt.pk, "submit/"))
    record = AnswerRecord.objects.get(attempt_item=item(attempt, 2))
    assert (record.correct, record.sure) == (True, False)
    sure_card = ReviewCard.objects.get(question_id=item(attempt, 1).version.question_id)
    unsure_card = ReviewCard.objects.get(question_id=item(attempt, 2).version.question_id)
    assert unsure_card.due < sure_card.due  # Hard comes back before Good
