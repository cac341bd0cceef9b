"""The project's own exam file: it imports after the real curriculum and says what it should."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.models import Exam
from tests.content import real_content

from .factories import CertificationFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

CERTIFICATION_OF = {
    "AZ-204": "azure-developer-associate",
    "AI-200": "azure-ai-cloud-developer-associate",
    "CLF-C02": "aws-certified-cloud-practitioner",
    "DVA-C02": "aws-certified-developer-associate",
    "DVA-C03": "aws-certified-developer-associate",
    "AIF-C01": "aws-certified-ai-practitioner",
    "MLA-C01": "aws-certified-machine-learning-engineer-associate",
    "MLA-C02": "aws-certified-machine-learning-engineer-associate",
    "MLS-C01": "aws-certified-machine-learning-specialty",
    "AZ-900": "azure-fundamentals",
    "AI-102": "azure-ai-engineer-associate",
    "AI-103": "azure-ai-apps-and-agents-developer",
    "AI-900": "azure-ai-fundamentals",
    "AI-901": "azure-ai-fundamentals",
}
DATES = {
    # code: (beta_from, available_from, last_day, successor)
    "AZ-204": (None, None, date(2026, 7, 31), "AI-200"),
    "AI-200": (date(2026, 5, 1), None, None, None),
    "DVA-C02": (None, None, date(2026, 11, 30), "DVA-C03"),
    "DVA-C03": (None, date(2026, 12, 1), None, None),
    "MLA-C01": (None, None, date(2026, 9, 28), "MLA-C02"),
    "MLA-C02": (date(2026, 9, 29), None, None, None),
    "MLS-C01": (None, None, date(2026, 3, 31), None),
    "AI-102": (None, None, date(2026, 6, 30), "AI-103"),
    "AI-103": (date(2026, 7, 1), None, None, None),
    "AI-900": (None, None, date(2026, 6, 30), "AI-901"),
}
# CLF-C02, AIF-C01 and MLA-C02 offer 30-question mini exams until their banks can fill 65. The
# bank linter fails the build on an exam marked for a simulation that its bank cannot fill.
FULL_SIMULATIONS = {"AZ-204", "AI-200", "DVA-C02", "DVA-C03"}
PORTAL_FIGURES = {"AZ-204": (50, 100), "AI-200": (50, 100), "MLA-C02": (65, 130)}


def import_exams() -> str:
    out = StringIO()
    call_command("import_exams", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def exams(db) -> dict[str, Exam]:
    for slug in set(CERTIFICATION_OF.values()):
        CertificationFactory(slug=slug)
    import_exams()
    return {exam.code: exam for exam in Exam.objects.select_related("certification", "successor")}


def test_file_has_the_14_exams_with_their_certifications(exams):
    assert {code: exam.certification.slug for code, exam in exams.items()} == CERTIFICATION_OF


def test_file_gives_dates_and_successors_instead_of_state_labels(exams):
    for code, exam in exams.items():
        successor = exam.successor.code if exam.successor else None
        wanted = DATES.get(code, (None, None, None, None))
        assert (exam.beta_from, exam.available_from, exam.last_day, successor) == wanted, code


def test_portal_figures_are_marked_and_explained(exams):
    for code, (questions, minutes) in PORTAL_FIGURES.items():
        exam = exams[code]
        assert (exam.question_count, exam.duration_minutes) == (questions, minutes)
        assert exam.figures_are_portal_choice
        assert f"{questions} questions in {minutes} minutes" in exam.simulation_note
    assert {code for code, exam in exams.items() if exam.full_simulation} >= FULL_SIMULATIONS
    for exam in exams.values():
        assert exam.sources, exam.code
        assert exam.domains.exists(), exam.code
        if exam.vendor == "Microsoft":
            assert exam.figures_are_portal_choice, exam.code


def test_unsure_dates_are_explained_in_notes(exams):
    assert "2027-01-14" in exams["MLA-C02"].notes
    assert "earliest date the sources support" in exams["AI-103"].notes
    assert "2026-05-01 is the portal's pick" in exams["AI-200"].notes


def test_real_exam_file_imports_after_the_real_curriculum():
    call_command("import_curriculum", stdout=StringIO(), stderr=StringIO())
    assert "created 14, updated 0, archived 0" in import_exams()
    assert Exam.objects.current().count() == 14
    assert "0 changes" in import_exams()


PRACTISED = ("AZ-204", "AI-200", "DVA-C03", "DVA-C02", "CLF-C02", "AIF-C01", "MLA-C02", "MLA-C01")
BANK_SIZES = {
    "AZ-204": 70,
    "AI-200": 60,
    "DVA-C03": 80,
    "CLF-C02": 35,
    "AIF-C01": 35,
    "MLA-C02": 35,
}


def test_load_content_brings_the_banks_with_a_mini_exam_and_simulation_each():
    """What `make run` does: the curriculum, then the exams, then the question banks. Every
    practised exam fills a mini exam at blueprint weight, and a full simulation where offered."""
    from quizzes.blueprint import domain_quota
    from quizzes.queries import exam_by_code

    out = StringIO()
    call_command("load_content", stdout=out, stderr=StringIO())
    assert "import_questions: created" in out.getvalue()
    for code in PRACTISED:
        exam = exam_by_code(code)
        domains = list(exam.domains.all())
        assert sum(domain.practice_questions for domain in domains) >= BANK_SIZES.get(code, 30)
        sizes = [exam.mini_exam().question_count]
        if exam.full_simulation:
            sizes.append(exam.question_count)
        for size in sizes:
            quota = domain_quota(domains, size)
            short = [d.code for d in domains if d.practice_questions < quota[d.code]]
            assert not short, (code, size, short)
    assert exam_by_code("DVA-C03").full_simulation
    assert exam_by_code("AZ-900").practice_questions == 0  # listed as "no practice yet"
    again = StringIO()
    call_command("load_content", stdout=again, stderr=StringIO())
    assert "import_questions: 0 changes" in again.getvalue()


def test_real_banks_round_trip_through_export(tmp_path):
    from quizzes.services import questions_export

    real_content()  # what load_content writes, imported once per run (tests/content.py)
    first = questions_export(path=tmp_path / "first")
    files = sorted(path.name for path in (ROOT / "content/questions").glob("*.yaml"))
    assert sorted(path.name for path in first) == files
    out = StringIO()
    call_command("import_questions", str(tmp_path / "first"), stdout=out, stderr=StringIO())
    assert "0 changes" in out.getvalue()
    second = questions_export(path=tmp_path / "second")
    for one, two in zip(first, second, strict=True):
        assert one.read_text() == two.read_text()
