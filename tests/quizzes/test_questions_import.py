"""import_questions / export_questions: upsert by id, archive never delete, dry run, round trip,
and frozen versions so editing a question never changes what an attempt asked."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.models import Question, QuestionBank, QuestionStatus, QuestionVersion
from quizzes.services import question_version_sync, questions_export
from tests.importing import run_command, write_queries

from .conftest import question

pytestmark = pytest.mark.django_db


def test_import_creates_questions_with_choices_exams_and_a_first_version(bank_folder):
    bank_folder.questions[1] = question(
        "dva-0002",
        kind="multiple",
        choose=2,
        choices=[
            {"text": "A", "correct": True, "rationale": "Yes."},
            {"text": "B", "correct": True, "rationale": "Yes too."},
            {"text": "C", "rationale": "No."},
            {"text": "D", "rationale": "No."},
            {"text": "`E`", "rationale": "No."},
        ],
    )
    bank_folder.write()
    out = run_command("import_questions", bank_folder.root)
    assert "(bank 1, question 3)" in out
    q = Question.objects.get(uid="dva-0002")
    assert (q.bank.slug, q.kind, q.choose, q.status) == ("aws-developer", "multiple", 2, "active")
    assert [c.correct for c in q.choices.all()] == [True, True, False, False, False]
    assert q.choices.last().text_html == "<p><code>E</code></p>"
    assert "<strong>dva-0002</strong>" in q.explanation_html
    link = q.exam_links.get()
    assert (link.exam.code, link.domain.code) == ("DVA-C03", "1")
    assert q.version == 1
    version = q.versions.get()
    assert version.content["choose"] == 2
    assert [c["correct"] for c in version.content["choices"]] == [True, True, False, False, False]


def test_second_import_of_unchanged_files_writes_nothing(bank_folder):
    run_command("import_questions", bank_folder.root)
    with CaptureQueriesContext(connection) as queries:
        out = run_command("import_questions", bank_folder.root)
    assert "0 changes" in out
    assert write_queries(queries) == []


def test_update_keeps_old_version_for_finished_attempts(bank_folder):
    run_command("import_questions", bank_folder.root)
    first = QuestionVersion.objects.get(question__uid="dva-0001")
    frozen = dict(first.content)
    bank_folder.get("dva-0001")["stem"] = "A different scenario entirely. What now?"
    bank_folder.get("dva-0001")["choices"][0]["correct"] = False
    bank_folder.get("dva-0001")["choices"][1]["correct"] = True
    bank_folder.write()
    out = run_command("import_questions", bank_folder.root)
    assert "updated 1" in out
    q = Question.objects.get(uid="dva-0001")
    assert q.version == 2
    first.refresh_from_db()
    assert first.content == frozen  # what an attempt on version 1 showed is unchanged
    latest = q.versions.get(number=2)
    assert "different scenario" in latest.content["stem_html"]
    assert [c["correct"] for c in latest.content["choices"]][:2] == [False, True]


def test_status_change_alone_makes_no_new_version(bank_folder):
    run_command("import_questions", bank_folder.root)
    bank_folder.get("dva-0001")["status"] = "retired"
    bank_folder.write()
    run_command("import_questions", bank_folder.root)
    q = Question.objects.get(uid="dva-0001")
    assert q.status == QuestionStatus.RETIRED
    assert q.versions.count() == 1


def test_dropped_question_is_archived_not_deleted_and_comes_back(bank_folder):
    run_command("import_questions", bank_folder.root)
    dropped = bank_folder.questions.pop()
    bank_folder.write()
    out = run_command("import_questions", bank_folder.root)
    assert "archived 1" in out
    q = Question.objects.get(uid=dropped["id"])
    assert q.is_archived
    assert not Question.objects.active().filter(pk=q.pk).exists()
    bank_folder.questions.append(dropped)
    bank_folder.write()
    run_command("import_questions", bank_folder.root)
    q.refresh_from_db()
    assert not q.is_archived
    assert q.versions.count() == 1


def test_questions_of_banks_without_a_file_are_left_alone_and_reported(bank_folder):
    run_command("import_questions", bank_folder.root)
    bank = QuestionBank.objects.create(slug="from-gift", title="From GIFT")
    Question.objects.create(uid="gift-0001", bank=bank, kind="single", stem="S", explanation="E")
    out = run_command("import_questions", bank_folder.root, "--dry-run")
    assert "left alone: 1 question(s) of bank 'from-gift'" in out
    run_command("import_questions", bank_folder.root)
    assert not Question.objects.get(uid="gift-0001").is_archived


def test_dry_run_shows_differences_and_admin_edits_and_writes_nothing(bank_folder):
    run_command("import_questions", bank_folder.root)
    Question.objects.filter(uid="dva-0001").update(difficulty="hard")
    bank_folder.get("dva-0002")["difficulty"] = "easy"
    bank_folder.write()
    with CaptureQueriesContext(connection) as queries:
        out = run_command("import_questions", bank_folder.root, "--dry-run")
    assert write_queries(queries) == []
    assert "update question dva-0001  [overwrites an edit made in the admin" in out
    assert "difficulty: 'hard' -> 'medium'" in out
    assert "update question dva-0002\n    difficulty: 'medium' -> 'easy'" in out
    assert "wrote nothing" in out


def test_topics_link_to_the_curriculum(bank_folder):
    from tests.factories import TopicFactory

    TopicFactory(slug="aws-lambda")
    bank_folder.get("dva-0001")["topics"] = ["aws-lambda"]
    bank_folder.write()
    run_command("import_questions", bank_folder.root)
    assert list(Question.objects.get(uid="dva-0001").topics.values_list("slug", flat=True)) == [
        "aws-lambda"
    ]


def test_export_round_trip_is_byte_identical(bank_folder, tmp_path: Path):
    bank_folder.get("dva-0001")["exams"].append({"exam": "DVA-C02", "domain": "2"})
    bank_folder.questions.append(
        question(
            "dva-0004",
            kind="yesno",
            status="draft",
            stem="Line one.\n\nLine two with `code`.",
            choices=[
                {"text": "Statement one.", "correct": True, "rationale": "True because."},
                {"text": "Statement two.", "rationale": "False because."},
                {"text": "Statement three.", "correct": True, "rationale": "True again."},
            ],
        )
    )
    bank_folder.write()
    bank_folder.file.write_text("# A header comment\n" + bank_folder.file.read_text())
    run_command("import_questions", bank_folder.root)
    first = tmp_path / "export1"
    first.mkdir()
    (first / "aws-developer.yaml").write_text("# A header comment\n")
    questions_export(path=first)
    text = (first / "aws-developer.yaml").read_text()
    assert text.startswith("# A header comment\nbank: aws-developer\ntitle: AWS developer\n")
    # The export imports to the same database state, and exports again byte for byte.
    assert "0 changes" in run_command("import_questions", first)
    second = tmp_path / "export2"
    second.mkdir()
    (second / "aws-developer.yaml").write_text("# A header comment\n")
    questions_export(path=second)
    assert (second / "aws-developer.yaml").read_text() == text


def test_version_sync_is_idempotent(bank_folder):
    run_command("import_questions", bank_folder.root)
    q = Question.objects.get(uid="dva-0001")
    assert question_version_sync(question=q).number == 1
    assert q.versions.count() == 1
