"""The isolation matrix (issue 13): for every route with an object id, a second learner gets 404
and nothing changes; staff-only routes refuse learners.

Every route with a path parameter comes from the URL resolver and must be classified in ROUTES
(the admin site's routes are STAFF as a whole); a new route fails
`test_every_route_with_a_parameter_is_classified` until it is. Then:

- OWNED: learner A owns the object; learner B sends every method the route takes, with a body
  that succeeds for A, to A's id: 404 (problem details under /api/v1/), and every row of A's data
  is the same afterwards. A then sends the same request and it works, so the id was right.
- SHARED: keyed by a slug or code everyone shares (a topic, a track, an exam); "not yours" means
  "you have none": B reads 404 (or their own, empty, state), B's writes change B's rows only.
- PUBLIC: catalogue content the same for everyone (and a learner's opted-in public page).
- STAFF: the admin; a signed-in learner is sent to the admin's login and nothing changes.
- OTHER: with the reason.

The API is called with a real allauth headless app token (X-Session-Token) and with the pages'
session; the pages with a session on a client that enforces CSRF (the token sent, so a refusal
is the view's and not the CSRF check's). One world per module, each test rolled back.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django_celery_beat.models import ClockedSchedule, SolarSchedule

from curriculum.models import Certification, Phase, ShowcaseProject, Skill, SlugRedirect, Topic
from portal.services import tombstone_record
from progress import reminders
from progress import services as progress_services
from tests.factories import TechnologyFactory
from tests.progress.factories import ReminderDeliveryFactory

from .accounts_helpers import PASSWORD, verified_user, with_totp
from .isolation_world import (
    SECRET,
    IsolationWorld,
    build_world,
    now_plus,
    right_choice,
    snapshot,
    snapshots,
)

PROBLEM = "application/problem+json"
APP_LOGIN = "/_allauth/app/v1/auth/login"
CSRF_SECRET = "isolationmatrixcsrfsecret0123456"  # 32 characters, as Django's cookie holds it
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

User = get_user_model()
OWNED, SHARED, PUBLIC, STAFF, OTHER = "owned", "shared", "public", "staff", "other"

# Every route with a path parameter, outside the admin site (whose every route is STAFF: each is
# wrapped in admin_view, and the admin tests below call each one).
ROUTES: dict[str, tuple[str, str]] = {
    # --- the API: the quiz engine, the learner's own attempts
    "api/v1/attempts/<int:attempt_id>/": (OWNED, "an attempt"),
    "api/v1/attempts/<int:attempt_id>/questions/": (OWNED, "an attempt's questions"),
    "api/v1/attempts/<int:attempt_id>/questions/<int:position>/answer/": (OWNED, "an answer"),
    "api/v1/attempts/<int:attempt_id>/questions/<int:position>/flag/": (OWNED, "a flag"),
    "api/v1/attempts/<int:attempt_id>/submit/": (OWNED, "submitting an attempt"),
    # --- the API: learning from practice, keyed by shared question uids and exam codes
    "api/v1/review/<slug:uid>/rate/": (SHARED, "your review card of a question"),
    "api/v1/exam-dates/<str:code>/": (SHARED, "your exam date for an exam"),
    "api/v1/readiness/<str:code>/": (SHARED, "read-only, computed from your own answers"),
    "api/v1/question-notes/<slug:uid>/": (SHARED, "your note on a question"),
    # --- the API: progress
    "api/v1/me/tracks/<slug:slug>/": (SHARED, "your follow of a track"),
    "api/v1/me/resources-done/<int:resource_id>/": (SHARED, "your done mark of a resource"),
    "api/v1/me/notes/<slug:slug>/": (SHARED, "your note on a topic"),
    "api/v1/me/study-log/<int:entry_id>/": (OWNED, "a study-log entry"),
    "api/v1/me/targets/<slug:slug>/": (SHARED, "your target date for a track"),
    # --- the API: the catalogue, read-only and the same for every caller, no learner data in it
    # (drafts and archived rows are never served)
    "api/v1/exams/<str:code>/": (PUBLIC, "the exam catalogue: the same facts for all"),
    "api/v1/tracks/<slug:slug>/": (PUBLIC, "published curriculum, the same for all"),
    "api/v1/phases/<slug:slug>/": (PUBLIC, "published curriculum, the same for all"),
    "api/v1/topics/<slug:slug>/": (PUBLIC, "published curriculum, the same for all"),
    "api/v1/resources/<int:pk>/": (PUBLIC, "published curriculum, the same for all"),
    "api/v1/skills/<slug:slug>/": (PUBLIC, "published curriculum, the same for all"),
    "api/v1/certifications/<slug:slug>/": (PUBLIC, "published curriculum, the same for all"),
    # --- pages: the published curriculum, the same for everyone (drafts: staff only); a
    # signed-in learner also sees their own statuses and note there, never another's
    "tracks/<slug:track>/": (PUBLIC, "curriculum page, with the caller's own statuses"),
    "tracks/<slug:track>/<slug:phase>/": (PUBLIC, "curriculum page, the caller's statuses"),
    "topics/<slug:slug>/": (PUBLIC, "curriculum page, with the caller's own status and note"),
    "certifications/<slug:slug>/": (PUBLIC, "curriculum page"),
    "skills/<slug:slug>/": (PUBLIC, "curriculum page"),
    # --- pages: progress
    "study-log/<int:entry_id>/edit/": (OWNED, "a study-log entry"),
    "study-log/<int:entry_id>/delete/": (OWNED, "a study-log entry"),
    "reminders/unsubscribe/<str:token>/": (OWNED, "a signed token is the credential: forged 400"),
    "progress/tracks/<slug:track>/follow/": (SHARED, "your follow of a track"),
    "progress/tracks/<slug:track>/unfollow/": (SHARED, "your follow of a track"),
    "progress/tracks/<slug:track>/target/": (SHARED, "your target date"),
    "progress/topics/<slug:topic>/status/": (SHARED, "your status of a topic"),
    "progress/topics/<slug:topic>/note/": (SHARED, "your note on a topic"),
    "progress/topics/<slug:topic>/note/delete/": (SHARED, "your note on a topic"),
    "progress/resources/<int:resource>/done/": (SHARED, "your done mark of a resource"),
    "u/<slug:handle>/": (PUBLIC, "a learner's public page: published by them, 404 when off"),
    # --- pages: practice
    "practice/attempts/<int:attempt_id>/": (OWNED, "an attempt"),
    "practice/attempts/<int:attempt_id>/q/<int:position>/": (OWNED, "an answer"),
    "practice/attempts/<int:attempt_id>/q/<int:position>/note/": (OWNED, "a question note"),
    "practice/attempts/<int:attempt_id>/q/<int:position>/report/": (OWNED, "a report"),
    "practice/attempts/<int:attempt_id>/review/": (OWNED, "an attempt's review screen"),
    "practice/attempts/<int:attempt_id>/submit/": (OWNED, "submitting an attempt"),
    "practice/attempts/<int:attempt_id>/results/": (OWNED, "an attempt's results"),
    "practice/<str:code>/": (SHARED, "an exam's page, with the caller's own preparation"),
    "practice/<str:code>/start/": (SHARED, "starts the caller's own attempt"),
    "practice/<str:code>/history/": (SHARED, "the caller's own finished attempts"),
    "practice/<str:code>/exam-date/": (SHARED, "your exam date"),
    # --- allauth's account pages: the key in the link allauth emails is the credential itself
    "accounts/confirm-email/(?P<key>[-:\\w]+)/$": (OTHER, "allauth's emailed key, no object id"),
    "accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        OTHER,
        "allauth's emailed key, no object id",
    ),
}


# --- the resolver --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # as ResolverMatch.route spells it
    name: str  # namespaced
    admin: bool  # inside the admin site
    parameters: bool


def _routes(resolver: URLResolver, prefix: str, namespace: str, admin_site: bool, groups: int):
    for entry in resolver.url_patterns:
        route = URLResolver._join_route(prefix, str(entry.pattern))
        found = groups + entry.pattern.regex.groups
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            inside = admin_site or entry.app_name == "admin"
            yield from _routes(entry, route, inner, inside, found)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            converters = isinstance(entry.pattern, RoutePattern) and entry.pattern.converters
            yield Route(route, name, admin_site, bool(found or converters))


def all_routes() -> list[Route]:
    return list(_routes(get_resolver(), "", "", False, 0))


def route_of(name: str) -> str:
    return next(route.route for route in all_routes() if route.name == name)


# --- callers: learner A (the owner) and learner B, signed in -------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A learner signed in both ways, once per module: an allauth headless app token (the
    mobile apps' login) and a session key (a page login)."""

    token: str
    session: str


def _sign_in(email: str) -> Credentials:
    login = Client().post(
        APP_LOGIN, {"email": email, "password": PASSWORD}, content_type="application/json"
    )
    assert login.status_code == 200, login.content
    pages = Client()
    pages.force_login(User.objects.get(email=email))
    return Credentials(login.json()["meta"]["session_token"], pages.session.session_key)


class Caller:
    """A signed-in learner's fresh client: the API with the app token or the session (with
    CSRF), the pages with the session on a client that enforces CSRF."""

    def __init__(self, credentials: Credentials, auth: str) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers: dict[str, str] = {}
        if auth == "token":
            self.headers["HTTP_X_SESSION_TOKEN"] = credentials.token
        else:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = credentials.session
            self.client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
            self.headers["HTTP_X_CSRFTOKEN"] = CSRF_SECRET

    def __call__(self, method: str, path: str, body: dict | None = None) -> Any:
        if path.startswith("/api/"):
            data = json.dumps(body) if body is not None else ""
            return self.client.generic(
                method, path, data, content_type="application/json", **self.headers
            )
        if method == "GET":
            return self.client.get(path, **self.headers)
        form = {**(body or {}), "csrfmiddlewaretoken": CSRF_SECRET}
        if method == "POST":
            return self.client.post(path, form, **self.headers)
        return self.client.generic(method, path, "", **self.headers)


# --- the world: built once per module, every test rolled back to it ------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[IsolationWorld]:
    """Built in a transaction of its own, rolled back after the module; each test runs in a
    savepoint inside it (pytest-django's `db`), so each sees this world unchanged."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def credentials(world: IsolationWorld, django_db_blocker: Any) -> dict[str, Credentials]:
    with django_db_blocker.unblock():
        return {"A": _sign_in(world.owner_email), "B": _sign_in(world.other_email)}


@pytest.fixture
def caller(credentials: dict[str, Credentials], db: None) -> Callable[[str, str], Caller]:
    def signed_in(who: str, auth: str) -> Caller:
        return Caller(credentials[who], auth)

    return signed_in


# --- the cases: every (route, method) of OWNED and SHARED routes ---------------------------------

W = IsolationWorld


@dataclass(frozen=True)
class Case:
    """One request: `name` and `kwargs` give the path, `body` a body that works for the owner.
    `other`: what B gets: "404"; "own" (B's own rows change, A's do not); "none" (nothing
    changes, a page about B's own state); "400" (a forged credential). `owner`: A's status
    for the same request; `owner_changes`: whether it changes A's rows."""

    name: str
    method: str
    kwargs: Callable[[W], dict]
    body: Callable[[W], dict] | None = None
    other: str = "404"
    owner: int = 200
    owner_changes: bool | None = None
    check: Callable[[Any, W], None] | None = None  # more about B's response

    @property
    def api(self) -> bool:
        return self.name.startswith("api:")

    def path(self, world: W) -> str:
        return reverse(self.name, kwargs=self.kwargs(world))

    def data(self, world: W) -> dict | None:
        return self.body(world) if self.body else None

    @property
    def changes(self) -> bool:
        return self.method != "GET" if self.owner_changes is None else self.owner_changes


def _open(world: W, position: int | None = None) -> dict:
    kwargs = {"attempt_id": world.open_attempt_id}
    return kwargs if position is None else {**kwargs, "position": position}


def _no_readiness(response: Any, world: W) -> None:
    assert response.json()["answered"] == 0


def _context(key: str, expected: object) -> Callable[[Any, W], None]:
    def check(response: Any, world: W) -> None:
        value = response.context[key]
        if isinstance(expected, dict):
            value = {name: value.initial.get(name) for name in expected}
        assert value == expected

    return check


def _attempt_body(world: W) -> dict:
    return {"choices": [right_choice(world.open_attempt_id, 2)]}


def _log_form(world: W) -> dict:
    return {"day": world.today.isoformat(), "minutes": 50, "topic": world.topic, "note": "edit"}


def _token(world: W) -> dict:
    return {"token": reminders.unsubscribe_token(user=world.owner, kind="reminder")}


def _forged(world: W) -> dict:
    """What B can make of an unsubscribe token naming A: B has no key, so it is signed with
    something else (here another salt)."""
    return {"token": signing.dumps({"u": world.owner_id, "k": "reminder"}, salt="forged")}


def _uid(world: W) -> dict:
    return {"uid": world.answered_uid}


def _code(world: W) -> dict:
    return {"code": world.exam}


def _track(world: W) -> dict:
    return {"slug": world.track}


def _topic(world: W) -> dict:
    return {"slug": world.topic}


def _page_track(world: W) -> dict:
    return {"track": world.track}


def _page_topic(world: W) -> dict:
    return {"topic": world.topic}


def _entry(world: W) -> dict:
    return {"entry_id": world.entry_id}


def _resource(world: W) -> dict:
    return {"resource": world.resource_id}


def _in_days(days: int) -> str:
    return now_plus(days).isoformat()


API_CASES = [
    Case("api:attempt-detail", "GET", _open),
    Case("api:attempt-questions", "GET", _open),
    Case("api:attempt-answer", "PUT", lambda w: _open(w, 2), _attempt_body),
    Case("api:attempt-flag", "PUT", lambda w: _open(w, 2), lambda w: {"flagged": True}),
    Case("api:attempt-submit", "POST", _open),
    Case("api:me-study-log-entry", "GET", _entry),
    Case("api:me-study-log-entry", "PATCH", _entry, lambda w: {"minutes": 50, "note": "x"}),
    Case("api:me-study-log-entry", "DELETE", _entry, owner=204),
    Case("api:review-rate", "POST", _uid, lambda w: {"rating": "easy"}),
    Case("api:question-note", "GET", _uid),
    Case("api:question-note", "PUT", _uid, lambda w: {"body": "B writes"}),  # B never answered it
    Case("api:question-note", "DELETE", _uid, owner=204),
    Case("api:exam-date-detail", "GET", _code),
    Case("api:exam-date-detail", "PUT", _code, lambda w: {"day": _in_days(40)}, other="own"),
    Case("api:exam-date-detail", "DELETE", _code, owner=204),
    Case("api:readiness", "GET", _code, other="none", check=_no_readiness),
    Case("api:me-track", "DELETE", _track, owner=204),
    Case("api:me-resource-done", "DELETE", lambda w: {"resource_id": w.resource_id}, owner=204),
    Case("api:me-note", "GET", _topic),
    Case("api:me-note", "PUT", _topic, lambda w: {"body": "B writes"}, other="own"),
    Case("api:me-note", "DELETE", _topic, owner=204),
    Case("api:me-target", "PUT", _track, lambda w: {"target_date": _in_days(120)}, other="own"),
]

PAGE_CASES = [
    Case("progress:study-log-edit", "GET", _entry),
    Case("progress:study-log-edit", "POST", _entry, _log_form, owner=302),
    Case("progress:study-log-delete", "GET", _entry),
    Case("progress:study-log-delete", "POST", _entry, owner=302),
    Case("progress:unsubscribe", "GET", _forged, other="400", owner=200),
    Case("progress:unsubscribe", "POST", _forged, other="400", owner=200),
    Case("progress:track-follow", "GET", _page_track, other="none"),
    Case("progress:track-follow", "POST", _page_track, other="own", owner=302, owner_changes=False),
    Case("progress:track-unfollow", "GET", _page_track, other="none"),
    Case("progress:track-unfollow", "POST", _page_track, other="none", owner=302),
    Case("progress:target-date", "GET", _page_track, other="none"),
    Case(
        "progress:target-date",
        "POST",
        _page_track,
        lambda w: {"target_date": _in_days(150)},
        other="own",
        owner=302,
    ),
    Case(
        "progress:topic-status",
        "GET",
        _page_topic,
        other="none",
        check=_context("form", {"status": "not_started"}),
    ),
    Case(
        "progress:topic-status",
        "POST",
        _page_topic,
        lambda w: {"status": "done"},
        other="own",
        owner=302,
    ),
    Case(
        "progress:note-save",
        "GET",
        _page_topic,
        other="none",
        check=_context("form", {"body": ""}),
    ),
    Case(
        "progress:note-save",
        "POST",
        _page_topic,
        lambda w: {"body": "B writes"},
        other="own",
        owner=302,
    ),
    Case("progress:note-delete", "POST", _page_topic, other="none", owner=302),
    Case("progress:resource-done", "GET", _resource, other="none"),
    Case(
        "progress:resource-done",
        "POST",
        _resource,
        lambda w: {"done": "on"},
        other="own",
        owner=302,
        owner_changes=False,
    ),
    Case("quizzes:attempt", "GET", _open),
    Case(
        "quizzes:question_save",
        "POST",
        lambda w: _open(w, 2),
        lambda w: {**_attempt_body(w), "go": "check"},
        owner=302,
    ),
    Case(
        "quizzes:question_note",
        "POST",
        lambda w: _open(w, 1),
        lambda w: {"body": "B writes", "go": "save"},
        owner=302,
    ),
    Case(
        "quizzes:question_report",
        "POST",
        lambda w: _open(w, 1),
        lambda w: {"reason": "wrong_answer", "text": "B writes"},
        owner=302,
    ),
    Case("quizzes:review", "GET", _open),
    Case("quizzes:submit", "POST", _open, owner=302),
    Case("quizzes:results", "GET", lambda w: {"attempt_id": w.done_attempt_id}),
    Case("quizzes:exam", "GET", _code, other="none", check=_context("exam_date", None)),
    Case("quizzes:start", "GET", _code, other="none", owner=302),
    Case(
        "quizzes:start",
        "POST",
        _code,
        lambda w: {"mode": "practice", "count": 3},
        other="own",
        owner=302,
    ),
    Case("quizzes:history", "GET", _code, other="none", check=_context("attempts", [])),
    Case(
        "quizzes:exam_date",
        "POST",
        _code,
        lambda w: {"day": _in_days(60), "go": "save"},
        other="own",
        owner=302,
    ),
]

CASES = [*API_CASES, *PAGE_CASES]


def _params() -> list:
    params = []
    for case in CASES:
        for auth in ("token", "session") if case.api else ("session",):
            label = f"{case.method} {case.name} {auth}"
            params.append(pytest.param(case, auth, id=label))
    return params


def _refused_as_missing(response: Any, case: Case) -> None:
    assert response.status_code == 404, response.content[:300]
    if case.api:
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == 404


def _leaks(response: Any, world: W, *, public: bool = False) -> list[str]:
    """What of A's shows in B's response: A's texts, A's address, A's handle (which only A's
    public page may show)."""
    body = response.content.decode(errors="replace")
    texts = (SECRET, world.owner_email) if public else (SECRET, world.owner_email, world.handle)
    return [text for text in texts if text in body]


def _owner_succeeds(response: Any, case: Case) -> None:
    assert response.status_code == case.owner, response.content[:300]
    if response.status_code == 302:
        assert "/login" not in response["Location"], response["Location"]


@pytest.mark.parametrize(("case", "auth"), _params())
def test_other_learner_cannot_reach_the_owners_object(
    case: Case, auth: str, world: W, caller: Callable
) -> None:
    other, owner = caller("B", auth), caller("A", auth)
    path, body = case.path(world), case.data(world)
    # With a forged token for B, A follows the real link of their email.
    owner_path = reverse(case.name, kwargs=_token(world)) if case.other == "400" else path
    if case.method == "GET":  # A first: nothing A loads may be served to B from a cache
        _owner_succeeds(owner(case.method, owner_path), case)
    both = world.owner_id, world.other_id
    before = snapshots(*both)

    response = other(case.method, path, body)

    after = snapshots(*both)
    assert _leaks(response, world) == []
    assert after[world.owner_id] == before[world.owner_id]
    if case.other == "404":
        _refused_as_missing(response, case)
    elif case.other == "400":
        assert response.status_code == 400
    else:
        assert 200 <= response.status_code < 400, response.content[:300]
    assert (after[world.other_id] != before[world.other_id]) is (case.other == "own")
    if case.check:
        case.check(response, world)

    response = owner(case.method, owner_path, body)
    _owner_succeeds(response, case)
    assert (snapshot(world.owner_id) != before[world.owner_id]) is case.changes


def _route_methods() -> list:
    """(route name, a case's kwargs, the methods the matrix sends) of every OWNED, SHARED or
    PUBLIC route: any other method must be refused with 405."""
    found: dict[str, tuple[Callable, set[str]]] = {}
    for case in [*CASES, *PUBLIC_CASES]:
        kwargs, methods = found.setdefault(case.name, (case.kwargs, set()))
        methods.add(case.method)
    return [
        pytest.param(name, kwargs, methods, id=name) for name, (kwargs, methods) in found.items()
    ]


# --- PUBLIC: the same for everyone; a learner's data never shows on them -------------------------


def _certification(world: W) -> str:
    return Certification.objects.order_by("pk").values_list("slug", flat=True).first()


def _skill(world: W) -> str:
    return Skill.objects.order_by("pk").values_list("slug", flat=True).first()


def _phase(world: W) -> str:
    return Phase.objects.filter(track__slug=world.track).order_by("pk").first().slug


PUBLIC_CASES = [
    Case("api:exam-detail", "GET", _code),
    Case("api:track-detail", "GET", _track),
    Case("api:phase-detail", "GET", lambda w: {"slug": _phase(w)}),
    Case("api:topic-detail", "GET", _topic),
    Case("api:resource-detail", "GET", lambda w: {"pk": w.resource_id}),
    Case("api:skill-detail", "GET", lambda w: {"slug": _skill(w)}),
    Case("api:certification-detail", "GET", lambda w: {"slug": _certification(w)}),
    Case("curriculum:track", "GET", _page_track),
    Case("curriculum:phase", "GET", lambda w: {"track": w.track, "phase": _phase(w)}),
    Case("curriculum:topic", "GET", _topic),
    Case("curriculum:certification", "GET", lambda w: {"slug": _certification(w)}),
    Case("curriculum:skill", "GET", lambda w: {"slug": _skill(w)}),
    Case("progress:public", "GET", lambda w: {"handle": w.handle}),  # A turned it on
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in PUBLIC_CASES])
def test_public_route_shows_no_other_learners_data(case: Case, world: W, caller: Callable) -> None:
    owner, other = caller("A", "session"), caller("B", "session")
    assert owner("GET", case.path(world)).status_code == 200  # A first, as above
    before = snapshot(world.owner_id)
    response = other("GET", case.path(world))
    assert response.status_code == 200
    assert _leaks(response, world, public=True) == []
    assert snapshot(world.owner_id) == before


def test_the_topic_page_shows_the_owner_their_note(world: W, caller: Callable) -> None:
    """The control for the public pages: A's own note does show to A, so the scan can fail."""
    response = caller("A", "session")("GET", reverse("curriculum:topic", args=[world.topic]))
    assert SECRET in response.content.decode()


def test_public_page_is_there_only_while_turned_on(world: W, caller: Callable) -> None:
    other = caller("B", "session")
    path = reverse("progress:public", args=[world.handle])
    assert other("GET", path).status_code == 200
    progress_services.public_profile_set(user=world.owner, enabled=False, handle=None)
    assert other("GET", path).status_code == 404


DRAFTS = [
    ("curriculum:topic", {"slug": "iso-draft"}),
    ("curriculum:track", {"track": "iso-draft-track"}),
]  # the API never serves drafts, to anyone


@pytest.mark.parametrize(("name", "kwargs"), DRAFTS, ids=[name for name, _ in DRAFTS])
def test_drafts_are_staff_only(name: str, kwargs: dict, world: W, caller: Callable) -> None:
    path = reverse(name, kwargs=kwargs)
    assert caller("B", "session")("GET", path).status_code == 404
    staff = verified_user(username="editor", email="editor@example.com", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(path).status_code == 200


def test_other_learner_cannot_report_a_question_only_the_owner_has_seen(
    world: W, caller: Callable
) -> None:
    """An id in a body, not the path: the question B was never shown is 404 to B."""
    body = {"question": world.answered_uid, "reason": "typo", "text": "B writes"}
    before = snapshots(world.owner_id, world.other_id)
    for auth in ("token", "session"):
        response = caller("B", auth)("POST", reverse("api:question-report-list"), body)
        _refused_as_missing(response, API_CASES[0])
    assert snapshots(world.owner_id, world.other_id) == before
    response = caller("A", "token")("POST", reverse("api:question-report-list"), body)
    assert response.status_code == 201


# --- every method is in the matrix ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs", "methods"), _route_methods())
def test_methods_outside_the_matrix_are_refused(
    name: str, kwargs: Callable, methods: set[str], world: W, caller: Callable
) -> None:
    """So a method added to a route later fails here until the matrix sends it."""
    other = caller("B", "session")
    path = reverse(name, kwargs=kwargs(world))
    before = snapshots(world.owner_id, world.other_id)
    for method in sorted(set(METHODS) - methods):
        assert other(method, path, {}).status_code == 405, f"{method} {path}"
    assert snapshots(world.owner_id, world.other_id) == before


# --- the table covers the resolver ---------------------------------------------------------------


def test_every_route_with_a_parameter_is_classified() -> None:
    with_parameters = {r.route for r in all_routes() if r.parameters and not r.admin}
    assert sorted(with_parameters - set(ROUTES)) == [], "classify these routes in ROUTES"
    assert sorted(set(ROUTES) - with_parameters) == [], "these routes are gone: drop them"


def test_every_classified_route_is_called() -> None:
    called = {route_of(case.name) for case in [*CASES, *PUBLIC_CASES]}
    for route, (kind, reason) in ROUTES.items():
        if kind in (OWNED, SHARED, PUBLIC):
            assert route in called, f"{route} ({kind}: {reason}) has no case"
        assert reason, route
    assert all(kind in (OWNED, SHARED, PUBLIC, STAFF, OTHER) for kind, _ in ROUTES.values())


def test_owned_routes_answer_404_to_the_other_learner() -> None:
    """OWNED means B gets 404 (the unsubscribe link: 400 for a forged token, the credential)."""
    for case in CASES:
        kind = ROUTES[route_of(case.name)][0]
        if kind == OWNED:
            assert case.other in ("404", "400"), case


# --- STAFF: the admin refuses learners -----------------------------------------------------------

ADMIN_OPEN = {  # admin routes a learner may load, and why
    "admin/login/": "the admin's sign-in page: where a learner is sent",
    "admin/logout/": "signs the caller out, nothing else",
}
PARAMETER = re.compile(r"<[^>]+>")
CATCH_ALL = "admin/(?P<url>.*)$"  # any other path under /admin/: 404 for staff


def _registered() -> list[type[models.Model]]:
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def _prefix(model: type[models.Model]) -> str:
    return f"admin/{model._meta.app_label}/{model._meta.model_name}/"


def _admin_routes() -> list[Route]:
    return [route for route in all_routes() if route.admin]


def _model_urls(model: type[models.Model], pk: object) -> list[str]:
    """Every admin URL of one model (changelist, add, change, history, delete, the change
    redirect, and any the ModelAdmin adds), with `pk` for each object id."""
    routes = [route.route for route in _admin_routes() if route.route.startswith(_prefix(model))]
    return ["/" + PARAMETER.sub(str(pk), route) for route in routes]


def _site_urls() -> list[str]:
    """Every other admin URL: the index, each app's list, view-on-site, the catch-all."""
    topic = Topic.objects.order_by("pk").first()
    urls = []
    for route in _admin_routes():
        if route.route in ADMIN_OPEN or any(
            route.route.startswith(_prefix(model)) for model in _registered()
        ):
            continue
        if route.name == "admin:app_list":
            labels = sorted({model._meta.app_label for model in _registered()})
            urls += [reverse("admin:app_list", args=[label]) for label in labels]
        elif route.name == "admin:view_on_site":
            kind = ContentType.objects.get_for_model(Topic)
            urls.append(reverse("admin:view_on_site", args=[kind.pk, topic.pk]))
        elif route.route == CATCH_ALL:
            urls.append("/admin/no-such-page/")
        elif not route.parameters:
            urls.append("/" + route.route)
        else:
            pytest.fail(f"a new admin route {route.route}: build its URL in _site_urls")
    return urls


def _extra_rows(world: W) -> None:
    """A row of each registered model the world and the migrations leave empty, so every
    change page is asked for an object that exists (the staff's TOTP is mfa's row)."""
    TechnologyFactory()
    ReminderDeliveryFactory(user=world.owner)
    ClockedSchedule.objects.create(clocked_time=datetime(2027, 1, 1, tzinfo=UTC))
    SolarSchedule.objects.create(event="sunrise", latitude=52, longitude=13)
    SlugRedirect.objects.create(kind="topic", old_slug="iso-old", new_slug=world.topic)
    ShowcaseProject.objects.create(
        slug="iso-project", title="A project", summary="Shown.", level="beginner"
    )
    tombstone_record(user=world.owner, kind="study_log", object_id=world.entry_id)


@pytest.fixture(scope="module")
def staff_session(credentials: dict, world: W, django_db_blocker: Any) -> str:
    """A superuser with two-factor (the admin asks staff for it), signed in once, to show each
    admin URL is real; and the rows the admin pages need."""
    with django_db_blocker.unblock():
        _extra_rows(world)
        staff = verified_user(
            username="root", email="root@example.com", is_staff=True, is_superuser=True
        )
        with_totp(staff)
        client = Client()
        client.force_login(staff)
        return client.session.session_key


@pytest.fixture
def staff(staff_session: str, db: None) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = staff_session
    return client


def _an_object(model: type[models.Model]) -> models.Model:
    found = model._default_manager.order_by("pk").first()
    assert found is not None, f"{model._meta.label} has no row: add one in _extra_rows"
    return found


def _everything() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in _registered()
    }


def _admin_post(model: type[models.Model], pk: object) -> dict:
    """A changelist action (delete the row) and a change form that renames every text field."""
    texts = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField)]
    return {
        "action": "delete_selected",
        "_selected_action": [str(pk)],
        "post": "yes",
        **dict.fromkeys(texts, "changed by a learner"),
    }


def _refused(response: Any, url: str) -> None:
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login")), (url, response["Location"])
    else:
        assert response.status_code in (403, 404), (url, response.status_code)


@pytest.mark.parametrize("model", _registered(), ids=lambda model: model._meta.label)
def test_admin_of_each_model_refuses_a_learner(
    model: type[models.Model], caller: Callable, staff: Client
) -> None:
    row = _an_object(model)
    urls = _model_urls(model, row.pk)
    assert len(urls) >= 5, urls  # changelist, add, history, delete, change (and its redirect)
    learner = caller("B", "session")
    shown = str(row)
    before = _everything()
    for url in urls:
        for method in ("GET", "POST"):
            response = learner(method, url, _admin_post(model, row.pk))
            _refused(response, url)
            body = response.content.decode(errors="replace")
            assert SECRET not in body
            assert len(shown) < 4 or shown not in body, (url, shown)
    assert _everything() == before
    # Each URL is the model's own view (not the admin's catch-all, which also sends a learner
    # to the login), and staff do open the object's change page.
    assert all(resolve(url).route != CATCH_ALL for url in urls)
    change = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk]
    )
    assert change in urls
    assert staff.get(change).status_code == 200


def test_the_rest_of_the_admin_refuses_a_learner(caller: Callable, staff: Client) -> None:
    learner = caller("B", "session")
    urls = _site_urls()
    before = _everything()
    for url in urls:
        for method in ("GET", "POST"):
            _refused(learner(method, url, {"old_password": PASSWORD}), url)
    assert _everything() == before
    odd = {"/admin/autocomplete/": 403, "/admin/no-such-page/": 404}  # no field named; none
    for url in urls:
        assert staff.get(url).status_code in ((odd[url],) if url in odd else (200, 302)), url


def test_markdown_preview_is_staff_only(caller: Callable, staff: Client) -> None:
    path = reverse("markdown_preview")
    response = caller("B", "session")("POST", path, {"text": "**bold**"})
    assert response.status_code == 403
    assert "html" not in response.json()
    assert staff.post(path, {"text": "**bold**"}).json()["html"] == "<p><strong>bold</strong></p>"


def test_the_web_client_enforces_csrf(world: W, caller: Callable) -> None:
    """The matrix's page client checks CSRF: without the token a write is refused, so the
    matrix's own writes pass the check and each refusal there is the view's."""
    owner = caller("A", "session")
    path = reverse("progress:note-save", args=[world.topic])
    assert owner.client.post(path, {"body": "no token"}).status_code == 403
    assert owner("POST", path, {"body": "with the token"}).status_code == 302
