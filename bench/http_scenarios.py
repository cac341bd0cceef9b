"""The portal under HTTP load: gunicorn with production settings on PostgreSQL and Redis, driven
by wrk (bench/lib/scenario.lua), against a database filled by `generate_load_data`.

    .venv/bin/python bench/http_scenarios.py            # default sizes (1,000,000 statuses)
    QUICK=1 .venv/bin/python bench/http_scenarios.py    # small sizes, shorter runs

Scenarios: the ceiling (a fixed response through the same middleware), the anonymous roadmap
page of the largest real track, the measured learner's dashboard, a topic status change (API),
an exam answer save (API), an exam submit (API; each request submits a fresh attempt) and the
curriculum API list (/api/v1/topics/). Every response is checked for its status and a marker.

1. Throughput at saturation: three interleaved rounds (every scenario once per round, the ceiling
   first), the median of each; the ratio is to the ceiling's median from the same rounds.
2. Latency at a fixed offered load of half the ceiling's median rate: wrk's Lua `delay()` paces
   requests to a schedule (bench/lib/scenario.lua) over more connections than workers.
3. Growth: the dashboard and answer save against a second server on a small database (1,000
   statuses, the measured learner with 10 statuses and 10 study-log entries), in the same rounds.

Databases `portal_bench_large` and `portal_bench_small` (`portal_bench_quick_*` with QUICK=1;
BENCH_DB_PREFIX) on BENCH_POSTGRES are
(re)built when missing or made with other sizes or migrations (BENCH_FRESH=1 forces it). Redis
db 5 (BENCH_REDIS_URL) is flushed at the start. Prints one line per scenario and writes
var/bench/http_scenarios.json for bench/run.py's table.
"""

import hashlib
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
QUICK = os.environ.get("QUICK", "") not in ("", "0")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "portal_bench_quick" if QUICK else "portal_bench")
ROUNDS = 3
SATURATION_SECONDS = int(os.environ.get("BENCH_SECONDS", "1" if QUICK else "8"))
PACED_SECONDS = int(os.environ.get("BENCH_PACED_SECONDS", "2" if QUICK else "10"))
SATURATION_CONNECTIONS = 8
PACED_CONNECTIONS = 24
PORTS = {"large": 8701, "small": 8702}
SYNTHETIC_TOPICS = 1000 if QUICK else 10_000
SIZES = {
    "large": (
        {"learners": 1000, "statuses": 10_000, "study-log": 1000, "attempts": 500,
         "learner-history": 1000}
        if QUICK else
        {"learners": 10_000, "statuses": 1_000_000, "study-log": 100_000, "attempts": 50_000,
         "learner-history": 10_000}
    ),
    "small": {"learners": 100, "statuses": 1000, "study-log": 100, "attempts": 50,
              "learner-history": 10},
}  # fmt: skip
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-never-used-in-production-0123456789abcdef",
    "REDIS_URL": REDIS_URL,
    "BENCH_VIEWS": "1",
    # Raised so that the views are measured, not refusals; per second, so each client's throttle
    # history (a list in Redis, read and written on every API request) stays near its rate.
    "API_THROTTLE_ANON": "1000000/second",
    "API_THROTTLE_USER": "1000000/second",
    # Behind a load balancer, as in production: the client address is the last X-Forwarded-For
    # entry, so the anonymous scenarios' visitors (1,000 addresses) each have their own history.
    "NUM_PROXIES": "1",
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}
# (name, database, marker in every good body, request file, used once per request)
SCENARIOS = [
    ("ceiling", "large", "bench-ceiling-ok", "ceiling.txt", False),
    ("roadmap", "large", 'class="topic-item"', "roadmap.txt", False),
    ("dashboard", "large", 'id="activity-title"', "dashboard.txt", False),
    ("status_change", "large", '"status":', "status.txt", False),
    ("save_answer", "large", '"position":', "save_answer.txt", False),
    ("submit", "large", '"status":"submitted"', "submit.txt", True),
    ("api_list", "large", '"results":[', "api_list.txt", False),
    ("dashboard_small", "small", 'id="activity-title"', "dashboard.txt", False),
    ("save_answer_small", "small", '"position":', "save_answer.txt", False),
]


def log(message: str) -> None:
    print(f"[http_scenarios {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_url(size: str) -> str:
    return f"{POSTGRES}/{PREFIX}_{size}"


def server_env(size: str) -> dict[str, str]:
    return {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url(size)}


def manage(size: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=server_env(size), check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip()


def fingerprint(size: str) -> str:
    """What the data depends on: the sizes, the generator, the migrations, the curriculum and
    exam files."""
    digest = hashlib.sha256(json.dumps([SIZES[size], SYNTHETIC_TOPICS]).encode())
    sources = [ROOT / "progress/management/commands/generate_load_data.py"]
    sources += sorted(ROOT.glob("*/migrations/*.py"))
    sources += sorted((ROOT / "content/curriculum").rglob("*"))
    sources += sorted((ROOT / "content/exams").rglob("*"))
    for source in (path for path in sources if path.is_file()):
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()[:16]


def ensure_database(size: str) -> None:
    name, wanted = f"{PREFIX}_{size}", fingerprint(size)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row and row[0] == wanted and os.environ.get("BENCH_FRESH") != "1":
            log(f"{name}: reusing (same sizes, generator, migrations and content)")
            return
        log(f"{name}: building")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    manage(size, "migrate", "--no-input")
    # The real curriculum and exams; not the question banks (the scenarios use the synthetic
    # exam, and a bank being edited must not stop the benchmarks).
    manage(size, "import_curriculum")
    manage(size, "import_exams")
    options = [f"--{key}={value}" for key, value in SIZES[size].items()]
    log(manage(size, "generate_load_data", *options, f"--synthetic-topics={SYNTHETIC_TOPICS}"))
    with psycopg.connect(database_url(size), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def prepare(size: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "bench/lib/prepare.py", *args], cwd=ROOT, env=server_env(size), check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip()


def start_server(size: str) -> subprocess.Popen:
    port = PORTS[size]
    command = [ROOT / ".venv/bin/gunicorn", "portal.wsgi:application", "-c",
               "bench/lib/gunicorn_conf.py", "--bind", f"127.0.0.1:{port}"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(size), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"http_scenarios: gunicorn on port {port} did not become healthy")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def preflight(size: str, marker: str, data: Path) -> None:
    """One request by hand, so a broken scenario fails loudly before any measurement."""
    method, path, cookie, csrf, body, client = data.read_text().splitlines()[0].split("\t")
    port = PORTS[size]
    headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    if csrf:
        headers |= {"X-CSRFToken": csrf, "Origin": f"https://127.0.0.1:{port}"}
    if body:
        headers["Content-Type"] = "application/json"
    if client:
        headers["X-Forwarded-For"] = client
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body.encode() or None, headers=headers,
        method=method,
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status >= 300 or marker not in text:
        raise SystemExit(f"http_scenarios: {method} {path} answered {status}: {text[:300]}")


def wrk(size: str, marker: str, data: Path, *, seconds: float, connections: int,
        rate: float = 0, pool: bool = False) -> dict:  # fmt: skip
    env = {**os.environ, "WRK_DATA": str(data), "WRK_MARKER": marker, "WRK_THREADS": "1",
           "WRK_ORIGIN": f"https://127.0.0.1:{PORTS[size]}", "WRK_RATE": str(rate),
           "WRK_POOL": "1" if pool else "0"}  # fmt: skip
    script = str(ROOT / "bench/lib/scenario.lua")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{round(seconds)}s", "--timeout", "10s",
               "-s", script, f"http://127.0.0.1:{PORTS[size]}"]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = [row for row in result.stdout.splitlines() if row.startswith("WRKJSON ")]
    if not found:
        raise SystemExit(f"http_scenarios: no result from wrk:\n{result.stdout}{result.stderr}")
    run = json.loads(found[0].removeprefix("WRKJSON "))
    run["rps"] = run["requests"] / (run["duration_us"] / 1e6)
    run["errors"] = sum(run[key] for key in ("bad_status", "bad_body", "exhausted", "connect",
                                              "read", "write", "timeout"))  # fmt: skip
    if run["errors"]:
        log(f"  {run['errors']} errors; first: {run['first_error']!r}")
    return run


class Bench:
    def __init__(self) -> None:
        self.fixtures = {size: OUT / f"requests-{PREFIX}-{size}" for size in PORTS}
        self.submit_rate = 300.0  # a generous first guess; pools then follow what was measured

    def submit_pool(self, seconds: float, rate: float) -> Path:
        path = self.fixtures["large"] / "submit.txt"
        count = math.ceil(rate * seconds * 1.5) + 50
        prepare("large", "submit-pool", str(path), str(count))
        return path

    def drop_pool(self, data: Path) -> None:
        """Delete the pool's unused attempts (retried: gunicorn may still finish a submit)."""
        for attempt in range(5):
            try:
                prepare("large", "drop-pool", str(data))
                return
            except subprocess.CalledProcessError as error:
                log(f"drop-pool failed (try {attempt + 1}): {error.stderr[-300:]}")
                time.sleep(2)

    def run(self, name: str, *, seconds: float, connections: int, rate: float = 0) -> dict:
        _, size, marker, file, pool = next(s for s in SCENARIOS if s[0] == name)
        data = self.fixtures[size] / file
        if pool:
            data = self.submit_pool(seconds, max(rate, self.submit_rate))
        try:
            result = wrk(size, marker, data, seconds=seconds, connections=connections,
                         rate=rate, pool=pool)  # fmt: skip
        finally:
            if pool:
                self.drop_pool(data)
        if pool and not rate:
            self.submit_rate = result["rps"] * 1.3
        return result

    def measure(self) -> dict:
        rounds: dict[str, list[dict]] = {name: [] for name, *_ in SCENARIOS}
        for number in range(1, ROUNDS + 1):
            for name, *_ in SCENARIOS:
                result = self.run(name, seconds=SATURATION_SECONDS,
                                  connections=SATURATION_CONNECTIONS)  # fmt: skip
                rounds[name].append(result)
                log(f"round {number} {name}: {result['rps']:.1f} req/s")
        ceiling = statistics.median(run["rps"] for run in rounds["ceiling"])
        offered = ceiling / 2
        paced = {}
        for name, *_ in SCENARIOS:
            paced[name] = self.run(name, seconds=PACED_SECONDS, connections=PACED_CONNECTIONS,
                                   rate=offered)  # fmt: skip
            log(f"paced {name} at {offered:.0f} req/s: p99 {paced[name]['p99_us'] / 1000:.1f} ms")
        return {"rounds": rounds, "paced": paced, "ceiling_rps": ceiling, "offered_rps": offered}


def machine() -> dict:
    cpu = next((row.split(":", 1)[1].strip() for row in Path("/proc/cpuinfo").read_text()
                .splitlines() if row.startswith("model name")), "unknown")  # fmt: skip
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(memory) / 2**20, 1),
            "wrk": wrk_version, "python": sys.version.split()[0]}  # fmt: skip


def summarise(measured: dict, started: float, loads: list[tuple[float, ...]]) -> dict:
    ceiling = measured["ceiling_rps"]
    ceiling_p99 = measured["paced"]["ceiling"]["p99_us"]
    rows = {}
    for name, size, *_ in SCENARIOS:
        runs, paced = measured["rounds"][name], measured["paced"][name]
        rps = statistics.median(run["rps"] for run in runs)
        rows[name] = {
            "database": size,
            "rps_rounds": [round(run["rps"], 1) for run in runs],
            "rps": round(rps, 1),
            "ratio": round(rps / ceiling, 3),
            "offered_rps": round(measured["offered_rps"], 1),
            "achieved_rps": round(paced["rps"], 1),
            "p50_ms": round(paced["p50_us"] / 1000, 1),
            "p95_ms": round(paced["p95_us"] / 1000, 1),
            "p99_ms": round(paced["p99_us"] / 1000, 1),
            "p99_vs_ceiling": round(paced["p99_us"] / max(ceiling_p99, 1), 1),
            "errors": sum(run["errors"] for run in runs) + paced["errors"],
            "requests": sum(run["requests"] for run in runs) + paced["requests"],
        }
    growth = {
        name: round(rows[f"{name}_small"]["rps"] / rows[name]["rps"], 2)
        for name in ("dashboard", "save_answer")
    }
    return {
        "quick": QUICK, "rows": rows, "growth": growth, "sizes": SIZES,
        "synthetic_topics": SYNTHETIC_TOPICS, "saturation_seconds": SATURATION_SECONDS,
        "paced_seconds": PACED_SECONDS, "rounds": ROUNDS,
        "connections": {"saturation": SATURATION_CONNECTIONS, "paced": PACED_CONNECTIONS},
        "load_average": loads, "minutes": round((time.monotonic() - started) / 60, 1),
        "machine": machine(),
    }  # fmt: skip


def main() -> None:
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    for size in PORTS:
        ensure_database(size)
    log("collectstatic")
    manage("large", "collectstatic", "--no-input")
    flush_redis()
    bench = Bench()
    for size in PORTS:
        log(f"fixtures for {size}: {prepare(size, 'fixtures', str(bench.fixtures[size]))}")
    servers = [start_server(size) for size in PORTS]
    loads = [os.getloadavg()]
    try:
        for _name, size, marker, file, pool in SCENARIOS:
            if not pool:
                preflight(size, marker, bench.fixtures[size] / file)
        measured = bench.measure()
    finally:
        for server in servers:
            stop_server(server)
    loads.append(os.getloadavg())
    summary = summarise(measured, started, loads)
    (OUT / "http_scenarios.json").write_text(json.dumps(summary, indent=2))
    for name, row in summary["rows"].items():
        print(
            f"http_{name}: {row['rps']:.0f} req/s (ratio to ceiling {row['ratio']:.2f}; median "
            f"of {ROUNDS} rounds {row['rps_rounds']}; p50/p95/p99 {row['p50_ms']}/"
            f"{row['p95_ms']}/{row['p99_ms']} ms at {row['offered_rps']:.0f} req/s offered; "
            f"{row['errors']} errors in {row['requests']} requests; {row['database']} database)"
        )
    growth = summary["growth"]
    print(f"http_growth: dashboard {growth['dashboard']}x, save_answer {growth['save_answer']}x "
          "(throughput on the small database over the large)")  # fmt: skip


if __name__ == "__main__":
    main()
