import copy
from pathlib import Path

import pytest
import yaml
from django.test import Client

from tests.factories import UserFactory
from tests.portal.accounts_helpers import with_totp

MINIMAL = {
    "technologies.yaml": {
        "technologies": [
            {"slug": "docker", "name": "Docker", "category": "tool", "summary": "Containers."},
            {
                "slug": "microsoft-entra-id",
                "name": "Microsoft Entra ID",
                "category": "service",
                "vendor": "Microsoft",
                "former_names": ["Azure AD"],
                "summary": "Identity.",
                "note": "Renamed from Azure Active Directory in 2023.",
            },
        ]
    },
    "certifications.yaml": {
        "certifications": [
            {
                "slug": "azure-developer-associate",
                "name": "Azure Developer Associate",
                "vendor": "Microsoft",
                "level": "associate",
                "status": "retired",
                "retired_on": "2026-07-31",
                "successor": "azure-ai-cloud-developer-associate",
                "summary": "AZ-204.",
            },
            {
                "slug": "azure-ai-cloud-developer-associate",
                "name": "Azure AI Cloud Developer Associate",
                "vendor": "Microsoft",
                "level": "associate",
                "summary": "AI-200.",
            },
        ]
    },
    "skills.yaml": {
        "skills": [
            {
                "slug": "python",
                "name": "Python",
                "category": "Programming",
                "summary": "The language of ML.",
                "definition": "A language.\n",
                "real_world": "Pipelines.\n",
                "levels": {
                    "beginner": "Syntax.\n",
                    "intermediate": "Pandas.\n",
                    "advanced": "APIs.\n",
                },
                "demonstrate": "A repository.\n",
                "technologies": ["docker"],
                "resources": [
                    {"title": "Automate the Boring Stuff with Python", "kind": "book"},
                ],
            }
        ]
    },
    "tracks/demo-track.yaml": {
        "track": {
            "slug": "demo-track",
            "title": "Demo Track",
            "summary": "A small track.",
            "hours_per_week": 10,
            "body": "Intro with **bold**.\n",
            "phases": [
                {
                    "slug": "foundations",
                    "title": "Foundations",
                    "summary": "First.",
                    "weeks": [1, 2],
                    "phases": [
                        {
                            "slug": "foundations-a",
                            "title": "Foundations A",
                            "summary": "Sub-phase.",
                            "weeks": 1,
                            "topics": [
                                {
                                    "slug": "containers",
                                    "title": "Containers",
                                    "summary": "Docker basics.",
                                    "hours": 6,
                                    "level": "beginner",
                                    "technologies": ["docker"],
                                    "skills": ["python"],
                                    "body": "Learn `docker run`.\n",
                                    "resources": [
                                        {
                                            "title": "Docker docs",
                                            "url": "https://docs.docker.com/",
                                            "kind": "doc",
                                        }
                                    ],
                                },
                                {
                                    "slug": "identity",
                                    "title": "Identity",
                                    "summary": "Entra ID.",
                                    "hours": 4,
                                    "level": "beginner",
                                    "technologies": ["microsoft-entra-id"],
                                    "certifications": ["azure-developer-associate"],
                                },
                            ],
                        }
                    ],
                    "topics": [
                        {
                            "slug": "review",
                            "title": "Review",
                            "summary": "Look back.",
                            "hours": 2.5,
                            "level": "intermediate",
                            "status": "draft",
                        }
                    ],
                }
            ],
        }
    },
}


class ContentFolder:
    """A content folder written from Python data, to change and re-import in tests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = copy.deepcopy(MINIMAL)
        self.write()

    def write(self) -> None:
        for relative, data in self.data.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    @property
    def track(self) -> dict:
        return self.data["tracks/demo-track.yaml"]["track"]

    def topics(self) -> list[dict]:
        foundations = self.track["phases"][0]
        return foundations["phases"][0]["topics"] + foundations["topics"]

    def topic(self, slug: str) -> dict:
        return next(topic for topic in self.topics() if topic["slug"] == slug)


@pytest.fixture
def content_folder(tmp_path: Path) -> ContentFolder:
    return ContentFolder(tmp_path / "curriculum")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: a test runs in one transaction that never
    does, and the stamp is renewed on commit, once per transaction."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def editor(db):
    """A superuser signed in to the admin, with the two-factor production settings ask of staff."""
    user = UserFactory(is_staff=True, is_superuser=True)
    with_totp(user)
    editor = Client()
    editor.force_login(user)
    return editor
