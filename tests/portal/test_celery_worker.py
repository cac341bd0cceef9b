"""A real Celery worker on real Redis runs a task queued from the web process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.celery import app
from portal.tasks import ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(redis_url):
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_worker_runs_task_from_broker(worker):
    assert not app.conf.task_always_eager
    result = ping.apply_async(ignore_result=False)
    assert result.get(timeout=60) == "pong"


def test_tasks_run_eagerly_without_broker(settings):
    if settings.REDIS_URL:
        pytest.skip("a broker is configured: tasks go to a worker")
    assert app.conf.task_always_eager
    assert ping.delay().get() == "pong"
