from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from curriculum.content import ContentInvalid, display_path
from quizzes.services import gift_import


class Command(BaseCommand):
    help = (
        "Import the multiple-choice and multiple-response questions of a Moodle GIFT file into "
        "one exam and domain, as draft questions of a bank. On any error: line and reason, and "
        "nothing is written. Editors then add references (and any missing rationale) in the "
        "admin, mark them active, and export_questions writes them to the bank files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .gift file (UTF-8)")
        parser.add_argument("--exam", required=True, help="exam code, such as DVA-C03")
        parser.add_argument("--domain", required=True, help="domain code in that exam, such as 2")
        parser.add_argument("--bank", required=True, help="bank slug (made when missing)")
        parser.add_argument("--bank-title", default="", help="title for a new bank")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: object, file: Path, **options: object) -> None:
        source = display_path(file)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{source}: cannot read it as UTF-8 text ({error})") from None
        try:
            result = gift_import(
                text=text,
                source=source,
                exam_code=options["exam"],
                domain_code=options["domain"],
                bank=options["bank"],
                bank_title=options["bank_title"],
                dry_run=options["dry_run"],
            )
        except ContentInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} error(s) in {source}; nothing was written."
            ) from None
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"import_gift: {verb} {len(result.questions)} draft question(s) into bank "
            f"{result.bank}, exam {result.exam} domain {result.domain}: "
            f"{', '.join(result.questions)}."
        )
