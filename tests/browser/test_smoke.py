import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_page_in_both_themes_is_accessible(browser, live_server, screenshot_dir, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(247, 248, 251)" if scheme == "light" else "rgb(15, 20, 32)")
    page.screenshot(path=screenshot_dir / f"home-{scheme}.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert _serious(violations) == []
    assert errors == []  # no CSP violations or script errors
    context.close()


def test_home_page_on_a_phone(browser, live_server, screenshot_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no horizontal scrolling
    page.screenshot(path=screenshot_dir / "home-phone.png", full_page=True)
    context.close()
