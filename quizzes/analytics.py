"""What a learner's answers say, and what editors learn from everyone's: readiness per exam and
domain with its uncertainty, recurring confusion pairs, topics the learner marked done but keeps
missing, item statistics for question editors, the review queue and its order.

Every function reads `AnswerRecord`s (one per scored answer, written by the engine). The math is
in pure functions at the top of each section (`wilson`, `assess`, `confusion_pairs`,
`point_biserial`, `group_by_confusion`), unit-tested without a database; the reads around them
run a fixed number of queries whatever the learner's history (window functions keep the rows
read bounded too).
"""

import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, NullIf, RowNumber
from django.utils import timezone
from django.utils.html import strip_tags

from curriculum.models import Technology

from .models import (
    AnswerRecord,
    AnswerSource,
    Exam,
    ExamDate,
    ExamDomain,
    Question,
    QuestionExam,
    QuestionKind,
    QuestionNote,
    QuestionReport,
    QuestionStatus,
    QuestionVersion,
    ReviewCard,
)

Z_95 = 1.96  # two-sided 95%

# --- Readiness ---------------------------------------------------------------------------------

READINESS_DAYS = 90  # answers older than this do not count
READINESS_PER_DOMAIN = 50  # at most the most recent 50 answers of each domain
READINESS_MIN_ANSWERS = 10  # fewer answers in all: "not enough data"
WEAKEST_DOMAINS = 2

LIKELY, BORDERLINE, NOT_YET, NOT_ENOUGH = "likely", "borderline", "not_yet", "not_enough_data"
VERDICTS = {
    LIKELY: "likely to pass",
    BORDERLINE: "borderline",
    NOT_YET: "not yet",
    NOT_ENOUGH: "not enough data",
}


def wilson(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for `successes` out of `n` (0 to 1; (0, 1) when n is 0).

    Unlike the normal approximation it stays inside 0..1 and is not zero-width at 0 or n
    successes, which matters for the small samples a learner has per domain.
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    share = successes / n
    z2 = z * z
    centre = share + z2 / (2 * n)
    margin = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    low = 0.0 if successes == 0 else max(0.0, (centre - margin) / denominator)
    high = 1.0 if successes == n else min(1.0, (centre + margin) / denominator)
    return low, high


def blueprint_weights(ranges: Sequence[tuple[int, int]]) -> list[float]:
    """Each domain's weight: the midpoint of its range, scaled so the weights add up to 1 (as
    `blueprint.domain_quota` weighs them; equal weights when every range is 0)."""
    mids = [(low + high) / 2 for low, high in ranges]
    total = sum(mids)
    if total == 0:
        return [1 / len(ranges)] * len(ranges) if ranges else []
    return [mid / total for mid in mids]


@dataclass(frozen=True)
class DomainTally:
    """The input of `assess` for one domain: its blueprint range and the learner's answers."""

    code: str
    name: str
    weight_min: int
    weight_max: int
    correct: int = 0
    answered: int = 0


@dataclass(frozen=True)
class DomainReadiness:
    code: str
    name: str
    weight: float  # blueprint mid-weight, the domains' weights adding up to 1
    answered: int
    correct: int
    low: float  # Wilson 95% interval of the share correct
    high: float

    @property
    def share(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


@dataclass(frozen=True)
class Readiness:
    """How ready the learner looks for one exam; see `assess` for the method."""

    exam_code: str
    exam_name: str
    threshold: float  # passing_score / score_scale_max
    domains: tuple[DomainReadiness, ...]
    answered: int
    estimate: float | None  # blueprint-weighted share correct; None while a domain has no data
    low: float
    high: float
    verdict: str  # LIKELY, BORDERLINE, NOT_YET or NOT_ENOUGH
    missing: tuple[DomainReadiness, ...] = ()  # domains without a single answer
    weakest: tuple[DomainReadiness, ...] = ()
    days: int = READINESS_DAYS

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def reason(self) -> str:
        """Why the verdict is what it is, in a sentence."""
        if self.answered < READINESS_MIN_ANSWERS:
            return (
                f"{self.answered} answer{'s' if self.answered != 1 else ''} in the last "
                f"{self.days} days; at least {READINESS_MIN_ANSWERS} are needed."
            )
        if self.missing:
            names = ", ".join(f"{domain.code} {domain.name}" for domain in self.missing)
            return f"No answers yet in domain{'s' if len(self.missing) > 1 else ''} {names}."
        interval = f"{self.low_percent}-{self.high_percent}%"
        bar = f"the {self.threshold_percent}% needed to pass"
        if self.verdict == LIKELY:
            return f"Even the low end of {interval} is at or above {bar}."
        if self.verdict == NOT_YET:
            return f"Even the high end of {interval} is below {bar}."
        return f"The range {interval} includes {bar}."

    @property
    def low_percent(self) -> int:
        return math.floor(100 * self.low)

    @property
    def high_percent(self) -> int:
        return math.ceil(100 * self.high)

    @property
    def estimate_percent(self) -> int | None:
        return None if self.estimate is None else round(100 * self.estimate)

    @property
    def threshold_percent(self) -> int:
        return round(100 * self.threshold)

    @property
    def spread_percent(self) -> int:
        """The interval's width in percentage points (for drawing it)."""
        return self.high_percent - self.low_percent


def assess(
    *,
    exam_code: str,
    exam_name: str,
    threshold: float,
    domains: Sequence[DomainTally],
    min_answers: int = READINESS_MIN_ANSWERS,
) -> Readiness:
    """Readiness from per-domain tallies (pure).

    Each domain's share correct gets its Wilson 95% interval. The exam estimate is the
    blueprint-weighted mean of the shares, and its interval is the blueprint-weighted mean of the
    domains' Wilson bounds: low = sum(w_i * low_i), high = sum(w_i * high_i). This is
    conservative: it is the interval we would get if every domain erred the same way at once
    (perfectly correlated errors), so it is wider than a normal approximation on the weighted
    mean (variance sum w_i^2 p_i (1 - p_i) / n_i), which collapses to zero width when a domain
    is at 0% or 100% with few answers. A domain without answers contributes (0, 1), its whole
    weight of doubt.

    Verdict: "not enough data" with fewer than `min_answers` answers in all or a domain without
    any; "likely to pass" when the low bound is at or above the threshold; "not yet" when the
    high bound is below it; "borderline" otherwise. The weakest domains are the (up to two)
    lowest shares below 100%.
    """
    weights = blueprint_weights([(d.weight_min, d.weight_max) for d in domains])
    scored = tuple(
        DomainReadiness(
            d.code, d.name, weight, d.answered, d.correct, *wilson(d.correct, d.answered)
        )
        for d, weight in zip(domains, weights, strict=True)
    )
    answered = sum(d.answered for d in scored)
    missing = tuple(d for d in scored if not d.answered)
    low = min(1.0, sum(d.weight * d.low for d in scored)) if scored else 0.0
    high = min(1.0, sum(d.weight * d.high for d in scored)) if scored else 1.0
    estimate = None if missing or not scored else sum(d.weight * d.share for d in scored)
    if answered < min_answers or missing or not scored:
        verdict = NOT_ENOUGH
    elif low >= threshold:
        verdict = LIKELY
    elif high < threshold:
        verdict = NOT_YET
    else:
        verdict = BORDERLINE
    weakest = sorted(
        (d for d in scored if d.answered and d.correct < d.answered),
        key=lambda d: (d.share, -d.weight, d.code),
    )[:WEAKEST_DOMAINS]
    return Readiness(
        exam_code=exam_code, exam_name=exam_name, threshold=threshold, domains=scored,
        answered=answered, estimate=estimate, low=low, high=high, verdict=verdict,
        missing=missing, weakest=tuple(weakest),
    )  # fmt: skip


def _since(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def _tally(rows: Iterable[tuple[int, bool]]) -> dict[int, list[int]]:
    """(key, correct) rows -> key -> [correct, answered]."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for key, correct in rows:
        counts[key][0] += bool(correct)
        counts[key][1] += 1
    return counts


def _domain_counts(user: Any, exam_ids: list[int], since: datetime) -> dict[int, list[int]]:
    """Domain id -> [correct, answered] over the learner's most recent answers (at most
    READINESS_PER_DOMAIN per exam and domain) since `since`, to the questions each exam maps
    (whichever exam they were answered in). One query; a window function keeps it to 50 rows a
    domain whatever the history."""
    rows = (
        AnswerRecord.objects.filter(user=user, answered_at__gte=since)
        .alias(
            link=FilteredRelation(
                "question__exam_links", condition=Q(question__exam_links__exam__in=exam_ids)
            )
        )
        .filter(link__isnull=False)
        .annotate(
            link_domain=F("link__domain_id"),
            rank=Window(
                RowNumber(),
                partition_by=[F("link__exam_id"), F("link__domain_id")],
                order_by=[F("answered_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=READINESS_PER_DOMAIN)
        .order_by()
        .values_list("link_domain", "correct")
    )
    return _tally(rows)


def readiness_for(*, user: Any, exams: Sequence[Exam], now: datetime) -> list[Readiness]:
    """Readiness for each of `exams` (in their order) from the learner's answers of the last
    READINESS_DAYS days: two queries whatever the number of exams and answers."""
    exam_ids = [exam.pk for exam in exams]
    by_exam: dict[int, list[ExamDomain]] = defaultdict(list)
    for domain in ExamDomain.objects.filter(exam__in=exam_ids).order_by("position", "code"):
        by_exam[domain.exam_id].append(domain)
    counts = _domain_counts(user, exam_ids, _since(now, READINESS_DAYS)) if exam_ids else {}
    return [
        assess(
            exam_code=exam.code,
            exam_name=exam.name,
            threshold=exam.passing_score / exam.score_scale_max,
            domains=[
                DomainTally(d.code, d.name, d.weight_min, d.weight_max, *counts.get(d.pk, (0, 0)))
                for d in by_exam[exam.pk]
            ],
        )
        for exam in exams
    ]


def readiness(*, user: Any, exam: Exam, now: datetime) -> Readiness:
    """Readiness for one exam (two queries); see `assess` for the method."""
    return readiness_for(user=user, exams=[exam], now=now)[0]


def learner_exams(*, user: Any, now: datetime, limit: int = 6) -> list[Exam]:
    """The current exams the learner has booked (a date today or later) or practised in the
    last READINESS_DAYS days, booked ones first by day, then by code (two queries)."""
    today = now.astimezone(user.zone).date()
    booked = list(
        ExamDate.objects.filter(user=user, day__gte=today, exam__archived_at__isnull=True)
        .order_by("day")
        .values_list("exam_id", flat=True)
    )
    practised = (
        AnswerRecord.objects.filter(user=user, answered_at__gte=_since(now, READINESS_DAYS))
        .order_by()
        .values("exam_id")
        .distinct()
    )
    exams = Exam.objects.current().filter(Q(pk__in=booked) | Q(pk__in=practised))
    order = {exam_id: index for index, exam_id in enumerate(booked)}
    found = sorted(exams, key=lambda exam: (order.get(exam.pk, len(order)), exam.code))
    return found[:limit]


# --- Confusion pairs ---------------------------------------------------------------------------

CONFUSION_HISTORY = 500  # the learner's most recent answers read for confusions
CONFUSION_WINDOW = 5  # the last answers of a pair looked at ...
CONFUSION_TIMES = 3  # ... and how many of them must show it to call it recurring

Pair = tuple[str, str]  # (what the right choice names, what the wrong pick names)


class TechnologyMatcher:
    """Finds the curriculum technologies a choice names: names and former names as whole words,
    case-insensitive (names of one or two letters, like "R", only in their own case), the
    longest name first so "Amazon SageMaker AI" is not read as "Amazon SageMaker"."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """`names`: (name as written, the technology's current name)."""
        self.canonical: dict[str, str] = {}
        long_names, short_names = [], []
        for alias, name in names:
            alias = alias.strip()
            if not alias:
                continue
            if len(alias) <= 2:
                short_names.append(alias)
                self.canonical[alias] = name
            else:
                long_names.append(alias)
                self.canonical[alias.casefold()] = name
        long_names.sort(key=lambda alias: (-len(alias), alias))
        self._long = self._compile(long_names, re.IGNORECASE)
        self._short = self._compile(sorted(short_names), 0)

    @staticmethod
    def _compile(aliases: list[str], flags: int) -> re.Pattern | None:
        if not aliases:
            return None
        alternatives = "|".join(re.escape(alias) for alias in aliases)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)

    def names_in(self, text_html: str) -> frozenset[str]:
        """The technologies named in a choice's HTML."""
        text = html.unescape(strip_tags(text_html))
        found = set()
        if self._long is not None:
            found |= {self.canonical[m.group(0).casefold()] for m in self._long.finditer(text)}
        if self._short is not None:
            found |= {self.canonical[m.group(0)] for m in self._short.finditer(text)}
        return frozenset(found)


def technology_matcher() -> TechnologyMatcher:
    """The matcher over the current (not archived) technologies (one query)."""
    rows = Technology.objects.current().values_list("name", "former_names")
    return TechnologyMatcher(
        (alias, name) for name, former in rows for alias in [name, *(former or [])]
    )


@dataclass(frozen=True)
class ChoiceNames:
    """One frozen question version's choices as names: which are right, what each names."""

    correct: frozenset[int]
    names: dict[int, frozenset[str]]

    def pairs(self, right: Iterable[int], wrong: Iterable[int]) -> set[Pair]:
        """(A, B) for each right choice and wrong choice, A named only by the right one and B
        only by the wrong one (what they share tells nothing apart)."""
        found = set()
        for right_key in right:
            for wrong_key in wrong:
                only_right = self.names[right_key] - self.names[wrong_key]
                only_wrong = self.names[wrong_key] - self.names[right_key]
                found |= {(a, b) for a in only_right for b in only_wrong}
        return found

    @property
    def offered(self) -> set[Pair]:
        """Every pair this question can show: what it tests the learner can tell apart."""
        return self.pairs(self.correct, set(self.names) - self.correct)


def choice_names(content: dict, matcher: TechnologyMatcher) -> ChoiceNames | None:
    """The names of a version's choices; None for a yes/no series (its statements are not
    alternatives to one another)."""
    if content.get("kind") == QuestionKind.YESNO:
        return None
    choices = content.get("choices") or []
    return ChoiceNames(
        correct=frozenset(c["key"] for c in choices if c["correct"]),
        names={c["key"]: matcher.names_in(c.get("text_html", "")) for c in choices},
    )


def confusion_pairs(names: ChoiceNames | None, picked: Any) -> set[Pair]:
    """The confusions one answer shows (pure): (A, B) where a right choice the learner left out
    names A and a wrong choice they picked names B."""
    if names is None or not isinstance(picked, list):
        return set()
    chosen = set(picked)
    return names.pairs(names.correct - chosen, chosen - names.correct)


@dataclass(frozen=True)
class Confusion:
    right: str  # what the right choice named
    picked: str  # what the learner picked instead
    times: int  # answers among the window that showed it
    out_of: int  # answers in the window (the last CONFUSION_WINDOW that could show it)
    last_at: datetime
    # Questions telling the two apart (either way round) among the answers read, newest first.
    question_ids: tuple[int, ...] = field(default=())

    @property
    def text(self) -> str:
        return f"{self.picked} picked for {self.right} in {self.times} of the last {self.out_of}"


@dataclass(frozen=True)
class AnswerSeen:
    """One answer as the confusion finder reads it."""

    question_id: int
    answered_at: datetime
    offered: set[Pair]
    shown: set[Pair]


def recurring(
    answers: Sequence[AnswerSeen],
    window: int = CONFUSION_WINDOW,
    times: int = CONFUSION_TIMES,
) -> list[Confusion]:
    """Confusions that recur (pure): for each pair an answer showed, the last `window` answers
    (newest first in `answers`) to questions offering that pair; it recurs when at least
    `times` of them show it. Strongest first (share, then most recent)."""
    candidates = set().union(*(answer.shown for answer in answers)) if answers else set()
    found = []
    for pair in sorted(candidates):
        relevant = [answer for answer in answers if pair in answer.offered]
        last = relevant[:window]
        count = sum(1 for answer in last if pair in answer.shown)
        if count >= times:
            reverse = (pair[1], pair[0])
            both = (a for a in answers if pair in a.offered or reverse in a.offered)
            question_ids = tuple(dict.fromkeys(answer.question_id for answer in both))
            found.append(Confusion(*pair, count, len(last), last[0].answered_at, question_ids))
    found.sort(key=lambda c: (-c.times / c.out_of, -c.times, -c.last_at.timestamp(), c.right))
    return found


def _answers_seen(user: Any, exam: Exam | None, now: datetime) -> list[AnswerSeen]:
    """The learner's last CONFUSION_HISTORY answers given (not left blank), read as pairs
    offered and shown (three queries)."""
    records = AnswerRecord.objects.filter(user=user, answered_at__lte=now, picked__isnull=False)
    if exam is not None:
        mapped = QuestionExam.objects.filter(exam=exam).values("question_id")
        records = records.filter(Q(exam=exam) | Q(question_id__in=mapped))
    rows = list(
        records.order_by("-answered_at", "-pk").values_list(
            "question_id", "version_id", "answered_at", "picked"
        )[:CONFUSION_HISTORY]
    )
    if not rows:
        return []
    matcher = technology_matcher()
    versions = QuestionVersion.objects.filter(pk__in={row[1] for row in rows})
    names = {
        pk: choice_names({"kind": kind, "choices": choices}, matcher)
        for pk, kind, choices in versions.values_list("pk", "content__kind", "content__choices")
    }
    seen = []
    for question_id, version_id, answered_at, picked in rows:
        version_names = names.get(version_id)
        if version_names is None:
            continue
        offered = version_names.offered
        if offered:
            shown = confusion_pairs(version_names, picked)
            seen.append(AnswerSeen(question_id, answered_at, offered, shown))
    return seen


def confusions(*, user: Any, exam: Exam | None = None, now: datetime) -> list[Confusion]:
    """The learner's recurring confusions (of one exam's questions when `exam` is given): a
    pair (A, B) recurs when, of the last 5 answers to questions whose right choice names A and
    which offered a choice naming B, at least 3 picked B. Read from the learner's last 500
    answers; three queries."""
    return recurring(_answers_seen(user, exam, now))


def answer_confusions(
    record: AnswerRecord | Any, *, matcher: TechnologyMatcher | None = None
) -> list[Pair]:
    """The confusion pairs one scored answer shows (an AnswerRecord, or an AttemptQuestion with
    its version), for the results page: [("Amazon SQS", "Amazon SNS")]. Pass a `matcher` (from
    `technology_matcher()`) when calling it for several answers; otherwise one query."""
    matcher = matcher or technology_matcher()
    picked = record.picked if hasattr(record, "picked") else record.answer
    return sorted(confusion_pairs(choice_names(record.version.content, matcher), picked))


def attempt_confusions(items: Sequence[Any]) -> dict[int, list[Pair]]:
    """Position -> the confusion pairs each wrong answer of an attempt shows (AttemptQuestions
    with their versions); one query for the technologies' names, none when every answer is
    right."""
    wrong = [
        item
        for item in items
        if item.answer is not None and item.points is not None and item.points < item.max_points
    ]
    if not wrong:
        return {}
    matcher = technology_matcher()
    found = {item.position: answer_confusions(item, matcher=matcher) for item in wrong}
    return {position: pairs for position, pairs in found.items() if pairs}


def confusions_among(*, user: Any, question_ids: Iterable[int], now: datetime) -> list[Confusion]:
    """The learner's recurring confusions that these questions tell apart (three queries)."""
    asked = set(question_ids)
    return [c for c in confusions(user=user, now=now) if asked & set(c.question_ids)]


def group_by_confusion(question_ids: Sequence[int], groups: Sequence[Sequence[int]]) -> list[int]:
    """`question_ids` with the members of each group moved up next to the group's first member
    in the list (pure); a question in several groups stays with the first group listed."""
    group_of: dict[int, int] = {}
    for index, members in enumerate(groups):
        for question_id in members:
            group_of.setdefault(question_id, index)
    members_in_order: dict[int, list[int]] = defaultdict(list)
    for question_id in question_ids:
        if question_id in group_of:
            members_in_order[group_of[question_id]].append(question_id)
    ordered, placed = [], set()
    for question_id in question_ids:
        if question_id in placed:
            continue
        group = group_of.get(question_id)
        batch = members_in_order[group] if group is not None else [question_id]
        for member in batch:
            if member not in placed:
                ordered.append(member)
                placed.add(member)
    return ordered


def review_order(
    *, user: Any, question_ids: Sequence[int], now: datetime | None = None
) -> list[int]:
    """The review queue's order: `question_ids` as given (most overdue first), except that the
    questions of one recurring confusion sit next to each other, so the learner sees SQS and SNS
    side by side. Three queries (the confusions)."""
    found = confusions(user=user, now=now or timezone.now())
    return group_by_confusion(list(question_ids), [c.question_ids for c in found])


# --- Topics the learner keeps missing ----------------------------------------------------------

TOPIC_LAST_ANSWERS = 5


def topic_answer_shares(
    *, user: Any, topic_ids: Iterable[int], last: int = TOPIC_LAST_ANSWERS
) -> dict[int, tuple[float, int]]:
    """Topic id -> (share correct, answers) over the learner's last `last` answers to questions
    linked to each topic (topics without answers are missing). One query, at most `last` rows
    per topic."""
    topic_ids = list(topic_ids)
    if not topic_ids:
        return {}
    rows = (
        Question.topics.through.objects.filter(topic_id__in=topic_ids)
        .alias(
            mine=FilteredRelation("question__answers", condition=Q(question__answers__user=user))
        )
        .filter(mine__isnull=False)
        .annotate(
            mine_correct=F("mine__correct"),
            rank=Window(
                RowNumber(),
                partition_by=[F("topic_id")],
                order_by=[F("mine__answered_at").desc(), F("mine__id").desc()],
            ),
        )
        .filter(rank__lte=last)
        .order_by()
        .values_list("topic_id", "mine_correct")
    )
    counts = _tally(rows)
    return {topic_id: (right / total, total) for topic_id, (right, total) in counts.items()}


# --- Item statistics for question editors ------------------------------------------------------

DISCRIMINATION_MIN = 5  # fewer exam answers: no discrimination (None)
FLAG_REPORTS = 3  # open reports from which a question is flagged


@dataclass(frozen=True)
class PearsonSums:
    """The running sums of (x, y) pairs Pearson's r is computed from (n, sum x, sum y, sum x^2,
    sum y^2, sum xy): what the database adds up, so no answer is read one by one."""

    n: int = 0
    x: float = 0.0
    y: float = 0.0
    x2: float = 0.0
    y2: float = 0.0
    xy: float = 0.0


def point_biserial(sums: PearsonSums) -> float | None:
    """Pearson's r from running sums (pure): with a 0/1 x it is the point-biserial correlation.
    None below DISCRIMINATION_MIN pairs or when either side does not vary."""
    n = sums.n
    if n < DISCRIMINATION_MIN:
        return None
    sxx = n * sums.x2 - sums.x * sums.x
    syy = n * sums.y2 - sums.y * sums.y
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return (n * sums.xy - sums.x * sums.y) / math.sqrt(sxx * syy)


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    answered: int = 0  # every recorded answer: exam, practice and review
    correct: int = 0
    discrimination: float | None = None
    discrimination_n: int = 0  # exam-simulation answers it is computed from
    picks: dict[int, int] = field(default_factory=dict)  # choice key -> times picked (yes/no:
    # times answered Yes)
    unanswered: int = 0  # exam items left blank
    open_reports: int = 0

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def pick_shares(self) -> dict[int, float]:
        return {key: count / self.answered for key, count in sorted(self.picks.items())}

    @property
    def flag_reasons(self) -> list[str]:
        """Why editors should look at the question (none: not flagged)."""
        reasons = []
        if self.discrimination is not None and self.discrimination < 0:
            reasons.append("negative discrimination")
        if self.open_reports >= FLAG_REPORTS:
            reasons.append(f"{self.open_reports} open reports")
        return reasons

    @property
    def flagged(self) -> bool:
        return bool(self.flag_reasons)


def _as_float(name: str) -> Cast:
    return Cast(name, FloatField())


def _discrimination_sums(records: QuerySet) -> dict[int, PearsonSums]:
    """Per question, the sums for r between item correctness (x, 0/1) and the attempt's rest
    score (y: the percent of the attempt's other points), over exam-simulation answers."""
    rest = (
        _as_float("attempt_item__attempt__points") - _as_float("attempt_item__points")
    ) / NullIf(
        _as_float("attempt_item__attempt__max_points") - _as_float("attempt_item__max_points"),
        Value(0.0),
    )
    x = Case(When(correct=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    rows = (
        records.filter(
            source=AnswerSource.EXAM,
            attempt_item__isnull=False,
            attempt_item__attempt__points__isnull=False,
        )
        .annotate(rest=rest, x=x)
        .filter(rest__isnull=False)
        .order_by()
        .values("question_id")
        .annotate(
            n=Count("pk"),
            sx=Sum("x"),
            sy=Sum("rest"),
            sx2=Sum(F("x") * F("x")),
            sy2=Sum(F("rest") * F("rest")),
            sxy=Sum(F("x") * F("rest")),
        )
    )
    return {
        row["question_id"]: PearsonSums(
            row["n"], row["sx"], row["sy"], row["sx2"], row["sy2"], row["sxy"]
        )
        for row in rows
    }


def _pick_counts(records: QuerySet) -> dict[int, tuple[Counter, int]]:
    """Per question, how often each choice key was picked (a yes/no statement: answered Yes)
    and how many answers were left blank; grouped by the answer in the database, so the rows
    are bounded by the distinct answers, not the number of answers."""
    found: dict[int, tuple[Counter, int]] = defaultdict(lambda: (Counter(), 0))
    rows = records.order_by().values("question_id", "picked").annotate(n=Count("pk"))
    for row in rows:
        picks, blank = found[row["question_id"]]
        picked = row["picked"]
        if picked is None:
            found[row["question_id"]] = (picks, blank + row["n"])
            continue
        keys = (
            [int(key) for key, yes in picked.items() if yes] if isinstance(picked, dict) else picked
        )
        for key in keys:
            picks[int(key)] += row["n"]
    return found


def item_statistics(question_ids: Iterable[int] | None = None) -> dict[int, ItemStats]:
    """Item statistics of the questions (all answered or reported ones when None), from every
    learner's recorded answers. Four queries whatever the number of answers.

    - `answered`, `correct`: every recorded answer (exam simulations, practice, review); an
      answer is correct with full points.
    - `discrimination`: the corrected point-biserial correlation (item-rest) between getting
      the item right (0/1) and the percent the learner scored on the rest of that exam
      simulation (the attempt's points minus this item's, over its max points minus this
      item's). Only exam simulations count: practice has no total to compare against. Leaving
      the item out of the total keeps a 10-question mini exam from correlating with itself.
      None below 5 answers or when either side does not vary. Negative: strong candidates
      miss it more than weak ones, which usually means a wrong key or a trick question.
    - `picks`: times each choice key (the frozen version's, 0..n in the order of the file) was
      picked; for yes/no series, times each statement was answered Yes.
    - `open_reports`: learners' problem reports still open.
    - `flagged`: discrimination below 0, or 3 or more open reports.
    """
    records = AnswerRecord.objects.all()
    reports = QuestionReport.objects.filter(state=QuestionReport.State.OPEN)
    if question_ids is not None:
        question_ids = list(question_ids)
        records = records.filter(question_id__in=question_ids)
        reports = reports.filter(question_id__in=question_ids)
    totals = {
        row["question_id"]: row
        for row in records.order_by()
        .values("question_id")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(correct=True)))
    }
    sums = _discrimination_sums(records)
    picks = _pick_counts(records)
    open_reports = dict(
        reports.order_by()
        .values("question_id")
        .annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )
    wanted = question_ids if question_ids is not None else sorted({*totals, *open_reports})
    stats = {}
    for question_id in wanted:
        total = totals.get(question_id, {"n": 0, "right": 0})
        question_sums = sums.get(question_id, PearsonSums())
        question_picks, blank = picks.get(question_id, (Counter(), 0))
        stats[question_id] = ItemStats(
            question_id=question_id,
            answered=total["n"],
            correct=total["right"],
            discrimination=point_biserial(question_sums),
            discrimination_n=question_sums.n,
            picks=dict(sorted(question_picks.items())),
            unanswered=blank,
            open_reports=open_reports.get(question_id, 0),
        )
    return stats


# --- The review queue --------------------------------------------------------------------------

REVIEW_NEXT = 20


def end_of_day(user: Any, now: datetime) -> datetime:
    """The end of the learner's local day: what is due before it is due today."""
    tomorrow = now.astimezone(user.zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=user.zone)


def _servable_cards(user: Any) -> QuerySet[ReviewCard]:
    """The learner's cards of questions review mode can serve (active, not archived)."""
    return ReviewCard.objects.filter(
        user=user,
        question__status=QuestionStatus.ACTIVE,
        question__archived_at__isnull=True,
        question__version__gt=0,
    )


@dataclass(frozen=True)
class ExamDue:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class DueItem:
    question_uid: str
    question_id: int
    exam_codes: tuple[str, ...]
    due: datetime


@dataclass(frozen=True)
class ReviewQueue:
    due_today: int  # cards due by the end of the learner's day
    exams: tuple[ExamDue, ...]  # of those, per current exam (a question may count in two)
    next: tuple[DueItem, ...]  # the next cards by due time (overdue first)


def review_queue(*, user: Any, now: datetime, limit: int = REVIEW_NEXT) -> ReviewQueue:
    """The learner's review queue: how many cards are due today, per exam, and the next `limit`
    cards by due time with their exams' codes. Four queries."""
    cards = _servable_cards(user)
    due = cards.filter(due__lt=end_of_day(user, now))
    per_exam = (
        QuestionExam.objects.filter(
            exam__archived_at__isnull=True,
            question_id__in=due.values("question_id"),
        )
        .order_by()
        .values("exam__code", "exam__name")
        .annotate(count=Count("question_id", distinct=True))
        .order_by("exam__code")
    )
    links = QuestionExam.objects.filter(exam__archived_at__isnull=True).select_related("exam")
    upcoming = (
        cards.select_related("question")
        .only("due", "question__uid", "question_id")
        .prefetch_related(Prefetch("question__exam_links", queryset=links))
        .order_by("due", "question_id")[:limit]
    )
    return ReviewQueue(
        due_today=due.count(),
        exams=tuple(ExamDue(r["exam__code"], r["exam__name"], r["count"]) for r in per_exam),
        next=tuple(
            DueItem(
                card.question.uid,
                card.question_id,
                tuple(link.exam.code for link in card.question.exam_links.all()),
                card.due,
            )
            for card in upcoming
        ),
    )


# --- The learner's exam dates, notes and reports (reads for the API and pages) ----------------


def _changed_since(rows: QuerySet, updated_since: datetime | None) -> QuerySet:
    """The rows changed at or after `updated_since` (all without it): the apps' sync lists."""
    return rows if updated_since is None else rows.filter(updated_at__gte=updated_since)


def exam_date_list(*, user: Any, updated_since: datetime | None = None) -> QuerySet[ExamDate]:
    """The learner's booked exam days with their exam, soonest first (one query)."""
    rows = ExamDate.objects.filter(user=user).select_related("exam")
    return _changed_since(rows, updated_since).order_by("day", "pk")


def exam_date_for(*, user: Any, exam: Exam) -> ExamDate | None:
    return ExamDate.objects.filter(user=user, exam=exam).select_related("exam").first()


def days_left(day: date, today: date) -> int:
    return (day - today).days


def question_note_for(*, user: Any, question_uid: str) -> QuestionNote | None:
    """The learner's own note on a question (never another learner's)."""
    return (
        QuestionNote.objects.filter(user=user, question__uid=question_uid)
        .select_related("question")
        .first()
    )


def question_note_list(
    *, user: Any, updated_since: datetime | None = None
) -> QuerySet[QuestionNote]:
    """The learner's own notes on questions with each question's uid, oldest first."""
    rows = QuestionNote.objects.filter(user=user).select_related("question")
    rows = rows.only("question__uid", "question", "user", "body", "body_html", "updated_at")
    return _changed_since(rows, updated_since).order_by("pk")


def question_reports_of(
    *, user: Any, updated_since: datetime | None = None
) -> QuerySet[QuestionReport]:
    """The learner's own problem reports, newest first (with `updated_since`: those sent, or
    resolved, dismissed or reopened by an editor, since)."""
    rows = QuestionReport.objects.filter(user=user).select_related("question")
    return _changed_since(rows, updated_since).order_by("-created_at", "-pk")


def review_card_list(*, user: Any, updated_since: datetime | None = None) -> QuerySet[ReviewCard]:
    """Every review card of the learner (whether review mode can serve its question now or
    not: a sync mirrors the rows), oldest first, with the question's uid and its current exams
    under `question.exam_links` (two queries for a page)."""
    links = QuestionExam.objects.filter(exam__archived_at__isnull=True).select_related("exam")
    rows = (
        ReviewCard.objects.filter(user=user)
        .select_related("question")
        .only(
            "question__uid",
            "question",
            "user",
            "card",
            "due",
            "last_review",
            "reviews",
            "lapses",
            "updated_at",
        )  # fmt: skip
        .prefetch_related(Prefetch("question__exam_links", queryset=links.order_by("exam__code")))
    )
    return _changed_since(rows, updated_since).order_by("pk")


def question_uids(question_ids: Iterable[int]) -> dict[int, str]:
    """Question id -> uid (one query; none for no ids)."""
    question_ids = list(question_ids)
    if not question_ids:
        return {}
    return dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "uid"))


def exam_choices() -> list[Exam]:
    """The current exams by code, with only what a form's choices need (one query)."""
    return list(Exam.objects.current().only("code", "name").order_by("code"))
