import pytest
from django.test import override_settings

from curriculum.models import Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "track", "phase", "topic", "resource", "technology", "certification", "skill",
    "showcaseproject", "slugredirect",
]  # fmt: skip


@pytest.fixture
def admin_client(client, content_folder):
    from django.core.management import call_command

    call_command("import_curriculum", str(content_folder.root), verbosity=0)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@override_settings(STAFF_REQUIRE_2FA=False)
@pytest.mark.parametrize("model", PAGES)
def test_admin_lists_and_opens_each_curriculum_model(admin_client, model):
    response = admin_client.get(f"/admin/curriculum/{model}/")
    assert response.status_code == 200
    link = f"/admin/curriculum/{model}/add/"
    assert admin_client.get(link).status_code == 200


@override_settings(STAFF_REQUIRE_2FA=False)
def test_admin_edit_renders_markdown_at_once(admin_client):
    topic = Topic.objects.get(slug="containers")
    response = admin_client.get(f"/admin/curriculum/topic/{topic.pk}/change/")
    assert response.status_code == 200
    topic.body = "Use <script>alert(1)</script>**compose**"
    topic.save()
    topic.refresh_from_db()
    assert "<strong>compose</strong>" in topic.body_html
    assert "<script>" not in topic.body_html
