from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from curriculum.content import ContentInvalid
from quizzes.services import default_exams_dir, exams_import


class Command(BaseCommand):
    help = (
        "Validate the exam files and bring the database in line with them: upsert by exam code, "
        "archive what the files dropped. On any error: file, line and reason, and nothing is "
        "written. Run after import_curriculum (exams point to its certifications)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help=f"exams folder or file (default {default_exams_dir()})",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print every difference, including admin edits the import would overwrite",
        )

    def handle(self, *args: object, path: Path | None, dry_run: bool, **options: object) -> None:
        try:
            report = exams_import(path=path, dry_run=dry_run)
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} error(s) in the exam files; nothing was written."
            ) from None
        if dry_run:
            for change in report.changes:
                self.stdout.write(change.describe())
        counts = report.counts()
        summary = (
            f"created {counts['create']}, updated {counts['update']}, archived {counts['archive']}"
        )
        if report.unchanged:
            self.stdout.write("import_exams: 0 changes; the database already matches.")
        elif dry_run:
            self.stdout.write(f"import_exams --dry-run: would have {summary}; wrote nothing.")
        else:
            self.stdout.write(self.style.SUCCESS(f"import_exams: {summary}."))
