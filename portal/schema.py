"""OpenAPI schema conventions: every operation documents the problem-details errors it can return.

Kept apart from portal/api.py because drf-spectacular imports DRF's generic views, which read the
pagination class from portal/api.py at import time.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly

from .api import PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every /api/v1/ error is returned."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name -> messages; present on 400 validation errors.",
    )


class ProblemAutoSchema(AutoSchema):
    """Adds the problem-details error responses each operation can return to the schema."""

    def _error_statuses(self) -> list[int]:
        statuses = [429]
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append(400)
        if not self._allows_anonymous():
            statuses += [401, 403]
        if "{" in self.path:
            statuses.append(404)
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
        return responses
