"""Template tags through which the curriculum pages show the learner's progress (the curriculum
app's Python never imports progress; its templates leave two hooks that `{% load progress_tags %}`):

- `{% learner_progress scope %}` at the top of a roadmap, phase or topic page: the learner's bar
  and controls for the page's scope, after loading their statuses of every topic on the page in
  one query and keeping them on the request;
- `{% topic_status topic %}` once per topic in a list: the badge and status control, read from
  the statuses the page loaded (never a query per topic).

On a topic page the panel also flags a topic the learner marked done whose linked practice
questions they keep missing (under 50% right over their last 5 answers; one query, only when the
topic is done).

Visitors get a prompt to log in instead, and no queries.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django import template
from django.forms import BoundField
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from curriculum.models import Phase, Topic, Track

from .. import charts, queries
from ..forms import NoteForm, StatusForm, StudyLogForm
from ..models import TopicStatus, TrackFollow

register = template.Library()

STATUSES_ON_REQUEST = "_progress_statuses"
NOT_STARTED = TopicStatus.Status.NOT_STARTED
STATUS_LABELS = dict(TopicStatus.Status.choices)


def _request(context: template.Context) -> HttpRequest | None:
    return context.get("request")


def _learner(request: HttpRequest | None) -> object | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _remember(request: HttpRequest, topics: list[Topic]) -> dict[int, str]:
    """The learner's statuses of the page's topics, loaded once and kept on the request for
    every `topic_status` on the page."""
    statuses = queries.statuses_for_topics(
        user=request.user, topic_ids=[topic.pk for topic in topics]
    )
    setattr(request, STATUSES_ON_REQUEST, statuses)
    return statuses


def _page_statuses(request: HttpRequest) -> dict[int, str]:
    """The statuses the page loaded; on a page without the page-level hook (a certification or
    skill page lists topics of any track), all of the learner's statuses, in one query."""
    statuses = getattr(request, STATUSES_ON_REQUEST, None)
    if statuses is None:
        rows = queries.status_list(user=request.user).values_list("topic_id", "status")
        statuses = dict(rows)
        setattr(request, STATUSES_ON_REQUEST, statuses)
    return statuses


def _follow(request: HttpRequest, track: Track) -> TrackFollow | None:
    follows = queries.followed(user=request.user)
    return next((follow for follow in follows if follow.track_id == track.pk), None)


@dataclass(frozen=True)
class Bar:
    """A progress bar of the page: what it measures and its figures."""

    key: str  # "track-<id>" / "phase-<id>": unique on the page, for progress.js to refresh
    label: str
    progress: queries.Progress
    sub: bool = False  # a sub-phase, listed under its phase


def _track_panel(request: HttpRequest, track: Track, context: template.Context) -> dict:
    roadmap = context.get("roadmap")
    nodes = roadmap.phases if roadmap is not None else []
    _remember(request, roadmap.topics if roadmap is not None else [])
    progress = queries.track_progress(user=request.user, tracks=[track])[track.pk]
    phases = [phase for node in nodes for phase in (node.phase, *(c.phase for c in node.children))]
    by_phase = queries.phase_progress(user=request.user, phases=phases)
    return {
        "bar": Bar(f"track-{track.pk}", f"Your progress on {track.title}", progress),
        "phase_bars": [
            Bar(
                f"phase-{phase.pk}",
                phase.title,
                by_phase[phase.pk],
                sub=phase.parent_id is not None,
            )
            for phase in phases
        ],
        "track": track,
        "follow": _follow(request, track),
    }


def _phase_panel(request: HttpRequest, phase: Phase, context: template.Context) -> dict:
    outline = context.get("outline")
    children = outline.children if outline is not None else []
    _remember(request, outline.all_topics if outline is not None else [])
    phases = [phase, *(child.phase for child in children)]
    by_phase = queries.phase_progress(user=request.user, phases=phases)
    return {
        "bar": Bar(f"phase-{phase.pk}", f"Your progress on {phase.title}", by_phase[phase.pk]),
        "phase_bars": [
            Bar(f"phase-{child.phase.pk}", child.phase.title, by_phase[child.phase.pk])
            for child in children
        ],
        "track": phase.track,
        "follow": _follow(request, phase.track),
    }


def _resources(context: template.Context) -> list:
    page = context.get("page")
    groups = getattr(page, "resource_groups", None) or []
    return [resource for group in groups for resource in group.resources]


def _topic_panel(request: HttpRequest, topic: Topic, context: template.Context) -> dict:
    user = request.user
    track = topic.phase.track
    status = _remember(request, [topic]).get(topic.pk, NOT_STARTED)
    resources = _resources(context)
    done = queries.resources_done(user=user, resource_ids=[resource.pk for resource in resources])
    note = queries.note_for(user=user, topic=topic)
    today = user.local_today()
    return {
        "bar": Bar(
            f"track-{track.pk}",
            f"Your progress on {track.title}",
            queries.track_progress(user=user, tracks=[track])[track.pk],
        ),
        "track": track,
        "follow": _follow(request, track),
        "status": status,
        "status_label": STATUS_LABELS[status],
        "status_form": StatusForm(initial={"status": status}, auto_id="topic_%s"),
        "resources": [(resource, resource.pk in done) for resource in resources],
        "note": note,
        "struggle": queries.topic_struggle(user=user, topic=topic, status=status),
        "note_form": NoteForm(initial={"body": note.body if note else ""}, auto_id="note_%s"),
        "log_form": StudyLogForm(initial={"day": today}, today=today, auto_id="log_%s"),
    }


@register.inclusion_tag("progress/tags/learner_progress.html", takes_context=True)
def learner_progress(context: template.Context, scope: Track | Phase | Topic) -> dict:
    """The learner's panel for the page's `scope` (a Track, Phase or Topic)."""
    request = _request(context)
    base = {
        "scope": scope,
        "csrf_token": context.get("csrf_token"),
        "here": request.get_full_path() if request else "",
    }
    if _learner(request) is None:
        login = reverse("account_login")
        return {**base, "anonymous": True, "login_url": f"{login}?next={quote(base['here'])}"}
    if isinstance(scope, Track):
        panel = _track_panel(request, scope, context)
    elif isinstance(scope, Phase):
        panel = _phase_panel(request, scope, context)
    elif isinstance(scope, Topic):
        panel = _topic_panel(request, scope, context)
    else:
        return {**base, "anonymous": False, "unknown": True}
    return {**base, **panel, "kind": type(scope).__name__.lower()}


# One topic's status control: written here rather than as an inclusion template because a
# roadmap repeats it for every topic (hundreds), where a template per row was most of the page's
# time. Every value is escaped; the markup is that of the form progress.js enhances.
STATUS_FORM = (
    '<form class="topic-status inline-form" id="status-{slug}" method="post" action="{action}" '
    'data-progress-status="{slug}" data-title="{title}">{csrf}'
    '<input type="hidden" name="next" value="{here}#status-{slug}">\n'
    '        <span class="pill status-badge status-{status}" data-status-badge '
    'aria-hidden="true">{label}</span>\n'
    '        <label class="visually-hidden" for="status-{slug}-select">Status of {title}</label>\n'
    '        <select id="status-{slug}-select" name="status">{options}</select>\n'
    '        <button type="submit" class="small secondary enhanced-hide">Save'
    '<span class="visually-hidden"> status of {title}</span></button>\n'
    "      </form>\n"
)
SLUG_MARK = "topic-slug-here"


@dataclass(frozen=True)
class _StatusFormParts:
    """What every status form of a page shares, made once per request."""

    action: str  # the form's URL with SLUG_MARK for the topic's slug
    csrf: str
    here: str


def _status_form_parts(context: template.Context, request: HttpRequest) -> _StatusFormParts:
    parts = getattr(request, "_progress_status_form", None)
    if parts is None:
        token = context.get("csrf_token")
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        action = reverse("progress:topic-status", args=[SLUG_MARK])
        parts = _StatusFormParts(escape(action), csrf, escape(request.get_full_path()))
        request._progress_status_form = parts
    return parts


@register.simple_tag(takes_context=True)
def topic_status(context: template.Context, topic: Topic) -> SafeString:
    """The learner's status badge and control for one topic of a list (nothing for visitors)."""
    request = _request(context)
    if _learner(request) is None:
        return mark_safe("")
    status = _page_statuses(request).get(topic.pk, NOT_STARTED)
    parts = _status_form_parts(context, request)
    slug = escape(topic.slug)
    options = "".join(
        f'<option value="{value}"{" selected" if value == status else ""}>{escape(label)}</option>'
        for value, label in TopicStatus.Status.choices
    )
    return mark_safe(  # every value is escaped above or here
        STATUS_FORM.format(
            slug=slug, action=parts.action.replace(SLUG_MARK, slug), title=escape(topic.title),
            csrf=parts.csrf, here=parts.here, status=escape(status),
            label=escape(STATUS_LABELS[status]), options=options,
        )
    )  # fmt: skip


@register.simple_tag
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def hours(minutes: int) -> str:
    """Minutes as hours with at most one decimal: 90 -> '1.5'."""
    return charts.hours_text(int(minutes or 0))


@register.filter
def duration(minutes: int) -> str:
    """Minutes for people: '45 minutes', '1 h 30 min'."""
    return charts.minutes_text(int(minutes or 0))


@register.filter
def gap(later: date | None, earlier: date | None) -> str:
    """The time between two days, in weeks once it is two weeks or more: '5 days', '3 weeks'."""
    if later is None or earlier is None:
        return ""
    days = abs((later - earlier).days)
    if days >= 14:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    return f"{days} day{'s' if days != 1 else ''}"


@register.simple_tag
def plain_select(field: BoundField) -> SafeString:
    """A plain choice field's <select>, as Django's Select widget draws it but without a template
    per option: the study-log form offers every topic of the followed tracks (hundreds), whose
    widget rendering was a quarter of the dashboard's time."""
    value = str(field.value() or "")
    options = "".join(
        f'<option value="{escape(key)}"{" selected" if str(key) == value else ""}>'
        f"{escape(label)}</option>"
        for key, label in field.field.choices
    )
    select = f'<select name="{escape(field.html_name)}" id="{escape(field.id_for_label)}">'
    return mark_safe(f"{select}{options}</select>")  # every value above is escaped
