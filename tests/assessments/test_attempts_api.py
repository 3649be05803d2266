"""Attempts: start, read, autosave, list (SPEC §6) and the time-limit rules around them."""

from datetime import datetime, timedelta

import pytest

from assessments.models import Assessment, Attempt, Submission
from enrollments.models import Enrollment
from tests.assessments.builders import (
    FK_CHECK_QUERIES,
    LIMIT_REACHED_BODY,
    all_right,
    answer,
    answers_url,
    attempt_url,
    attempts_url,
    correct_ids,
    frozen_clock,
    quiz_for,
    right,
    submissions_url,
    wrong,
    wrong_ids,
)
from tests.assessments.factories import enroll
from tests.common.assertions import assert_error, assert_success, detail_fields

ATTEMPT_KEYS = {
    "id",
    "assessment_id",
    "user_id",
    "attempt_number",
    "status",
    "started_at",
    "deadline_at",
    "questions",
    "saved_answers",
}
SUMMARY_KEYS = ATTEMPT_KEYS - {"questions", "saved_answers"}


def parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


@pytest.fixture
def quiz(learner, instructor):
    return quiz_for(learner, instructor=instructor)


@pytest.fixture
def timed(learner, instructor):
    return quiz_for(learner, instructor=instructor, time_limit_minutes=10)


def questions_of(assessment):
    return list(assessment.questions.all())


# --- start -------------------------------------------------------------------------------------


def test_start_returns_201_with_the_attempt_and_its_questions(learner, learner_client, quiz):
    response = learner_client.post(attempts_url(quiz))

    body = assert_success(response, 201)
    attempt = Attempt.objects.get()
    assert response["Location"] == f"/api/v1/assessments/{quiz.pk}/attempts/{attempt.pk}"
    assert set(body) == ATTEMPT_KEYS
    assert body["id"] == attempt.pk and body["id"].startswith("att_")
    assert body["assessment_id"] == quiz.pk
    assert body["user_id"] == learner.pk
    assert body["attempt_number"] == 1
    assert body["status"] == "in_progress"
    assert body["deadline_at"] is None
    assert body["saved_answers"] == []
    assert [q["id"] for q in body["questions"]] == [q.pk for q in questions_of(quiz)]
    first = body["questions"][0]
    assert set(first) == {"id", "text", "type", "points", "position", "options"}
    assert set(first["options"][0]) == {"id", "text", "position"}


def test_timed_start_sets_deadline_from_the_time_limit(learner_client, timed):
    with frozen_clock() as clock:
        body = assert_success(learner_client.post(attempts_url(timed)), 201)

    assert parse(body["started_at"]) == clock.now
    assert parse(body["deadline_at"]) == clock.now + timedelta(minutes=10)


def test_start_while_in_progress_returns_the_same_attempt_with_200(learner_client, timed):
    with frozen_clock() as clock:
        first = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=4)

        response = learner_client.post(attempts_url(timed))

    again = assert_success(response, 200)
    assert again == first  # same id, same timer
    assert not response.has_header("Location")
    assert Attempt.objects.count() == 1


def test_start_after_submitting_begins_the_next_attempt(learner_client, quiz):
    first = assert_success(learner_client.post(attempts_url(quiz)), 201)
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    second = assert_success(learner_client.post(attempts_url(quiz)), 201)

    assert second["id"] != first["id"]
    assert second["attempt_number"] == 2


def test_start_at_the_limit_returns_attempt_limit_reached(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, max_attempts=1)
    assert_success(learner_client.post(attempts_url(quiz)), 201)
    assert_success(learner_client.post(attempts_url(quiz)), 200)  # in progress: still allowed
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.post(attempts_url(quiz))

    assert response.status_code == 403
    assert response.json() == LIMIT_REACHED_BODY
    assert Attempt.objects.count() == 1


def test_start_without_enrolment_returns_not_enrolled(other_learner_client, quiz):
    assert_error(other_learner_client.post(attempts_url(quiz)), 403, "NOT_ENROLLED")


def test_start_checks_enrolment_before_readiness(other_learner_client, learner):
    empty = quiz_for(learner, questions=0)

    assert_error(other_learner_client.post(attempts_url(empty)), 403, "NOT_ENROLLED")


def test_start_checks_the_limit_before_readiness(learner, learner_client):
    quiz = quiz_for(learner, questions=1, max_attempts=1)
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    quiz.questions.all().delete()

    response = learner_client.post(attempts_url(quiz))

    assert response.json() == LIMIT_REACHED_BODY


def test_start_without_questions_returns_assessment_not_ready(learner, learner_client):
    empty = quiz_for(learner, questions=0)

    assert_error(learner_client.post(attempts_url(empty)), 422, "ASSESSMENT_NOT_READY")
    assert not Attempt.objects.exists()


def test_start_permission_ladder(
    anon_client,
    instructor_client,
    other_instructor_client,
    admin_client,
    learner_client,
    quiz,
):
    url = attempts_url(quiz)
    assert_error(anon_client.post(url), 401, "UNAUTHORIZED")
    assert_error(other_instructor_client.post(url), 404, "NOT_FOUND")
    assert_error(instructor_client.post(url), 403, "FORBIDDEN")
    assert_error(admin_client.post(url), 403, "FORBIDDEN")
    assert_error(learner_client.post(attempts_url("asmnt_unknown")), 404, "NOT_FOUND")
    assert_success(learner_client.post(url), 201)


def test_start_on_a_draft_assessment_returns_404_to_learners(learner_client, quiz):
    Assessment.objects.filter(pk=quiz.pk).update(status=Assessment.Status.DRAFT)

    assert_error(learner_client.post(attempts_url(quiz)), 404, "NOT_FOUND")


def test_start_on_a_draft_assessment_returns_forbidden_to_its_instructor(instructor_client, quiz):
    Assessment.objects.filter(pk=quiz.pk).update(status=Assessment.Status.DRAFT)

    assert_error(instructor_client.post(attempts_url(quiz)), 403, "FORBIDDEN")


def test_start_closes_an_overdue_attempt_and_starts_a_new_one(learner_client, timed):
    with frozen_clock() as clock:
        first = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=11)

        second = assert_success(learner_client.post(attempts_url(timed)), 201)

    assert second["id"] != first["id"]
    assert second["attempt_number"] == 2
    assert Attempt.objects.get(pk=first["id"]).status == Attempt.Status.EXPIRED
    assert Submission.objects.get().attempt_id == first["id"]


def test_start_after_an_overdue_last_attempt_is_refused_but_the_closure_stays(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10, max_attempts=1)
    with frozen_clock() as clock:
        first = assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=11)

        response = learner_client.post(attempts_url(quiz))

    assert response.json() == LIMIT_REACHED_BODY
    assert Attempt.objects.get(pk=first["id"]).status == Attempt.Status.EXPIRED
    assert Submission.objects.filter(attempt_id=first["id"]).exists()


# --- read --------------------------------------------------------------------------------------


def test_get_attempt_returns_it_with_saved_answers(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    single, multiple, _tf = questions_of(quiz)
    saved = [right(single), answer(multiple, correct_ids(multiple)[:1])]
    assert_success(learner_client.put(answers_url(quiz, started["id"]), {"answers": saved}))

    body = assert_success(learner_client.get(attempt_url(quiz, started["id"])))

    assert set(body) == ATTEMPT_KEYS
    assert body["saved_answers"] == saved
    assert body["status"] == "in_progress"


def test_get_attempt_ladder(
    anon_client,
    learner_client,
    other_learner,
    other_learner_client,
    instructor_client,
    other_instructor_client,
    quiz,
):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    url = attempt_url(quiz, started["id"])
    enroll(other_learner, quiz.course)

    assert_error(anon_client.get(url), 401, "UNAUTHORIZED")
    assert_error(other_learner_client.get(url), 404, "NOT_FOUND")  # another learner's attempt
    assert_error(other_instructor_client.get(url), 404, "NOT_FOUND")
    assert assert_success(instructor_client.get(url))["id"] == started["id"]
    assert_error(learner_client.get(attempt_url(quiz, "att_unknown")), 404, "NOT_FOUND")


def test_get_attempt_under_another_assessment_returns_404(learner, learner_client, quiz):
    other = quiz_for(learner, questions=1)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    assert_error(learner_client.get(attempt_url(other, started["id"])), 404, "NOT_FOUND")


def test_get_overdue_attempt_closes_it(learner_client, timed):
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=10, seconds=31)

        body = assert_success(learner_client.get(attempt_url(timed, started["id"])))

    assert body["status"] == "expired"
    assert Submission.objects.get().attempt_id == started["id"]


def test_get_attempt_within_grace_leaves_it_open(learner_client, timed):
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=10, seconds=30)

        body = assert_success(learner_client.get(attempt_url(timed, started["id"])))

    assert body["status"] == "in_progress"
    assert not Submission.objects.exists()


# --- autosave ----------------------------------------------------------------------------------


def test_save_answers_replaces_the_saved_set(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    single, multiple, true_false = questions_of(quiz)
    url = answers_url(quiz, started["id"])

    first = assert_success(learner_client.put(url, {"answers": [right(single), wrong(true_false)]}))
    second = assert_success(learner_client.put(url, {"answers": [right(multiple)]}))

    assert first["saved_answers"] == [right(single), wrong(true_false)]
    assert second["saved_answers"] == [right(multiple)]
    assert set(second) == ATTEMPT_KEYS
    attempt = Attempt.objects.get()
    assert attempt.saved_answers == {multiple.pk: correct_ids(multiple)}
    assert attempt.saved_at is not None


def test_saved_answers_come_back_in_question_order_with_nulls(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    single, multiple, true_false = questions_of(quiz)
    body = {
        "answers": [
            right(true_false),
            {"question_id": multiple.pk, "selected_option_ids": []},
            {"question_id": single.pk, "selected_option_id": None},
        ]
    }

    saved = assert_success(learner_client.put(answers_url(quiz, started["id"]), body))

    assert saved["saved_answers"] == [
        {"question_id": single.pk, "selected_option_id": None},
        {"question_id": multiple.pk, "selected_option_ids": []},
        right(true_false),
    ]


def test_save_answers_validates_like_a_submission(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    single, multiple, _tf = questions_of(quiz)
    body = {
        "answers": [
            right(single),
            {"question_id": "q_unknown", "selected_option_id": None},
            {"question_id": multiple.pk, "selected_option_id": "opt_unknown"},
            {"question_id": single.pk, "selected_option_id": wrong_ids(single)[0]},
            7,
        ]
    }

    error = assert_error(
        learner_client.put(answers_url(quiz, started["id"]), body), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {
        "answers[1].question_id",
        "answers[2].selected_option_id",
        "answers[3].question_id",
        "answers[4]",
    }
    assert Attempt.objects.get().saved_answers == {}


def test_save_answers_takes_the_seed_shape_on_a_multiple_choice_question(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    _single, multiple, _tf = questions_of(quiz)
    option = correct_ids(multiple)[0]

    saved = assert_success(
        learner_client.put(
            answers_url(quiz, started["id"]),
            {"answers": [{"question_id": multiple.pk, "selected_option_id": option}]},
        )
    )

    assert saved["saved_answers"] == [{"question_id": multiple.pk, "selected_option_ids": [option]}]
    assert Attempt.objects.get().saved_answers == {multiple.pk: [option]}


def test_save_answers_requires_a_list(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    error = assert_error(
        learner_client.put(answers_url(quiz, started["id"]), {}), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"answers"}


def test_save_answers_of_a_closed_attempt_returns_attempt_closed(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.put(answers_url(quiz, started["id"]), {"answers": []})

    assert_error(response, 409, "ATTEMPT_CLOSED")


def test_save_answers_after_deadline_and_grace_returns_time_limit_exceeded(learner_client, timed):
    single, multiple, _tf = questions_of(timed)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        url = answers_url(timed, started["id"])
        clock.advance(minutes=9, seconds=59)
        assert_success(learner_client.put(url, {"answers": [right(single)]}))  # before the deadline
        clock.advance(seconds=32)

        late = learner_client.put(url, {"answers": [right(single), right(multiple)]})

    assert_error(late, 403, "TIME_LIMIT_EXCEEDED")
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.saved_answers == {single.pk: correct_ids(single)}
    submission = Submission.objects.get()
    assert submission.points_earned == 1  # graded from what was saved in time
    # Now closed: saving again is a conflict with its state (SPEC §6: "submitted or expired").
    assert_error(learner_client.put(url, {"answers": []}), 409, "ATTEMPT_CLOSED")


def test_save_answers_at_the_deadline_is_accepted(learner_client, timed):
    single, _m, _tf = questions_of(timed)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=10)

        saved = assert_success(
            learner_client.put(answers_url(timed, started["id"]), {"answers": [right(single)]})
        )

    assert saved["saved_answers"] == [right(single)]


def test_save_answers_in_the_grace_period_is_refused_and_keeps_the_saved_answers(
    learner_client, timed
):
    single, multiple, _tf = questions_of(timed)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        url = answers_url(timed, started["id"])
        assert_success(learner_client.put(url, {"answers": [wrong(single)]}))
        clock.advance(minutes=10, seconds=1)  # past the deadline, within the grace period

        late = learner_client.put(url, {"answers": [right(single), right(multiple)]})

        error = assert_error(late, 403, "TIME_LIMIT_EXCEEDED")
        assert "Submit" in error["message"]
        attempt = Attempt.objects.get()
        assert attempt.status == Attempt.Status.IN_PROGRESS  # still open for a final submission
        assert attempt.saved_answers == {single.pk: wrong_ids(single)[:1]}
        clock.advance(seconds=30)  # past the grace period too: graded from what was saved

        assert_success(learner_client.get(attempts_url(timed)))

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    submission = Submission.objects.get(attempt=attempt)
    assert submission.points_earned == 0
    assert submission.results[0]["selected_option_ids"] == wrong_ids(single)[:1]


def test_submission_in_the_grace_period_after_a_refused_save_is_graded(learner_client, timed):
    single, multiple, _tf = questions_of(timed)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=10, seconds=5)
        url = answers_url(timed, started["id"])
        assert_error(
            learner_client.put(url, {"answers": [right(single)]}), 403, "TIME_LIMIT_EXCEEDED"
        )

        body = {"answers": [right(single), right(multiple)], "attempt_id": started["id"]}
        result = assert_success(learner_client.post(submissions_url(timed), body), 201)

    assert result["answers"][0]["correct"] is True
    assert result["answers"][1]["correct"] is True


def test_save_answers_of_another_learners_attempt_returns_404(
    learner_client, other_learner, other_learner_client, quiz
):
    enroll(other_learner, quiz.course)
    theirs = assert_success(other_learner_client.post(attempts_url(quiz)), 201)

    response = learner_client.put(answers_url(quiz, theirs["id"]), {"answers": []})

    assert_error(response, 404, "NOT_FOUND")


def test_save_answers_ladder(
    anon_client, instructor_client, other_instructor_client, learner, quiz
):
    attempt_id = "att_whatever"
    url = answers_url(quiz, attempt_id)

    assert_error(anon_client.put(url, {"answers": []}), 401, "UNAUTHORIZED")
    assert_error(other_instructor_client.put(url, {"answers": []}), 404, "NOT_FOUND")
    assert_error(instructor_client.put(url, {"answers": []}), 403, "FORBIDDEN")


def test_save_answers_without_enrolment_returns_not_enrolled(learner, learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.DROPPED)

    response = learner_client.put(answers_url(quiz, started["id"]), {"answers": []})

    assert_error(response, 403, "NOT_ENROLLED")


# --- list --------------------------------------------------------------------------------------


def test_learner_lists_own_attempts_oldest_first(
    learner_client, other_learner, other_learner_client, quiz
):
    enroll(other_learner, quiz.course)
    with frozen_clock() as clock:
        first = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
        clock.advance(seconds=5)
        assert_success(other_learner_client.post(attempts_url(quiz)), 201)
        clock.advance(seconds=5)
        second = assert_success(learner_client.post(attempts_url(quiz)), 201)

    response = learner_client.get(attempts_url(quiz))

    listed = assert_success(response)
    assert response.json()["meta"] == {"total": 2, "page": 1, "per_page": 20}
    assert [a["id"] for a in listed] == [first["attempt_id"], second["id"]]
    assert [a["status"] for a in listed] == ["submitted", "in_progress"]
    assert set(listed[0]) == SUMMARY_KEYS


def test_staff_list_everyones_attempts_and_filter_by_learner(
    learner, learner_client, other_learner, other_learner_client, admin_client, quiz
):
    enroll(other_learner, quiz.course)
    assert_success(learner_client.post(attempts_url(quiz)), 201)
    assert_success(other_learner_client.post(attempts_url(quiz)), 201)

    everyone = assert_success(admin_client.get(attempts_url(quiz)))
    filtered = assert_success(admin_client.get(attempts_url(quiz), {"user_id": learner.pk}))

    assert {a["user_id"] for a in everyone} == {learner.pk, other_learner.pk}
    assert [a["user_id"] for a in filtered] == [learner.pk]


def test_list_attempts_ladder(
    anon_client, other_instructor_client, other_learner_client, instructor_client, quiz
):
    assert_error(anon_client.get(attempts_url(quiz)), 401, "UNAUTHORIZED")
    assert_error(other_instructor_client.get(attempts_url(quiz)), 404, "NOT_FOUND")
    assert_error(other_learner_client.get(attempts_url(quiz)), 404, "NOT_FOUND")
    assert assert_success(instructor_client.get(attempts_url(quiz))) == []


def test_list_attempts_closes_overdue_ones(learner_client, timed):
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=15)

        listed = assert_success(learner_client.get(attempts_url(timed)))

    assert [(a["id"], a["status"]) for a in listed] == [(started["id"], "expired")]
    assert Submission.objects.filter(attempt_id=started["id"]).count() == 1


def test_learner_list_closes_only_their_own_overdue_attempts(
    learner_client, other_learner, other_learner_client, timed
):
    enroll(other_learner, timed.course)
    with frozen_clock() as clock:
        mine = assert_success(learner_client.post(attempts_url(timed)), 201)
        theirs = assert_success(other_learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=15)

        assert_success(learner_client.get(attempts_url(timed)))

    assert Attempt.objects.get(pk=mine["id"]).status == Attempt.Status.EXPIRED
    assert Attempt.objects.get(pk=theirs["id"]).status == Attempt.Status.IN_PROGRESS


@pytest.mark.parametrize("route", ["attempts", "attempt", "submissions"])
def test_staff_reads_show_overdue_attempts_as_stored_and_close_nothing(
    learner_client, instructor_client, admin_client, timed, route
):
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        clock.advance(minutes=15)
        url = {
            "attempts": attempts_url(timed),
            "attempt": attempt_url(timed, started["id"]),
            "submissions": submissions_url(timed),
        }[route]

        for client in (instructor_client, admin_client):
            body = assert_success(client.get(url))
            if route == "attempts":
                assert [a["status"] for a in body] == ["in_progress"]
            elif route == "attempt":
                assert body["status"] == "in_progress"
            else:
                assert body == []

        assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS
        assert not Submission.objects.exists()
        # The learner's next touch closes it.
        assert_success(learner_client.get(attempt_url(timed, started["id"])))

    assert Attempt.objects.get().status == Attempt.Status.EXPIRED
    assert Submission.objects.count() == 1


def test_list_attempts_bad_per_page_is_a_validation_error(learner_client, quiz):
    error = assert_error(
        learner_client.get(attempts_url(quiz), {"per_page": "0"}), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"per_page"}


# --- query counts ------------------------------------------------------------------------------

# Token (1), assessment with enrolment (1), overdue attempts (1), savepoint and release (2),
# enrolment lock (1), attempt in progress (1), the time limit and whether there are questions
# (1), attempts used (1), attempt insert (1), then the body's questions and their options (2);
# on PostgreSQL, the attempt's foreign keys checked at once (2).
START_QUERIES = 12 + FK_CHECK_QUERIES


@pytest.mark.parametrize("n_questions", [5, 100])
def test_start_query_count_does_not_grow_with_questions(
    django_assert_num_queries, learner, learner_client, n_questions
):
    quiz = quiz_for(learner, questions=n_questions)

    with django_assert_num_queries(START_QUERIES):
        body = assert_success(learner_client.post(attempts_url(quiz)), 201)

    assert len(body["questions"]) == n_questions


def test_timed_submission_of_all_right_answers_scores_100(learner_client, timed):
    started = assert_success(learner_client.post(attempts_url(timed)), 201)

    result = assert_success(
        learner_client.post(
            submissions_url(timed), {"answers": all_right(timed), "attempt_id": started["id"]}
        ),
        201,
    )

    assert result["score"] == 100.0 and result["passed"] is True
