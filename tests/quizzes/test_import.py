"""The exam importer's rules: upsert by code, no-op re-runs, archive instead of delete, dry runs."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Exam, ExamDomain
from quizzes.services import exams_import
from tests.importing import run_command, write_queries

from .conftest import ExamsFolder

pytestmark = pytest.mark.django_db


def run_import(path: Path, *flags: str) -> str:
    return run_command("import_exams", path, *flags)


def test_import_creates_exams_with_domains_dates_and_successors(exams_folder):
    output = run_import(exams_folder.root)
    assert "created 4, updated 0, archived 0" in output
    dva = Exam.objects.get(code="DVA-C02")
    assert dva.certification.slug == "aws-certified-developer-associate"
    assert dva.successor.code == "DVA-C03"
    assert dva.last_day == date(2026, 11, 30)
    assert dva.full_simulation
    assert dva.sources == ["DVA-C02 exam guide"]
    assert list(dva.domains.values_list("code", "weight_min", "position")) == [
        ("1", 60, 0),
        ("2", 40, 1),
    ]
    az = Exam.objects.get(code="AZ-204")
    assert az.successor.code == "AI-200"
    assert az.scored_questions is None
    assert az.figures_are_portal_choice
    assert az.conflicts == ["Retirement date: 2026-07-31 vs 2026-08-31."]
    assert Exam.objects.get(code="AI-200").beta_from == date(2026, 5, 1)


def test_rerun_on_unchanged_files_reports_no_change_and_writes_nothing(exams_folder):
    run_import(exams_folder.root)
    with CaptureQueriesContext(connection) as queries:
        output = run_import(exams_folder.root)
    assert "0 changes" in output
    assert write_queries(queries) == []


def test_changed_fields_and_domains_are_updated_in_place(exams_folder):
    run_import(exams_folder.root)
    exam_id = Exam.objects.get(code="DVA-C03").pk
    domain_id = ExamDomain.objects.get(exam_id=exam_id, code="1").pk
    dva = exams_folder.exam("DVA-C03")
    dva["name"] = "AWS Certified Developer - Associate (new version)"
    dva["domains"][0]["weight_min"] = dva["domains"][0]["weight_max"] = 55
    dva["domains"].append({"code": "3", "name": "Testing", "weight_min": 5, "weight_max": 5})
    exams_folder.write()
    assert "created 0, updated 1, archived 0" in run_import(exams_folder.root)
    exam = Exam.objects.get(pk=exam_id)
    assert exam.name == "AWS Certified Developer - Associate (new version)"
    assert ExamDomain.objects.get(pk=domain_id).weight_min == 55
    assert list(exam.domains.values_list("code", flat=True)) == ["1", "2", "3"]


def test_dropped_exam_is_archived_not_deleted_and_comes_back(exams_folder):
    run_import(exams_folder.root)
    exams_folder.data["exams"] = [
        item for item in exams_folder.data["exams"] if item["code"] != "DVA-C03"
    ]
    exams_folder.exam("DVA-C02").pop("successor")
    exams_folder.write()
    assert "archived 1" in run_import(exams_folder.root)
    archived = Exam.objects.get(code="DVA-C03")
    assert archived.is_archived
    assert archived.domains.count() == 2
    assert not Exam.objects.current().filter(code="DVA-C03").exists()
    assert Exam.objects.get(code="DVA-C02").successor is None

    ExamsFolder(exams_folder.root)  # the original files again
    assert "updated 2" in run_import(exams_folder.root)
    assert not Exam.objects.get(code="DVA-C03").is_archived
    assert Exam.objects.get(code="DVA-C02").successor.code == "DVA-C03"


def test_dry_run_prints_differences_and_writes_nothing(exams_folder):
    run_import(exams_folder.root)
    exams_folder.exam("DVA-C02")["last_day"] = date(2026, 12, 1)
    exams_folder.exam("DVA-C02")["domains"][1]["weight_max"] = 45
    exams_folder.write()
    with CaptureQueriesContext(connection) as queries:
        output = run_import(exams_folder.root, "--dry-run")
    assert write_queries(queries) == []
    assert "update exam DVA-C02" in output
    assert "last_day: '2026-11-30' -> '2026-12-01'" in output
    assert "domain 2: 'Security (40%)' -> 'Security (40-45%)'" in output
    assert "would have created 0, updated 1, archived 0; wrote nothing" in output
    assert Exam.objects.get(code="DVA-C02").last_day == date(2026, 11, 30)


def test_dry_run_flags_admin_edits_the_import_would_overwrite(exams_folder):
    run_import(exams_folder.root)
    Exam.objects.filter(code="AI-200").update(beta_from=date(2026, 4, 15))
    output = run_import(exams_folder.root, "--dry-run")
    assert "update exam AI-200  [overwrites an edit made in the admin" in output
    assert "beta_from: '2026-04-15' -> '2026-05-01'" in output


def test_service_imports_a_single_file(exams_folder):
    report = exams_import(path=exams_folder.file)
    assert report.applied
    assert report.counts()["create"] == 4
    assert exams_import(path=exams_folder.file).unchanged
