"""Factories for every progress model. Rows that the services keep in step with others (daily
activity with the study log) are built as the tests need them; tests of the rules go through
the services instead."""

import datetime

import factory

from portal.models import Tombstone
from progress.models import (
    DailyActivity,
    ProgressSettings,
    ReminderDelivery,
    ReminderPreference,
    ResourceDone,
    StudyLogEntry,
    TopicNote,
    TopicStatus,
    TrackFollow,
)
from tests.factories import ResourceFactory, TopicFactory, TrackFactory, UserFactory

DAY = datetime.date(2026, 3, 2)


class TrackFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackFollow

    user = factory.SubFactory(UserFactory)
    track = factory.SubFactory(TrackFactory)
    target_date = None


class TopicStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicStatus

    user = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    status = TopicStatus.Status.IN_PROGRESS
    done_on = factory.LazyAttribute(
        lambda row: DAY if row.status == TopicStatus.Status.DONE else None
    )


class ResourceDoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceDone

    user = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)


class TopicNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicNote

    user = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    body = "Remember **this**."


class StudyLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyLogEntry

    user = factory.SubFactory(UserFactory)
    day = DAY
    minutes = 30
    topic = None
    note = ""


class DailyActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyActivity
        django_get_or_create = ("user", "day")

    user = factory.SubFactory(UserFactory)
    day = DAY
    minutes = 30


class ProgressSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressSettings
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    weekly_goal_minutes = 300
    public_profile = False


class TombstoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tombstone

    user = factory.SubFactory(UserFactory)
    kind = "study_log"
    object_id = factory.Sequence(str)


class ReminderPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderPreference
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    enabled = True


class ReminderDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderDelivery

    user = factory.SubFactory(UserFactory)
    kind = "reminder"
    local_date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    due_at = factory.LazyAttribute(
        lambda row: datetime.datetime.combine(row.local_date, datetime.time(8), tzinfo=datetime.UTC)
    )
    state = "sent"
