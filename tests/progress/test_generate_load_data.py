"""`manage.py generate_load_data` at tiny sizes: every row it promises, consistent with itself,
and it refuses to run twice on one database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from curriculum.models import Topic, Track
from portal.models import User
from progress.models import DailyActivity, StudyLogEntry, TopicStatus, TrackFollow
from quizzes.models import AnswerRecord, Attempt, AttemptQuestion, Exam
from tests.factories import PhaseFactory, TopicFactory, TrackFactory

pytestmark = pytest.mark.django_db

SIZES = {
    "learners": 3,
    "statuses": 40,
    "study_log": 12,
    "attempts": 4,
    "answers_per_attempt": 3,
    "learner_history": 7,
}


def generate(**sizes: int) -> str:
    out = StringIO()
    call_command("generate_load_data", stdout=out, **{**SIZES, **sizes})
    return out.getvalue()


def test_it_writes_the_sizes_asked_for_and_reports_its_time():
    real = TopicFactory(phase=PhaseFactory(track=TrackFactory(slug="real-path")))
    output = generate()
    learner = User.objects.get(username="bench-learner")
    assert User.objects.filter(username__startswith="load-learner-").count() == 3
    assert TopicStatus.objects.count() == 40
    assert TopicStatus.objects.filter(user=learner).count() == 7
    assert TopicStatus.objects.filter(user=learner, topic=real).exists()  # real topics first
    assert StudyLogEntry.objects.count() == 12
    assert StudyLogEntry.objects.filter(user=learner).count() == 7
    assert Attempt.objects.count() == 4
    assert AttemptQuestion.objects.count() == AnswerRecord.objects.count() == 12
    assert Exam.objects.filter(code="LOAD-C01").exists()
    assert output.startswith("generate_load_data: ")
    assert output.strip().endswith(" s")


def test_the_synthetic_curriculum_holds_every_learners_statuses():
    generate(learner_history=7, statuses=40)
    synthetic = Topic.objects.filter(phase__track__slug__startswith="load-track-")
    assert synthetic.count() == 500  # whole tracks of 10 phases of 50 topics
    per_learner = TopicStatus.objects.values("user").annotate(n=Sum(1)).values_list("n", flat=True)
    assert max(per_learner) <= synthetic.count()


def test_daily_activity_adds_up_the_study_log():
    generate()
    logged = StudyLogEntry.objects.aggregate(total=Sum("minutes"))["total"]
    assert DailyActivity.objects.aggregate(total=Sum("minutes"))["total"] == logged


def test_the_measured_learner_follows_the_real_tracks_only():
    TrackFactory(slug="real-path")
    generate()
    follows = TrackFollow.objects.filter(user__username="bench-learner")
    assert set(follows.values_list("track__slug", flat=True)) == {"real-path"}
    assert Track.objects.filter(slug__startswith="load-track-").exists()


def test_new_rows_after_it_get_fresh_ids():
    generate()
    learner = User.objects.get(username="bench-learner")
    topic = Topic.objects.exclude(
        pk__in=TopicStatus.objects.filter(user=learner).values("topic")
    ).first()
    created = TopicStatus.objects.create(user=learner, topic=topic, status="in_progress")
    assert created.pk > TopicStatus.objects.exclude(pk=created.pk).latest("pk").pk


def test_it_refuses_a_database_that_has_load_data():
    generate()
    with pytest.raises(CommandError, match="fresh database"):
        generate()
