"""Writes to the quizzes: the exam import from content/exams/ (docs/exams-format.md).

The import follows the curriculum importer's rules and reuses its reader: every file is parsed
and validated first (unknown keys, unique codes, certifications that exist, successors in the
files, date order, weights), every problem is reported with file and line, and nothing is written
unless there are none. Then the differences with the database are planned and applied in one
transaction: exams are upserted by code, their domains by (exam, code), and exams the files no
longer hold are archived, never deleted. Unchanged files write nothing.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from curriculum.content import (
    CERTIFICATION_LEVELS,
    ContentError,
    ContentInvalid,
    Located,
    Record,
    Where,
    content_files,
    display_path,
    read_yaml,
)
from curriculum.models import Certification
from curriculum.services import Change, Row, content_stamp_bump, fingerprint

from ..banks import DomainSpec, ExamSpec
from ..models import Exam, ExamDomain, QuestionExam

EXAM_CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
QUESTION_TYPES = (
    "multiple_choice", "multiple_response", "drag_and_drop", "build_list", "hot_area",
    "active_screen", "case_study", "ordering", "matching",
)  # fmt: skip
# The exam's own columns, as the files name them (plus certification, successor and domains).
SCALARS = (
    "name", "vendor", "level", "duration_minutes", "question_count", "scored_questions",
    "passing_score", "score_scale_max", "question_types", "full_simulation",
    "figures_are_portal_choice", "simulation_note", "beta_from", "available_from", "last_day",
    "sources", "conflicts", "notes",
)  # fmt: skip
DATE_ORDER = (("beta_from", "available_from"), ("available_from", "last_day"))


def default_exams_dir() -> Path:
    return Path(settings.BASE_DIR) / "content" / "exams"


# --- Reading the files -------------------------------------------------------------------------


@dataclass
class ExamFiles:
    """The exams the files want, by code, and where each was written."""

    exams: dict[str, dict[str, Any]] = field(default_factory=dict)
    where: dict[str, Where] = field(default_factory=dict)
    certifications: dict[str, int] = field(default_factory=dict)  # slug -> pk
    errors: list[ContentError] = field(default_factory=list)

    def error(self, code: str, key: str, reason: str) -> None:
        where = self.where[code]
        self.errors.append(ContentError(where.file, where.line_of(key), reason))


def _count(rec: Record, key: str, required: bool = True) -> int | None:
    value = rec.raw(key, required)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        rec.error(
            rec.line_of(key), f"{rec.what}: '{key}' must be a whole number above 0, not {value!r}"
        )
        return None
    return value


def _weight(rec: Record, key: str) -> int | None:
    value = rec.raw(key, True)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        rec.error(
            rec.line_of(key), f"{rec.what}: '{key}' must be a whole number 0-100, not {value!r}"
        )
        return None
    return value


def _strings(rec: Record, key: str, required: bool = False) -> list[str]:
    value = rec.raw(key, required)
    if value is None:
        return []
    if (
        not isinstance(value, list)
        or not all(isinstance(item, str) and item.strip() for item in value)
        or (required and not value)
    ):
        rec.error(rec.line_of(key), f"{rec.what}: '{key}' must be a list of text lines")
        return []
    return [item.strip() for item in value]


def _question_types(rec: Record) -> list[str]:
    types = _strings(rec, "question_types")
    for name in types:
        if name not in QUESTION_TYPES:
            rec.error(
                rec.line_of("question_types"),
                f"{rec.what}: unknown question type {name!r}; expected {', '.join(QUESTION_TYPES)}",
            )
    if len(set(types)) != len(types):
        rec.error(rec.line_of("question_types"), f"{rec.what}: a question type is listed twice")
    return types


def _code(rec: Record, key: str, required: bool) -> str | None:
    value = rec.raw(key, required)
    if value is None:
        return None
    if not isinstance(value, str) or not EXAM_CODE_RE.match(value) or len(value) > 20:
        rec.error(
            rec.line_of(key),
            f"{rec.what}: {key} {value!r} must be an exam code: capital letters, digits and "
            "hyphens (at most 20 characters)",
        )
        return None
    return value


def _domains(rec: Record) -> list[dict[str, Any]]:
    domains: list[dict[str, Any]] = []
    items = rec.items("domains", required=True)
    if rec.ok and rec.data.get("domains") is not None and not items:
        rec.error(rec.line_of("domains"), f"{rec.what}: 'domains' must not be empty")
    for position, item in enumerate(items):
        what = f"domain {position + 1} of {rec.what}"
        domain = Record(item, rec.file, what, rec.errors, rec.line_of("domains"))
        fields = {
            "code": domain.text("code", required=True, max_length=10).strip(),
            "name": domain.line_text("name", required=True, max_length=200),
            "weight_min": _weight(domain, "weight_min"),
            "weight_max": _weight(domain, "weight_max"),
        }
        domain.done()
        low, high = fields["weight_min"], fields["weight_max"]
        if low is not None and high is not None and low > high:
            domain.error(domain.line, f"{what}: weight_min {low} is above weight_max {high}")
        if fields["code"] and any(other["code"] == fields["code"] for other in domains):
            domain.error(domain.line, f"{rec.what}: domain code {fields['code']!r} is used twice")
        domains.append(fields)
    _check_weight_total(rec, domains)
    return domains


def _check_weight_total(rec: Record, domains: list[dict[str, Any]]) -> None:
    """The ranges must allow a blueprint that adds up to 100 percent."""
    weights = [(domain["weight_min"], domain["weight_max"]) for domain in domains]
    if not weights or any(None in pair for pair in weights):
        return
    low, high = sum(pair[0] for pair in weights), sum(pair[1] for pair in weights)
    if not low <= 100 <= high:
        rec.error(
            rec.line_of("domains"),
            f"{rec.what}: domain weights add up to {low}-{high} percent, which cannot make 100",
        )


def _check_exam(rec: Record, code: str | None, fields: dict[str, Any]) -> None:
    total, scored = fields["question_count"], fields["scored_questions"]
    if total and scored and scored > total:
        rec.error(
            rec.line_of("scored_questions"),
            f"{rec.what}: scored_questions {scored} is above question_count {total}",
        )
    passing, scale = fields["passing_score"], fields["score_scale_max"]
    if passing and scale and passing > scale:
        rec.error(
            rec.line_of("passing_score"),
            f"{rec.what}: passing_score {passing} is above score_scale_max {scale}",
        )
    for earlier, later in (*DATE_ORDER, ("beta_from", "last_day")):
        first, second = fields[earlier], fields[later]
        if first and second and first > second:
            rec.error(
                rec.line_of(later),
                f"{rec.what}: {later} {second} is before {earlier} {first}; dates must run "
                "beta_from <= available_from <= last_day",
            )
    if fields["figures_are_portal_choice"] and not fields["simulation_note"]:
        rec.error(
            rec.line_of("figures_are_portal_choice"),
            f"{rec.what}: figures_are_portal_choice needs a simulation_note saying what was chosen",
        )
    if code and fields["successor"] == code:
        rec.error(rec.line_of("successor"), f"{rec.what}: an exam cannot succeed itself")


def _parse_exam(rec: Record, files: ExamFiles) -> None:
    code = _code(rec, "code", required=True)
    if code:
        rec.what = f"exam {code}"
    fields = {
        "certification": rec.slug("certification"),
        "name": rec.line_text("name", required=True, max_length=200),
        "vendor": rec.line_text("vendor", required=True, max_length=80),
        "level": rec.choice("level", CERTIFICATION_LEVELS),
        "duration_minutes": _count(rec, "duration_minutes"),
        "question_count": _count(rec, "question_count"),
        "scored_questions": _count(rec, "scored_questions", required=False),
        "passing_score": _count(rec, "passing_score"),
        "score_scale_max": _count(rec, "score_scale_max"),
        "question_types": _question_types(rec),
        "full_simulation": rec.flag("full_simulation"),
        "figures_are_portal_choice": rec.flag("figures_are_portal_choice"),
        "simulation_note": rec.text("simulation_note").strip(),
        "beta_from": rec.day("beta_from"),
        "available_from": rec.day("available_from"),
        "last_day": rec.day("last_day"),
        "successor": _code(rec, "successor", required=False),
        "sources": _strings(rec, "sources", required=True),
        "conflicts": _strings(rec, "conflicts"),
        "notes": rec.text("notes").strip(),
        "domains": _domains(rec),
    }
    _check_exam(rec, code, fields)
    rec.done()
    if not code:
        return
    if code in files.exams:
        first = files.where[code]
        rec.error(rec.line, f"duplicate exam code {code!r} (first at {first.file}:{first.line})")
        return
    files.exams[code] = fields
    files.where[code] = Where(rec.file, rec.line, dict(rec.data.key_lines) if rec.ok else {})


def _parse_file(data: Any, file: str, files: ExamFiles) -> None:
    if not isinstance(data, Located):
        files.errors.append(ContentError(file, 1, "expected a mapping with the key 'exams'"))
        return
    for key in data:
        if key != "exams":
            files.errors.append(
                ContentError(
                    file, data.key_lines[key], f"unknown top-level key {key!r}; expected exams"
                )
            )
    exams = data.get("exams")
    if not isinstance(exams, list):
        files.errors.append(
            ContentError(file, data.key_lines.get("exams", 1), "'exams' must be a list of exams")
        )
        return
    for item in exams:
        line = getattr(item, "line", data.key_lines["exams"])
        _parse_exam(Record(item, file, "exam", files.errors, line), files)


def _check_references(files: ExamFiles) -> None:
    """Successors must be exams in the files; certifications must exist and not be archived."""
    for code, fields in files.exams.items():
        successor = fields["successor"]
        if successor and successor not in files.exams:
            files.error(
                code,
                "successor",
                f"exam {code}: successor {successor!r} is not an exam in the files",
            )
    slugs = {fields["certification"] for fields in files.exams.values() if fields["certification"]}
    files.certifications = dict(
        Certification.objects.current().filter(slug__in=slugs).values_list("slug", "pk")
    )
    for code, fields in files.exams.items():
        slug = fields["certification"]
        if slug and slug not in files.certifications:
            files.error(
                code,
                "certification",
                f"exam {code}: certification {slug!r} is not in the curriculum (or is archived); "
                "import the curriculum first",
            )


def _yaml_files(root: Path) -> list[Path]:
    return [root] if root.is_file() else list(content_files(root)) if root.is_dir() else []


def exams_load(root: Path, *, check_certifications: bool = True) -> ExamFiles:
    """Parse and validate the exam files under `root` (a folder or one file); nothing is written.

    Raises ContentInvalid with every problem, each with file and line. Without
    `check_certifications` it reads the files alone (no database), as the bank linter does.
    """
    files = ExamFiles()
    paths = _yaml_files(root)
    if not paths:
        reason = "no .yaml files found" if root.exists() else "no such exams folder or file"
        raise ContentInvalid([ContentError(display_path(root), 0, reason)])
    for path in paths:
        errors_before = len(files.errors)
        data = read_yaml(path, files.errors)
        if len(files.errors) == errors_before:
            _parse_file(data, display_path(path), files)
    if check_certifications:
        _check_references(files)
    if files.errors:
        raise ContentInvalid(files.errors)
    return files


def exam_specs_from_files(root: Path) -> dict[str, ExamSpec]:
    """What the bank checks need of each exam in the exam files under `root` (no database)."""
    files = exams_load(root, check_certifications=False)
    return {
        code: ExamSpec(
            code=code,
            vendor=fields["vendor"],
            question_count=fields["question_count"],
            full_simulation=fields["full_simulation"],
            domains=tuple(
                DomainSpec(d["code"], d["weight_min"], d["weight_max"]) for d in fields["domains"]
            ),
        )
        for code, fields in files.exams.items()
    }


# --- Differences with the database -------------------------------------------------------------


def _database_exams() -> dict[str, Row]:
    """Every exam (archived too) as {code: Row}, in the files' vocabulary."""
    domains: dict[int, list[dict[str, Any]]] = {}
    for exam_id, code, name, low, high in ExamDomain.objects.order_by(
        "exam_id", "position", "code"
    ).values_list("exam_id", "code", "name", "weight_min", "weight_max"):
        domains.setdefault(exam_id, []).append(
            {"code": code, "name": name, "weight_min": low, "weight_max": high}
        )
    rows = {}
    for values in Exam.objects.values(
        "pk", "code", "archived_at", "imported_fingerprint", "certification__slug",
        "successor__code", *SCALARS,
    ):  # fmt: skip
        fields = {name: values[name] for name in SCALARS}
        fields["certification"] = values["certification__slug"]
        fields["successor"] = values["successor__code"]
        fields["domains"] = domains.get(values["pk"], [])
        rows[values["code"]] = Row(
            values["pk"], fields, values["archived_at"] is not None, values["imported_fingerprint"]
        )
    return rows


def _describe_domain(domain: dict[str, Any] | None) -> str | None:
    if domain is None:
        return None
    low, high = domain["weight_min"], domain["weight_max"]
    weight = f"{low}%" if low == high else f"{low}-{high}%"
    return f"{domain['name']} ({weight})"


def _domain_differences(old: list[dict], new: list[dict]) -> list[tuple[str, Any, Any]]:
    before = {domain["code"]: domain for domain in old}
    after = {domain["code"]: domain for domain in new}
    differences = [
        (f"domain {code}", _describe_domain(before.get(code)), _describe_domain(after.get(code)))
        for code in dict.fromkeys([*after, *before])
        if before.get(code) != after.get(code)
    ]
    old_order = [code for code in before if code in after]
    new_order = [code for code in after if code in before]
    if old_order != new_order:
        differences.append(("domain order", old_order, new_order))
    return differences


def _differences(row: Row, wanted: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    differences = [
        (name, row.fields.get(name), value)
        for name, value in wanted.items()
        if name != "domains" and row.fields.get(name) != value
    ]
    differences += _domain_differences(row.fields["domains"], wanted["domains"])
    if row.archived:
        differences.insert(0, ("archived", True, False))
    return differences


def _plan(files: ExamFiles, database: dict[str, Row]) -> list[Change]:
    changes = []
    for code, wanted in files.exams.items():
        row = database.get(code)
        if row is None:
            changes.append(Change("exam", code, "create"))
        elif differences := _differences(row, wanted):
            edited = bool(row.fingerprint) and row.fingerprint != fingerprint(row.fields)
            changes.append(Change("exam", code, "update", differences, edited))
    for code, row in database.items():
        if code not in files.exams and not row.archived:
            changes.append(Change("exam", code, "archive"))
    return changes


# --- Applying ----------------------------------------------------------------------------------


def _save_domains(exam: Exam, wanted: list[dict[str, Any]]) -> None:
    existing = {domain.code: domain for domain in exam.domains.all()}
    for position, fields in enumerate(wanted):
        domain = existing.pop(fields["code"], None) or ExamDomain(exam=exam)
        values = {**fields, "position": position}
        if domain.pk and all(getattr(domain, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(domain, name, value)
        domain.save()
    ExamDomain.objects.filter(pk__in=[domain.pk for domain in existing.values()]).delete()


def _apply(files: ExamFiles, database: dict[str, Row], changes: list[Change]) -> None:
    now = timezone.now()
    exams = {exam.code: exam for exam in Exam.objects.all()}
    saved = []
    for change in changes:
        if change.action == "archive":
            Exam.objects.filter(pk=database[change.key].pk).update(archived_at=now)
            continue
        fields = files.exams[change.key]
        exam = exams.get(change.key) or Exam(code=change.key)
        for name in SCALARS:
            setattr(exam, name, fields[name])
        exam.certification_id = files.certifications[fields["certification"]]
        exam.archived_at = None
        exam.imported_fingerprint = fingerprint(fields)
        exam.save()
        _save_domains(exam, fields["domains"])
        exams[change.key] = exam
        saved.append(exam)
    for exam in saved:  # second pass: a successor may come later in the files
        successor = files.exams[exam.code]["successor"]
        successor_id = exams[successor].pk if successor else None
        if exam.successor_id != successor_id:
            exam.successor_id = successor_id
            exam.save(update_fields=["successor"])


def _check_dropped_domains(files: ExamFiles, database: dict[str, Row]) -> None:
    """A domain the files drop may go only when no question counts toward it."""
    for code, wanted in files.exams.items():
        row = database.get(code)
        if row is None:
            continue
        dropped = {d["code"] for d in row.fields["domains"]} - {
            d["code"] for d in wanted["domains"]
        }
        used = (
            QuestionExam.objects.filter(exam_id=row.pk, domain__code__in=dropped)
            .values_list("domain__code")
            .annotate(questions=Count("pk"))
            .order_by("domain__code")
        )
        for domain, questions in used:
            files.error(
                code,
                "domains",
                f"exam {code}: domain {domain} is gone from the file but {questions} question(s) "
                "count toward it; map them to another domain first",
            )
    if files.errors:
        raise ContentInvalid(files.errors)


@dataclass
class ExamsImport:
    changes: list[Change]
    applied: bool

    def counts(self) -> Counter:
        return Counter(change.action for change in self.changes)

    @property
    def unchanged(self) -> bool:
        return not self.changes


def exams_import(*, path: Path | None = None, dry_run: bool = False) -> ExamsImport:
    """Validate the exam files under `path` (default content/exams/), then bring the database in
    line with them: upsert by code, archive the exams the files dropped.

    Raises ContentInvalid (file, line and reason for every problem) before writing anything.
    Unchanged files write nothing; `dry_run` computes the differences and writes nothing either.
    Applied changes renew the catalogue's content stamp on commit (the API's ETags).
    """
    files = exams_load(path or default_exams_dir())
    with transaction.atomic():
        database = _database_exams()
        _check_dropped_domains(files, database)
        changes = _plan(files, database)
        if dry_run or not changes:
            return ExamsImport(changes, applied=False)
        _apply(files, database, changes)
        content_stamp_bump()  # the public exam API shows what changed
    return ExamsImport(changes, applied=True)
