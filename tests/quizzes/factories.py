import factory

from quizzes.models import Exam, ExamDomain
from tests.factories import CertificationFactory


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exam
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"EX-C{n:02d}")
    certification = factory.SubFactory(CertificationFactory)
    name = factory.LazyAttribute(lambda exam: f"Exam {exam.code}")
    vendor = "AWS"
    level = "associate"
    duration_minutes = 130
    question_count = 65
    scored_questions = 50
    passing_score = 720
    score_scale_max = 1000
    sources = factory.LazyFunction(lambda: ["exam guide"])
    domains = factory.RelatedFactoryList(
        "tests.quizzes.factories.ExamDomainFactory", factory_related_name="exam", size=2
    )


class ExamDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamDomain

    exam = factory.SubFactory(ExamFactory, domains=[])
    code = factory.Sequence(str)
    name = factory.LazyAttribute(lambda domain: f"Domain {domain.code}")
    weight_min = 50
    weight_max = 50
    position = factory.Sequence(int)  # a stable order: tests pick "the first domain"


class QuestionBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.QuestionBank"
        django_get_or_create = ("slug",)

    slug = "test-bank"
    title = "Test bank"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Question"

    uid = factory.Sequence(lambda n: f"q-{n:04d}")
    bank = factory.SubFactory(QuestionBankFactory)
    kind = "single"
    status = "active"
    stem = factory.Sequence(lambda n: f"Scenario number {n}. Which service fits?")
    explanation = "Because the **right** one does."
    references = factory.LazyFunction(lambda: ["https://docs.aws.amazon.com/lambda/"])


def question_in(domain, *, correct=(0,), choices=4, **kwargs):
    """An active question (default: single choice, the first of four right) counted toward
    `domain`, with its first frozen version."""
    from quizzes.models import Choice, QuestionExam
    from quizzes.services import question_version_sync

    question = QuestionFactory(**kwargs)
    for position in range(choices):
        Choice.objects.create(
            question=question,
            position=position,
            text=f"Choice {position} of {question.uid}",
            correct=position in correct,
            rationale=f"Rationale {position}.",
        )
    QuestionExam.objects.create(question=question, exam=domain.exam, domain=domain)
    question_version_sync(question=question)
    return question
