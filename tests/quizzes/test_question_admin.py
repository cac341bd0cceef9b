"""The question editor in Django admin: the Question editors group, the answer rules checked over
the whole form, exam/domain mappings, and a new frozen version on every content change."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from quizzes.models import Question, QuestionBank, QuestionVersion
from tests.factories import UserFactory

from .factories import ExamDomainFactory, ExamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_staff_2fa")]


@pytest.fixture
def no_staff_2fa():
    with override_settings(STAFF_REQUIRE_2FA=False):
        yield


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Question editors"))
    client.force_login(user)
    return client


@pytest.fixture
def exam():
    exam = ExamFactory(code="DVA-C03", domains=[])
    ExamDomainFactory(exam=exam, code="1", weight_min=60, weight_max=60)
    ExamDomainFactory(exam=exam, code="2", weight_min=40, weight_max=40)
    return exam


@pytest.fixture
def bank():
    return QuestionBank.objects.create(slug="aws-developer", title="AWS developer")


def form_data(bank, exam, *, kind="single", choose="", correct=(0,), domain=None, **extra):
    domain = domain or exam.domains.get(code="1")
    data = {
        "uid": "dva-0100", "bank": bank.pk, "kind": kind, "status": "active",
        "difficulty": "medium", "stem": "A team needs **X**. What should it use?",
        "choose": choose, "explanation": "Because X.",
        "references": "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html",
        "choices-TOTAL_FORMS": "5", "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "2", "choices-MAX_NUM_FORMS": "1000",
        "exam_links-TOTAL_FORMS": "1", "exam_links-INITIAL_FORMS": "0",
        "exam_links-MIN_NUM_FORMS": "1", "exam_links-MAX_NUM_FORMS": "1000",
        "exam_links-0-exam": exam.pk, "exam_links-0-domain": domain.pk,
    }  # fmt: skip
    for index in range(5):
        data[f"choices-{index}-position"] = index
        data[f"choices-{index}-text"] = f"Choice {index}"
        data[f"choices-{index}-rationale"] = f"Why {index}."
        if index in correct:
            data[f"choices-{index}-correct"] = "on"
    return {**data, **extra}


def test_editor_group_reaches_questions_and_nothing_else(editor):
    assert editor.get("/admin/quizzes/question/").status_code == 200
    assert editor.get("/admin/quizzes/question/add/").status_code == 200
    assert editor.get("/admin/quizzes/exam/").status_code == 200
    assert editor.get("/admin/portal/user/").status_code == 403
    assert editor.get("/admin/curriculum/topic/").status_code == 403
    assert editor.get("/admin/quizzes/questionversion/add/").status_code == 403


def test_valid_question_is_saved_with_a_first_version(editor, bank, exam):
    response = editor.post("/admin/quizzes/question/add/", form_data(bank, exam))
    assert response.status_code == 302, response.context["errors"]
    question = Question.objects.get(uid="dva-0100")
    assert question.references == ["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"]
    assert "<strong>X</strong>" in question.stem_html
    assert question.exam_links.get().domain.code == "1"
    assert question.version == 1
    assert [c["correct"] for c in question.versions.get().content["choices"]] == [
        True, False, False, False, False,
    ]  # fmt: skip


def test_editing_makes_a_new_version_and_keeps_the_old_one(editor, bank, exam):
    editor.post("/admin/quizzes/question/add/", form_data(bank, exam))
    question = Question.objects.get(uid="dva-0100")
    first = question.versions.get()
    data = form_data(bank, exam, correct=(1,), stem="A changed scenario. Which?")
    data["choices-INITIAL_FORMS"] = "5"
    data["exam_links-INITIAL_FORMS"] = "1"
    data["exam_links-0-id"] = question.exam_links.get().pk
    data["exam_links-0-question"] = question.pk
    for index, choice in enumerate(question.choices.order_by("position")):
        data[f"choices-{index}-id"] = choice.pk
        data[f"choices-{index}-question"] = question.pk
    response = editor.post(f"/admin/quizzes/question/{question.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    question.refresh_from_db()
    assert question.version == 2
    assert QuestionVersion.objects.get(pk=first.pk).content == first.content
    latest = question.versions.get(number=2).content
    assert [c["correct"] for c in latest["choices"]][:2] == [False, True]
    assert "changed scenario" in latest["stem_html"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"correct": (0, 1)}, "single choice question has exactly one correct choice, not 2"),
        ({"correct": ()}, "exactly one correct choice, not 0"),
        ({"kind": "multiple", "choose": "3", "correct": (0, 1)},
         "&#x27;choose&#x27; must equal the number of correct choices (2), not 3"),
        ({"kind": "multiple", "choose": "", "correct": (0, 1)},
         "says how many to choose (&#x27;choose&#x27;: 2)"),
        ({"kind": "multiple", "choose": "4", "correct": (0, 1, 2, 3)},
         "at least two correct and two wrong"),
    ],
)  # fmt: skip
def test_answer_rules_are_enforced_and_nothing_is_saved(editor, bank, exam, changes, message):
    response = editor.post("/admin/quizzes/question/add/", form_data(bank, exam, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_domain_must_belong_to_the_mapped_exam(editor, bank, exam):
    other = ExamFactory(code="CLF-C02")
    response = editor.post(
        "/admin/quizzes/question/add/",
        form_data(bank, exam, domain=other.domains.first()),
    )
    assert response.status_code == 200
    assert "Pick a domain of DVA-C03." in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_needs_an_exam(editor, bank, exam):
    data = form_data(bank, exam, **{"exam_links-TOTAL_FORMS": "0"})
    data["exam_links-MIN_NUM_FORMS"] = "0"
    response = editor.post("/admin/quizzes/question/add/", data)
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_catch_all_choice_and_bad_reference_are_refused(editor, bank, exam):
    data = form_data(bank, exam, references="http://example.com/x\nnot a url")
    data["choices-3-text"] = "None of the above"
    html = editor.post("/admin/quizzes/question/add/", data).content.decode()
    assert "choices are shuffled" in html
    assert "is not an https URL" in html
    assert not Question.objects.exists()


def test_changelist_lists_exam_codes_in_fixed_queries(
    editor, bank, exam, django_assert_max_num_queries
):
    for n in range(3):
        editor.post("/admin/quizzes/question/add/", form_data(bank, exam, uid=f"dva-01{n}0"))
    with django_assert_max_num_queries(15):
        html = editor.get("/admin/quizzes/question/").content.decode()
    assert "DVA-C03 (1)" in html


def test_stem_and_explanation_have_a_live_markdown_preview(editor, bank, exam):
    editor.post("/admin/quizzes/question/add/", form_data(bank, exam))
    question = Question.objects.get(uid="dva-0100")
    html = editor.get(f"/admin/quizzes/question/{question.pk}/change/").content.decode()
    assert "js/markdown-preview.js" in html
    assert html.count('data-markdown-preview="/admin/markdown-preview/"') == 2
    assert "<strong>X</strong>" in html  # the saved stem's preview, before any typing


def test_question_editors_read_and_resolve_learners_reports(editor, bank, exam):
    from quizzes.models import QuestionReport

    editor.post("/admin/quizzes/question/add/", form_data(bank, exam))
    report = QuestionReport.objects.create(
        question=Question.objects.get(uid="dva-0100"), reason="unclear", text="Which region?"
    )
    assert "Which region?" in editor.get("/admin/quizzes/questionreport/").content.decode()
    assert editor.get(f"/admin/quizzes/questionreport/{report.pk}/change/").status_code == 200
    assert editor.get("/admin/quizzes/questionreport/add/").status_code == 403
