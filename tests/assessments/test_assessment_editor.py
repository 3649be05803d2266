"""The assessment page edits the settings, the questions and each question's options with its
answer key together, saved through the authoring services with the API's rules (SPEC §5, §10).
Every test takes the form as the page renders it, changes what a person would, and posts it."""

from typing import Any

import pytest

from assessments.models import Assessment, Question
from tests.assessments.factories import MULTIPLE, AssessmentFactory, published_course
from tests.common.admin import RenderedForm, admin_urls, browser

pytestmark = pytest.mark.django_db

url = admin_urls("assessments")


@pytest.fixture
def course(instructor):
    return published_course(instructor, title="Ivan's course")


@pytest.fixture
def assessment(course) -> Assessment:
    return AssessmentFactory(course=course, title="Ivan's quiz", questions=3)


def questions_formset(response: Any) -> Any:
    (inline,) = response.context["inline_admin_formsets"]
    return inline.formset


def fill_question(form: RenderedForm, row: int, text: str, type: str, options: list[Any]) -> None:
    """Fills question row `row`: `options` are texts, a text in a 1-tuple is a correct one."""
    form[f"questions-{row}-text"] = text
    form[f"questions-{row}-type"] = type
    for index, option in enumerate(options):
        correct = isinstance(option, tuple)
        form[f"questions-{row}-options-{index}-text"] = option[0] if correct else option
        form.check(f"questions-{row}-options-{index}-is_correct", correct)


def test_a_new_assessment_is_saved_with_its_questions_and_options_in_one_go(instructor, course):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_add")))
    assert form["status"] == "draft"  # the admin starts assessments as drafts
    form["course"] = course.pk
    form["title"] = "Planets"
    form["passing_score"] = 60
    fill_question(form, 0, "Largest planet?", "single_choice", [("Jupiter",), "Mars", "Venus"])
    row = form.add_row("questions")
    form[f"questions-{row}-text"] = "Pluto is a planet."
    form[f"questions-{row}-type"] = "true_false"
    form.check(f"questions-{row}-options-1-is_correct")  # texts left to True / False

    response = form.post(client, url("assessment_add"))

    assert response.status_code == 302, response.context and response.context["errors"]
    assessment = Assessment.objects.get(title="Planets")
    assert assessment.status == Assessment.Status.DRAFT
    first, second = assessment.questions.all()
    assert (first.text, first.position, second.text, second.position) == (
        "Largest planet?",
        1,
        "Pluto is a planet.",
        2,
    )
    assert [(o.text, o.is_correct, o.position) for o in first.options.all()] == [
        ("Jupiter", True, 1),
        ("Mars", False, 2),
        ("Venus", False, 3),
    ]
    assert [(o.text, o.is_correct) for o in second.options.all()] == [
        ("True", False),
        ("False", True),
    ]


def test_the_admin_refuses_to_publish_an_assessment_without_questions(instructor, course):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_add")))
    form["course"] = course.pk
    form["title"] = "Empty"
    form["passing_score"] = 60
    form["status"] = "published"

    response = form.post(client, url("assessment_add"))

    assert response.status_code == 200
    assert questions_formset(response).non_form_errors() == [
        "An assessment needs at least one question to be published: add a question, "
        "or save it as a draft."
    ]
    assert not Assessment.objects.exists()


def test_a_published_assessment_with_questions_is_saved(instructor, course):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_add")))
    form["course"] = course.pk
    form["title"] = "Live"
    form["passing_score"] = 50
    form["status"] = "published"
    fill_question(form, 0, "Pick two", "multiple_choice", [("a",), ("b",), "c"])

    response = form.post(client, url("assessment_add"))

    assert response.status_code == 302
    assessment = Assessment.objects.get(title="Live")
    assert assessment.status == Assessment.Status.PUBLISHED
    assert [o.is_correct for o in assessment.questions.get().options.all()] == [True, True, False]


def test_the_api_still_creates_assessments_published_by_default(api_client_for, instructor, course):
    response = api_client_for(instructor).post(
        "/api/v1/assessments",
        {"course_id": course.pk, "title": "By API", "passing_score": 70},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["data"]["status"] == "published"


def test_questions_reorder_by_typed_position(instructor, assessment):
    a, b, c = assessment.questions.all()
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form["questions-2-position"] = 1  # c first; the others shift

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(assessment.questions.values_list("pk", "position")) == [
        (c.pk, 1),
        (a.pk, 2),
        (b.pk, 3),
    ]


def test_questions_and_options_reorder_by_drag(instructor, assessment):
    # Dragging rows makes the page's script number them from 0 in their new order.
    a, b, c = assessment.questions.all()
    first_options = list(a.options.all())
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    for row, position in enumerate([2, 0, 1]):
        form[f"questions-{row}-position"] = position
    for row, position in enumerate([3, 2, 1, 0]):  # a's options reversed
        form[f"questions-0-options-{row}-position"] = position

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(assessment.questions.values_list("pk", flat=True)) == [b.pk, c.pk, a.pk]
    assert list(a.options.values_list("pk", "position")) == [
        (option.pk, place) for place, option in enumerate(reversed(first_options), start=1)
    ]


def test_the_answer_key_is_edited_on_the_assessment_page(instructor, assessment):
    question = assessment.questions.first()
    assert [o.is_correct for o in question.options.all()] == [True, False, False, False]
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form.check("questions-0-options-0-is_correct", False)
    form.check("questions-0-options-2-is_correct")
    form["questions-0-options-1-text"] = "Renamed"

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert [(o.text, o.is_correct) for o in question.options.all()][:3] == [
        ("Choice 1", False),
        ("Renamed", False),
        ("Choice 3", True),
    ]


def test_an_option_set_error_is_shown_on_its_question_in_words(instructor, assessment):
    multi = assessment.questions.get(type=MULTIPLE)
    row = list(assessment.questions.all()).index(multi)
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    for index in range(4):
        form.check(f"questions-{row}-options-{index}-is_correct", False)
    form["title"] = "Not saved"

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 200
    rows = questions_formset(response).forms
    assert rows[row].nested_formsets[0].non_form_errors() == [
        "A Multiple choice question has at least 1 correct option."
    ]
    others = [r for i, r in enumerate(rows) if i != row]
    assert all(not r.errors and not r.nested_formsets[0].non_form_errors() for r in others)
    assert "A Multiple choice question has at least 1 correct option." in response.text
    assessment.refresh_from_db()
    assert assessment.title == "Ivan's quiz"
    assert any(o.is_correct for o in multi.options.all())


def test_an_option_error_is_shown_on_its_option_row(instructor, assessment):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form["questions-1-options-2-text"] = "x" * 501

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 200
    options = questions_formset(response).forms[1].nested_formsets[0]
    assert "text" in options.forms[2].errors
    assert [bool(f.errors) for f in options.forms] == [False, False, True, False, False]


def test_a_question_field_error_is_shown_on_its_row(instructor, assessment):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form["questions-2-points"] = 101

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 200
    rows = questions_formset(response).forms
    assert list(rows[2].errors) == ["points"]
    assert not rows[0].errors and not rows[1].errors


def test_a_type_change_is_checked_against_the_options(instructor, assessment):
    multi = assessment.questions.get(type=MULTIPLE)
    row = list(assessment.questions.all()).index(multi)
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form[f"questions-{row}-type"] = "true_false"

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 200
    errors = questions_formset(response).forms[row].nested_formsets[0].non_form_errors()
    assert "A True / false question has exactly 2 options." in errors
    multi.refresh_from_db()
    assert multi.type == MULTIPLE


def test_a_question_is_deleted_and_the_rest_close_up(instructor, assessment):
    a, b, c = assessment.questions.all()
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form.check("questions-0-DELETE")

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(assessment.questions.values_list("pk", "position")) == [(b.pk, 1), (c.pk, 2)]
    assert not Question.objects.filter(pk=a.pk).exists()


def test_a_question_is_added_to_an_existing_assessment(instructor, assessment):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    row = form.add_row("questions")
    fill_question(form, row, "Added?", "single_choice", ["no", ("yes",)])
    form[f"questions-{row}-position"] = 1

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert assessment.questions.first().text == "Added?"
    assert list(assessment.questions.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_the_page_explains_every_setting(instructor, assessment):
    page = browser(instructor).get(url("assessment_change", assessment.pk)).text

    for words in [
        "a percentage from 1 to 100",
        "Empty (null): untimed.",
        "Empty (null): unlimited.",
        "After submission: on every submitted attempt.",
        "After passing: only on a passing attempt.",
        "Drag the question, or type a number",
        "Part of the answer key",
    ]:
        assert words in page, words


def test_deleting_the_last_question_of_a_published_assessment_is_refused(instructor, course):
    assessment = AssessmentFactory(course=course, questions=1, status="published")
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form.check("questions-0-DELETE")

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 200
    assert questions_formset(response).non_form_errors()
    assert assessment.questions.count() == 1
