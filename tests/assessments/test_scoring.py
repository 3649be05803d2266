"""Grading rules, without the database."""

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.scoring import (
    MULTIPLE_CHOICE,
    SINGLE_CHOICE,
    TRUE_FALSE,
    NothingToGrade,
    QuestionKey,
    grade,
    is_correct,
    percent,
)


def single(qid: str = "q_1", correct: str = "a", points: int = 1) -> QuestionKey:
    return QuestionKey(qid, SINGLE_CHOICE, points, frozenset({correct}))


def multiple(qid: str = "q_m", correct: tuple[str, ...] = ("a", "c"), points: int = 1):
    return QuestionKey(qid, MULTIPLE_CHOICE, points, frozenset(correct))


def true_false(qid: str = "q_tf", correct: str = "t", points: int = 1) -> QuestionKey:
    return QuestionKey(qid, TRUE_FALSE, points, frozenset({correct}))


# --- percent -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (5, 7, "71.43"),
        (0, 4, "0.00"),
        (4, 4, "100.00"),
        (1, 8, "12.50"),  # 12.5 exactly
        (1, 16, "6.25"),  # 6.25 exactly
        (1, 32, "3.13"),  # 3.125: half-up, not banker's 3.12
        (3, 32, "9.38"),  # 9.375
        (5, 32, "15.63"),  # 15.625
        (1, 400, "0.25"),
        (1, 800, "0.13"),  # 0.125
        (1, 1600, "0.06"),  # 0.0625 rounds down
        (13999, 20000, "70.00"),  # 69.995 rounds half-up
        (13998, 20000, "69.99"),  # 69.99 exactly
        (1, 6, "16.67"),
        (1, 7, "14.29"),
    ],
)
def test_percent_rounds_half_up_to_two_decimals(part, whole, expected):
    assert percent(part, whole) == Decimal(expected)
    assert str(percent(part, whole)) == expected


def test_percent_of_nothing_is_refused():
    with pytest.raises(NothingToGrade):
        percent(0, 0)


def test_percent_matches_exact_fraction_rounded_half_up_for_all_small_cases():
    for whole in range(1, 61):
        for part in range(whole + 1):
            exact = Fraction(part * 100, whole)
            hundredths = exact * 100
            floor = hundredths.numerator // hundredths.denominator
            expected = floor + (1 if hundredths - floor >= Fraction(1, 2) else 0)
            assert percent(part, whole) == Decimal(expected) / 100, (part, whole)


# --- is_correct --------------------------------------------------------------------------------


def test_single_choice_is_correct_only_with_the_one_correct_option():
    question = single(correct="a")
    assert is_correct(question, ["a"])
    assert not is_correct(question, ["b"])
    assert not is_correct(question, [])
    assert not is_correct(question, ["a", "b"])
    assert not is_correct(question, ["a", "a"])


def test_true_false_is_correct_only_with_the_right_value():
    question = true_false(correct="f")
    assert is_correct(question, ["f"])
    assert not is_correct(question, ["t"])
    assert not is_correct(question, [])
    assert not is_correct(question, ["t", "f"])


def test_multiple_choice_needs_exactly_the_correct_set():
    question = multiple(correct=("a", "c"))
    assert is_correct(question, ["a", "c"])
    assert is_correct(question, ["c", "a"])  # order does not matter
    assert not is_correct(question, ["a"])  # subset
    assert not is_correct(question, ["a", "b", "c"])  # superset
    assert not is_correct(question, ["b", "d"])  # disjoint
    assert not is_correct(question, [])
    assert not is_correct(question, ["a", "c", "c"])  # a repeated option is not the set


def test_multiple_choice_with_one_correct_option_accepts_only_that_option():
    question = multiple(correct=("b",))
    assert is_correct(question, ["b"])
    assert not is_correct(question, ["a", "b"])


def test_every_subset_of_a_multiple_choice_question_is_judged_by_set_equality():
    options = ["a", "b", "c", "d"]
    for correct_size in range(1, 5):
        for correct in itertools.combinations(options, correct_size):
            question = multiple(correct=correct)
            for size in range(5):
                for chosen in itertools.combinations(options, size):
                    assert is_correct(question, chosen) == (set(chosen) == set(correct))


# --- grade -------------------------------------------------------------------------------------


def test_all_right_scores_100_and_passes():
    questions = [single("q1", "a"), multiple("q2", ("a", "b")), true_false("q3", "t")]
    result = grade(questions, {"q1": ["a"], "q2": ["b", "a"], "q3": ["t"]}, 100)
    assert result.score == Decimal("100.00")
    assert result.passed is True
    assert (result.points_earned, result.points_possible) == (3, 3)
    assert [r.correct for r in result.results] == [True, True, True]


def test_all_wrong_scores_zero_and_fails():
    questions = [single("q1", "a"), multiple("q2", ("a", "b")), true_false("q3", "t")]
    result = grade(questions, {"q1": ["b"], "q2": ["a"], "q3": ["f"]}, 1)
    assert result.score == Decimal("0.00")
    assert result.passed is False
    assert [r.points_awarded for r in result.results] == [0, 0, 0]


def test_unanswered_questions_are_wrong_and_listed_with_no_selection():
    questions = [single("q1", "a"), multiple("q2", ("a",)), true_false("q3", "t")]
    result = grade(questions, {"q1": ["a"]}, 50)
    assert [r.question_id for r in result.results] == ["q1", "q2", "q3"]
    assert [r.correct for r in result.results] == [True, False, False]
    assert result.results[1].selected_option_ids == ()
    assert result.results[2].points_awarded == 0
    assert result.score == Decimal("33.33")
    assert result.passed is False


def test_an_empty_selection_counts_as_unanswered():
    result = grade([single("q1", "a")], {"q1": []}, 1)
    assert result.results[0].correct is False
    assert result.score == Decimal("0.00")


def test_results_follow_question_order_not_answer_order():
    questions = [single("q3", "a"), single("q1", "a"), single("q2", "a")]
    result = grade(questions, {"q2": ["a"], "q1": ["b"], "q3": ["a"]}, 70)
    assert [r.question_id for r in result.results] == ["q3", "q1", "q2"]
    assert [r.correct for r in result.results] == [True, False, True]


@pytest.mark.parametrize(
    ("right_answers", "total", "score"),
    [(2, 3, "66.67"), (1, 3, "33.33"), (5, 7, "71.43"), (6, 7, "85.71"), (0, 7, "0.00")],
)
def test_score_is_share_of_points_rounded(right_answers, total, score):
    questions = [single(f"q{i}", "a") for i in range(total)]
    selections = {f"q{i}": ["a"] for i in range(right_answers)}
    assert grade(questions, selections, 70).score == Decimal(score)


def test_weighted_points_count_by_points_not_by_questions():
    questions = [single("q1", "a", points=1), multiple("q2", ("a", "b"), points=3)]
    only_heavy = grade(questions, {"q1": ["x"], "q2": ["a", "b"]}, 70)
    assert only_heavy.score == Decimal("75.00")
    assert (only_heavy.points_earned, only_heavy.points_possible) == (3, 4)
    assert [r.points_awarded for r in only_heavy.results] == [0, 3]
    assert [r.points_possible for r in only_heavy.results] == [1, 3]
    assert only_heavy.passed is True
    only_light = grade(questions, {"q1": ["a"], "q2": ["a"]}, 70)
    assert only_light.score == Decimal("25.00")
    assert only_light.passed is False


def test_passing_is_score_at_least_the_pass_mark():
    questions = [single(f"q{i}", "a") for i in range(10)]
    seven_right = {f"q{i}": ["a"] for i in range(7)}
    assert grade(questions, seven_right, 70).passed is True  # 70.00 >= 70
    assert grade(questions, seven_right, 71).passed is False


def test_rounding_up_to_the_pass_mark_passes():
    # 13999 of 20000 points is 69.995%, which rounds half-up to 70.00 and passes 70.
    questions = [single("q1", "a", points=13999), single("q2", "a", points=6001)]
    result = grade(questions, {"q1": ["a"]}, 70)
    assert result.score == Decimal("70.00")
    assert result.passed is True


def test_rounding_down_below_the_pass_mark_fails():
    # 2/3 = 66.666...% -> 66.67, which fails a pass mark of 67 and passes 66.
    questions = [single(f"q{i}", "a") for i in range(3)]
    two = {"q0": ["a"], "q1": ["a"]}
    assert grade(questions, two, 67).passed is False
    assert grade(questions, two, 66).passed is True


@pytest.mark.parametrize(
    ("right_answers", "total", "pass_mark", "score", "passed"),
    [
        (0, 5, 1, "0.00", False),
        (1, 8, 12, "12.50", True),
        (1, 8, 13, "12.50", False),
        (1, 6, 16, "16.67", True),
        (1, 6, 17, "16.67", False),
        (1, 3, 33, "33.33", True),
        (1, 3, 34, "33.33", False),
        (1, 2, 50, "50.00", True),
        (1, 2, 51, "50.00", False),
        (2, 3, 66, "66.67", True),
        (2, 3, 67, "66.67", False),
        (7, 10, 70, "70.00", True),
        (7, 10, 71, "70.00", False),
        (5, 7, 71, "71.43", True),
        (5, 7, 72, "71.43", False),
        (11, 12, 91, "91.67", True),
        (11, 12, 92, "91.67", False),
        (5, 5, 100, "100.00", True),
        (11, 12, 100, "91.67", False),
    ],
)
def test_pass_mark_comparison_at_small_cases(right_answers, total, pass_mark, score, passed):
    questions = [single(f"q{i}", "a") for i in range(total)]
    selections = {f"q{i}": ["a"] for i in range(right_answers)}

    result = grade(questions, selections, pass_mark)

    assert result.score == Decimal(score)
    assert result.passed is passed


def test_pass_mark_may_be_a_decimal():
    questions = [single(f"q{i}", "a") for i in range(3)]
    assert grade(questions, {"q0": ["a"], "q1": ["a"]}, Decimal("66.67")).passed is True
    assert grade(questions, {"q0": ["a"], "q1": ["a"]}, Decimal("66.68")).passed is False


def test_no_questions_cannot_be_graded():
    with pytest.raises(NothingToGrade):
        grade([], {}, 70)


def test_selections_for_unknown_questions_are_ignored():
    result = grade([single("q1", "a")], {"q1": ["a"], "q_other": ["a"]}, 70)
    assert [r.question_id for r in result.results] == ["q1"]
    assert result.score == Decimal("100.00")


def test_grade_keeps_the_selection_in_the_result():
    result = grade([multiple("q1", ("a", "b"))], {"q1": ["b", "x"]}, 70)
    assert result.results[0].selected_option_ids == ("b", "x")
    assert result.results[0].correct is False
