import copy
import random
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml

from .factories import CertificationFactory

CERTIFICATIONS = (
    "aws-certified-developer-associate",
    "azure-developer-associate",
    "azure-ai-cloud-developer-associate",
)


def exam(code: str, certification: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "certification": certification,
        "name": f"Exam {code}",
        "vendor": "AWS",
        "level": "associate",
        "duration_minutes": 130,
        "question_count": 65,
        "scored_questions": 50,
        "passing_score": 720,
        "score_scale_max": 1000,
        "question_types": ["multiple_choice", "multiple_response"],
        "domains": [
            {"code": "1", "name": "Development", "weight_min": 60, "weight_max": 60},
            {"code": "2", "name": "Security", "weight_min": 40, "weight_max": 40},
        ],
        "sources": [f"{code} exam guide"],
        **extra,
    }


MINIMAL = {
    "exams": [
        exam(
            "DVA-C02",
            "aws-certified-developer-associate",
            full_simulation=True,
            last_day=date(2026, 11, 30),
            successor="DVA-C03",
        ),
        exam("DVA-C03", "aws-certified-developer-associate", available_from=date(2026, 12, 1)),
        exam(
            "AZ-204",
            "azure-developer-associate",
            vendor="Microsoft",
            duration_minutes=100,
            question_count=50,
            scored_questions=None,
            passing_score=700,
            figures_are_portal_choice=True,
            simulation_note="Microsoft publishes no question count; 50 questions in 100 minutes.",
            last_day=date(2026, 7, 31),
            successor="AI-200",
            conflicts=["Retirement date: 2026-07-31 vs 2026-08-31."],
            notes="Retired.",
        ),
        exam(
            "AI-200",
            "azure-ai-cloud-developer-associate",
            vendor="Microsoft",
            duration_minutes=100,
            question_count=50,
            scored_questions=None,
            passing_score=700,
            figures_are_portal_choice=True,
            simulation_note="Microsoft publishes no question count; 50 questions in 100 minutes.",
            beta_from=date(2026, 5, 1),
        ),
    ]
}


class ExamsFolder:
    """An exams folder written from Python data, to change and re-import in tests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = copy.deepcopy(MINIMAL)
        self.write()

    @property
    def file(self) -> Path:
        return self.root / "exams.yaml"

    def write(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        exams = [
            {key: value for key, value in item.items() if value is not None}
            for item in self.data["exams"]
        ]
        self.file.write_text(yaml.safe_dump({"exams": exams}, sort_keys=False), encoding="utf-8")

    def exam(self, code: str) -> dict[str, Any]:
        return next(item for item in self.data["exams"] if item["code"] == code)


@pytest.fixture
def certifications(db) -> None:
    for slug in CERTIFICATIONS:
        CertificationFactory(slug=slug)


@pytest.fixture
def exams_folder(tmp_path: Path, certifications) -> ExamsFolder:
    return ExamsFolder(tmp_path / "exams")


# --- Question banks ------------------------------------------------------------------------------


WORDS = [
    "lambda",
    "queue",
    "table",
    "stream",
    "bucket",
    "policy",
    "role",
    "key",
    "secret",
    "cache",
    "metric",
    "alarm",
    "trace",
    "deploy",
    "stage",
    "canary",
    "rollback",
    "template",
    "stack",
    "pipeline",
    "build",
    "image",
    "container",
    "cluster",
    "gateway",
    "token",
    "user",
    "pool",
    "identity",
    "encrypt",
    "rotate",
    "replicate",
    "partition",
    "index",
    "throughput",
    "latency",
    "retry",
    "backoff",
    "batch",
    "event",
    "rule",
    "topic",
    "subscriber",
    "workflow",
    "state",
    "timeout",
    "memory",
    "layer",
    "alias",
    "version",
    "region",
    "zone",
    "endpoint",
    "subnet",
    "route",
    "firewall",
    "certificate",
    "domain",
    "log",
    "query",
    "dashboard",
    "budget",
]


def stem_for(uid: str) -> str:
    """A stem no other uid's stem resembles (the linter rejects near-duplicates)."""
    words = random.Random(uid).sample(WORDS, 14)
    return f"A team works with {' '.join(words)}. Which option meets the requirement?"


def question(uid: str, exam: str = "DVA-C03", domain: str = "1", **extra: Any) -> dict[str, Any]:
    """A valid single choice question; `extra` overrides any key."""
    return {
        "id": uid,
        "kind": "single",
        "difficulty": "medium",
        "exams": [{"exam": exam, "domain": domain}],
        "stem": stem_for(uid),
        "choices": [
            {"text": f"Right answer {uid}", "correct": True, "rationale": "It does the job."},
            {"text": f"Wrong answer one {uid}", "rationale": "It does something else."},
            {"text": f"Wrong answer two {uid}", "rationale": "It is not a thing."},
            {"text": f"Wrong answer three {uid}", "rationale": "It is too slow."},
        ],
        "explanation": f"Because **{uid}**.",
        "references": ["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"],
        **extra,
    }


class BankFolder:
    """A questions folder of one bank, written from Python data, to change and re-import."""

    def __init__(self, root: Path, bank: str = "aws-developer") -> None:
        self.root = root
        self.bank = bank
        self.title = "AWS developer"
        self.questions = [question(f"dva-{n:04d}") for n in range(1, 4)]
        self.write()

    @property
    def file(self) -> Path:
        return self.root / f"{self.bank}.yaml"

    def write(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        data = {"bank": self.bank, "title": self.title, "questions": self.questions}
        self.file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def get(self, uid: str) -> dict[str, Any]:
        return next(item for item in self.questions if item["id"] == uid)


@pytest.fixture
def exams_loaded(exams_folder: ExamsFolder) -> ExamsFolder:
    from django.core.management import call_command

    call_command("import_exams", str(exams_folder.root), stdout=StringIO())
    return exams_folder


@pytest.fixture
def bank_folder(tmp_path: Path, exams_loaded) -> BankFolder:
    return BankFolder(tmp_path / "questions")


@pytest.fixture
def quiz_exam(db):
    from .attempt_fixtures import make_exam

    return make_exam()


@pytest.fixture
def bank(db):
    from .attempt_fixtures import make_bank

    return make_bank()
