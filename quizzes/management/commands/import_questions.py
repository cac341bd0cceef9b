from pathlib import Path

from curriculum.importing import ContentImportCommand
from quizzes.banks import default_questions_dir
from quizzes.services import QuestionsImport, questions_import


class Command(ContentImportCommand):
    help = (
        "Validate the question bank files and bring the database in line with them: upsert by "
        "question id, archive what a bank file dropped. On any error: file, line and reason, and "
        "nothing is written. Run after import_curriculum and import_exams."
    )
    what = "question bank files"

    def default_path(self) -> Path:
        return default_questions_dir()

    def run_import(self, *, path: Path | None, dry_run: bool) -> QuestionsImport:
        return questions_import(path=path, dry_run=dry_run)

    def dry_run_extra(self, result: QuestionsImport) -> list[str]:
        return [
            f"left alone: {count} question(s) of bank {bank!r}, which has no file "
            "(export_questions writes it)"
            for bank, count in sorted(result.unfiled.items())
        ]
