import os

import pytest
from django.conf import settings
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# With REQUIRE_SERVICES=1 (CI), a test that needs PostgreSQL, Redis or Chromium fails instead of
# skipping when the service is missing.
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
