"""Writes to the question banks: import and export of content/questions/, the frozen versions
attempts keep, and saving a question edited in the admin (docs/questions-format.md).

The import follows the curriculum importer's rules: every bank file is parsed and checked first
(each question on its own, then its exams, domains, topics and references against the database),
every problem is reported with file and line, and nothing is written unless there are none. Then
questions are upserted by id in one transaction. A question a bank file no longer holds is
archived, never deleted, so finished attempts keep it; questions of banks with no file (made in
the admin or by a GIFT import, not yet exported) are left alone and listed by `--dry-run`.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from curriculum.content import SLUG_RE, ContentError, ContentInvalid
from curriculum.models import Topic
from curriculum.services import Change, Row, content_stamp_bump, dump_yaml, fingerprint

from ..banks import QUESTION_KEYS, Banks, DomainSpec, ExamSpec, banks_load, default_questions_dir
from ..banks import check_references as check_bank_references
from ..gift import parse_gift
from ..models import (
    Choice,
    Exam,
    ExamDomain,
    Question,
    QuestionBank,
    QuestionExam,
    QuestionStatus,
    QuestionVersion,
)

SCALARS = ("kind", "status", "difficulty", "stem", "choose", "explanation", "references")


def exam_specs_from_database() -> dict[str, ExamSpec]:
    """What the bank checks need of each current exam, from the database (two queries)."""
    exams = Exam.objects.current().prefetch_related(
        Prefetch("domains", queryset=ExamDomain.objects.order_by("position", "code"))
    )
    return {
        exam.code: ExamSpec(
            code=exam.code,
            vendor=exam.vendor,
            question_count=exam.question_count,
            full_simulation=exam.full_simulation,
            domains=tuple(
                DomainSpec(d.code, d.weight_min, d.weight_max) for d in exam.domains.all()
            ),
        )
        for exam in exams
    }


def _normal(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields in canonical form: exam links by exam code, topics sorted."""
    return {
        **fields,
        "exams": sorted(fields["exams"], key=lambda link: link["exam"]),
        "topics": sorted(fields["topics"]),
    }


# --- Versions ----------------------------------------------------------------------------------


def question_snapshot(question: Question) -> dict[str, Any]:
    """What a learner is shown and scored on, frozen: choices keep their position as key."""
    return {
        "uid": question.uid,
        "kind": question.kind,
        "choose": question.choose,
        "stem_html": question.stem_html,
        "explanation_html": question.explanation_html,
        "references": list(question.references),
        "choices": [
            {
                "key": index,
                "text_html": choice.text_html,
                "correct": choice.correct,
                "rationale": choice.rationale,
            }
            for index, choice in enumerate(question.choices.order_by("position", "pk"))
        ],
    }


def question_version_sync(*, question: Question) -> QuestionVersion:
    """The question's current frozen version, made anew when what it shows has changed."""
    content = question_snapshot(question)
    digest = fingerprint(content)
    latest = question.versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == digest:
        return latest
    number = latest.number + 1 if latest else 1
    version = QuestionVersion.objects.create(
        question=question, number=number, fingerprint=digest, content=content
    )
    Question.objects.filter(pk=question.pk).update(version=number)
    question.version = number
    return version


# --- Differences with the database -------------------------------------------------------------


def _database_questions() -> dict[str, Row]:
    """Every question (archived too) as {uid: Row}, in the files' vocabulary."""
    questions = Question.objects.select_related("bank").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")),
        Prefetch("exam_links", queryset=QuestionExam.objects.select_related("exam", "domain")),
        Prefetch("topics", queryset=Topic.objects.only("slug")),
    )
    rows = {}
    for question in questions:
        fields = {"bank": question.bank.slug}
        fields |= {name: getattr(question, name) for name in SCALARS}
        fields["exams"] = [
            {"exam": link.exam.code, "domain": link.domain.code}
            for link in question.exam_links.all()
        ]
        fields["topics"] = [topic.slug for topic in question.topics.all()]
        fields["choices"] = [
            {"text": c.text, "correct": c.correct, "rationale": c.rationale}
            for c in question.choices.all()
        ]
        rows[question.uid] = Row(
            question.pk, _normal(fields), question.is_archived, question.imported_fingerprint
        )
    return rows


def _differences(row: Row, wanted: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    differences = [
        (name, row.fields.get(name), value)
        for name, value in wanted.items()
        if row.fields.get(name) != value
    ]
    if row.archived:
        differences.insert(0, ("archived", True, False))
    return differences


def _plan(banks: Banks, database: dict[str, Row]) -> list[Change]:
    changes = []
    titles = dict(QuestionBank.objects.values_list("slug", "title"))
    for slug, title in banks.titles.items():
        if slug not in titles:
            changes.append(Change("bank", slug, "create"))
        elif titles[slug] != title:
            changes.append(Change("bank", slug, "update", [("title", titles[slug], title)]))
    for uid, fields in banks.questions.items():
        wanted = _normal(fields)
        row = database.get(uid)
        if row is None:
            changes.append(Change("question", uid, "create"))
        elif differences := _differences(row, wanted):
            edited = bool(row.fingerprint) and row.fingerprint != fingerprint(row.fields)
            changes.append(Change("question", uid, "update", differences, edited))
    for uid, row in database.items():
        if uid not in banks.questions and not row.archived and row.fields["bank"] in banks.titles:
            changes.append(Change("question", uid, "archive"))
    return changes


# --- Applying ----------------------------------------------------------------------------------


def _write_question(question: Question, fields: dict[str, Any], domains: dict, topics: dict):
    for name in SCALARS:
        setattr(question, name, fields[name])
    question.save()
    question.choices.all().delete()
    for position, choice in enumerate(fields["choices"]):
        Choice.objects.create(question=question, position=position, **choice)
    question.exam_links.all().delete()
    QuestionExam.objects.bulk_create(
        QuestionExam(
            question=question,
            exam_id=domains[(link["exam"], link["domain"])][0],
            domain_id=domains[(link["exam"], link["domain"])][1],
        )
        for link in fields["exams"]
    )
    question.topics.set([topics[slug] for slug in fields["topics"]])
    question_version_sync(question=question)


def _apply(banks: Banks, database: dict[str, Row], changes: list[Change]) -> None:
    now = timezone.now()
    domains = {
        (code, domain): (exam_id, pk)
        for pk, exam_id, code, domain in ExamDomain.objects.filter(
            exam__archived_at__isnull=True
        ).values_list("pk", "exam_id", "exam__code", "code")
    }
    topics = dict(Topic.objects.current().values_list("slug", "pk"))
    for change in changes:
        if change.kind == "bank":
            QuestionBank.objects.update_or_create(
                slug=change.key, defaults={"title": banks.titles[change.key]}
            )
    bank_ids = dict(QuestionBank.objects.values_list("slug", "pk"))
    existing = {q.uid: q for q in Question.objects.filter(uid__in=[c.key for c in changes])}
    for change in changes:
        if change.kind == "bank":
            continue
        if change.action == "archive":
            Question.objects.filter(pk=database[change.key].pk).update(archived_at=now)
            continue
        fields = _normal(banks.questions[change.key])
        question = existing.get(change.key) or Question(uid=change.key)
        question.bank_id = bank_ids[fields["bank"]]
        question.archived_at = None
        question.imported_fingerprint = fingerprint(fields)
        _write_question(question, fields, domains, topics)


@dataclass
class QuestionsImport:
    changes: list[Change]
    applied: bool
    unfiled: dict[str, int]  # bank -> current questions of banks that have no file

    def counts(self) -> Counter:
        return Counter(change.action for change in self.changes)

    @property
    def unchanged(self) -> bool:
        return not self.changes


def questions_load(path: Path | None = None) -> Banks:
    """Parse the bank files and check them against the database's exams and topics."""
    banks = banks_load(path or default_questions_dir())
    topics = set(Topic.objects.current().values_list("slug", flat=True))
    errors = check_bank_references(banks, exam_specs_from_database(), topics)
    if errors:
        raise ContentInvalid(errors)
    return banks


def questions_import(*, path: Path | None = None, dry_run: bool = False) -> QuestionsImport:
    """Validate the bank files under `path` (default content/questions/), then bring the
    database in line with them: upsert by id, archive what a bank file dropped.

    Raises ContentInvalid (file, line and reason for every problem) before writing anything.
    Applied changes renew the catalogue's content stamp on commit (the API's ETags).
    """
    banks = questions_load(path)
    with transaction.atomic():
        database = _database_questions()
        changes = _plan(banks, database)
        unfiled = Counter(
            row.fields["bank"]
            for row in database.values()
            if not row.archived and row.fields["bank"] not in banks.titles
        )
        if dry_run or not changes:
            return QuestionsImport(changes, applied=False, unfiled=dict(unfiled))
        _apply(banks, database, changes)
        content_stamp_bump()  # the exam API counts active questions per exam and domain
    return QuestionsImport(changes, applied=True, unfiled=dict(unfiled))


# --- Export ------------------------------------------------------------------------------------


def _export_question(uid: str, fields: dict[str, Any]) -> dict[str, Any]:
    values = {"id": uid, **fields}
    out: dict[str, Any] = {}
    for key in QUESTION_KEYS:
        value = values.get(key)
        if key == "status" and value == "active":
            continue  # the default
        if value in (None, "", []):
            continue
        if key == "choices":
            value = [
                {"text": c["text"], **({"correct": True} if c["correct"] else {}),
                 "rationale": c["rationale"]}
                for c in value
            ]  # fmt: skip
        out[key] = value
    return out


def _bank_header(path: Path) -> str:
    """The comment lines at the top of an existing bank file, kept across exports."""
    if not path.exists():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def questions_export(*, path: Path | None = None) -> list[Path]:
    """Write every bank's current (not archived) questions to `<path>/<bank>.yaml`, keeping each
    file's header comment; returns the files written."""
    root = path or default_questions_dir()
    root.mkdir(parents=True, exist_ok=True)
    rows = {uid: row for uid, row in _database_questions().items() if not row.archived}
    by_bank: dict[str, list[tuple[str, dict]]] = {}
    for uid, row in sorted(rows.items()):
        by_bank.setdefault(row.fields["bank"], []).append((uid, row.fields))
    titles = dict(QuestionBank.objects.values_list("slug", "title"))
    written = []
    for bank, questions in sorted(by_bank.items()):
        target = root / f"{bank}.yaml"
        data = {
            "bank": bank,
            "title": titles[bank],
            "questions": [
                _export_question(uid, {k: v for k, v in f.items() if k != "bank"})
                for uid, f in questions
            ],
        }
        target.write_text(_bank_header(target) + dump_yaml(data), encoding="utf-8")
        written.append(target)
    return written


# --- GIFT import -------------------------------------------------------------------------------


@dataclass
class GiftImport:
    bank: str
    exam: str
    domain: str
    questions: list[str]  # the new question ids
    applied: bool


def _next_numbers(bank: str, count: int) -> list[str]:
    """`count` unused ids `<bank>-NNNN`, after the highest number the bank already has."""
    prefix = f"{bank}-"
    used = [
        int(uid[len(prefix) :])
        for uid in Question.objects.filter(uid__startswith=prefix).values_list("uid", flat=True)
        if uid[len(prefix) :].isdigit()
    ]
    start = max(used, default=0) + 1
    return [f"{prefix}{number:04d}" for number in range(start, start + count)]


def gift_import(
    *,
    text: str,
    source: str,
    exam_code: str,
    domain_code: str,
    bank: str,
    bank_title: str = "",
    dry_run: bool = False,
) -> GiftImport:
    """Import the multiple-choice and multiple-response questions of a GIFT file into one exam
    and domain, as drafts of `bank` (made when missing), numbered `<bank>-NNNN`.

    GIFT feedback becomes each choice's rationale and general feedback the explanation; GIFT has
    no references, so the questions stay drafts until an editor adds them in the admin. Raises
    ContentInvalid (source, line, reason) on any problem, before writing anything.
    """
    questions = parse_gift(text, source=source)
    errors = []
    exam = Exam.objects.current().filter(code__iexact=exam_code).first()
    domain = exam.domains.filter(code=domain_code).first() if exam else None
    if exam is None:
        errors.append(ContentError(source, 0, f"no exam {exam_code!r}"))
    elif domain is None:
        codes = ", ".join(exam.domains.values_list("code", flat=True))
        errors.append(
            ContentError(source, 0, f"exam {exam.code} has no domain {domain_code!r} ({codes})")
        )
    if not SLUG_RE.match(bank) or len(bank) > 50:
        errors.append(ContentError(source, 0, f"bank {bank!r} must be a slug"))
    if not questions and not errors:
        errors.append(ContentError(source, 1, "no questions found"))
    if errors:
        raise ContentInvalid(errors)
    uids = _next_numbers(bank, len(questions))
    if dry_run:
        return GiftImport(bank, exam.code, domain.code, uids, applied=False)
    with transaction.atomic():
        question_bank, _ = QuestionBank.objects.get_or_create(
            slug=bank, defaults={"title": bank_title or bank.replace("-", " ").capitalize()}
        )
        for uid, parsed in zip(uids, questions, strict=True):
            question = Question.objects.create(
                uid=uid,
                bank=question_bank,
                kind=parsed.kind,
                status=QuestionStatus.DRAFT,
                stem=parsed.stem,
                choose=parsed.choose,
                explanation=parsed.explanation,
            )
            for position, choice in enumerate(parsed.choices):
                Choice.objects.create(
                    question=question,
                    position=position,
                    text=choice.text,
                    correct=choice.correct,
                    rationale=choice.feedback,
                )
            QuestionExam.objects.create(question=question, exam=exam, domain=domain)
            question_version_sync(question=question)
        content_stamp_bump()  # drafts count nowhere yet; renewed like every catalogue write
    return GiftImport(bank, exam.code, domain.code, uids, applied=True)
