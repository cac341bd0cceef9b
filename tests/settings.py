"""Test settings: the real settings with a fast password hasher, an in-memory outbox and no HTTPS
redirect (the test client speaks plain HTTP). DATABASE_URL / REDIS_URL still choose the servers."""

import os

os.environ["DEBUG"] = "0"  # tests run with production-shaped settings, whatever .env says
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")


def _worker_redis(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker: gw0 keeps the URL's, gw1 the next, ...
    Each test empties the cache (a FLUSHDB), so workers must not share a database."""
    base, _, db = url.rpartition("/")
    return f"{base}/{int(db or 0) + int(worker.removeprefix('gw'))}"


# With `pytest -n`, each worker gets its own Redis database (its own test database is
# pytest-django's). Done once: the Celery workers a test starts inherit the environment.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and os.environ.get("REDIS_URL") and os.environ.get("TEST_REDIS_WORKER") != _WORKER:
    os.environ["REDIS_URL"] = _worker_redis(os.environ["REDIS_URL"], _WORKER)
    os.environ["TEST_REDIS_WORKER"] = _WORKER

from portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process a test starts (tests/progress/test_reminder_faults.py) is told where its mail
# goes: TEST_EMAIL_BACKEND names the backend, TEST_EMAIL_FILE_PATH the folder of the filebased one;
# an SMTP server's host and port come in EMAIL_URL (portal/settings.py).
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", EMAIL_FILE_PATH)  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
