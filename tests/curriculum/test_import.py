"""The curriculum importer's rules: validate all, write nothing on error, upsert by slug, no-op
re-runs, archive instead of delete, renames through former slugs, dry runs, round trips."""

import copy
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import (
    Certification,
    Phase,
    Resource,
    Skill,
    SlugRedirect,
    Technology,
    Topic,
    Track,
)
from curriculum.services import curriculum_export, curriculum_import
from tests.importing import run_command, write_queries

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db


def run_import(path: Path, *flags: str) -> str:
    return run_command("import_curriculum", path, *flags)


def test_import_creates_every_record_with_relations(content_folder):
    output = run_import(content_folder.root)
    assert "created 13, updated 0, archived 0" in output
    track = Track.objects.get(slug="demo-track")
    assert "<strong>bold</strong>" in track.body_html
    containers = Topic.objects.get(slug="containers")
    assert containers.phase.slug == "foundations-a"
    assert containers.phase.parent.slug == "foundations"
    assert list(containers.technologies.values_list("slug", flat=True)) == ["docker"]
    assert list(containers.skills.values_list("slug", flat=True)) == ["python"]
    assert containers.resources.get().url == "https://docs.docker.com/"
    retired = Certification.objects.get(slug="azure-developer-associate")
    assert retired.successor.slug == "azure-ai-cloud-developer-associate"
    assert str(retired.retired_on) == "2026-07-31"
    assert Technology.objects.get(slug="microsoft-entra-id").former_names == ["Azure AD"]
    python = Skill.objects.get(slug="python")
    assert python.levels.count() == 3
    assert python.resources.get().title == "Automate the Boring Stuff with Python"
    assert Topic.objects.get(slug="review").status == "draft"
    assert [t.slug for t in Topic.objects.published()] == ["containers", "identity"]


def test_rerun_on_unchanged_files_reports_no_change_and_writes_nothing(content_folder):
    run_import(content_folder.root)
    with CaptureQueriesContext(connection) as queries:
        output = run_import(content_folder.root)
    assert "0 changes" in output
    assert write_queries(queries) == []


def test_changed_field_is_updated_in_place(content_folder):
    run_import(content_folder.root)
    topic_id = Topic.objects.get(slug="containers").pk
    content_folder.topic("containers")["title"] = "Containers with Docker"
    content_folder.write()
    output = run_import(content_folder.root)
    assert "created 0, updated 1, archived 0" in output
    topic = Topic.objects.get(slug="containers")
    assert (topic.pk, topic.title) == (topic_id, "Containers with Docker")


def test_dropped_topic_is_archived_not_deleted_and_comes_back(content_folder):
    run_import(content_folder.root)
    content_folder.track["phases"][0]["phases"][0]["topics"].pop(0)  # containers
    content_folder.track["phases"][0]["phases"][0]["weeks"] = [0.4, 1]
    content_folder.track["phases"][0]["weeks"] = [0.4, 2]
    content_folder.write()
    output = run_import(content_folder.root)
    assert "archived 2" in output  # the topic and its resource
    topic = Topic.objects.get(slug="containers")
    assert topic.is_archived
    assert Resource.objects.get(url="https://docs.docker.com/").archived_at is not None
    assert "containers" not in Topic.objects.current().values_list("slug", flat=True)

    content_folder.data["tracks/demo-track.yaml"] = copy.deepcopy(MINIMAL["tracks/demo-track.yaml"])
    content_folder.write()
    run_import(content_folder.root)
    topic.refresh_from_db()
    assert not topic.is_archived


def test_renamed_slug_keeps_the_row_and_records_a_redirect(content_folder):
    run_import(content_folder.root)
    topic_id = Topic.objects.get(slug="containers").pk
    topic = content_folder.topic("containers")
    topic["slug"], topic["former_slugs"] = "docker-containers", ["containers"]
    content_folder.write()
    output = run_import(content_folder.root)
    assert "created 0" in output
    renamed = Topic.objects.get(pk=topic_id)
    assert renamed.slug == "docker-containers"
    assert renamed.resources.get().archived_at is None
    assert SlugRedirect.objects.filter(
        kind="topic", old_slug="containers", new_slug="docker-containers"
    ).exists()
    assert "0 changes" in run_import(content_folder.root)


def test_dry_run_shows_differences_and_admin_edits_and_writes_nothing(content_folder):
    run_import(content_folder.root)
    Topic.objects.filter(slug="identity").update(title="Edited in admin")
    content_folder.topic("containers")["hours"] = 5
    content_folder.topic("identity")["hours"] = 5
    content_folder.topic("review")["hours"] = 3.5
    content_folder.write()
    with CaptureQueriesContext(connection) as queries:
        output = run_import(content_folder.root, "--dry-run")
    assert write_queries(queries) == []
    assert "update topic containers" in output
    assert "hours: '6.0' -> '5.0'" in output
    assert "update topic identity  [overwrites an edit made in the admin" in output
    assert "title: 'Edited in admin' -> 'Identity'" in output
    assert "would have created 0, updated 3, archived 0; wrote nothing" in output
    assert Topic.objects.get(slug="identity").title == "Edited in admin"


def test_import_export_import_changes_nothing(content_folder, tmp_path):
    run_import(content_folder.root)
    exported = tmp_path / "exported"
    curriculum_export(path=exported)
    assert sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*.yaml")) == [
        "certifications.yaml",
        "skills.yaml",
        "technologies.yaml",
        "tracks/demo-track.yaml",
    ]
    with CaptureQueriesContext(connection) as queries:
        assert "0 changes" in run_import(exported)
    assert write_queries(queries) == []
    first = {p: p.read_text() for p in exported.rglob("*.yaml")}
    curriculum_export(path=exported)
    assert {p: p.read_text() for p in exported.rglob("*.yaml")} == first


def test_export_writes_admin_edits_back(content_folder, tmp_path):
    run_import(content_folder.root)
    Topic.objects.filter(slug="identity").update(title="Identity with Entra ID")
    curriculum_export(path=tmp_path / "out")
    text = (tmp_path / "out" / "tracks" / "demo-track.yaml").read_text()
    assert "title: Identity with Entra ID" in text


def test_export_removes_files_of_archived_tracks(content_folder, tmp_path):
    run_import(content_folder.root)
    stale = tmp_path / "out" / "tracks" / "old-track.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("track: {}\n")
    written, removed = curriculum_export(path=tmp_path / "out")
    assert removed == [stale]
    assert not stale.exists()


def test_service_counts_match_the_report(content_folder):
    report = curriculum_import(path=content_folder.root)
    assert report.applied
    assert report.counts()["create"] == (
        Track.objects.count()
        + Phase.objects.count()
        + Topic.objects.count()
        + Resource.objects.count()
        + Skill.objects.count()
        + Technology.objects.count()
        + Certification.objects.count()
    )


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        run_import(tmp_path / "nowhere")
