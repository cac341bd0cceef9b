"""Run every benchmark script in bench/ and write the results table (`make bench` calls this).

    .venv/bin/python bench/run.py    # default sizes; QUICK=1 for small sizes and short runs

Each `bench/*.py` script (but this one) runs in turn and prints its result line(s); the earlier
scripts run on a throwaway PostgreSQL database (test_portal_bench_scripts on BENCH_POSTGRES).
The table goes to var/bench/results.md (and is printed); copy it into docs/benchmarks.md when it is
worth keeping.
"""

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
QUICK = os.environ.get("QUICK", "") not in ("", "0")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Shorter runs of the earlier, single-process scripts in QUICK mode.
QUICK_ARGS = {"roadmap_500_topics.py": ["20"], "answer_saves.py": ["3"]}
GOALS = {"roadmap": 0.5, "api_list": 0.5, "save_answer": 0.5, "dashboard": 0.35}


def run_script(script: Path) -> list[str]:
    env = {**os.environ, "DATABASE_URL": f"{POSTGRES}/portal_bench_scripts"}
    args = QUICK_ARGS.get(script.name, []) if QUICK else []
    started = time.monotonic()
    # stdout is the result lines; stderr (progress, errors) goes straight to the terminal.
    result = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    seconds = time.monotonic() - started
    if result.returncode:
        raise SystemExit(f"bench: {script.name} failed (exit {result.returncode})")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    print(f"[bench] {script.name} ({seconds:.0f} s)", file=sys.stderr)
    for line in lines:
        print(line, flush=True)
    return lines


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                           capture_output=True, text=True)  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()  # fmt: skip
    return found.stdout.strip() + (" + uncommitted changes" if dirty else "")


def goal_mark(name: str, row: dict, ceiling_p99: float) -> str:
    marks = []
    if name in GOALS:
        marks.append(
            f"ratio >= {GOALS[name]}: {'met' if row['ratio'] >= GOALS[name] else 'NOT met'}"
        )
    if name != "ceiling" and not name.endswith("_small"):
        met = row["p99_ms"] <= 3 * ceiling_p99
        marks.append(f"p99 <= 3x ceiling: {'met' if met else 'NOT met'}")
    return "; ".join(marks)


def http_table(data: dict) -> list[str]:
    rows = data["rows"]
    ceiling_p99 = rows["ceiling"]["p99_ms"]
    offered = rows["ceiling"]["offered_rps"]
    lines = [
        f"Saturation: {data['rounds']} interleaved rounds of {data['saturation_seconds']:g} s, "
        f"{data['connections']['saturation']} connections, median. Latency: fixed offered load "
        f"of {offered:.0f} req/s (half the ceiling's median) for {data['paced_seconds']:g} s "
        f"over {data['connections']['paced']} connections.",
        "",
        "| Scenario | DB | req/s (median) | rounds | ratio to ceiling | achieved at fixed load | "
        "p50 ms | p95 ms | p99 ms | p99 / ceiling p99 | errors / requests | goals |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in rows.items():
        rounds = ", ".join(f"{value:.0f}" for value in row["rps_rounds"])
        lines.append(
            f"| {name} | {row['database']} | {row['rps']:.0f} | {rounds} | {row['ratio']:.2f} | "
            f"{row['achieved_rps']:.0f} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | "
            f"{row['p99_vs_ceiling']} | {row['errors']} / {row['requests']} | "
            f"{goal_mark(name, row, ceiling_p99)} |"
        )
    growth = data["growth"]
    large, small = data["sizes"]["large"], data["sizes"]["small"]
    lines += [
        "",
        f"Growth (throughput on the small database over the large; goal <= 1.2): dashboard "
        f"{growth['dashboard']}, save_answer {growth['save_answer']}. Small: "
        f"{small['statuses']:,} statuses, the learner's history {small['learner-history']:,}; "
        f"large: {large['statuses']:,} statuses, history {large['learner-history']:,}.",
    ]
    return lines


def write_table(lines_by_script: dict[str, list[str]], started: float) -> str:
    http = OUT / "http_scenarios.json"
    data = json.loads(http.read_text()) if http.exists() else None
    machine = data["machine"] if data else {}
    text = [
        f"# Benchmark results ({'QUICK' if QUICK else 'default'} sizes)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit {commit()}",
        f"- Machine: {machine.get('cpu', platform.processor())}, {os.cpu_count()} CPUs, "
        f"{machine.get('memory_gb', '?')} GB; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; wrk {machine.get('wrk', '?')}",
        f"- Load average (1/5/15 min) at the HTTP runs' start and end: "
        f"{data['load_average'] if data else 'n/a'}",
        f"- Command: `make bench{' QUICK=1' if QUICK else ''}` "
        f"({(time.monotonic() - started) / 60:.1f} min)",
        "",
    ]
    if data:
        text += http_table(data) + [""]
    text += ["Script result lines:", "", "```"]
    text += [line for lines in lines_by_script.values() for line in lines]
    text += ["```", ""]
    (OUT / "results.md").write_text("\n".join(text))
    return "\n".join(text)


def main() -> None:
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "http_scenarios.json").unlink(missing_ok=True)
    scripts = sorted(path for path in (ROOT / "bench").glob("*.py") if path.name != "run.py")
    lines = {script.name: run_script(script) for script in scripts}
    print()
    print(write_table(lines, started))
    print(f"[bench] table written to {OUT / 'results.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
