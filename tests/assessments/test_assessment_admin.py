"""Authoring in the Django admin: instructors see only their own courses' assessments, and the
admin applies the API's rules to questions and options (SPEC §10)."""

from typing import Any

import pytest
from django.urls import reverse

from assessments.models import Assessment, Option, Question
from courses.models import Course
from tests.assessments.factories import (
    MULTIPLE,
    SINGLE,
    AssessmentFactory,
    QuestionFactory,
    make_question,
    published_course,
)
from tests.common.admin import (
    RenderedForm,
    admin_form,
    admin_urls,
    browser,
    form_errors,
    management_form,
)

pytestmark = pytest.mark.django_db


url = admin_urls("assessments")


@pytest.fixture
def course(instructor) -> Course:
    return published_course(instructor, title="Ivan's course")


@pytest.fixture
def assessment(course) -> Assessment:
    return AssessmentFactory(course=course, title="Ivan's quiz", questions=3)


@pytest.fixture
def foreign(other_instructor) -> Assessment:
    """Another instructor's assessment."""
    course = published_course(other_instructor, title="Olga's course")
    return AssessmentFactory(course=course, title="Olga's quiz", questions=2)


def assessment_form(assessment: Assessment | None = None, **fields: Any) -> dict[str, Any]:
    """The assessment page's POST data, with its question list unchanged."""
    data: dict[str, Any] = {
        "title": "A quiz",
        "passing_score": 70,
        "time_limit_minutes": "",
        "max_attempts": "",
        "status": "published",
        "show_correct_answers": "never",
    }
    questions = list(assessment.questions.all()) if assessment else []
    data.update(management_form("questions", len(questions), len(questions)))
    for i, q in enumerate(questions):
        data.update(
            {
                f"questions-{i}-id": q.pk,
                f"questions-{i}-assessment": assessment.pk,
                f"questions-{i}-text": q.text,
                f"questions-{i}-type": q.type,
                f"questions-{i}-points": q.points,
                f"questions-{i}-position": q.position,
            }
        )
    data.update(fields)
    return data


def question_form(
    options: list[dict[str, Any]], question: Question | None = None, **fields: Any
) -> dict[str, Any]:
    """The question page's POST data: the question's fields and its option rows (`id` marks a
    stored option; `DELETE` removes one)."""
    stored = [o for o in options if "id" in o]
    data: dict[str, Any] = {
        "text": "Which?",
        "type": "single_choice",
        "points": 1,
        "position": "",
        "explanation": "",
        **management_form("options", len(options), len(stored), max_num=10),
    }
    for i, option in enumerate(options):
        data[f"options-{i}-text"] = option.get("text", "")
        data[f"options-{i}-position"] = option.get("position", "")
        if option.get("is_correct"):
            data[f"options-{i}-is_correct"] = "on"
        if "id" in option:
            data[f"options-{i}-id"] = option["id"]
            data[f"options-{i}-question"] = question.pk
        if option.get("DELETE"):
            data[f"options-{i}-DELETE"] = "on"
    data.update(fields)
    return data


def rows(question: Question) -> list[dict[str, Any]]:
    return [
        {"id": o.pk, "text": o.text, "is_correct": o.is_correct, "position": o.position}
        for o in question.options.all()
    ]


# --- instructors see only their own --------------------------------------------------------------


def test_instructor_list_shows_only_their_assessments(instructor, assessment, foreign):
    response = browser(instructor).get(url("assessment_changelist"))

    assert response.status_code == 200
    assert "Ivan&#x27;s quiz" in response.text
    assert "Olga" not in response.text


def test_admin_list_shows_all(admin, assessment, foreign):
    response = browser(admin).get(url("assessment_changelist"))

    assert "Ivan&#x27;s quiz" in response.text and "Olga&#x27;s quiz" in response.text


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_instructor_cannot_open_another_instructors_assessment(instructor, foreign, view):
    response = browser(instructor).get(url(f"assessment_{view}", foreign.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_instructor_cannot_open_another_instructors_question(instructor, foreign, view):
    question = foreign.questions.first()

    response = browser(instructor).get(url(f"question_{view}", question.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_instructor_question_list_hides_other_instructors_questions(
    instructor, assessment, foreign
):
    response = browser(instructor).get(url("question_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert set(response.context["cl"].queryset) == set(assessment.questions.all())


def test_instructor_cannot_change_another_instructors_assessment(instructor, foreign):
    browser(instructor).post(
        url("assessment_change", foreign.pk), assessment_form(foreign, title="Taken over")
    )

    foreign.refresh_from_db()
    assert foreign.title == "Olga's quiz"


def test_instructor_cannot_delete_another_instructors_assessment(instructor, foreign):
    browser(instructor).post(url("assessment_delete", foreign.pk), {"post": "yes"})
    browser(instructor).post(
        url("assessment_changelist"),
        {"action": "delete_selected", "_selected_action": [foreign.pk], "post": "yes"},
    )

    assert Assessment.objects.filter(pk=foreign.pk).exists()


def test_instructor_cannot_change_or_delete_another_instructors_question(instructor, foreign):
    question = foreign.questions.first()
    client = browser(instructor)

    client.post(
        url("question_change", question.pk),
        question_form(rows(question), question, text="Taken over"),
    )
    client.post(url("question_delete", question.pk), {"post": "yes"})

    question.refresh_from_db()
    assert question.text != "Taken over"


def test_instructor_cannot_add_a_question_to_another_instructors_assessment(instructor, foreign):
    options = [{"text": "a", "is_correct": True}, {"text": "b"}]

    response = browser(instructor).post(
        url("question_add"), question_form(options, assessment=foreign.pk)
    )

    assert response.status_code == 200
    assert "assessment" in form_errors(response)
    assert foreign.questions.count() == 2


def test_instructor_course_choices_are_their_own(instructor, course, other_instructor):
    theirs = published_course(other_instructor, title="Olga's other course")

    response = browser(instructor).get(url("assessment_add"))
    choices = admin_form(response).fields["course"].queryset

    assert list(choices) == [course]
    response = browser(instructor).post(
        url("assessment_add"), assessment_form(course=theirs.pk, title="Sneaky")
    )
    assert "course" in form_errors(response)
    assert not Assessment.objects.filter(title="Sneaky").exists()


def test_learner_has_no_admin(learner, assessment):
    response = browser(learner).get(url("assessment_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- authoring through the admin -----------------------------------------------------------------


def rendered_add_form(client: Any, course: Course, **fields: Any) -> RenderedForm:
    """The add page's form as rendered, with the course, a title and a pass mark filled in."""
    form = RenderedForm(client.get(url("assessment_add")))
    form["course"] = course.pk
    form["title"] = "A quiz"
    form["passing_score"] = 70
    for name, value in fields.items():
        form[name] = value
    return form


def test_instructor_creates_an_assessment(instructor, course):
    client = browser(instructor)
    form = rendered_add_form(client, course, title="Admin-made quiz", max_attempts=2)

    response = form.post(client, url("assessment_add"))

    assert response.status_code == 302
    created = Assessment.objects.get(title="Admin-made quiz")
    assert (created.course, created.max_attempts) == (course, 2)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "ab"),
        ("passing_score", 0),
        ("passing_score", 101),
        ("time_limit_minutes", 1441),
        ("max_attempts", 1001),
    ],
)
def test_assessment_rules_hold_in_the_admin(instructor, course, field, value):
    client = browser(instructor)
    response = rendered_add_form(client, course, **{field: value}).post(
        client, url("assessment_add")
    )

    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Assessment.objects.exists()


def test_instructor_creates_a_question_with_options(instructor, assessment):
    options = [{"text": "a"}, {"text": "b", "is_correct": True}, {"text": "c"}, {}]

    response = browser(instructor).post(
        url("question_add"), question_form(options, assessment=assessment.pk, text="New one")
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    question = Question.objects.get(text="New one")
    assert question.position == 4
    assert [(o.text, o.is_correct, o.position) for o in question.options.all()] == [
        ("a", False, 1),
        ("b", True, 2),
        ("c", False, 3),
    ]


@pytest.mark.parametrize(
    ("question_type", "options", "message"),
    [
        ("single_choice", [{"text": "a", "is_correct": True}], "between 2 and 10"),
        (
            "single_choice",
            [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}],
            "exactly 1 correct",
        ),
        ("single_choice", [{"text": "a"}, {"text": "b"}], "exactly 1 correct"),
        ("multiple_choice", [{"text": "a"}, {"text": "b"}], "at least 1 correct"),
        (
            "true_false",
            [{"text": "a", "is_correct": True}, {"text": "b"}, {"text": "c"}],
            "exactly 2 options",
        ),
    ],
)
def test_an_invalid_option_set_is_refused_in_the_admin(
    instructor, assessment, question_type, options, message
):
    response = browser(instructor).post(
        url("question_add"),
        question_form(options, assessment=assessment.pk, type=question_type, text="Bad one"),
    )

    assert response.status_code == 200
    (formset,) = [fs.formset for fs in response.context["inline_admin_formsets"]]
    assert any(message in error for error in formset.non_form_errors())
    assert not Question.objects.filter(text="Bad one").exists()


def test_an_overlong_option_text_is_reported_on_its_row(instructor, assessment):
    options = [{"text": "a", "is_correct": True}, {"text": "x" * 501}]

    response = browser(instructor).post(
        url("question_add"), question_form(options, assessment=assessment.pk, text="Bad one")
    )

    (formset,) = [fs.formset for fs in response.context["inline_admin_formsets"]]
    assert "text" in formset.forms[1].errors
    assert not Question.objects.filter(text="Bad one").exists()


def test_true_false_rows_may_leave_the_texts_out(instructor, assessment):
    response = browser(instructor).post(
        url("question_add"),
        question_form(
            [{"is_correct": True}, {"position": 2}],
            assessment=assessment.pk,
            type="true_false",
            text="TF",
        ),
    )

    assert response.status_code == 302
    question = Question.objects.get(text="TF")
    assert [(o.text, o.is_correct) for o in question.options.all()] == [
        ("True", True),
        ("False", False),
    ]


def test_duplicate_option_texts_are_reported_on_the_repeated_row(instructor, assessment):
    options = [{"text": "Paris", "is_correct": True}, {"text": "Rome"}, {"text": " PARIS"}]

    response = browser(instructor).post(
        url("question_add"), question_form(options, assessment=assessment.pk, text="Capital?")
    )

    assert response.status_code == 200
    (formset,) = [fs.formset for fs in response.context["inline_admin_formsets"]]
    assert formset.forms[2].errors["text"] == ["Another option of this question has this text."]
    assert not formset.forms[0].errors and not formset.forms[1].errors
    assert not Question.objects.filter(text="Capital?").exists()


def test_a_true_false_row_left_empty_gets_the_text_not_used(instructor, assessment):
    response = browser(instructor).post(
        url("question_add"),
        question_form(
            [{"text": "False", "is_correct": True}, {"position": 2}],
            assessment=assessment.pk,
            type="true_false",
            text="TF",
        ),
    )

    assert response.status_code == 302
    question = Question.objects.get(text="TF")
    assert [(o.text, o.is_correct) for o in question.options.all()] == [
        ("False", True),
        ("True", False),
    ]


def test_editing_options_keeps_stored_ids_and_deletes_removed_rows(instructor, assessment):
    question = make_question(assessment, type=SINGLE, n_options=3, correct=[0])
    first, second, third = rows(question)
    second["DELETE"] = True
    first["text"] = "renamed"

    response = browser(instructor).post(
        url("question_change", question.pk),
        question_form([first, second, third, {"text": "added"}], question, text=question.text),
    )

    assert response.status_code == 302
    assert [(o.pk, o.text, o.position) for o in question.options.all()][:2] == [
        (first["id"], "renamed", 1),
        (third["id"], third["text"], 2),
    ]
    assert [o.text for o in question.options.all()][2] == "added"
    assert not Option.objects.filter(pk=second["id"]).exists()


def test_changing_the_type_is_checked_against_the_options(instructor, assessment):
    question = make_question(assessment, type=MULTIPLE, n_options=3, correct=[0, 1])

    response = browser(instructor).post(
        url("question_change", question.pk),
        question_form(rows(question), question, text=question.text, type="single_choice"),
    )

    assert response.status_code == 200
    question.refresh_from_db()
    assert question.type == MULTIPLE


def test_question_list_on_the_assessment_page_reorders(instructor, assessment):
    a, b, c = assessment.questions.all()
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form["questions-2-position"] = 1  # c first
    form["questions-0-position"] = 3  # a last

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 302
    assert list(assessment.questions.order_by("position").values_list("pk", "position")) == [
        (c.pk, 1),
        (b.pk, 2),
        (a.pk, 3),
    ]


def test_question_list_type_change_is_checked_against_the_options(instructor, assessment):
    multi = assessment.questions.get(type=MULTIPLE)
    index = list(assessment.questions.all()).index(multi)
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_change", assessment.pk)))
    form[f"questions-{index}-type"] = "true_false"

    response = form.post(client, url("assessment_change", assessment.pk))

    assert response.status_code == 200
    multi.refresh_from_db()
    assert multi.type == MULTIPLE


def test_deleting_a_question_in_the_admin_closes_the_gap(instructor, assessment):
    first = assessment.questions.first()

    response = browser(instructor).post(url("question_delete", first.pk), {"post": "yes"})

    assert response.status_code == 302
    assert list(assessment.questions.values_list("position", flat=True)) == [1, 2]


def test_instructor_sees_the_assessment_page_with_its_questions(instructor, assessment):
    QuestionFactory(assessment=assessment, text="Visible question?")

    response = browser(instructor).get(url("assessment_change", assessment.pk))

    assert response.status_code == 200
    assert "Visible question?" in response.text
    assert "Choice 1" in response.text  # with its options, on the same page


def test_question_pages_render_for_the_owner(instructor, assessment):
    client = browser(instructor)
    question = assessment.questions.first()

    add = client.get(url("question_add"), {"assessment": assessment.pk})
    change = client.get(url("question_change", question.pk))

    assert add.status_code == 200
    assert admin_form(add).initial["assessment"] == assessment.pk
    assert change.status_code == 200
    (formset,) = [fs.formset for fs in change.context["inline_admin_formsets"]]
    assert [form.instance for form in formset.initial_forms] == list(question.options.all())


def test_instructor_deletes_their_assessment_with_an_open_attempt(instructor, learner, assessment):
    # Attempts have read-only admin pages; they must not block deleting what they belong to.
    from assessments.taking import attempt_start
    from tests.assessments.factories import enroll

    enroll(learner, assessment.course)
    attempt_start(user=learner, assessment=assessment)

    response = browser(instructor).post(url("assessment_delete", assessment.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_assessment_with_a_submission_is_kept_and_the_delete_page_says_why(
    admin, learner, assessment
):
    from assessments.taking import submission_create
    from tests.assessments.factories import enroll

    enroll(learner, assessment.course)
    submission_create(user=learner, assessment=assessment, answers=[])

    response = browser(admin).post(url("assessment_delete", assessment.pk), {"post": "yes"})

    assert response.status_code == 200  # Django's "cannot delete: protected objects" page
    assert "protected" in response.content.decode().lower()
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_cascaded_model_outside_the_read_only_list_still_needs_its_delete_permission(
    instructor, learner, assessment
):
    from unittest import mock

    from assessments.admin.authoring import QuestionAdmin
    from assessments.taking import attempt_start
    from tests.assessments.factories import enroll

    enroll(learner, assessment.course)
    attempt_start(user=learner, assessment=assessment)
    client = browser(instructor)

    with mock.patch.object(QuestionAdmin, "has_delete_permission", return_value=False):
        page = client.get(url("assessment_delete", assessment.pk))
        refused = client.post(url("assessment_delete", assessment.pk), {"post": "yes"})

    assert {str(name) for name in page.context["perms_lacking"]} == {"question"}
    assert refused.status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_only_the_listed_read_only_models_are_waived(instructor, learner, assessment):
    from unittest import mock

    from assessments.admin.authoring import AssessmentAdmin
    from assessments.taking import attempt_start
    from tests.assessments.factories import enroll

    enroll(learner, assessment.course)
    attempt_start(user=learner, assessment=assessment)
    assert AssessmentAdmin.cascade_read_only_models == ("assessments.Attempt",)

    with mock.patch.object(AssessmentAdmin, "cascade_read_only_models", ()):
        page = browser(instructor).get(url("assessment_delete", assessment.pk))

    assert {str(name) for name in page.context["perms_lacking"]} == {"attempt"}
