"""Known answer histories for the learning-from-practice tests: questions whose choices name AWS
services (so confusions can be read from them), answer records written directly (for exact
analytics on known histories) or through the engine's services (for the pages and the browser)."""

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from quizzes.models import AnswerRecord, Choice, QuestionExam
from quizzes.queries import attempt_items
from quizzes.services import answer_save, attempt_start, question_version_sync
from tests.factories import TechnologyFactory

from .factories import QuestionFactory

SERVICES = {
    "amazon-sqs": ("Amazon SQS", []),
    "amazon-sns": ("Amazon SNS", []),
    "aws-lambda": ("AWS Lambda", []),
    "amazon-s3": ("Amazon S3", []),
    "amazon-sagemaker-ai": ("Amazon SageMaker AI", ["Amazon SageMaker"]),
}


def technologies() -> None:
    """The curriculum technologies the service questions name."""
    for slug, (name, former) in SERVICES.items():
        TechnologyFactory(slug=slug, name=name, former_names=former)


def service_question(domain, right: str, wrongs: list[str], **kwargs):  # noqa: ANN001, ANN201
    """An active single choice question counted toward `domain`: choice 0 (right) names
    `right`, the others name each of `wrongs`."""
    question = QuestionFactory(**kwargs)
    texts = [
        f"Use **{right}** for the orders.",
        *(f"Use {name} for the orders." for name in wrongs),
    ]
    for position, text in enumerate(texts):
        Choice.objects.create(
            question=question, position=position, text=text, correct=position == 0,
            rationale="Because.",
        )  # fmt: skip
    QuestionExam.objects.create(question=question, exam=domain.exam, domain=domain)
    question_version_sync(question=question)
    return question


def key_naming(question, name: str) -> int:  # noqa: ANN001
    """The choice key (position) of the latest version whose text names `name`."""
    content = question.versions.order_by("-number").first().content
    return next(c["key"] for c in content["choices"] if name in c["text_html"])


def record(
    user, question, *, correct: bool, at: datetime, picked=None, exam=None,  # noqa: ANN001
    source: str = "practice",
) -> AnswerRecord:  # fmt: skip
    """One recorded answer, as the engine writes them (without an attempt)."""
    version = question.versions.order_by("-number").first()
    link = question.exam_links.select_related("domain").first()
    if picked is None:
        keys = [c["key"] for c in version.content["choices"] if c["correct"] == correct]
        picked = keys[:1]
    return AnswerRecord.objects.create(
        user=user, question=question, version=version, exam=exam or link.exam,
        domain=link.domain if exam is None else None, source=source, answered_at=at,
        picked=picked, correct=correct, score=Decimal(1 if correct else 0),
    )  # fmt: skip


def history(user, question, outcomes: str, start: datetime, **kwargs) -> None:  # noqa: ANN001
    """Answers to `question` one minute apart, oldest first: "1" right, "0" wrong."""
    for index, outcome in enumerate(outcomes):
        record(user, question, correct=outcome == "1", at=start + timedelta(minutes=index),
               **kwargs)  # fmt: skip


def practise_all(user, exam, choose: Callable[[dict], int], now: datetime) -> int:  # noqa: ANN001
    """A practice session of every question of `exam`, through the engine's services, each
    answered with the key `choose(version content)` returns; one second apart."""
    count = exam.question_links.count()
    attempt, _ = attempt_start(user=user, exam=exam, mode="practice", count=count, now=now)
    for index, item in enumerate(attempt_items(attempt)):
        key = choose(item.version.content)
        answer_save(user=user, attempt_id=attempt.pk, position=item.position,
                    answer={"choices": [item.position * 10 + key]},
                    now=now + timedelta(seconds=index + 1))  # fmt: skip
    return count
