"""The option-set and position rules (`assessments.rules`): pure functions, tested without a
database (pytest-django refuses any query from a test not marked for one)."""

import pytest

from assessments import rules


def opts(*specs):
    """Options from `(text, is_correct)` pairs."""
    return [{"text": text, "is_correct": correct} for text, correct in specs]


@pytest.mark.parametrize(
    ("question_type", "options"),
    [
        ("single_choice", opts(("A", True), ("B", False))),
        ("multiple_choice", opts(("A", True), ("B", True), ("C", False))),
        ("true_false", opts(("True", False), ("False", True))),
        ("true_false", [{"is_correct": True}, {"is_correct": False}]),
        ("single_choice", opts(*[(f"O{i}", i == 0) for i in range(10)])),
    ],
)
def test_valid_option_sets_have_no_issues(question_type, options):
    assert rules.option_issues(question_type, options) == []


@pytest.mark.parametrize(
    ("question_type", "options", "expected"),
    [
        ("single_choice", "AB", [("options", "Must be a list of options.")]),
        (
            "single_choice",
            opts(("A", True)),
            [("options", "Must have between 2 and 10 options.")],
        ),
        (
            "single_choice",
            opts(*[(f"O{i}", i == 0) for i in range(11)]),
            [("options", "Must have between 2 and 10 options.")],
        ),
        (
            "true_false",
            opts(("True", True), ("False", False), ("Maybe", False)),
            [("options", "A True / false question has exactly 2 options.")],
        ),
        (
            "single_choice",
            opts(("A", True), ("B", True)),
            [("options", "A Single choice question has exactly 1 correct option.")],
        ),
        (
            "multiple_choice",
            opts(("A", False), ("B", False)),
            [("options", "A Multiple choice question has at least 1 correct option.")],
        ),
        (
            "single_choice",
            opts(("Yes", True), (" yes ", False)),
            [("options[1].text", "Another option of this question has this text.")],
        ),
        (
            "single_choice",
            [{"text": "", "is_correct": True}, {"text": "B", "is_correct": "no"}],
            [
                ("options[0].text", "Must be between 1 and 500 characters."),
                ("options[1].is_correct", "Must be true or false."),
            ],
        ),
        (
            "single_choice",
            [{"text": "A", "is_correct": True, "position": 3}, "B"],
            [
                ("options[0].position", "Must be an integer from 1 to 2."),
                ("options[1]", "Must be an object."),
            ],
        ),
        (
            "single_choice",
            [
                {"text": "A", "is_correct": True, "position": 1},
                {"text": "B", "position": 1},
            ],
            [("options[1].position", "Another option has this position.")],
        ),
    ],
)
def test_each_broken_rule_is_reported_on_its_item(question_type, options, expected):
    found = rules.option_issues(question_type, options)
    assert [(i["field"], i["issue"]) for i in found] == expected


def test_option_ids_must_be_the_questions_own_and_listed_once():
    options = [
        {"id": "opt_a", "text": "A", "is_correct": True},
        {"id": "opt_a", "text": "B"},
        {"id": "opt_z", "text": "C"},
    ]
    found = rules.option_issues("single_choice", options, {"opt_a", "opt_b"})
    assert [(i["field"], i["issue"]) for i in found] == [
        ("options[1].id", "This option is listed twice."),
        ("options[2].id", "No such option in this question."),
    ]


def test_true_false_options_without_text_get_the_free_of_true_and_false():
    assert rules.option_texts("true_false", [{}, {}]) == ["True", "False"]
    assert rules.option_texts("true_false", [{}, {"text": "True"}]) == ["False", "True"]
    assert rules.option_texts("single_choice", [{}, {"text": " B "}]) == [None, "B"]


def test_ordered_options_keep_given_positions_and_fill_the_rest_in_order():
    rows = rules.ordered_options(
        "single_choice",
        [
            {"text": "A", "is_correct": True},
            {"text": "B", "position": 1},
            {"id": "opt_c", "text": "C"},
        ],
    )
    assert [(r["text"], r["position"], r["id"], r["is_correct"]) for r in rows] == [
        ("B", 1, None, False),
        ("A", 2, None, True),
        ("C", 3, "opt_c", False),
    ]


@pytest.mark.parametrize(
    ("position", "count", "adding", "ok"),
    [(1, 0, True, True), (4, 3, True, True), (4, 3, False, False), (0, 3, False, False)],
)
def test_position_runs_from_one_to_the_count_or_one_past_it_when_adding(
    position, count, adding, ok
):
    issues = rules.position_issues(position=position, question_count=count, adding=adding)
    assert (issues == []) is ok
    if not ok:
        assert issues[0]["field"] == "position"


def test_a_boolean_is_not_a_position():
    assert rules.position_issues(position=True, question_count=3, adding=False) == [
        {"field": "position", "issue": "Must be an integer from 1 to 3."}
    ]
