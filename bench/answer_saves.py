"""Concurrent answer saves during exams: the quiz engine's hot path.

    .venv/bin/python bench/answer_saves.py [seconds] [threads]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python bench/answer_saves.py

Runs on a throwaway test database (in-memory SQLite, or `test_<name>` on the PostgreSQL server
DATABASE_URL names), created and dropped here. It makes an exam with a 60-question bank and one
open mini-exam attempt per thread (each thread is a learner), then every thread saves answers
through the JSON API (`PUT /api/v1/attempts/<id>/questions/<n>/answer/`, Django's test client:
middleware, DRF, the service, its two queries) as fast as it can for `seconds` (default 10).
SQLite serialises writers, so it runs one thread there unless told otherwise.

Prints one line: saves per second across threads, with the median and 95th-percentile latency.
"""

import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("API_THROTTLE_USER", "1000000/minute")  # measure the save, not the throttle

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from rest_framework.test import APIClient  # noqa: E402

from curriculum.models import Certification  # noqa: E402
from portal.models import User  # noqa: E402
from quizzes.models import (  # noqa: E402
    Choice,
    Exam,
    ExamDomain,
    Question,
    QuestionBank,
    QuestionExam,
)
from quizzes.services import attempt_start, question_version_sync  # noqa: E402


def build_exam() -> Exam:
    certification = Certification.objects.create(
        slug="bench-cert", name="Bench", vendor="AWS", level="associate", summary="Bench."
    )
    exam = Exam.objects.create(
        code="BEN-C01", certification=certification, name="Bench exam", vendor="AWS",
        level="associate", duration_minutes=130, question_count=65, passing_score=720,
        score_scale_max=1000,
    )  # fmt: skip
    domains = [
        ExamDomain.objects.create(exam=exam, code=str(n), name=f"Domain {n}", weight_min=w,
                                  weight_max=w, position=n)
        for n, w in ((1, 30), (2, 26), (3, 22), (4, 22))
    ]  # fmt: skip
    bank = QuestionBank.objects.create(slug="bench", title="Bench")
    for number in range(60):
        question = Question.objects.create(
            uid=f"bench-{number:04d}", bank=bank, kind="single", status="active",
            stem=f"Scenario {number}: which option fits?", explanation="Because.",
            references=["https://docs.aws.amazon.com/"],
        )  # fmt: skip
        for key in range(4):
            Choice.objects.create(question=question, position=key, text=f"Option {key}",
                                  correct=key == 0, rationale="Why.")  # fmt: skip
        QuestionExam.objects.create(question=question, exam=exam, domain=domains[number % 4])
        question_version_sync(question=question)
    return exam


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    vendor = connection.vendor
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else (8 if vendor == "postgresql" else 1)
    setup_test_environment()  # the test client's host, in-memory email
    old = setup_databases(verbosity=0, interactive=False)
    try:
        exam = build_exam()
        sessions = []
        for index in range(threads):
            user = User.objects.create_user(username=f"bench{index}", password="x" * 12)
            attempt, _ = attempt_start(user=user, exam=exam, mode="exam")
            sessions.append((user, attempt))
        connection.close()
        latencies: list[list[float]] = [[] for _ in range(threads)]
        errors: list[str] = []
        stop = time.perf_counter() + seconds

        def learner(index: int) -> None:
            user, attempt = sessions[index]
            client = APIClient()
            client.force_authenticate(user)
            position = 0
            try:
                while time.perf_counter() < stop:
                    position = position % attempt.question_count + 1
                    key = position % 4
                    started = time.perf_counter()
                    response = client.put(
                        f"/api/v1/attempts/{attempt.pk}/questions/{position}/answer/",
                        {"choices": [position * 10 + key]}, format="json",
                    )  # fmt: skip
                    latencies[index].append(time.perf_counter() - started)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {response.content[:200]!r}")
                        return
            finally:
                connection.close()

        workers = [threading.Thread(target=learner, args=(i,)) for i in range(threads)]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - began
    finally:
        teardown_databases(old, verbosity=0)
    if errors:
        raise SystemExit(f"answer_saves: failed: {errors[0]}")
    every = sorted(value for values in latencies for value in values)
    p95 = every[int(len(every) * 0.95) - 1] * 1000
    print(
        f"answer_saves: {len(every) / elapsed:.0f} saves/s ({threads} concurrent learners for "
        f"{elapsed:.1f} s; median {statistics.median(every) * 1000:.1f} ms, p95 {p95:.1f} ms; "
        f"{vendor}; Python {platform.python_version()}; {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
