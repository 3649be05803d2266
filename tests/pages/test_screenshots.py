"""The README's screenshots (docs/img/), taken from the demo data set `seed_demo` builds and
signed in as its demo learner: the dashboard, the in-progress quiz at 1280 and 360 px, and the
result of the quiz the learner passed.

Skipped when /usr/bin/chromium is absent, except under CI=true, where that is a failure."""

import io
import re

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_USERS
from accounts.models import User
from assessments.models import Attempt, Submission
from tests.pages.browsing import SCREENSHOTS, new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screenshots_of_the_demo_learner(browser, site):
    call_command("seed_demo", stdout=io.StringIO())
    _key, _name, email, password, _role = next(u for u in DEMO_USERS if u[0] == "learner")
    learner = User.objects.get(email=email)
    context, page, problems = new_page(browser)
    sign_in(page, site, learner, password)
    assert "Python Foundations" in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

    in_progress = Attempt.objects.get(user=learner, status=Attempt.Status.IN_PROGRESS)
    page.goto(f"{site}/assessments/{in_progress.assessment_id}/attempts/{in_progress.pk}/")
    page.get_by_role("button", name="Submit answers").wait_for()
    assert "What does a function return" in page.locator("legend").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "quiz-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=str(SCREENSHOTS / "quiz-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    passed = Submission.objects.get(user=learner, passed=True)
    page.goto(f"{site}/assessments/{passed.assessment_id}/results/{passed.pk}/")
    page.wait_for_url(re.compile(r"/results/sub_"))
    assert page.locator(".score").inner_text() == "100.00%"
    page.screenshot(path=str(SCREENSHOTS / "result.png"), full_page=True)
    assert problems == []
    context.close()
