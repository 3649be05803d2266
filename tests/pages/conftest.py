"""Fixtures of the learner pages: a published course with a quiz, Django clients signed in as
each persona (session login, as a browser)."""

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User
from assessments.models import Assessment
from courses.models import Course
from tests.assessments.factories import AssessmentFactory, enroll, published_course


@pytest.fixture
def course(instructor: User) -> Course:
    return published_course(instructor, title="Python for beginners")


@pytest.fixture
def quiz(course: Course) -> Assessment:
    return AssessmentFactory(course=course, title="Basics check", questions=5, passing_score=60)


@pytest.fixture
def timed_quiz(course: Course) -> Assessment:
    return AssessmentFactory(
        course=course, title="Timed final", questions=3, time_limit_minutes=10, passing_score=50
    )


@pytest.fixture
def enrolled(learner: User, course: Course) -> User:
    enroll(learner, course)
    return learner


@pytest.fixture
def client_for(db) -> Callable[[User | None], Client]:
    """`client_for(user)`: a browser-like client signed in as `user` (None: anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def course_states(user: User, course: Course) -> dict[str, str]:
    """Title -> state of each assessment on the learner's course page."""
    from assessments.selectors import learner_assessment_states

    return {
        row.assessment.title: row.state
        for row in learner_assessment_states(user=user, course_id=course.pk)
    }
