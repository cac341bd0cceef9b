"""What schemathesis found (tests/portal/test_schemathesis.py), pinned without the fuzzer: each
answer below once broke the OpenAPI schema (an undocumented status, a null the schema did not
allow, a format the value did not meet, an error shape the Problem schema did not describe)."""

import re

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from tests.factories import UserFactory
from tests.progress.factories import ReminderPreferenceFactory, TopicStatusFactory
from tests.quizzes.factories import ExamFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return yaml.safe_load(OpenApiYamlRenderer().render(generated, renderer_context={}))


@pytest.fixture
def learner(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def _component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]["properties"]


def _documented(schema: dict, path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def test_exam_without_successor_answers_null_and_the_schema_allows_it(api_client, schema):
    ExamFactory(code="FZ-C01", successor=None)
    response = api_client.get("/api/v1/exams/FZ-C01/")
    assert response.status_code == 200
    assert response.json()["successor"] is None
    assert _component(schema, "ExamOut")["successor"]["nullable"] is True


def test_status_not_done_has_null_done_on_and_the_schema_allows_it(api_client, learner, schema):
    TopicStatusFactory(user=learner, status="in_progress")
    response = api_client.get("/api/v1/me/statuses/")
    assert response.status_code == 200
    assert response.json()["results"][0]["done_on"] is None
    assert _component(schema, "StatusOut")["done_on"]["nullable"] is True


def test_reminder_time_is_hh_mm_and_the_schema_says_so(api_client, learner, schema):
    ReminderPreferenceFactory(user=learner)
    response = api_client.get("/api/v1/me/reminders/")
    assert response.status_code == 200
    documented = _component(schema, "RemindersOut")["time_of_day"]
    assert "format" not in documented  # OpenAPI's `time` needs seconds and an offset
    assert re.fullmatch(documented["pattern"], response.json()["time_of_day"])


def test_nested_field_errors_fit_the_problem_schema(api_client, learner, schema):
    response = api_client.post("/api/v1/me/statuses/bulk/", {"items": []}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]["items"]
    assert isinstance(errors, dict)  # a list field's errors nest under it
    field_errors = _component(schema, "Problem")["errors"]["additionalProperties"]
    assert {"type": "object", "additionalProperties": True} in field_errors["oneOf"]


def test_reporting_an_unseen_question_is_a_documented_404(api_client, learner, schema):
    data = {"question": "never-seen", "reason": "typo"}
    response = api_client.post("/api/v1/question-reports/", data, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert "404" in _documented(schema, "/api/v1/question-reports/", "post")


def test_export_in_an_unknown_format_is_a_documented_404(api_client, learner, schema):
    response = api_client.get("/api/v1/me/export/?format=xml")
    assert response.status_code == 404
    assert "404" in _documented(schema, "/api/v1/me/export/", "get")


def test_a_filter_value_django_filter_refuses_is_a_documented_400(api_client, schema):
    response = api_client.get("/api/v1/exams/", {"vendor": "A\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "400" in _documented(schema, "/api/v1/exams/", "get")
