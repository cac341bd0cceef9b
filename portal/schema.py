"""OpenAPI schema conventions: every operation documents the problem-details errors it can return,
each with a description and an example, and the apps' X-Session-Token sign-in.

Kept apart from portal/api.py because drf-spectacular imports DRF's generic views, which read the
pagination class from portal/api.py at import time.
"""

from http import HTTPStatus

from drf_spectacular.contrib.django_allauth import XSessionTokenAuthenticationScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly

from .api import PROBLEM_CONTENT_TYPE, problem_body

PROBLEM_REF = "#/components/schemas/Problem"
INVALID = "Enter a valid value."


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
        ]
    }
)
class FieldErrors(serializers.JSONField):
    """One field's messages, or the nested errors of a list or object field."""


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every /api/v1/ error is returned."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=FieldErrors(),
        required=False,
        help_text="Field name -> messages; present on 400 validation errors. A field holding a "
        "list or an object of its own nests its errors by position or field name: "
        '`{"items": {"2": {"topic": ["..."]}}}`.',
    )


# status -> (problem type code, example detail, what the response means)
PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: (
        "invalid",
        "The request has invalid fields; see errors.",
        "Invalid input: `errors` names each field with its messages (`non_field_errors` for the "
        "request as a whole). Nothing was changed.",
    ),
    401: (
        "not_authenticated",
        "Authentication credentials were not provided.",
        "Not signed in: send `X-Session-Token` (from allauth headless login) or the session "
        "cookie.",
    ),
    403: (
        "permission_denied",
        "You do not have permission to perform this action.",
        "Not allowed: a session-cookie write without the CSRF token, or a signed-out request to "
        "a view that answers 403 for it.",
    ),
    404: (
        "not_found",
        "Not found.",
        "Nothing of yours with this identifier (another learner's id answers the same), or a "
        "page past the last.",
    ),
    409: (
        "conflict",
        "The request conflicts with the current state.",
        "The request conflicts with the current state of the object.",
    ),
    429: (
        "throttled",
        "Request was throttled. Expected available in 12 seconds.",
        "Too many requests: wait the number of seconds in `Retry-After`, then retry.",
    ),
}


def problem_example(status: int, *, field: str = "non_field_errors", message: str = "") -> dict:
    """A realistic problem-details body for `status` (400 names `field` under `errors`)."""
    code, detail, _ = PROBLEMS[status]
    if not message:
        message = "Invalid input." if field == "non_field_errors" else "This field is required."
    errors = {field: [message]} if status == 400 else None
    return problem_body(status, detail, code=code, errors=errors)


# The ends of the database's own integer column ranges (SQLite: 64-bit for every kind;
# PostgreSQL: 16, 32 or 64 bits). Django adds them to model fields as validators, so they would
# make the schema depend on the database it was generated with; they are storage limits, not API
# rules, and are left out of the schema (docs/openapi.yaml is the same on SQLite and PostgreSQL).
DATABASE_INTEGER_LIMITS = {
    -(2**15), 2**15 - 1, -(2**31), 2**31 - 1, -(2**63), 2**63 - 1,
}  # fmt: skip


class ProblemAutoSchema(AutoSchema):
    """Adds the problem-details error responses each operation can return to the schema."""

    def _insert_field_validators(self, field, schema: dict) -> None:  # noqa: ANN001
        super()._insert_field_validators(field, schema)
        for key in ("minimum", "maximum"):
            if schema.get(key) in DATABASE_INTEGER_LIMITS:
                del schema[key]
        bounds = [schema.get(key, 0) for key in ("minimum", "maximum")]
        if schema.get("format") == "int64" and all(-(2**31) <= bound < 2**31 for bound in bounds):
            del schema["format"]  # it was there for a database limit only

    def _error_statuses(self) -> list[int]:
        statuses = [429]
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append(400)
        if not self._allows_anonymous():
            statuses += [401, 403]
        if "{" in self.path:
            statuses.append(404)
        if self.method == "GET" and getattr(self.view, "filterset_class", None) is not None:
            statuses.append(400)  # django-filter refuses a filter value it cannot read
        return sorted(statuses)

    def _allows_anonymous(self) -> bool:
        permissions = self.view.get_permissions()
        anonymous = (AllowAny, IsAuthenticatedOrReadOnly)
        return all(isinstance(permission, anonymous) for permission in permissions)

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            responses.setdefault(
                str(status),
                self._get_response_for_code(
                    ProblemSerializer, str(status), media_types=[PROBLEM_CONTENT_TYPE]
                ),
            )
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400:
                self._document_problem(int(code), response)
            elif not response.get("description"):
                response["description"] = HTTPStatus(int(code)).phrase
        return responses

    def _document_problem(self, status: int, response: dict) -> None:
        """Every error is problem+json with a description and an example, whoever declared it."""
        content = response.get("content", {})
        if "application/json" in content and _is_problem(content["application/json"]):
            content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        known = status in PROBLEMS
        if not response.get("description"):
            response["description"] = PROBLEMS[status][2] if known else HTTPStatus(status).phrase
        body = content.get(PROBLEM_CONTENT_TYPE)
        if known and body is not None and not body.get("examples"):
            title = HTTPStatus(status).phrase
            value = problem_example(status, **self._bad_input())
            body["examples"] = {title.replace(" ", ""): {"value": value, "summary": title}}
        if status == 429:
            response.setdefault("headers", {})["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before the next request.",
            }

    def _bad_input(self) -> dict[str, str]:
        """What a 400 example names: the body's first field, else the first query parameter."""
        if self.method in ("POST", "PUT", "PATCH"):
            serializer = force_instance(self.get_request_serializer())
            fields = getattr(serializer, "fields", None)
            if fields:
                required = self.method != "PATCH"
                return {"field": next(iter(fields)), "message": "" if required else INVALID}
        for parameter in self.get_override_parameters():
            if isinstance(parameter, OpenApiParameter) and parameter.location == "query":
                return {"field": parameter.name, "message": INVALID}
        filterset = getattr(self.view, "filterset_class", None)
        if filterset is not None and filterset.base_filters:
            return {"field": next(iter(filterset.base_filters)), "message": INVALID}
        return {}


def _is_problem(media: dict) -> bool:
    return media.get("schema", {}).get("$ref") == PROBLEM_REF


class SessionTokenScheme(XSessionTokenAuthenticationScheme):
    """The apps' session token, described for them (drf-spectacular's own says only its name)."""

    target_class = "portal.authentication.SessionTokenAuthentication"
    priority = 1

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            **super().get_security_definition(auto_schema),
            "description": "The session token allauth headless returns from "
            "`POST /_allauth/app/v1/auth/login` (`meta.session_token`). Send it on every "
            "request; `DELETE /_allauth/app/v1/auth/session` ends it.",
        }
