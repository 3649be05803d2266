"""Fixtures of the learner pages: a published course with a quiz, Django clients signed in as
each persona (session login, as a browser)."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from assessments.models import Assessment
from courses.models import Course
from tests.assessments.factories import AssessmentFactory, enroll, published_course
from tests.pages.browsing import ARGS, CHROMIUM, PASSWORD, require_chromium


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


# The browser tests' fixtures (tests marked `browser`; helpers in tests/pages/browsing.py).


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous. Only while these tests run: the variable
    # would otherwise reach `check --deploy` in other tests' subprocesses.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(settings: Any, live_server: Any) -> str:
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return str(live_server.url)


@pytest.fixture
def scene(learner: User, instructor: User) -> dict[str, Any]:
    learner.set_password(PASSWORD)
    learner.save()
    course = published_course(instructor, title="Python for beginners")
    enroll(learner, course)
    quiz = AssessmentFactory(course=course, title="Basics check", questions=4, passing_score=50)
    timed = AssessmentFactory(
        course=course, title="Timed final", questions=3, time_limit_minutes=10, passing_score=50
    )
    return {"learner": learner, "course": course, "quiz": quiz, "timed": timed}
