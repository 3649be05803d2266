"""The questions endpoint: /api/v1/assessments/<id>/questions[/<question_id>] (SPEC §5)."""

from typing import Any

import pytest

from assessments.models import Assessment, Option, Question
from courses.models import Course
from tests.assessments.factories import (
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    AssessmentFactory,
    QuestionFactory,
    enroll,
    make_question,
    published_course,
)

pytestmark = pytest.mark.django_db


def questions_url(assessment: Assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/questions"


def question_url(question: Question, assessment: Assessment | None = None) -> str:
    return f"{questions_url(assessment or question.assessment)}/{question.pk}"


def issues(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    return {d["field"]: d["issue"] for d in response.json()["error"]["details"]}


def single_choice(**overrides: Any) -> dict:
    body = {
        "text": "What is 2 + 2?",
        "type": "single_choice",
        "points": 2,
        "explanation": "Basic arithmetic.",
        "options": [
            {"text": "3", "is_correct": False},
            {"text": "4", "is_correct": True},
            {"text": "5", "is_correct": False},
        ],
    }
    return {**body, **overrides}


def positions(assessment: Assessment) -> list[tuple[str, int]]:
    return list(
        Question.objects.filter(assessment=assessment)
        .order_by("position")
        .values_list("text", "position")
    )


@pytest.fixture
def course(instructor) -> Course:
    return published_course(instructor)


@pytest.fixture
def assessment(course) -> Assessment:
    return AssessmentFactory(course=course)


@pytest.fixture
def question(assessment) -> Question:
    return make_question(assessment, type=SINGLE, n_options=3, correct=[0])


# --- who may -------------------------------------------------------------------------------------

ROUTES = [
    ("get", "list"),
    ("post", "list"),
    ("get", "item"),
    ("put", "item"),
    ("patch", "item"),
    ("delete", "item"),
]


def call(client, method: str, route: str, question: Question) -> Any:
    url = questions_url(question.assessment) if route == "list" else question_url(question)
    return getattr(client, method)(url, single_choice() if method != "get" else None)


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_anonymous_is_401(anon_client, question, method, route):
    assert call(anon_client, method, route, question).status_code == 401


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_learner_who_cannot_see_the_assessment_is_404(learner_client, question, method, route):
    assert call(learner_client, method, route, question).status_code == 404


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_enrolled_learner_is_403(learner_client, learner, course, question, method, route):
    enroll(learner, course)

    response = call(learner_client, method, route, question)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert "is_correct" not in response.content.decode()


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_other_instructor_is_404(other_instructor_client, question, method, route):
    assert call(other_instructor_client, method, route, question).status_code == 404
    assert Question.objects.filter(pk=question.pk, text=question.text).exists()


OWNER_STATUS = {
    ("get", "list"): 200,
    ("post", "list"): 201,
    ("get", "item"): 200,
    ("put", "item"): 200,
    ("patch", "item"): 200,
    ("delete", "item"): 204,
}


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_owner_and_admin_may(instructor_client, admin_client, assessment, method, route):
    for client in (instructor_client, admin_client):
        question = make_question(assessment)
        response = call(client, method, route, question)
        assert response.status_code == OWNER_STATUS[(method, route)], response.content
        if method == "delete":
            assert response.content == b""
            assert not Question.objects.filter(pk=question.pk).exists()
        elif route == "item":
            assert response.json()["data"]["id"] == question.pk


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_question_of_another_assessment_is_404(instructor_client, course, question, method):
    other = AssessmentFactory(course=course)

    response = getattr(instructor_client, method)(question_url(question, other), single_choice())

    assert response.status_code == 404
    assert Question.objects.filter(pk=question.pk, text=question.text).exists()


def test_unknown_question_is_404(instructor_client, assessment):
    assert instructor_client.get(f"{questions_url(assessment)}/q_nope").status_code == 404


# --- create --------------------------------------------------------------------------------------


def test_create_with_options_in_one_request(instructor_client, assessment):
    response = instructor_client.post(questions_url(assessment), single_choice())

    assert response.status_code == 201
    data = response.json()["data"]
    assert response["Location"] == f"{questions_url(assessment)}/{data['id']}"
    assert data["id"].startswith("q_")
    assert (data["text"], data["type"], data["points"], data["position"]) == (
        "What is 2 + 2?",
        "single_choice",
        2,
        1,
    )
    assert data["explanation"] == "Basic arithmetic."
    assert [(o["text"], o["is_correct"], o["position"]) for o in data["options"]] == [
        ("3", False, 1),
        ("4", True, 2),
        ("5", False, 3),
    ]
    assert all(o["id"].startswith("opt_") for o in data["options"])
    assert Option.objects.filter(question_id=data["id"]).count() == 3


def test_create_defaults_points_to_1_and_explanation_to_empty(instructor_client, assessment):
    body = single_choice()
    del body["points"], body["explanation"]

    data = instructor_client.post(questions_url(assessment), body).json()["data"]

    assert (data["points"], data["explanation"]) == (1, "")


def test_true_false_option_texts_default_to_true_and_false(instructor_client, assessment):
    body = {
        "text": "The sky is green.",
        "type": "true_false",
        "options": [{}, {"is_correct": True}],
    }

    data = instructor_client.post(questions_url(assessment), body).json()["data"]

    assert [(o["text"], o["is_correct"]) for o in data["options"]] == [
        ("True", False),
        ("False", True),
    ]


def test_true_false_option_texts_may_be_given(instructor_client, assessment):
    body = {
        "text": "Is water wet?",
        "type": "true_false",
        "options": [{"text": "Yes", "is_correct": True}, {"text": "No"}],
    }

    data = instructor_client.post(questions_url(assessment), body).json()["data"]

    assert [o["text"] for o in data["options"]] == ["Yes", "No"]


@pytest.mark.parametrize(
    ("options", "texts"),
    [
        ([{"text": "False", "is_correct": True}, {"is_correct": False}], ["False", "True"]),
        ([{"is_correct": True}, {"text": "True"}], ["False", "True"]),
        ([{"is_correct": True}, {"text": " true "}], ["False", "true"]),
        ([{"text": "Yes", "is_correct": True}, {}], ["Yes", "False"]),
        ([{}, {"text": "No", "is_correct": True}], ["True", "No"]),
    ],
)
def test_a_true_false_option_left_without_text_gets_the_one_not_used(
    instructor_client, assessment, options, texts
):
    body = {"text": "Is it?", "type": "true_false", "options": options}

    response = instructor_client.post(questions_url(assessment), body)

    assert response.status_code == 201, response.content
    assert [o["text"] for o in response.json()["data"]["options"]] == texts


@pytest.mark.parametrize(
    "options",
    [
        [{"text": "True", "is_correct": True}, {"text": "True"}],
        [{"text": "False", "is_correct": True}, {"text": " FALSE"}],
    ],
)
def test_two_true_false_options_with_the_same_text_are_refused(
    instructor_client, assessment, options
):
    body = {"text": "Is it?", "type": "true_false", "options": options}

    found = issues(instructor_client.post(questions_url(assessment), body))

    assert found == {"options[1].text": "Another option of this question has this text."}
    assert not Question.objects.exists()


@pytest.mark.parametrize("question_type", ["single_choice", "multiple_choice"])
def test_duplicate_option_texts_are_refused_case_insensitively_after_trimming(
    instructor_client, assessment, question_type
):
    body = single_choice(type=question_type)
    body["options"] = [
        {"text": "Paris", "is_correct": True},
        {"text": "Rome"},
        {"text": "  paris "},
        {"text": "ROME"},
    ]

    found = issues(instructor_client.post(questions_url(assessment), body))

    assert found == {
        "options[2].text": "Another option of this question has this text.",
        "options[3].text": "Another option of this question has this text.",
    }
    assert not Question.objects.exists()


def test_duplicate_option_texts_are_refused_on_change(instructor_client, question):
    kept = list(question.options.all())
    body = {
        "options": [
            {"id": kept[0].pk, "text": "Same", "is_correct": True},
            {"id": kept[1].pk, "text": "same"},
        ]
    }

    found = issues(instructor_client.patch(question_url(question), body))

    assert set(found) == {"options[1].text"}
    assert [o.text for o in question.options.all()] == [o.text for o in kept]


def test_multiple_choice_with_several_correct(instructor_client, assessment):
    body = single_choice(type="multiple_choice")
    body["options"][0]["is_correct"] = True

    data = instructor_client.post(questions_url(assessment), body).json()["data"]

    assert [o["is_correct"] for o in data["options"]] == [True, True, False]


def test_option_positions_may_be_given(instructor_client, assessment):
    body = single_choice()
    body["options"][0]["position"] = 3  # "3" last; the others keep their order in 1 and 2

    data = instructor_client.post(questions_url(assessment), body).json()["data"]

    assert [(o["text"], o["position"]) for o in data["options"]] == [("4", 1), ("5", 2), ("3", 3)]


def test_new_question_goes_last_without_position(instructor_client, assessment):
    QuestionFactory(assessment=assessment, text="first")
    QuestionFactory(assessment=assessment, text="second")

    data = instructor_client.post(questions_url(assessment), single_choice()).json()["data"]

    assert data["position"] == 3


def test_new_question_at_a_position_shifts_the_others(instructor_client, assessment):
    for text in ("a", "b", "c"):
        QuestionFactory(assessment=assessment, text=text)

    response = instructor_client.post(
        questions_url(assessment), single_choice(text="new", position=2)
    )

    assert response.status_code == 201
    assert positions(assessment) == [("a", 1), ("new", 2), ("b", 3), ("c", 4)]


# --- validation ----------------------------------------------------------------------------------


def _options(n: int, correct: tuple[int, ...] = (0,)) -> list[dict]:
    return [{"text": f"Option {i}", "is_correct": i in correct} for i in range(n)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": 5}, "text"),
        ({"type": "essay"}, "type"),
        ({"points": 0}, "points"),
        ({"points": 101}, "points"),
        ({"points": "2"}, "points"),
        ({"points": 1.5}, "points"),
        ({"explanation": "x" * 5001}, "explanation"),
        ({"options": _options(1)}, "options"),
        ({"options": _options(11)}, "options"),
        ({"options": []}, "options"),
        ({"options": "a, b"}, "options"),
        ({"options": _options(3, correct=())}, "options"),
        ({"options": _options(3, correct=(0, 1))}, "options"),
        ({"type": "multiple_choice", "options": _options(3, correct=())}, "options"),
        ({"type": "true_false", "options": _options(3)}, "options"),
        ({"type": "true_false", "options": _options(2, correct=(0, 1))}, "options"),
        ({"type": "true_false", "options": _options(2, correct=())}, "options"),
        ({"position": 0}, "position"),
        ({"position": 2}, "position"),  # the assessment has no questions yet
        ({"position": "1"}, "position"),
    ],
)
def test_create_rejects_broken_rules_naming_the_field(
    instructor_client, assessment, overrides, field
):
    response = instructor_client.post(questions_url(assessment), single_choice(**overrides))

    assert field in issues(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize("field", ["text", "type", "options"])
def test_create_requires(instructor_client, assessment, field):
    body = single_choice()
    del body[field]

    assert field in issues(instructor_client.post(questions_url(assessment), body))


@pytest.mark.parametrize(
    ("option", "field"),
    [
        ({"text": ""}, "options[3].text"),
        ({"text": "x" * 501}, "options[3].text"),
        ({}, "options[3].text"),
        ({"text": 7}, "options[3].text"),
        ({"text": "ok", "is_correct": "true"}, "options[3].is_correct"),
        ({"text": "ok", "is_correct": 1}, "options[3].is_correct"),
        ({"text": "ok", "position": 9}, "options[3].position"),
        ({"text": "ok", "position": 1.5}, "options[3].position"),
        ({"text": "ok", "id": "opt_somewhere"}, "options[3].id"),
    ],
)
def test_option_details_point_at_the_item(instructor_client, assessment, option, field):
    body = single_choice()
    body["options"].append(option)

    assert field in issues(instructor_client.post(questions_url(assessment), body))


def test_duplicate_option_positions_are_refused(instructor_client, assessment):
    body = single_choice()
    body["options"][0]["position"] = 2
    body["options"][1]["position"] = 2

    assert "options[1].position" in issues(instructor_client.post(questions_url(assessment), body))


def test_bounds_are_accepted(instructor_client, assessment):
    body = single_choice(text="x" * 2000, points=100, explanation="y" * 5000, options=_options(10))
    body["options"][9]["text"] = "z" * 500

    assert instructor_client.post(questions_url(assessment), body).status_code == 201
    body = single_choice(points=1, options=_options(2))
    assert instructor_client.post(questions_url(assessment), body).status_code == 201


def test_several_broken_rules_are_reported_together(instructor_client, assessment):
    body = single_choice(points=0, options=_options(3, correct=(0, 1)))
    body["options"][1]["text"] = ""

    found = issues(instructor_client.post(questions_url(assessment), body))

    assert {"points", "options", "options[1].text"} <= set(found)


def test_type_and_rule_problems_are_reported_together(instructor_client, assessment):
    body = single_choice(points=2.0, text="", explanation=7, position=5)

    found = issues(instructor_client.post(questions_url(assessment), body))

    assert found == {
        "points": "Must be an integer.",
        "explanation": "Must be a string.",
        "text": "Must be between 1 and 2000 characters.",
        "position": "Must be an integer from 1 to 1.",
    }
    assert not Question.objects.exists()


def test_patch_reports_type_and_rule_problems_together(instructor_client, question):
    body = {"points": "3", "text": "", "position": 9}

    found = issues(instructor_client.patch(question_url(question), body))

    assert found == {
        "points": "Must be an integer.",
        "text": "Must be between 1 and 2000 characters.",
        "position": "Must be an integer from 1 to 1.",
    }


@pytest.mark.parametrize("value", [1.0, True, "1"])
def test_option_position_and_question_points_take_only_json_integers(
    instructor_client, assessment, value
):
    body = single_choice(points=value)
    body["options"][0]["position"] = value

    found = issues(instructor_client.post(questions_url(assessment), body))

    assert found == {"points": "Must be an integer.", "options[0].position": "Must be an integer."}


# --- read ----------------------------------------------------------------------------------------


def test_list_in_position_order_with_answer_keys(instructor_client, assessment):
    c = QuestionFactory(assessment=assessment, text="c")
    a = QuestionFactory(assessment=assessment, text="a", position=1)
    Question.objects.filter(pk=c.pk).update(position=2)

    response = instructor_client.get(questions_url(assessment))

    assert response.status_code == 200
    data = response.json()["data"]
    assert [q["id"] for q in data] == [a.pk, c.pk]
    assert all("is_correct" in o for q in data for o in q["options"])
    assert response.json()["meta"] == {"total": 2, "page": 1, "per_page": 20}


def test_list_is_paginated(instructor_client, assessment):
    made = [make_question(assessment) for _ in range(3)]

    response = instructor_client.get(questions_url(assessment), {"page": 2, "per_page": 2})

    assert [q["id"] for q in response.json()["data"]] == [made[2].pk]


def test_get_one(instructor_client, question):
    data = instructor_client.get(question_url(question)).json()["data"]

    assert data["id"] == question.pk
    assert [o["is_correct"] for o in data["options"]] == [True, False, False]


def test_list_query_count_does_not_grow(instructor_client, assessment, django_assert_num_queries):
    for _ in range(5):
        make_question(assessment)
    # authentication, assessment, count, page, options
    with django_assert_num_queries(5):
        assert len(instructor_client.get(questions_url(assessment)).json()["data"]) == 5
    for _ in range(45):
        make_question(assessment)
    with django_assert_num_queries(5):
        response = instructor_client.get(questions_url(assessment), {"per_page": 100})
    assert len(response.json()["data"]) == 50


# --- question_count follows ----------------------------------------------------------------------


def test_question_count_follows_creates_and_deletes(instructor_client, assessment):
    def count() -> int:
        return instructor_client.get(f"/api/v1/assessments/{assessment.pk}").json()["data"][
            "question_count"
        ]

    assert count() == 0
    created = [
        instructor_client.post(questions_url(assessment), single_choice()).json()["data"]["id"]
        for _ in range(3)
    ]
    assert count() == 3
    instructor_client.delete(f"{questions_url(assessment)}/{created[1]}")
    assert count() == 2
    (listed,) = instructor_client.get("/api/v1/assessments").json()["data"]
    assert listed["question_count"] == 2


# --- change --------------------------------------------------------------------------------------


def test_put_replaces_question_and_options_keeping_listed_ids(instructor_client, question):
    keep, drop, change = question.options.all()

    response = instructor_client.put(
        question_url(question),
        {
            "text": "Rewritten?",
            "type": "multiple_choice",
            "options": [
                {"text": "brand new", "is_correct": True},
                {"id": change.pk, "text": "changed", "is_correct": True},
                {"id": keep.pk, "text": keep.text, "is_correct": False},
            ],
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["text"], data["type"], data["points"], data["explanation"]) == (
        "Rewritten?",
        "multiple_choice",
        1,
        "",
    )
    assert [(o["text"], o["is_correct"], o["position"]) for o in data["options"]] == [
        ("brand new", True, 1),
        ("changed", True, 2),
        (keep.text, False, 3),
    ]
    assert data["options"][1]["id"] == change.pk
    assert data["options"][2]["id"] == keep.pk
    assert data["options"][0]["id"] not in {keep.pk, drop.pk, change.pk}
    assert not Option.objects.filter(pk=drop.pk).exists()


def test_put_refuses_another_questions_option_id(instructor_client, assessment, question):
    other = make_question(assessment)
    body = single_choice()
    body["options"][0]["id"] = other.options.first().pk

    assert "options[0].id" in issues(instructor_client.put(question_url(question), body))
    assert other.options.count() == 4


def test_put_refuses_the_same_option_twice(instructor_client, question):
    first = question.options.first()
    body = single_choice(
        options=[
            {"id": first.pk, "text": "a", "is_correct": True},
            {"id": first.pk, "text": "b"},
        ]
    )

    assert "options[1].id" in issues(instructor_client.put(question_url(question), body))


def test_put_requires_text_type_and_options(instructor_client, question):
    found = issues(instructor_client.put(question_url(question), {"points": 3}))

    assert {"text", "type", "options"} <= set(found)


def test_patch_changes_only_given_fields(instructor_client, question):
    option_ids = list(question.options.values_list("pk", flat=True))

    response = instructor_client.patch(question_url(question), {"text": "Only the text"})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["text"] == "Only the text"
    assert data["explanation"] == question.explanation
    assert [o["id"] for o in data["options"]] == option_ids


def test_patch_with_options_replaces_the_set(instructor_client, question):
    response = instructor_client.patch(
        question_url(question),
        {"options": [{"text": "yes", "is_correct": True}, {"text": "no"}]},
    )

    assert response.status_code == 200
    assert [o["text"] for o in response.json()["data"]["options"]] == ["yes", "no"]
    assert question.options.count() == 2


def test_patch_type_is_checked_against_the_current_options(instructor_client, assessment):
    multi = make_question(assessment, type=MULTIPLE, n_options=4, correct=[0, 1])

    found = issues(instructor_client.patch(question_url(multi), {"type": "single_choice"}))
    assert "options" in found
    found = issues(instructor_client.patch(question_url(multi), {"type": "true_false"}))
    assert "options" in found
    multi.refresh_from_db()
    assert multi.type == MULTIPLE


def test_patch_type_with_new_options(instructor_client, assessment):
    multi = make_question(assessment, type=MULTIPLE, n_options=4, correct=[0, 1])

    response = instructor_client.patch(
        question_url(multi), {"type": "true_false", "options": [{"is_correct": True}, {}]}
    )

    assert response.status_code == 200
    assert [o["text"] for o in response.json()["data"]["options"]] == ["True", "False"]


def test_patch_validates_like_create(instructor_client, question):
    assert "points" in issues(instructor_client.patch(question_url(question), {"points": 101}))
    assert "text" in issues(instructor_client.patch(question_url(question), {"text": ""}))


# --- reordering ----------------------------------------------------------------------------------


@pytest.fixture
def abcd(assessment) -> dict[str, Question]:
    return {text: QuestionFactory(assessment=assessment, text=text) for text in "abcd"}


def test_move_a_question_up(instructor_client, assessment, abcd):
    response = instructor_client.patch(question_url(abcd["d"]), {"position": 2})

    assert response.json()["data"]["position"] == 2
    assert positions(assessment) == [("a", 1), ("d", 2), ("b", 3), ("c", 4)]


def test_move_a_question_down(instructor_client, assessment, abcd):
    instructor_client.patch(question_url(abcd["a"]), {"position": 3})

    assert positions(assessment) == [("b", 1), ("c", 2), ("a", 3), ("d", 4)]


def test_put_without_position_keeps_the_place(instructor_client, assessment, abcd):
    instructor_client.put(question_url(abcd["b"]), single_choice(text="b"))

    assert positions(assessment) == [("a", 1), ("b", 2), ("c", 3), ("d", 4)]


def test_move_past_the_end_is_refused(instructor_client, assessment, abcd):
    assert "position" in issues(instructor_client.patch(question_url(abcd["a"]), {"position": 5}))
    assert positions(assessment) == [("a", 1), ("b", 2), ("c", 3), ("d", 4)]


def test_delete_closes_the_gap(instructor_client, assessment, abcd):
    response = instructor_client.delete(question_url(abcd["b"]))

    assert response.status_code == 204
    assert positions(assessment) == [("a", 1), ("c", 2), ("d", 3)]
    assert not Option.objects.filter(question_id=abcd["b"].pk).exists()


def test_positions_stay_contiguous_through_a_mix_of_changes(instructor_client, assessment, abcd):
    instructor_client.post(questions_url(assessment), single_choice(text="e", position=1))
    instructor_client.patch(question_url(abcd["c"]), {"position": 5})
    instructor_client.delete(question_url(abcd["a"]))
    instructor_client.post(questions_url(assessment), single_choice(text="f"))

    assert positions(assessment) == [("e", 1), ("b", 2), ("d", 3), ("c", 4), ("f", 5)]


# --- factories, which other tests build on -------------------------------------------------------


def test_factories_build_valid_questions(assessment):
    from assessments.authoring import question_issues

    made = [
        make_question(assessment, type=SINGLE, n_options=5, correct=[3]),
        make_question(assessment, type=MULTIPLE, n_options=3, correct=[0, 2]),
        make_question(assessment, type=TRUE_FALSE, correct=[1]),
        *AssessmentFactory(course=assessment.course, questions=4).questions.all(),
    ]
    for question in made:
        options = [
            {"id": o.pk, "text": o.text, "is_correct": o.is_correct, "position": o.position}
            for o in question.options.all()
        ]
        assert not question_issues(
            text=question.text,
            type=question.type,
            points=question.points,
            explanation=question.explanation,
            options=options,
            option_ids={o["id"] for o in options},
        )
    assert [o.is_correct for o in made[0].options.all()] == [False, False, False, True, False]
    assert [(o.text, o.is_correct) for o in made[2].options.all()] == [
        ("True", False),
        ("False", True),
    ]
