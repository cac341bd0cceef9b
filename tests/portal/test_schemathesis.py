"""schemathesis fuzzes every /api/v1/ operation of our OpenAPI schema against a live server,
signed in as a throwaway learner with a real allauth headless app token: no 5xx, and every answer
(status, content type, headers, body) is one the schema documents.

The learner gets realistic data first (a published track with phases, topics, resources, skills
and a certification; an exam with a bank of every kind of question; statuses, a study log, notes,
finished and open attempts, review cards, an exam date, a question note and a report), and path
parameters are drawn half the time from that data, so the fuzzer reaches the 2xx paths too and not
only 404s. Throttles are raised for the run so that 429s hide nothing.

Reproducible: derandomized Hypothesis with a fixed seed, at least 20 examples per operation.
"""

import re
from datetime import timedelta
from typing import Any

import pytest
import requests
import schemathesis
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode

from progress import services as progress
from quizzes import queries as quiz_queries
from quizzes import services as quiz
from tests.factories import (
    CertificationFactory,
    PhaseFactory,
    ResourceFactory,
    SkillFactory,
    SkillLevelFactory,
    TechnologyFactory,
    TopicFactory,
    TrackFactory,
)
from tests.quizzes.factories import ExamDomainFactory, ExamFactory, question_in

from .accounts_helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

EXAMPLES = 20
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
]
CONFIG = {
    "seed": 20261124,
    "suppress-health-check": ["all"],
    # The learner's token is the only credential: no made-up session cookies or tokens.
    "generation": {"deterministic": True, "with-security-parameters": False},
    "phases": {
        "examples": {"enabled": True},
        "fuzzing": {"generation": {"max-examples": EXAMPLES}},
        # Boundary cases per parameter multiply the requests without finding more here.
        "coverage": {"enabled": False},
        "stateful": {"enabled": False},
    },
}


def _seed_curriculum() -> dict[str, Any]:
    certification = CertificationFactory(slug="fuzz-developer-associate", vendor="AWS")
    track = TrackFactory(slug="fuzz-track")
    phase = PhaseFactory(track=track, slug="fuzz-phase")
    sub_phase = PhaseFactory(track=track, parent=phase, slug="fuzz-sub-phase")
    skill = SkillFactory(slug="fuzz-skill")
    SkillLevelFactory(skill=skill)
    skill.certifications.add(certification)
    technology = TechnologyFactory(slug="aws-lambda", name="AWS Lambda")
    topics = [
        TopicFactory(phase=phase, slug="fuzz-topic"),
        TopicFactory(phase=sub_phase, slug="fuzz-advanced-topic", level="advanced"),
        TopicFactory(phase=phase, slug="fuzz-draft-topic", status="draft"),
    ]
    for topic in topics[:2]:
        topic.skills.add(skill)
        topic.certifications.add(certification)
        topic.technologies.add(technology)
    resource = ResourceFactory(topic=topics[0])
    ResourceFactory(topic=None, skill=skill)
    return {
        "track": track, "phase": phase, "topics": topics, "skill": skill,
        "certification": certification, "resource": resource,
    }  # fmt: skip


def _seed_exam(certification: Any) -> Any:
    exam = ExamFactory(
        code="FZ-C01", certification=certification, question_count=10, scored_questions=None,
        duration_minutes=20, passing_score=700, score_scale_max=1000, domains=[],
    )  # fmt: skip
    one = ExamDomainFactory(exam=exam, code="1", name="Build", weight_min=60, weight_max=60)
    two = ExamDomainFactory(exam=exam, code="2", name="Secure", weight_min=40, weight_max=40)
    for _ in range(8):
        question_in(one)
    for _ in range(3):
        question_in(two)
    question_in(two, kind="multiple", choose=2, correct=(0, 1), choices=5)
    question_in(two, kind="yesno", correct=(0, 2), choices=3)
    return exam


def _answer_all(user: Any, attempt: Any) -> None:
    for item in quiz_queries.attempt_items(attempt):
        answer = quiz_queries.answer_ids(item)
        choices = [choice["id"] for choice in quiz_queries.present_item(attempt, item)["choices"]]
        if "statements" in answer:
            answer = {"statements": {str(choice): True for choice in choices}}
        else:
            answer = {"choices": choices[: item.version.content["choose"] or 1]}
        quiz.answer_save(
            user=user, attempt_id=attempt.pk, position=item.position, answer=answer, sure=True
        )


def _seed_learner(user: Any, curriculum: dict[str, Any], exam: Any) -> dict[str, Any]:
    today = timezone.localdate()
    track, topics, resource = curriculum["track"], curriculum["topics"], curriculum["resource"]
    progress.track_follow(user=user, track=track)
    progress.target_set(user=user, track=track, target_date=today + timedelta(days=90))
    progress.status_set(user=user, topic=topics[0], status="done")
    progress.status_set(user=user, topic=topics[1], status="in_progress")
    progress.resource_done_set(user=user, resource=resource, done=True)
    progress.note_save(user=user, topic=topics[0], body="Remember **cold starts**.")
    entry = progress.study_log_add(user=user, day=today, minutes=45, topic=topics[0], note="Labs")
    progress.study_log_add(user=user, day=today - timedelta(days=3), minutes=30)

    finished, _ = quiz.attempt_start(user=user, exam=exam, mode="exam")
    _answer_all(user, finished)
    quiz.attempt_submit(user=user, attempt_id=finished.pk)
    open_exam, _ = quiz.attempt_start(user=user, exam=exam, mode="exam")
    practice, _ = quiz.attempt_start(user=user, exam=exam, mode="practice", count=3)
    question = quiz_queries.attempt_items(finished)[0].version.question
    quiz.exam_date_set(user=user, exam=exam, day=today + timedelta(days=30))
    quiz.question_note_save(user=user, question_uid=question.uid, body="Check the **limits**.")
    quiz.question_report(user=user, question_uid=question.uid, reason="unclear", text="Which?")
    return {"entry": entry, "open_exam": open_exam, "practice": practice, "question": question}


def known_path_parameters(curriculum: dict[str, Any], exam: Any, mine: dict[str, Any]) -> dict:
    """Path template -> parameters naming rows that exist (and are the learner's)."""
    open_exam, practice = mine["open_exam"].pk, mine["practice"].pk
    track, topic = curriculum["track"].slug, curriculum["topics"][0].slug
    uid = mine["question"].uid
    return {
        "/api/v1/attempts/{attempt_id}/": {"attempt_id": open_exam},
        "/api/v1/attempts/{attempt_id}/questions/": {"attempt_id": open_exam},
        "/api/v1/attempts/{attempt_id}/questions/{position}/answer/": {
            "attempt_id": open_exam,
            "position": 1,
        },
        "/api/v1/attempts/{attempt_id}/questions/{position}/flag/": {
            "attempt_id": open_exam,
            "position": 2,
        },
        "/api/v1/attempts/{attempt_id}/submit/": {"attempt_id": practice},
        "/api/v1/certifications/{slug}/": {"slug": curriculum["certification"].slug},
        "/api/v1/exam-dates/{code}/": {"code": exam.code},
        "/api/v1/exams/{code}/": {"code": exam.code},
        "/api/v1/me/notes/{slug}/": {"slug": topic},
        "/api/v1/me/resources-done/{resource_id}/": {"resource_id": curriculum["resource"].pk},
        "/api/v1/me/study-log/{entry_id}/": {"entry_id": mine["entry"].pk},
        "/api/v1/me/targets/{slug}/": {"slug": track},
        "/api/v1/me/tracks/{slug}/": {"slug": track},
        "/api/v1/phases/{slug}/": {"slug": curriculum["phase"].slug},
        "/api/v1/question-notes/{uid}/": {"uid": uid},
        "/api/v1/readiness/{code}/": {"code": exam.code},
        "/api/v1/resources/{id}/": {"id": curriculum["resource"].pk},
        "/api/v1/review/{uid}/rate/": {"uid": uid},
        "/api/v1/skills/{slug}/": {"slug": curriculum["skill"].slug},
        "/api/v1/topics/{slug}/": {"slug": topic},
        "/api/v1/tracks/{slug}/": {"slug": track},
    }


@pytest.fixture
def learner_token(live_server) -> tuple[str, dict]:
    """A verified throwaway learner with data, signed in through allauth headless as the app."""
    user = verified_user(email="fuzz@example.com")
    curriculum = _seed_curriculum()
    exam = _seed_exam(curriculum["certification"])
    mine = _seed_learner(user, curriculum, exam)
    response = requests.post(
        f"{live_server.url}/_allauth/app/v1/auth/login",
        json={"email": user.email, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["meta"]["session_token"], known_path_parameters(curriculum, exam, mine)


@pytest.fixture
def api_schema(live_server, learner_token, monkeypatch):
    token, known = learner_token
    # DRF reads the rates into the throttle class at import: raise them there for this run.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"}
    )
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw, config=schemathesis.Config.from_dict(CONFIG))
    schema.config.update(base_url=live_server.url, headers={"X-Session-Token": token})

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):  # noqa: ANN001, ANN202
        existing = known.get(context.operation.path)
        if existing is None:
            return st.just(path_parameters)
        return st.sampled_from([path_parameters, {**path_parameters, **existing}])

    return schema


# Operations that end the account or the token would sign the fuzzer out for every operation after
# them; account deletion has its own tests (tests/portal/test_account_delete.py).
EXCLUDED = re.compile(r"^/api/v1/me/delete/$")


def _fuzz(strategy: st.SearchStrategy, examples: int) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: the first failing case is reported as it is
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def _strategies(schema: Any, operation: Any) -> list[tuple[st.SearchStrategy, int]]:
    """The schema's own examples (each once), then generated cases, valid and invalid."""
    examples = [(strategy, 1) for strategy in schema.get_strategies_from_examples(operation)]
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    generated = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))
    return [*examples, (generated, EXAMPLES)]


def _describe(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return "\n".join([error.message, *(str(failure) for failure in error.exceptions)])
    return f"{type(error).__name__}: {error}"


def test_every_operation_answers_as_documented(api_schema):
    """schemathesis.pytest.from_fixture would be the usual way to fuzz against a fixture's live
    server, but it sets a private pytest attribute (Node._nodeid) that pytest 9 dropped; this
    runs the same checks per operation through schemathesis's public strategies instead."""
    failures, fuzzed = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if EXCLUDED.match(operation.path):
            continue
        fuzzed += 1
        try:
            for strategy, examples in _strategies(api_schema, operation):
                _fuzz(strategy, examples)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - report them all
            failures.append(f"{operation.label}: {_describe(error)}")
    assert fuzzed > 50
    assert not failures, "\n\n".join(failures)
