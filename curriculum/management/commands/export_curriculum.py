from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from curriculum.services import curriculum_export, default_content_dir


class Command(BaseCommand):
    help = (
        "Write the curriculum in the database (admin edits included) back to content files, in "
        "the format import_curriculum reads, for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, help=f"content folder (default {default_content_dir()})"
        )

    def handle(self, *args: object, path: Path | None, **options: object) -> None:
        written, removed = curriculum_export(path=path)
        for stale in removed:
            self.stdout.write(f"removed {stale} (not in the database's curriculum)")
        self.stdout.write(f"export_curriculum: wrote {len(written)} file(s).")
