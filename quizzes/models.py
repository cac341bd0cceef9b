"""Practice: the exams learners prepare for (versioned exam codes with their blueprints).

Exams come from content/exams/ (docs/exams-format.md); `import_exams` upserts them by code and
archives, never deletes, the ones the files drop. An exam's lifecycle (upcoming, beta, active,
retiring, retired) is computed from its dates and today's date, never stored, so DVA-C02 retires
and DVA-C03 opens on their dates without a deploy.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from curriculum.models import Certification, ContentQuerySet, ImportedModel
from portal.markdown import RenderedMarkdownMixin

MINI_EXAM_QUESTIONS = 30


class Lifecycle(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    BETA = "beta", "Beta"
    ACTIVE = "active", "Active"
    RETIRING = "retiring", "Retiring"
    RETIRED = "retired", "Retired"


@dataclass(frozen=True)
class ExamFormat:
    """The size of one sitting: how many questions in how many minutes."""

    question_count: int
    duration_minutes: int


class ExamQuerySet(ContentQuerySet):
    """`current()`: exams the content files still hold (not archived)."""


def _ordered(earlier: str, later: str) -> Q:
    return (
        Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__lte": F(later)})
    )


class Exam(ImportedModel):
    code = models.CharField(max_length=20, unique=True, help_text="The vendor's code: DVA-C02.")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="exams")
    name = models.CharField(max_length=200)
    vendor = models.CharField(max_length=80)
    level = models.CharField(max_length=20, choices=Certification.CertLevel.choices)
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    question_count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="Total, scored and unscored."
    )
    scored_questions = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty when the vendor does not publish it."
    )
    passing_score = models.PositiveSmallIntegerField()
    score_scale_max = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    question_types = models.JSONField(default=list, blank=True)
    full_simulation = models.BooleanField(
        default=False, help_text="Offer a full-length simulation, not only mini exams."
    )
    figures_are_portal_choice = models.BooleanField(
        default=False,
        help_text="The question count or duration is the portal's choice, not the vendor's.",
    )
    simulation_note = models.TextField(blank=True)
    beta_from = models.DateField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True, help_text="The last day it can be taken.")
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    sources = models.JSONField(default=list, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=_ordered("beta_from", "available_from"),
                name="exam_beta_before_ga",
                violation_error_message="beta_from must not be after available_from.",
            ),
            models.CheckConstraint(
                condition=_ordered("available_from", "last_day"),
                name="exam_ga_before_last_day",
                violation_error_message="available_from must not be after last_day.",
            ),
            models.CheckConstraint(
                condition=_ordered("beta_from", "last_day"),
                name="exam_beta_before_last_day",
                violation_error_message="beta_from must not be after last_day.",
            ),
            models.CheckConstraint(
                condition=Q(passing_score__lte=F("score_scale_max")),
                name="exam_pass_within_scale",
                violation_error_message="The passing score must be within the score scale.",
            ),
            models.CheckConstraint(
                condition=Q(scored_questions__isnull=True)
                | Q(scored_questions__lte=F("question_count")),
                name="exam_scored_within_total",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, question_count__gte=1),
                name="exam_positive_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def lifecycle(self, today: date | None = None) -> Lifecycle:
        """The state on `today` (default: today in the active timezone), from the dates alone.

        Upcoming before its first start date (beta_from or available_from); beta from beta_from
        until available_from; retiring while a last_day is set and not yet past; retired after
        last_day; otherwise active.
        """
        today = today or timezone.localdate()
        if self.last_day and today > self.last_day:
            return Lifecycle.RETIRED
        starts = [day for day in (self.beta_from, self.available_from) if day]
        if starts and today < min(starts):
            return Lifecycle.UPCOMING
        if self.beta_from and (self.available_from is None or today < self.available_from):
            return Lifecycle.BETA
        if self.last_day:
            return Lifecycle.RETIRING
        return Lifecycle.ACTIVE

    def full_exam(self) -> ExamFormat:
        return ExamFormat(self.question_count, self.duration_minutes)

    def mini_exam(self) -> ExamFormat:
        """30 questions, with the exam's time per question rounded up to whole minutes."""
        questions = min(MINI_EXAM_QUESTIONS, self.question_count)
        minutes = math.ceil(self.duration_minutes * questions / self.question_count)
        return ExamFormat(questions, minutes)


class ExamDomain(models.Model):
    """One blueprint domain with its weight range (percent of scored content)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    weight_min = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    weight_max = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="unique_exam_domain_code"),
            models.CheckConstraint(
                condition=Q(weight_min__lte=F("weight_max"), weight_max__lte=100),
                name="exam_domain_weight_range",
                violation_error_message="weight_min must not be above weight_max (at most 100).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam.code} {self.code}: {self.name}"


# --- Questions ---------------------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple response"
    YESNO = "yesno", "Yes/no statements"


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class QuestionQuerySet(ContentQuerySet):
    def active(self) -> "QuestionQuerySet":
        """Questions that may be served: in the files (not archived) and marked active."""
        return self.current().filter(status=QuestionStatus.ACTIVE)


class QuestionBank(ImportedModel):
    """A bank file of content/questions/ (one per exam family), or a bank made in the admin or
    by a GIFT import that has no file yet."""

    slug = models.SlugField(max_length=60, unique=True, help_text="The file name: aws-developer.")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class Question(RenderedMarkdownMixin, ImportedModel):
    """One practice question, mapped to one or more exams with its domain in each.

    Its identity is `uid`, the stable id of the bank files (docs/questions-format.md). What was
    asked is frozen in `QuestionVersion` rows: every change to the stem, choices, answers or
    explanation makes a new version, and attempts point to the version they showed, so editing
    a question never changes a finished attempt.
    """

    markdown_fields: ClassVar[dict[str, str]] = {
        "stem": "stem_html",
        "explanation": "explanation_html",
    }

    uid = models.SlugField(
        "id", max_length=60, unique=True, help_text="Stable id from the bank file: dva-0001."
    )
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT
    )
    difficulty = models.CharField(
        max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    stem = models.TextField(help_text="Markdown: the scenario and the question.")
    stem_html = models.TextField(blank=True, editable=False)
    choose = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Multiple response only: how many choices to select (the learner is told).",
    )
    explanation = models.TextField(help_text="Markdown: the whole answer, teaching the concept.")
    explanation_html = models.TextField(blank=True, editable=False)
    references = models.JSONField(
        default=list, blank=True, help_text="URLs of official documentation supporting the answer."
    )
    topics = models.ManyToManyField(
        "curriculum.Topic", blank=True, related_name="questions", help_text="Topics it exercises."
    )
    exams = models.ManyToManyField(Exam, through="QuestionExam", related_name="questions")
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["uid"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=QuestionKind.MULTIPLE, choose__gte=2)
                | (~Q(kind=QuestionKind.MULTIPLE) & Q(choose__isnull=True)),
                name="question_choose_only_for_multiple",
                violation_error_message=(
                    "Multiple response questions say how many to choose (at least 2); other kinds "
                    "leave it empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.uid


class Choice(RenderedMarkdownMixin):
    """A choice of a single or multiple response question, or a statement of a yes/no series
    (`correct` is then the statement's answer: true means Yes)."""

    markdown_fields: ClassVar[dict[str, str]] = {"text": "text_html"}

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(help_text="Markdown, usually one line.")
    text_html = models.TextField(blank=True, editable=False)
    correct = models.BooleanField(default=False)
    rationale = models.TextField(help_text="Why this choice is right or wrong.")

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class QuestionExam(models.Model):
    """A question's place in one exam: the blueprint domain it counts toward."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="exam_links")
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="question_links")
    domain = models.ForeignKey(ExamDomain, on_delete=models.PROTECT, related_name="question_links")

    class Meta:
        ordering = ["exam__code"]
        constraints = [
            models.UniqueConstraint(fields=["question", "exam"], name="question_exam_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} in {self.exam_id} domain {self.domain_id}"

    def clean(self) -> None:
        if self.exam_id and self.domain_id and self.domain.exam_id != self.exam_id:
            raise ValidationError({"domain": f"Pick a domain of {self.exam.code}."})


class QuestionVersion(models.Model):
    """What a question looked like, frozen: attempts keep the version they asked."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    content = models.JSONField(
        help_text="kind, choose, stem_html, explanation_html, references and the choices."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


# --- Attempts ----------------------------------------------------------------------------------


class AttemptMode(models.TextChoices):
    EXAM = "exam", "Exam simulation"
    PRACTICE = "practice", "Practice"
    REVIEW = "review", "Spaced review"


class AttemptStatus(models.TextChoices):
    OPEN = "open", "In progress"
    SUBMITTED = "submitted", "Submitted"
    EXPIRED = "expired", "Time ran out"


class AttemptQuerySet(models.QuerySet):
    def owned_by(self, user: object) -> "AttemptQuerySet":
        return self.filter(user=user)

    def open(self) -> "AttemptQuerySet":
        return self.filter(status=AttemptStatus.OPEN)


class Attempt(models.Model):
    """One sitting: an exam simulation (timed, feedback after submitting) or a practice session
    (untimed, feedback after each answer). The server keeps the deadline and the score."""

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="quiz_attempts")
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=10, choices=AttemptMode.choices)
    status = models.CharField(
        max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    full_length = models.BooleanField(default=False, help_text="A full simulation, not a mini.")
    extended_time = models.BooleanField(default=False, help_text="+30 minutes, on request.")
    question_count = models.PositiveSmallIntegerField()
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True, help_text="Empty in practice.")
    finished_at = models.DateTimeField(null=True, blank=True)
    # The result, written once when the attempt is finished.
    points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    scaled_score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    domain_results = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "exam", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exam"],
                condition=Q(status="open", mode="exam"),
                name="one_open_exam_attempt",
                violation_error_message="An exam simulation of this exam is already open.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.exam_id} {self.mode} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN

    def time_left(self, now: datetime | None = None) -> int | None:
        """Whole seconds until the deadline (0 when past it), or None when untimed."""
        if self.deadline is None:
            return None
        remaining = (self.deadline - (now or timezone.now())).total_seconds()
        return max(0, math.floor(remaining))


def choice_id(position: int, key: int) -> int:
    """The id a choice has in an attempt: unique within it, so a choice of another question is
    told apart (question 3, choice key 1 -> 31)."""
    return position * 10 + key


class AttemptQuestion(models.Model):
    """A question as this attempt asked it: the frozen version, the domain it counted toward,
    the shuffled choice order, and what the learner answered."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(help_text="1-based order in the attempt.")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(ExamDomain, on_delete=models.PROTECT, related_name="+")
    choice_order = models.JSONField(help_text="The version's choice keys in display order.")
    answer = models.JSONField(
        null=True, blank=True, help_text="Chosen keys, or {key: yes/no} for statement series."
    )
    flagged = models.BooleanField(default=False)
    sure = models.BooleanField(default=True, help_text="The learner's sure/unsure toggle.")
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


# --- Learning from practice --------------------------------------------------------------------


class AnswerSource(models.TextChoices):
    EXAM = "exam", "Exam simulation"
    PRACTICE = "practice", "Practice"
    REVIEW = "review", "Spaced review"


class AnswerRecord(models.Model):
    """One answer a learner gave (in an exam simulation, in practice or in review): what spaced
    review, readiness, confusion pairs and item statistics are computed from. Written by the
    engine when an answer is scored, never edited."""

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    exam = models.ForeignKey(
        Exam, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        ExamDomain, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=AnswerSource.choices)
    attempt_item = models.OneToOneField(
        AttemptQuestion, null=True, blank=True, on_delete=models.CASCADE, related_name="record"
    )
    answered_at = models.DateTimeField()
    picked = models.JSONField(null=True, blank=True, help_text="As AttemptQuestion.answer.")
    correct = models.BooleanField()
    score = models.DecimalField(
        max_digits=4, decimal_places=3, help_text="Points / max points, 0 to 1."
    )
    sure = models.BooleanField(default=True, help_text="The learner's sure/unsure toggle.")

    class Meta:
        ordering = ["-answered_at"]
        indexes = [
            models.Index(fields=["user", "-answered_at"]),
            models.Index(fields=["question", "-answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.question_id} {'right' if self.correct else 'wrong'}"


CARD_STATES = {1: "learning", 2: "review", 3: "relearning"}  # fsrs.State values, by name


class ReviewCard(models.Model):
    """A question in the learner's spaced-review schedule (FSRS)."""

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    card = models.JSONField(help_text="fsrs.Card.to_dict().")
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="review_card_unique"),
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.question_id} due {self.due:%Y-%m-%d}"

    @property
    def state(self) -> str | None:
        """The FSRS state by name: learning, review or relearning."""
        return CARD_STATES.get((self.card or {}).get("state"))

    @property
    def stability(self) -> float | None:
        return (self.card or {}).get("stability")

    @property
    def difficulty(self) -> float | None:
        return (self.card or {}).get("difficulty")


class ExamDate(models.Model):
    """The day a learner booked to sit an exam."""

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="+")
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "exam"], name="exam_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} sits {self.exam_id} on {self.day}"


class QuestionNote(RenderedMarkdownMixin):
    """A learner's private note on a question, shown again when it comes back in review."""

    markdown_fields: ClassVar[dict[str, str]] = {"body": "body_html"}

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="question_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} note on {self.question_id}"


class QuestionReport(models.Model):
    """ "Report a problem with this question", for editors to act on."""

    class Reason(models.TextChoices):
        WRONG_ANSWER = "wrong_answer", "The marked answer is wrong"
        UNCLEAR = "unclear", "The question is unclear"
        OUTDATED = "outdated", "It is out of date"
        TYPO = "typo", "Typo or formatting"
        OTHER = "other", "Something else"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    user = models.ForeignKey("portal.User", null=True, on_delete=models.SET_NULL, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(
        QuestionVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField(max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        auto_now=True, help_text="Last change, by the learner or an editor (for the apps' sync)."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report on {self.question_id}: {self.reason}"
