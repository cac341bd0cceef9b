import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connections
from django.test import override_settings

from portal import healthcheck

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "ok"


def test_healthz_503_when_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("portal.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "error"


@override_settings(REDIS_URL="")
def test_healthz_reports_eager_mode_without_broker(client):
    assert client.get("/healthz").json()["broker"] == "eager"


def test_healthz_reports_real_redis(client, redis_url):
    with override_settings(REDIS_URL=redis_url):
        assert client.get("/healthz").json()["broker"] == "ok"


def test_healthz_reports_unreachable_broker_but_stays_up(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "error"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_over_plain_http_is_not_redirected_to_https(client):
    assert client.get("/").status_code == 301  # the rest of the site still is
    assert client.get("/healthz").status_code == 200


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(server: WSGIServer) -> None:
    try:
        server.serve_forever()
    finally:
        connections.close_all()  # this thread's connections, before the test database goes


@pytest.fixture
def production_server(transactional_db):
    """gunicorn's stand-in, its middleware built with HTTPS redirect on and one allowed host
    (live_server builds its middleware before a test can change those settings)."""
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["portal.example.com"]):
        server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler)
        threading.Thread(target=_serve, args=(server,), daemon=True).start()
        yield server.server_port
        server.shutdown()
        server.server_close()


def test_container_health_check_passes_with_production_settings(production_server):
    host = healthcheck.allowed_host("portal.example.com")
    assert healthcheck.healthy(host=host, port=production_server)
    assert not healthcheck.healthy(host="127.0.0.1", port=production_server)  # Django answers 400


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("portal.example.com,www.example.com", "portal.example.com"),
        (" .example.com ", "example.com"),
        ("*", "localhost"),
        ("", "127.0.0.1"),
    ],
)
def test_health_check_sends_a_host_django_allows(allowed_hosts, host):
    assert healthcheck.allowed_host(allowed_hosts) == host


def test_image_and_compose_run_the_health_check_script():
    for name in ("Dockerfile", "docker-compose.yml"):
        assert '"python", "portal/healthcheck.py"' in (ROOT / name).read_text(), name
