"""Each page takes a fixed number of queries, whatever the number of questions (5 or 100)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessments.factories import AssessmentFactory, AttemptFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

# Session and user lookups included.
EXPECTED = {"course": 8, "assessment": 7, "quiz": 6, "result": 4, "history": 6, "preview": 5}


def _urls(kind, assessment, learner):
    if kind == "course":
        return f"/courses/{assessment.course_id}/"
    if kind == "assessment":
        return f"/assessments/{assessment.pk}/"
    if kind == "history":
        return f"/assessments/{assessment.pk}/attempts/"
    if kind == "result":
        submission = SubmissionFactory(assessment=assessment, user=learner)
        return f"/assessments/{assessment.pk}/results/{submission.pk}/"
    if kind == "quiz":
        attempt = AttemptFactory(assessment=assessment, user=learner)
        return f"/assessments/{assessment.pk}/attempts/{attempt.pk}/"
    return f"/assessments/{assessment.pk}/preview/"


@pytest.mark.parametrize("kind", sorted(EXPECTED))
@pytest.mark.parametrize("questions", [5, 100])
def test_page_query_count_does_not_grow_with_questions(
    kind, questions, client_for, course, enrolled, instructor, django_assert_num_queries
):
    assessment = AssessmentFactory(course=course, questions=questions)
    viewer = instructor if kind == "preview" else enrolled
    url = _urls(kind, assessment, enrolled)
    client = client_for(viewer)
    with django_assert_num_queries(EXPECTED[kind]):
        response = client.get(url)
    assert response.status_code == 200


def test_dashboard_query_count_does_not_grow_with_courses(client_for, enrolled, instructor):
    from tests.assessments.factories import enroll, published_course

    client = client_for(enrolled)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    for number in range(10):
        enroll(enrolled, published_course(instructor, title=f"Course {number}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    assert len(few) == len(many) == 3
