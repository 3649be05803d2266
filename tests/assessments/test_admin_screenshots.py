"""Screenshots of the assessment editor and the item statistics page, taken by headless
Chromium through Playwright and saved under docs/img/ (shown in docs/admin.md). Skipped when
Debian's chromium is absent, except on CI (`CI=true`), where that is a failure."""

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from assessments.models import Assessment
from assessments.taking import submission_create
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import answer, options_of
from tests.assessments.factories import AssessmentFactory, enroll, published_course
from tests.common.admin import admin_url, browser

CHROMIUM = Path("/usr/bin/chromium")
IMAGES = Path(settings.BASE_DIR) / "docs" / "img"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sync_playwright() -> Any:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium on CI")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to take screenshots")
    # Playwright runs an event loop in this thread: the database is set up before it starts.
    from playwright.sync_api import sync_playwright

    return sync_playwright


def sample_quiz(instructor: Any) -> Assessment:
    course = published_course(instructor, title="Astronomy 101")
    quiz = AssessmentFactory(course=course, title="The solar system", questions=3)
    questions = list(quiz.questions.all())
    for number, learner in enumerate(LearnerFactory.create_batch(6)):
        enroll(learner, course)
        submission_create(
            user=learner,
            assessment=quiz,
            answers=[
                answer(q, [options_of(q)[(number + i) % 2].pk]) for i, q in enumerate(questions)
            ],
        )
    return quiz


def test_screenshots_of_the_assessment_editor_and_statistics(
    sync_playwright, live_server, instructor, admin, settings
):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    quiz = sample_quiz(instructor)
    editor = live_server.url + admin_url("assessments_assessment_change", quiz)
    statistics = live_server.url + admin_url("assessments_submission_statistics", quiz)
    # As an admin: a transactional test's database is flushed between tests, taking the
    # Instructors group's permissions (made by a data migration) with it.
    session = browser(admin).cookies[settings.SESSION_COOKIE_NAME].value
    IMAGES.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(editor)
        page.locator("#questions-group").wait_for(state="visible")
        page.screenshot(path=str(IMAGES / "admin-assessment-editor.png"), full_page=True)
        page.goto(statistics)
        page.get_by_text("The solar system").first.wait_for(state="visible")
        page.screenshot(path=str(IMAGES / "admin-item-statistics.png"), full_page=True)
        chromium.close()

    assert (IMAGES / "admin-assessment-editor.png").stat().st_size > 10_000
    assert (IMAGES / "admin-item-statistics.png").stat().st_size > 10_000
