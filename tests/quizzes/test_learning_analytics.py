"""Learning analytics on known answer histories: Wilson intervals, readiness per exam and domain
(verdict boundaries, not enough data, which answers count), recurring confusion pairs (3 of the
last 5, not 2), item statistics exact on a known set of exam simulations (a negatively
discriminating item, choice pick counts, reports), topics done but still missed, the review
order, and the editors' admin pages for reports and item statistics."""

import statistics
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from progress import queries as progress_queries
from progress import services as progress_services
from quizzes import analytics
from quizzes.analytics import DomainTally, PearsonSums, assess, wilson
from quizzes.models import AnswerRecord, QuestionExam, QuestionReport
from quizzes.queries import attempt_items
from quizzes.services import answer_save, attempt_start, attempt_submit, question_report
from tests.factories import TopicFactory, UserFactory

from .attempt_fixtures import T0, fill, make_exam
from .factories import ExamDomainFactory, ExamFactory, question_in
from .learning_fixtures import (
    history,
    key_naming,
    record,
    service_question,
    technologies,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory(timezone="Europe/Berlin")


# --- Wilson and the weighting (pure) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (1, 10, 0.0179, 0.4042),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (12, 15, 0.5481, 0.9295),
    ],
)
def test_wilson_matches_published_values(successes, n, low, high):
    assert wilson(successes, n) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_without_answers_is_the_whole_range_and_rejects_impossible_counts():
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson(11, 10)


def test_wilson_narrows_with_more_answers_at_the_same_share():
    few, many = wilson(8, 10), wilson(80, 100)
    assert many[0] > few[0]
    assert many[1] < few[1]


def test_blueprint_weights_are_mid_weights_scaled_to_one():
    assert analytics.blueprint_weights([(60, 60), (40, 40)]) == [0.6, 0.4]
    weights = analytics.blueprint_weights([(25, 30), (20, 25), (15, 20)])
    assert weights == pytest.approx([27.5 / 67.5, 22.5 / 67.5, 17.5 / 67.5])
    assert analytics.blueprint_weights([(0, 0), (0, 0)]) == [0.5, 0.5]


# --- Readiness (pure) --------------------------------------------------------------------------


def two_domains(build: tuple[int, int], secure: tuple[int, int], threshold: float = 0.7):
    return assess(
        exam_code="TST-C01",
        exam_name="Test exam",
        threshold=threshold,
        domains=[
            DomainTally("1", "Build", 60, 60, *build),
            DomainTally("2", "Secure", 40, 40, *secure),
        ],
    )


def test_readiness_weights_the_shares_and_the_wilson_bounds_by_blueprint():
    found = two_domains((12, 15), (6, 10))
    build, secure = wilson(12, 15), wilson(6, 10)
    assert found.estimate == pytest.approx(0.6 * 0.8 + 0.4 * 0.6)
    assert found.low == pytest.approx(0.6 * build[0] + 0.4 * secure[0])
    assert found.high == pytest.approx(0.6 * build[1] + 0.4 * secure[1])
    assert (found.low_percent, found.high_percent, found.estimate_percent) == (45, 90, 72)
    assert found.verdict == "borderline"
    assert [d.code for d in found.weakest] == ["2", "1"]
    assert found.reason == "The range 45-90% includes the 70% needed to pass."


def one_domain(correct: int, answered: int, threshold: float):
    domains = [DomainTally("1", "Build", 100, 100, correct, answered)]
    return assess(exam_code="X", exam_name="X", threshold=threshold, domains=domains)


TEN_OF_TEN_LOW = wilson(10, 10)[0]  # 0.72246
NONE_OF_TEN_HIGH = wilson(0, 10)[1]  # 0.27754


@pytest.mark.parametrize(
    ("threshold", "verdict"),
    [
        (TEN_OF_TEN_LOW - 1e-9, "likely"),
        (TEN_OF_TEN_LOW, "likely"),
        (TEN_OF_TEN_LOW + 1e-9, "borderline"),
        (0.99, "borderline"),
    ],
)
def test_likely_to_pass_once_the_low_bound_reaches_the_threshold(threshold, verdict):
    assert one_domain(10, 10, threshold).verdict == verdict


@pytest.mark.parametrize(
    ("threshold", "verdict"),
    [
        (0.01, "borderline"),
        (NONE_OF_TEN_HIGH, "borderline"),
        (NONE_OF_TEN_HIGH + 1e-9, "not_yet"),
        (0.7, "not_yet"),
    ],
)
def test_not_yet_once_the_high_bound_is_below_the_threshold(threshold, verdict):
    assert one_domain(0, 10, threshold).verdict == verdict


def test_the_two_domain_interval_decides_like_one_domain():
    assert two_domains((10, 10), (10, 10), 0.72).verdict == "likely"
    assert two_domains((10, 10), (10, 10), 0.73).verdict == "borderline"
    assert two_domains((0, 10), (0, 10), 0.28).verdict == "not_yet"


def test_fewer_than_ten_answers_is_not_enough_data():
    found = two_domains((5, 5), (4, 4))
    assert found.verdict == "not_enough_data"
    assert found.verdict_label == "not enough data"
    assert found.reason == "9 answers in the last 90 days; at least 10 are needed."


def test_a_domain_without_answers_is_not_enough_data_and_named():
    found = two_domains((30, 30), (0, 0))
    assert found.verdict == "not_enough_data"
    assert [d.code for d in found.missing] == ["2"]
    assert found.reason == "No answers yet in domain 2 Secure."
    assert found.estimate is None
    # Its whole weight is doubt: the interval still holds the 40% it could score.
    assert found.low == pytest.approx(0.6 * wilson(30, 30)[0])
    assert found.high == pytest.approx(1.0)


def test_weakest_domains_leave_out_perfect_ones():
    assert two_domains((20, 20), (9, 10)).weakest[0].code == "2"
    assert two_domains((20, 20), (10, 10)).weakest == ()


# --- Readiness from the database ---------------------------------------------------------------


@pytest.fixture
def exam():
    """TST-C01: domain 1 Build (60%), 2 Secure (40%); pass at 700 of 1000; 8 + 5 questions."""
    exam = make_exam()
    fill(exam, first=8, second=5)
    return exam


def questions_of(exam, code: str) -> list:  # noqa: ANN001
    domain = exam.domains.get(code=code)
    return [link.question for link in domain.question_links.select_related("question")]


def answers(user, questions, right: int, total: int, start, **kwargs) -> None:  # noqa: ANN001
    """`total` answers spread over `questions`, the first `right` of them right."""
    for index in range(total):
        record(user, questions[index % len(questions)], correct=index < right,
               at=start + timedelta(minutes=index), **kwargs)  # fmt: skip


def test_readiness_on_a_known_history(learner, exam):
    answers(learner, questions_of(exam, "1"), 12, 15, T0 - timedelta(days=3))
    answers(learner, questions_of(exam, "2"), 6, 10, T0 - timedelta(days=2))
    found = analytics.readiness(user=learner, exam=exam, now=T0)
    assert found.threshold == 0.7
    assert [(d.code, d.correct, d.answered) for d in found.domains] == [("1", 12, 15), ("2", 6, 10)]
    assert (found.low, found.high) == (
        pytest.approx(0.6 * wilson(12, 15)[0] + 0.4 * wilson(6, 10)[0]),
        pytest.approx(0.6 * wilson(12, 15)[1] + 0.4 * wilson(6, 10)[1]),
    )
    assert found.verdict == "borderline"


def test_only_the_last_90_days_and_50_answers_per_domain_count(learner, exam):
    build, secure = questions_of(exam, "1"), questions_of(exam, "2")
    answers(learner, build, 0, 20, T0 - timedelta(days=91))  # too old
    answers(learner, build, 0, 10, T0 - timedelta(days=30))  # within 90 days, but not the last 50
    answers(learner, build, 50, 50, T0 - timedelta(days=10))
    answers(learner, secure, 50, 50, T0 - timedelta(days=10))
    found = analytics.readiness(user=learner, exam=exam, now=T0)
    assert [(d.correct, d.answered) for d in found.domains] == [(50, 50), (50, 50)]
    assert found.verdict == "likely"
    assert found.low == pytest.approx(wilson(50, 50)[0])


def test_answers_to_the_exams_questions_count_whichever_exam_they_were_given_in(learner, exam):
    other = ExamFactory(code="OLD-C01", domains=[])
    other_domain = ExamDomainFactory(exam=other, code="1")
    shared = questions_of(exam, "1")[0]
    QuestionExam.objects.create(question=shared, exam=other, domain=other_domain)
    only_other = question_in(other_domain)
    record(learner, shared, correct=True, at=T0 - timedelta(days=1), exam=other)
    record(learner, only_other, correct=False, at=T0 - timedelta(days=1))
    record(UserFactory(), shared, correct=False, at=T0 - timedelta(days=1))  # someone else's
    found = analytics.readiness(user=learner, exam=exam, now=T0)
    assert [(d.code, d.correct, d.answered) for d in found.domains] == [("1", 1, 1), ("2", 0, 0)]
    assert found.verdict == "not_enough_data"
    assert [d.code for d in found.missing] == ["2"]


@pytest.mark.parametrize(("passing_score", "verdict"), [(722, "likely"), (723, "borderline")])
def test_the_threshold_is_the_passing_score_on_the_scale(learner, exam, passing_score, verdict):
    exam.passing_score = passing_score
    exam.save()
    answers(learner, questions_of(exam, "1"), 10, 10, T0 - timedelta(days=1))
    answers(learner, questions_of(exam, "2"), 10, 10, T0 - timedelta(days=1))
    assert analytics.readiness(user=learner, exam=exam, now=T0).verdict == verdict


def test_readiness_is_two_queries_for_any_history(learner, exam, django_assert_num_queries):
    answers(learner, questions_of(exam, "1"), 3, 5, T0 - timedelta(days=1))
    with django_assert_num_queries(2):
        small = analytics.readiness(user=learner, exam=exam, now=T0)
    answers(learner, questions_of(exam, "1"), 300, 400, T0 - timedelta(days=5))
    with django_assert_num_queries(2):
        large = analytics.readiness(user=learner, exam=exam, now=T0)
    assert (small.answered, large.answered) == (5, 50)


def test_learner_exams_lists_booked_then_practised_current_exams(learner, exam):
    other = ExamFactory(code="AAA-C01")
    from quizzes.services import exam_date_set

    exam_date_set(user=learner, exam=other, day=T0.date() + timedelta(days=20), now=T0)
    assert [e.code for e in analytics.learner_exams(user=learner, now=T0)] == ["AAA-C01"]
    record(learner, questions_of(exam, "1")[0], correct=True, at=T0 - timedelta(days=1))
    assert [e.code for e in analytics.learner_exams(user=learner, now=T0)] == [
        "AAA-C01",
        "TST-C01",
    ]


# --- Confusion pairs ---------------------------------------------------------------------------


@pytest.fixture
def services_exam():
    """An exam with five 'SQS or SNS?' questions and five 'SNS or SQS?' ones, and a question
    naming no service."""
    technologies()
    exam = ExamFactory(code="DVA-C02", domains=[])
    domain = ExamDomainFactory(exam=exam, code="1", weight_min=100, weight_max=100)
    sqs = [service_question(domain, "Amazon SQS", ["Amazon SNS", "AWS Lambda", "Amazon S3"])
           for _ in range(5)]  # fmt: skip
    sns = [service_question(domain, "Amazon SNS", ["Amazon SQS", "AWS Lambda", "Amazon S3"])
           for _ in range(5)]  # fmt: skip
    return exam, sqs, sns, question_in(domain)


def answer_sqs_questions(user, questions, picks: str, start=T0) -> None:  # noqa: ANN001
    """One answer per question, oldest first: "N" picked SNS (the confusion), "L" picked
    Lambda (wrong, another mistake), "Q" picked SQS (right)."""
    names = {"N": "Amazon SNS", "L": "AWS Lambda", "Q": "Amazon SQS"}
    for index, (question, pick) in enumerate(zip(questions, picks, strict=False)):
        record(user, question, correct=pick == "Q", at=start + timedelta(minutes=index),
               picked=[key_naming(question, names[pick])])  # fmt: skip


def test_matcher_reads_whole_names_longest_first_and_former_names():
    sagemaker = "Amazon SageMaker AI"
    matcher = analytics.TechnologyMatcher(
        [(sagemaker, sagemaker), ("Amazon SageMaker", sagemaker), ("Amazon SQS", "Amazon SQS"),
         ("R", "R")]
    )  # fmt: skip
    assert matcher.names_in("<p>Train in <em>amazon sagemaker</em></p>") == {"Amazon SageMaker AI"}
    assert matcher.names_in("<p>Amazon SageMaker AI endpoints</p>") == {"Amazon SageMaker AI"}
    assert matcher.names_in("<p>Amazon SQSX or xAmazon SQS</p>") == set()
    assert matcher.names_in("<p>Amazon SQS &amp; more</p>") == {"Amazon SQS"}
    assert matcher.names_in("<p>Use R, not r</p>") == {"R"}


def test_a_pair_names_only_what_tells_the_two_choices_apart():
    matcher = analytics.TechnologyMatcher(
        [(n, n) for n in ("Amazon SQS", "Amazon SNS", "AWS Lambda")]
    )
    content = {
        "kind": "single",
        "choices": [
            {"key": 0, "correct": True, "text_html": "<p>Amazon SQS with AWS Lambda</p>"},
            {"key": 1, "correct": False, "text_html": "<p>Amazon SNS with AWS Lambda</p>"},
            {"key": 2, "correct": False, "text_html": "<p>A cron job</p>"},
        ],
    }
    names = analytics.choice_names(content, matcher)
    assert analytics.confusion_pairs(names, [1]) == {("Amazon SQS", "Amazon SNS")}
    assert analytics.confusion_pairs(names, [2]) == set()
    assert analytics.confusion_pairs(names, [0]) == set()
    assert analytics.confusion_pairs(names, None) == set()
    assert analytics.choice_names({"kind": "yesno", "choices": []}, matcher) is None


def test_a_confusion_in_3_of_the_last_5_recurs(learner, services_exam):
    exam, sqs, _sns, _plain = services_exam
    answer_sqs_questions(learner, sqs, "NQNLN")
    found = analytics.confusions(user=learner, now=T0 + timedelta(hours=1))
    assert [(c.right, c.picked, c.times, c.out_of) for c in found] == [
        ("Amazon SQS", "Amazon SNS", 3, 5)
    ]
    assert set(found[0].question_ids) == {q.pk for q in sqs}
    assert found[0].last_at == T0 + timedelta(minutes=4)


def test_a_confusion_in_2_of_the_last_5_does_not(learner, services_exam):
    _exam, sqs, _sns, _plain = services_exam
    answer_sqs_questions(learner, sqs, "NQNLQ")
    assert analytics.confusions(user=learner, now=T0 + timedelta(hours=1)) == []


def test_only_the_last_5_chances_count(learner, services_exam):
    _exam, sqs, sns, _plain = services_exam
    answer_sqs_questions(learner, sqs, "NNNNN", start=T0 - timedelta(days=30))
    answer_sqs_questions(learner, sqs, "QQQNN")  # improved: 2 of the last 5
    assert analytics.confusions(user=learner, now=T0 + timedelta(hours=1)) == []
    # The other way round is its own pair: SQS picked on "SNS" questions.
    for index, question in enumerate(sns[:3]):
        record(learner, question, correct=False, at=T0 + timedelta(minutes=10 + index),
               picked=[key_naming(question, "Amazon SQS")])  # fmt: skip
    found = analytics.confusions(user=learner, now=T0 + timedelta(hours=1))
    assert [(c.right, c.picked, c.times, c.out_of) for c in found] == [
        ("Amazon SNS", "Amazon SQS", 3, 3)
    ]


def test_confusions_are_the_learners_own_and_of_the_exam_asked(learner, services_exam):
    exam, sqs, _sns, _plain = services_exam
    answer_sqs_questions(UserFactory(), sqs, "NNNNN")
    assert analytics.confusions(user=learner, now=T0 + timedelta(hours=1)) == []
    answer_sqs_questions(learner, sqs, "NNNQQ")
    assert len(analytics.confusions(user=learner, exam=exam, now=T0 + timedelta(hours=1))) == 1
    other = ExamFactory(code="OTHER-C01")
    assert analytics.confusions(user=learner, exam=other, now=T0 + timedelta(hours=1)) == []


def test_answer_confusions_names_the_pair_one_wrong_answer_shows(learner, services_exam):
    _exam, sqs, _sns, plain = services_exam
    wrong = record(learner, sqs[0], correct=False, at=T0,
                   picked=[key_naming(sqs[0], "Amazon SNS")])  # fmt: skip
    right = record(learner, sqs[1], correct=True, at=T0)
    plain_wrong = record(learner, plain, correct=False, at=T0)
    assert analytics.answer_confusions(wrong) == [("Amazon SQS", "Amazon SNS")]
    matcher = analytics.technology_matcher()
    assert analytics.answer_confusions(right, matcher=matcher) == []
    assert analytics.answer_confusions(plain_wrong, matcher=matcher) == []


def test_answer_confusions_reads_an_attempts_item_for_the_results_page(learner, services_exam):
    exam, _sqs, _sns, _plain = services_exam
    attempt, _ = attempt_start(user=learner, exam=exam, mode="practice", count=11, now=T0)
    items = attempt_items(attempt)
    item = next(
        i for i in items if "Amazon SQS</strong>" in i.version.content["choices"][0]["text_html"]
    )
    sns_key = next(
        c["key"] for c in item.version.content["choices"] if "Amazon SNS" in c["text_html"]
    )
    answer_save(user=learner, attempt_id=attempt.pk, position=item.position,
                answer={"choices": [item.position * 10 + sns_key]}, now=T0)  # fmt: skip
    item.refresh_from_db()
    assert analytics.answer_confusions(item) == [("Amazon SQS", "Amazon SNS")]
    assert analytics.answer_confusions(AnswerRecord.objects.get(attempt_item=item)) == [
        ("Amazon SQS", "Amazon SNS")
    ]


def test_confusions_cost_three_queries_whatever_the_history(
    learner, services_exam, django_assert_num_queries
):
    _exam, sqs, _sns, _plain = services_exam
    answer_sqs_questions(learner, sqs, "NNNQQ")
    with django_assert_num_queries(3):
        small = analytics.confusions(user=learner, now=T0 + timedelta(days=1))
    for round_ in range(40):
        answer_sqs_questions(learner, sqs, "QNQNQ", start=T0 - timedelta(days=round_ + 1))
    with django_assert_num_queries(3):
        large = analytics.confusions(user=learner, now=T0 + timedelta(days=1))
    assert len(small) == len(large) == 1


# --- Review order ------------------------------------------------------------------------------


def test_group_by_confusion_moves_a_groups_members_next_to_its_first():
    assert analytics.group_by_confusion([1, 2, 3, 4, 5], [[4, 2], [5]]) == [1, 2, 4, 3, 5]
    assert analytics.group_by_confusion([3, 1, 2], [[1, 3], [2, 3]]) == [3, 1, 2]
    assert analytics.group_by_confusion([7, 8], []) == [7, 8]


def test_review_order_puts_a_recurring_confusions_questions_side_by_side(learner, services_exam):
    _exam, sqs, sns, plain = services_exam
    answer_sqs_questions(learner, sqs, "NNNQQ")
    record(learner, sns[1], correct=True, at=T0 - timedelta(days=1))  # SNS or SQS: same pair
    due = [sqs[0].pk, plain.pk, sns[0].pk, sqs[3].pk, sns[1].pk]
    now = T0 + timedelta(hours=1)
    assert analytics.review_order(user=learner, question_ids=due, now=now) == [
        sqs[0].pk, sqs[3].pk, sns[1].pk, plain.pk, sns[0].pk,
    ]  # fmt: skip


# --- Item statistics ---------------------------------------------------------------------------

# Six learners sit the same 10-question simulation. Row: one learner; column: the questions in
# pk order; 1 right, 0 wrong (picking WRONG_KEYS' key), "-" left blank. q0 everyone gets right (no
# discrimination); q9 only the weakest get right (negative); q1 is left blank once.
SHEET = [
    "1111111110",
    "1111111100",
    "1111110000",
    "1111000001",
    "1100000001",
    "1-00000001",
]
WRONG_KEYS = {(0, 9): 2}  # (learner, question) -> the wrong key picked; otherwise key 1


@pytest.fixture
def sat():
    """The six simulations, submitted; returns (exam, questions in pk order, learners)."""
    exam = make_exam()
    fill(exam, first=6, second=4)
    questions = sorted(
        (link.question for link in exam.question_links.select_related("question")),
        key=lambda q: q.pk,
    )
    learners = [UserFactory() for _ in SHEET]
    for row, (user, marks) in enumerate(zip(learners, SHEET, strict=True)):
        attempt, _ = attempt_start(user=user, exam=exam, mode="exam", now=T0)
        for item in attempt_items(attempt):
            column = next(i for i, q in enumerate(questions) if q.pk == item.version.question_id)
            mark = marks[column]
            if mark == "-":
                continue
            key = 0 if mark == "1" else WRONG_KEYS.get((row, column), 1)
            answer_save(user=user, attempt_id=attempt.pk, position=item.position,
                        answer={"choices": [item.position * 10 + key]}, now=T0)  # fmt: skip
        attempt_submit(user=user, attempt_id=attempt.pk, now=T0 + timedelta(minutes=5))
    return exam, questions, learners


def expected_discrimination(column: int) -> float:
    right = [[1 if mark == "1" else 0 for mark in marks] for marks in SHEET]
    x = [row[column] for row in right]
    rest = [(sum(row) - row[column]) / 9 for row in right]
    return statistics.correlation(x, rest)


def test_item_statistics_are_exact_on_a_known_set_of_attempts(sat):
    _exam, questions, _learners = sat
    stats = analytics.item_statistics([q.pk for q in questions])
    assert [stats[q.pk].answered for q in questions] == [6] * 10
    assert [stats[q.pk].correct for q in questions] == [6, 5, 4, 4, 3, 3, 2, 2, 1, 3]
    assert stats[questions[4].pk].share_correct == 0.5
    for column in range(1, 10):
        found = stats[questions[column].pk]
        assert found.discrimination == pytest.approx(expected_discrimination(column), abs=1e-9)
        assert found.discrimination_n == 6
    assert stats[questions[0].pk].discrimination is None  # everyone right: nothing to correlate
    assert stats[questions[9].pk].discrimination < 0
    assert stats[questions[9].pk].flagged
    assert not stats[questions[5].pk].flagged


def test_choice_picks_are_counted_per_key(sat):
    _exam, questions, _learners = sat
    stats = analytics.item_statistics([questions[9].pk, questions[1].pk])
    assert stats[questions[9].pk].picks == {0: 3, 1: 2, 2: 1}
    assert stats[questions[9].pk].pick_shares == {0: 0.5, 1: 2 / 6, 2: 1 / 6}
    assert stats[questions[1].pk].picks == {0: 5}
    assert stats[questions[1].pk].unanswered == 1


def test_practice_answers_count_as_answers_but_not_for_discrimination(sat):
    _exam, questions, _learners = sat
    before = analytics.item_statistics([questions[2].pk])[questions[2].pk]
    record(UserFactory(), questions[2], correct=False, at=T0, picked=[3])
    after = analytics.item_statistics([questions[2].pk])[questions[2].pk]
    assert (after.answered, after.correct, after.picks[3]) == (7, 4, 1)
    assert after.discrimination == before.discrimination
    assert after.discrimination_n == 6


def test_three_open_reports_flag_a_question(sat):
    _exam, questions, learners = sat
    target = questions[5]
    for user in learners[:3]:
        question_report(user=user, question_uid=target.uid, reason="wrong_answer")
    assert analytics.item_statistics([target.pk])[target.pk].flagged
    QuestionReport.objects.filter(user=learners[0]).update(state="resolved")
    found = analytics.item_statistics([target.pk])[target.pk]
    assert (found.open_reports, found.flagged) == (2, False)


def test_item_statistics_for_all_questions_and_below_five_answers(sat, django_assert_num_queries):
    _exam, questions, _learners = sat
    with django_assert_num_queries(4):
        every = analytics.item_statistics()
    assert set(every) == {q.pk for q in questions}
    assert analytics.point_biserial(PearsonSums(4, 2, 2, 2, 1.5, 1.5)) is None
    unseen = question_in(questions[0].exam_links.first().domain)
    assert analytics.item_statistics([unseen.pk])[unseen.pk].answered == 0


# --- Topics done but still missed --------------------------------------------------------------


def test_topics_marked_done_whose_questions_the_learner_keeps_missing(learner, exam):
    build = questions_of(exam, "1")
    missed, fine, few, not_done = (TopicFactory(slug=s) for s in ("missed", "fine", "few", "nd"))
    for topic, question in zip((missed, fine, few, not_done), build, strict=False):
        question.topics.add(topic)
        progress_services.status_set(user=learner, topic=topic, status="done")
    progress_services.status_set(user=learner, topic=not_done, status="in_progress")
    history(learner, build[0], "1111111111" + "01000", T0 - timedelta(days=20))  # 1 of last 5
    history(learner, build[1], "00111", T0 - timedelta(days=10))  # 3 of 5: fine
    history(learner, build[2], "00", T0 - timedelta(days=10))  # too few to tell
    history(learner, build[3], "00000", T0 - timedelta(days=10))  # not marked done
    history(UserFactory(), build[1], "00000", T0)  # someone else's
    found = progress_queries.struggling_topics(user=learner)
    assert [(item.topic.slug, item.share, item.answered, item.correct) for item in found] == [
        ("missed", 0.2, 5, 1)
    ]
    shares = analytics.topic_answer_shares(user=learner, topic_ids=[fine.pk, few.pk, missed.pk])
    assert shares == {fine.pk: (0.6, 5), few.pk: (0.0, 2), missed.pk: (0.2, 5)}


def test_struggling_topics_cost_two_queries(learner, exam, django_assert_num_queries):
    topic = TopicFactory(slug="t")
    questions_of(exam, "1")[0].topics.add(topic)
    progress_services.status_set(user=learner, topic=topic, status="done")
    history(learner, questions_of(exam, "1")[0], "0" * 40, T0 - timedelta(days=1))
    with django_assert_num_queries(2):
        assert len(progress_queries.struggling_topics(user=learner)) == 1


# --- Admin: reports and item statistics --------------------------------------------------------


@pytest.fixture
def admin_browser(client):
    with override_settings(STAFF_REQUIRE_2FA=False):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        yield client


def test_item_statistics_page_lists_flagged_questions_first(admin_browser, sat):
    _exam, questions, learners = sat
    for user in learners[:3]:
        question_report(user=user, question_uid=questions[5].uid, reason="unclear")
    response = admin_browser.get("/admin/quizzes/question/item-statistics/")
    page = response.content.decode()
    assert response.status_code == 200
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    flagged = [row for row in rows if " flagged" in row.split(">")[0]]
    assert len(flagged) == 2
    assert rows[:2] == flagged
    assert f'data-question="{questions[9].uid}"' in flagged[0]  # negative discrimination first
    assert "Flagged: negative discrimination" in flagged[0]
    assert "Flagged: 3 open reports" in flagged[1]
    assert "<strong>A (right)</strong> 50%, B 33%, C 17%, D 0%" in flagged[0]
    assert 'style="' not in page.split('id="content"')[1]  # CSP: no inline styles
    only = admin_browser.get("/admin/quizzes/question/item-statistics/", {"flagged": "1"})
    assert only.content.decode().count('data-question="') == 2


def test_question_change_page_shows_its_item_statistics(admin_browser, sat):
    _exam, questions, _learners = sat
    page = admin_browser.get(f"/admin/quizzes/question/{questions[9].pk}/change/")
    text = page.content.decode()
    assert "6 answers, 50% correct" in text
    assert "Flagged: negative discrimination" in text


def test_reports_are_listed_and_resolved_or_dismissed_in_admin(admin_browser, sat):
    _exam, questions, learners = sat
    first = question_report(user=learners[0], question_uid=questions[1].uid, reason="typo",
                            text="Teh typo")  # fmt: skip
    second = question_report(user=learners[1], question_uid=questions[2].uid, reason="outdated")
    listing = admin_browser.get("/admin/quizzes/questionreport/", {"state__exact": "open"})
    text = listing.content.decode()
    for shown in (questions[1].uid, "Teh typo", "Typo or formatting", learners[0].username):
        assert shown in text
    for action, report, state in (("resolve", first, "resolved"), ("dismiss", second, "dismissed")):
        admin_browser.post(
            "/admin/quizzes/questionreport/",
            {"action": action, "_selected_action": [report.pk]},
        )
        report.refresh_from_db()
        assert report.state == state
    assert admin_browser.get("/admin/quizzes/questionreport/add/").status_code == 403


def test_question_editors_cannot_reach_item_statistics_without_question_access(client, sat):
    with override_settings(STAFF_REQUIRE_2FA=False):
        client.force_login(UserFactory(is_staff=True))
        assert client.get("/admin/quizzes/question/item-statistics/").status_code == 403
        editor = UserFactory(is_staff=True)
        editor.groups.add(Group.objects.get(name="Question editors"))
        client.force_login(editor)
        assert client.get("/admin/quizzes/question/item-statistics/").status_code == 200


def test_learners_notes_are_not_in_the_admin(admin_browser):
    assert admin_browser.get("/admin/quizzes/questionnote/").status_code == 404


def test_a_review_session_serves_a_confusions_questions_side_by_side(learner, services_exam):
    from quizzes.models import ReviewCard
    from quizzes.queries import attempt_items
    from quizzes.services import attempt_start

    exam, sqs, sns, plain = services_exam
    answer_sqs_questions(learner, sqs, "NNNQQ")
    record(learner, sns[1], correct=True, at=T0 - timedelta(days=1))
    due = [sqs[0], plain, sns[0], sqs[3], sns[1]]
    for minutes, question in enumerate(due):  # due in this order, oldest first
        ReviewCard.objects.update_or_create(
            user=learner, question=question,
            defaults={"card": {}, "due": T0 - timedelta(hours=5) + timedelta(minutes=minutes)},
        )  # fmt: skip
    ReviewCard.objects.filter(user=learner).exclude(question__in=due).delete()
    session, _ = attempt_start(
        user=learner, exam=exam, mode="review", count=10, now=T0 + timedelta(hours=1)
    )
    served = [item.version.question_id for item in attempt_items(session)]
    assert served == [sqs[0].pk, sqs[3].pk, sns[1].pk, plain.pk, sns[0].pk]
