"""The curriculum and practice pages in Chromium, on the real content: accessible (axe finds
nothing serious) in light and dark, no script or CSP errors, and no sideways scrolling on a
phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "tracks": "/tracks/",
    "roadmap": "/tracks/aws-ai-ml-certifications/",
    "phase": "/tracks/aws-ai-ml-certifications/aws-cert-cloud-fundamentals/",
    "topic": "/topics/aws-cloud-concepts-essentials/",
    "certification": "/certifications/aws-certified-developer-associate/",
    "skills": "/skills/",
    "search": "/search/?q=sagemaker",
    "practice": "/practice/",
    "exam": "/practice/AZ-204/",
}


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_are_accessible_in_both_themes(browser, live_server, content, screenshot_dir, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    found = {}
    for name, path in PAGES.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.get_by_role("heading", level=1).count() == 1, path
        page.screenshot(path=screenshot_dir / f"{name}-{scheme}.png", full_page=True)
        found[name] = serious(Axe().run(page).response["violations"])
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert errors == []
    context.close()


def test_pages_fit_a_phone(browser, live_server, content, screenshot_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    wide = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[name] = width
        page.screenshot(path=screenshot_dir / f"{name}-phone.png", full_page=True)
    assert wide == {}
    context.close()
