"""The shared shape of the content import commands (import_curriculum, import_exams, ...)."""

from collections import Counter
from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .content import ContentInvalid


class ImportResult(Protocol):
    changes: list[Any]  # each with .kind, .action and .describe()

    def counts(self) -> Counter: ...

    @property
    def unchanged(self) -> bool: ...


class ContentImportCommand(BaseCommand):
    """Validate content files, then apply them; on any error print file:line: reason, exit 1."""

    what = "content files"

    def default_path(self) -> Path:
        raise NotImplementedError

    def run_import(self, *, path: Path | None, dry_run: bool) -> ImportResult:
        raise NotImplementedError

    def dry_run_extra(self, result: ImportResult) -> list[str]:
        return []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, help=f"folder to read (default {self.default_path()})"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print every difference, including admin edits the import would overwrite",
        )

    def handle(self, *args: object, path: Path | None, dry_run: bool, **options: object) -> None:
        try:
            result = self.run_import(path=path, dry_run=dry_run)
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} error(s) in the {self.what}; nothing was written."
            ) from None
        if dry_run:
            for change in result.changes:
                self.stdout.write(change.describe())
            for line in self.dry_run_extra(result):
                self.stdout.write(line)
        counts = result.counts()
        summary = (
            f"created {counts['create']}, updated {counts['update']}, archived {counts['archive']}"
        )
        name = self.__module__.rsplit(".", 1)[-1]
        if result.unchanged:
            self.stdout.write(f"{name}: 0 changes; the database already matches.")
        elif dry_run:
            self.stdout.write(f"{name} --dry-run: would have {summary}; wrote nothing.")
        else:
            kinds = Counter(change.kind for change in result.changes)
            details = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
            self.stdout.write(self.style.SUCCESS(f"{name}: {summary} ({details})."))
