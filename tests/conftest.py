import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# With REQUIRE_SERVICES=1 (CI), a test that needs PostgreSQL, Redis or Chromium fails instead of
# skipping when the service is missing.
ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (CI) when a real service this test is about is not available."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and throttles live in the cache: each test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url() -> str:
    need(bool(settings.REDIS_URL), "REDIS_URL is not set")
    return settings.REDIS_URL


@pytest.fixture
def postgres(db) -> None:
    need(
        settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "DATABASE_URL is not PostgreSQL",
    )


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def worker_database_url() -> str:
    """The test database's URL, for the worker process (pytest-django renamed the database)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    user = quote(db["USER"], safe="")
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(redis_url, postgres):
    """A real Celery worker on Redis, reading the test database (so it must be PostgreSQL)."""
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"]
    process = subprocess.Popen(
        [*command, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n` (make test), the browser tests share one worker, so one Chromium runs at
    a time: two at once on two cores made a screenshot time out."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
