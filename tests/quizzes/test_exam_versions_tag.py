"""The certification page's exam versions: lifecycle badges and successor notices, one query."""

from datetime import date

import pytest
from django.template import Context, Template

from .factories import CertificationFactory, ExamFactory, question_in

pytestmark = pytest.mark.django_db


def render(certification, today: date | None = None) -> str:
    template = Template("{% load quizzes_tags %}{% exam_versions certification today %}")
    return template.render(Context({"certification": certification, "today": today}))


@pytest.fixture
def developer():
    certification = CertificationFactory(slug="aws-certified-developer-associate")
    new = ExamFactory(
        code="DVA-C03",
        name="AWS Certified Developer - Associate (new version)",
        certification=certification,
        available_from=date(2026, 12, 1),
    )
    ExamFactory(
        code="DVA-C02", certification=certification, last_day=date(2026, 11, 30), successor=new
    )
    return certification


def test_retiring_version_points_to_its_successor_on_the_same_page(developer):
    html = render(developer, date(2026, 11, 24))
    assert '<span class="badge badge-retiring">Retiring</span>' in html
    assert '<span class="badge badge-upcoming">Upcoming</span>' in html
    assert "DVA-C02 can be taken until 30 November 2026." in html
    assert 'Its successor is <a href="#exam-dva-c03">DVA-C03</a>' in html
    assert "No practice yet" in html


def test_versions_say_how_much_practice_there_is(developer):
    dva_c03 = developer.exams.get(code="DVA-C03")
    question_in(dva_c03.domains.first())
    question_in(dva_c03.domains.first(), status="draft")
    html = render(developer, date(2026, 11, 24))
    assert "1 practice question<" in html
    assert html.count("No practice yet") == 1  # DVA-C02 has none


def test_retired_version_after_its_last_day(developer):
    html = render(developer, date(2026, 12, 1))
    assert '<span class="badge badge-retired">Retired</span>' in html
    assert '<span class="badge badge-active">Active</span>' in html
    assert "DVA-C02 was retired after 30 November 2026." in html


def test_successor_of_another_certification_is_named_and_missing_one_is_said(db):
    azure = CertificationFactory(slug="azure-developer-associate")
    ai_200 = ExamFactory(code="AI-200", name="Azure AI Cloud Developer Associate")
    ExamFactory(code="AZ-204", certification=azure, last_day=date(2026, 7, 31), successor=ai_200)
    html = render(azure, date(2026, 11, 24))
    assert "Its successor is <strong>AI-200</strong> (Azure AI Cloud Developer Associate)." in html
    specialty = CertificationFactory(slug="aws-certified-machine-learning-specialty")
    ExamFactory(code="MLS-C01", certification=specialty, last_day=date(2026, 3, 31))
    assert "It has no direct successor." in render(specialty, date(2026, 11, 24))


def test_versions_load_in_one_query(developer, django_assert_num_queries):
    with django_assert_num_queries(1):
        render(developer)


def test_certification_without_exams_renders_nothing(db):
    assert render(CertificationFactory()).strip() == ""
