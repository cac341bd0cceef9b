"""The bank linter: the rules that look across questions (docs/questions-format.md, "Linter").

The test suite runs it over every bank in content/questions/ against the exams in
content/exams/, so a bank that would run short in an exam simulation, drift from the blueprint,
repeat itself or cite the wrong site fails the build.
"""

import difflib
import re
from collections import Counter
from pathlib import Path

from curriculum.content import ContentError, ContentInvalid, load_content_dir

from .banks import Banks, ExamSpec, banks_load, check_references
from .blueprint import domain_quota
from .models import MINI_EXAM_QUESTIONS, QuestionStatus
from .services import exam_specs_from_files

NEAR_DUPLICATE_RATIO = 0.85
WORD_PREFILTER = 0.5  # share of words two stems must have in common before difflib compares them
SHARE_TOLERANCE = 5  # percentage points outside the blueprint range


def _normal(stem: str) -> str:
    return re.sub(r"\s+", " ", stem).strip().lower()


def _shared_words(one: set[str], two: set[str]) -> float:
    return 2 * len(one & two) / ((len(one) + len(two)) or 1)


def near_duplicates(banks: Banks) -> list[ContentError]:
    """Pairs of stems a difflib ratio of 0.85 or more apart. Cheap filters first: stems that
    share under half their words (far below any 0.85 character match of English prose) and
    difflib's own upper bounds, so hundreds of stems lint in seconds."""
    errors = []
    stems = [(uid, _normal(fields["stem"])) for uid, fields in banks.questions.items()]
    words = {uid: set(stem.split()) for uid, stem in stems}
    matcher = difflib.SequenceMatcher(autojunk=False)
    for index, (uid, stem) in enumerate(stems):
        matcher.set_seq2(stem)
        for other_uid, other in stems[:index]:
            if _shared_words(words[uid], words[other_uid]) < WORD_PREFILTER:
                continue
            matcher.set_seq1(other)
            if (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
                and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
                and (ratio := matcher.ratio()) >= NEAR_DUPLICATE_RATIO
            ):
                where = banks.where[other_uid]
                banks.error(
                    uid,
                    "stem",
                    f"question {uid}: its stem nearly repeats {other_uid} ({where.file}:"
                    f"{where.line}; similarity {ratio:.2f}, limit {NEAR_DUPLICATE_RATIO})",
                )
                errors.append(banks.errors[-1])
    return errors


def _active_by_domain(banks: Banks) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for fields in banks.questions.values():
        if fields["status"] != QuestionStatus.ACTIVE:
            continue
        for link in fields["exams"]:
            counts.setdefault(link["exam"], Counter())[link["domain"]] += 1
    return counts


def _first_line(banks: Banks, exam: str) -> tuple[str, int]:
    for uid, fields in banks.questions.items():
        if any(link["exam"] == exam for link in fields["exams"]):
            where = banks.where[uid]
            return where.file, where.line
    return "content/questions", 0


def blueprint_fit(banks: Banks, exams: dict[str, ExamSpec]) -> list[ContentError]:
    """For every exam with active questions: each domain's share within its range +-5 points,
    and enough questions in every domain for a mini exam (and a full simulation where the exam
    offers one) at blueprint weight."""
    errors = []
    for code, counts in sorted(_active_by_domain(banks).items()):
        exam = exams.get(code)
        if exam is None:
            continue  # reported by check_references
        total = sum(counts.values())
        file, line = _first_line(banks, code)
        for domain in exam.domains:
            share = 100 * counts[domain.code] / total
            low, high = domain.weight_min - SHARE_TOLERANCE, domain.weight_max + SHARE_TOLERANCE
            if not low <= share <= high:
                errors.append(
                    ContentError(
                        file,
                        line,
                        f"exam {code} domain {domain.code}: {counts[domain.code]} of {total} "
                        f"active questions ({share:.1f}%) is outside its blueprint range "
                        f"{domain.weight_min}-{domain.weight_max}% by more than "
                        f"{SHARE_TOLERANCE} points",
                    )
                )
        sittings = [("a mini exam", min(MINI_EXAM_QUESTIONS, exam.question_count))]
        if exam.full_simulation:
            sittings.append(("a full simulation", exam.question_count))
        for name, size in sittings:
            quota = domain_quota(exam.domains, size)
            short = {d: n - counts[d] for d, n in quota.items() if counts[d] < n}
            if short:
                missing = ", ".join(
                    f"domain {d} needs {quota[d]}, has {counts[d]}" for d in sorted(short)
                )
                errors.append(
                    ContentError(
                        file,
                        line,
                        f"exam {code}: the bank cannot fill {name} of {size} questions at "
                        f"blueprint weight ({missing})",
                    )
                )
    return errors


def lint(
    banks: Banks, exams: dict[str, ExamSpec], topics: set[str] | None = None
) -> list[ContentError]:
    """Every cross-question problem of `banks` (already parsed without errors)."""
    errors = check_references(banks, exams, topics)
    errors += near_duplicates(banks)
    errors += blueprint_fit(banks, exams)
    return sorted(set(errors))


def lint_content(questions: Path, exams_dir: Path, curriculum: Path) -> list[ContentError]:
    """Lint the bank files under `questions` against the exam and curriculum files."""
    try:
        banks = banks_load(questions)
        specs = exam_specs_from_files(exams_dir)
        topics = set(load_content_dir(curriculum).records["topic"])
    except ContentInvalid as invalid:
        return invalid.errors
    return lint(banks, specs, topics)
