"""Render the roadmap page of a track with 500 topics and print the time it takes.

    .venv/bin/python bench/roadmap_500_topics.py [runs]

Runs on a throwaway test database (in-memory SQLite, or `test_<name>` on the PostgreSQL server
DATABASE_URL names), created and dropped here; the development database is never touched. The
track has 10 phases, each with 2 sub-phases of 20 topics and 10 topics of its own. The page is
fetched through Django's test client as an anonymous visitor (middleware, view, queries and
template rendering; no network), a few times to warm up, then `runs` times (default 50).

Prints one line: the median time per page, with the 95th percentile, the query count and the
data size.
"""

import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # production-shaped, no HTTPS

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)

from curriculum.models import Phase, Topic, Track  # noqa: E402

PHASES = 10
SUB_PHASES = 2
TOPICS_PER_SUB_PHASE = 20
OWN_TOPICS = 10
TOPICS = PHASES * (SUB_PHASES * TOPICS_PER_SUB_PHASE + OWN_TOPICS)
WARM_UP = 3


def topics_for(phase: Phase, count: int) -> list[Topic]:
    levels = ("beginner", "intermediate", "advanced")
    return [
        Topic(
            phase=phase,
            slug=f"{phase.slug}-topic-{index}",
            title=f"Topic {index} of {phase.title}",
            summary="A topic to study, with resources and an estimate of the hours it takes.",
            hours=Decimal("4.5"),
            level=levels[index % 3],
            position=index,
        )
        for index in range(count)
    ]


def build_track() -> Track:
    track = Track.objects.create(slug="bench-track", title="Bench Track", summary="500 topics.")
    topics: list[Topic] = []
    for number in range(PHASES):
        phase = Phase.objects.create(
            track=track,
            slug=f"phase-{number}",
            title=f"Phase {number}",
            summary="A phase.",
            weeks_min=4,
            weeks_max=6,
            position=number,
        )
        for sub in range(SUB_PHASES):
            child = Phase.objects.create(
                track=track,
                parent=phase,
                slug=f"phase-{number}-{sub}",
                title=f"Phase {number}.{sub}",
                summary="A sub-phase.",
                weeks_min=2,
                weeks_max=3,
                position=sub,
            )
            topics += topics_for(child, TOPICS_PER_SUB_PHASE)
        topics += topics_for(phase, OWN_TOPICS)
    Topic.objects.bulk_create(topics)
    return track


def measure(url: str, runs: int) -> tuple[list[float], int]:
    # Not setup_test_environment(): its instrumented template rendering (kept for assertions on
    # contexts) would be measured too. So the host must be one ALLOWED_HOSTS has by default.
    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200 or response.content.count(b'class="topic-item"') != TOPICS:
            sys.exit(f"roadmap_500_topics: {url} did not render all {TOPICS} topics")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # now: the next request clears the connection's query log
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return timings, query_count


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        url = build_track().get_absolute_url()
        timings, query_count = measure(url, runs)
    finally:
        teardown_databases(databases, verbosity=0)
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    print(
        f"roadmap_500_topics: {statistics.median(timings):.1f} ms (median of {runs} runs; "
        f"p95 {p95:.1f} ms; {query_count} queries; {TOPICS} topics in {PHASES} phases "
        f"of {SUB_PHASES} sub-phases; {connection.vendor}; "
        f"Python {platform.python_version()}; {machine})"
    )


if __name__ == "__main__":
    main()
