"""Fill the database with synthetic learners and their history, for benchmarks at scale.

    python manage.py generate_load_data                       # the default sizes below
    python manage.py generate_load_data --learners 100 --statuses 1000 --study-log 100 \
        --attempts 50 --learner-history 10

What it writes (every generated row is recognisable by a `load-` slug, username or code):

- a synthetic curriculum when the real one cannot hold the statuses: published tracks
  `load-track-NN` of 10 phases of 50 topics each (`--synthetic-topics`, default just enough);
- a synthetic exam `LOAD-C01` with a bank of 120 single-choice questions in 4 domains;
- `--learners` learners (`load-learner-N`), plus the measured learner `bench-learner`
  (bench-learner@example.com), who follows the real tracks and has `--learner-history` topic
  statuses and as many study-log entries (part of the totals);
- `--statuses` topic statuses, `--study-log` study-log entries (with the daily activity they
  add up to) and `--attempts` submitted practice attempts of `--answers-per-attempt` answered
  questions each (with their answer records), spread over the learners.

Rows go in with bulk inserts (COPY on PostgreSQL), bypassing services: this is test data, not
learner activity. It refuses to run twice on the same database. Reports its own time.
"""

import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from curriculum.models import Certification, Phase, Topic, Track
from curriculum.queries import visible_topics, visible_tracks
from portal.models import User
from progress.models import DailyActivity, StudyLogEntry, TopicStatus, TrackFollow
from quizzes.models import (
    AnswerRecord,
    AnswerSource,
    Attempt,
    AttemptMode,
    AttemptQuestion,
    AttemptStatus,
    Choice,
    Exam,
    ExamDomain,
    Question,
    QuestionBank,
    QuestionExam,
    QuestionStatus,
    QuestionVersion,
)
from quizzes.services import question_version_sync

MEASURED_LEARNER = "bench-learner"
LOAD_EXAM = "LOAD-C01"
PHASES_PER_TRACK = 10
TOPICS_PER_PHASE = 50
TOPICS_PER_TRACK = PHASES_PER_TRACK * TOPICS_PER_PHASE
QUESTIONS = 120
DOMAINS = 4
HISTORY_DAYS = 730
STATUS_MIX = (("done", 5), ("in_progress", 3), ("skipped", 1), ("not_started", 1))
TOPIC_STRIDE = 7919  # a prime: learners' topic ranges start far apart
ATTEMPT_COLUMNS = (
    "id", "user_id", "exam_id", "mode", "status", "full_length", "extended_time",
    "question_count", "started_at", "finished_at", "points", "max_points", "scaled_score",
    "passed", "domain_results", "updated_at",
)  # fmt: skip
ITEM_COLUMNS = (
    "id", "attempt_id", "position", "version_id", "domain_id", "choice_order", "answer",
    "flagged", "sure", "answered_at", "points", "max_points",
)  # fmt: skip
RECORD_COLUMNS = (
    "id", "user_id", "question_id", "version_id", "exam_id", "domain_id", "source",
    "attempt_item_id", "answered_at", "picked", "correct", "score", "sure",
)  # fmt: skip


class Command(BaseCommand):
    help = "Bulk-insert synthetic learners, statuses, study log and attempts for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        size = parser.add_argument
        size("--learners", type=int, default=10_000, help="Learners besides the measured one.")
        size("--statuses", type=int, default=1_000_000, help="Topic statuses in all.")
        size("--study-log", type=int, default=100_000, help="Study-log entries in all.")
        size("--attempts", type=int, default=50_000, help="Submitted practice attempts.")
        size("--answers-per-attempt", type=int, default=10, help="Answered questions each.")
        size(
            "--learner-history",
            type=int,
            default=10_000,
            help="Statuses and study-log entries of the measured learner (bench-learner).",
        )
        size(
            "--synthetic-topics",
            type=int,
            default=None,
            help="Topics of the synthetic curriculum (default: just enough for the statuses).",
        )
        size("--seed", type=int, default=14)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        sizes = Sizes(options)
        if User.objects.filter(username=MEASURED_LEARNER).exists():
            raise CommandError("Load data is already here: run it on a fresh database.")
        with transaction.atomic():
            counts = Generator(sizes, random.Random(options["seed"])).run()
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"generate_load_data: {summary} in {seconds:.1f} s")


class Sizes:
    def __init__(self, options: dict[str, Any]) -> None:
        self.learners = options["learners"]
        self.statuses = options["statuses"]
        self.study_log = options["study_log"]
        self.attempts = options["attempts"]
        self.answers = options["answers_per_attempt"]
        self.history = options["learner_history"]
        self.synthetic_topics = options["synthetic_topics"]
        if min(self.learners, self.answers) < 1 or min(self.statuses, self.study_log) < 0:
            raise CommandError("Sizes must be positive.")
        if self.answers > QUESTIONS:
            raise CommandError(f"At most {QUESTIONS} answers per attempt.")
        if self.history > min(self.statuses, self.study_log):
            raise CommandError("--learner-history is part of --statuses and --study-log.")

    def topics_needed(self, real_topics: int) -> int:
        """Synthetic topics needed so that every learner's statuses name distinct topics."""
        if self.synthetic_topics is not None:
            return self.synthetic_topics
        per_learner = -(-(self.statuses - self.history) // self.learners)
        missing = max(self.history, per_learner) - real_topics
        return max(0, -(-missing // TOPICS_PER_TRACK) * TOPICS_PER_TRACK)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], json_columns=()
) -> int:
    """Insert `rows` (tuples of `columns`, explicit ids included) in bulk: COPY on PostgreSQL,
    batched bulk_create elsewhere. Returns the number of rows."""
    count = 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        json_at = [columns.index(column) for column in json_columns]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                if json_at:
                    row = list(row)
                    for index in json_at:
                        row[index] = json.dumps(row[index])
                copy.write_row(row)
                count += 1
        return count
    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        count += 1
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """After inserts with explicit ids, let the database hand out the next ones."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), model_classes):
            cursor.execute(statement)


class Generator:
    def __init__(self, sizes: Sizes, rng: random.Random) -> None:
        self.sizes = sizes
        self.rng = rng
        self.now = timezone.now()
        self.today = self.now.date()

    def run(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        real_topics = list(visible_topics().order_by("phase__track_id", "phase_id", "position"))
        synthetic = self.curriculum(self.sizes.topics_needed(len(real_topics)))
        counts["synthetic topics"] = len(synthetic)
        topic_ids = [topic.pk for topic in real_topics] + synthetic
        learners = self.learners()
        measured = learners[0]
        counts["learners"] = len(learners) - 1
        counts["follows"] = self.follows(measured, learners[1:], topic_ids)
        counts["topic statuses"] = self.statuses(measured, learners[1:], topic_ids)
        counts["study-log entries"] = self.study_log(measured, learners[1:], topic_ids)
        exam, versions = self.exam()
        counts["attempts"], counts["answers"] = self.attempts(learners, exam, versions)
        return counts

    # --- curriculum and exam ------------------------------------------------------------------

    def curriculum(self, count: int) -> list[int]:
        """`count` synthetic topics (whole tracks of 500); returns their ids in track order."""
        tracks = -(-count // TOPICS_PER_TRACK) if count else 0
        ids: list[int] = []
        levels = ("beginner", "intermediate", "advanced")
        for number in range(tracks):
            track = Track.objects.create(
                slug=f"load-track-{number:02d}",
                title=f"Load track {number:02d}",
                summary="A synthetic track for benchmarks.",
                position=1000 + number,
            )
            phases = Phase.objects.bulk_create(
                Phase(
                    track=track,
                    slug=f"load-{number:02d}-phase-{index}",
                    title=f"Phase {index}",
                    summary="A synthetic phase.",
                    weeks_min=Decimal(4),
                    weeks_max=Decimal(6),
                    position=index,
                )  # fmt: skip
                for index in range(PHASES_PER_TRACK)
            )
            topics = Topic.objects.bulk_create(
                Topic(
                    phase=phase,
                    slug=f"{phase.slug}-topic-{index}",
                    title=f"Topic {index} of {phase.title}",
                    summary="A synthetic topic with an estimate of the hours it takes.",
                    hours=Decimal("4.5"),
                    level=levels[index % 3],
                    position=index,
                )  # fmt: skip
                for phase in phases
                for index in range(TOPICS_PER_PHASE)
            )
            ids += [topic.pk for topic in topics]
        return ids[:count] if count else []

    def exam(self) -> tuple[Exam, list[QuestionVersion]]:
        certification = Certification.objects.create(
            slug="load-certification", name="Load certification", vendor="AWS",
            level="associate", summary="A synthetic certification for benchmarks.",
        )  # fmt: skip
        exam = Exam.objects.create(
            code=LOAD_EXAM, certification=certification, name="Load exam", vendor="AWS",
            level="associate", duration_minutes=130, question_count=65, passing_score=720,
            score_scale_max=1000,
        )  # fmt: skip
        domains = ExamDomain.objects.bulk_create(
            ExamDomain(
                exam=exam,
                code=str(n + 1),
                name=f"Domain {n + 1}",
                weight_min=25,
                weight_max=25,
                position=n,
            )  # fmt: skip
            for n in range(DOMAINS)
        )
        bank = QuestionBank.objects.create(slug="load-bank", title="Load bank")
        versions = []
        for number in range(QUESTIONS):
            question = Question.objects.create(
                uid=f"load-{number:04d}", bank=bank, kind="single", status=QuestionStatus.ACTIVE,
                stem=f"Scenario {number}: which option fits best?", explanation="Because.",
                references=["https://docs.aws.amazon.com/"],
            )  # fmt: skip
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    position=key,
                    text=f"Option {key}",
                    correct=key == 0,
                    rationale="Why.",
                )  # fmt: skip
                for key in range(4)
            )
            QuestionExam.objects.create(
                question=question, exam=exam, domain=domains[number % DOMAINS]
            )
            versions.append(question_version_sync(question=question))
        return exam, versions

    # --- learners -----------------------------------------------------------------------------

    def learners(self) -> list[User]:
        password = make_password(None)  # unusable: these accounts never log in with one
        users = [
            User(username=MEASURED_LEARNER, email="bench-learner@example.com", password=password)
        ]
        users += [
            User(
                username=f"load-learner-{n}",
                email=f"load-learner-{n}@example.com",
                password=password,
            )  # fmt: skip
            for n in range(self.sizes.learners)
        ]
        return User.objects.bulk_create(users, batch_size=2000)

    def _share(self, total: int, learners: Sequence[User]) -> Iterator[tuple[int, User, int]]:
        """(index, learner, how many) splitting `total` evenly over `learners`."""
        base, extra = divmod(total, len(learners))
        for index, learner in enumerate(learners):
            yield index, learner, base + (1 if index < extra else 0)

    def _status_rows(
        self, measured: User, others: Sequence[User], topic_ids: Sequence[int]
    ) -> Iterator[tuple[int, int]]:
        """(user id, topic id) of every status: the measured learner's first topics in order
        (the real tracks first), the others' consecutive runs from far-apart starts."""
        for topic_id in topic_ids[: self.sizes.history]:
            yield measured.pk, topic_id
        count = len(topic_ids)
        for index, learner, share in self._share(self.sizes.statuses - self.sizes.history, others):
            if share > count:
                raise CommandError(f"{share} statuses per learner do not fit in {count} topics.")
            start = index * TOPIC_STRIDE % count
            for offset in range(share):
                yield learner.pk, topic_ids[(start + offset) % count]

    def follows(self, measured: User, others: Sequence[User], topic_ids: Sequence[int]) -> int:
        """The measured learner follows the real tracks (at every size, so the dashboard shows
        the same cards); the others follow the tracks of their first status."""
        track_of = dict(Topic.objects.values_list("pk", "phase__track_id"))
        pairs = {(measured.pk, pk) for pk in visible_tracks().exclude(slug__startswith="load-")
                 .values_list("pk", flat=True)}  # fmt: skip
        firsts: dict[int, int] = {}
        for user_id, topic_id in self._status_rows(measured, others, topic_ids):
            if user_id != measured.pk:
                firsts.setdefault(user_id, topic_id)
        pairs |= {(user_id, track_of[topic_id]) for user_id, topic_id in firsts.items()}
        first = next_id(TrackFollow)
        rows = (
            (first + n, user_id, track_id, None, self.now, self.now)
            for n, (user_id, track_id) in enumerate(sorted(pairs))
        )
        columns = ("id", "user_id", "track_id", "target_date", "created_at", "updated_at")
        count = insert_rows(TrackFollow, columns, rows)
        reset_sequences(TrackFollow)
        return count

    def _status(self) -> tuple[str, date | None]:
        weights = [weight for _, weight in STATUS_MIX]
        status = self.rng.choices([name for name, _ in STATUS_MIX], weights)[0]
        done_on = self._past_day() if status == "done" else None
        return status, done_on

    def _past_day(self) -> date:
        return self.today - timedelta(days=self.rng.randrange(HISTORY_DAYS))

    def statuses(self, measured: User, others: Sequence[User], topic_ids: Sequence[int]) -> int:
        first = next_id(TopicStatus)

        def rows() -> Iterator[tuple]:
            pairs = self._status_rows(measured, others, topic_ids)
            for n, (user_id, topic_id) in enumerate(pairs):
                status, done_on = self._status()
                yield first + n, user_id, topic_id, status, done_on, self.now, self.now

        columns = ("id", "user_id", "topic_id", "status", "done_on", "created_at", "updated_at")
        count = insert_rows(TopicStatus, columns, rows())
        reset_sequences(TopicStatus)
        return count

    def study_log(self, measured: User, others: Sequence[User], topic_ids: Sequence[int]) -> int:
        """Entries over the last two years (the measured learner's from today back, a few a
        day), and the daily activity they add up to."""
        first = next_id(StudyLogEntry)
        minutes: dict[tuple[int, date], int] = defaultdict(int)

        def entries() -> Iterator[tuple[int, date, int, int | None]]:
            per_day = max(1, -(-self.sizes.history // HISTORY_DAYS))
            for n in range(self.sizes.history):
                yield measured.pk, self.today - timedelta(days=n // per_day), n % len(topic_ids)
            rest = self.sizes.study_log - self.sizes.history
            for _, learner, share in self._share(rest, others):
                for _ in range(share):
                    yield learner.pk, self._past_day(), self.rng.randrange(len(topic_ids))

        def rows() -> Iterator[tuple]:
            for n, (user_id, day, topic_index) in enumerate(entries()):
                spent = self.rng.randrange(15, 121, 5)
                minutes[user_id, day] += spent
                topic_id = topic_ids[topic_index] if n % 4 else None
                moment = self._moment(day)
                yield first + n, user_id, day, spent, topic_id, "", moment, moment

        columns = ("id", "user_id", "day", "minutes", "topic_id", "note", "created_at",
                   "updated_at")  # fmt: skip
        count = insert_rows(StudyLogEntry, columns, rows())
        first_day = next_id(DailyActivity)
        activity = (
            (first_day + n, user_id, day, total)
            for n, ((user_id, day), total) in enumerate(sorted(minutes.items()))
        )
        insert_rows(DailyActivity, ("id", "user_id", "day", "minutes"), activity)
        reset_sequences(StudyLogEntry, DailyActivity)
        return count

    def _moment(self, day: date) -> datetime:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())
        return min(noon, self.now)

    # --- attempts -----------------------------------------------------------------------------

    def attempts(
        self, learners: Sequence[User], exam: Exam, versions: Sequence[QuestionVersion]
    ) -> tuple[int, int]:
        """Submitted practice attempts, each with its answered items and answer records,
        inserted 5,000 attempts at a time."""
        domain_of = dict(QuestionExam.objects.filter(exam=exam).values_list("question", "domain"))
        ids = [next_id(model) for model in (Attempt, AttemptQuestion, AnswerRecord)]
        done = items = 0
        while done < self.sizes.attempts:
            batch = min(5000, self.sizes.attempts - done)
            rows = self._attempt_rows(learners, done, batch, ids, exam, versions, domain_of)
            insert_rows(Attempt, ATTEMPT_COLUMNS, rows[0], json_columns=("domain_results",))
            insert_rows(AttemptQuestion, ITEM_COLUMNS, rows[1],
                        json_columns=("choice_order", "answer"))  # fmt: skip
            insert_rows(AnswerRecord, RECORD_COLUMNS, rows[2], json_columns=("picked",))
            done += batch
            items += len(rows[1])
        reset_sequences(Attempt, AttemptQuestion, AnswerRecord)
        return done, items

    def _attempt_rows(
        self, learners: Sequence[User], start: int, count: int, ids: list[int], exam: Exam,
        versions: Sequence[QuestionVersion], domain_of: dict[int, int],
    ) -> tuple[list[tuple], list[tuple], list[tuple]]:  # fmt: skip
        """Rows of attempts `start` to `start + count`; `ids` (next attempt, item and record
        id) advance as rows are made."""
        answers = self.sizes.answers
        attempt_rows: list[tuple] = []
        item_rows: list[tuple] = []
        record_rows: list[tuple] = []
        for n in range(start, start + count):
            attempt_id, user_id = ids[0], learners[n % len(learners)].pk
            started = self._moment(self._past_day()) - timedelta(hours=1)
            first_question = self.rng.randrange(len(versions))
            points = 0
            for position in range(1, answers + 1):
                version = versions[(first_question + position) % len(versions)]
                order = [0, 1, 2, 3]
                self.rng.shuffle(order)
                picked = [self.rng.choice((0, 0, 1, 2, 3))]
                right = picked == [0]
                points += right
                answered = started + timedelta(minutes=position)
                domain_id = domain_of[version.question_id]
                item_rows.append((
                    ids[1], attempt_id, position, version.pk, domain_id, order, picked, False,
                    True, answered, Decimal(int(right)), 1,
                ))  # fmt: skip
                record_rows.append((
                    ids[2], user_id, version.question_id, version.pk, exam.pk, domain_id,
                    AnswerSource.PRACTICE, ids[1], answered, picked, right,
                    Decimal(int(right)), True,
                ))  # fmt: skip
                ids[1] += 1
                ids[2] += 1
            finished = started + timedelta(minutes=answers + 1)
            attempt_rows.append((
                attempt_id, user_id, exam.pk, AttemptMode.PRACTICE, AttemptStatus.SUBMITTED,
                False, False, answers, started, finished, Decimal(points), Decimal(answers),
                round(1000 * points / answers), points * 1000 >= 720 * answers, [], finished,
            ))  # fmt: skip
            ids[0] += 1
        return attempt_rows, item_rows, record_rows
