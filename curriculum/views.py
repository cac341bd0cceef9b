"""The curriculum pages for visitors: tracks, roadmaps, phases, topics, certifications, skills
and search. Reads come from `queries`; unknown and archived slugs answer 404, renamed ones a
permanent redirect; staff may preview drafts."""

from dataclasses import dataclass
from uuid import uuid4

from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from . import queries
from .models import Phase, Track
from .search import search as run_search


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


def _home() -> Crumb:
    return Crumb("Home", reverse("home"))


def _tracks() -> Crumb:
    return Crumb("Learning paths", reverse("curriculum:index"))


def _preview(request: HttpRequest) -> bool:
    """Staff see drafts (with a banner); everyone else gets 404 for them."""
    return request.user.is_staff


def _renamed(kind: str, slug: str) -> str:
    """The new slug of a renamed record, or 404."""
    new_slug = queries.renamed_slug(kind, slug)
    if new_slug is None or new_slug == slug:
        raise Http404(f"No {kind} {slug!r}.")
    return new_slug


@require_GET
def track_list(request: HttpRequest) -> HttpResponse:
    context = {"tracks": queries.track_list(), "breadcrumbs": [_home(), _tracks()]}
    return render(request, "curriculum/track_list.html", context)


@require_GET
def track_detail(request: HttpRequest, track: str) -> HttpResponse:
    if _shareable(request):
        return _shared_track_page(request, track)
    preview = _preview(request)
    found = queries.track_by_slug(track, preview=preview)
    if found is None:
        return redirect("curriculum:track", _renamed("track", track), permanent=True)
    context = _track_context(found, preview=preview)
    return render(request, "curriculum/track_detail.html", context)


def _track_context(found: Track, *, preview: bool, **extra: object) -> dict:
    roadmap = SimpleLazyObject(lambda: queries.roadmap(found, preview=preview))
    crumbs = [_home(), _tracks(), Crumb(found.title, found.get_absolute_url())]
    return {"track": found, "roadmap": roadmap, "breadcrumbs": crumbs, **extra}


# A roadmap page is the same for every visitor, so the whole page is rendered once and kept in
# the cache, under the catalogue's content stamp (queries.content_stamp: renewed by every import,
# admin edit and link check once it commits) and this process's release (a deploy or restart
# renders afresh, so no kept page points at static files or markup that are gone). A shared page
# carries no CSRF token (base.html leaves it out; a visitor's roadmap posts nothing) and is not
# used for a request with messages to show or a query string (the log-in link's `next`).
SHARED_PAGE_SECONDS = 24 * 60 * 60
RELEASE = uuid4().hex


def _shareable(request: HttpRequest) -> bool:
    return (
        not request.user.is_authenticated
        and not request.META.get("QUERY_STRING")
        and len(get_messages(request)) == 0
    )


def _shared_track_page(request: HttpRequest, slug: str) -> HttpResponse:
    def page() -> str | None:
        found = queries.track_by_slug(slug, preview=False)
        if found is None:
            return None
        context = _track_context(found, preview=False, shared_page=True)
        return render_to_string("curriculum/track_detail.html", context, request)

    name = f"page:track:{slug}:{RELEASE}"
    kept = queries.kept_under_stamp(name, page, seconds=SHARED_PAGE_SECONDS)
    if kept is None:
        return redirect("curriculum:track", _renamed("track", slug), permanent=True)
    return HttpResponse(kept)


@require_GET
def phase_detail(request: HttpRequest, track: str, phase: str) -> HttpResponse:
    found = queries.phase_by_slug(phase, preview=_preview(request))
    if found is None:
        found = queries.phase_by_slug(_renamed("phase", phase), preview=_preview(request))
        if found is None:
            raise Http404("The renamed phase is not available.")
    if found.slug != phase or found.track.slug != track:
        return redirect(found.get_absolute_url(), permanent=True)
    outline = queries.phase_outline(found, preview=_preview(request))
    context = {"phase": found, "track": found.track, "outline": outline}
    context["breadcrumbs"] = _phase_crumbs(found)
    return render(request, "curriculum/phase_detail.html", context)


def _phase_crumbs(phase: Phase) -> list[Crumb]:
    trail = [_home(), _tracks(), Crumb(phase.track.title, phase.track.get_absolute_url())]
    if phase.parent is not None:
        phase.parent.track = phase.track
        trail.append(Crumb(phase.parent.title, phase.parent.get_absolute_url()))
    return [*trail, Crumb(phase.title, phase.get_absolute_url())]


@require_GET
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = queries.topic_page(slug, preview=_preview(request))
    if page is None:
        return redirect("curriculum:topic", _renamed("topic", slug), permanent=True)
    topic = page.topic
    crumbs = [*_phase_crumbs(topic.phase), Crumb(topic.title, topic.get_absolute_url())]
    context = {"page": page, "topic": topic, "track": topic.phase.track, "breadcrumbs": crumbs}
    return render(request, "curriculum/topic_detail.html", context)


def _certifications() -> Crumb:
    return Crumb("Certifications", reverse("curriculum:certification-list"))


@require_GET
def certification_list(request: HttpRequest) -> HttpResponse:
    context = {
        "certifications": queries.certification_list(),
        "breadcrumbs": [_home(), _certifications()],
    }
    return render(request, "curriculum/certification_list.html", context)


@require_GET
def certification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = queries.certification_page(slug)
    if page is None:
        return redirect("curriculum:certification", _renamed("certification", slug), permanent=True)
    certification = page.certification
    crumbs = [
        _home(),
        _certifications(),
        Crumb(certification.name, certification.get_absolute_url()),
    ]
    context = {"page": page, "certification": certification, "breadcrumbs": crumbs}
    return render(request, "curriculum/certification_detail.html", context)


def _skills() -> Crumb:
    return Crumb("Skills", reverse("curriculum:skill-list"))


@require_GET
def skill_list(request: HttpRequest) -> HttpResponse:
    context = {"categories": queries.skill_catalogue(), "breadcrumbs": [_home(), _skills()]}
    return render(request, "curriculum/skill_list.html", context)


@require_GET
def skill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = queries.skill_page(slug)
    if page is None:
        return redirect("curriculum:skill", _renamed("skill", slug), permanent=True)
    crumbs = [_home(), _skills(), Crumb(page.skill.name, page.skill.get_absolute_url())]
    context = {"page": page, "skill": page.skill, "breadcrumbs": crumbs}
    return render(request, "curriculum/skill_detail.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    results = run_search(request.GET.get("q", ""))
    crumbs = [_home(), Crumb("Search", reverse("curriculum:search"))]
    context = {"results": results, "searched": "q" in request.GET, "breadcrumbs": crumbs}
    return render(request, "curriculum/search.html", context)
