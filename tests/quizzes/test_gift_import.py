"""GIFT import into the database: a sample file becomes draft questions of one exam and domain
with feedback as rationale and explanation; a broken file reports lines and writes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.models import Question, QuestionBank, QuestionVersion

from .factories import ExamDomainFactory, ExamFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def exam():
    exam = ExamFactory(code="CLF-C02", domains=[])
    ExamDomainFactory(exam=exam, code="3", name="Cloud Technology and Services")
    return exam


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_gift", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_sample_file_imports_as_drafts_in_the_chosen_exam_and_domain(exam):
    out = run(str(DATA / "sample.gift"), "--exam", "clf-c02", "--domain", "3", "--bank", "moodle")
    assert "imported 6 draft question(s) into bank moodle, exam CLF-C02 domain 3" in out
    questions = list(Question.objects.order_by("uid"))
    assert [q.uid for q in questions] == [f"moodle-{n:04d}" for n in range(1, 7)]
    assert {q.status for q in questions} == {"draft"}
    assert {q.kind for q in questions} == {"single", "multiple"}
    first = questions[0]
    assert "<strong>best</strong>" in first.stem_html
    assert first.explanation.startswith("Object storage keeps each file")
    choices = list(first.choices.order_by("position"))
    assert [c.correct for c in choices] == [True, False, False, False]
    assert choices[0].rationale.startswith("Objects scale without a file system")
    multiple = next(q for q in questions if q.kind == "multiple")
    assert multiple.choose == multiple.choices.filter(correct=True).count() >= 2
    assert {
        (link.exam.code, link.domain.code) for q in questions for link in q.exam_links.all()
    } == {("CLF-C02", "3")}
    assert QuestionVersion.objects.count() == 6
    assert QuestionBank.objects.get(slug="moodle").title == "Moodle"


def test_second_import_numbers_after_the_first(exam):
    args = (str(DATA / "sample.gift"), "--exam", "CLF-C02", "--domain", "3", "--bank", "moodle")
    run(*args)
    out = run(*args)
    assert "moodle-0007" in out
    assert Question.objects.count() == 12


def test_broken_file_reports_lines_and_writes_nothing(exam):
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_gift", str(DATA / "broken.gift"), "--exam", "CLF-C02", "--domain", "3",
            "--bank", "moodle", stdout=StringIO(), stderr=err,
        )  # fmt: skip
    lines = err.getvalue().splitlines()
    assert len(lines) >= 5
    assert all(":" in line and line.split(":")[1].isdigit() for line in lines)
    assert not Question.objects.exists()
    assert not QuestionBank.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--exam", "NOPE-C01", "--domain", "3", "--bank", "moodle"), "no exam 'NOPE-C01'"),
        (("--exam", "CLF-C02", "--domain", "9", "--bank", "moodle"),
         "exam CLF-C02 has no domain '9' (3)"),
        (("--exam", "CLF-C02", "--domain", "3", "--bank", "Not A Slug"), "must be a slug"),
    ],
)  # fmt: skip
def test_wrong_exam_domain_or_bank_writes_nothing(exam, args, message):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_gift", str(DATA / "sample.gift"), *args, stdout=StringIO(), stderr=err)
    assert message in err.getvalue()
    assert not Question.objects.exists()


def test_dry_run_writes_nothing(exam):
    out = run(str(DATA / "sample.gift"), "--exam", "CLF-C02", "--domain", "3", "--bank", "m",
              "--dry-run")  # fmt: skip
    assert "would import 6" in out
    assert not Question.objects.exists()


def test_not_utf8_is_a_clear_error(exam, tmp_path):
    path = tmp_path / "latin1.gift"
    path.write_bytes("Caf\xe9 {=a ~b ~c}".encode("latin-1"))
    with pytest.raises(CommandError, match="cannot read it as UTF-8"):
        run(str(path), "--exam", "CLF-C02", "--domain", "3", "--bank", "m")


@pytest.fixture
def editor(client, settings):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    settings.STAFF_REQUIRE_2FA = False
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Question editors"))
    client.force_login(user)
    return client


def upload(editor, exam, name: str):  # noqa: ANN201
    with (DATA / name).open("rb") as handle:
        return editor.post(
            "/admin/quizzes/question/import-gift/",
            {"file": handle, "domain": exam.domains.get().pk, "bank": "moodle"},
        )


def test_admin_upload_imports_the_sample(editor, exam):
    assert "Import GIFT" in editor.get("/admin/quizzes/question/").content.decode()
    assert editor.get("/admin/quizzes/question/import-gift/").status_code == 200
    response = upload(editor, exam, "sample.gift")
    assert response.status_code == 302
    assert Question.objects.filter(bank__slug="moodle", status="draft").count() == 6


def test_admin_upload_of_a_broken_file_lists_lines_and_writes_nothing(editor, exam):
    response = upload(editor, exam, "broken.gift")
    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing was written" in html
    assert "broken.gift:3:" in html
    assert not Question.objects.exists()


def test_admin_upload_needs_add_permission(client, settings, exam):
    from tests.factories import UserFactory

    settings.STAFF_REQUIRE_2FA = False
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/quizzes/question/import-gift/").status_code == 403
