"""Conventions shared by every /api/v1/ endpoint.

- Errors are RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`,
  `detail`, and field errors under one key, `errors` ({field: [messages]}).
- Page-number pagination with a capped page size.
- `validated()` runs an input serializer (`form_validated()` a page's form) and raises a 400
  problem on bad input.
- portal/schema.py documents these error responses for every operation in the OpenAPI schema.
"""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "/api/problems/"


def problem_body(status: int, detail: str = "", *, code: str = "", errors: Any = None) -> dict:
    """The problem-details document for `status`; `code` names the problem type."""
    title = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_BASE}{code}" if code else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(request: HttpRequest, status: int, detail: str = "", code: str = ""):
    """A problem-details response for plain Django views (404/500 handlers under /api/)."""
    return JsonResponse(
        problem_body(status, detail, code=code),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _flatten(detail: Any) -> Any:
    """DRF's ErrorDetail tree -> plain strings, lists and dicts."""
    if isinstance(detail, Mapping):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_flatten(item) for item in detail]
    return str(detail)


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handler answers with a problem body
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        detail = "The request has invalid fields; see errors."
        response.data = problem_body(response.status_code, detail, code="invalid", errors=errors)
    else:
        detail = _flatten(exc.detail) if isinstance(exc, exceptions.APIException) else ""
        if not isinstance(code, str):
            code = "error"
        response.data = problem_body(response.status_code, str(detail), code=code)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def validated(serializer_class: type[serializers.Serializer], data: Any, **context: Any) -> dict:
    """Validate request input with an input serializer; bad input raises a 400 problem."""
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def form_validated(form: forms.Form) -> dict:
    """Validate request input with a page's Django form (the same rules as the page); bad input
    raises a 400 problem naming each field the form refused."""
    if not form.is_valid():
        named = {"__all__": "non_field_errors"}
        errors = {
            named.get(field, field): [message for error in found for message in error.messages]
            for field, found in form.errors.as_data().items()
        }
        raise exceptions.ValidationError(errors)
    return form.cleaned_data


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
