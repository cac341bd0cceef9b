"""The world of the isolation matrix (tests/portal/test_isolation_matrix.py): learner A owns one
of every kind of learner row, built through the services as the app writes them; learner B owns
nothing. Every text A wrote carries SECRET, so a response that shows it to B can be found."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F
from django.utils import timezone

from curriculum.models import Resource, Topic, Track
from progress import reminders
from progress import services as progress
from quizzes import services as quizzes
from quizzes.models import Attempt, Exam
from quizzes.queries import attempt_items
from tests.progress.world import make_world
from tests.quizzes.attempt_fixtures import make_bank

from .accounts_helpers import verified_user

SECRET = "SECRET-of-A"
User = get_user_model()


@dataclass(frozen=True)
class IsolationWorld:
    """Ids and keys only: each test reads fresh rows (a test's changes are rolled back)."""

    owner_id: int
    other_id: int
    owner_email: str
    other_email: str
    handle: str
    track: str  # followed by A, with a target date
    topic: str  # A's status and note
    resource_id: int  # done by A
    entry_id: int  # A's study-log entry
    exam: str  # A's exam date; A's attempts
    open_attempt_id: int  # practice: question 1 answered, 2 and 3 open
    done_attempt_id: int  # practice, submitted
    answered_uid: str  # answered by A: review card, question note, report
    today: date

    @property
    def owner(self) -> Any:
        return User.objects.get(pk=self.owner_id)


def _right_choice_id(item: Any) -> int:
    """The id of a right choice of a single-choice item, as the pages and the API send it."""
    right = next(c["key"] for c in item.version.content["choices"] if c["correct"])
    return item.position * 10 + right


def right_choice(attempt_id: int, position: int) -> int:
    attempt = Attempt.objects.get(pk=attempt_id)
    item = next(i for i in attempt_items(attempt) if i.position == position)
    return _right_choice_id(item)


def _practice(user: Any, exam: Exam, *, answered: int) -> Attempt:
    attempt, _ = quizzes.attempt_start(user=user, exam=exam, mode="practice", count=3)
    for item in attempt_items(attempt)[:answered]:
        quizzes.answer_save(
            user=user,
            attempt_id=attempt.pk,
            position=item.position,
            answer={"choices": [_right_choice_id(item)]},
        )
    return attempt


def _curriculum_and_progress(owner: Any, today: date) -> tuple[Track, Topic, Resource, int]:
    world = make_world("iso")
    track, topic, resource = world.track, world.a1_first, world.resource
    progress.target_set(user=owner, track=track, target_date=today + timedelta(days=90))
    progress.status_set(user=owner, topic=topic, status="in_progress")
    progress.resource_done_set(user=owner, resource=resource, done=True)
    progress.note_save(user=owner, topic=topic, body=f"{SECRET}: topic note")
    entry = progress.study_log_add(
        user=owner, day=today, minutes=45, topic=topic, note=f"{SECRET}: log"
    )
    progress.weekly_goal_set(user=owner, minutes=240)
    progress.public_profile_set(user=owner, enabled=True, handle="ada-isolated")
    reminders.reminder_preferences_set(user=owner, enabled=True, digest_enabled=True)
    return track, topic, resource, entry.pk


def build_world() -> IsolationWorld:
    owner = verified_user(username="ada", email="ada@example.com")
    other = verified_user(username="bob", email="bob@example.com")
    today = owner.local_today()
    track, topic, resource, entry_id = _curriculum_and_progress(owner, today)
    exam = make_bank()
    done = _practice(owner, exam, answered=3)
    quizzes.attempt_submit(user=owner, attempt_id=done.pk)
    opened = _practice(owner, exam, answered=1)
    answered = attempt_items(opened)[0].version.question
    quizzes.question_note_save(user=owner, question_uid=answered.uid, body=f"{SECRET}: q note")
    quizzes.question_report(
        user=owner, question_uid=answered.uid, reason="typo", text=f"{SECRET}: report"
    )
    quizzes.exam_date_set(user=owner, exam=exam, day=today + timedelta(days=30))
    return IsolationWorld(
        owner_id=owner.pk,
        other_id=other.pk,
        owner_email=owner.email,
        other_email=other.email,
        handle="ada-isolated",
        track=track.slug,
        topic=topic.slug,
        resource_id=resource.pk,
        entry_id=entry_id,
        exam=exam.code,
        open_attempt_id=opened.pk,
        done_attempt_id=done.pk,
        answered_uid=answered.uid,
        today=today,
    )


# --- snapshots ---------------------------------------------------------------------------------


def _user_keys(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]


@cache
def owned_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the user) for every model with a foreign key to the user, and every
    model with a foreign key to one of those (an attempt's questions, a card's history)."""
    direct = [(model, key) for model in apps.get_models() for key in _user_keys(model)]
    owners = dict(direct)
    children = [
        (model, f"{field.name}__{owners[field.related_model]}")
        for model in apps.get_models()
        if model not in owners
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in owners
    ]
    return direct + children


def snapshots(*user_ids: int) -> dict[int, dict[str, list[dict]]]:
    """Every row of each learner's data, every value of every column (minutes, statuses,
    bodies, updated_at), by learner: one query per model for all of them."""
    found: dict[int, dict[str, list[dict]]] = {user_id: {} for user_id in user_ids}
    for row in User.objects.filter(pk__in=user_ids).values():
        found[row["id"]]["user"] = [row]
    for model, key in owned_models():
        label = f"{model._meta.label}.{key}"
        columns = [field.attname for field in model._meta.concrete_fields]
        for user_id in user_ids:
            found[user_id][label] = []
        rows = model.objects.filter(**{f"{key}__in": user_ids}).order_by("pk")
        for row in rows.values(*columns, snapshot_owner=F(key)):
            found[row.pop("snapshot_owner")][label].append(row)
    return found


def snapshot(user_id: int) -> dict[str, list[dict]]:
    return snapshots(user_id)[user_id]


def now_plus(days: int) -> date:
    return (timezone.now() + timedelta(days=days)).date()
