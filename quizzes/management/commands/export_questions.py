from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from quizzes.banks import default_questions_dir
from quizzes.services import questions_export


class Command(BaseCommand):
    help = (
        "Write the question banks in the database (admin edits and GIFT imports included) back "
        "to bank files, one per bank, in the format import_questions reads, for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, help=f"folder (default {default_questions_dir()})"
        )

    def handle(self, *args: object, path: Path | None, **options: object) -> None:
        written = questions_export(path=path)
        for target in written:
            self.stdout.write(f"wrote {target}")
        self.stdout.write(f"export_questions: wrote {len(written)} file(s).")
