"""Bad content: every problem is reported with file, line and reason, the command exits with
status 1, and the database is left exactly as it was."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from curriculum.services import database_records

pytestmark = pytest.mark.django_db


def failing_import(path: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_curriculum", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


def snapshot() -> dict:
    return {
        kind: {key: (row.fields, row.archived) for key, row in rows.items()}
        for kind, rows in database_records().items()
    }


@pytest.fixture
def imported(content_folder):
    call_command("import_curriculum", str(content_folder.root), stdout=StringIO())
    return content_folder


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


TRACK = "tracks/demo-track.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "reason"),
    [
        (TRACK, "title: Containers\n", "title: [Containers\n", None, "malformed YAML"),
        (
            TRACK,
            "  title: Demo Track\n",
            "  title: Demo Track\n  colour: red\n",
            "colour: red",
            "unknown key 'colour'",
        ),
        (
            TRACK,
            "slug: identity\n",
            "slug: containers\n",
            None,
            "duplicate topic slug 'containers'",
        ),
        (TRACK, "- docker\n", "- kubernetes\n", None, "refers to unknown technology 'kubernetes'"),
        (
            TRACK,
            "url: https://docs.docker.com/",
            "url: javascript:alert(1)",
            "url: javascript:alert(1)",
            "is not an absolute http(s) URL",
        ),
        (
            TRACK,
            "url: https://docs.docker.com/",
            "url: ftp://docs.docker.com/",
            "url: ftp://",
            "is not an absolute http(s) URL",
        ),
        (TRACK, "weeks: 1\n", "weeks: -1\n", "weeks: -1", "'weeks' must not be negative"),
        (TRACK, "hours: 6\n", "hours: -6\n", "hours: -6", "'hours' must not be negative"),
        (TRACK, "hours: 6\n", "hours: 60\n", "slug: foundations-a", "add up to 64 hours"),
        (TRACK, "level: beginner", "level: expert", "level: expert", "expected one of beginner"),
        (
            "certifications.yaml",
            "successor: azure-ai-cloud-developer-associate",
            "successor: ai-300",
            None,
            "refers to unknown certification 'ai-300'",
        ),
        ("skills.yaml", "  summary: The language of ML.\n", "", None, "'summary' is required"),
    ],  # fmt: skip
)
def test_bad_content_reports_file_line_reason_and_changes_nothing(
    imported, file, old, new, marker, reason
):
    before = snapshot()
    path = imported.root / file
    edit(path, old, new)
    # The title change proves the rest of a bad import is not half-applied.
    edit(imported.root / TRACK, "title: Review", "title: Review again")
    errors = failing_import(imported.root)
    assert reason in errors
    assert str(path) in errors or file in errors
    if marker:
        assert f":{line_of(path, marker)}: " in errors
    assert snapshot() == before


def test_duplicate_key_in_a_mapping_is_an_error(imported):
    edit(imported.root / TRACK, "  title: Demo Track\n", "  title: Demo Track\n  title: Again\n")
    assert "duplicate key 'title'" in failing_import(imported.root)


def test_duplicate_slug_across_files_names_both_places(imported):
    extra = imported.root / "tracks" / "other.yaml"
    text = (imported.root / TRACK).read_text().replace("slug: demo-track", "slug: other-track")
    extra.write_text(text)
    errors = failing_import(imported.root)
    assert "duplicate phase slug 'foundations' (first at " in errors


def test_every_error_is_reported_not_just_the_first(imported):
    edit(imported.root / TRACK, "level: beginner", "level: expert")
    edit(imported.root / "technologies.yaml", "category: tool", "category: gadget")
    errors = failing_import(imported.root).strip().splitlines()
    assert len(errors) == 2


def test_command_exits_with_status_1():
    broken = Path(settings.BASE_DIR) / "var" / "broken-content"
    broken.mkdir(parents=True, exist_ok=True)
    (broken / "bad.yaml").write_text("track: [\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_curriculum", str(broken), "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:"},
        check=False,
    )
    assert result.returncode == 1
    assert "bad.yaml:2: malformed YAML" in result.stderr
