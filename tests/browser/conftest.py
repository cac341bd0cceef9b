import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import need
from tests.content import real_content

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium from CHROMIUM_PATH; no browser download."""
    path = settings.CHROMIUM_PATH
    need(os.path.exists(path), f"no Chromium at {path} (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def content(transactional_db) -> None:
    """The content `make run` loads (imported once per run, then put back: tests/content.py)."""
    real_content()
