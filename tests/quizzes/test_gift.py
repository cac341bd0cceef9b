"""The GIFT reader: the multiple-choice and multiple-response subset becomes GiftQuestions; every
other GIFT kind and every malformed question is an error with its source and line."""

from pathlib import Path

import pytest

from curriculum.content import ContentError, ContentInvalid
from quizzes.gift import GiftChoice, GiftQuestion, parse_gift

DATA = Path(__file__).parent / "data"

SINGLE = "Which storage keeps objects? {=Object ~Block ~File}"
MULTIPLE = "Pick two. {~%50%Zones ~%50%Regions ~%-100%Tags ~%-100%Labels}"


def errors_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ContentInvalid) as raised:
        parse_gift(text, source="bank.gift")
    assert all(error.file == "bank.gift" for error in raised.value.errors)
    return [(error.line, error.reason) for error in raised.value.errors]


def only_error(text: str) -> tuple[int, str]:
    errors = errors_of(text)
    assert len(errors) == 1, errors
    return errors[0]


def only_question(text: str) -> GiftQuestion:
    questions = parse_gift(text)
    assert len(questions) == 1, questions
    return questions[0]


# --- What is read ----------------------------------------------------------------------------


def test_sample_bank_reads_every_question():
    questions = parse_gift((DATA / "sample.gift").read_text(), source="sample.gift")

    assert [
        (question.title, question.kind, question.choose, question.line) for question in questions
    ] == [
        ("Object storage", "single", None, 5),
        ("Policy evaluation", "single", None, 15),
        ("Autoscaling signals", "multiple", 2, 24),
        ("Regions and zones", "multiple", 3, 32),
        ("", "single", None, 41),
        ("Cost tags", "single", None, 47),
    ]


def test_sample_bank_first_question_in_full():
    question = parse_gift((DATA / "sample.gift").read_text())[0]

    assert question == GiftQuestion(
        title="Object storage",
        stem="A team stores millions of images that are written once and read\n"
        "often. Which kind of storage fits **best**?",
        kind="single",
        choose=None,
        choices=[
            GiftChoice(
                "Object storage",
                True,
                "Objects scale without a file system and are served over HTTP.",
            ),
            GiftChoice(
                "Block storage attached to one virtual machine",
                False,
                "A volume is tied to its machine and sized up front.",
            ),
            GiftChoice(
                "A relational database table", False, "Large binary data bloats tables and backups."
            ),
            GiftChoice(
                "The virtual machine's temporary disk", False, "It is lost when the machine stops."
            ),
        ],
        explanation="Object storage keeps each file as an object with its own key and metadata.",
        line=5,
    )


def test_sample_bank_escapes():
    question = parse_gift((DATA / "sample.gift").read_text())[1]

    assert question.stem == (
        'A request matches two statements of an access policy: {"Effect": "Allow"}\n'
        'and {"Effect": "Deny"}. What is the outcome?'
    )
    assert question.choices[1].text == "The request is allowed, because allow = grant"


def test_single_choice_on_one_line():
    question = only_question(SINGLE)

    assert question.kind == "single"
    assert question.choose is None
    assert question.title == ""
    assert question.stem == "Which storage keeps objects?"
    assert [(choice.text, choice.correct) for choice in question.choices] == [
        ("Object", True),
        ("Block", False),
        ("File", False),
    ]
    assert question.explanation == ""
    assert question.line == 1


def test_multiple_response_positive_weights_are_correct():
    question = only_question(MULTIPLE)

    assert question.kind == "multiple"
    assert question.choose == 2
    assert [choice.correct for choice in question.choices] == [True, True, False, False]


def test_multiple_response_unweighted_and_zero_weight_answers_are_wrong():
    question = only_question("Pick two. {~%50%Zones ~%50%Regions ~%0%Tags ~Labels}")

    assert [choice.correct for choice in question.choices] == [True, True, False, False]


@pytest.mark.parametrize(
    "weights",
    [
        ("33.33333", "33.33333", "33.33333"),
        ("33.3", "33.3", "33.3"),
        ("33", "33", "33"),
        ("33", "33", "34"),
        ("16.7",) * 6,
        ("25",) * 4,
    ],
)
def test_weights_add_up_to_100_within_rounding(weights):
    answers = " ".join(f"~%{weight}%Right {number}" for number, weight in enumerate(weights))

    question = only_question(f"Pick the right ones. {{{answers} ~Wrong 1 ~Wrong 2}}")

    assert question.choose == len(weights)


def test_single_choice_may_weight_wrong_answers_negatively():
    question = only_question("Which? {=Right ~%-50%Wrong ~%0%Also wrong}")

    assert [choice.correct for choice in question.choices] == [True, False, False]


def test_per_answer_and_general_feedback():
    question = only_question(
        "Which? {=Right # Yes, right. ~Wrong # No. ~Other #No either.#### Because of this.}"
    )

    assert [choice.feedback for choice in question.choices] == ["Yes, right.", "No.", "No either."]
    assert question.explanation == "Because of this."


def test_title_is_read_and_may_be_empty():
    assert only_question(f"::Storage 101:: {SINGLE}").title == "Storage 101"
    assert only_question(f"::::{SINGLE}").title == ""


def test_comments_and_categories_are_ignored():
    text = f"// A bank.\n$CATEGORY: $course$/Cloud\n\n// About storage\n{SINGLE}\n// the end\n"

    question = only_question(text)

    assert question.stem == "Which storage keeps objects?"
    assert question.line == 5


def test_comment_lines_inside_a_question_are_ignored():
    question = only_question("Which?\n{\n=Right\n// not an answer\n~Wrong\n~Other\n}")

    assert [choice.text for choice in question.choices] == ["Right", "Wrong", "Other"]


def test_blank_lines_separate_questions():
    questions = parse_gift(f"\n\n{SINGLE}\n\n\n{MULTIPLE}\n")

    assert [(question.kind, question.line) for question in questions] == [
        ("single", 3),
        ("multiple", 6),
    ]


def test_multi_line_question_with_answers_on_their_own_lines():
    text = "::T:: A team needs storage\nfor objects. Which kind? {\n  =Object\n  ~Block\n  ~File\n}"

    question = only_question(text)

    assert question.stem == "A team needs storage\nfor objects. Which kind?"
    assert [choice.text for choice in question.choices] == ["Object", "Block", "File"]


def test_indentation_is_stripped():
    question = only_question("Which?\n        indented text {=A ~B ~C}")

    assert question.stem == "Which?\nindented text"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("a \\~ b", "a ~ b"),
        ("a \\= b", "a = b"),
        ("a \\# b", "a # b"),
        ("a \\{ b \\}", "a { b }"),
        ("a\\: b", "a: b"),
        ("a\\nb", "a\nb"),
        ("a \\\\ b", "a \\ b"),
        ("C:\\temp and \\d+", "C:\\temp and \\d+"),
    ],
)
def test_escapes(written, read):
    question = only_question(f"::Title\\: one:: Stem {written}? {{=Right {written} ~B ~C}}")

    assert question.title == "Title: one"
    assert question.stem == f"Stem {read}?"
    assert question.choices[0].text == f"Right {read}"


def test_escaped_hash_stays_in_feedback():
    question = only_question("Which? {=C\\# # Yes, C\\# is right. ~B ~D}")

    assert question.choices[0] == GiftChoice("C#", True, "Yes, C# is right.")


@pytest.mark.parametrize("prefix", ["[markdown]", "[plain]", "[moodle]", "[MARKDOWN]"])
def test_text_format_prefixes_are_removed(prefix):
    question = only_question(f"{prefix}Which **one**? {{={prefix}A #{prefix}Yes ~B ~C}}")

    assert question.stem == "Which **one**?"
    assert question.choices[0] == GiftChoice("A", True, "Yes")


def test_html_is_kept_as_written():
    question = only_question("::T::[html]<p>Which <b>one</b>?</p> {=<i>A</i> ~B ~C}")

    assert question.stem == "<p>Which <b>one</b>?</p>"
    assert question.choices[0].text == "<i>A</i>"


def test_a_bracketed_word_that_is_not_a_format_is_text():
    assert only_question("[AWS] Which? {=A ~B ~C}").stem == "[AWS] Which?"


def test_windows_line_endings_and_byte_order_mark():
    questions = parse_gift(f"\ufeff// c\r\n{SINGLE}\r\n\r\n{MULTIPLE}\r\n")

    assert [question.line for question in questions] == [2, 4]


def test_no_questions_gives_an_empty_list():
    assert parse_gift("// only a comment\n\n$CATEGORY: x\n") == []
    assert parse_gift("") == []


# --- GIFT kinds outside the subset -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer_block", "kind"),
    [
        ("{T}", "true/false"),
        ("{TRUE}", "true/false"),
        ("{F}", "true/false"),
        ("{FALSE#It is true.}", "true/false"),
        ("{=Ottawa =Canada's capital}", "short-answer"),
        ("{Ottawa}", "short-answer"),
        ("{=Canada -> Ottawa =Italy -> Rome =Japan -> Tokyo}", "matching"),
        ("{#1822:5}", "numerical"),
        ("{#1..5}", "numerical"),
        ("{}", "essay"),
        ("{####Only general feedback}", "essay"),
    ],
)
def test_unsupported_kinds_are_named(answer_block, kind):
    line, reason = only_error(f"{SINGLE}\n\n// next\n::Q:: The question\ntext. {answer_block}")

    assert line == 5
    assert reason.startswith(kind)
    assert "not supported" in reason


def test_missing_word_is_not_supported():
    line, reason = only_error("Grant is {~buried =entombed ~living}\nin Grant's tomb.")

    assert line == 2
    assert reason.startswith("missing-word questions")


def test_description_is_not_supported():
    line, reason = only_error(f"{SINGLE}\n\n::Intro:: Read the scenario\nbelow carefully.")

    assert line == 3
    assert reason.startswith("description questions")


# --- Malformed questions -----------------------------------------------------------------------


def test_unclosed_brace_before_a_blank_line():
    errors = errors_of("Which? {\n=A\n~B\n\n~C\n}")

    assert errors == [
        (1, "unclosed '{': no '}' before the blank line that ends the question"),
        (6, "stray '}' with no '{' before it (write \\} for a brace in text)"),
    ]


def test_unclosed_brace_before_the_next_question():
    line, reason = only_error("Which? {=A ~B ~C\nWhich else? {=A ~B ~C}")

    assert line == 1
    assert "another '{' on line 2" in reason


def test_stray_closing_brace_before_the_answer_block():
    assert only_error("Which\n} one? {=A ~B ~C}")[0] == 2


def test_stray_closing_brace_after_the_answer_block():
    line, reason = only_error("Which? {=A ~B ~C}\n}")

    assert (line, reason[:10]) == (2, "stray '}' ")


def test_unclosed_title():
    line, reason = only_error(f"{SINGLE}\n\n::Title {SINGLE}")

    assert (line, reason) == (3, "unclosed '::' title: a title is written ::like this::")


def test_answer_block_with_no_question_text():
    assert only_error("::Title::\n{=A ~B ~C}") == (
        2,
        "an answer block with no question text before it",
    )


def test_no_correct_answer():
    line, reason = only_error("Which?\n{~A ~B ~C}")

    assert line == 2
    assert reason.startswith("no correct answer")


def test_no_correct_answer_when_every_weight_is_negative():
    assert only_error("Which? {~%-50%A ~%-50%B ~C ~D}")[1].startswith("no correct answer")


def test_two_right_answers_in_a_single_choice_question():
    assert only_error("Which? {\n=A\n~B\n=C\n~D}") == (
        4,
        "a second '=' answer (the first is on line 2): a single-choice question has one; for "
        "several right answers use weights like ~%50%",
    )


def test_right_answer_mixed_with_positive_weights():
    line, reason = only_error("Which? {=A\n~%50%B ~C ~D}")

    assert line == 2
    assert reason.startswith("'=' mixed with a positive weight")


def test_weight_after_equals_sign():
    line, reason = only_error("Which? {~B\n=%100%A ~C ~D}")

    assert line == 2
    assert reason.startswith("a weight after '='")


def test_one_positive_weight_asks_for_an_equals_sign():
    line, reason = only_error("Which? {~%100%A ~B\n~C ~D}")

    assert line == 1
    assert "write it as '=answer'" in reason


@pytest.mark.parametrize(
    ("answers", "total"),
    [("~%30%A ~%30%B", "60"), ("~%50%A ~%50%B ~%50%C", "150"), ("~%40%A ~%50.5%B", "90.5")],
)
def test_weights_that_do_not_add_up_to_100(answers, total):
    line, reason = only_error(f"::Q::\nWhich? {{{answers}\n~Wrong ~Also wrong}}")

    assert line == 2
    assert reason.startswith(f"the positive weights add up to {total}%, not 100%")


@pytest.mark.parametrize(
    ("written", "quoted"),
    [("%fifty%", "'%fifty%'"), ("%50", "'%50'"), ("%5.5.5%", "'%5.5.5%'"), ("% 50%", "'%'")],
)
def test_bad_weight_syntax(written, quoted):
    assert only_error(f"Which? {{~%50%A\n~{written}B ~C ~D}}") == (
        2,
        f"bad weight {quoted}: write a percentage like ~%50% or ~%-100%",
    )


@pytest.mark.parametrize("weight", ["150", "-150", "100.5"])
def test_weight_out_of_range(weight):
    assert only_error(f"Which? {{~%50%A ~%50%B\n~%{weight}%C ~D}}") == (
        2,
        f"weight {weight}% is out of range: it must be -100% to 100%",
    )


def test_empty_answer_text():
    assert only_error("Which? {\n=A\n~\n~B\n~C}") == (3, "empty answer text after '~'")


def test_empty_answer_text_with_only_feedback():
    assert only_error("Which? {=A ~B ~C\n~ # feedback only}") == (2, "empty answer text after '~'")


def test_text_before_the_first_answer():
    line, reason = only_error("Which? {\nA\n=B ~C ~D}")

    assert line == 1
    assert reason.startswith("text before the first answer")


@pytest.mark.parametrize(
    ("answers", "count"),
    [("=A ~B", "2"), ("~A =B", "2"), ("=A ~B ~C ~D ~E ~F ~G", "7")],
)
def test_single_choice_has_3_to_6_choices(answers, count):
    assert only_error(f"Which?\n{{{answers}}}") == (
        2,
        f"a single question has 3 to 6 choices, not {count}",
    )


def test_multiple_response_has_4_to_8_choices():
    errors = errors_of("Which?\n{~%50%A ~%50%B ~C}")

    assert (2, "a multiple question has 4 to 8 choices, not 3") in errors


def test_multiple_response_has_two_wrong_choices():
    line, reason = only_error("Which?\n{~%33.33333%A ~%33.33333%B ~%33.33333%C ~D}")

    assert line == 2
    assert reason.startswith("a multiple response question has at least two correct and two wrong")


def test_catch_all_choice_is_rejected():
    line, reason = only_error("Which? {=A ~B\n~All of the above}")

    assert line == 2
    assert reason.startswith("'all/none of the above' choices are not allowed")


def test_same_choice_text_twice():
    assert only_error("Which? {=A ~B\n~A}") == (2, "the same choice text appears twice")


def test_every_error_in_the_file_is_reported():
    text = "Which? {=A ~B}\n\nFine? {=A ~B ~C}\n\nWhich? {T}\n\nUnclosed {=A ~B ~C"

    assert [line for line, _ in errors_of(text)] == [1, 5, 7]


def test_broken_bank_reports_each_error_at_its_line():
    with pytest.raises(ContentInvalid) as raised:
        parse_gift((DATA / "broken.gift").read_text(), source="broken.gift")

    assert raised.value.errors == [
        ContentError(
            "broken.gift", 3, "unclosed '{': no '}' before the blank line that ends the question"
        ),
        ContentError("broken.gift", 8, "true/false ('{T}', '{F}') questions are not supported"),
        ContentError(
            "broken.gift",
            10,
            "a second '=' answer (the first is on line 10): a single-choice question has one; "
            "for several right answers use weights like ~%50%",
        ),
        ContentError(
            "broken.gift",
            12,
            "the positive weights add up to 110%, not 100% (scoring is all or nothing, but the "
            "weights must still describe a full mark)",
        ),
        ContentError(
            "broken.gift", 19, "bad weight '%fifty%': write a percentage like ~%50% or ~%-100%"
        ),
        ContentError("broken.gift", 21, "an answer block with no question text before it"),
        ContentError("broken.gift", 23, "a single question has 3 to 6 choices, not 2"),
        ContentError(
            "broken.gift", 25, "stray '}' with no '{' before it (write \\} for a brace in text)"
        ),
        ContentError("broken.gift", 29, "empty answer text after '~'"),
    ]
    assert str(raised.value).splitlines()[0] == (
        "broken.gift:3: unclosed '{': no '}' before the blank line that ends the question"
    )
