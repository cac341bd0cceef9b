import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db


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
