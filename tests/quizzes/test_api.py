"""The public, read-only exams API: lifecycle, dates, domains, successor, problem details, and a
query count that does not grow with the number of exams."""

from datetime import UTC, date, datetime

import pytest
import time_machine
import yaml

from .factories import ExamDomainFactory, ExamFactory, question_in

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def developer_exams():
    old = ExamFactory(code="DVA-C02", last_day=date(2026, 11, 30), full_simulation=True)
    new = ExamFactory(
        code="DVA-C03", certification=old.certification, available_from=date(2026, 12, 1)
    )
    old.successor = new
    old.save()
    ExamFactory(code="AZ-204", vendor="Microsoft", question_count=50, duration_minutes=100)
    return old, new


def on(day: date):  # noqa: ANN201
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def test_list_is_public_paginated_and_shows_lifecycle(client, developer_exams):
    with on(date(2026, 11, 24)):
        body = client.get("/api/v1/exams/").json()
    assert body["count"] == 3
    lifecycles = {exam["code"]: exam["lifecycle"] for exam in body["results"]}
    assert lifecycles == {"AZ-204": "active", "DVA-C02": "retiring", "DVA-C03": "upcoming"}


def test_lifecycle_changes_with_the_date(client, developer_exams):
    with on(date(2026, 12, 1)):
        body = client.get("/api/v1/exams/").json()
    lifecycles = {exam["code"]: exam["lifecycle"] for exam in body["results"]}
    assert (lifecycles["DVA-C02"], lifecycles["DVA-C03"]) == ("retired", "active")


def test_list_filters_by_vendor_and_certification(client, developer_exams):
    old, _new = developer_exams
    microsoft = client.get("/api/v1/exams/?vendor=microsoft").json()
    assert [exam["code"] for exam in microsoft["results"]] == ["AZ-204"]
    slug = old.certification.slug
    developer = client.get(f"/api/v1/exams/?certification={slug}").json()
    assert [exam["code"] for exam in developer["results"]] == ["DVA-C02", "DVA-C03"]


def test_archived_exams_are_not_listed(client, developer_exams):
    ExamFactory(code="MLS-C01", archived_at=datetime(2026, 1, 1, tzinfo=UTC))
    codes = [exam["code"] for exam in client.get("/api/v1/exams/").json()["results"]]
    assert "MLS-C01" not in codes
    assert client.get("/api/v1/exams/MLS-C01/").status_code == 404


def test_detail_has_dates_domains_successor_and_figures(client, developer_exams):
    old, _new = developer_exams
    with on(date(2026, 11, 24)):
        body = client.get("/api/v1/exams/dva-c02/").json()
    assert body["code"] == "DVA-C02"
    assert body["lifecycle"] == "retiring"
    assert body["last_day"] == "2026-11-30"
    assert body["beta_from"] is None
    assert body["successor"] == "DVA-C03"
    assert body["certification"] == old.certification.slug
    assert body["full_simulation"] is True
    assert body["mini_exam"] == {"question_count": 30, "duration_minutes": 60}
    assert [domain["weight_min"] for domain in body["domains"]] == [50, 50]
    assert body["sources"] == ["exam guide"]


def test_unknown_code_is_a_404_problem(client, db):
    response = client.get("/api/v1/exams/XYZ-C99/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "/api/problems/not_found"
    assert "XYZ-C99" in body["detail"]


@pytest.mark.parametrize("size", [2, 12])
def test_list_query_count_does_not_grow_with_exams(client, django_assert_num_queries, size):
    predecessor = None
    for _ in range(size):
        predecessor = ExamFactory(successor=predecessor)
    with django_assert_num_queries(3):  # count, exams with certification and successor, domains
        body = client.get("/api/v1/exams/?page_size=100").json()
    assert len(body["results"]) == size


@pytest.mark.parametrize("domains", [1, 8])
def test_detail_query_count_does_not_grow_with_domains(client, django_assert_num_queries, domains):
    exam = ExamFactory(domains=[])
    ExamDomainFactory.create_batch(domains, exam=exam)
    with django_assert_num_queries(2):
        body = client.get(f"/api/v1/exams/{exam.code}/").json()
    assert len(body["domains"]) == domains


def test_schema_documents_the_exam_endpoints(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    detail = schema["paths"]["/api/v1/exams/{code}/"]["get"]["responses"]
    assert PROBLEM in detail["404"]["content"]
    listing = schema["paths"]["/api/v1/exams/"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} >= {"page", "vendor"}
    lifecycle = schema["components"]["schemas"]["LifecycleEnum"]
    assert set(lifecycle["enum"]) == {"upcoming", "beta", "active", "retiring", "retired"}


def test_practice_counts_per_exam_and_domain_and_never_an_answer(client, developer_exams):
    _old, new = developer_exams
    first, second = new.domains.order_by("position")
    question_in(first)
    question_in(first)
    question_in(second)
    question_in(second, status="retired")
    body = client.get(f"/api/v1/exams/{new.code}/").json()
    assert body["practice_questions"] == 3
    assert [d["practice_questions"] for d in body["domains"]] == [2, 1]
    listing = client.get("/api/v1/exams/").content.decode()
    detail = client.get(f"/api/v1/exams/{new.code}/").content.decode()
    for text in (listing, detail):
        for leak in ("correct", "rationale", "Choice 0", "explanation", "Scenario number"):
            assert leak not in text
    others = {
        e["code"]: e["practice_questions"] for e in client.get("/api/v1/exams/").json()["results"]
    }
    assert others["AZ-204"] == 0


@pytest.mark.parametrize("questions", [1, 12])
def test_practice_counts_do_not_add_queries(client, django_assert_num_queries, questions):
    exam = ExamFactory()
    for _ in range(questions):
        question_in(exam.domains.first())
    with django_assert_num_queries(3):
        body = client.get("/api/v1/exams/").json()
    assert body["results"][0]["practice_questions"] == questions
