"""The bank linter over the real banks, and for each of its rules an example that fails it."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from curriculum.content import ContentInvalid
from quizzes.banks import DomainSpec, ExamSpec, banks_load
from quizzes.lint import lint, lint_content

from .conftest import question

CONTENT = Path(settings.BASE_DIR) / "content"
BANKS = ("aws-developer", "azure-developer")


def test_every_real_bank_passes_the_linter():
    assert {path.stem for path in (CONTENT / "questions").glob("*.yaml")} >= set(BANKS)
    errors = lint_content(CONTENT / "questions", CONTENT / "exams", CONTENT / "curriculum")
    assert [str(error) for error in errors] == []


# --- Failing examples, one per rule -------------------------------------------------------------

AWS = ExamSpec("DVA-C03", "AWS", 65, False, (DomainSpec("1", 60, 60), DomainSpec("2", 40, 40)))
AWS_FULL = ExamSpec("DVA-C02", "AWS", 40, True, (DomainSpec("1", 60, 60), DomainSpec("2", 40, 40)))
AZURE = ExamSpec(
    "AZ-204", "Microsoft", 50, False, (DomainSpec("1", 50, 60), DomainSpec("2", 40, 50))
)
EXAMS = {exam.code: exam for exam in (AWS, AWS_FULL, AZURE)}


def write_bank(tmp_path: Path, questions: list[dict], bank: str = "aws-developer") -> Path:
    path = tmp_path / f"{bank}.yaml"
    path.write_text(yaml.safe_dump({"bank": bank, "title": "T", "questions": questions}))
    return path


def balanced(exam: str = "DVA-C03", first: int = 18, second: int = 12) -> list[dict]:
    """A bank that fills a 30-question mini exam of a 60/40 exam exactly."""
    return [question(f"q-{n:04d}", exam=exam, domain="1") for n in range(first)] + [
        question(f"q-{n:04d}", exam=exam, domain="2") for n in range(first, first + second)
    ]


def lint_errors(tmp_path: Path, questions: list[dict]) -> list[str]:
    return [str(error) for error in lint(banks_load(write_bank(tmp_path, questions)), EXAMS)]


def load_errors(tmp_path: Path, questions: list[dict]) -> list[str]:
    with pytest.raises(ContentInvalid) as raised:
        banks_load(write_bank(tmp_path, questions))
    return [str(error) for error in raised.value.errors]


def test_a_balanced_bank_passes(tmp_path):
    assert lint_errors(tmp_path, balanced()) == []


def test_schema_errors_name_file_and_line(tmp_path):
    bad = question("q-0001", kind="essay", colour="blue")
    del bad["explanation"]
    errors = load_errors(tmp_path, [bad])
    assert any("aws-developer.yaml:" in e and "'kind' is 'essay'" in e for e in errors)
    assert any("unknown key 'colour'" in e for e in errors)
    assert any("'explanation' is required" in e for e in errors)
    text = (tmp_path / "aws-developer.yaml").read_text().splitlines()
    line = next(n for n, row in enumerate(text, 1) if "colour" in row)
    assert any(e.startswith(f"aws-developer.yaml:{line}:") or f":{line}: " in e for e in errors)


def test_duplicate_ids(tmp_path):
    errors = load_errors(tmp_path, [question("q-0001"), question("q-0001")])
    assert any("duplicate question id 'q-0001'" in e for e in errors)


def test_duplicate_ids_across_banks(tmp_path):
    write_bank(tmp_path, [question("q-0001")], bank="aws-developer")
    write_bank(tmp_path, [question("q-0001")], bank="azure-developer")
    with pytest.raises(ContentInvalid, match="duplicate question id 'q-0001'"):
        banks_load(tmp_path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"choices": [{"text": c, "correct": True, "rationale": "r"} for c in "ABCD"]},
         "exactly one correct choice, not 4"),
        ({"choices": [{"text": c, "rationale": "r"} for c in "ABC"]},
         "exactly one correct choice, not 0"),
        ({"choices": [{"text": "A", "correct": True, "rationale": "r"},
                      {"text": "B", "rationale": "r"}]},
         "has 3 to 6 choices, not 2"),
        ({"kind": "multiple", "choose": 3}, "at least two correct and two wrong"),
        ({"kind": "multiple", "choose": 3,
          "choices": [{"text": c, "correct": c in "AB", "rationale": "r"} for c in "ABCDE"]},
         "'choose' must equal the number of correct choices (2), not 3"),
        ({"kind": "multiple",
          "choices": [{"text": c, "correct": c in "AB", "rationale": "r"} for c in "ABCDE"]},
         "says how many to choose ('choose': 2)"),
        ({"choose": 1}, "only multiple response questions say how many to choose"),
        ({"kind": "yesno", "choices": [{"text": "S", "rationale": "r"}]},
         "has 2 to 5 statements, not 1"),
    ],
)  # fmt: skip
def test_answer_count_rules(tmp_path, extra, message):
    errors = load_errors(tmp_path, [question("q-0001", **extra)])
    assert any(message in e for e in errors), errors


def test_near_duplicate_stems(tmp_path):
    questions = balanced()
    questions[1]["stem"] = questions[0]["stem"].replace("Which option", "What option")
    errors = lint_errors(tmp_path, questions)
    assert any("q-0001: its stem nearly repeats q-0000" in e for e in errors), errors


def test_domain_share_outside_the_blueprint(tmp_path):
    # 30 in domain 1 and 15 in domain 2: 66.7% against 60% -> more than 5 points out.
    errors = lint_errors(tmp_path, balanced(first=30, second=15))
    assert any("exam DVA-C03 domain 1: 30 of 45 active questions (66.7%)" in e for e in errors)
    assert any("domain 2: 15 of 45 active questions (33.3%)" in e for e in errors)


def test_cannot_fill_a_mini_exam(tmp_path):
    errors = lint_errors(tmp_path, balanced(first=17, second=12))
    assert any(
        "exam DVA-C03: the bank cannot fill a mini exam of 30 questions at blueprint weight "
        "(domain 1 needs 18, has 17)" in e
        for e in errors
    ), errors


def test_cannot_fill_a_full_simulation(tmp_path):
    errors = lint_errors(tmp_path, balanced(exam="DVA-C02", first=18, second=12))
    assert any(
        "exam DVA-C02: the bank cannot fill a full simulation of 40 questions at blueprint "
        "weight (domain 1 needs 24, has 18, domain 2 needs 16, has 12)" in e
        for e in errors
    ), errors
    assert not any("cannot fill a mini exam" in e for e in errors)


def test_drafts_and_retired_questions_do_not_count(tmp_path):
    questions = balanced()
    questions[0]["status"] = "draft"
    errors = lint_errors(tmp_path, questions)
    assert any("domain 1 needs 18, has 17" in e for e in errors)


def test_exams_without_questions_are_left_alone(tmp_path):
    assert "AZ-204" not in " ".join(lint_errors(tmp_path, balanced()))


def test_reference_not_on_the_vendor_documentation(tmp_path):
    questions = balanced()
    questions[0]["references"] = ["https://learn.microsoft.com/en-us/azure/"]  # AWS question
    questions[1]["references"] = ["https://www.examtopics.com/dva"]
    questions[2]["references"] = ["http://docs.aws.amazon.com/lambda/"]  # not https
    errors = lint_errors(tmp_path, questions[:2] + questions[3:]) + load_errors(
        tmp_path, [questions[2]]
    )
    assert any("q-0000: reference 'https://learn.microsoft.com/en-us/azure/' is not on" in e
               for e in errors)  # fmt: skip
    assert any("q-0001: reference 'https://www.examtopics.com/dva'" in e for e in errors)
    assert any("must be an https URL" in e for e in errors)


def test_unknown_exam_domain_and_topic(tmp_path):
    banks = banks_load(
        write_bank(
            tmp_path,
            [
                question("q-0001", exam="XYZ-C01"),
                question("q-0002", domain="9"),
                question("q-0003", topics=["no-such-topic"]),
            ],
        )
    )
    errors = [str(e) for e in lint(banks, EXAMS, topics={"aws-lambda"})]
    assert any("q-0001: no exam 'XYZ-C01'" in e for e in errors)
    assert any("q-0002: exam DVA-C03 has no domain '9' (its domains: 1, 2)" in e for e in errors)
    assert any("q-0003: no curriculum topic 'no-such-topic'" in e for e in errors)


def test_choice_without_rationale(tmp_path):
    bad = question("q-0001")
    del bad["choices"][2]["rationale"]
    errors = load_errors(tmp_path, [bad])
    assert any("question q-0001 choice 3: every choice needs a 'rationale'" in e for e in errors)


@pytest.mark.parametrize(
    "text", ["All of the above", "None of the above.", "all of these", "Both of the above"]
)
def test_all_or_none_of_the_above(tmp_path, text):
    bad = question("q-0001")
    bad["choices"][3]["text"] = text
    errors = load_errors(tmp_path, [bad])
    assert any("'all/none of the above' choices are not allowed" in e for e in errors)
