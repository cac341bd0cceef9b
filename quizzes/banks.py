"""Read and check the question bank files in content/questions/ (docs/questions-format.md).

`banks_load()` parses every bank file into the questions it wants, checking each question on its
own (schema, answer counts, rationales, catch-all choices); `check_references()` checks what a
question points to (exams, domains, topics, the vendor's documentation) against a given set of
exams and topics, so the importer can check against the database and the linter against the
files. Every problem is a `ContentError` with file and line; nothing here writes.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from curriculum.content import (
    SLUG_RE,
    ContentError,
    ContentInvalid,
    Located,
    Record,
    Where,
    content_files,
    display_path,
    read_yaml,
)

from .models import Difficulty, QuestionKind, QuestionStatus
from .rules import answer_problems, is_catch_all, reference_problem

KINDS = tuple(QuestionKind.values)
STATUSES = tuple(QuestionStatus.values)
DIFFICULTIES = tuple(Difficulty.values)
ID_MAX = 60
# A question's keys in the files, in the order the exporter writes them.
QUESTION_KEYS = (
    "id", "kind", "status", "difficulty", "exams", "topics", "stem", "choose", "choices",
    "explanation", "references",
)  # fmt: skip


@dataclass(frozen=True)
class DomainSpec:
    code: str
    weight_min: int
    weight_max: int


@dataclass(frozen=True)
class ExamSpec:
    """What the bank checks need to know of an exam, from the files or from the database."""

    code: str
    vendor: str
    question_count: int
    full_simulation: bool
    domains: tuple[DomainSpec, ...]

    def domain(self, code: str) -> DomainSpec | None:
        return next((domain for domain in self.domains if domain.code == code), None)


@dataclass
class Banks:
    """The questions the files want, by id, and where each was written."""

    titles: dict[str, str] = field(default_factory=dict)  # bank -> title
    bank_files: dict[str, str] = field(default_factory=dict)  # bank -> file
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    where: dict[str, Where] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    def error(self, uid: str, key: str, reason: str) -> None:
        where = self.where[uid]
        self.errors.append(ContentError(where.file, where.line_of(key), reason))


def default_questions_dir() -> Path:
    return Path(settings.BASE_DIR) / "content" / "questions"


# --- One question -------------------------------------------------------------------------------


def _exams(rec: Record) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    items = rec.items("exams", required=True)
    if rec.ok and rec.data.get("exams") is not None and not items:
        rec.error(rec.line_of("exams"), f"{rec.what}: 'exams' must name at least one exam")
    for item in items:
        link = Record(item, rec.file, f"{rec.what} exam", rec.errors, rec.line_of("exams"))
        exam = link.line_text("exam", required=True, max_length=20)
        domain = link.line_text("domain", required=True, max_length=10)
        link.done()
        if exam and any(other["exam"] == exam for other in links):
            link.error(link.line, f"{rec.what}: exam {exam} is listed twice")
        elif exam and domain:
            links.append({"exam": exam, "domain": domain})
    return links


def _choices(rec: Record, kind: str) -> list[dict[str, Any]]:
    choices = []
    label = "statement" if kind == QuestionKind.YESNO else "choice"
    for number, item in enumerate(rec.items("choices", required=True), start=1):
        what = f"{rec.what} {label} {number}"
        choice = Record(item, rec.file, what, rec.errors, rec.line_of("choices"))
        text = choice.text("text", required=True, max_length=2000).strip()
        correct = choice.flag("correct")
        rationale = choice.text("rationale", max_length=2000).strip()
        if choice.ok and not rationale:
            choice.error(choice.line, f"{what}: every {label} needs a 'rationale'")
        choice.done()
        if text and kind != QuestionKind.YESNO and is_catch_all(text):
            choice.error(
                choice.line_of("text"),
                f"{what}: 'all/none of the above' choices are not allowed (choices are shuffled)",
            )
        if text and any(other["text"] == text for other in choices):
            choice.error(choice.line_of("text"), f"{what}: the same text appears twice")
        choices.append({"text": text, "correct": correct, "rationale": rationale})
    return choices


def _references(rec: Record) -> list[str]:
    value = rec.raw("references", True)
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        rec.error(rec.line_of("references"), f"{rec.what}: 'references' must be a list of URLs")
        return []
    urls = []
    for url in value:
        problem = (
            reference_problem(url, vendors=())
            if isinstance(url, str)
            else f"reference {url!r} is not a URL"
        )
        if problem:
            rec.error(rec.line_of("references"), f"{rec.what}: {problem}")
        elif url in urls:
            rec.error(rec.line_of("references"), f"{rec.what}: {url} is listed twice")
        else:
            urls.append(url)
    return urls


def _choose(rec: Record) -> int | None:
    value = rec.raw("choose", False)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        rec.error(rec.line_of("choose"), f"{rec.what}: 'choose' must be a whole number above 0")
        return None
    return value


def _uid(rec: Record) -> str:
    value = rec.raw("id", True)
    if value is None:
        return ""
    if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > ID_MAX:
        rec.error(
            rec.line_of("id"),
            f"{rec.what}: id {value!r} must be lowercase letters, digits and hyphens "
            f"(at most {ID_MAX} characters)",
        )
        return ""
    return value


def parse_question(rec: Record, bank: str) -> dict[str, Any] | None:
    """The fields of one question in the files' vocabulary, or None when it has no usable id."""
    uid = _uid(rec)
    if uid:
        rec.what = f"question {uid}"
    kind = rec.choice("kind", KINDS)
    fields = {
        "bank": bank,
        "kind": kind,
        "status": rec.choice("status", STATUSES, default=QuestionStatus.ACTIVE),
        "difficulty": rec.choice("difficulty", DIFFICULTIES),
        "exams": _exams(rec),
        "topics": rec.slugs("topics"),
        "stem": rec.text("stem", required=True, max_length=8000).strip(),
        "choose": _choose(rec),
        "choices": _choices(rec, kind),
        "explanation": rec.text("explanation", required=True, max_length=8000).strip(),
        "references": _references(rec),
    }
    rec.done()
    if kind and rec.ok:
        correct = [choice["correct"] for choice in fields["choices"]]
        for problem in answer_problems(kind, correct, fields["choose"]):
            rec.error(rec.line_of("choices"), f"{rec.what}: {problem}")
    return fields if uid else None


# --- Files --------------------------------------------------------------------------------------


def _parse_file(data: Any, path: Path, banks: Banks) -> None:
    file = display_path(path)
    if not isinstance(data, Located):
        banks.errors.append(ContentError(file, 1, "expected a mapping with bank, title, questions"))
        return
    top = Record(data, file, "bank file", banks.errors, 1)
    bank = top.slug("bank")
    title = top.line_text("title", required=True, max_length=200)
    items = top.items("questions", required=True)
    top.done()
    if bank and bank != path.stem:
        top.error(top.line_of("bank"), f"bank {bank!r} must match the file name {path.stem!r}")
    if bank in banks.bank_files:
        top.error(top.line_of("bank"), f"bank {bank!r} is also in {banks.bank_files[bank]}")
        return
    if bank:
        banks.bank_files[bank], banks.titles[bank] = file, title
    for item in items:
        line = getattr(item, "line", top.line_of("questions"))
        rec = Record(item, file, "question", banks.errors, line)
        fields = parse_question(rec, bank)
        if fields is None:
            continue
        uid = rec.data["id"]
        if uid in banks.questions:
            first = banks.where[uid]
            rec.error(
                rec.line, f"duplicate question id {uid!r} (first at {first.file}:{first.line})"
            )
            continue
        banks.questions[uid] = fields
        banks.where[uid] = Where(file, rec.line, dict(rec.data.key_lines))


def banks_load(root: Path) -> Banks:
    """Parse and check every bank file under `root` (a folder or one file); nothing is written.

    Raises ContentInvalid with every problem found, each with file and line.
    """
    banks = Banks()
    paths = [root] if root.is_file() else list(content_files(root)) if root.is_dir() else []
    if not paths:
        reason = "no .yaml files found" if root.exists() else "no such questions folder or file"
        raise ContentInvalid([ContentError(display_path(root), 0, reason)])
    for path in paths:
        errors_before = len(banks.errors)
        data = read_yaml(path, banks.errors)
        if len(banks.errors) == errors_before:
            _parse_file(data, path, banks)
    if banks.errors:
        raise ContentInvalid(banks.errors)
    return banks


def check_references(
    banks: Banks, exams: dict[str, ExamSpec], topics: set[str] | None
) -> list[ContentError]:
    """Exams and domains that exist, topics that exist (when `topics` is given), and references
    on the official documentation of the vendors of the question's exams."""
    before = len(banks.errors)
    for uid, fields in banks.questions.items():
        vendors = []
        for link in fields["exams"]:
            exam = exams.get(link["exam"])
            if exam is None:
                banks.error(uid, "exams", f"question {uid}: no exam {link['exam']!r}")
                continue
            vendors.append(exam.vendor)
            if exam.domain(link["domain"]) is None:
                codes = ", ".join(domain.code for domain in exam.domains)
                banks.error(
                    uid,
                    "exams",
                    f"question {uid}: exam {exam.code} has no domain {link['domain']!r} "
                    f"(its domains: {codes})",
                )
        for slug in fields["topics"]:
            if topics is not None and slug not in topics:
                banks.error(uid, "topics", f"question {uid}: no curriculum topic {slug!r}")
        for url in fields["references"]:
            if vendors and (problem := reference_problem(url, sorted(set(vendors)))):
                banks.error(uid, "references", f"question {uid}: {problem}")
    return banks.errors[before:]
