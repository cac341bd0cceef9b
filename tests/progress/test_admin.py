"""The progress admin is read-only for support staff and never shows private text."""

import pytest
from django.apps import apps

from tests.factories import UserFactory
from tests.portal.accounts_helpers import with_totp

from .factories import StudyLogEntryFactory, TopicNoteFactory, TopicStatusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="support", is_staff=True, is_superuser=True)
    with_totp(user)  # production settings: staff need two-factor for /admin/
    client.force_login(user)
    return client


def test_every_progress_model_is_listed_read_only(staff):
    TopicStatusFactory()
    for model in apps.get_app_config("progress").get_models():
        url = f"/admin/progress/{model._meta.model_name}/"
        response = staff.get(url)
        assert response.status_code == 200, url
        assert staff.get(f"{url}add/").status_code == 403, url


def test_private_text_is_not_shown(staff):
    note = TopicNoteFactory(body="my secret plan")
    entry = StudyLogEntryFactory(note="secret evening")
    for url in (
        "/admin/progress/topicnote/",
        f"/admin/progress/topicnote/{note.pk}/change/",
        "/admin/progress/studylogentry/",
        f"/admin/progress/studylogentry/{entry.pk}/change/",
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert b"secret" not in response.content, url


def test_rows_cannot_be_deleted(staff):
    entry = StudyLogEntryFactory()
    response = staff.post(f"/admin/progress/studylogentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert entry.__class__.objects.filter(pk=entry.pk).exists()
