"""The real content under content/curriculum/: it validates, imports, round-trips, and holds every
link and named thing from the seed documents (listed in content/seed-coverage.yaml; tests never
read ../shared)."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from curriculum.models import (
    Certification,
    Phase,
    Resource,
    ShowcaseProject,
    Skill,
    SkillLevel,
    Technology,
    Topic,
    Track,
)
from curriculum.services import curriculum_export
from tests.content import real_content

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.BASE_DIR) / "content"
COVERAGE = yaml.safe_load((CONTENT / "seed-coverage.yaml").read_text())
SEEDS = {
    "phase-2-ai-specialisation.md",
    "aws-certification-path-ai-ml.md",
    "ai-ml-engineer-skills-guide.md",
    "azure-ai-ml-certificate-notes.md",
    "ml-ai-engineer-roadmap.md",
}


@pytest.fixture
def curriculum() -> None:
    """The real curriculum, imported once per run (tests/content.py)."""
    real_content("import_curriculum")


def imported_text() -> str:
    """Everything a learner can read in the imported curriculum, lower-cased."""
    parts: list[str] = []
    fields = {
        Track: ("title", "summary", "body"),
        Phase: ("title", "summary", "body"),
        Topic: ("title", "summary", "body"),
        Resource: ("title", "provider", "note"),
        Technology: ("name", "summary", "note", "former_names"),
        Certification: ("name", "summary", "body"),
        Skill: ("name", "category", "summary", "definition", "real_world", "demonstrate"),
        SkillLevel: ("steps",),
        ShowcaseProject: ("title", "summary", "body"),
    }
    for model, names in fields.items():
        for row in model.objects.values_list(*names):
            parts.extend(str(value) for value in row)
    return "\n".join(parts).lower()


def test_coverage_list_has_every_seed_link_and_over_a_hundred_names():
    links = [entry["url"] for entry in COVERAGE["links"]]
    assert len(links) == len(set(links)) == 36
    assert set(COVERAGE["names"]) == SEEDS
    names = [name for names in COVERAGE["names"].values() for name in names]
    assert len(names) > 100


def test_every_seed_link_is_imported(curriculum):
    urls = set(Resource.objects.current().values_list("url", flat=True))
    urls |= set(Technology.objects.values_list("url", flat=True))
    urls |= set(Certification.objects.values_list("url", flat=True))
    missing = [entry["url"] for entry in COVERAGE["links"] if entry["url"] not in urls]
    assert missing == []


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_named_thing_in_the_seed_appears(curriculum, seed):
    text = imported_text()
    missing = [name for name in COVERAGE["names"][seed] if name.lower() not in text]
    assert missing == []


def test_all_five_paths_are_published(curriculum):
    tracks = Track.objects.published()
    assert tracks.count() == 5
    assert set(tracks.values_list("source", flat=True)) == SEEDS
    for track in tracks:
        assert Topic.objects.published().filter(phase__track=track).count() >= 10


def test_phase_2_nests_2a_2b_2c(curriculum):
    children = Phase.objects.filter(parent__slug="phase-2").order_by("position")
    assert [phase.title[:2] for phase in children] == ["2A", "2B", "2C"]


def test_outdated_seed_facts_are_marked(curriculum):
    entra = Technology.objects.get(slug="microsoft-entra-id")
    assert "Azure AD" in entra.former_names
    az204 = Certification.objects.get(slug="azure-developer-associate")
    assert (az204.status, str(az204.retired_on)) == ("retired", "2026-07-31")
    assert az204.successor.slug == "azure-ai-cloud-developer-associate"
    specialty = Certification.objects.get(slug="aws-certified-machine-learning-specialty")
    assert (specialty.status, str(specialty.retired_on)) == ("retired", "2026-03-31")
    assert Technology.objects.get(slug="amazon-lookout-for-vision").status == "discontinued"


def test_real_content_reimports_with_no_change_and_round_trips(tmp_path):
    call_command("import_curriculum", stdout=StringIO())
    out = StringIO()
    call_command("import_curriculum", stdout=out)
    assert "0 changes" in out.getvalue()
    curriculum_export(path=tmp_path)
    out = StringIO()
    call_command("import_curriculum", str(tmp_path), stdout=out)
    assert "0 changes" in out.getvalue()


def test_load_content_imports_the_curriculum(capsys):
    call_command("load_content")
    assert "import_curriculum: created" in capsys.readouterr().out
    assert Track.objects.count() == 5
