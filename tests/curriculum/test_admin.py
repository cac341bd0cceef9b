from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings

from curriculum import tasks
from curriculum.models import LinkStatus, Status, Topic
from portal.widgets import MarkdownPreviewWidget
from tests.factories import (
    CertificationFactory,
    PhaseFactory,
    ResourceFactory,
    SkillFactory,
    SkillLevelFactory,
    TopicFactory,
    TrackFactory,
    UserFactory,
)
from tests.portal.accounts_helpers import with_totp

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


@pytest.fixture
def superuser_client(client):
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


# --- Helpers -----------------------------------------------------------------------------------


def _value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def form_data(response, **changes: object) -> dict:
    """The POST data of an admin change page as rendered (main form and inlines), changed."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            data[bound.html_name] = _value(value)
    return data | changes


def _editor(**fields) -> object:
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Content editors"))
    with_totp(user)  # production settings: staff need two-factor for /admin/
    return user


# --- Content editors ---------------------------------------------------------------------------


def test_content_editors_may_add_change_and_view_curriculum_but_not_delete():
    group = Group.objects.get(name="Content editors")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    apps = {app for app, _ in codenames}
    assert apps == {"curriculum"}
    for model in ("track", "phase", "topic", "resource", "skill", "certification"):
        assert {("curriculum", f"{action}_{model}") for action in ("add", "change", "view")} <= (
            codenames
        )
    assert not any(codename.startswith("delete_") for _, codename in codenames)


def test_content_editor_opens_and_edits_curriculum_pages(client):
    topic = TopicFactory(body="Old text.")
    client.force_login(_editor())
    for model in ("track", "phase", "topic", "resource", "technology", "skill"):
        assert client.get(f"/admin/curriculum/{model}/").status_code == 200
        assert client.get(f"/admin/curriculum/{model}/add/").status_code == 200
    page = client.get(f"/admin/curriculum/topic/{topic.pk}/change/")
    assert page.status_code == 200

    response = client.post(page.wsgi_request.path, form_data(page, body="New **text**."))

    assert response.status_code == 302, response.content.decode()[:3000]
    topic.refresh_from_db()
    assert topic.body_html == "<p>New <strong>text</strong>.</p>"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/portal/user/",
        "/admin/auth/group/",
        "/admin/django_celery_beat/periodictask/",
        "/admin/quizzes/exam/",
    ],
)
def test_content_editor_gets_403_outside_the_curriculum(client, url):
    client.force_login(_editor())
    assert client.get(url).status_code == 403


def test_content_editor_cannot_delete_curriculum_rows(client):
    topic = TopicFactory()
    client.force_login(_editor())
    assert client.get(f"/admin/curriculum/topic/{topic.pk}/delete/").status_code == 403
    changelist = client.get("/admin/curriculum/topic/").content.decode()
    assert "delete_selected" not in changelist


# --- Editing tracks, phases and topics ---------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=False)
def test_topic_edit_in_admin_shows_on_the_public_page_at_once(superuser_client):
    topic = TopicFactory(body="Before.")
    page = superuser_client.get(f"/admin/curriculum/topic/{topic.pk}/change/")
    superuser_client.post(page.wsgi_request.path, form_data(page, body="After *edit*."))
    public = Client().get(topic.get_absolute_url())
    assert public.status_code == 200
    assert "<p>After <em>edit</em>.</p>" in public.content.decode()


@override_settings(STAFF_REQUIRE_2FA=False)
def test_phase_page_lists_its_topics_inline_by_position(superuser_client):
    phase = PhaseFactory()
    TopicFactory(phase=phase, title="Second", position=2)
    TopicFactory(phase=phase, title="First", position=1)
    page = superuser_client.get(f"/admin/curriculum/phase/{phase.pk}/change/")
    formset = page.context["inline_admin_formsets"][0].formset
    assert [form.instance.title for form in formset.forms] == ["First", "Second"]
    assert list(formset.forms[0].fields)[0] == "position"


@override_settings(STAFF_REQUIRE_2FA=False)
def test_track_page_edits_its_phases_inline(superuser_client):
    track = TrackFactory()
    phase = PhaseFactory(track=track, title="Old title")
    page = superuser_client.get(f"/admin/curriculum/track/{track.pk}/change/")
    response = superuser_client.post(
        page.wsgi_request.path, form_data(page, **{"phases-0-title": "New title"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    phase.refresh_from_db()
    assert phase.title == "New title"


@override_settings(STAFF_REQUIRE_2FA=False)
def test_topic_page_edits_its_resources_inline(superuser_client):
    resource = ResourceFactory(title="Old")
    page = superuser_client.get(f"/admin/curriculum/topic/{resource.topic.pk}/change/")
    response = superuser_client.post(
        page.wsgi_request.path, form_data(page, **{"resources-0-title": "New"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource.refresh_from_db()
    assert resource.title == "New"


@override_settings(STAFF_REQUIRE_2FA=False)
def test_topic_list_filters_by_status_level_track_and_archive(superuser_client):
    draft = TopicFactory(title="Draft topic", status=Status.DRAFT, level="advanced")
    TopicFactory(title="Published topic")
    html = superuser_client.get("/admin/curriculum/topic/?status=draft").content.decode()
    assert "Draft topic" in html
    assert "Published topic" not in html
    track = draft.phase.track
    html = superuser_client.get(
        f"/admin/curriculum/topic/?level=advanced&phase__track__id__exact={track.pk}&archived=no"
    ).content.decode()
    assert "Draft topic" in html
    assert "Published topic" not in html
    assert (
        "Published topic"
        in superuser_client.get("/admin/curriculum/topic/?q=published").content.decode()
    )


@override_settings(STAFF_REQUIRE_2FA=False)
def test_publish_and_draft_actions(superuser_client):
    first, second = TopicFactory(status=Status.DRAFT), TopicFactory(status=Status.DRAFT)
    ids = [first.pk, second.pk]
    superuser_client.post(
        "/admin/curriculum/topic/", {"action": "publish", "_selected_action": ids}
    )
    assert set(Topic.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"published"}
    superuser_client.post(
        "/admin/curriculum/topic/", {"action": "unpublish", "_selected_action": [first.pk]}
    )
    first.refresh_from_db()
    assert first.status == "draft"
    track = TrackFactory(status=Status.PUBLISHED)
    superuser_client.post(
        "/admin/curriculum/track/", {"action": "unpublish", "_selected_action": [track.pk]}
    )
    track.refresh_from_db()
    assert track.status == "draft"


@override_settings(STAFF_REQUIRE_2FA=False)
def test_topic_status_and_position_are_editable_in_the_list(superuser_client):
    TopicFactory()
    html = superuser_client.get("/admin/curriculum/topic/").content.decode()
    assert 'name="form-0-status"' in html
    assert 'name="form-0-position"' in html


@override_settings(STAFF_REQUIRE_2FA=False)
@pytest.mark.parametrize("factory", [TrackFactory, PhaseFactory, TopicFactory])
def test_change_page_links_to_the_public_page(superuser_client, factory):
    record = factory()
    model = record._meta.model_name
    html = superuser_client.get(f"/admin/curriculum/{model}/{record.pk}/change/").content.decode()
    content_type = ContentType.objects.get_for_model(record)
    view_on_site = f"/admin/r/{content_type.pk}/{record.pk}/"
    assert f'href="{view_on_site}"' in html
    response = superuser_client.get(view_on_site)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == record.get_absolute_url()


# --- Markdown preview --------------------------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=False)
@pytest.mark.parametrize(
    ("factory", "fields"),
    [
        (TrackFactory, ["body"]),
        (PhaseFactory, ["body"]),
        (TopicFactory, ["body"]),
        (CertificationFactory, ["body"]),
        (SkillFactory, ["definition", "real_world", "demonstrate"]),
    ],
)
def test_markdown_fields_have_a_live_preview(superuser_client, factory, fields):
    record = factory()
    model = record._meta.model_name
    page = superuser_client.get(f"/admin/curriculum/{model}/{record.pk}/change/")
    form = page.context["adminform"].form
    for name in fields:
        assert isinstance(form.fields[name].widget, MarkdownPreviewWidget), name
    html = page.content.decode()
    assert html.count('data-markdown-preview="/admin/markdown-preview/"') >= len(fields)
    assert "js/markdown-preview.js" in html


@override_settings(STAFF_REQUIRE_2FA=False)
def test_preview_starts_hidden_with_the_saved_text_rendered(superuser_client):
    topic = TopicFactory(body="Use **compose**.")
    html = superuser_client.get(f"/admin/curriculum/topic/{topic.pk}/change/").content.decode()
    preview = html[html.index('class="markdown-preview"') :]
    assert preview.index("hidden") < preview.index(">")
    assert "<strong>compose</strong>" in preview


@override_settings(STAFF_REQUIRE_2FA=False)
def test_skill_levels_inline_previews_its_steps(superuser_client):
    level = SkillLevelFactory()
    page = superuser_client.get(f"/admin/curriculum/skill/{level.skill.pk}/change/")
    formset = page.context["inline_admin_formsets"][0].formset
    assert isinstance(formset.forms[0].fields["steps"].widget, MarkdownPreviewWidget)


@override_settings(STAFF_REQUIRE_2FA=False)
def test_admin_pages_keep_the_content_security_policy(superuser_client):
    topic = TopicFactory()
    response = superuser_client.get(f"/admin/curriculum/topic/{topic.pk}/change/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


# --- Link health -------------------------------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=False)
def test_resource_list_filters_broken_links(superuser_client):
    ResourceFactory(title="Dead link", link_status=LinkStatus.BROKEN, link_error="HTTP 404")
    ResourceFactory(title="Live link", link_status=LinkStatus.OK)
    html = superuser_client.get("/admin/curriculum/resource/?link=broken").content.decode()
    assert "Dead link" in html
    assert "Broken: HTTP 404" in html
    assert "Live link" not in html
    assert "Broken links" in superuser_client.get("/admin/curriculum/resource/").content.decode()


@override_settings(STAFF_REQUIRE_2FA=False)
def test_recheck_action_queues_a_link_check_on_commit(
    superuser_client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.check_resource_links_for, "delay", queued.append)
    chosen = [ResourceFactory(), ResourceFactory()]
    ResourceFactory(url="")
    ids = [resource.pk for resource in chosen]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = superuser_client.post(
            "/admin/curriculum/resource/",
            {"action": "recheck_links", "_selected_action": ids},
            follow=True,
        )
        assert queued == []  # not before the transaction commits

    for callback in callbacks:
        callback()
    assert [sorted(batch) for batch in queued] == [sorted(ids)]
    assert "Queued a link check of 2 resources" in response.content.decode()


@override_settings(STAFF_REQUIRE_2FA=False)
def test_changing_a_url_in_admin_forgets_the_old_verdict(superuser_client):
    resource = ResourceFactory(link_status=LinkStatus.BROKEN, link_http_status=404)
    page = superuser_client.get(f"/admin/curriculum/resource/{resource.pk}/change/")
    response = superuser_client.post(
        page.wsgi_request.path, form_data(page, url="https://docs.example.com/moved")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_http_status) == ("unchecked", None)


@override_settings(STAFF_REQUIRE_2FA=False)
def test_editing_other_fields_keeps_the_verdict(superuser_client):
    resource = ResourceFactory(link_status=LinkStatus.BROKEN, link_http_status=404)
    page = superuser_client.get(f"/admin/curriculum/resource/{resource.pk}/change/")
    superuser_client.post(page.wsgi_request.path, form_data(page, title="Renamed"))
    resource.refresh_from_db()
    assert (resource.title, resource.link_status) == ("Renamed", "broken")
