from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from curriculum.content import ContentInvalid
from curriculum.services import curriculum_import, default_content_dir


class Command(BaseCommand):
    help = (
        "Validate the curriculum content files and bring the database in line with them: "
        "upsert by slug, archive what the files dropped. On any error: file, line and reason, "
        "and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, help=f"content folder (default {default_content_dir()})"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print every difference, including admin edits the import would overwrite",
        )

    def handle(self, *args: object, path: Path | None, dry_run: bool, **options: object) -> None:
        try:
            report = curriculum_import(path=path, dry_run=dry_run)
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} error(s) in the curriculum files; nothing was written."
            ) from None
        plan = report.plan
        if dry_run:
            for change in plan.changes:
                self.stdout.write(change.describe())
            if plan.redirects_changed:
                self.stdout.write("update former-slug redirects")
        counts = plan.counts()
        summary = (
            f"created {counts['create']}, updated {counts['update']}, archived {counts['archive']}"
        )
        if plan.unchanged:
            self.stdout.write("import_curriculum: 0 changes; the database already matches.")
        elif dry_run:
            self.stdout.write(f"import_curriculum --dry-run: would have {summary}; wrote nothing.")
        else:
            by_kind = Counter(change.kind for change in plan.changes)
            details = ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items()))
            self.stdout.write(self.style.SUCCESS(f"import_curriculum: {summary} ({details})."))
