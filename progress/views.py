"""The learner's progress pages and the plain-form endpoints behind every progress control.

Each control on a page (a topic's status, a resource checkbox, the note, following a track, the
target date, the study log, the settings) is a form posting here; static/js/progress.js sends the
same fields to the JSON API instead when JavaScript runs. A POST that works redirects back (to a
safe `next`) with a message; bad input shows the form again with its field errors. Reads come
from `progress.queries`, writes go through `progress.services`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from curriculum import queries as curriculum_queries
from curriculum.models import Resource, Topic, Track
from quizzes import services as quizzes_services

from . import charts, queries, reminders, services
from .forms import (
    ExamDateForm,
    NoteForm,
    PublicProfileForm,
    ReminderForm,
    ResourceDoneForm,
    StatusForm,
    StudyLogForm,
    TargetDateForm,
    WeeklyGoalForm,
)
from .services import ProgressError
from .templatetags.progress_tags import Bar

LOG_PAGE_SIZE = 20
INVALID = 400  # bad input: the form again, with its errors
FIELD_ALIASES = {"weekly_goal_minutes": "hours"}  # service field -> form field


# --- helpers ------------------------------------------------------------------------------------


def _posted(request: HttpRequest) -> object:
    """The submitted data of a POST (even an empty one: an unchecked box sends nothing), else
    None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _next_url(request: HttpRequest) -> str | None:
    """The page to return to, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(_next_url(request) or fallback)


def _form_error(form: object, error: ProgressError) -> None:
    """A service's refusal shown on the field it names (or the whole form)."""
    field = FIELD_ALIASES.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _track(slug: str) -> Track:
    track = curriculum_queries.track_by_slug(slug)
    if track is None:
        raise Http404("No such learning path.")
    return track


def _topic(slug: str) -> Topic:
    topic = queries.visible_topic(slug=slug)
    if topic is None:
        raise Http404("No such topic.")
    return topic


def _resource(pk: int) -> Resource:
    resource = queries.visible_topic_resource(resource_id=pk)
    if resource is None:
        raise Http404("No such resource.")
    return resource


def _action_page(
    request: HttpRequest, form: object, *, title: str, action: str, subject: object, back: str
) -> HttpResponse:
    """One control on a page of its own: shown for GET, and with its errors after a bad POST."""
    context = {
        "form": form,
        "title": title,
        "action": action,
        "subject": subject,
        "back": _next_url(request) or back,
        "breadcrumbs": _crumbs(_dashboard_crumb(), (title, request.path)),
    }
    status = INVALID if request.method == "POST" else 200
    return render(request, "progress/action.html", context, status=status)


# --- dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackCard:
    """A followed track on the dashboard with its bar and its chart."""

    summary: queries.TrackSummary
    bar: Bar
    chart: str
    chart_text: str


def _track_card(summary: queries.TrackSummary) -> TrackCard:
    track = summary.track
    over_time = charts.progress_summary(summary.over_time)
    return TrackCard(
        summary=summary,
        bar=Bar(f"track-{track.pk}", f"Your progress on {track.title}", summary.progress),
        chart=charts.progress_svg(
            summary.over_time,
            title=f"Progress over time on {track.title}",
            chart_id=f"over-time-{track.pk}",
        ),
        chart_text=over_time.text if over_time else "",
    )


def _dashboard_crumb() -> tuple[str, str]:
    return ("Dashboard", reverse("progress:dashboard"))


def _crumbs(*trail: tuple[str, str]) -> list[dict]:
    return [{"label": "Home", "url": reverse("home")}] + [
        {"label": label, "url": url} for label, url in trail
    ]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    today = request.user.local_today()
    board = queries.dashboard(user=request.user, today=today)
    topics = queries.log_topics(tracks=[summary.track for summary in board.tracks])
    context = {
        "board": board,
        "tracks": [_track_card(summary) for summary in board.tracks],
        "tomorrow": today + timedelta(days=1),
        "activity_today": bool(board.heatmap and board.heatmap[-1][1]),
        "heatmap": charts.heatmap_svg(board.heatmap, chart_id="activity"),
        "activity": charts.activity_summary(board.heatmap),
        "months": charts.month_totals(board.heatmap),
        "log_form": StudyLogForm(initial={"day": today}, today=today, topics=topics),
        "learning": queries.learning_panels(user=request.user, now=timezone.now()),
        "breadcrumbs": _crumbs(_dashboard_crumb()),
    }
    return render(request, "progress/dashboard.html", context)


# --- exam dates ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exam_date(request: HttpRequest) -> HttpResponse:
    form = ExamDateForm(_posted(request), initial={"exam": request.GET.get("exam")})
    if request.method == "POST" and form.is_valid():
        exam, day = form.cleaned_data["exam"], form.cleaned_data["day"]
        try:
            quizzes_services.exam_date_set(user=request.user, exam=exam, day=day)
        except quizzes_services.AttemptError as error:
            form.add_error("day" if error.field == "day" else None, error.message)
        else:
            text = (
                f"{exam.code} on {day.day} {day:%B %Y}." if day else f"{exam.code}: date cleared."
            )
            messages.success(request, f"Exam date saved: {text}" if day else text)
            return _back(request, reverse("progress:dashboard"))
    return _action_page(
        request,
        form,
        title="Your exam date",
        action=reverse("progress:exam-date"),
        subject=None,
        back=reverse("progress:dashboard"),
    )


# --- following, targets -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def track_follow(request: HttpRequest, track: str) -> HttpResponse:
    found = _track(track)
    if request.method == "POST":
        services.track_follow(user=request.user, track=found)
        messages.success(request, f"You follow {found.title}.")
        return _back(request, found.get_absolute_url())
    return _confirm_page(request, found, follow=True)


@login_required
@require_http_methods(["GET", "POST"])
def track_unfollow(request: HttpRequest, track: str) -> HttpResponse:
    found = _track(track)
    if request.method == "POST":
        services.track_unfollow(user=request.user, track=found)
        messages.success(request, f"You no longer follow {found.title}; your statuses are kept.")
        return _back(request, reverse("progress:dashboard"))
    return _confirm_page(request, found, follow=False)


def _confirm_page(request: HttpRequest, track: Track, *, follow: bool) -> HttpResponse:
    context = {
        "track": track,
        "follow": follow,
        "back": _next_url(request) or track.get_absolute_url(),
        "breadcrumbs": _crumbs(_dashboard_crumb(), (track.title, request.path)),
    }
    return render(request, "progress/follow.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def target_date(request: HttpRequest, track: str) -> HttpResponse:
    found = _track(track)
    today = request.user.local_today()
    form = TargetDateForm(_posted(request), today=today)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target_date"]
        try:
            services.target_set(user=request.user, track=found, target_date=target)
        except ProgressError as error:
            _form_error(form, error)
        else:
            day = f"{target.day} {target:%B %Y}" if target else None
            messages.success(
                request,
                f"Target for {found.title}: {day}." if day else "Target date cleared.",
            )
            return _back(request, reverse("progress:dashboard"))
    return _action_page(
        request,
        form,
        title=f"Target date for {found.title}",
        action=reverse("progress:target-date", args=[found.slug]),
        subject=found,
        back=reverse("progress:dashboard"),
    )


# --- topics and resources -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def topic_status(request: HttpRequest, topic: str) -> HttpResponse:
    found = _topic(topic)
    current = queries.statuses_for_topics(user=request.user, topic_ids=[found.pk])
    form = StatusForm(_posted(request), initial={"status": current.get(found.pk, "not_started")})
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        try:
            services.status_set(user=request.user, topic=found, status=status)
        except ProgressError as error:
            _form_error(form, error)
        else:
            label = dict(form.fields["status"].choices)[status]
            messages.success(request, f"{found.title}: {label.lower()}.")
            return _back(request, found.get_absolute_url())
    return _action_page(
        request,
        form,
        title=f"Status of {found.title}",
        action=reverse("progress:topic-status", args=[found.slug]),
        subject=found,
        back=found.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_done(request: HttpRequest, resource: int) -> HttpResponse:
    found = _resource(resource)
    form = ResourceDoneForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        done = form.cleaned_data["done"]
        try:
            services.resource_done_set(user=request.user, resource=found, done=done)
        except ProgressError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{found.title}: {'done' if done else 'not done'}.")
            return _back(request, found.topic.get_absolute_url())
    return _action_page(
        request,
        form,
        title=f"Mark {found.title}",
        action=reverse("progress:resource-done", args=[found.pk]),
        subject=found,
        back=found.topic.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_save(request: HttpRequest, topic: str) -> HttpResponse:
    found = _topic(topic)
    note = queries.note_for(user=request.user, topic=found)
    form = NoteForm(_posted(request), initial={"body": note.body if note else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.note_save(user=request.user, topic=found, body=form.cleaned_data["body"])
        except ProgressError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Your note is saved.")
            return _back(request, found.get_absolute_url())
    return _action_page(
        request,
        form,
        title=f"Your note on {found.title}",
        action=reverse("progress:note-save", args=[found.slug]),
        subject=found,
        back=found.get_absolute_url(),
    )


@login_required
@require_POST
def note_delete(request: HttpRequest, topic: str) -> HttpResponse:
    found = _topic(topic)
    services.note_delete(user=request.user, topic=found)
    messages.success(request, "Your note is deleted.")
    return _back(request, found.get_absolute_url())


# --- study log ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def study_log(request: HttpRequest) -> HttpResponse:
    today = request.user.local_today()
    topics = queries.log_topics(
        tracks=[follow.track for follow in queries.followed(user=request.user)]
    )
    form = StudyLogForm(_posted(request), initial={"day": today}, today=today, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_log_add(user=request.user, **form.cleaned_data)
        except ProgressError as error:
            _form_error(form, error)
        else:
            minutes = form.cleaned_data["minutes"]
            messages.success(request, f"Logged {charts.minutes_text(minutes)}.")
            return _back(request, reverse("progress:study-log"))
    entries = Paginator(queries.study_log_list(user=request.user), LOG_PAGE_SIZE)
    page = entries.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "entries": page,
        "here": request.get_full_path(),
        "breadcrumbs": _crumbs(_dashboard_crumb(), ("Study log", reverse("progress:study-log"))),
    }
    status = INVALID if request.method == "POST" else 200
    return render(request, "progress/study_log.html", context, status=status)


def _entry(request: HttpRequest, entry_id: int) -> object:
    """The learner's own entry, or 404 (another learner's entry does not exist for them)."""
    entry = queries.study_log_entry(user=request.user, entry_id=entry_id)
    if entry is None:
        raise Http404("No such study-log entry.")
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def study_log_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    today = request.user.local_today()
    follows = queries.followed(user=request.user)
    topics = queries.log_topics(tracks=[follow.track for follow in follows], also=entry.topic)
    initial = {
        "day": entry.day,
        "minutes": entry.minutes,
        "topic": entry.topic.slug if entry.topic else "",
        "note": entry.note,
    }
    form = StudyLogForm(_posted(request), initial=initial, today=today, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_log_update(user=request.user, entry_id=entry.pk, **form.cleaned_data)
        except ProgressError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The entry is saved.")
            return _back(request, reverse("progress:study-log"))
    status = INVALID if request.method == "POST" else 200
    context = {
        "form": form,
        "entry": entry,
        "back": _next_url(request),
        "breadcrumbs": _crumbs(
            _dashboard_crumb(),
            ("Study log", reverse("progress:study-log")),
            ("Edit entry", request.path),
        ),
    }
    return render(request, "progress/study_log_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def study_log_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id)
    if request.method == "POST":
        services.study_log_delete(user=request.user, entry_id=entry.pk)
        messages.success(request, "The entry is deleted.")
        return _back(request, reverse("progress:study-log"))
    crumbs = _crumbs(
        _dashboard_crumb(),
        ("Study log", reverse("progress:study-log")),
        ("Delete entry", request.path),
    )
    return render(
        request, "progress/study_log_delete.html", {"entry": entry, "breadcrumbs": crumbs}
    )


# --- settings -----------------------------------------------------------------------------------


def _render_settings(
    request: HttpRequest, *, goal_form: object = None, public_form: object = None
) -> HttpResponse:
    current = queries.progress_settings(user=request.user)
    context = {
        "goal_form": goal_form
        or WeeklyGoalForm(initial={"hours": charts.hours_text(current.weekly_goal_minutes)}),
        "public_form": public_form
        or PublicProfileForm(
            initial={"enabled": current.public_profile, "handle": request.user.handle or ""}
        ),
        "public_url": (
            reverse("progress:public", args=[request.user.handle])
            if current.public_profile and request.user.handle
            else None
        ),
        "breadcrumbs": _crumbs(
            _dashboard_crumb(), ("Goal and public page", reverse("progress:settings"))
        ),
    }
    status = INVALID if request.method == "POST" else 200
    return render(request, "progress/settings.html", context, status=status)


@login_required
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    return _render_settings(request)


@login_required
@require_POST
def weekly_goal(request: HttpRequest) -> HttpResponse:
    form = WeeklyGoalForm(request.POST)
    if form.is_valid():
        try:
            services.weekly_goal_set(user=request.user, minutes=form.minutes)
        except ProgressError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Weekly goal: {charts.hours_text(form.minutes)} hours.")
            return _back(request, reverse("progress:settings"))
    return _render_settings(request, goal_form=form)


@login_required
@require_POST
def public_page_settings(request: HttpRequest) -> HttpResponse:
    form = PublicProfileForm(request.POST)
    if form.is_valid():
        enabled, handle = form.cleaned_data["enabled"], form.cleaned_data["handle"]
        try:
            services.public_profile_set(user=request.user, enabled=enabled, handle=handle)
        except ProgressError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, "Your public page is on." if enabled else "Your public page is off."
            )
            return _back(request, reverse("progress:settings"))
    return _render_settings(request, public_form=form)


# --- reminders ----------------------------------------------------------------------------------


def _reminder_initial(pref: object) -> dict:
    return {field: getattr(pref, field) for field in reminders.FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    pref = queries.reminder_preference(user=request.user)
    form = ReminderForm(_posted(request), initial=_reminder_initial(pref))
    if request.method == "POST" and form.is_valid():
        try:
            pref = reminders.reminder_preferences_set(user=request.user, **form.cleaned_data)
        except ProgressError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, "Reminders are on." if pref.enabled else "Your preferences are saved."
            )
            return redirect("progress:reminders")
    context = {
        "form": form,
        "pref": pref,
        "log": queries.reminder_log(user=request.user)[: queries.REMINDER_LOG_SHOWN],
        "timezone": request.user.timezone,
        "breadcrumbs": _crumbs(_dashboard_crumb(), ("Reminders", reverse("progress:reminders"))),
    }
    status = INVALID if request.method == "POST" else 200
    return render(request, "progress/reminders.html", context, status=status)


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST has no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation (so a mail scanner that follows links changes nothing); POST,
    from that page or a mail client's RFC 8058 one-click, unsubscribes. No login needed."""
    target = reminders.unsubscribe_read(token)
    if target is None:
        return render(request, "progress/unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        reminders.unsubscribe(target=target)
    context = {"target": target, "done": done, "digest": target.kind == "digest"}
    return render(request, "progress/unsubscribe.html", context)


# --- export -------------------------------------------------------------------------------------


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    crumbs = _crumbs(_dashboard_crumb(), ("Export your data", reverse("progress:export")))
    return render(request, "progress/export.html", {"breadcrumbs": crumbs})


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    data = queries.export_data(user=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="progress.json"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        queries.export_csv_zip(user=request.user), content_type="application/zip"
    )
    response["Content-Disposition"] = 'attachment; filename="progress-csv.zip"'
    return response


# --- public page --------------------------------------------------------------------------------


@require_GET
def public_profile(request: HttpRequest, handle: str) -> HttpResponse:
    profile = queries.public_profile(handle=handle)
    if profile is None:
        raise Http404("No public progress page here.")
    return render(request, "progress/public.html", {"profile": profile})
