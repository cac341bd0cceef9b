"""The XSS corpus in Chromium: on a topic page (body, title, summary and a resource title) and in
the admin's live Markdown preview, no dialog opens and the Content-Security-Policy never has to
block anything (the sanitizer removed it first; CSP is only the second line).

No request leaves the machine: every request not to the live server is aborted."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import PhaseFactory, ResourceFactory, TopicFactory, TrackFactory
from tests.portal.xss_corpus import DOCUMENT, VECTORS, problems

from .test_markdown_preview import staff_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (injected by Playwright, not subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Watcher:
    """Records dialogs (dismissing them) and console errors of a page."""

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            self.console_errors.append(message.text)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations || []")


def _local_only(context, live_url: str) -> None:
    local = urlsplit(live_url).netloc

    def route(route) -> None:  # noqa: ANN001
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != local:
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    context.add_init_script(RECORD_VIOLATIONS)


@pytest.fixture
def topic():
    track = TrackFactory(title="Track <svg onload=alert('track')>")
    phase = PhaseFactory(track=track)
    topic = TopicFactory(
        phase=phase,
        title="Topic <img src=x onerror=alert('title')>",
        summary="<script>alert('summary')</script>",
        body=DOCUMENT,
    )
    ResourceFactory(topic=topic, title="<img src=x onerror=alert('resource')>")
    return topic


def test_topic_page_with_the_corpus_opens_no_dialog(browser, live_server, topic, screenshot_dir):
    context = browser.new_context()
    _local_only(context, live_server.url)
    page = context.new_page()
    watcher = Watcher(page)

    response = page.goto(live_server.url + topic.get_absolute_url())
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("<img src=x")  # shown as text
    assert problems(page.locator(".prose").inner_html()) == []
    page.screenshot(path=screenshot_dir / "xss-topic-page.png", full_page=True)
    assert watcher.dialogs == []
    assert watcher.violations() == []
    assert watcher.console_errors == []
    context.close()


def test_admin_preview_of_the_corpus_opens_no_dialog(browser, live_server):
    topic = TopicFactory(body="")
    context = staff_context(browser, live_server)
    _local_only(context, live_server.url)
    page = context.new_page()
    watcher = Watcher(page)
    page.goto(f"{live_server.url}/admin/curriculum/topic/{topic.pk}/change/")

    page.locator("#id_body").fill(DOCUMENT)
    preview = page.locator(".field-body .markdown-preview-body")
    expect(preview.get_by_text("click").first).to_be_visible()
    expect(page.locator(".field-body .markdown-preview-status")).to_have_text("")
    page.wait_for_load_state("networkidle")

    assert problems(preview.inner_html()) == []
    assert watcher.dialogs == []
    assert watcher.violations() == []
    assert watcher.console_errors == []
    context.close()


def test_the_watcher_sees_the_dialogs_of_unsanitized_vectors(browser):
    """Control: the same vectors, unsanitized and with no CSP, do open dialogs."""
    context = browser.new_context()
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    watcher = Watcher(page)
    page.set_content("\n".join(VECTORS))
    page.wait_for_function("document.readyState === 'complete'")
    assert len(watcher.dialogs) >= 10
