"""ETags and `If-None-Match` for the public catalogue (curriculum and exams, lists and details).

A response's tag is a hash of the content stamp (curriculum.queries.content_stamp, renewed by
curriculum.services.content_stamp_bump, which every writer of what these endpoints show calls:
imports, link checks, the admins), the absolute URL with its query string, the media type and,
for views whose answer also depends on something else (an exam's lifecycle on today's date),
`etag_extra()`. So it is computed before the view reads anything: a request whose
`If-None-Match` names the current tag is answered `304 Not Modified` after authentication and
throttling, without running the response's queries (one cache read, the stamp).

Tags are weak (`W/"..."`): they name the content, not the bytes. Responses carry
`Cache-Control: no-cache` so clients and caches may keep them but revalidate before each use.
"""

from hashlib import sha256

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.request import Request
from rest_framework.response import Response

from .. import queries

CACHE_CONTROL = {"no_cache": True}  # keep, but revalidate with If-None-Match before each use

PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        location=OpenApiParameter.HEADER,
        description="ETags from earlier answers of this URL (a list, weak or strong, or `*`): "
        "when one is current the answer is `304 Not Modified` without a body.",
    ),
    OpenApiParameter(
        "ETag",
        location=OpenApiParameter.HEADER,
        response=[200, 304],
        description="The answer's weak tag; it changes with any change to what this URL shows "
        "(an import, an admin edit, a link check). Send it back in `If-None-Match`.",
    ),
    OpenApiParameter(
        "Cache-Control",
        location=OpenApiParameter.HEADER,
        response=[200, 304],
        description="`no-cache`: a client may keep the answer but revalidates it before use.",
    ),
]
NOT_MODIFIED = OpenApiResponse(
    description="Not Modified: the `If-None-Match` tag is current; no body, keep your copy."
)


class NotModified(Exception):
    """Raised once the request is authenticated and throttled: answer 304 right away."""


def tag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): `W/"x"` and `"x"` match each other."""
    opaque = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == opaque for tag in parse_etags(header))


class ConditionalMixin:
    """For read-only API views of catalogue content: ETag, If-None-Match -> 304, no-cache.

    Only 200 answers (and the 304s standing in for them) carry the tag; redirects and problems
    do not."""

    etag: str | None = None

    def etag_extra(self) -> list[str]:
        """What else, beyond the content and the URL, the answer depends on."""
        return []

    def initial(self, request: Request, *args: object, **kwargs: object) -> None:
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return
        self.content_stamp = queries.content_stamp()
        parts = [self.content_stamp, request.build_absolute_uri(), request.accepted_media_type]
        digest = sha256("\n".join([*parts, *self.etag_extra()]).encode()).hexdigest()
        self.etag = f'W/"{digest[:32]}"'
        if tag_matches(request.headers.get("If-None-Match", ""), self.etag):
            raise NotModified

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, NotModified):
            return Response(status=304)
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: object, **kwargs: object
    ) -> Response:
        if self.etag and response.status_code == 200 and self._matches_any(request):
            response = Response(status=304)  # `*`: any current answer (known only after the read)
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.etag and response.status_code in (200, 304):
            response["ETag"] = self.etag
            patch_cache_control(response, **CACHE_CONTROL)
            patch_vary_headers(response, ["Accept"])
        return response

    @staticmethod
    def _matches_any(request: Request) -> bool:
        return parse_etags(request.headers.get("If-None-Match", "")) == ["*"]
