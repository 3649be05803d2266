"""The pages in a real browser (Playwright driving Debian's chromium): signing in, taking quizzes
with and without JavaScript, the timer across a reload, offline autosave, double clicks, the
keyboard alone, and the Content-Security-Policy.

Skipped when /usr/bin/chromium is absent, except under CI=true, where that is a failure."""

import re

import pytest

from assessments.models import Attempt, Submission
from tests.pages.browsing import csp_violations, new_page, right_option_ids, sign_in, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_take_untimed_quiz_see_result_with_no_csp_violation(browser, site, scene):
    context, page, problems = new_page(browser)
    sign_in(page, site, scene["learner"])
    page.get_by_role("link", name="Python for beginners").click()
    page.get_by_role("link", name="Basics check").click()
    start(page, site, scene["quiz"])
    for option_id in right_option_ids(scene["quiz"]):
        page.locator(f"#opt-{option_id}").check()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/results/sub_"))
    assert page.locator(".score").inner_text() == "100.00%"
    assert Submission.objects.count() == 1
    assert problems == []
    context.close()


def test_the_same_without_javascript(browser, site, scene):
    context, page, _ = new_page(browser, javascript=False)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["quiz"])
    right = list(right_option_ids(scene["quiz"]))
    for option_id in right[1:]:
        page.locator(f"#opt-{option_id}").check()
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("heading", name=re.compile("question has no answer")).wait_for()
    page.get_by_role("button", name="Submit anyway").click()
    page.wait_for_url(re.compile(r"/results/sub_"))
    assert Submission.objects.get().passed
    context.close()


def test_timed_quiz_reloaded_keeps_saved_answers_and_remaining_time(browser, site, scene):
    context, page, problems = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["timed"])
    option_id = next(right_option_ids(scene["timed"]))
    page.locator(f"#opt-{option_id}").check()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    timer = page.get_by_role("timer")
    before = timer.inner_text()
    page.reload()
    assert page.locator(f"#opt-{option_id}").is_checked()
    after = timer.inner_text()

    def seconds(text):
        minutes, secs = text.split(":")
        return int(minutes) * 60 + int(secs)

    assert 9 * 60 < seconds(after) <= seconds(before) <= 10 * 60
    assert seconds(before) - seconds(after) < 10
    assert problems == []
    context.close()


def test_offline_answers_reach_the_server_when_back_online(browser, site, scene):
    context, page, _ = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["quiz"])
    option_id = next(right_option_ids(scene["quiz"]))
    context.set_offline(True)
    page.locator(f"#opt-{option_id}").check()
    page.get_by_role("status").filter(has_text="Offline").wait_for()
    assert not any(Attempt.objects.get().saved_answers.values())
    context.set_offline(False)
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    saved = Attempt.objects.get().saved_answers
    assert any(option_id in chosen for chosen in saved.values())
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert stored == []
    context.close()


def test_double_click_on_submit_makes_one_submission(browser, site, scene):
    context, page, _ = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["quiz"])
    for option_id in right_option_ids(scene["quiz"]):
        page.locator(f"#opt-{option_id}").check()
    page.get_by_role("button", name="Submit answers").dblclick()
    page.wait_for_url(re.compile(r"/results/sub_"))
    assert Submission.objects.count() == 1
    context.close()


def test_keyboard_only_completion(browser, site, scene):
    context, page, _ = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, scene["quiz"])
    answered: set[str] = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return [e.tagName, e.type || '', e.name || '', e.textContent.trim()]; })()"
        )
        tag, kind, name, text = focused
        if tag == "INPUT" and kind in ("radio", "checkbox") and name not in answered:
            page.keyboard.press("Space")
            answered.add(name)
        if tag == "BUTTON" and text == "Submit answers":
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none"  # focus is visible
            page.keyboard.press("Enter")
            break
    page.wait_for_url(re.compile(r"/results/sub_"))
    assert len(answered) == 4
    assert Submission.objects.count() == 1
    context.close()


def test_api_docs_and_admin_run_under_the_csp_with_no_violation(browser, site, scene, admin):
    """The interactive API docs load Swagger UI from our static files and its start-up script
    from the docs view (no inline script, no CDN); the admin's pages carry no inline script."""
    context, page, problems = new_page(browser)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(site + "/api/v1/docs/")
    page.get_by_text("/api/v1/auth/login").first.wait_for()
    assert csp_violations(page) == []
    admin.set_password("admin-password-77")
    admin.save()
    page.goto(site + "/admin/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill("admin-password-77")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")
    for path in ("/admin/", "/admin/assessments/assessment/", "/admin/assessments/assessment/add/"):
        page.goto(site + path)
        page.wait_for_load_state("load")
        assert csp_violations(page) == [], path
    assert missing == []
    # The admin links no favicon, so the browser's own /favicon.ico request is a 404 in the
    # console; nothing the CSP refused is.
    assert [p for p in problems if "Content Security Policy" in p] == []
    context.close()


def test_times_are_shown_in_the_readers_time_zone_and_in_utc_without_javascript(
    browser, site, scene
):
    quiz = scene["quiz"]
    context, page, _ = new_page(browser)
    sign_in(page, site, scene["learner"])
    start(page, site, quiz)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name=re.compile("Submit")).last.click()  # the check page
    page.wait_for_url(re.compile(r"/results/sub_"))
    result_url = page.url
    submitted_at = Submission.objects.get().submitted_at
    context.close()

    for timezone_id, javascript in (("Asia/Tokyo", True), ("Asia/Tokyo", False)):
        context = browser.new_context(timezone_id=timezone_id, java_script_enabled=javascript)
        page = context.new_page()
        sign_in(page, site, scene["learner"])
        page.goto(result_url)
        shown = page.locator("time[data-local]").first.inner_text()
        if javascript:  # Tokyo is UTC+9 all year
            assert "UTC" not in shown
            assert f"{(submitted_at.hour + 9) % 24:02d}:{submitted_at.minute:02d}" in shown
        else:
            assert shown == submitted_at.strftime("%Y-%m-%d %H:%M UTC")
        context.close()
