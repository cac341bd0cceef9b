"""Bad exam files: every problem is reported with file, line and reason, the command fails with
exit status 1, and the database is left exactly as it was."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from curriculum.content import display_path
from curriculum.models import Certification
from quizzes.models import Exam, ExamDomain

pytestmark = pytest.mark.django_db


def failing_import(path: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written") as raised:
        call_command("import_exams", str(path), stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return err.getvalue()


def snapshot() -> tuple[list, list]:
    exams = list(Exam.objects.order_by("code").values())
    domains = list(ExamDomain.objects.order_by("pk").values())
    return exams, domains


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def imported(exams_folder):
    call_command("import_exams", str(exams_folder.root), stdout=StringIO())
    return exams_folder


@pytest.mark.parametrize(
    ("old", "new", "marker", "reason"),
    [
        ("name: Exam DVA-C03\n", "name: [Exam DVA-C03\n", None, "malformed YAML"),
        (
            "  name: Exam AI-200\n",
            "  name: Exam AI-200\n  colour: red\n",
            "colour: red",
            "exam AI-200: unknown key 'colour'",
        ),
        ("- code: DVA-C03\n", "- code: DVA-C02\n", None, "duplicate exam code 'DVA-C02'"),
        (
            "certification: azure-ai-cloud-developer-associate\n",
            "certification: azure-ai-nonexistent\n",
            "azure-ai-nonexistent",
            "exam AI-200: certification 'azure-ai-nonexistent' is not in the curriculum",
        ),
        (
            "last_day: 2026-11-30\n",
            "last_day: 2026-10-30\n  beta_from: 2026-11-01\n",
            "last_day: 2026-10-30",
            "exam DVA-C02: last_day 2026-10-30 is before beta_from 2026-11-01",
        ),
        (
            "duration_minutes: 100\n",
            "duration_minutes: -100\n",
            "duration_minutes: -100",
            "exam AZ-204: 'duration_minutes' must be a whole number above 0, not -100",
        ),
        (
            "successor: DVA-C03\n",
            "successor: DVA-C04\n",
            "successor: DVA-C04",
            "exam DVA-C02: successor 'DVA-C04' is not an exam in the files",
        ),
        (
            "weight_min: 40\n",
            "weight_min: 140\n",
            "weight_min: 140",
            "domain 2 of exam DVA-C02: 'weight_min' must be a whole number 0-100, not 140",
        ),
        (
            "weight_min: 60\n",
            "weight_min: 70\n",
            "- code: '1'",
            "domain 1 of exam DVA-C02: weight_min 70 is above weight_max 60",
        ),
        (
            "passing_score: 720\n",
            "passing_score: 1720\n",
            "passing_score: 1720",
            "exam DVA-C02: passing_score 1720 is above score_scale_max 1000",
        ),
        (
            "- multiple_response\n",
            "- multiple_guess\n",
            "question_types:",
            "exam DVA-C02: unknown question type 'multiple_guess'",
        ),
    ],
)
def test_error_is_reported_with_file_line_and_nothing_is_written(
    imported, old, new, marker, reason
):
    before = snapshot()
    path = imported.file
    edit(path, old, new)
    line = line_of(path, marker) if marker else None
    stderr = failing_import(imported.root)
    assert reason in stderr
    prefix = f"{display_path(path)}:{line}: " if line else f"{display_path(path)}:"
    assert any(row.startswith(prefix) and reason in row for row in stderr.splitlines()), stderr
    assert snapshot() == before


def test_every_error_is_reported_at_once(exams_folder):
    edit(exams_folder.file, "duration_minutes: 100\n", "duration_minutes: 0\n")
    edit(exams_folder.file, "successor: DVA-C03\n", "successor: DVA-C02\n")
    edit(exams_folder.file, "  name: Exam AI-200\n", "  name: Exam AI-200\n  state: beta\n")
    stderr = failing_import(exams_folder.root)
    assert "'duration_minutes' must be a whole number above 0" in stderr
    assert "exam DVA-C02: an exam cannot succeed itself" in stderr
    assert "exam AI-200: unknown key 'state'" in stderr
    assert not Exam.objects.exists()


def test_archived_certification_is_unknown(exams_folder):
    Certification.objects.filter(slug="azure-developer-associate").update(
        archived_at=timezone.now()
    )
    stderr = failing_import(exams_folder.root)
    assert "exam AZ-204: certification 'azure-developer-associate' is not in the curriculum" in (
        stderr
    )


def test_domain_ranges_that_cannot_make_100_are_rejected(exams_folder):
    exams_folder.exam("DVA-C03")["domains"][1]["weight_max"] = 30
    exams_folder.exam("DVA-C03")["domains"][1]["weight_min"] = 30
    exams_folder.write()
    stderr = failing_import(exams_folder.root)
    assert "exam DVA-C03: domain weights add up to 90-90 percent, which cannot make 100" in stderr


def test_portal_choice_needs_a_simulation_note(exams_folder):
    exams_folder.exam("AZ-204").pop("simulation_note")
    exams_folder.write()
    stderr = failing_import(exams_folder.root)
    assert "figures_are_portal_choice needs a simulation_note" in stderr


def test_missing_folder_is_an_error(tmp_path, db):
    stderr = failing_import(tmp_path / "nowhere")
    assert "no such exams folder or file" in stderr
