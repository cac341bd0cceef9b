"""The dashboard's exam-practice panels in Chromium, for a learner whose answer history is built
with the quiz engine's services: readiness with its interval, the exam-date countdown, reviews
due, a recurring confusion and a topic done but still missed all render; the dashboard and the
flagged topic page are axe-clean (no serious or critical violations) in light and dark, with no
console errors."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from progress import services as progress_services
from quizzes.services import exam_date_set
from tests.factories import TopicFactory, UserFactory
from tests.quizzes.factories import ExamDomainFactory, ExamFactory, question_in
from tests.quizzes.learning_fixtures import practise_all, service_question, technologies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sns_habit(content: dict) -> int:
    """SNS whenever it is offered, the right answer otherwise."""
    for choice in content["choices"]:
        if "Amazon SNS" in choice["text_html"]:
            return choice["key"]
    return next(choice["key"] for choice in content["choices"] if choice["correct"])


@pytest.fixture
def learner(transactional_db):
    """Two practice sessions of DVA-C02 an hour apart: every "SQS or SNS?" question (linked to
    the topic Queues, marked done) answered SNS, the others right; the exam booked in 30 days."""
    technologies()
    user = UserFactory(username="lin", display_name="Lin", timezone="Europe/Berlin")
    exam = ExamFactory(code="DVA-C02", name="AWS Certified Developer - Associate", domains=[])
    build = ExamDomainFactory(exam=exam, code="1", name="Development", weight_min=60, weight_max=60)
    secure = ExamDomainFactory(exam=exam, code="2", name="Security", weight_min=40, weight_max=40)
    queues = TopicFactory(slug="queues", title="Queues and topics")
    for _ in range(5):
        service_question(build, "Amazon SQS", ["Amazon SNS", "AWS Lambda"]).topics.add(queues)
    for _ in range(6):
        question_in(secure)
    progress_services.status_set(user=user, topic=queues, status="done")
    now = timezone.now()
    practise_all(user, exam, sns_habit, now=now - timedelta(hours=2))
    practise_all(user, exam, sns_habit, now=now - timedelta(hours=1))
    exam_date_set(user=user, exam=exam, day=user.local_today() + timedelta(days=30))
    return user


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_learning_panels_render_and_are_accessible(
    browser, live_server, learner, screenshot_dir, scheme
):
    context = signed_in_context(
        browser, live_server, learner, color_scheme=scheme, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert page.goto(live_server.url + "/dashboard/").status == 200

    dates = page.locator("[data-panel=exam-dates]")
    expect(dates.locator("[data-countdown=DVA-C02] .stat")).to_have_text("30 days")
    expect(dates).to_contain_text("until DVA-C02 on")
    reviews = page.locator("[data-panel=reviews]")
    expect(reviews.locator("[data-reviews-due]")).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(reviews.get_by_role("link", name="Review DVA-C02")).to_have_attribute(
        "href", "/practice/DVA-C02/"
    )
    expect(page.locator("[data-panel=confusions] [data-confusion]")).to_have_text(
        "You picked Amazon SNS where Amazon SQS was right in 5 of your last 5 answers."
    )
    struggling = page.locator("[data-panel=struggling] [data-struggling=queues]")
    expect(struggling).to_contain_text("0 of your last 5 answers right")
    readiness = page.locator("[data-readiness=DVA-C02]")
    expect(readiness.locator("[data-verdict-label]")).to_have_text("Not yet")
    expect(readiness).to_contain_text("72% needed to pass")
    expect(readiness.locator("[data-weakest]")).to_contain_text("1 Development")
    chart = readiness.locator("svg.readiness-chart")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100
    band, track = (chart.locator(f"rect.heat-{level}").first for level in (2, 0))
    band_fill, track_fill = (
        node.evaluate("node => getComputedStyle(node).fill") for node in (band, track)
    )
    assert band_fill != track_fill  # the interval stands out from its track in both themes
    page.screenshot(path=screenshot_dir / f"learning-dashboard-{scheme}.png", full_page=True)
    found = {"dashboard": serious(page)}

    struggling.get_by_role("link", name="Queues and topics").click()
    expect(page.locator("[data-struggling-flag]")).to_contain_text(
        "you got 0 of your last 5 answers to its practice questions right"
    )
    page.screenshot(path=screenshot_dir / f"learning-topic-{scheme}.png", full_page=True)
    found["topic"] = serious(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert errors == []
    context.close()


def test_an_exam_date_is_set_from_the_dashboard(browser, live_server, learner):
    context = signed_in_context(browser, live_server, learner)
    page = context.new_page()
    page.goto(live_server.url + "/dashboard/")
    day = learner.local_today() + timedelta(days=10)
    page.get_by_label("Change the day of DVA-C02").fill(day.isoformat())
    page.get_by_role("button", name="Save the DVA-C02 date").click()
    expect(page.locator("[data-countdown=DVA-C02] .stat")).to_have_text("10 days")
    context.close()
