import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.models import validate_timezone

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3v!9w$-production-shaped-secret-" + "x7Qp2Lm9Zr4Tn8Vb1Yc6Hd3Jf5Gs0Ka" * 2,
    "ALLOWED_HOSTS": "portal.example.com",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "STAFF_REQUIRE_2FA")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(PRODUCTION_ENV["SECRET_KEY"])
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "SECRET_KEY_FILE": str(key_file)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("debug", "required"), [("0", "True"), ("1", "False")])
def test_staff_two_factor_follows_debug_by_default(debug, required):
    show = "from django.conf import settings; print(settings.STAFF_REQUIRE_2FA)"
    result = _manage("shell", "--no-imports", "-c", show, env={**PRODUCTION_ENV, "DEBUG": debug})
    assert result.stdout.strip() == required, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"])
def test_iana_timezones_are_accepted(name):
    validate_timezone(name)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "utc+2", "Europe/berlin"])
def test_unknown_timezones_are_rejected(name):
    with pytest.raises(ValidationError):
        validate_timezone(name)


def test_user_local_today_follows_timezone(db):
    import datetime as dt

    import time_machine

    from tests.factories import UserFactory

    user = UserFactory(timezone="Pacific/Auckland")
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC), tick=False):
        assert user.local_today() == dt.date(2026, 3, 2)


@pytest.mark.services
def test_runs_on_postgresql_when_database_url_names_it(postgres):
    """With REQUIRE_SERVICES=1 (CI) the postgres fixture fails rather than skips on SQLite."""
    assert os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://"))
    assert connection.vendor == "postgresql"


def test_a_signed_in_request_reads_its_session_from_the_cache(client, db):
    """Sessions are cached_db: kept in the database, read through the cache, so a signed-in
    request runs no session query (the benchmarks' signed-in scenarios save one per request)."""
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    assert not [query for query in queries if "django_session" in query["sql"]]
