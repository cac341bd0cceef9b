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
