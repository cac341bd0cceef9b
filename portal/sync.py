"""Incremental sync, shared by every list of a learner's own data (docs/api.md, "Incremental
sync"): `?updated_since=` keeps the rows changed at or after that time, `deleted` lists the rows
deleted since (tombstones, `portal.models.Tombstone`), and `synced_at` is the time to pass next.

The apps' list views call `sync_list` with their read (a QuerySet of the learner's rows for an
`updated_since`), their item serializer and their tombstone kind; the schema pieces
(`SYNC_PARAMETERS`, `sync_page`, `sync_list_responses`) document the same shape everywhere.

Kept out of portal/api.py, which DRF's settings import early (see portal/schema.py).
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .api import PROBLEM_CONTENT_TYPE, PageNumberPagination, validated
from .models import Tombstone
from .queries import tombstone_list
from .schema import ProblemSerializer


class SyncQuery(serializers.Serializer):
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only rows changed at or after this time (ISO 8601), and `deleted` lists the "
        "rows deleted since. Without it, every row and no deletions.",
    )


class TombstoneOut(serializers.ModelSerializer):
    id = serializers.CharField(source="object_id", help_text="The id the deleted row had.")

    class Meta:
        model = Tombstone
        fields = ["kind", "id", "deleted_at"]


def sync_page(
    name: str, item: type[serializers.Serializer], **extra: serializers.Field
) -> type[serializers.Serializer]:
    """The schema of a page of a sync list: the page-number envelope, the changed rows, the
    deletions and `synced_at` (with `extra` fields a list adds)."""
    fields = {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
        **extra,
        "deleted": TombstoneOut(
            many=True,
            help_text="Rows deleted at or after `updated_since` (empty without it); the same "
            "on every page. Apply them before `results`.",
        ),
        "synced_at": serializers.DateTimeField(
            help_text="When this answer was read: pass it as `updated_since` next time."
        ),
    }
    return type(name, (serializers.Serializer,), fields)


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="A page number (from 1)."),
    OpenApiParameter("page_size", int, description="Rows per page, default 20, at most 100."),
]
SYNC_PARAMETERS = [
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Only rows changed at or after this time, with the deletions since under "
        "`deleted`. Pass the `synced_at` of the previous answer.",
    ),
    *PAGE_PARAMETERS,
]
BAD_QUERY = OpenApiResponse(
    ProblemSerializer, description="A malformed `updated_since` (errors name it)."
)
NO_PAGE = OpenApiResponse(ProblemSerializer, description="A page number past the last page.")


SYNCED_AT_EXAMPLE = "2026-11-24T18:30:00Z"


def sync_example(
    name: str, item: dict, deleted: Sequence[dict] = (), **extra: Any
) -> OpenApiExample:
    """A response example of a sync list: one changed row, the deletions, `synced_at`."""
    value = {
        "count": 1, "next": None, "previous": None, "results": [item], **extra,
        "deleted": list(deleted), "synced_at": SYNCED_AT_EXAMPLE,
    }  # fmt: skip
    return OpenApiExample(name, value=value, response_only=True, status_codes=["200"])


def sync_list_responses(page: type[serializers.Serializer]) -> dict:
    """The responses of a sync list for `extend_schema`: the page, and its 400 and 404."""
    return {
        200: page,
        (400, PROBLEM_CONTENT_TYPE): BAD_QUERY,
        (404, PROBLEM_CONTENT_TYPE): NO_PAGE,
    }


def sync_list(
    request: Request,
    read: Callable[[datetime | None], QuerySet],
    item: type[serializers.Serializer],
    kind: str | None,
    *,
    query: type[serializers.Serializer] = SyncQuery,
    prepare: Callable[[list], object] | None = None,
    context: dict[str, Any] | None = None,
    extra: Callable[[datetime | None], dict[str, Any]] | None = None,
) -> Response:
    """A page of `read(updated_since)` shaped by `item`, with the learner's tombstones of `kind`
    (None: the learner never deletes these rows, so `deleted` is always empty).

    `query` validates the query string (a SyncQuery, possibly with a list's own filters): a
    malformed `updated_since` is a 400 problem naming it. `prepare` sees the page's rows before
    they are shaped (to load what they show in one query); `extra(updated_since)` adds keys.
    """
    params = validated(query, request.query_params)
    since = params.get("updated_since")
    synced_at = timezone.now()  # read before the rows: a later change is in the next sync
    paginator = PageNumberPagination()
    rows = paginator.paginate_queryset(read(since), request)
    if prepare is not None:
        prepare(rows)
    shaped = item(rows, many=True, context={"request": request, **(context or {})})
    response = paginator.get_paginated_response(shaped.data)
    if extra is not None:
        response.data.update(extra(since))
    deleted = tombstone_list(user=request.user, kind=kind, since=since)
    response.data["deleted"] = TombstoneOut(deleted, many=True).data
    response.data["synced_at"] = serializers.DateTimeField().to_representation(synced_at)
    return response
