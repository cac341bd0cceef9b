"""The whole account journey in Chromium: sign up, verify by email, log in, set up TOTP, log out,
and log in again with an authenticator code."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from tests.portal.accounts_helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "grace@example.com"
PASSWORD = "a-long-unusual-passphrase"
CODE_LABEL = re.compile(r"code", re.IGNORECASE)


def _serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v.get("impact") in ("serious", "critical")]


def _link_from_outbox(live_url: str, fragment: str) -> str:
    links = re.findall(r"https?://[^\s]+", mail.outbox[-1].body)
    path = urlparse(next(link for link in links if fragment in link)).path
    return live_url + path


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").wait_for()


def _log_in(page, live_url: str) -> None:
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    assert _serious(page) == []
    page.get_by_role("button", name="Sign In").click()


def test_signup_verify_login_totp_logout_login_with_code(browser, live_server, screenshot_dir):
    context = browser.new_context(timezone_id="Europe/Berlin")
    page = context.new_page()
    shot = lambda name: page.screenshot(path=screenshot_dir / f"accounts-{name}.png")  # noqa: E731

    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    shot("1-signup")
    assert _serious(page) == []
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    shot("2-verification-sent")

    page.goto(_link_from_outbox(live_server.url, "/accounts/confirm-email/"))
    shot("3-confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("button", name="Log out").is_visible()

    page.goto(live_server.url + "/accounts/profile/")
    assert page.get_by_label("Timezone").input_value() == "Europe/Berlin"  # guessed at sign-up
    _log_out(page)
    _log_in(page, live_server.url)
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    # Changing two-factor always asks for the password again (allauth's reauthentication).
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    shot("4-totp-activate")
    assert _serious(page) == []
    page.get_by_label(CODE_LABEL).fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/.*"))
    shot("5-totp-active")

    _log_out(page)

    # The next login happens in the following 30-second TOTP window: a code is used only once.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)):
        _log_in(page, live_server.url)
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label(CODE_LABEL).fill("000000")
        page.get_by_role("button", name="Sign In").click()
        assert page.get_by_text("Incorrect code").is_visible()
        shot("7-wrong-code")
        page.get_by_label(CODE_LABEL).fill(totp_code(secret))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("button", name="Log out").is_visible()
    shot("8-logged-in")
    context.close()
