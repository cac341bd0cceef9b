"""Deleting an account removes every progress row of that learner, in every progress model
(including any model added later: the check iterates over the app's models), and nothing of
anyone else's."""

from datetime import date

import pytest
from django.apps import apps

from portal import services as portal_services
from progress import services
from tests.factories import UserFactory

from .factories import (
    DailyActivityFactory,
    ProgressSettingsFactory,
    ReminderDeliveryFactory,
    ReminderPreferenceFactory,
    ResourceDoneFactory,
    StudyLogEntryFactory,
    TombstoneFactory,
    TopicNoteFactory,
    TopicStatusFactory,
    TrackFollowFactory,
)
from .world import make_world

pytestmark = pytest.mark.django_db


def progress_models() -> list:
    return list(apps.get_app_config("progress").get_models())


def rows_of(user_id: int) -> dict[str, int]:
    """Rows of the user with `user_id` in each progress model (by id: a deleted user's `pk` is
    None afterwards, which would match nothing for the wrong reason)."""
    return {
        model.__name__: model._default_manager.filter(user_id=user_id).count()
        for model in progress_models()
    }


@pytest.fixture
def world():
    return make_world()


def one_of_everything(user, world) -> None:
    TrackFollowFactory(user=user, track=world.track, target_date=date(2026, 9, 1))
    TopicStatusFactory(user=user, topic=world.a_own, status="done")
    ResourceDoneFactory(user=user, resource=world.resource)
    TopicNoteFactory(user=user, topic=world.a_own)
    StudyLogEntryFactory(user=user, topic=world.a_own)
    DailyActivityFactory(user=user)
    ProgressSettingsFactory(user=user, public_profile=True)
    TombstoneFactory(user=user)
    ReminderPreferenceFactory(user=user)
    ReminderDeliveryFactory(user=user)


def test_every_progress_model_belongs_to_a_user():
    for model in progress_models():
        assert model._meta.get_field("user").related_model._meta.label == "portal.User", model


def test_account_delete_removes_every_progress_row(world):
    user = UserFactory()
    other = UserFactory()
    one_of_everything(user, world)
    one_of_everything(other, world)
    user_id = user.pk
    assert all(rows_of(user_id).values()), rows_of(user_id)  # every model, or this proves nil
    others_before = rows_of(other.pk)

    portal_services.account_delete(user=user)

    assert rows_of(user_id) == dict.fromkeys(rows_of(user_id), 0)
    assert rows_of(other.pk) == others_before


def test_account_delete_after_real_use(world):
    """The same through the services, which write follows, activity and tombstones themselves."""
    user = UserFactory(handle="ada")
    other = UserFactory()
    for learner in (user, other):
        services.status_set(user=learner, topic=world.a_own, status="done")
        entry = services.study_log_add(user=learner, day=date(2026, 1, 5), minutes=30)
        services.note_save(user=learner, topic=world.a_own, body="x")
        services.note_save(user=learner, topic=world.a_own, body="")
        services.study_log_delete(user=learner, entry_id=entry.pk)
        services.study_log_add(user=learner, day=date(2026, 1, 6), minutes=30)
        services.weekly_goal_set(user=learner, minutes=60)
    user_id = user.pk
    assert rows_of(user_id) == rows_of(other.pk)
    others_before = rows_of(other.pk)

    portal_services.account_delete(user=user)

    assert sum(rows_of(user_id).values()) == 0
    assert rows_of(other.pk) == others_before
