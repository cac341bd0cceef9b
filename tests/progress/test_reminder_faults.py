"""Study reminders under faults, with a real Redis broker and real `celery -A portal worker`
processes on the PostgreSQL test database (no eager mode; Redis, SMTP and the database are real):
the same sends delivered many times, a worker killed with SIGKILL mid-batch, a mail server that
refuses connections (for good, or until it comes back), the broker down while learners use the
site.

Each worker gets short timings through its environment (`FAST`: a 2 s lease, a 3 s visibility
timeout, a 1 s first backoff, 2 retries) and sends its mail where this process can read it: to
files (Django's filebased backend) or to the small SMTP server below. A message is counted by its
`X-Reminder-Key` header (learner:kind:local date), so "exactly once" is checked on what the
worker actually sent, not on the rows alone."""

import email
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools

from portal.celery import app
from progress import reminders
from progress.models import ReminderDelivery, ReminderPreference
from progress.tasks import send_reminders
from tests.conftest import need, worker_database_url
from tests.factories import UserFactory

from .world import make_world

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds; the same in the workers and in this process (the dispatcher's sweep)
VISIBILITY = 3
FAST = {
    "REMINDER_LEASE_SECONDS": str(LEASE),
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
    "REMINDER_RETRY_BACKOFF_SECONDS": "1",
    "REMINDER_MAX_RETRIES": "2",
}
FILES = "django.core.mail.backends.filebased.EmailBackend"
SLOW_FILES = "tests.progress.mail_backends.SlowFileBackend"  # 0.15 s per message
SMTP = "django.core.mail.backends.smtp.EmailBackend"
API = "/api/v1/me/reminders/"


def wait_for(condition: Callable[[], object], what: str, timeout: float = 20.0) -> object:
    """Poll `condition` until it is true (and return it), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)
    return value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- workers ----------------------------------------------------------------------------------


class Workers:
    """`celery -A portal worker --pool=solo` processes, each in a process group of its own (so a
    SIGKILL takes all of it), reading the test database; their logs go to files under tmp_path."""

    def __init__(self, folder: Path, broker_url: str) -> None:
        self.folder = folder
        self.broker_url = broker_url
        self.processes: list[subprocess.Popen] = []

    def start(self, **env: str) -> subprocess.Popen:
        number = len(self.processes)
        environment = {
            **os.environ,
            **FAST,
            "REDIS_URL": settings.REDIS_URL,  # the cache and result backend
            "CELERY_BROKER_URL": self.broker_url,
            "DATABASE_URL": worker_database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            **env,
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"),
            *("--loglevel=INFO", f"--hostname=faults{number}-{uuid.uuid4().hex[:8]}@%h"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]
        with (self.folder / f"worker{number}.log").open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        """At the end of a test: what the workers hold no longer matters (the next test starts
        with an empty Redis database), so no warm shutdown (2 s each)."""
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def workers(redis_url, postgres, tmp_path, settings):
    settings.REMINDER_LEASE_SECONDS = LEASE
    started = Workers(tmp_path, broker_url=redis_url)
    yield started
    started.kill_all()


def unacked(broker_url: str) -> frozenset[bytes]:
    """The messages workers have taken from the queue and not acknowledged yet (kombu's Redis
    transport keeps them in the `unacked` hash until then)."""
    client = redis.Redis.from_url(broker_url)
    try:
        return frozenset(client.hkeys("unacked"))
    finally:
        client.close()


def drained(broker_url: str, stranded: frozenset[bytes] = frozenset()) -> bool:
    """Nothing waits in the queue and no worker holds a message (but `stranded` ones, taken by a
    killed worker and not given back): every send enqueued so far has run and been acknowledged."""
    client = redis.Redis.from_url(broker_url)
    try:
        return client.llen("celery") == 0 and unacked(broker_url) <= stranded
    finally:
        client.close()


# --- mail -------------------------------------------------------------------------------------

KEY = re.compile(rb"^X-Reminder-Key: (\S+)\r?$", re.MULTILINE)


def keys_in_files(folder: Path) -> Counter[str]:
    """The reminders the filebased backend wrote to `folder`, each with how often."""
    return Counter(
        key.decode() for path in folder.glob("*.log") for key in KEY.findall(path.read_bytes())
    )


class MailServer(socketserver.ThreadingTCPServer):
    """A real SMTP server on 127.0.0.1 that keeps what it receives. Its port is bound at once but
    refuses connections until `start()`."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SMTPHandler, bind_and_activate=False)
        self.server_bind()
        self.lock = threading.Lock()
        self.messages: list[email.message.Message] = []
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server_address[1]}"

    def start(self) -> None:
        self.server_activate()
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        if self.thread:
            self.shutdown()
        self.server_close()

    def keys(self) -> Counter[str]:
        with self.lock:
            return Counter(message["X-Reminder-Key"] for message in self.messages)


class SMTPHandler(socketserver.StreamRequestHandler):
    server: MailServer

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 127.0.0.1 ESMTP test sink")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 127.0.0.1")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b".") else data)  # dot-stuffing
                with self.server.lock:
                    self.server.messages.append(email.message_from_bytes(b"".join(lines)))
                self.reply("250 OK: queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 OK")


@pytest.fixture
def mail_server():
    server = MailServer()
    yield server
    server.stop()


# --- learners and their reminders -------------------------------------------------------------


def due_learners(count: int) -> list:
    """`count` learners with reminders on, all due a minute ago."""
    users = [UserFactory() for _ in range(count)]
    for user in users:
        reminders.reminder_preferences_set(user=user, enabled=True, skip_if_studied=False)
    make_due(users)
    return users


def make_due(users: list) -> None:
    ReminderPreference.objects.filter(user__in=users).update(
        next_reminder_at=timezone.now() - timedelta(minutes=1)
    )


def states() -> Counter[str]:
    return Counter(ReminderDelivery.objects.values_list("state", flat=True))


def all_sent(count: int) -> bool:
    return states() == Counter({"sent": count})


def once_each(users: list) -> Counter[str]:
    """What was sent if each learner got their reminder exactly once."""
    rows = ReminderDelivery.objects.filter(kind="reminder").order_by("user_id")
    assert [row.user_id for row in rows] == sorted(user.pk for user in users)
    return Counter({f"{row.user_id}:reminder:{row.local_date.isoformat()}": 1 for row in rows})


# --- the same sends delivered many times ------------------------------------------------------


def test_sends_delivered_many_times_send_each_reminder_once(workers, tmp_path, redis_url):
    mail = tmp_path / "mail"
    users = due_learners(8)
    first = reminders.reminders_dispatch()
    assert (first.created, first.enqueued) == (8, 8)
    time.sleep(LEASE + 0.2)  # no worker yet: the second run's sweep finds all 8 unsent
    second = reminders.reminders_dispatch()
    assert (second.created, second.requeued, second.enqueued) == (0, 8, 8)
    ids = list(ReminderDelivery.objects.values_list("pk", flat=True))
    for _ in range(3):
        send_reminders.apply_async(args=[ids])
    for _ in range(2):  # two workers take the five copies of the chunk at the same time
        workers.start(TEST_EMAIL_BACKEND=FILES, TEST_EMAIL_FILE_PATH=str(mail))

    wait_for(lambda: all_sent(8) and drained(redis_url), "every copy of the chunk to run")
    assert keys_in_files(mail) == once_each(users)
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {1}


# --- a worker killed mid-batch ----------------------------------------------------------------


@pytest.mark.parametrize("recovery", ["broker redelivers", "dispatcher sweeps"])
def test_a_worker_killed_mid_batch_leaves_no_reminder_unsent_or_sent_twice(
    workers, tmp_path, redis_url, recovery
):
    mail = tmp_path / "mail"
    users = due_learners(12)
    assert reminders.reminders_dispatch().enqueued == 12  # one chunk, one task
    # With the production visibility timeout (an hour) the killed worker's message stays with
    # the broker, so only the dispatcher's sweep can bring the unsent reminders back.
    visibility = {} if recovery == "broker redelivers" else {"CELERY_VISIBILITY_TIMEOUT": "3600"}
    first = workers.start(TEST_EMAIL_BACKEND=SLOW_FILES, TEST_EMAIL_FILE_PATH=str(mail))

    wait_for(lambda: states()["sent"] >= 1, "the first reminder to be sent and marked", 30)
    workers.kill(first)  # SIGKILL to its process group, while it sends the next one
    killed_at = time.monotonic()
    at_kill = states()
    assert 1 <= at_kill["sent"] < 12, at_kill  # the kill landed mid-batch
    assert at_kill["claimed"] <= 1, at_kill
    sent_rows = ReminderDelivery.objects.filter(state="sent")
    sent_keys = {f"{row.user_id}:reminder:{row.local_date.isoformat()}" for row in sent_rows}
    assert keys_in_files(mail) == Counter(dict.fromkeys(sent_keys, 1))  # nothing sent unmarked
    stranded = unacked(redis_url)
    assert len(stranded) == 1  # acks_late: the killed worker's message is not acknowledged

    if recovery == "broker redelivers":
        # Once the visibility timeout has passed, a worker starting up gives the message back
        # to the queue and runs the whole chunk again: the sent rows are "taken", the rest sent.
        time.sleep(max(0.0, killed_at + VISIBILITY + 0.2 - time.monotonic()))
        workers.start(TEST_EMAIL_BACKEND=FILES, TEST_EMAIL_FILE_PATH=str(mail))
        wait_for(lambda: all_sent(12) and drained(redis_url), "the redelivered chunk to run")
    else:
        workers.start(TEST_EMAIL_BACKEND=FILES, TEST_EMAIL_FILE_PATH=str(mail), **visibility)
        time.sleep(max(0.0, killed_at + LEASE + 0.2 - time.monotonic()))
        report = reminders.reminders_dispatch()
        assert report.requeued == 12 - at_kill["sent"]
        wait_for(lambda: all_sent(12) and drained(redis_url, stranded), "the swept rows to run")

    assert keys_in_files(mail) == once_each(users)


# --- the mail server down ---------------------------------------------------------------------


def test_a_mail_server_refusing_connections_is_retried_then_logged_failed(workers, mail_server):
    workers.start(TEST_EMAIL_BACKEND=SMTP, EMAIL_URL=mail_server.url)  # bound, not listening
    due_learners(1)
    reminders.reminders_dispatch()

    row = wait_for(
        lambda: ReminderDelivery.objects.filter(state="failed").first(), "the send to fail", 30
    )
    assert row.attempts == 3  # the first try and REMINDER_MAX_RETRIES=2 retries
    assert row.reason.startswith("ConnectionRefusedError")
    assert row.finished_at is not None
    assert states() == Counter({"failed": 1})


def test_a_mail_server_back_during_the_retries_gets_each_reminder_once(
    workers, mail_server, redis_url
):
    workers.start(TEST_EMAIL_BACKEND=SMTP, EMAIL_URL=mail_server.url)
    users = due_learners(3)
    reminders.reminders_dispatch()
    wait_for(
        lambda: ReminderDelivery.objects.filter(reason__contains="refused").count() == 3,
        "the first try of each send to be refused",
        30,
    )
    mail_server.start()  # before the first retry, a second after the failure

    wait_for(lambda: all_sent(3) and drained(redis_url), "the retries to send")
    assert mail_server.keys() == once_each(users)
    assert min(ReminderDelivery.objects.values_list("attempts", flat=True)) >= 2


# --- the broker down --------------------------------------------------------------------------


class RedisServer:
    """A redis-server of its own, without persistence, that the test stops and starts again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, "redis-server to start", 10)

    def _answers(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        try:
            return client.ping()
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def use_broker(url: str) -> None:
    """Point this process's Celery app at the broker `url` (new connections from now on)."""
    app.conf.broker_url = url
    for pool in (app._pool, app.amqp._producer_pool):
        if pool is not None:
            pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()  # the global producer pools keyed by connection were closed above


@pytest.fixture
def spare_broker(redis_url):
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer()
    server.start()
    before = app.conf.broker_url
    use_broker(server.url)
    yield server
    use_broker(before)
    server.stop()


def timed(request: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    response = request()
    return response, time.perf_counter() - started


def test_with_the_broker_down_learners_save_and_reminders_wait_for_it(
    workers, spare_broker, client, tmp_path
):
    user = UserFactory()
    topic = make_world().a_own
    client.force_login(user)
    page = reverse("progress:reminders")
    assert client.get(API).status_code == 200  # warm up (imports, templates)
    assert client.get(page).status_code == 200
    spare_broker.stop()

    saved, seconds = timed(
        lambda: client.patch(
            API, {"enabled": True, "skip_if_studied": False}, content_type="application/json"
        )
    )
    assert (saved.status_code, seconds < 1) == (200, True), (saved.content, seconds)
    marked, seconds = timed(
        lambda: client.post(
            "/api/v1/me/statuses/",
            {"topic": topic.slug, "status": "done"},
            content_type="application/json",
        )
    )
    assert (marked.status_code, seconds < 1) == (200, True), (marked.content, seconds)
    form = {"enabled": "on", "cadence": "daily", "time_of_day": "07:30", "digest_day": "6"}
    posted, seconds = timed(lambda: client.post(page, form))
    assert (posted.status_code, seconds < 1) == (302, True), (posted.content, seconds)

    make_due([user])
    report, seconds = timed(reminders.reminders_dispatch)
    assert (report.created, report.enqueued) == (1, 0)
    assert seconds < 1, f"the dispatcher took {seconds:.1f} s with the broker down"
    row = ReminderDelivery.objects.get(user=user)
    assert (row.state, row.attempts) == ("pending", 0)

    mail = tmp_path / "mail"
    spare_broker.start()  # empty: what was published before it stopped is gone
    workers.start(
        TEST_EMAIL_BACKEND=FILES, TEST_EMAIL_FILE_PATH=str(mail), CELERY_BROKER_URL=spare_broker.url
    )
    time.sleep(
        max(0.0, (row.created_at + timedelta(seconds=LEASE + 0.2) - timezone.now()).total_seconds())
    )
    report = reminders.reminders_dispatch()
    assert (report.requeued, report.enqueued) == (1, 1)
    wait_for(lambda: all_sent(1) and drained(spare_broker.url), "the reminder to be sent")
    assert keys_in_files(mail) == once_each([user])
