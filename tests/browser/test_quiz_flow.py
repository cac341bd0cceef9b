"""The quiz engine in Chromium, on the real content and sample banks: a learner sits a timed
DVA-C03 mini exam with JavaScript (answers saved through the API, the navigator updated in place,
a flag, closing the page and resuming, the review, submitting, the results), practises a domain
and sees the explanation right after answering, and the timer follows the server. The same basic
flow works without JavaScript through plain forms. The attempt pages are axe-clean in light and
dark and fit a phone. A missed question comes back in spaced review with the learner's note."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt, AttemptQuestion, Exam, QuestionReport, ReviewCard
from tests.factories import UserFactory
from tests.portal.accounts_helpers import PASSWORD, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}
ATTEMPT_URL = re.compile(r".*/practice/attempts/\d+/(\?q=\d+)?$")


@pytest.fixture
def learner(content):
    return UserFactory(username="quinn", email="quinn@example.com")


def signed_in_context(browser, live_server, user, **options):  # noqa: ANN001, ANN201
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def serious(page) -> list[str]:  # noqa: ANN001
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]


def console_errors(page) -> list[str]:  # noqa: ANN001
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def answer_shown_question(page) -> None:  # noqa: ANN001
    """Pick an answer of the question on the page, whatever its kind."""
    form = page.locator("form[data-question]")
    kind = form.get_attribute("data-kind")
    if kind == "yesno":
        for statement in form.locator("fieldset.statement").all():
            statement.get_by_label("Yes").check()
    elif kind == "multiple":
        boxes = form.locator('input[name="choices"]')
        for index in range(int(form.get_attribute("data-choose"))):
            boxes.nth(index).check()
    else:
        form.locator('input[name="choices"]').first.check()


def nav(page, position: int):  # noqa: ANN001, ANN201
    return page.locator(f'[data-qnav="{position}"]')


def item(attempt: Attempt, position: int) -> AttemptQuestion:
    return AttemptQuestion.objects.get(attempt=attempt, position=position)


def clock_seconds(text: str) -> int:
    seconds = 0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def saved_answer_of(attempt: Attempt, position: int) -> object:
    return item(attempt, position).answer


def test_a_timed_mini_exam_with_javascript(browser, live_server, learner, screenshot_dir):
    context = signed_in_context(browser, live_server, learner, viewport=DESKTOP)
    page = context.new_page()
    errors = console_errors(page)

    def shot(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"quiz-js-{name}.png", full_page=True)

    page.goto(live_server.url + "/practice/DVA-C03/")
    page.get_by_role("button", name="Start the exam simulation").click()
    page.wait_for_url(ATTEMPT_URL)
    attempt = Attempt.objects.get(user=learner)
    assert (attempt.exam.code, attempt.question_count, attempt.time_limit_minutes) == (
        "DVA-C03", 30, 60,
    )  # fmt: skip

    # The timer shows the server's remaining time and counts down.
    clock = page.locator("[data-timer-clock]")
    expect(page.locator("[data-timer-static]")).to_be_hidden()
    assert abs(clock_seconds(clock.inner_text()) - attempt.time_left()) <= 3
    shown = clock.inner_text()
    expect(clock).not_to_have_text(shown)

    # Answers save through the API as they change; the navigator updates without a reload.
    page.evaluate("window.__stayed = true")
    answer_shown_question(page)
    expect(page.locator("[data-save-status]")).to_have_text("Answer saved.")
    expect(nav(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator("[data-answered-count]")).to_have_text("1 of 30 answered")
    assert page.evaluate("window.__stayed") is True
    assert saved_answer_of(attempt, 1) is not None
    shot("1-question")

    nav(page, 2).click()
    page.wait_for_url("**?q=2")
    page.evaluate("window.__stayed = true")
    answer_shown_question(page)
    expect(nav(page, 2)).to_have_class(re.compile(r"\bis-answered\b"))
    page.get_by_label("Flag for review").check()
    expect(page.locator("[data-save-status]")).to_have_text("Flagged for review.")
    expect(nav(page, 2)).to_have_class(re.compile(r"\bis-flagged\b"))
    expect(nav(page, 2).locator("[data-qnav-state]")).to_have_text(", answered, flagged")
    assert page.evaluate("window.__stayed") is True
    assert item(attempt, 2).flagged is True

    # Close the page and come back later: the exam page offers to resume, all is still there.
    first_answer, second_answer = saved_answer_of(attempt, 1), saved_answer_of(attempt, 2)
    page.close()
    page = context.new_page()
    errors += console_errors(page)
    page.goto(live_server.url + "/practice/DVA-C03/")
    page.get_by_role("link", name="Resume the simulation").click()
    page.wait_for_url(ATTEMPT_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 3")
    expect(nav(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    expect(nav(page, 2)).to_have_class(re.compile(r"\bis-answered\b.*\bis-flagged\b"))
    nav(page, 2).click()
    expect(page.get_by_label("Flag for review")).to_be_checked()
    assert page.locator("[data-answer-fields] input:checked").count() >= 1
    assert (saved_answer_of(attempt, 1), saved_answer_of(attempt, 2)) == (
        first_answer, second_answer,
    )  # fmt: skip

    # A wrong number of choices is not saved; saving anyway shows the API's message inline.
    multiple = next(
        i.position
        for i in attempt.items.select_related("version").order_by("position")
        if i.version.content["kind"] == "multiple" and i.position > 2
    )
    nav(page, multiple).click()
    page.wait_for_url(f"**?q={multiple}")
    page.locator('input[name="choices"]').first.check()
    expect(page.locator("[data-save-status]")).to_have_text(
        re.compile(r"^Choose \d: 1 selected, not saved yet\.$")
    )
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator("#answer-error")).to_have_text(re.compile(r"Choose exactly \d choices"))
    expect(page.locator("[data-save-status]")).to_have_text("Not saved.")
    assert item(attempt, multiple).answer is None
    page.locator('input[name="choices"]').first.uncheck()  # nothing chosen: nothing to save
    expect(page.locator("[data-save-status]")).to_have_text("Answer cleared.")

    # The review screen lists the unanswered and flagged questions.
    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_url("**/review/")
    unanswered = page.locator("section", has=page.locator("#unanswered-title"))
    flagged = page.locator("section", has=page.locator("#flagged-title"))
    expect(unanswered.get_by_role("link")).to_have_count(28)
    expect(unanswered.get_by_role("link").first).to_have_text("Question 3")
    expect(flagged.get_by_role("link")).to_have_text(["Question 2"])
    shot("2-review")

    page.get_by_role("button", name="Submit the exam").click()
    page.wait_for_url("**/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".result-domains [role=progressbar]")).to_have_count(4)
    expect(page.locator(".result-summary")).to_contain_text("estimate")
    expect(page.locator(".review-question")).to_have_count(30)
    shot("3-results")
    attempt.refresh_from_db()
    assert attempt.status == "submitted"
    # No script or CSP errors; the one 400 is the refused save above.
    assert [error for error in errors if "status of 400" not in error] == []
    context.close()


def test_practice_shows_the_explanation_right_after_answering(
    browser, live_server, learner, screenshot_dir
):
    context = signed_in_context(browser, live_server, learner, viewport=DESKTOP)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(live_server.url + "/practice/DVA-C03/")
    page.get_by_label(re.compile(r"^1\. Development with AWS Services")).check()
    page.get_by_label("Questions", exact=True).fill("3")
    page.get_by_role("button", name="Start practice").click()
    page.wait_for_url(ATTEMPT_URL)
    attempt = Attempt.objects.get(user=learner, mode="practice")
    assert set(attempt.items.values_list("domain__code", flat=True)) == {"1"}
    expect(page.locator("[data-timer]")).to_have_count(0)  # untimed
    expect(page.locator("#feedback")).to_be_hidden()

    page.evaluate("window.__stayed = true")
    answer_shown_question(page)
    assert item(attempt, 1).answer is None  # practice answers count once checked
    page.get_by_role("button", name="Check answer").click()
    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    expect(feedback.locator(".verdict")).to_have_text(re.compile(r"^(Right|Wrong|\d+ of \d+)"))
    expect(feedback.get_by_role("heading", name="Explanation", exact=True)).to_be_visible()
    explanation = item(attempt, 1).version.content["explanation_html"]
    first_words = re.sub(r"<[^>]+>", "", explanation).split()[:4]
    expect(feedback.locator(".explanation")).to_contain_text(" ".join(first_words))
    expect(feedback.locator(".rationale").first).not_to_be_empty()
    expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
    assert page.locator("[data-answer-fields] input:not([disabled])").count() == 0
    assert page.evaluate("window.__stayed") is True
    page.screenshot(path=screenshot_dir / "quiz-js-practice-feedback.png", full_page=True)
    assert item(attempt, 1).answered_at is not None

    # The server-rendered page shows the same feedback after a reload.
    page.reload()
    expect(page.locator("#feedback .explanation")).to_contain_text(" ".join(first_words))
    assert errors == []
    context.close()


def test_the_timer_follows_the_server_and_ends_the_attempt(browser, live_server, learner):
    attempt, _ = services.attempt_start(
        user=learner, exam=Exam.objects.get(code="AZ-204"), mode="exam"
    )
    context = signed_in_context(browser, live_server, learner)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(live_server.url + f"/practice/attempts/{attempt.pk}/")
    clock = page.locator("[data-timer-clock]")
    assert abs(clock_seconds(clock.inner_text()) - attempt.time_left()) <= 3

    # The server's deadline moves (another device, a clock fix): the page follows on focus.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=10))
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(clock).to_have_text(re.compile(r"^(10:00|9:5\d)$"))

    # At zero the page reloads and the server shows the results.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.wait_for_url("**/results/", timeout=15_000)
    expect(page.locator(".messages")).to_contain_text("The time ran out")
    attempt.refresh_from_db()
    assert attempt.status == "expired"
    assert errors == []
    context.close()


def test_the_same_flow_without_javascript(browser, live_server, content, screenshot_dir):
    learner = verified_user(email="nojs@example.com")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    def shot(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"quiz-nojs-{name}.png", full_page=True)

    # Anonymous: the start panel asks to log in, and comes back after.
    page.goto(live_server.url + "/practice/AZ-204/")
    page.locator("#start").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/practice/AZ-204/")

    page.get_by_label("Extended time: 30 more minutes").check()
    page.get_by_role("button", name="Start the exam simulation").click()
    page.wait_for_url(ATTEMPT_URL)
    attempt = Attempt.objects.get(user=learner)
    assert attempt.time_limit_minutes == 90
    expect(page.locator("[data-timer-static]")).to_be_visible()
    assert abs(clock_seconds(page.locator("[data-timer-clock]").inner_text()) - 90 * 60) <= 5

    answer_shown_question(page)
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url("**?q=2")
    assert item(attempt, 1).answer is not None
    expect(nav(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    page.get_by_label("Flag for review").check()
    page.get_by_role("button", name="Save answer").click()
    expect(nav(page, 2)).to_have_class(re.compile(r"\bis-flagged\b"))
    expect(page.get_by_label("Flag for review")).to_be_checked()
    shot("1-question")

    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_url("**/review/")
    flagged = page.locator("section", has=page.locator("#flagged-title"))
    unanswered = page.locator("section", has=page.locator("#unanswered-title"))
    expect(flagged.get_by_role("link")).to_have_text(["Question 2"])
    expect(unanswered.get_by_role("link")).to_have_count(29)
    page.get_by_role("button", name="Submit the exam").click()
    page.wait_for_url("**/results/")
    expect(page.locator(".result-domains [role=progressbar]")).to_have_count(5)
    shot("2-results")

    # Practice a domain: the explanation follows the checked answer.
    page.goto(live_server.url + "/practice/AZ-204/")
    page.get_by_label(re.compile(r"^2\. Develop for Azure storage")).check()
    page.get_by_label("Questions", exact=True).fill("2")
    page.get_by_role("button", name="Start practice").click()
    page.wait_for_url(ATTEMPT_URL)
    answer_shown_question(page)
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_url("**?q=1#feedback")
    expect(page.locator("#feedback")).to_be_visible()
    expect(
        page.locator("#feedback").get_by_role("heading", name="Explanation", exact=True)
    ).to_be_visible()
    shot("3-practice-feedback")
    context.close()


# --- Accessibility and small screens ---------------------------------------------------------


def right_answer(attempt_item: AttemptQuestion) -> dict:
    content, position = attempt_item.version.content, attempt_item.position
    if content["kind"] == "yesno":
        return {"statements": {str(position * 10 + c["key"]): c["correct"]
                               for c in content["choices"]}}  # fmt: skip
    return {"choices": [position * 10 + c["key"] for c in content["choices"] if c["correct"]]}


def sit(user, code: str, mode: str = "exam", answered: int = 0, **options) -> Attempt:  # noqa: ANN001
    attempt, _ = services.attempt_start(
        user=user, exam=Exam.objects.get(code=code), mode=mode, **options
    )
    for attempt_item in attempt.items.select_related("version").order_by("position")[:answered]:
        services.answer_save(
            user=user, attempt_id=attempt.pk, position=attempt_item.position,
            answer=right_answer(attempt_item),
        )  # fmt: skip
    return attempt


@pytest.fixture
def attempt_pages(learner) -> dict[str, str]:
    """Every attempt page in a representative state: an open simulation with answers and a
    flag, its review, a practice question with its feedback, results, and the history."""
    for answered in (12, 25):
        finished = sit(learner, "AZ-204", answered=answered)
        services.attempt_submit(user=learner, attempt_id=finished.pk)
    sitting = sit(learner, "DVA-C03", answered=3)
    services.flag_set(user=learner, attempt_id=sitting.pk, position=2, flagged=True)
    practice = sit(learner, "DVA-C03", mode="practice", answered=1, count=5)
    Exam.objects.filter(code="AZ-204").update(full_simulation=True)  # the start form's radios
    return {
        "start": "/practice/DVA-C03/",
        "start-full": "/practice/AZ-204/",
        "question": f"/practice/attempts/{sitting.pk}/?q=2",
        "review": f"/practice/attempts/{sitting.pk}/review/",
        "practice": f"/practice/attempts/{practice.pk}/?q=1",
        "results": f"/practice/attempts/{finished.pk}/results/",
        "history": "/practice/AZ-204/history/",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_attempt_pages_are_accessible_in_both_themes(
    browser, live_server, learner, attempt_pages, screenshot_dir, scheme
):
    context = signed_in_context(
        browser, live_server, learner, color_scheme=scheme, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors = console_errors(page)
    found = {}
    for name, path in attempt_pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.get_by_role("heading", level=1).count() == 1, path
        page.screenshot(path=screenshot_dir / f"quiz-{name}-{scheme}.png", full_page=True)
        found[name] = serious(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert errors == []
    context.close()


def test_attempt_pages_fit_a_phone(browser, live_server, learner, attempt_pages, screenshot_dir):
    context = signed_in_context(
        browser, live_server, learner, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    wide = {}
    for name, path in attempt_pages.items():
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[name] = width
        page.screenshot(path=screenshot_dir / f"quiz-{name}-phone.png", full_page=True)
    assert wide == {}
    context.close()


# --- Spaced review -----------------------------------------------------------------------------


def wrong_answer(attempt_item: AttemptQuestion) -> dict:
    content, position = attempt_item.version.content, attempt_item.position
    if content["kind"] == "yesno":
        return {"statements": {str(position * 10 + c["key"]): not c["correct"]
                               for c in content["choices"]}}  # fmt: skip
    wrong_first = sorted(content["choices"], key=lambda c: c["correct"])
    return {"choices": [position * 10 + c["key"] for c in wrong_first[: content["choose"] or 1]]}


def test_a_missed_question_comes_back_in_review_with_the_note(
    browser, live_server, learner, screenshot_dir
):
    practice = sit(learner, "DVA-C03", mode="practice", count=1)
    missed = item(practice, 1)
    services.answer_save(user=learner, attempt_id=practice.pk, position=1,
                         answer=wrong_answer(missed))  # fmt: skip
    context = signed_in_context(browser, live_server, learner, viewport=DESKTOP)
    page = context.new_page()
    errors = console_errors(page)

    # After the miss, the learner writes a note under the feedback.
    page.goto(live_server.url + f"/practice/attempts/{practice.pk}/?q=1")
    feedback = page.locator("#feedback")
    expect(feedback.locator(".verdict")).not_to_have_text("Right")
    feedback.get_by_label("Note to yourself").fill("EMF: write to **stdout**")
    feedback.get_by_role("button", name="Add the note").click()
    expect(page.locator(".messages")).to_contain_text("Your note is saved")

    # Days pass: the card is due. The exam page says so and starts the review.
    ReviewCard.objects.filter(user=learner).update(due=timezone.now() - timedelta(days=1))
    page.goto(live_server.url + "/practice/DVA-C03/")
    review_card = page.locator("#review")
    expect(review_card).to_contain_text("1 DVA-C03 question due today")
    review_card.get_by_role("button", name="Start the review").click()
    page.wait_for_url(ATTEMPT_URL)
    review = Attempt.objects.get(user=learner, mode="review")
    assert item(review, 1).version.question_id == missed.version.question_id
    expect(page.locator(".eyebrow")).to_contain_text("Spaced review")
    reminder = page.locator("[data-note-reminder]")
    expect(reminder).to_contain_text("EMF: write to stdout")
    expect(feedback).to_be_hidden()
    page.screenshot(path=screenshot_dir / "quiz-js-review-question.png", full_page=True)
    assert serious(page) == []

    # Answering shows the explanation and the note with its form, in place.
    answer_shown_question(page)
    page.get_by_role("button", name="Check answer").click()
    expect(feedback).to_be_visible()
    expect(feedback.get_by_role("heading", name="Explanation", exact=True)).to_be_visible()
    expect(reminder).to_be_hidden()
    expect(feedback.locator("[data-note-body]")).to_contain_text("EMF: write to stdout")
    page.screenshot(path=screenshot_dir / "quiz-js-review-feedback.png", full_page=True)
    assert item(review, 1).answered_at is not None

    # A problem with the question goes to the editors.
    feedback.get_by_text("Report a problem with this question").click()
    feedback.get_by_label("What is wrong?").select_option("unclear")
    feedback.get_by_role("button", name="Send the report").click()
    expect(page.locator(".messages")).to_contain_text("Thank you")
    assert QuestionReport.objects.get(user=learner).reason == "unclear"
    assert errors == []
    context.close()
