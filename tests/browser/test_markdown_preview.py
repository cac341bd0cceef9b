"""The Markdown preview in the admin, in Chromium: typing updates the preview with sanitized HTML
from the server; without JavaScript the form shows only the textarea."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import ResourceFactory, SkillLevelFactory, TopicFactory, UserFactory
from tests.portal.accounts_helpers import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_context(browser, live_server, **options):
    """A browser context logged in as staff with two-factor set up (production settings)."""
    staff = UserFactory(username="editor", is_staff=True, is_superuser=True)
    with_totp(staff)
    client = Client()
    client.force_login(staff)
    context = browser.new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def console_errors(page) -> list[str]:
    """Errors in the console (CSP violations, failed requests), but the admin's missing favicon."""
    return [
        message.text
        for message in page.console_messages
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico")
    ]


@pytest.fixture
def staff_page(browser, live_server):
    context = staff_context(browser, live_server)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message))
    yield page
    context.close()


def test_typing_markdown_updates_the_preview(staff_page, live_server, screenshot_dir):
    topic = TopicFactory(body="Saved **text**.")
    staff_page.goto(f"{live_server.url}/admin/curriculum/topic/{topic.pk}/change/")
    preview = staff_page.locator(".field-body .markdown-preview-body")
    expect(preview.locator("strong")).to_have_text("text")  # the saved text, shown at once

    staff_page.locator("#id_body").fill(
        "## Containers\n\nRun `docker run` and read [the docs](https://docs.docker.com/)."
        "\n\n<script>alert('xss')</script><img src=x onerror=alert(1)>"
    )

    expect(preview.locator("h2")).to_have_text("Containers")
    expect(preview.locator("code")).to_have_text("docker run")
    expect(preview.locator("a")).to_have_attribute("href", "https://docs.docker.com/")
    assert preview.locator("script, img").count() == 0
    expect(staff_page.locator(".field-body .markdown-preview-status")).to_have_text("")
    staff_page.screenshot(path=screenshot_dir / "admin-markdown-preview.png", full_page=True)
    assert console_errors(staff_page) == []


def test_preview_follows_the_latest_text(staff_page, live_server):
    topic = TopicFactory(body="")
    staff_page.goto(f"{live_server.url}/admin/curriculum/topic/{topic.pk}/change/")
    body = staff_page.locator("#id_body")
    for text in ("*one*", "*one* **two**", "*one* **two** `three`"):
        body.fill(text)
    preview = staff_page.locator(".field-body .markdown-preview-body")
    expect(preview.locator("code")).to_have_text("three")
    expect(preview).to_have_text(re.compile(r"^\s*one two three\s*$"))


def test_inline_rows_added_later_preview_too(staff_page, live_server):
    level = SkillLevelFactory(level="beginner", steps="- First")
    staff_page.goto(f"{live_server.url}/admin/curriculum/skill/{level.skill.pk}/change/")
    staff_page.get_by_role("button", name=re.compile("Add another Skill level")).click()
    steps = staff_page.locator("#id_levels-1-steps")
    steps.fill("1. **Second**")
    row_preview = staff_page.locator("#levels-1 .markdown-preview-body")
    expect(row_preview.locator("strong")).to_have_text("Second")


def test_preview_is_not_shown_without_javascript(browser, live_server):
    topic = TopicFactory(body="Saved **text**.")
    ResourceFactory(topic=topic)
    context = staff_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/curriculum/topic/{topic.pk}/change/")
    expect(page.locator("#id_body")).to_be_visible()
    expect(page.locator(".field-body .markdown-preview")).to_be_hidden()
    context.close()
