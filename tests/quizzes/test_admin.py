from datetime import date

import pytest
from django.test import override_settings

from tests.factories import UserFactory

from .factories import ExamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@override_settings(STAFF_REQUIRE_2FA=False)
def test_exam_list_shows_the_computed_lifecycle(admin_client):
    ExamFactory(code="DVA-C02", last_day=date(2000, 1, 1))
    response = admin_client.get("/admin/quizzes/exam/")
    assert response.status_code == 200
    assert "Retired" in response.content.decode()


@override_settings(STAFF_REQUIRE_2FA=False)
def test_exam_edit_page_has_dates_and_domains(admin_client):
    exam = ExamFactory(code="DVA-C03")
    html = admin_client.get(f"/admin/quizzes/exam/{exam.pk}/change/").content.decode()
    assert 'name="available_from"' in html
    assert 'name="last_day"' in html
    assert 'name="domains-0-weight_min"' in html
    assert admin_client.get("/admin/quizzes/exam/add/").status_code == 200


def change_form(exam, **changes) -> dict:
    data = {
        "code": exam.code, "name": exam.name, "certification": exam.certification_id,
        "vendor": exam.vendor, "level": exam.level, "beta_from": "", "available_from": "",
        "last_day": "", "successor": "", "duration_minutes": exam.duration_minutes,
        "question_count": exam.question_count, "scored_questions": exam.scored_questions,
        "passing_score": exam.passing_score, "score_scale_max": exam.score_scale_max,
        "question_types": "[]", "simulation_note": "", "sources": '["exam guide"]',
        "conflicts": "[]", "notes": "",
        "domains-TOTAL_FORMS": exam.domains.count(), "domains-INITIAL_FORMS": exam.domains.count(),
        "domains-MIN_NUM_FORMS": 0, "domains-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for index, domain in enumerate(exam.domains.all()):
        for name in ("id", "position", "code", "name", "weight_min", "weight_max"):
            data[f"domains-{index}-{name}"] = getattr(domain, name)
        data[f"domains-{index}-exam"] = exam.pk
    return data | changes


@override_settings(STAFF_REQUIRE_2FA=False)
def test_admin_edits_dates_and_domain_weights(admin_client):
    exam = ExamFactory(code="DVA-C02")
    data = change_form(exam, last_day="2026-12-01", **{"domains-0-weight_max": 60})
    response = admin_client.post(f"/admin/quizzes/exam/{exam.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    exam.refresh_from_db()
    assert exam.last_day == date(2026, 12, 1)
    assert exam.domains.first().weight_max == 60


@override_settings(STAFF_REQUIRE_2FA=False)
def test_admin_refuses_dates_out_of_order(admin_client):
    exam = ExamFactory(code="DVA-C03")
    data = change_form(exam, available_from="2026-12-01", last_day="2026-11-30")
    response = admin_client.post(f"/admin/quizzes/exam/{exam.pk}/change/", data)
    assert response.status_code == 200
    assert "available_from must not be after last_day." in response.content.decode()
    exam.refresh_from_db()
    assert exam.last_day is None
