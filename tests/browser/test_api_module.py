"""static/js/api.js in a real browser: it sends the CSRF token, turns problem-details answers into
ApiError, and shows field errors inline next to the fields they name. Pages stay readable
without JavaScript."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL = """async ([method, url]) => {
  const { api, ApiError } = await import('/static/js/api.js');
  try { return { ok: await api(method, url, method === 'GET' ? undefined : {}) }; }
  catch (error) { return { error: error instanceof ApiError, problem: error.problem }; }
}"""

SHOW = """async () => {
  const { showProblem } = await import('/static/js/api.js');
  const form = document.createElement('form');
  form.innerHTML = '<label for="id_email">Email</label><input id="id_email" name="email">';
  document.querySelector('main').append(form);
  const errors = { email: ['Enter a valid email.'] };
  showProblem(form, { title: 'Bad Request', detail: 'Invalid', errors });
  const input = form.querySelector('#id_email');
  return {
    message: input.nextElementSibling.textContent,
    invalid: input.getAttribute('aria-invalid'),
    describedBy: input.getAttribute('aria-describedby'),
    alert: form.querySelector('[role=alert]').textContent,
  };
}"""


@pytest.fixture
def signed_in_page(browser, live_server):
    client = Client()
    client.force_login(UserFactory(username="ada", email="ada@example.com"))
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    yield page
    context.close()


def test_api_sends_the_csrf_token_with_writes(signed_in_page):
    # POST to a read-only endpoint: with the token the CSRF check passes and DRF answers 405;
    # without it, the answer would be a 403 CSRF problem.
    result = signed_in_page.evaluate(CALL, ["POST", "/api/v1/me/"])
    assert result["error"] is True
    assert result["problem"]["status"] == 405
    assert signed_in_page.evaluate(CALL, ["GET", "/api/v1/me/"])["ok"]["username"] == "ada"


def test_api_turns_problem_details_into_api_error(signed_in_page):
    result = signed_in_page.evaluate(CALL, ["GET", "/api/v1/no-such-endpoint/"])
    assert result["error"] is True
    assert result["problem"]["status"] == 404
    assert result["problem"]["title"] == "Not Found"


def test_field_errors_are_shown_inline_and_announced(signed_in_page):
    shown = signed_in_page.evaluate(SHOW)
    assert shown == {
        "message": "Enter a valid email.",
        "invalid": "true",
        "describedBy": "id_email-api-error",
        "alert": "Please correct the fields marked below.",
    }


def test_pages_are_readable_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("link", name="Log in").is_visible()
    context.close()
