"""Take a practice quiz through the Learning Portal's API alone, as a mobile app would.

    python examples/quiz_client.py --base-url http://127.0.0.1:8000 \\
        --email ada@example.com --password '...' [--signup] [--exam CODE] [--count N]

It signs in through allauth's headless API as the "app" client (or signs up with --signup), sends
the session token it gets as `X-Session-Token`, reads /api/v1/me/, lists the exams, starts a
practice attempt, answers every question (a naive guess: the first choices in the server's
shuffled order, "yes" to every statement), submits, prints the score per domain and signs out,
which ends the token on the server. Plain Python and httpx; nothing from the portal's code.

Exit codes: 0 done; 1 the API refused a request (its problem details are printed); 2 bad
arguments; 3 the email address must be verified first (follow the link in the email, then run
again without --signup); 4 signing in was refused (wrong password, locked out, two-factor needed).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import httpx

APP_AUTH = "/_allauth/app/v1/auth"
OK, API_ERROR, USAGE, VERIFY_EMAIL, SIGN_IN_REFUSED = 0, 1, 2, 3, 4


class Stop(Exception):
    """End the run with this exit code after printing the message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def problem_message(response: httpx.Response) -> str:
    """An /api/v1/ error (RFC 9457 problem details) as one readable line, field errors included."""
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    if not isinstance(problem, dict):
        return f"HTTP {response.status_code}: {problem!r}"
    message = f"HTTP {response.status_code} {problem.get('title', '')}: {problem.get('detail', '')}"
    for field, errors in (problem.get("errors") or {}).items():
        message += f"\n  {field}: {' '.join(map(str, errors))}"
    return message


def api(client: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
    """Call /api/v1/<path>; a 4xx/5xx answer stops the run with its problem details."""
    response = client.request(method, f"/api/v1/{path}", **kwargs)
    if response.is_error:
        raise Stop(API_ERROR, problem_message(response))
    return response.json()


def sign_in(client: httpx.Client, email: str, password: str, *, signup: bool) -> str:
    """Log in (or sign up) as the app client; the session token for X-Session-Token."""
    action = "signup" if signup else "login"
    response = client.post(f"{APP_AUTH}/{action}", json={"email": email, "password": password})
    try:
        body = response.json()
    except ValueError:
        raise Stop(
            API_ERROR, f"HTTP {response.status_code} from {response.url}: not JSON"
        ) from None
    if response.status_code == 200:
        return body["meta"]["session_token"]
    if response.status_code == 401:  # allauth: not signed in yet; the pending flow says why
        pending = [flow["id"] for flow in body["data"]["flows"] if flow.get("is_pending")]
        if "verify_email" in pending:
            raise Stop(
                VERIFY_EMAIL,
                f"Email verification pending: open the link sent to {email}, then run again "
                "without --signup.",
            )
        raise Stop(SIGN_IN_REFUSED, f"Signing in needs another step: {', '.join(pending)}.")
    if response.status_code == 429:
        raise Stop(SIGN_IN_REFUSED, "Too many attempts from this address; try again later.")
    messages = "; ".join(error["message"] for error in body.get("errors", []))
    raise Stop(SIGN_IN_REFUSED, f"Signing in refused ({response.status_code}): {messages}")


def sign_out(client: httpx.Client) -> None:
    """DELETE the app session: the token stops working on the server (allauth answers 401)."""
    response = client.delete(f"{APP_AUTH}/session")
    if response.status_code == 401 and not response.json()["meta"]["is_authenticated"]:
        print("Signed out.")
    else:
        print(f"Signing out answered {response.status_code}.", file=sys.stderr)


def all_exams(client: httpx.Client) -> list[dict]:
    exams, page = [], api(client, "GET", "exams/", params={"page_size": 100})
    exams.extend(page["results"])
    while page["next"]:
        page = api(client, "GET", page["next"].split("/api/v1/", 1)[1])
        exams.extend(page["results"])
    return exams


def choose_exam(exams: list[dict], code: str | None) -> dict:
    practicable = [exam for exam in exams if exam["practice_questions"]]
    for exam in practicable:
        print(f"  {exam['code']}: {exam['name']} ({exam['practice_questions']} questions)")
    if code is None and practicable:
        return practicable[0]
    for exam in practicable:
        if exam["code"].lower() == (code or "").lower():
            return exam
    raise Stop(API_ERROR, f"No exam with practice questions and the code {code!r}.")


def guess(question: dict) -> dict:
    """A naive answer of the right shape for each kind of question."""
    ids = [choice["id"] for choice in question["choices"]]
    if question["kind"] == "yesno":
        return {"statements": {str(choice_id): True for choice_id in ids}}
    if question["kind"] == "multiple":
        return {"choices": ids[: question["choose"]]}
    return {"choices": ids[:1]}


def take_practice(client: httpx.Client, exam: str, count: int) -> dict:
    attempt = api(
        client, "POST", "attempts/", json={"exam": exam, "mode": "practice", "count": count}
    )
    path = f"attempts/{attempt['id']}"
    print(f"Practice attempt {attempt['id']}: {attempt['question_count']} questions.")
    for question in api(client, "GET", f"{path}/questions/"):
        position = question["position"]
        shown = api(client, "PUT", f"{path}/questions/{position}/answer/", json=guess(question))
        verdict = "right" if shown.get("correct") else "wrong"
        print(f"  {position:>3}. {question['kind']:<8} {verdict}")
    return api(client, "POST", f"{path}/submit/")


def print_result(summary: dict) -> None:
    result = summary["result"]
    print(
        f"Score: {result['points']}/{result['max_points']} points ({result['percent']}%), "
        f"scaled {result['scaled_score']}/{result['score_scale_max']} "
        f"(pass {result['passing_score']}): {'passed' if result['passed'] else 'not passed'}"
    )
    for domain in result["domains"]:
        print(
            f"  Domain {domain['code']} {domain['name']}: "
            f"{domain['points']}/{domain['max_points']} ({domain['percent']}%)"
        )


def run(arguments: argparse.Namespace) -> int:
    with httpx.Client(base_url=arguments.base_url, timeout=30) as client:
        token = sign_in(client, arguments.email, arguments.password, signup=arguments.signup)
        client.headers["X-Session-Token"] = token
        try:
            me = api(client, "GET", "me/")
            print(f"Signed in as {me['email']} (timezone {me['timezone']}).")
            print("Exams with practice questions:")
            exam = choose_exam(all_exams(client), arguments.exam)
            print_result(take_practice(client, exam["code"], arguments.count))
        finally:
            sign_out(client)
    return OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base-url", required=True, help="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--signup", action="store_true", help="create the account first")
    parser.add_argument("--exam", help="exam code (default: the first with practice questions)")
    parser.add_argument("--count", type=int, default=5, help="questions (default 5)")
    arguments = parser.parse_args(argv)
    try:
        return run(arguments)
    except Stop as stop:
        print(stop, file=sys.stderr)
        return stop.code
    except httpx.HTTPError as error:
        print(f"Cannot reach {arguments.base_url}: {error}", file=sys.stderr)
        return API_ERROR


if __name__ == "__main__":
    sys.exit(main())
