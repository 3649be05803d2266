"""`authoring.assessment_update` writes only the fields it is given, to the row as stored."""

import pytest

from assessments import authoring
from assessments.models import Assessment
from common.errors import NotFound
from tests.assessments.factories import AssessmentFactory, published_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(instructor) -> Assessment:
    return AssessmentFactory(course=published_course(instructor), questions=1, title="Original")


def test_a_stale_instance_does_not_revert_a_new_time_limit(assessment):
    first = Assessment.objects.get(pk=assessment.pk)
    second = Assessment.objects.get(pk=assessment.pk)
    authoring.assessment_update(assessment=first, time_limit_minutes=15)

    stored = authoring.assessment_update(assessment=second, title="Renamed")

    assessment.refresh_from_db()
    assert assessment.title == "Renamed"
    assert assessment.time_limit_minutes == 15
    assert (stored.title, stored.time_limit_minutes) == ("Renamed", 15)


def test_a_stale_rename_keeps_a_review_switch_made_meanwhile(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(
        show_correct_answers=Assessment.Review.AFTER_SUBMISSION
    )
    stale = Assessment.objects.get(pk=assessment.pk)
    fresh = Assessment.objects.get(pk=assessment.pk)

    authoring.assessment_update(assessment=fresh, show_correct_answers=Assessment.Review.NEVER)
    authoring.assessment_update(assessment=stale, title="Renamed")

    assessment.refresh_from_db()
    assert assessment.title == "Renamed"
    assert assessment.show_correct_answers == Assessment.Review.NEVER


def test_update_moves_updated_at(assessment):
    before = Assessment.objects.get(pk=assessment.pk).updated_at

    stored = authoring.assessment_update(assessment=assessment, passing_score=55)

    assert stored.updated_at > before
    assert Assessment.objects.get(pk=assessment.pk).updated_at == stored.updated_at


def test_update_of_a_deleted_assessment_is_not_found(assessment):
    stale = Assessment.objects.get(pk=assessment.pk)
    Assessment.objects.filter(pk=assessment.pk).delete()

    with pytest.raises(NotFound):
        authoring.assessment_update(assessment=stale, title="Renamed")
