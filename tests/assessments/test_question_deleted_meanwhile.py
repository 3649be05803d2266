"""A question changed or deleted after its assessment, or itself, was deleted by a concurrent
request (read before, locked after): `NotFound`, the API's `404`, never a 500."""

import pytest

from assessments import authoring
from assessments.models import Assessment, Question
from common.errors import NotFound
from tests.assessments.builders import quiz_for


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["delete", "update"])
def test_question_whose_assessment_is_deleted_meanwhile_is_not_found(change, learner, instructor):
    quiz = quiz_for(learner, instructor=instructor)
    stale = Question.objects.filter(assessment=quiz).first()
    assert stale is not None
    Assessment.objects.filter(pk=quiz.pk).delete()

    with pytest.raises(NotFound, match=r"No assessment with this id\."):
        if change == "delete":
            authoring.question_delete(question=stale)
        else:
            authoring.question_update(question=stale, text="Still there?")


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["delete", "update"])
def test_question_deleted_meanwhile_is_not_found(change, learner, instructor):
    quiz = quiz_for(learner, instructor=instructor)
    stale = Question.objects.filter(assessment=quiz).first()
    assert stale is not None
    Question.objects.filter(pk=stale.pk).delete()

    with pytest.raises(NotFound, match=r"No question with this id in this assessment\."):
        if change == "delete":
            authoring.question_delete(question=stale)
        else:
            authoring.question_update(question=stale, text="Still there?")

    assert Assessment.objects.filter(pk=quiz.pk).exists()
