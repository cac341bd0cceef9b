"""Render the roadmap page of a track with 500 topics and print the time it takes.

    .venv/bin/python bench/roadmap_500_topics.py [runs]

Runs on a throwaway test database (in-memory SQLite, or `test_<name>` on the PostgreSQL server
DATABASE_URL names), created and dropped here; the development database is never touched. The
track has 10 phases, each with 2 sub-phases of 20 topics and 10 topics of its own. The page is
fetched through Django's test client as an anonymous visitor (middleware, view, queries and
template rendering; no network), a few times to warm up, then `runs` times (default 50).

A visitor's roadmap page is kept whole in the cache (under the catalogue's content stamp): it is
timed both with the cache emptied before every request (the page rendered: the first visitor
after an edit) and with the cache warm. Prints one line: the median time per page, uncached and
cached, with the 95th percentiles, the query counts and the data size.
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

from django.core.cache import cache  # noqa: E402
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


def measure(url: str, runs: int, *, cached: bool) -> tuple[list[float], int]:
    """Timings of `runs` requests and the query count of one. A visitor's roadmap is cached
    (curriculum.views.track_detail): `cached=False` empties the cache before each request, so
    every one renders the roadmap (the first visitor after an edit); `cached=True` measures
    the visitors after them."""
    # Not setup_test_environment(): its instrumented template rendering (kept for assertions on
    # contexts) would be measured too. So the host must be one ALLOWED_HOSTS has by default.
    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(WARM_UP):
        cache.clear()
        response = client.get(url)
        if response.status_code != 200 or response.content.count(b'class="topic-item"') != TOPICS:
            sys.exit(f"roadmap_500_topics: {url} did not render all {TOPICS} topics")
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # now: the next request clears the connection's query log
    timings = []
    for _ in range(runs):
        if not cached:
            cache.clear()
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return timings, query_count


def summary(timings: list[float]) -> tuple[float, float]:
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    return statistics.median(timings), p95


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        url = build_track().get_absolute_url()
        cold, cold_queries = measure(url, runs, cached=False)
        warm, warm_queries = measure(url, runs, cached=True)
    finally:
        teardown_databases(databases, verbosity=0)
    (cold_median, cold_p95), (warm_median, warm_p95) = summary(cold), summary(warm)
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    print(
        f"roadmap_500_topics: {cold_median:.1f} ms uncached (median of {runs} runs; "
        f"p95 {cold_p95:.1f} ms; {cold_queries} queries), {warm_median:.1f} ms cached "
        f"(p95 {warm_p95:.1f} ms; {warm_queries} query); {TOPICS} topics in {PHASES} phases "
        f"of {SUB_PHASES} sub-phases; {connection.vendor}; "
        f"Python {platform.python_version()}; {machine}"
    )


if __name__ == "__main__":
    main()
