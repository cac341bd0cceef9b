from pathlib import Path

from curriculum.importing import ContentImportCommand
from curriculum.services import ImportReport, curriculum_import, default_content_dir


class Command(ContentImportCommand):
    help = (
        "Validate the curriculum content files and bring the database in line with them: "
        "upsert by slug, archive what the files dropped. On any error: file, line and reason, "
        "and nothing is written."
    )
    what = "curriculum files"

    def default_path(self) -> Path:
        return default_content_dir()

    def run_import(self, *, path: Path | None, dry_run: bool) -> ImportReport:
        return curriculum_import(path=path, dry_run=dry_run)

    def dry_run_extra(self, result: ImportReport) -> list[str]:
        return ["update former-slug redirects"] if result.plan.redirects_changed else []
