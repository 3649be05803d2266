"""The quiz, its check page, submitting once, late posts, the result's review gating, the
account page and the admin's sign-in for learners."""

import re

import pytest
from django.test import Client

from assessments.models import Assessment, Attempt, Submission
from tests.assessments.builders import frozen_clock
from tests.assessments.factories import AttemptFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def _key(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]*)"', html).group(1)


def _right_answers(assessment: Assessment) -> dict[str, list[str]]:
    return {
        f"q-{q.pk}": [o.pk for o in q.options.all() if o.is_correct]
        for q in assessment.questions.all()
    }


@pytest.fixture
def taking(client_for, enrolled, quiz):
    client = client_for(enrolled)
    location = client.post(f"/assessments/{quiz.pk}/start")["Location"]
    page = client.get(location)
    return client, location, _key(page.content.decode())


def test_quiz_page_shows_fieldsets_with_legends_and_labelled_controls(taking, quiz):
    client, location, _ = taking
    html = client.get(location).content.decode()
    assert html.count("<fieldset") == 5
    assert html.count("<legend>") == 5
    for question in quiz.questions.all():
        kind = "checkbox" if question.type == "multiple_choice" else "radio"
        for option in question.options.all():
            assert f'type="{kind}" name="q-{question.pk}" id="opt-{option.pk}"' in html
            assert f'<label for="opt-{option.pk}">' in html
    assert "is_correct" not in html and "explanation" not in html


def test_submit_with_unanswered_questions_shows_the_check_page_first(taking, quiz):
    client, location, key = taking
    data = _right_answers(quiz)
    first, second = list(data)[:2]
    del data[first], data[second]
    response = client.post(location, {**data, "idempotency_key": key, "action": "submit"})
    assert response.status_code == 200
    assert b"2 questions have no answer" in response.content
    assert Submission.objects.count() == 0
    # Going back shows what was answered: it was saved.
    attempt = Attempt.objects.get()
    assert len([v for v in attempt.saved_answers.values() if v]) == 3
    confirm = client.post(location, {**data, "idempotency_key": key, "action": "confirm"})
    assert confirm.status_code == 303
    assert [r["correct"] for r in Submission.objects.get().results] == [False, False] + [True] * 3


def test_double_submit_and_refresh_create_one_submission(taking, quiz):
    client, location, key = taking
    data = {**_right_answers(quiz), "idempotency_key": key, "action": "submit"}
    first = client.post(location, data)
    again = client.post(location, data)
    assert first.status_code == again.status_code == 303
    assert first["Location"] == again["Location"]
    assert Submission.objects.count() == 1
    # The back button and a changed answer with the old form: still one submission.
    changed = {**data, next(iter(_right_answers(quiz))): []}
    back = client.post(location, changed)
    assert back.status_code == 302 and back["Location"] == first["Location"]
    assert Submission.objects.count() == 1


def test_save_keeps_answers_and_shows_them_again(taking, quiz):
    client, location, key = taking
    question = quiz.questions.first()
    option = question.options.last()
    response = client.post(
        location, {f"q-{question.pk}": option.pk, "idempotency_key": key, "action": "save"}
    )
    assert response.status_code == 302
    assert Attempt.objects.get().saved_answers[question.pk] == [option.pk]
    html = client.get(location).content.decode()
    assert f'id="opt-{option.pk}" value="{option.pk}" checked' in html


def test_refused_submission_shows_the_error_summary_linking_to_the_question(taking, quiz):
    client, location, key = taking
    data = _right_answers(quiz)
    question = quiz.questions.first()
    data[f"q-{question.pk}"] = ["opt_notthisone"]
    response = client.post(location, {**data, "idempotency_key": key, "action": "confirm"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    first_option = question.options.first()
    assert f'href="#opt-{first_option.pk}">Question 1: No such option' in html
    assert Submission.objects.count() == 0


def test_late_submission_is_graded_from_saved_answers_and_says_why(
    client_for, enrolled, timed_quiz
):
    client = client_for(enrolled)
    with frozen_clock() as clock:
        location = client.post(f"/assessments/{timed_quiz.pk}/start")["Location"]
        page = client.get(location).content.decode()
        assert "10 minutes" in page and "UTC" in page
        key = _key(page)
        question = timed_quiz.questions.first()
        right = [o.pk for o in question.options.all() if o.is_correct]
        client.post(location, {f"q-{question.pk}": right, "idempotency_key": key, "action": "save"})
        clock.advance(minutes=11)
        response = client.post(
            location, {**_right_answers(timed_quiz), "idempotency_key": key, "action": "submit"}
        )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert response["Location"].endswith(f"/results/{submission.pk}/")
    assert submission.points_earned == question.points  # only what was saved by the deadline
    result = client.get(response["Location"]).content.decode()
    assert "The time limit ended at" in result
    assert "What you had saved by then was counted" in result


@pytest.mark.parametrize(
    ("setting", "failing", "reveals"),
    [
        ("never", False, False),
        ("after_submission", True, True),
        ("after_passing", True, False),
        ("after_passing", False, True),
    ],
)
def test_result_reveals_answers_only_as_the_review_setting_allows(
    client_for, enrolled, quiz, setting, failing, reveals
):
    Assessment.objects.filter(pk=quiz.pk).update(show_correct_answers=setting)
    question = quiz.questions.first()
    question.explanation = "Because of the reason."
    question.save()
    submission = SubmissionFactory(assessment=quiz, user=enrolled, failing=failing)
    html = client_for(enrolled).get(f"/assessments/{quiz.pk}/results/{submission.pk}/")
    html = html.content.decode()
    assert ("Correct answer" in html) is reveals
    assert ("Because of the reason." in html) is reveals
    assert "Question 1:" in html


def test_pages_refuse_posts_without_csrf_token(enrolled, quiz):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrolled)
    response = client.post(f"/assessments/{quiz.pk}/start")
    assert response.status_code == 403
    assert Attempt.objects.count() == 0


def test_catalogue_enrols_the_learner(client_for, learner, course):
    client = client_for(learner)
    assert b"Enrol" in client.get("/courses/").content
    response = client.post(f"/courses/{course.pk}/enrol")
    assert response.status_code == 302
    assert learner.enrollments.get().course_id == course.pk
    again = client.post(f"/courses/{course.pk}/enrol")
    assert again.status_code == 302
    assert learner.enrollments.count() == 1


def test_account_page_changes_name_and_password(client_for, learner):
    client = client_for(learner)
    response = client.post("/account/", {"name-name": "Lena Renamed", "change_name": "1"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.name == "Lena Renamed"
    learner.set_password("old-password-123")
    learner.save()
    client.force_login(learner)
    wrong = client.post(
        "/account/",
        {
            "password-current_password": "nope",
            "password-new_password": "a-new-secret-456",
            "change_password": "1",
        },
    )
    assert wrong.status_code == 422 and b"There is a problem" in wrong.content
    short = client.post(
        "/account/",
        {
            "password-current_password": "old-password-123",
            "password-new_password": "short",
            "change_password": "1",
        },
    )
    assert short.status_code == 422
    ok = client.post(
        "/account/",
        {
            "password-current_password": "old-password-123",
            "password-new_password": "a-new-secret-456",
            "change_password": "1",
        },
    )
    assert ok.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("a-new-secret-456")
    assert client.get("/account/").status_code == 200  # still signed in


def test_sign_in_by_email_and_out(learner):
    learner.set_password("a-good-password-1")
    learner.save()
    client = Client()
    page = client.get("/login/")
    assert b"Email address" in page.content
    response = client.post("/login/", {"username": learner.email, "password": "a-good-password-1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_learner_signing_in_at_the_admin_goes_to_the_dashboard(learner, instructor):
    learner.set_password("a-good-password-1")
    learner.save()
    client = Client()
    response = client.post(
        "/admin/login/", {"username": learner.email, "password": "a-good-password-1"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert b"The admin is for instructors and admins" in client.get("/").content
    instructor.set_password("a-good-password-2")
    instructor.save()
    staff = Client()
    response = staff.post(
        "/admin/login/?next=/admin/",
        {"username": instructor.email, "password": "a-good-password-2", "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert b'href="/admin/"' in staff.get("/").content


def test_preview_grades_without_recording(client_for, instructor, quiz):
    client = client_for(instructor)
    response = client.post(f"/assessments/{quiz.pk}/preview/", _right_answers(quiz))
    assert response.status_code == 200
    assert b"100.00%" in response.content and b"Correct answer" in response.content
    assert (Attempt.objects.count(), Submission.objects.count()) == (0, 0)


def test_autosave_saves_named_answers_and_keeps_the_rest(client_for, enrolled, quiz):
    attempt = AttemptFactory(assessment=quiz, user=enrolled)
    first, second = list(quiz.questions.all())[:2]
    Attempt.objects.filter(pk=attempt.pk).update(
        saved_answers={first.pk: [first.options.first().pk]}
    )
    option = second.options.first()
    body = f'{{"answers": [{{"question_id": "{second.pk}", "selected_option_id": "{option.pk}"}}]}}'
    url = f"/assessments/{quiz.pk}/attempts/{attempt.pk}/autosave"
    response = client_for(enrolled).post(url, body, content_type="application/json")
    assert response.status_code == 200 and "saved_at" in response.json()
    attempt.refresh_from_db()
    assert set(attempt.saved_answers) == {first.pk, second.pk}


def test_autosave_is_rate_limited_per_user(client_for, enrolled, quiz, settings):
    settings.PAGE_AUTOSAVE_RATE = (2, 60)
    attempt = AttemptFactory(assessment=quiz, user=enrolled)
    url = f"/assessments/{quiz.pk}/attempts/{attempt.pk}/autosave"
    client = client_for(enrolled)
    codes = [
        client.post(url, '{"answers": []}', content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_unexpected_page_error_shows_the_friendly_500(client_for, enrolled, quiz, monkeypatch):
    from assessments import views

    def boom(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.taking, "submission_list", boom)
    client = client_for(enrolled)
    client.raise_request_exception = False
    response = client.get(f"/assessments/{quiz.pk}/")
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content
    assert b"secret detail" not in response.content
