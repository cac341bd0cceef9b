"""examples/quiz_client.py against a live server: it signs in, takes a practice quiz through the
API alone and signs out, ending its token."""

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy

from quizzes.models import Attempt, AttemptStatus
from tests.portal.accounts_helpers import PASSWORD, verified_user
from tests.quizzes.attempt_fixtures import make_exam
from tests.quizzes.factories import question_in

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "quiz_client.py"
VERIFY_EMAIL = 3


def _run(live_server, *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(SCRIPT), "--base-url", live_server.url, *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)


def _bank() -> None:
    """TST-C01: single choice, multiple response and yes/no questions in two domains."""
    one, two = make_exam().domains.order_by("position")
    for _ in range(2):
        question_in(one)
        question_in(two)
    question_in(one, kind="multiple", choose=2, correct=(0, 1), choices=5)
    question_in(two, kind="yesno", correct=(0, 2), choices=3)


@pytest.fixture
def issued_tokens(monkeypatch) -> list[str]:
    """The session tokens allauth hands out while the test runs (the server is in-process)."""
    tokens: list[str] = []
    create = SessionTokenStrategy.create_session_token

    def recording(strategy: SessionTokenStrategy, request) -> str:  # noqa: ANN001
        tokens.append(create(strategy, request))
        return tokens[-1]

    monkeypatch.setattr(SessionTokenStrategy, "create_session_token", recording)
    return tokens


def test_client_takes_a_practice_quiz_and_signs_out(live_server, issued_tokens):
    user = verified_user(email="ada@example.com")
    _bank()
    result = _run(live_server, "--email", user.email, "--password", PASSWORD,
                  "--exam", "TST-C01", "--count", "6")  # fmt: skip
    assert result.returncode == 0, result.stderr
    attempt = Attempt.objects.get(user=user)
    assert attempt.mode == "practice"
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.items.count() == 6
    assert not attempt.items.filter(answer__isnull=True).exists()
    assert {item.version.content["kind"] for item in attempt.items.all()} == {
        "single", "multiple", "yesno"
    }  # fmt: skip
    score = f"Score: {attempt.points}/{attempt.max_points} points"
    assert re.search(rf"^{re.escape(score)}", result.stdout, re.MULTILINE), result.stdout
    for domain in attempt.domain_results:
        assert f"Domain {domain['code']} {domain['name']}: {domain['points']}/" in result.stdout
    assert "Signed out." in result.stdout
    assert issued_tokens, "the client never got a session token"
    for token in issued_tokens:
        me = httpx.get(f"{live_server.url}/api/v1/me/", headers={"X-Session-Token": token})
        assert me.status_code in (401, 403)


def test_client_signup_stops_at_email_verification(live_server):
    result = _run(live_server, "--email", "new@example.com", "--password", PASSWORD, "--signup")
    assert result.returncode == VERIFY_EMAIL, result.stdout + result.stderr
    assert "verification pending" in result.stderr
    assert not Attempt.objects.exists()


def test_client_prints_a_problem_and_exits_non_zero(live_server):
    user = verified_user(email="ada@example.com")
    _bank()
    result = _run(live_server, "--email", user.email, "--password", PASSWORD,
                  "--exam", "TST-C01", "--count", "0")  # fmt: skip
    assert result.returncode == 1
    assert "HTTP 400 Bad Request: The request has invalid fields; see errors." in result.stderr
    assert "count:" in result.stderr
    assert "Signed out." in result.stdout
