"""POST/GET /api/v1/assessments/:id/submissions (SPEC §7; the seed's submit and retake parts)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.models import Assessment, Attempt, Option, Question, Submission
from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import (
    FK_CHECK_QUERIES,
    LIMIT_REACHED_BODY,
    all_right,
    answer,
    attempts_url,
    correct_ids,
    frozen_clock,
    quiz_for,
    right,
    submission_url,
    submissions_url,
    wrong,
    wrong_ids,
)
from tests.assessments.factories import (
    AssessmentFactory,
    enroll,
    make_question,
)
from tests.common.assertions import assert_error, assert_success, detail_fields

RESULT_KEYS = {
    "submission_id",
    "assessment_id",
    "user_id",
    "attempt_id",
    "attempt_number",
    "score",
    "passed",
    "submitted_at",
    "answers",
}
SINGLE_ANSWER_KEYS = {
    "question_id",
    "selected_option_id",
    "correct",
    "points_awarded",
    "points_possible",
}


@pytest.fixture
def quiz(learner, instructor):
    return quiz_for(learner, instructor=instructor)


def questions_of(assessment):
    return list(assessment.questions.all())


# --- the seed's example ------------------------------------------------------------------------


def test_seed_submission_example_returns_the_scored_result(learner, learner_client, instructor):
    assessment = quiz_for(learner, instructor=instructor, questions=0, passing_score=70)
    q1, q2, q3 = (make_question(assessment, position=i) for i in (1, 2, 3))

    response = learner_client.post(
        submissions_url(assessment),
        {
            "answers": [
                {"question_id": q1.pk, "selected_option_id": correct_ids(q1)[0]},
                {"question_id": q2.pk, "selected_option_id": wrong_ids(q2)[1]},
                {"question_id": q3.pk, "selected_option_id": correct_ids(q3)[0]},
            ]
        },
    )

    result = assert_success(response, 201)
    submission = Submission.objects.get()
    assert (
        response["Location"] == f"/api/v1/assessments/{assessment.pk}/submissions/{submission.pk}"
    )
    assert set(result) == RESULT_KEYS
    assert result["submission_id"] == submission.pk
    assert result["submission_id"].startswith("sub_")
    assert result["assessment_id"] == assessment.pk
    assert result["user_id"] == learner.pk
    assert result["attempt_id"] == submission.attempt_id
    assert result["attempt_number"] == 1
    assert result["score"] == 66.67
    assert b'"score":66.67' in response.content  # a JSON number, not a string
    assert result["passed"] is False
    assert result["submitted_at"].endswith("Z")
    assert result["answers"] == [
        {
            "question_id": q1.pk,
            "selected_option_id": correct_ids(q1)[0],
            "correct": True,
            "points_awarded": 1,
            "points_possible": 1,
        },
        {
            "question_id": q2.pk,
            "selected_option_id": wrong_ids(q2)[1],
            "correct": False,
            "points_awarded": 0,
            "points_possible": 1,
        },
        {
            "question_id": q3.pk,
            "selected_option_id": correct_ids(q3)[0],
            "correct": True,
            "points_awarded": 1,
            "points_possible": 1,
        },
    ]


def test_seed_body_shape_works_on_a_quiz_that_mixes_question_types(
    learner, learner_client, instructor
):
    """The seed documents only `{question_id, selected_option_id}`; on a multiple_choice
    question it selects that one option."""
    assessment = quiz_for(learner, instructor=instructor, questions=0, passing_score=50)
    single = make_question(assessment, position=1)
    one_right = make_question(assessment, type="multiple_choice", n_options=3, correct=[1])
    two_right = make_question(assessment, type="multiple_choice", n_options=3, correct=[0, 2])
    body = {
        "answers": [
            {"question_id": single.pk, "selected_option_id": correct_ids(single)[0]},
            {"question_id": one_right.pk, "selected_option_id": correct_ids(one_right)[0]},
            {"question_id": two_right.pk, "selected_option_id": correct_ids(two_right)[0]},
        ]
    }

    result = assert_success(learner_client.post(submissions_url(assessment), body), 201)

    assert result["score"] == 66.67  # 2 of 3 points: one of two correct options is not the set
    assert result["answers"] == [
        {
            "question_id": single.pk,
            "selected_option_id": correct_ids(single)[0],
            "correct": True,
            "points_awarded": 1,
            "points_possible": 1,
        },
        {
            "question_id": one_right.pk,
            "selected_option_ids": correct_ids(one_right),
            "correct": True,
            "points_awarded": 1,
            "points_possible": 1,
        },
        {
            "question_id": two_right.pk,
            "selected_option_ids": correct_ids(two_right)[:1],
            "correct": False,
            "points_awarded": 0,
            "points_possible": 1,
        },
    ]
    stored = Submission.objects.get().results
    assert [r["selected_option_ids"] for r in stored] == [
        correct_ids(single),
        correct_ids(one_right),
        correct_ids(two_right)[:1],
    ]


def test_selected_option_id_null_on_a_multiple_choice_question_is_unanswered(learner_client, quiz):
    _single, multiple, _tf = questions_of(quiz)

    result = assert_success(
        learner_client.post(
            submissions_url(quiz),
            {"answers": [{"question_id": multiple.pk, "selected_option_id": None}]},
        ),
        201,
    )

    assert result["answers"][1]["selected_option_ids"] == []
    assert result["answers"][1]["correct"] is False


def test_both_selection_keys_on_a_multiple_choice_question_are_refused(learner_client, quiz):
    _single, multiple, _tf = questions_of(quiz)
    item = {
        "question_id": multiple.pk,
        "selected_option_id": correct_ids(multiple)[0],
        "selected_option_ids": correct_ids(multiple),
    }

    post_invalid(learner_client, quiz, {"answers": [item]}, {"answers[0]"})


def test_seed_get_submission_example_returns_the_same_result(learner_client, quiz):
    created = assert_success(
        learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201
    )

    fetched = assert_success(
        learner_client.get(submission_url(quiz, created["submission_id"])), 200
    )

    assert fetched == created


def test_result_lists_every_question_in_order_with_unanswered_ones(learner_client, quiz):
    single, multiple, true_false = questions_of(quiz)

    result = assert_success(
        learner_client.post(submissions_url(quiz), {"answers": [right(true_false)]}), 201
    )

    assert [a["question_id"] for a in result["answers"]] == [single.pk, multiple.pk, true_false.pk]
    assert result["answers"][0] == {
        "question_id": single.pk,
        "selected_option_id": None,
        "correct": False,
        "points_awarded": 0,
        "points_possible": 1,
    }
    assert result["answers"][1] == {
        "question_id": multiple.pk,
        "selected_option_ids": [],
        "correct": False,
        "points_awarded": 0,
        "points_possible": 2,
    }
    assert result["answers"][2]["correct"] is True
    assert result["score"] == 25.0  # 1 of 4 points


def test_multiple_choice_earns_points_only_for_the_exact_set(learner_client, quiz):
    _single, multiple, _tf = questions_of(quiz)
    right_set = correct_ids(multiple)
    subset = answer(multiple, right_set[:1])
    superset = answer(multiple, [*right_set, wrong_ids(multiple)[0]])

    for given, expected in [(subset, False), (superset, False), (right(multiple), True)]:
        result = assert_success(
            learner_client.post(submissions_url(quiz), {"answers": [given]}), 201
        )
        assert result["answers"][1]["correct"] is expected
        assert result["answers"][1]["points_awarded"] == (2 if expected else 0)
        assert result["answers"][1]["selected_option_ids"] == given["selected_option_ids"]


def test_explicit_null_and_empty_list_are_unanswered(learner_client, quiz):
    single, multiple, _tf = questions_of(quiz)
    body = {
        "answers": [
            {"question_id": single.pk, "selected_option_id": None},
            {"question_id": multiple.pk, "selected_option_ids": []},
        ]
    }

    result = assert_success(learner_client.post(submissions_url(quiz), body), 201)

    assert result["answers"][0]["selected_option_id"] is None
    assert result["answers"][1]["selected_option_ids"] == []
    assert result["score"] == 0.0


def test_passing_is_score_at_least_the_pass_mark(learner, learner_client, instructor):
    assessment = quiz_for(learner, instructor=instructor, questions=0, passing_score=75)
    questions = [make_question(assessment, position=i) for i in range(1, 5)]

    three_of_four = [right(q) for q in questions[:3]] + [wrong(questions[3])]
    result = assert_success(
        learner_client.post(submissions_url(assessment), {"answers": three_of_four}), 201
    )

    assert result["score"] == 75.0
    assert result["passed"] is True


# --- who may submit ----------------------------------------------------------------------------


def test_submit_anonymous_returns_401(anon_client, quiz):
    response = anon_client.post(submissions_url(quiz), {"answers": []})

    assert_error(response, 401, "UNAUTHORIZED")


def test_submit_without_enrolment_returns_not_enrolled(other_learner_client, quiz):
    response = other_learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    assert_error(response, 403, "NOT_ENROLLED")
    assert not Attempt.objects.exists()


def test_submit_with_dropped_enrolment_returns_not_enrolled(learner, learner_client, quiz):
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.DROPPED)

    response = learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    assert_error(response, 403, "NOT_ENROLLED")


def test_submit_with_completed_enrolment_is_allowed(learner, learner_client, quiz):
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.COMPLETED)

    response = learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    assert_success(response, 201)


@pytest.mark.parametrize("what", ["draft_assessment", "draft_course", "unknown"])
def test_submit_to_an_unpublished_or_unknown_assessment_returns_404(learner_client, quiz, what):
    if what == "draft_assessment":
        Assessment.objects.filter(pk=quiz.pk).update(status=Assessment.Status.DRAFT)
    elif what == "draft_course":
        quiz.course.status = "draft"
        quiz.course.save()
    assessment_id = "asmnt_doesnotexist000000" if what == "unknown" else quiz.pk

    response = learner_client.post(submissions_url(assessment_id), {"answers": []})

    assert_error(response, 404, "NOT_FOUND")


def test_submit_by_owning_instructor_or_admin_returns_forbidden(
    instructor_client, admin_client, quiz
):
    for client in (instructor_client, admin_client):
        error = assert_error(
            client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 403, "FORBIDDEN"
        )
        assert error["message"] == "Only learners take assessments."
    assert not Attempt.objects.exists()


def test_submit_by_other_instructor_returns_404(other_instructor_client, quiz):
    response = other_instructor_client.post(submissions_url(quiz), {"answers": []})

    assert_error(response, 404, "NOT_FOUND")


# --- validation --------------------------------------------------------------------------------


def post_invalid(client, assessment, body, fields):
    error = assert_error(client.post(submissions_url(assessment), body), 422, "VALIDATION_ERROR")
    assert detail_fields(error) == set(fields), error["details"]
    return error


@pytest.mark.parametrize("body", [{}, {"answers": None}, {"answers": "x"}, {"answers": {}}])
def test_answers_missing_or_not_a_list_is_a_validation_error(learner_client, quiz, body):
    post_invalid(learner_client, quiz, body, {"answers"})


def test_answer_item_not_an_object_points_at_the_item(learner_client, quiz):
    single, _m, _tf = questions_of(quiz)

    post_invalid(
        learner_client, quiz, {"answers": [right(single), "q_1", 3]}, {"answers[1]", "answers[2]"}
    )


def test_unknown_question_or_one_of_another_assessment_points_at_question_id(
    learner, learner_client, quiz
):
    other = quiz_for(learner, questions=1)
    single, multiple, _tf = questions_of(quiz)
    foreign = other.questions.get()
    body = {
        "answers": [
            right(single),
            right(multiple),
            right(foreign),
            {"question_id": "q_nope", "selected_option_id": None},
        ]
    }

    post_invalid(learner_client, quiz, body, {"answers[2].question_id", "answers[3].question_id"})


def test_option_outside_its_question_points_at_the_option(learner_client, quiz):
    single, multiple, true_false = questions_of(quiz)
    body = {
        "answers": [
            {"question_id": single.pk, "selected_option_id": correct_ids(true_false)[0]},
            {
                "question_id": multiple.pk,
                "selected_option_ids": [correct_ids(multiple)[0], "opt_x"],
            },
            {"question_id": true_false.pk, "selected_option_id": "opt_unknown"},
        ]
    }

    post_invalid(
        learner_client,
        quiz,
        body,
        {
            "answers[0].selected_option_id",
            "answers[1].selected_option_ids[1]",
            "answers[2].selected_option_id",
        },
    )


def test_question_answered_twice_points_at_the_repeat(learner_client, quiz):
    single, multiple, true_false = questions_of(quiz)
    body = {"answers": [right(single), right(multiple), right(true_false), wrong(single)]}

    post_invalid(learner_client, quiz, body, {"answers[3].question_id"})


def test_wrong_answer_shapes_point_at_the_item(learner_client, quiz):
    single, multiple, true_false = questions_of(quiz)
    body = {
        "answers": [
            {"question_id": single.pk, "selected_option_ids": correct_ids(single)},
            {"question_id": multiple.pk, "selected_option_id": "opt_unknown"},
            {"question_id": true_false.pk, "selected_option_ids": [*correct_ids(true_false)]},
        ]
    }

    post_invalid(
        learner_client,
        quiz,
        body,
        {
            "answers[0].selected_option_ids",
            "answers[1].selected_option_id",
            "answers[2].selected_option_ids",
        },
    )


def test_single_choice_with_more_than_one_option_is_refused(learner_client, quiz):
    single, _m, true_false = questions_of(quiz)
    body = {
        "answers": [
            {"question_id": single.pk, "selected_option_ids": [o.pk for o in single.options.all()]},
            {"question_id": true_false.pk, "selected_option_ids": wrong_ids(true_false)},
        ]
    }

    post_invalid(
        learner_client,
        quiz,
        body,
        {"answers[0].selected_option_ids", "answers[1].selected_option_ids"},
    )


def test_both_or_neither_selection_keys_point_at_the_item(learner_client, quiz):
    single, multiple, _tf = questions_of(quiz)
    body = {
        "answers": [
            {
                "question_id": single.pk,
                "selected_option_id": correct_ids(single)[0],
                "selected_option_ids": correct_ids(single),
            },
            {"question_id": multiple.pk},
        ]
    }

    post_invalid(learner_client, quiz, body, {"answers[0]", "answers[1]"})


def test_non_string_ids_and_duplicates_are_refused(learner_client, quiz):
    single, multiple, true_false = questions_of(quiz)
    option = correct_ids(multiple)[0]
    body = {
        "answers": [
            {"question_id": 17, "selected_option_id": None},
            {"question_id": single.pk, "selected_option_id": 4},
            {"question_id": multiple.pk, "selected_option_ids": [option, 5, option]},
            {"question_id": true_false.pk, "selected_option_id": True},
        ],
        "attempt_id": 12,
    }

    post_invalid(
        learner_client,
        quiz,
        body,
        {
            "answers[0].question_id",
            "answers[1].selected_option_id",
            "answers[2].selected_option_ids[1]",
            "answers[3].selected_option_id",
            "attempt_id",
        },
    )


def test_duplicate_option_ids_are_refused(learner_client, quiz):
    _s, multiple, _tf = questions_of(quiz)
    option = correct_ids(multiple)[0]

    post_invalid(
        learner_client,
        quiz,
        {"answers": [{"question_id": multiple.pk, "selected_option_ids": [option, option]}]},
        {"answers[0].selected_option_ids"},
    )


def test_every_problem_is_reported_at_once(learner_client, quiz):
    single, multiple, _tf = questions_of(quiz)
    body = {
        "answers": [
            "not an object",
            {"question_id": "q_unknown", "selected_option_id": None},
            {"question_id": single.pk, "selected_option_id": 5},
            {"question_id": multiple.pk, "selected_option_ids": ["opt_elsewhere"]},
        ]
    }

    post_invalid(
        learner_client,
        quiz,
        body,
        {
            "answers[0]",
            "answers[1].question_id",
            "answers[2].selected_option_id",
            "answers[3].selected_option_ids[0]",
        },
    )


def test_malformed_submission_changes_nothing(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, max_attempts=1)
    single, _m, _tf = questions_of(quiz)

    post_invalid(
        learner_client,
        quiz,
        {"answers": [right(single), right(single)]},
        {"answers[1].question_id"},
    )
    post_invalid(learner_client, quiz, {"answers": "nope"}, {"answers"})

    assert not Attempt.objects.exists()
    assert not Submission.objects.exists()
    assert_success(learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201)


def test_assessment_without_questions_is_not_ready(learner, learner_client):
    empty = quiz_for(learner, questions=0)

    error = assert_error(
        learner_client.post(submissions_url(empty), {"answers": []}), 422, "ASSESSMENT_NOT_READY"
    )

    assert error["details"] == []
    assert not Attempt.objects.exists()


# --- attempts and retakes ----------------------------------------------------------------------


def test_retakes_are_unlimited_by_default_and_numbered(learner_client, quiz):
    numbers = [
        assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)[
            "attempt_number"
        ]
        for _ in range(4)
    ]

    assert numbers == [1, 2, 3, 4]
    assert Submission.objects.count() == 4


def test_submit_after_limit_returns_attempt_limit_reached(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, max_attempts=2)
    for _ in range(2):
        assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    assert response.status_code == 403
    assert response.json() == LIMIT_REACHED_BODY
    assert Attempt.objects.count() == 2


def test_attempt_in_progress_counts_towards_the_limit_and_may_still_be_submitted(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, max_attempts=2)
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    result = assert_success(
        learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201
    )

    assert result["attempt_id"] == started["id"]
    assert result["attempt_number"] == 2
    response = learner_client.post(submissions_url(quiz), {"answers": []})
    assert response.status_code == 403 and response.json() == LIMIT_REACHED_BODY


def test_untimed_submission_uses_the_attempt_in_progress(learner_client, quiz):
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    result = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    assert result["attempt_id"] == started["id"]
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED
    assert Attempt.objects.count() == 1


def test_one_call_submission_creates_a_submitted_attempt(learner, learner_client, quiz):
    result = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    attempt = Attempt.objects.get()
    assert attempt.pk == result["attempt_id"]
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.user == learner
    assert attempt.deadline_at is None
    assert attempt.closed_at == attempt.started_at


def test_timed_assessment_without_attempt_returns_attempt_required(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)

    response = learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    assert_error(response, 409, "ATTEMPT_REQUIRED")
    assert not Attempt.objects.exists()


def test_timed_assessment_submits_the_started_attempt(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    with_id = {"answers": all_right(quiz), "attempt_id": started["id"]}
    result = assert_success(learner_client.post(submissions_url(quiz), with_id), 201)

    assert result["attempt_id"] == started["id"]
    assert result["score"] == 100.0
    assert Attempt.objects.get().status == Attempt.Status.SUBMITTED


def test_timed_assessment_without_attempt_id_uses_the_attempt_in_progress(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    result = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    assert result["attempt_id"] == started["id"]


def test_submitting_a_submitted_attempt_returns_attempt_closed(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    body = {"answers": [], "attempt_id": started["id"]}
    assert_success(learner_client.post(submissions_url(quiz), body), 201)

    assert_error(learner_client.post(submissions_url(quiz), body), 409, "ATTEMPT_CLOSED")
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("closed_by", ["command", "learner_reading_attempts"])
def test_submitting_an_attempt_already_closed_at_its_deadline_returns_time_limit_exceeded(
    learner, learner_client, instructor, closed_by
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=11)
        if closed_by == "command":
            call_command("close_expired_attempts", stdout=io.StringIO())
        else:
            assert_success(learner_client.get(attempts_url(quiz)))
        assert Attempt.objects.get().status == Attempt.Status.EXPIRED

        late = learner_client.post(
            submissions_url(quiz), {"answers": all_right(quiz), "attempt_id": started["id"]}
        )
        without_id = learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    # SPEC §6: a submission for an attempt closed at its deadline is 403 TIME_LIMIT_EXCEEDED
    # whoever closed it first; 409 ATTEMPT_CLOSED is only for an attempt already submitted.
    assert_error(late, 403, "TIME_LIMIT_EXCEEDED")
    # No attempt named and none in progress: a timed assessment must be started first.
    assert_error(without_id, 409, "ATTEMPT_REQUIRED")
    assert Submission.objects.count() == 1  # the expired attempt's own result
    assert Submission.objects.get().points_earned == 0


def test_attempt_id_of_another_learner_or_assessment_returns_404(
    learner, learner_client, other_learner, other_learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    enroll(other_learner, quiz.course)
    others = assert_success(other_learner_client.post(attempts_url(quiz)), 201)
    second = AssessmentFactory(course=quiz.course, questions=1, time_limit_minutes=10)
    mine_elsewhere = assert_success(learner_client.post(attempts_url(second)), 201)

    for attempt_id in (others["id"], mine_elsewhere["id"], "att_unknown"):
        body = {"answers": [], "attempt_id": attempt_id}
        assert_error(learner_client.post(submissions_url(quiz), body), 404, "NOT_FOUND")
    assert not Submission.objects.exists()


# --- time limits -------------------------------------------------------------------------------


def test_submission_within_grace_period_is_accepted(learner, learner_client, instructor, settings):
    settings.ATTEMPT_GRACE_SECONDS = 30
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=10, seconds=30)

        body = {"answers": all_right(quiz), "attempt_id": started["id"]}
        result = assert_success(learner_client.post(submissions_url(quiz), body), 201)

    assert result["score"] == 100.0


def test_submission_after_deadline_and_grace_returns_time_limit_exceeded_and_grades_saved_answers(
    learner, learner_client, instructor, settings
):
    settings.ATTEMPT_GRACE_SECONDS = 30
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10, max_attempts=3)
    single, multiple, true_false = questions_of(quiz)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(quiz)), 201)
        saved = {"answers": [right(single), wrong(multiple)]}
        assert_success(learner_client.put(f"{attempts_url(quiz)}/{started['id']}/answers", saved))
        clock.advance(minutes=10, seconds=31)

        body = {"answers": all_right(quiz), "attempt_id": started["id"]}
        error = assert_error(
            learner_client.post(submissions_url(quiz), body), 403, "TIME_LIMIT_EXCEEDED"
        )

    assert error["details"] == []
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.EXPIRED
    submission = Submission.objects.get()
    assert submission.attempt == attempt
    assert submission.points_earned == 1  # the saved answers, not the late ones
    assert str(submission.score) == "25.00"
    assert submission.submitted_at == attempt.deadline_at
    results = {r["question_id"]: r for r in submission.results}
    assert results[single.pk]["correct"] is True
    assert results[multiple.pk]["correct"] is False
    assert results[true_false.pk]["selected_option_ids"] == []
    listed = assert_success(learner_client.get(submissions_url(quiz)))
    assert [s["submission_id"] for s in listed] == [submission.pk]
    assert listed[0]["attempt_id"] == started["id"]


def test_late_submission_without_attempt_id_also_returns_time_limit_exceeded(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=5)
    with frozen_clock() as clock:
        assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=6)

        response = learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)})

    assert_error(response, 403, "TIME_LIMIT_EXCEEDED")
    assert Attempt.objects.get().status == Attempt.Status.EXPIRED
    assert Submission.objects.get().score == 0


def test_expired_attempt_counts_towards_the_limit(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=5, max_attempts=1)
    with frozen_clock() as clock:
        assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=6)
        assert_error(
            learner_client.post(submissions_url(quiz), {"answers": []}), 403, "TIME_LIMIT_EXCEEDED"
        )

        response = learner_client.post(submissions_url(quiz), {"answers": []})

    assert response.status_code == 403 and response.json() == LIMIT_REACHED_BODY


@pytest.mark.django_db(transaction=True)
def test_time_limit_closure_is_committed_although_the_request_fails(api_client_for):
    learner = LearnerFactory()
    quiz = quiz_for(learner, time_limit_minutes=5)
    client = api_client_for(learner)
    with frozen_clock() as clock:
        started = assert_success(client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=6)
        body = {"answers": [], "attempt_id": started["id"]}

        assert_error(client.post(submissions_url(quiz), body), 403, "TIME_LIMIT_EXCEEDED")

    connection.close()  # a fresh connection sees only what was committed
    assert Attempt.objects.get().status == Attempt.Status.EXPIRED
    assert Submission.objects.filter(attempt_id=started["id"]).exists()


# --- reading results ---------------------------------------------------------------------------


def test_another_learners_submission_returns_404(
    learner_client, other_learner, other_learner_client, quiz
):
    enroll(other_learner, quiz.course)
    theirs = assert_success(other_learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.get(submission_url(quiz, theirs["submission_id"]))

    assert_error(response, 404, "NOT_FOUND")


def test_submission_under_another_assessment_path_returns_404(learner, learner_client, quiz):
    other = quiz_for(learner, questions=1)
    mine = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.get(submission_url(other, mine["submission_id"]))

    assert_error(response, 404, "NOT_FOUND")


def test_get_submission_permission_ladder(
    anon_client, learner_client, instructor_client, other_instructor_client, admin_client, quiz
):
    created = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    url = submission_url(quiz, created["submission_id"])

    assert_error(anon_client.get(url), 401, "UNAUTHORIZED")
    assert_error(other_instructor_client.get(url), 404, "NOT_FOUND")
    assert assert_success(instructor_client.get(url))["submission_id"] == created["submission_id"]
    assert assert_success(admin_client.get(url))["submission_id"] == created["submission_id"]
    assert_error(learner_client.get(submission_url(quiz, "sub_unknown")), 404, "NOT_FOUND")


def test_learner_whose_enrolment_was_dropped_cannot_read_results(learner, learner_client, quiz):
    created = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.DROPPED)

    response = learner_client.get(submission_url(quiz, created["submission_id"]))

    assert_error(response, 404, "NOT_FOUND")


def test_learner_lists_only_own_submissions_in_order(
    learner_client, other_learner, other_learner_client, quiz
):
    enroll(other_learner, quiz.course)
    with frozen_clock() as clock:
        mine = []
        for _ in range(3):
            mine.append(
                assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
            )
            clock.advance(seconds=1)
            assert_success(other_learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.get(submissions_url(quiz), {"per_page": 2})

    page = assert_success(response)
    assert response.json()["meta"] == {"total": 3, "page": 1, "per_page": 2}
    assert [s["submission_id"] for s in page] == [m["submission_id"] for m in mine[:2]]
    page2 = assert_success(learner_client.get(submissions_url(quiz), {"page": 2, "per_page": 2}))
    assert [s["submission_id"] for s in page2] == [mine[2]["submission_id"]]
    assert page[0] == mine[0]


def test_staff_list_all_submissions_and_filter_by_learner(
    learner, learner_client, other_learner, other_learner_client, instructor_client, quiz
):
    enroll(other_learner, quiz.course)
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    assert_success(other_learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    everyone = assert_success(instructor_client.get(submissions_url(quiz)))
    only = assert_success(
        instructor_client.get(submissions_url(quiz), {"user_id": other_learner.pk})
    )

    assert {s["user_id"] for s in everyone} == {learner.pk, other_learner.pk}
    assert [s["user_id"] for s in only] == [other_learner.pk]


def test_learner_user_id_filter_never_shows_other_learners(
    learner_client, other_learner, other_learner_client, quiz
):
    enroll(other_learner, quiz.course)
    assert_success(other_learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    listed = assert_success(
        learner_client.get(submissions_url(quiz), {"user_id": other_learner.pk})
    )

    assert listed == []


def test_list_submissions_ladder(anon_client, other_instructor_client, other_learner_client, quiz):
    assert_error(anon_client.get(submissions_url(quiz)), 401, "UNAUTHORIZED")
    assert_error(other_instructor_client.get(submissions_url(quiz)), 404, "NOT_FOUND")
    assert_error(other_learner_client.get(submissions_url(quiz)), 404, "NOT_FOUND")


def test_list_submissions_bad_page_is_a_validation_error(learner_client, quiz):
    error = assert_error(
        learner_client.get(submissions_url(quiz), {"page": "x"}), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"page"}


# --- review setting ----------------------------------------------------------------------------


def set_review(assessment, setting):
    Assessment.objects.filter(pk=assessment.pk).update(show_correct_answers=setting)


def test_review_never_hides_correct_options_and_explanations(learner_client, quiz):
    set_review(quiz, Assessment.Review.NEVER)

    result = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    single, multiple, _tf = result["answers"]
    assert set(single) == SINGLE_ANSWER_KEYS
    assert set(multiple) == SINGLE_ANSWER_KEYS - {"selected_option_id"} | {"selected_option_ids"}


def test_review_after_submission_shows_correct_options_and_explanations(learner_client, quiz):
    set_review(quiz, Assessment.Review.AFTER_SUBMISSION)
    single, multiple, _tf = questions_of(quiz)

    result = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    assert result["answers"][0]["correct_option_ids"] == correct_ids(single)
    assert result["answers"][0]["explanation"] == single.explanation
    assert result["answers"][1]["correct_option_ids"] == correct_ids(multiple)
    assert result["passed"] is False


def test_review_after_passing_shows_answers_only_on_passing_results(learner_client, quiz):
    set_review(quiz, Assessment.Review.AFTER_PASSING)

    failed = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    passed = assert_success(
        learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201
    )

    assert all("correct_option_ids" not in a for a in failed["answers"])
    assert all("correct_option_ids" in a and "explanation" in a for a in passed["answers"])
    # A later pass does not open the earlier failed result.
    again = assert_success(learner_client.get(submission_url(quiz, failed["submission_id"])))
    assert all("correct_option_ids" not in a and "explanation" not in a for a in again["answers"])


def test_review_setting_is_applied_when_results_are_read(learner_client, quiz):
    created = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    set_review(quiz, Assessment.Review.AFTER_SUBMISSION)

    fetched = assert_success(learner_client.get(submission_url(quiz, created["submission_id"])))

    assert all("correct_option_ids" in a for a in fetched["answers"])


def test_staff_see_correct_options_whatever_the_review_setting(
    learner_client, instructor_client, quiz
):
    created = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    fetched = assert_success(instructor_client.get(submission_url(quiz, created["submission_id"])))

    assert all("correct_option_ids" in a and "explanation" in a for a in fetched["answers"])


# --- snapshot ----------------------------------------------------------------------------------


def test_result_is_a_snapshot_unchanged_by_later_edits(learner_client, instructor_client, quiz):
    set_review(quiz, Assessment.Review.AFTER_SUBMISSION)
    single, multiple, true_false = questions_of(quiz)
    answers = [right(single), wrong(multiple), right(true_false)]
    created = assert_success(learner_client.post(submissions_url(quiz), {"answers": answers}), 201)
    before_learner = assert_success(
        learner_client.get(submission_url(quiz, created["submission_id"]))
    )

    # Edit everything the result depends on: the answer key, points, texts, the pass mark,
    # and delete a question.
    Option.objects.filter(question=single).update(is_correct=False)
    Option.objects.filter(pk=wrong_ids(single)[0]).update(is_correct=True)
    Question.objects.filter(pk=multiple.pk).update(points=50, explanation="Changed.")
    Assessment.objects.filter(pk=quiz.pk).update(passing_score=10)
    true_false.delete()
    make_question(quiz, position=9)

    after = assert_success(learner_client.get(submission_url(quiz, created["submission_id"])))
    assert after == before_learner
    assert after["score"] == 50.0
    assert after["passed"] is False  # although 50 would pass the new pass mark of 10
    assert len(after["answers"]) == 3
    staff_view = assert_success(instructor_client.get(submissions_url(quiz)))
    assert staff_view[0]["answers"] == after["answers"]


def test_stored_submission_keeps_pass_mark_and_points(learner_client, quiz):
    assert_success(learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201)
    Assessment.objects.filter(pk=quiz.pk).update(passing_score=100)

    submission = Submission.objects.get()

    assert submission.passing_score == 70
    assert (submission.points_earned, submission.points_possible) == (4, 4)
    assert submission.passed is True


# --- query counts ------------------------------------------------------------------------------


def submit_queries(django_assert_num_queries, learner, client, n_questions, expected):
    quiz = quiz_for(learner, questions=n_questions)
    body = {"answers": all_right(quiz)}
    with django_assert_num_queries(expected):
        assert_success(client.post(submissions_url(quiz), body), 201)


# Token (1), assessment with enrolment (1), overdue attempts (1), savepoint and release (2; in a
# request the transaction's BEGIN/COMMIT are not queries), enrolment lock (1), attempt in
# progress (1), attempts used (1), questions and their options (2), attempt insert (1),
# submission insert (1), progress (1) and the enrolment's update (1); on PostgreSQL, the new
# rows' foreign keys checked at once (2).
SUBMIT_QUERIES = 14 + FK_CHECK_QUERIES


@pytest.mark.parametrize("n_questions", [5, 100])
def test_one_call_submit_query_count_does_not_grow_with_questions(
    django_assert_num_queries, learner, learner_client, n_questions
):
    submit_queries(django_assert_num_queries, learner, learner_client, n_questions, SUBMIT_QUERIES)


# --- transport errors --------------------------------------------------------------------------


def test_submit_with_malformed_json_returns_bad_request(learner_client, quiz):
    response = learner_client.post(
        submissions_url(quiz), data='{"answers": [', content_type="application/json"
    )

    assert_error(response, 400, "BAD_REQUEST")
    assert not Attempt.objects.exists()


def test_submit_as_form_data_returns_unsupported_media_type(learner_client, quiz):
    response = learner_client.post(submissions_url(quiz), {"answers": "x"}, format="multipart")

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_unsupported_method_returns_method_not_allowed(learner_client, quiz):
    created = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    response = learner_client.delete(submission_url(quiz, created["submission_id"]))

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert Submission.objects.exists()


@pytest.mark.parametrize("n_submissions", [2, 12])
def test_list_submissions_query_count_does_not_grow_with_rows(
    django_assert_num_queries, learner_client, quiz, n_submissions
):
    for _ in range(n_submissions):
        assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    # Token, assessment, overdue attempts, count, page.
    with django_assert_num_queries(5):
        listed = assert_success(learner_client.get(submissions_url(quiz)))

    assert len(listed) == n_submissions
