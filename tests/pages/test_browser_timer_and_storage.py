"""The quiz page's script in the browser: a timed quiz submitting itself at the deadline, the
polite announcements at 5 and 1 minutes left, answers kept on the device while offline and sent
on the next load, and a shared computer (the next learner sees and sends nothing of the last).

Skipped when /usr/bin/chromium is absent, except under CI=true, where that is a failure."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Attempt, Submission
from tests.assessments.factories import enroll
from tests.pages.browsing import PASSWORD, new_page, right_option_ids, sign_in, sign_out, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts every change of the polite live region's text from now on.
WATCH_ANNOUNCER = """
window.__announcements = [];
new MutationObserver(function () {
  window.__announcements.push(document.getElementById("timer-announcer").textContent);
}).observe(document.getElementById("timer-announcer"),
           { childList: true, characterData: true, subtree: true });
"""


def _deadline_in(attempt: Attempt, seconds: float) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() + timedelta(seconds=seconds)
    )


def test_timed_quiz_submits_itself_at_the_deadline_and_shows_the_counted_result(
    browser, site, scene
):
    context, page, problems = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["timed"])
    for option_id in right_option_ids(scene["timed"]):
        page.locator(f"#opt-{option_id}").check()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    attempt = Attempt.objects.get()
    _deadline_in(attempt, 4)
    page.reload()
    assert page.get_by_role("timer").inner_text() in {"0:04", "0:03", "0:02"}
    page.wait_for_url(re.compile(r"/results/sub_"), timeout=10_000)
    assert page.locator(".score").inner_text() == "100.00%"
    submission = Submission.objects.get()
    assert submission.attempt_id == attempt.pk
    assert submission.passed
    assert problems == []
    context.close()


def test_live_region_announces_five_minutes_and_one_minute_left_and_not_every_second(
    browser, site, scene
):
    context, page, problems = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["timed"])
    attempt = Attempt.objects.get()
    announcer = page.locator("#timer-announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    assert page.get_by_role("timer").get_attribute("aria-live") == "off"

    _deadline_in(attempt, 5 * 60 + 3)
    page.reload()
    page.evaluate(WATCH_ANNOUNCER)
    assert announcer.text_content() == ""
    page.wait_for_function(
        "() => document.getElementById('timer-announcer').textContent === '5 minutes left.'",
        timeout=8_000,
    )
    shown = page.get_by_role("timer").inner_text()
    page.wait_for_function(
        f"() => document.getElementById('timer').textContent !== '{shown}'", timeout=3_000
    )
    page.wait_for_timeout(2_500)  # the countdown ticks on; the live region stays quiet
    assert page.evaluate("window.__announcements") == ["5 minutes left."]

    _deadline_in(attempt, 60 + 3)
    page.reload()
    page.evaluate(WATCH_ANNOUNCER)
    assert announcer.text_content() == ""  # 5 minutes passed before this load: not said late
    page.wait_for_function(
        "() => document.getElementById('timer-announcer').textContent === '1 minute left.'",
        timeout=8_000,
    )
    page.wait_for_timeout(2_500)
    assert page.evaluate("window.__announcements") == ["1 minute left."]
    assert problems == []
    context.close()


def test_unsynced_answers_kept_on_the_device_reach_the_server_on_the_next_load(
    browser, site, scene
):
    context, page, _ = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["quiz"])
    quiz_url = page.url
    attempt = Attempt.objects.get()
    option_id = next(right_option_ids(scene["quiz"]))
    context.set_offline(True)
    page.locator(f"#opt-{option_id}").check()
    page.get_by_role("status").filter(has_text="Offline").wait_for()
    key = f"lms:answers:{scene['learner'].pk}:{attempt.pk}"
    assert page.evaluate("Object.keys(window.localStorage)") == [key]
    # The page goes away while offline (a closed tab), and the quiz is loaded again online: the
    # answer comes back from the device's storage and is sent.
    page.close()
    context.set_offline(False)
    page = context.new_page()
    assert not any(Attempt.objects.get().saved_answers.values())
    page.goto(quiz_url)
    assert page.locator(f"#opt-{option_id}").is_checked()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    saved = Attempt.objects.get().saved_answers
    assert any(option_id in chosen for chosen in saved.values())
    assert page.evaluate("Object.keys(window.localStorage)") == []
    context.close()


def test_shared_computer_the_next_learner_sees_and_sends_nothing_of_the_last(
    browser, site, scene, other_learner
):
    other_learner.set_password(PASSWORD)
    other_learner.save()
    enroll(other_learner, scene["course"])
    quiz = scene["quiz"]
    context, page, problems = new_page(browser)

    # Learner A answers while offline; their saves keep failing, so the answer stays local.
    sign_in(page, site, scene["learner"])
    start(page, site, quiz)
    first = Attempt.objects.get(user=scene["learner"])
    context.route(re.compile(r"/autosave$"), lambda route: route.abort())
    context.set_offline(True)
    option_ids = list(right_option_ids(quiz))
    page.locator(f"#opt-{option_ids[0]}").check()
    page.get_by_role("status").filter(has_text="Offline").wait_for()
    context.set_offline(False)
    assert page.evaluate("Object.keys(window.localStorage)") == [
        f"lms:answers:{scene['learner'].pk}:{first.pk}"
    ]
    sign_out(page, site)
    assert page.evaluate("Object.keys(window.localStorage)") == []
    context.unroute(re.compile(r"/autosave$"))
    problems.clear()  # A's failed saves, reported in the console: expected

    # Learner B, same browser: nothing of A's on the page, nothing of A's sent.
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.post_data or "")
            if request.method == "POST" and request.url.endswith("/autosave")
            else None
        ),
    )
    sign_in(page, site, other_learner)
    start(page, site, quiz)
    second = Attempt.objects.get(user=other_learner)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.locator("input[name^='q-']:checked").count() == 0
    assert sent == []
    assert not any(Attempt.objects.get(pk=second.pk).saved_answers.values())
    assert not any(Attempt.objects.get(pk=first.pk).saved_answers.values())
    assert problems == []
    context.close()
