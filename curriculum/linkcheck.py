"""Link health: does a resource's URL still answer?

One URL is checked with HEAD (GET when the server refuses HEAD), following a bounded number of
redirects, with a timeout on every request and retries with exponential backoff on failures that
may pass (timeouts, connection errors, 5xx, 429). A batch is checked by a bounded thread pool.
Standard library only; the verdicts are recorded by `services.resource_links_check`.

Settings (all optional): LINK_CHECK_TIMEOUT (seconds per request, 10), LINK_CHECK_RETRIES
(retries after the first try, 2), LINK_CHECK_CONCURRENCY (requests in flight, 8).
"""

import http.client
import ssl
import time
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.error import URLError
from urllib.parse import urljoin, urlsplit

from django.conf import settings

USER_AGENT = "LearningPortalLinkChecker/1.0 (+checks the links of the Learning Portal curriculum)"
SCHEMES = {"http", "https"}
HEAD_REFUSED = {405, 501}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
BACKOFF_SECONDS = 1.0
ERROR_LENGTH = 300  # Resource.link_error


@dataclass(frozen=True)
class LinkCheckOptions:
    timeout: float = 10.0
    retries: int = 2
    backoff: float = BACKOFF_SECONDS  # first retry waits this long, then twice as long each time
    max_redirects: int = MAX_REDIRECTS
    concurrency: int = 8
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    @classmethod
    def from_settings(cls, **overrides: object) -> "LinkCheckOptions":
        values = {
            "timeout": float(getattr(settings, "LINK_CHECK_TIMEOUT", 10)),
            "retries": int(getattr(settings, "LINK_CHECK_RETRIES", 2)),
            "concurrency": int(getattr(settings, "LINK_CHECK_CONCURRENCY", 8)),
        }
        return cls(**{**values, **overrides})


@dataclass(frozen=True)
class LinkVerdict:
    url: str
    ok: bool
    http_status: int | None = None
    error: str = ""


class LinkError(Exception):
    """A failure no retry will fix (a redirect loop, a redirect to another scheme)."""


class _EveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back every answer as it is: redirects and error statuses are judged here."""

    def http_response(self, request, response):  # noqa: ANN001, ANN201
        return response

    https_response = http_response


_opener = urllib.request.build_opener(_EveryResponse)


def is_checkable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in SCHEMES and bool(parts.netloc)


def check_urls(
    urls: Iterable[str], options: LinkCheckOptions | None = None
) -> dict[str, LinkVerdict]:
    """Check each distinct URL once, at most `options.concurrency` at a time."""
    options = options or LinkCheckOptions.from_settings()
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    workers = max(1, min(options.concurrency, len(unique)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
        verdicts = pool.map(lambda url: check_url(url, options), unique)
        return dict(zip(unique, verdicts, strict=True))


def check_url(url: str, options: LinkCheckOptions | None = None) -> LinkVerdict:
    """Ok for a 2xx/3xx final answer; broken for 4xx, for 5xx/429/timeouts/connection errors
    that outlast the retries, and for URLs that are not http(s)."""
    options = options or LinkCheckOptions.from_settings()
    if not is_checkable(url):
        return LinkVerdict(url, ok=False, error="Not an http(s) URL.")
    for attempt in range(options.retries + 1):
        if attempt:
            options.sleep(options.backoff * 2 ** (attempt - 1))
        verdict, may_pass = _try(url, options)
        if not may_pass:
            break
    return verdict


def _try(url: str, options: LinkCheckOptions) -> tuple[LinkVerdict, bool]:
    """One attempt: the verdict, and whether a later attempt might change it."""
    try:
        status = _status(url, "HEAD", options)
        if status in HEAD_REFUSED:
            status = _status(url, "GET", options)
    except LinkError as error:
        return LinkVerdict(url, ok=False, error=_short(str(error))), False
    except (OSError, http.client.HTTPException, ValueError) as error:
        return LinkVerdict(url, ok=False, error=_describe(error, options)), _transient(error)
    if status < 400:
        return LinkVerdict(url, ok=True, http_status=status), False
    transient = status == 429 or status >= 500
    return LinkVerdict(url, ok=False, http_status=status, error=f"HTTP {status}"), transient


def _status(url: str, method: str, options: LinkCheckOptions) -> int:
    """The status of the final answer, following at most `max_redirects` redirects."""
    for _ in range(options.max_redirects + 1):
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": options.user_agent, "Accept": "*/*"}
        )
        with _opener.open(request, timeout=options.timeout) as response:
            status, location = response.status, response.headers.get("Location")
        if status not in REDIRECTS or not location:
            return status
        url = urljoin(url, location.strip())
        if not is_checkable(url):
            raise LinkError(f"Redirected to a URL that is not http(s): {url}")
    raise LinkError(f"More than {options.max_redirects} redirects.")


def _reason(error: BaseException) -> BaseException:
    """urllib wraps connection failures in URLError; the cause is what tells them apart."""
    if isinstance(error, URLError) and isinstance(error.reason, BaseException):
        return error.reason
    return error


def _transient(error: BaseException) -> bool:
    """Timeouts and connection errors may pass; certificate errors and bad URLs will not."""
    reason = _reason(error)
    return not isinstance(reason, ssl.SSLCertVerificationError | ValueError)


def _describe(error: BaseException, options: LinkCheckOptions) -> str:
    reason = _reason(error)
    if isinstance(reason, TimeoutError):
        return f"Timed out after {options.timeout:g} s."
    if isinstance(reason, ConnectionRefusedError):
        return "Connection refused."
    return _short(f"{type(reason).__name__}: {reason}")


def _short(text: str) -> str:
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"
