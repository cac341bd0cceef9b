"""Link health against a local HTTP server (never the internet): one URL's verdict, retries with
backoff, bounded concurrency, what the service records, and the task on a real Celery worker."""

import socket
import threading
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from curriculum import linkcheck, queries, services, tasks
from curriculum.linkcheck import LinkCheckOptions, check_url, check_urls
from curriculum.models import LinkStatus, Resource
from tests.factories import ResourceFactory, TopicFactory

ROOT = Path(__file__).resolve().parents[2]


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), LinkHandler)
        self.lock = threading.Condition()
        self.requests: list[tuple[str, str]] = []
        self.user_agents: set[str] = set()
        self.hits: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.hold_until = 1  # /hold/... answers once this many requests have been in flight
        self.release = threading.Event()  # lets /slow answer when the test ends

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def count(self, path: str) -> int:
        return sum(1 for _, seen in self.requests if seen == path)


class LinkHandler(BaseHTTPRequestHandler):
    server: LinkServer

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer("HEAD")

    def do_GET(self) -> None:  # noqa: N802
        self._answer("GET")

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, method: str) -> None:
        server = self.server
        with server.lock:
            server.requests.append((method, self.path))
            server.user_agents.add(self.headers.get("User-Agent", ""))
            server.hits[self.path] += 1
            hit = server.hits[self.path]
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
            server.lock.notify_all()
        try:
            self._route(method, hit)
        finally:
            with server.lock:
                server.in_flight -= 1

    def _route(self, method: str, hit: int) -> None:
        path = self.path
        if path == "/ok":
            self._status(200)
        elif path == "/missing":
            self._status(404)
        elif path.startswith("/flaky"):
            self._status(500 if hit == 1 else 200)
        elif path == "/error":
            self._status(500)
        elif path == "/busy":
            self._status(429)
        elif path == "/no-head":
            self._status(405 if method == "HEAD" else 200)
        elif path == "/redirect":
            self._status(302, location="/ok")
        elif path == "/redirect-to-missing":
            self._status(301, location=self.server.url("/missing"))
        elif path == "/loop":
            self._status(302, location="/loop")
        elif path == "/to-ftp":
            self._status(302, location="ftp://127.0.0.1/file")
        elif path == "/slow":
            self.server.release.wait(5)
            self._status(200)
        elif path.startswith("/hold/"):
            with self.server.lock:
                self.server.lock.wait_for(
                    lambda: self.server.max_in_flight >= self.server.hold_until, timeout=2
                )
            self._status(200)
        else:
            self._status(404)

    def _status(self, code: int, location: str = "") -> None:
        try:
            self.send_response(code)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the client gave up (a timeout test)


@pytest.fixture
def server():
    http_server = LinkServer()
    thread = threading.Thread(
        target=http_server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield http_server
    http_server.release.set()
    http_server.shutdown()
    http_server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class Sleeps(list):
    """Records the backoff waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def options(sleeps) -> LinkCheckOptions:
    return LinkCheckOptions(timeout=2, retries=2, backoff=0.5, concurrency=4, sleep=sleeps)


# --- One URL -----------------------------------------------------------------------------------


def test_working_url_is_ok_with_one_head_request(server, options):
    verdict = check_url(server.url("/ok"), options)
    assert (verdict.ok, verdict.http_status, verdict.error) == (True, 200, "")
    assert server.requests == [("HEAD", "/ok")]


def test_requests_name_the_portal_in_the_user_agent(server, options):
    check_url(server.url("/ok"), options)
    assert server.user_agents == {linkcheck.USER_AGENT}
    assert "LearningPortal" in linkcheck.USER_AGENT


def test_not_found_is_broken_at_once_without_retries(server, options, sleeps):
    verdict = check_url(server.url("/missing"), options)
    assert (verdict.ok, verdict.http_status, verdict.error) == (False, 404, "HTTP 404")
    assert server.count("/missing") == 1
    assert sleeps == []


def test_server_error_that_passes_is_retried_and_ok(server, options, sleeps):
    verdict = check_url(server.url("/flaky"), options)
    assert (verdict.ok, verdict.http_status) == (True, 200)
    assert server.count("/flaky") == 2
    assert sleeps == [0.5]


def test_lasting_server_error_is_broken_after_retries_with_exponential_backoff(server, sleeps):
    options = LinkCheckOptions(timeout=2, retries=3, backoff=0.5, sleep=sleeps)
    verdict = check_url(server.url("/error"), options)
    assert (verdict.ok, verdict.http_status, verdict.error) == (False, 500, "HTTP 500")
    assert server.count("/error") == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_too_many_requests_is_retried(server, options, sleeps):
    verdict = check_url(server.url("/busy"), options)
    assert (verdict.ok, verdict.http_status) == (False, 429)
    assert server.count("/busy") == 3
    assert sleeps == [0.5, 1.0]


def test_head_refused_falls_back_to_get(server, options):
    verdict = check_url(server.url("/no-head"), options)
    assert (verdict.ok, verdict.http_status) == (True, 200)
    assert server.requests == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_redirects_are_followed_to_the_final_answer(server, options):
    assert check_url(server.url("/redirect"), options).http_status == 200
    assert server.requests == [("HEAD", "/redirect"), ("HEAD", "/ok")]
    broken = check_url(server.url("/redirect-to-missing"), options)
    assert (broken.ok, broken.http_status) == (False, 404)


def test_redirect_loop_is_broken_after_the_redirect_limit(server, sleeps):
    options = LinkCheckOptions(timeout=2, max_redirects=3, sleep=sleeps)
    verdict = check_url(server.url("/loop"), options)
    assert verdict.ok is False
    assert verdict.error == "More than 3 redirects."
    assert server.count("/loop") == 4
    assert sleeps == []  # retrying will not end a loop


def test_redirect_to_another_scheme_is_broken(server, options):
    verdict = check_url(server.url("/to-ftp"), options)
    assert verdict.ok is False
    assert "not http(s)" in verdict.error


def test_slow_answer_times_out_and_is_broken_after_retries(server, sleeps):
    options = LinkCheckOptions(timeout=0.2, retries=1, backoff=0.5, sleep=sleeps)
    verdict = check_url(server.url("/slow"), options)
    assert (verdict.ok, verdict.http_status) == (False, None)
    assert verdict.error == "Timed out after 0.2 s."
    assert server.count("/slow") == 2
    assert sleeps == [0.5]


def test_connection_refused_is_broken_after_retries(closed_port_url, options, sleeps):
    verdict = check_url(closed_port_url, options)
    assert (verdict.ok, verdict.http_status, verdict.error) == (False, None, "Connection refused.")
    assert sleeps == [0.5, 1.0]


def test_unknown_host_is_broken(monkeypatch, options):
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # DNS is outside the system
    verdict = check_url("https://no-such-host.invalid/", options)
    assert verdict.ok is False
    assert "Name or service not known" in verdict.error


@pytest.mark.parametrize("url", ["ftp://example.com/file", "javascript:alert(1)", "/relative"])
def test_only_http_urls_are_checked(url, options):
    verdict = check_url(url, options)
    assert (verdict.ok, verdict.error) == (False, "Not an http(s) URL.")


# --- A batch -----------------------------------------------------------------------------------


def test_batch_runs_at_most_the_configured_number_of_requests_at_once(server, sleeps):
    server.hold_until = 3  # the first requests wait until three are in flight (or two seconds)
    urls = [server.url(f"/hold/{n}") for n in range(10)]
    verdicts = check_urls(urls, LinkCheckOptions(timeout=5, concurrency=3, sleep=sleeps))
    assert all(verdict.ok for verdict in verdicts.values())
    assert server.max_in_flight == 3


def test_batch_checks_a_repeated_url_once(server, options):
    verdicts = check_urls([server.url("/ok"), server.url("/ok"), server.url("/missing")], options)
    assert set(verdicts) == {server.url("/ok"), server.url("/missing")}
    assert server.count("/ok") == 1


# --- The service records the verdicts ----------------------------------------------------------


@pytest.mark.django_db
def test_service_records_status_code_error_and_time(server, options):
    working = ResourceFactory(url=server.url("/ok"))
    missing = ResourceFactory(url=server.url("/missing"))
    before = timezone.now()

    summary = services.resource_links_check(options=options)

    assert (summary.checked, summary.ok, summary.broken) == (2, 1, 1)
    working.refresh_from_db()
    missing.refresh_from_db()
    assert (working.link_status, working.link_http_status, working.link_error) == ("ok", 200, "")
    assert (missing.link_status, missing.link_http_status) == ("broken", 404)
    assert missing.link_error == "HTTP 404"
    assert missing.link_broken is True
    assert before <= working.link_checked_at <= timezone.now()


@pytest.mark.django_db
def test_topic_page_marks_a_link_found_broken(server, options, client):
    topic = TopicFactory()
    ResourceFactory(topic=topic, title="Gone page", url=server.url("/missing"))
    ResourceFactory(topic=topic, title="Live page", url=server.url("/ok"))
    assert "This link looks broken" not in client.get(topic.get_absolute_url()).content.decode()

    services.resource_links_check(options=options)

    html = client.get(topic.get_absolute_url()).content.decode()
    assert html.count("This link looks broken") == 1
    assert html.index("Gone page") < html.index("This link looks broken") < html.index("Live page")


@pytest.mark.django_db
def test_service_skips_resources_without_an_http_url_and_archived_ones(server, options):
    no_url = ResourceFactory(url="")
    ftp = ResourceFactory(url="ftp://127.0.0.1/file")
    archived = ResourceFactory(url=server.url("/ok"), archived_at=timezone.now())

    assert services.resource_links_check(options=options).checked == 0

    for resource in (no_url, ftp, archived):
        resource.refresh_from_db()
        assert (resource.link_status, resource.link_checked_at) == ("unchecked", None)
    assert server.requests == []


@pytest.mark.django_db
def test_periodic_check_skips_recent_checks_and_takes_the_stalest_first(server, options):
    topic = TopicFactory()
    hour = timedelta(hours=1)
    recent = ResourceFactory(topic=topic, url=server.url("/ok"))
    old = ResourceFactory(topic=topic, url=server.url("/ok"))
    never = ResourceFactory(topic=topic, url=server.url("/ok"))
    Resource.objects.filter(pk=recent.pk).update(link_checked_at=timezone.now() - hour)
    Resource.objects.filter(pk=old.pk).update(link_checked_at=timezone.now() - 30 * hour)

    due = queries.resources_due_for_link_check(stale_after=services.LINK_CHECK_STALE_AFTER)

    assert list(due) == [never, old]
    assert services.resource_links_check(options=options).checked == 2
    assert services.resource_links_check(options=options).checked == 0  # safe to run twice


@pytest.mark.django_db
def test_recheck_of_chosen_resources_ignores_their_last_check(server, options):
    chosen = ResourceFactory(url=server.url("/missing"))
    other = ResourceFactory(url=server.url("/ok"))
    Resource.objects.update(link_checked_at=timezone.now(), link_status=LinkStatus.OK)

    summary = services.resource_links_check(resource_ids=[chosen.pk], options=options)

    assert (summary.checked, summary.broken) == (1, 1)
    chosen.refresh_from_db()
    assert chosen.link_status == "broken"
    assert server.count("/ok") == 0
    other.refresh_from_db()
    assert other.link_status == "ok"


@pytest.mark.django_db
def test_url_changed_during_the_check_keeps_its_state(server, options, monkeypatch):
    resource = ResourceFactory(url=server.url("/missing"))
    check = linkcheck.check_urls

    def editor_changes_the_url_meanwhile(urls, options):  # noqa: ANN001, ANN202
        verdicts = check(urls, options)
        Resource.objects.filter(pk=resource.pk).update(url=server.url("/ok"))
        return verdicts

    monkeypatch.setattr(linkcheck, "check_urls", editor_changes_the_url_meanwhile)
    assert services.resource_links_check(options=options).checked == 0
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_checked_at) == ("unchecked", None)


@pytest.mark.django_db
def test_service_reads_concurrency_from_settings(server, settings):
    settings.LINK_CHECK_CONCURRENCY = 2
    settings.LINK_CHECK_RETRIES = 0
    server.hold_until = 2
    topic = TopicFactory()
    for n in range(6):
        ResourceFactory(topic=topic, url=server.url(f"/hold/{n}"))

    assert services.resource_links_check().ok == 6
    assert server.max_in_flight == 2


# --- Tasks -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_periodic_task_records_status_and_time(server, settings):
    settings.LINK_CHECK_RETRIES = 0
    working = ResourceFactory(url=server.url("/ok"))
    missing = ResourceFactory(url=server.url("/missing"))

    result = tasks.check_resource_links.apply().get()

    assert result == {"checked": 2, "ok": 1, "broken": 1}
    working.refresh_from_db()
    missing.refresh_from_db()
    assert working.link_status == "ok"
    assert missing.link_status == "broken"
    assert working.link_checked_at is not None
    assert missing.link_checked_at is not None


@pytest.mark.django_db
def test_task_for_chosen_resources_checks_only_them(server, settings):
    settings.LINK_CHECK_RETRIES = 0
    chosen = ResourceFactory(url=server.url("/redirect"))
    ResourceFactory(url=server.url("/missing"))

    result = tasks.check_resource_links_for.apply(args=[[chosen.pk]]).get()

    assert result == {"checked": 1, "ok": 1, "broken": 0}
    assert server.count("/missing") == 0


@pytest.mark.django_db
def test_link_check_is_scheduled_daily_in_celery_beat():
    from django_celery_beat.models import PeriodicTask

    periodic = PeriodicTask.objects.get(task="curriculum.tasks.check_resource_links")
    assert periodic.enabled
    assert (periodic.crontab.minute, periodic.crontab.hour) == ("30", "3")
    assert periodic.crontab.day_of_week == "*"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_worker_checks_links_and_records_them(server, worker):
    from portal.celery import app

    assert not app.conf.task_always_eager
    working = ResourceFactory(url=server.url("/ok"))
    missing = ResourceFactory(url=server.url("/missing"))

    result = tasks.check_resource_links_for.apply_async(
        args=[[working.pk, missing.pk]], ignore_result=False
    )

    assert result.get(timeout=60) == {"checked": 2, "ok": 1, "broken": 1}
    working.refresh_from_db()
    missing.refresh_from_db()
    assert (working.link_status, missing.link_status) == ("ok", "broken")
    assert missing.link_http_status == 404
    assert server.user_agents == {linkcheck.USER_AGENT}
