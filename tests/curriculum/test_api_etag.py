"""ETags on the public catalogue API (curriculum and exams): a tag per URL and query, 304 for a
current `If-None-Match` without running the response's queries, and a new tag (and fresh lists)
after any write to what the answers show: imports, edits in the admin, link checks."""

import contextlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import transaction
from django.utils import timezone

from curriculum import linkcheck, queries, services
from curriculum.admin import ContentStampAdminMixin
from curriculum.models import Resource, Status, Technology, Topic, Track
from curriculum.services import curriculum_import
from quizzes.models import Exam, Question, QuestionBank
from quizzes.services import exams_import, questions_import
from tests.curriculum.test_admin import form_data
from tests.factories import (
    CertificationFactory,
    PhaseFactory,
    ResourceFactory,
    SkillFactory,
    TechnologyFactory,
    TopicFactory,
    TrackFactory,
)
from tests.quizzes.conftest import CERTIFICATIONS, BankFolder, ExamsFolder
from tests.quizzes.factories import ExamFactory, question_in

pytestmark = pytest.mark.django_db
GIFT_SAMPLE = Path(__file__).parent.parent / "quizzes" / "data" / "sample.gift"


def build(size: int) -> None:
    """`size` of everything the endpoints below list or nest."""
    for n in range(size):
        track = TrackFactory(slug=f"track-{n}")
        phase = PhaseFactory(slug=f"phase-{n}", track=track)
        skill = SkillFactory(slug=f"skill-{n}")
        certification = CertificationFactory(slug=f"cert-{n}")
        topic = TopicFactory(slug=f"topic-{n}", phase=phase)
        topic.skills.add(skill)
        topic.certifications.add(certification)
        topic.technologies.add(TechnologyFactory())
        ResourceFactory(topic=topic, url=f"https://example.com/{n}")
        exam = ExamFactory(code=f"EX-C{n:02d}", certification=certification)
        question_in(exam.domains.first())


def first_resource_path() -> str:
    return f"/api/v1/resources/{Resource.objects.order_by('pk').first().pk}/"


PATHS = [
    "/api/v1/tracks/",
    "/api/v1/tracks/track-0/",
    "/api/v1/phases/",
    "/api/v1/phases/phase-0/",
    "/api/v1/topics/?level=beginner&page_size=5",
    "/api/v1/topics/topic-0/",
    "/api/v1/resources/",
    "RESOURCE",
    "/api/v1/skills/",
    "/api/v1/skills/skill-0/",
    "/api/v1/certifications/",
    "/api/v1/certifications/cert-0/",
    "/api/v1/exams/",
    "/api/v1/exams/EX-C00/",
]


def resolve(path: str) -> str:
    return first_resource_path() if path == "RESOURCE" else path


def etag_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response["ETag"]


def test_every_answer_has_its_own_tag_per_url_and_query(client):
    build(2)
    paths = [resolve(path) for path in PATHS]
    paths += ["/api/v1/topics/", "/api/v1/topics/?level=advanced", "/api/v1/topics/?page_size=1"]
    paths += ["/api/v1/topics/?page=2&page_size=1", "/api/v1/exams/?vendor=AWS"]
    tags = [etag_of(client, path) for path in paths]
    assert len(set(tags)) == len(paths)
    assert all(tag.startswith('W/"') for tag in tags)
    assert etag_of(client, paths[0]) == tags[0]  # the same URL keeps its tag


def test_answers_ask_clients_to_revalidate(client):
    build(1)
    response = client.get("/api/v1/topics/topic-0/")
    assert "no-cache" in response["Cache-Control"]
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("path", PATHS)
def test_a_current_tag_answers_304_without_a_body_or_queries(
    client, django_assert_num_queries, size, path
):
    build(size)
    path = resolve(path)
    etag = etag_of(client, path)
    with django_assert_num_queries(0):  # the stamp is a cache read
        response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "header",
    [
        '"somethingelse", {tag}',  # a list of tags
        "{strong}",  # weak comparison: the strong form of our weak tag matches
        '"a", "b",{tag}',
        "*",  # any current answer
    ],
)
def test_if_none_match_lists_weak_comparison_and_star(client, header):
    build(1)
    etag = etag_of(client, "/api/v1/topics/topic-0/")
    value = header.format(tag=etag, strong=etag.removeprefix("W/"))
    response = client.get("/api/v1/topics/topic-0/", headers={"If-None-Match": value})
    assert response.status_code == 304


def test_star_does_not_hide_a_missing_record(client):
    build(1)
    response = client.get("/api/v1/topics/no-such-topic/", headers={"If-None-Match": "*"})
    assert response.status_code == 404
    assert "ETag" not in response


@pytest.mark.parametrize("header", ['W/"stale"', '"0123"', "garbage", ""])
def test_a_stale_or_odd_tag_gets_the_full_answer(client, header):
    build(1)
    response = client.get("/api/v1/topics/topic-0/", headers={"If-None-Match": header})
    assert response.status_code == 200
    assert response.json()["slug"] == "topic-0"


def test_problems_and_redirects_carry_no_tag(client):
    build(1)
    assert "ETag" not in client.get("/api/v1/topics/missing/")
    assert "ETag" not in client.get("/api/v1/topics/?level=expert")


def test_a_tag_of_one_url_does_not_match_another(client):
    build(2)
    etag = etag_of(client, "/api/v1/topics/topic-0/")
    response = client.get("/api/v1/topics/topic-1/", headers={"If-None-Match": etag})
    assert response.status_code == 200


# --- what renews the tags -----------------------------------------------------------------------


def assert_changed(client, path: str, before: str) -> dict:
    """The old tag gets a full answer (200) with a new tag; returns the new body."""
    response = client.get(path, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    return response.json()


def test_an_import_renews_the_tags(client, content_folder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        curriculum_import(path=content_folder.root)
    slug = content_folder.topics()[0]["slug"]
    path = f"/api/v1/topics/{slug}/"
    before = etag_of(client, path)
    listing = etag_of(client, "/api/v1/topics/")
    content_folder.topic(slug)["title"] = "Renamed by the files"
    content_folder.write()
    with django_capture_on_commit_callbacks(execute=True):
        curriculum_import(path=content_folder.root)
    assert assert_changed(client, path, before)["title"] == "Renamed by the files"
    titles = [
        topic["title"] for topic in assert_changed(client, "/api/v1/topics/", listing)["results"]
    ]
    assert "Renamed by the files" in titles  # the cached list page is not served


def test_the_stamp_changes_once_after_the_commit(django_capture_on_commit_callbacks):
    stamp = queries.content_stamp()
    with django_capture_on_commit_callbacks() as callbacks:
        services.content_stamp_bump()
        with transaction.atomic():  # a nested write, as the admin's own atomic block is
            services.content_stamp_bump()
        assert queries.content_stamp() == stamp  # not before the commit
    assert len(callbacks) == 1  # one renewal per transaction, however many writes
    callbacks[0]()
    assert queries.content_stamp() != stamp


def test_a_rolled_back_write_leaves_the_next_one_its_renewal(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            services.content_stamp_bump()
            raise RuntimeError  # the savepoint's rows and its renewal go
        services.content_stamp_bump()
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_stamp_changes_at_once():
    """As after the admin's transaction: its views bump once they return."""
    stamp = queries.content_stamp()
    services.content_stamp_bump()
    assert queries.content_stamp() != stamp


# Admin edits, as a staff member makes them: each admin of what the API shows renews the stamp
# after a POST (curriculum.admin.ContentStampAdminMixin).


def test_every_admin_of_catalogue_content_renews_the_stamp():
    catalogue = {Exam, QuestionBank, Question}
    admins = {
        model.__name__: isinstance(model_admin, ContentStampAdminMixin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "curriculum" or model in catalogue
    }
    assert len(admins) == 12  # nine in curriculum (SkillLevel is edited inline) and these three
    assert [name for name, renews in admins.items() if not renews] == []


def change(editor, url: str, **changes: object) -> None:
    """Save an admin change page (main form and inlines) as rendered, with `changes`."""
    page = editor.get(url)
    assert page.status_code == 200
    response = editor.post(url, form_data(page, **changes))
    assert response.status_code == 302, response.context and response.context.get("errors")


def delete(editor, url: str) -> None:
    """Confirm the admin's delete page of the row at `url`."""
    assert editor.post(f"{url}delete/", {"post": "yes"}).status_code == 302


def act(editor, changelist: str, action: str, rows: list) -> None:
    """Run a changelist action on `rows`."""
    data = {"action": action, "_selected_action": [row.pk for row in rows]}
    assert editor.post(changelist, data).status_code == 302


def list_edit(editor, changelist: str, **changes: object) -> None:
    """Save the changelist's editable columns (list_editable) as rendered, with `changes`."""
    formset = editor.get(changelist).context["cl"].formset
    data = {"_save": "Save"}
    for form in [formset.management_form, *formset.forms]:
        data |= {bound.html_name: bound.value() for bound in form if bound.value() is not None}
    assert editor.post(changelist, data | changes).status_code == 302


def topic_page() -> str:
    return f"/admin/curriculum/topic/{Topic.objects.get().pk}/change/"


ADMIN_EDITS = {
    "change-form": (
        lambda editor: change(editor, topic_page(), title="Edited in the admin"),
        "/api/v1/topics/",
    ),
    "inline": (
        lambda editor: change(editor, topic_page(), **{"resources-0-title": "Edited inline"}),
        "/api/v1/resources/",
    ),
    "inline-of-track": (
        lambda editor: change(
            editor,
            f"/admin/curriculum/track/{Track.objects.get().pk}/change/",
            **{"phases-0-title": "Edited inline"},
        ),
        "/api/v1/phases/phase-0/",
    ),
    "many-to-many": (
        lambda editor: change(editor, topic_page(), skills=[]),
        "/api/v1/topics/topic-0/",
    ),
    "delete": (
        lambda editor: delete(
            editor, f"/admin/curriculum/technology/{Technology.objects.get().pk}/"
        ),
        "/api/v1/topics/topic-0/",
    ),
    "unpublish-action": (
        lambda editor: act(editor, "/admin/curriculum/topic/", "unpublish", Topic.objects.all()),
        "/api/v1/topics/",
    ),
    "list-editable": (
        lambda editor: list_edit(editor, "/admin/curriculum/track/", **{"form-0-status": "draft"}),
        "/api/v1/tracks/",
    ),
}


@pytest.mark.parametrize(("edit", "path"), ADMIN_EDITS.values(), ids=ADMIN_EDITS.keys())
def test_admin_edits_renew_the_tags(client, committed, editor, edit, path):
    committed(build, 1)
    before = etag_of(client, path)
    committed(edit, editor)
    assert_changed(client, path, before)


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_shows_in_a_cached_list_at_once(client, editor):
    """With real commits: the admin's transaction commits, then its view renews the stamp."""
    build(1)
    before = etag_of(client, "/api/v1/topics/")  # the page is now cached
    change(editor, topic_page(), title="Edited in the admin")
    body = assert_changed(client, "/api/v1/topics/", before)
    assert body["results"][0]["title"] == "Edited in the admin"


def test_a_publish_action_shows_the_topic(client, committed, editor):
    committed(build, 1)
    committed(Topic.objects.update, status=Status.DRAFT)
    before = etag_of(client, "/api/v1/topics/")
    committed(act, editor, "/admin/curriculum/topic/", "publish", Topic.objects.all())
    assert assert_changed(client, "/api/v1/topics/", before)["count"] == 1


def test_a_link_check_renews_the_tags(
    client, committed, monkeypatch, django_capture_on_commit_callbacks
):
    committed(build, 1)
    resource = Resource.objects.get()
    path = f"/api/v1/resources/{resource.pk}/"
    before = etag_of(client, path)
    broken = {resource.url: linkcheck.LinkVerdict(resource.url, ok=False, http_status=404)}
    monkeypatch.setattr(linkcheck, "check_urls", lambda urls, options=None: broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_links_check(resource_ids=[resource.pk])
    assert assert_changed(client, path, before)["link_status"] == "broken"


def exam_page() -> str:
    return f"/admin/quizzes/exam/{Exam.objects.get(code='EX-C00').pk}/change/"


def test_exam_edits_in_the_admin_renew_the_exam_tags(client, committed, editor):
    committed(build, 1)
    before = etag_of(client, "/api/v1/exams/EX-C00/")
    listing = etag_of(client, "/api/v1/exams/")
    committed(change, editor, exam_page(), name="Renamed exam")
    assert assert_changed(client, "/api/v1/exams/EX-C00/", before)["name"] == "Renamed exam"
    assert_changed(client, "/api/v1/exams/", listing)


def test_an_exam_domain_edit_in_the_admin_renews_the_exam_tags(client, committed, editor):
    committed(build, 1)
    before = etag_of(client, "/api/v1/exams/EX-C00/")
    committed(change, editor, exam_page(), **{"domains-0-name": "Renamed domain"})
    domains = assert_changed(client, "/api/v1/exams/EX-C00/", before)["domains"]
    assert "Renamed domain" in {domain["name"] for domain in domains}


def test_a_question_status_action_renews_the_exam_tags(client, committed, editor):
    committed(build, 1)
    before = etag_of(client, "/api/v1/exams/EX-C00/")
    questions = Exam.objects.get(code="EX-C00").questions.all()
    committed(act, editor, "/admin/quizzes/question/", "make_retired", questions)
    assert assert_changed(client, "/api/v1/exams/EX-C00/", before)["practice_questions"] == 0


def test_a_gift_upload_in_the_admin_renews_the_exam_tags(client, committed, editor):
    committed(build, 1)
    before = etag_of(client, "/api/v1/exams/EX-C00/")
    domain = Exam.objects.get(code="EX-C00").domains.first()
    with (GIFT_SAMPLE).open("rb") as handle:
        upload = {"file": handle, "domain": domain.pk, "bank": "moodle"}
        response = committed(editor.post, "/admin/quizzes/question/import-gift/", upload)
    assert response.status_code == 302
    assert_changed(client, "/api/v1/exams/EX-C00/", before)  # drafts, counted once active


# --- imports of exams and questions --------------------------------------------------------------


@pytest.fixture
def exams_folder(tmp_path) -> ExamsFolder:
    for slug in CERTIFICATIONS:
        CertificationFactory(slug=slug)
    return ExamsFolder(tmp_path / "exams")


def test_an_exams_import_renews_the_exam_tags(client, committed, exams_folder):
    committed(lambda: exams_import(path=exams_folder.root))
    before = etag_of(client, "/api/v1/exams/DVA-C03/")
    listing = etag_of(client, "/api/v1/exams/")
    exams_folder.exam("DVA-C03")["name"] = "Renamed by the files"
    exams_folder.write()
    committed(lambda: exams_import(path=exams_folder.root))
    body = assert_changed(client, "/api/v1/exams/DVA-C03/", before)
    assert body["name"] == "Renamed by the files"
    assert_changed(client, "/api/v1/exams/", listing)


def test_a_questions_import_renews_the_exam_tags(client, committed, exams_folder, tmp_path):
    committed(lambda: exams_import(path=exams_folder.root))
    before = etag_of(client, "/api/v1/exams/DVA-C03/")
    bank = BankFolder(tmp_path / "questions")
    committed(lambda: questions_import(path=bank.root))
    assert assert_changed(client, "/api/v1/exams/DVA-C03/", before)["practice_questions"] == 3


def test_exam_tags_change_with_the_date(client, monkeypatch):
    """An exam's lifecycle is computed from today's date: a new day is a new answer."""
    build(1)
    before = etag_of(client, "/api/v1/exams/EX-C00/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert_changed(client, "/api/v1/exams/EX-C00/", before)


def test_a_lost_stamp_gives_new_tags(client):
    from django.core.cache import cache

    build(1)
    before = etag_of(client, "/api/v1/tracks/")
    cache.delete(queries.CONTENT_STAMP_KEY)
    assert_changed(client, "/api/v1/tracks/", before)


# --- schema -------------------------------------------------------------------------------------


def test_schema_documents_etags(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path in [
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
        "/api/v1/exams/",
        "/api/v1/exams/{code}/",
    ]:
        operation = schema["paths"][path]["get"]
        assert "If-None-Match" in {p["name"] for p in operation["parameters"]}, path
        assert "304" in operation["responses"], path
        assert "ETag" in operation["responses"]["200"]["headers"], path
        assert "ETag" in operation["responses"]["304"]["headers"], path
