"""Getting around the admin: the product's name, list filters that offer only what the user
may see, and duplicating an assessment as a new draft."""

import pytest

from assessments import authoring
from assessments.models import Assessment
from tests.assessments.factories import AssessmentFactory, published_course
from tests.common.admin import RenderedForm, admin_urls, browser, messages_of

pytestmark = pytest.mark.django_db

url = admin_urls("assessments")


@pytest.fixture
def assessment(instructor) -> Assessment:
    course = published_course(instructor, title="Ivan's course")
    return AssessmentFactory(course=course, title="Ivan's quiz", questions=3)


@pytest.fixture
def foreign(other_instructor) -> Assessment:
    course = published_course(other_instructor, title="Olga's course")
    return AssessmentFactory(course=course, title="Olga's quiz", questions=2)


def test_the_site_header_names_the_product(instructor):
    page = browser(instructor).get("/admin/")

    assert "<title>Authoring and results | Assessments</title>" in page.text
    assert '<a href="/admin/">Assessments</a>' in page.text


def test_the_assessment_list_filters_by_the_users_own_courses(instructor, assessment, foreign):
    other = AssessmentFactory(course=published_course(instructor, title="Second course"))
    client = browser(instructor)

    page = client.get(url("assessment_changelist"))
    filtered = client.get(url("assessment_changelist"), {"course__id__exact": other.course_id})

    assert "Second course" in page.text and "Ivan&#x27;s course" in page.text
    assert "Olga" not in page.text
    assert list(filtered.context["cl"].result_list) == [other]


def test_the_question_list_filters_by_assessment(instructor, assessment, foreign):
    client = browser(instructor)

    page = client.get(url("question_changelist"))
    filtered = client.get(url("question_changelist"), {"assessment__id__exact": assessment.pk})

    assert "Olga" not in page.text
    assert set(filtered.context["cl"].result_list) == set(assessment.questions.all())


def test_duplicate_copies_questions_and_options_as_a_new_draft(assessment):
    copy = authoring.assessment_duplicate(assessment=assessment)

    assert (copy.title, copy.status, copy.course_id) == (
        "Copy of Ivan's quiz",
        "draft",
        assessment.course_id,
    )
    assert (copy.passing_score, copy.show_correct_answers) == (
        assessment.passing_score,
        assessment.show_correct_answers,
    )

    def shape(a: Assessment) -> list[object]:
        return [
            (
                q.text,
                q.type,
                q.points,
                q.position,
                q.explanation,
                [(o.text, o.is_correct, o.position) for o in q.options.all()],
            )
            for q in a.questions.all()
        ]

    assert shape(copy) == shape(assessment)
    assert not set(copy.questions.values_list("pk", flat=True)) & set(
        assessment.questions.values_list("pk", flat=True)
    )


def test_instructor_duplicates_from_the_list(instructor, assessment):
    client = browser(instructor)
    form = RenderedForm(client.get(url("assessment_changelist")))
    form["action"] = "duplicate"
    form.check("_selected_action")  # the only row
    form.data["_selected_action"] = [assessment.pk]

    response = form.post(client, url("assessment_changelist"), button="index", value="0")

    assert response.status_code == 302
    assert Assessment.objects.filter(title="Copy of Ivan's quiz", status="draft").exists()
    assert messages_of(response) == ["Created 1 draft(s): \u201cCopy of Ivan's quiz\u201d."]


def test_instructor_cannot_duplicate_another_instructors_assessment(instructor, foreign):
    client = browser(instructor)

    client.post(
        url("assessment_changelist"),
        {"action": "duplicate", "_selected_action": [foreign.pk], "index": "0"},
    )

    assert not Assessment.objects.filter(title__startswith="Copy of").exists()


def test_preview_opens_the_learner_view_from_the_list_and_the_assessment_page(
    instructor, assessment
):
    client = browser(instructor)
    preview = f'href="/assessments/{assessment.pk}/preview/"'

    listed = client.get(url("assessment_changelist"))
    page = client.get(url("assessment_change", assessment))
    shown = client.get(f"/assessments/{assessment.pk}/preview/")

    assert preview in listed.text
    assert preview in page.text
    assert shown.status_code == 200
    assert "Ivan&#x27;s quiz" in shown.text
