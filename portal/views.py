from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .api import problem_response


def _wants_problem(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "eager"  # no broker configured: tasks run in-process
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        client.ping()
    except redis.RedisError:
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: 200 while the database answers, 503 when it does not."""
    database = _database_status()
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "broker": _broker_status(),
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_problem(request):
        return problem_response(request, 404, "No such endpoint or object.", "not_found")
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_problem(request):
        return problem_response(request, 500, "Something went wrong on our side.", "server_error")
    return render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_problem(request):
        return problem_response(request, 403, "You may not do this.", "permission_denied")
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_problem(request):
        return problem_response(request, 400, "The request could not be understood.", "bad_request")
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _wants_problem(request):
        return problem_response(request, 403, "CSRF check failed; reload and retry.", "csrf")
    return render(request, "403_csrf.html", status=403)
