"""The practice pages: the exam catalogue and an exam's page, public, with lifecycle notices,
"no practice yet", practice counts per domain, and fixed query counts."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from .factories import ExamDomainFactory, ExamFactory, question_in

pytestmark = pytest.mark.django_db


def on(day: date):  # noqa: ANN201
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


@pytest.fixture
def exams():
    new = ExamFactory(code="DVA-C03", available_from=date(2026, 12, 1), domains=[])
    ExamDomainFactory(exam=new, code="1", name="Development", weight_min=60, weight_max=60)
    ExamDomainFactory(exam=new, code="2", name="Security", weight_min=40, weight_max=40)
    old = ExamFactory(
        code="DVA-C02", certification=new.certification, last_day=date(2026, 11, 30), successor=new
    )
    ExamFactory(code="AZ-204", vendor="Microsoft")
    return old, new


def test_catalogue_groups_exams_by_vendor_with_states_and_practice(client, exams):
    _old, new = exams
    question_in(new.domains.get(code="1"))
    with on(date(2026, 11, 24)):
        html = client.get("/practice/").content.decode()
    assert html.index('<h2 id="vendor-1">AWS</h2>') < html.index("Microsoft</h2>")
    assert '<span class="badge badge-retiring">Retiring</span>' in html
    assert "1 practice question<" in html
    assert html.count("No practice yet") == 2
    assert 'href="/practice/DVA-C03/"' in html


def test_exam_page_shows_blueprint_practice_per_domain_and_successor_notice(client, exams):
    old, new = exams
    question_in(new.domains.get(code="2"))
    with on(date(2026, 12, 2)):
        retired = client.get("/practice/DVA-C02/").content.decode()
        current = client.get("/practice/dva-c03/").content.decode()
    assert "DVA-C02 was retired after 30 November 2026; its practice stays available" in retired
    assert 'Its successor is <a href="/practice/DVA-C03/">DVA-C03</a>' in retired
    assert '<span class="badge badge-active">Active</span>' in current
    assert "1. Development</th>" in current
    assert "30 questions in 60 minutes" in current  # the mini exam, time pro rata
    rows = current.split("<tbody>")[1]
    assert rows.index("Development") < rows.index("<td>0</td>") < rows.index("Security")
    assert "<td>1</td>" in rows


def test_unknown_exam_is_404(client, exams):
    assert client.get("/practice/NOPE-C01/").status_code == 404
    assert client.get("/practice/" + "x" * 300 + "/").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_query_counts_do_not_grow(client, django_assert_num_queries, size):
    for _ in range(size):
        exam = ExamFactory()
        question_in(exam.domains.first())
    with django_assert_num_queries(2):
        assert client.get("/practice/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get(f"/practice/{exam.code}/").status_code == 200
