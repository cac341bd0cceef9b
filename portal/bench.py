"""The benchmarks' ceiling: a fixed response through the whole middleware stack, and nothing
else (no database, no template). Routed only when the BENCH_VIEWS setting is on (bench/README.md),
so the scenarios can be read as a share of what the stack itself allows."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

CEILING_BODY = "bench-ceiling-ok"


@require_GET
def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CEILING_BODY, content_type="text/plain")
