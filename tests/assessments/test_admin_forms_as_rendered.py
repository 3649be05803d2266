"""The admin's authoring pages as a person uses them: the form is taken as the page renders it
(initial values, management forms), only what a person would touch is changed, and that is
posted."""

import pytest

from assessments.models import Question
from tests.assessments.factories import AssessmentFactory, published_course
from tests.common.admin import RenderedForm, admin_urls, browser

pytestmark = pytest.mark.django_db

url = admin_urls("assessments")


def test_adding_a_question_on_its_page_saves_on_the_first_try(instructor):
    assessment = AssessmentFactory(course=published_course(instructor), questions=0)
    client = browser(instructor)
    page = client.get(url("question_add"), {"assessment": assessment.pk})
    form = RenderedForm(page)
    form["text"] = "Which planet is largest?"
    form["type"] = "single_choice"
    form["options-0-text"] = "Jupiter"
    form.check("options-0-is_correct")
    form["options-1-text"] = "Mars"

    response = form.post(client, url("question_add"))

    assert response.status_code == 302, response.context["errors"]
    question = Question.objects.get(assessment=assessment)
    assert question.position == 1
    assert [(o.text, o.is_correct) for o in question.options.all()] == [
        ("Jupiter", True),
        ("Mars", False),
    ]
