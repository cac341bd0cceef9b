"""Request files for the wrk scenarios, made against the bench database (run as a subprocess by
bench/http_scenarios.py, with the same environment as gunicorn, so the sessions it writes are
signed with the same SECRET_KEY).

    python bench/lib/prepare.py fixtures OUT_DIR         # one request file per scenario
    python bench/lib/prepare.py submit-pool FILE COUNT   # COUNT fresh open exam attempts
    python bench/lib/prepare.py drop-pool FILE           # delete the pool's attempts still open

A request file has one request a line: METHOD, path, Cookie header, CSRF token, JSON body and
the client's address, separated by tabs (bench/lib/scenario.lua reads it). Anonymous scenarios
come from 1,000 addresses, as many visitors behind the load balancer. Learners are logged in by
writing their session rows directly (as django.contrib.auth.login would), with one CSRF token
for all.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from curriculum.models import Topic, Track  # noqa: E402
from portal.models import User  # noqa: E402
from progress.management.commands.generate_load_data import LOAD_EXAM, MEASURED_LEARNER  # noqa: E402
from quizzes.models import Attempt, AttemptMode, AttemptQuestion, AttemptStatus, Exam  # noqa: E402
from quizzes.services import attempt_start  # noqa: E402

CSRF_TOKEN = get_random_string(32)
SAVE_LEARNERS = 16
VISITORS = 1000
BACKEND = "django.contrib.auth.backends.ModelBackend"


def sessions_for(users: list[User]) -> dict[int, str]:
    """User id -> a Cookie header logging them in (session rows written in bulk)."""
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    rows, cookies = [], {}
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: BACKEND,
                HASH_SESSION_KEY: user.get_session_auth_hash()}  # fmt: skip
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        cookies[user.pk] = f"csrftoken={CSRF_TOKEN}; sessionid={key}"
    Session.objects.bulk_create(rows, batch_size=2000)
    return cookies


def line(method: str, path: str, cookie: str = "", body: object = None, client: str = "") -> str:
    csrf = CSRF_TOKEN if method not in ("GET", "HEAD") else ""
    payload = json.dumps(body, separators=(",", ":")) if body is not None else ""
    return "\t".join((method, path, cookie, csrf, payload, client))


def visitors(method: str, path: str) -> list[str]:
    """The same anonymous request from VISITORS addresses (the proxy's X-Forwarded-For): public
    pages are read by many visitors, and each address has its own throttle history."""
    return [line(method, path, client=f"10.{n // 250}.{n % 250}.1") for n in range(VISITORS)]


def write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n")


def answer_body(item: AttemptQuestion) -> dict:
    """A valid answer to `item`, whatever its kind (the first choices in display order)."""
    content = item.version.content
    ids = [item.position * 10 + key for key in item.choice_order]
    if content["kind"] == "yesno":
        return {"statements": {str(number): True for number in ids}}
    wanted = content["choose"] if content["kind"] == "multiple" else 1
    return {"choices": ids[:wanted]}


def real_track() -> Track:
    """The largest real (not synthetic) published track: the roadmap scenario's page."""
    tracks = Track.objects.published().exclude(slug__startswith="load-")
    return tracks.annotate(size=Count("phases__topics")).order_by("-size", "pk").first()


def fixtures(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    learner = User.objects.get(username=MEASURED_LEARNER)
    exam = Exam.objects.get(code=LOAD_EXAM)
    savers = [learner, *User.objects.filter(username__startswith="load-learner-")
              .order_by("pk")[: SAVE_LEARNERS - 1]]  # fmt: skip
    cookies = sessions_for(savers)
    cookie = cookies[learner.pk]
    write(out / "ceiling.txt", visitors("GET", "/bench/ceiling/"))
    write(out / "roadmap.txt", visitors("GET", real_track().get_absolute_url()))
    write(out / "dashboard.txt", [line("GET", "/dashboard/", cookie)])
    write(out / "api_list.txt", visitors("GET", "/api/v1/topics/"))
    topics = Topic.objects.published().exclude(phase__track__slug__startswith="load-")
    statuses = ("in_progress", "done", "not_started")
    write(out / "status.txt", [
        line("POST", "/api/v1/me/statuses/", cookie,
             {"topic": topic.slug, "status": statuses[index % 3]})
        for index, topic in enumerate(topics.order_by("pk"))
    ])  # fmt: skip
    saves = []
    for saver in savers:
        attempt, _ = attempt_start(user=saver, exam=exam, mode=AttemptMode.EXAM)
        for item in attempt.items.select_related("version").order_by("position"):
            path = f"/api/v1/attempts/{attempt.pk}/questions/{item.position}/answer/"
            saves.append((item.position, line("PUT", path, cookies[saver.pk], answer_body(item))))
    # Interleave learners (position-major), so concurrent requests touch different attempts.
    write(out / "save_answer.txt", [text for _, text in sorted(saves, key=lambda pair: pair[0])])
    print(json.dumps({"learner": learner.pk, "track": real_track().slug}))


@transaction.atomic
def submit_pool(path: Path, count: int) -> None:
    """`count` open exam attempts of the load exam, each of a learner without one, every
    question answered, and a request file that submits each once."""
    exam = Exam.objects.get(code=LOAD_EXAM)
    busy = Attempt.objects.filter(exam=exam, status=AttemptStatus.OPEN, mode=AttemptMode.EXAM)
    users = list(
        User.objects.filter(username__startswith="load-learner-")
        .exclude(pk__in=busy.values("user_id"))
        .order_by("?")[:count]
    )
    template, _ = attempt_start(user=users[0], exam=exam, mode=AttemptMode.EXAM)
    items = list(template.items.select_related("version").order_by("position"))
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            user=user,
            exam=exam,
            mode=AttemptMode.EXAM,
            question_count=template.question_count,
            time_limit_minutes=template.time_limit_minutes,
            started_at=now,
            deadline=template.deadline,
        )  # fmt: skip
        for user in users[1:]
    )
    AttemptQuestion.objects.bulk_create(
        (
            AttemptQuestion(
                attempt=attempt,
                position=item.position,
                version=item.version,
                domain_id=item.domain_id,
                choice_order=item.choice_order,
                answer=stored_answer(item),
                answered_at=now,
            )  # fmt: skip
            for attempt in attempts
            for item in items
        ),
        batch_size=5000,
    )
    for item in items:
        AttemptQuestion.objects.filter(pk=item.pk).update(
            answer=stored_answer(item), answered_at=now
        )
    attempts.insert(0, template)
    cookies = sessions_for(users)
    write(path, [line("POST", f"/api/v1/attempts/{attempt.pk}/submit/", cookies[attempt.user_id])
                 for attempt in attempts])  # fmt: skip
    path.with_suffix(".ids").write_text(" ".join(str(attempt.pk) for attempt in attempts))


def stored_answer(item: AttemptQuestion) -> object:
    """The stored form of answer_body(item)."""
    content = item.version.content
    if content["kind"] == "yesno":
        return {str(key): True for key in item.choice_order}
    wanted = content["choose"] if content["kind"] == "multiple" else 1
    return sorted(item.choice_order[:wanted])


def drop_pool(path: Path) -> None:
    ids = [int(value) for value in path.with_suffix(".ids").read_text().split()]
    Attempt.objects.filter(pk__in=ids, status=AttemptStatus.OPEN).delete()


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    if command == "fixtures":
        fixtures(target)
    elif command == "submit-pool":
        submit_pool(target, int(sys.argv[3]))
    elif command == "drop-pool":
        drop_pool(target)
    else:
        sys.exit(f"unknown command {command}")
