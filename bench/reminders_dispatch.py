"""Study reminders at scale: 100,000 learners due at the same instant.

    .venv/bin/python bench/reminders_dispatch.py [learners] [sends]    # default 100000, 2000
    QUICK=1 .venv/bin/python bench/reminders_dispatch.py               # 5000 learners, 300 sends
    DATABASE_URL=postgres://postgres@db.example:5432/x .venv/bin/python bench/reminders_dispatch.py

Runs on a PostgreSQL database of its own, `portal_bench_reminders` on the server DATABASE_URL
names (default postgres://postgres@127.0.0.1:5432), created, migrated and dropped here; the
dispatcher's SELECT ... FOR UPDATE SKIP LOCKED needs PostgreSQL. It bulk-creates the learners
with reminders on and `next_reminder_at` a minute ago, then:

- times one `reminders_dispatch()` run: every batch of REMINDER_BATCH_SIZE learners (insert the
  deliveries, move the next times on) and the publishing of the send tasks, to Celery's
  in-memory broker (`memory://`: no network, nothing is consumed);
- counts the queries of each batch (CaptureQueriesContext around each `_dispatch_batch`);
- runs the send task in-process (`send_reminders.apply`) on the first `sends` deliveries, in
  chunks of REMINDER_SEND_CHUNK, with the locmem email backend: claim, compose (the learner's
  next topics, reviews, countdowns; empty here), render both templates, "send", mark sent.

Prints one line: the dispatch time, with learners per second, batches and queries per batch, and
sends per second.
"""

import os
import platform
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ["CELERY_BROKER_URL"] = (
    "memory://localhost//"  # publish for real, in-process; nothing consumes
)
os.environ["REDIS_URL"] = ""  # the cache in memory too: the script needs no Redis
os.environ.setdefault("LOG_LEVEL", "WARNING")  # no line per task

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from portal.models import User  # noqa: E402
from progress import reminders  # noqa: E402
from progress.models import ReminderDelivery, ReminderPreference  # noqa: E402
from progress.tasks import send_reminders  # noqa: E402

QUICK = os.environ.get("QUICK", "") not in ("", "0")
DATABASE = "portal_bench_reminders"


def create_learners(count: int) -> None:
    """`count` learners with daily reminders on, all due a minute ago (bulk inserts)."""
    due = timezone.now() - timedelta(minutes=1)
    step = 5000
    for start in range(0, count, step):
        numbers = range(start, min(start + step, count))
        users = User.objects.bulk_create(
            User(username=f"due{n}", email=f"due{n}@example.com", password="!", timezone="UTC")
            for n in numbers
        )
        ReminderPreference.objects.bulk_create(
            ReminderPreference(user=user, enabled=True, skip_if_studied=False, zone="UTC",
                               time_of_day=clock(8, 0), next_reminder_at=due)
            for user in users
        )  # fmt: skip


def main() -> None:
    learners = int(sys.argv[1]) if len(sys.argv) > 1 else (5_000 if QUICK else 100_000)
    sends = int(sys.argv[2]) if len(sys.argv) > 2 else (300 if QUICK else 2_000)
    if connection.vendor != "postgresql":
        raise SystemExit("reminders_dispatch: needs PostgreSQL (DATABASE_URL=postgres://...)")
    connection.settings_dict["TEST"]["NAME"] = DATABASE
    setup_test_environment()  # the locmem email backend's outbox
    old = setup_databases(verbosity=0, interactive=False)
    try:
        create_learners(learners)

        queries: list[int] = []
        batch = reminders._dispatch_batch

        def counted(*args: object) -> list[int] | None:
            connection.queries_log.clear()  # it keeps 9,000 queries: count from empty each time
            with CaptureQueriesContext(connection) as captured:
                ids = batch(*args)
            if ids is not None:
                queries.append(len(captured))
            return ids

        reminders._dispatch_batch = counted
        started = time.perf_counter()
        report = reminders.reminders_dispatch()
        dispatch_seconds = time.perf_counter() - started
        reminders._dispatch_batch = batch
        if report.created != learners or report.enqueued != learners:
            raise SystemExit(f"reminders_dispatch: failed: {report}")

        ids = list(ReminderDelivery.objects.order_by("pk").values_list("pk", flat=True)[:sends])
        chunk = settings.REMINDER_SEND_CHUNK
        send_queries = 0
        started = time.perf_counter()
        for start in range(0, len(ids), chunk):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                send_reminders.apply(args=[ids[start : start + chunk]], throw=True)
            send_queries += len(captured)
            mail.outbox.clear()
        send_seconds = time.perf_counter() - started
        sent = ReminderDelivery.objects.filter(state="sent").count()
        if sent != len(ids):
            raise SystemExit(f"reminders_dispatch: failed: {sent} of {len(ids)} sent")
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)
    per_batch = (
        f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
    )
    print(
        f"reminders_dispatch: {dispatch_seconds:.1f} s to dispatch {learners} learners due at once "
        f"({learners / dispatch_seconds:.0f} learners/s; {report.batches} batches of "
        f"{settings.REMINDER_BATCH_SIZE}, {per_batch} queries each; sends in-process with the "
        f"locmem backend: {len(ids) / send_seconds:.0f}/s over {len(ids)}, "
        f"{send_queries / len(ids):.0f} queries each; "
        f"{connection.vendor}; Python {platform.python_version()}; {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
