from pathlib import Path

from curriculum.importing import ContentImportCommand
from quizzes.services import ExamsImport, default_exams_dir, exams_import


class Command(ContentImportCommand):
    help = (
        "Validate the exam files and bring the database in line with them: upsert by exam code, "
        "archive what the files dropped. On any error: file, line and reason, and nothing is "
        "written. Run after import_curriculum (exams point to its certifications)."
    )
    what = "exam files"

    def default_path(self) -> Path:
        return default_exams_dir()

    def run_import(self, *, path: Path | None, dry_run: bool) -> ExamsImport:
        return exams_import(path=path, dry_run=dry_run)
