"""Course completion and progress from passing submissions (SPEC §8)."""

from datetime import datetime
from decimal import Decimal

import pytest

from assessments.models import Assessment
from enrollments import progress
from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import (
    all_right,
    attempts_url,
    frozen_clock,
    right,
    submissions_url,
)
from tests.assessments.factories import AssessmentFactory, enroll, published_course
from tests.common.assertions import assert_success


def parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


@pytest.fixture
def course(instructor):
    return published_course(instructor)


@pytest.fixture
def enrollment(learner, course):
    return enroll(learner, course)


def quizzes(course, n, **fields):
    return [AssessmentFactory(course=course, questions=2, **fields) for _ in range(n)]


def pass_quiz(client, quiz):
    result = assert_success(client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201)
    assert result["passed"] is True
    return result


def fail_quiz(client, quiz):
    result = assert_success(client.post(submissions_url(quiz), {"answers": []}), 201)
    assert result["passed"] is False
    return result


def test_progress_is_the_share_of_published_assessments_passed(learner_client, course, enrollment):
    first, _second, _third = quizzes(course, 3)

    pass_quiz(learner_client, first)

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == Decimal("33.33")
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.completed_at is None


def test_failing_submissions_do_not_count(learner_client, course, enrollment):
    first, _second = quizzes(course, 2)

    fail_quiz(learner_client, first)

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == Decimal("0.00")


def test_passing_every_published_assessment_completes_the_enrolment(
    learner_client, course, enrollment
):
    first, second = quizzes(course, 2)
    with frozen_clock() as clock:
        pass_quiz(learner_client, first)
        clock.advance(minutes=3)
        fail_quiz(learner_client, second)
        clock.advance(minutes=3)
        completing = pass_quiz(learner_client, second)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == Decimal("100.00")
    assert enrollment.completed_at == parse(completing["submitted_at"])


def test_draft_assessments_do_not_count(learner_client, course, enrollment):
    (published,) = quizzes(course, 1)
    quizzes(course, 2, status=Assessment.Status.DRAFT)

    pass_quiz(learner_client, published)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == Decimal("100.00")


def test_a_pass_after_a_failure_counts_and_a_failure_after_a_pass_does_not_undo_it(
    learner_client, course, enrollment
):
    first, _second = quizzes(course, 2)

    fail_quiz(learner_client, first)
    pass_quiz(learner_client, first)
    fail_quiz(learner_client, first)

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == Decimal("50.00")


def test_completion_is_final(learner, learner_client, course, enrollment):
    (first,) = quizzes(course, 1)
    with frozen_clock():
        completing = pass_quiz(learner_client, first)
    (added,) = quizzes(course, 1)  # a new assessment published after completion

    fail_quiz(learner_client, added)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at == parse(completing["submitted_at"])
    assert enrollment.progress_percent == Decimal("100.00")  # never lowered


def test_completed_enrolment_may_still_take_assessments(learner_client, course, enrollment):
    (first,) = quizzes(course, 1)
    pass_quiz(learner_client, first)

    again = pass_quiz(learner_client, first)

    assert again["attempt_number"] == 2


def test_progress_concerns_only_the_assessments_course(learner, learner_client, course, enrollment):
    (mine,) = quizzes(course, 1)
    other_course = published_course()
    other_enrollment = enroll(learner, other_course)
    quizzes(other_course, 2)

    pass_quiz(learner_client, mine)

    other_enrollment.refresh_from_db()
    assert other_enrollment.progress_percent == Decimal("0.00")
    assert other_enrollment.status == Enrollment.Status.ACTIVE


def test_passing_expiry_grading_can_complete_the_course(learner_client, course, enrollment):
    (timed,) = quizzes(course, 1, time_limit_minutes=5)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        url = f"{attempts_url(timed)}/{started['id']}/answers"
        assert_success(learner_client.put(url, {"answers": all_right(timed)}))
        clock.advance(minutes=7)

        assert_success(learner_client.get(attempts_url(timed)))  # touching closes it

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at == parse(started["deadline_at"])


def test_progress_update_service_recomputes_from_stored_submissions(
    learner_client, course, enrollment
):
    first, second = quizzes(course, 2)
    passed = pass_quiz(learner_client, first)
    Assessment.objects.filter(pk=second.pk).update(status=Assessment.Status.DRAFT)

    progress.enrollment_progress_update(enrollment=enrollment)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    # The set is the pass of `first` alone: completed when it was submitted, not now.
    assert enrollment.completed_at == parse(passed["submitted_at"])


def test_completed_at_is_the_expired_attempts_deadline_when_its_grading_completes_the_set(
    learner_client, course, enrollment
):
    timed, untimed = quizzes(course, 1, time_limit_minutes=5) + quizzes(course, 1)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        url = f"{attempts_url(timed)}/{started['id']}/answers"
        assert_success(learner_client.put(url, {"answers": all_right(timed)}))
        clock.advance(minutes=6)  # past the timed attempt's deadline
        passed = pass_quiz(learner_client, untimed)
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.ACTIVE
        clock.advance(minutes=1)

        assert_success(learner_client.get(attempts_url(timed)))  # closes it, graded as passed

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    # The expired attempt's result completed the set; it is dated at its deadline, which is
    # before the other pass.
    assert parse(started["deadline_at"]) < parse(passed["submitted_at"])
    assert enrollment.completed_at == parse(started["deadline_at"])


def test_completed_at_uses_the_most_recent_pass_of_each_assessment(
    learner_client, course, enrollment
):
    first, second = quizzes(course, 2)
    with frozen_clock() as clock:
        pass_quiz(learner_client, first)
        clock.advance(minutes=1)
        latest_first = pass_quiz(learner_client, first)
        clock.advance(minutes=1)
        Assessment.objects.filter(pk=second.pk).update(status=Assessment.Status.DRAFT)

        progress.enrollment_progress_update(enrollment=enrollment)

    enrollment.refresh_from_db()
    assert enrollment.completed_at == parse(latest_first["submitted_at"])


def test_progress_update_with_no_published_assessments_changes_nothing(course, enrollment):
    quizzes(course, 1, status=Assessment.Status.DRAFT)

    progress.enrollment_progress_update(enrollment=enrollment)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.progress_percent == Decimal("0.00")


def test_weighted_single_question_pass(learner_client, course, enrollment):
    quiz = AssessmentFactory(course=course, questions=1, passing_score=100)

    assert_success(
        learner_client.post(submissions_url(quiz), {"answers": [right(quiz.questions.get())]}),
        201,
    )

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED


# --- the set of published assessments changes --------------------------------------------------


def assessment_url(assessment):
    return f"/api/v1/assessments/{assessment.pk}"


def test_unpublishing_the_failed_assessment_completes_the_enrolment(
    learner_client, instructor_client, course, enrollment
):
    passed_one, failed_one = quizzes(course, 2)
    with frozen_clock() as clock:
        passed = pass_quiz(learner_client, passed_one)
        clock.advance(minutes=2)
        fail_quiz(learner_client, failed_one)
        clock.advance(minutes=2)

        assert_success(
            instructor_client.patch(assessment_url(failed_one), {"status": "draft"}), 200
        )

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == Decimal("100.00")
    # No submission completed the set: the latest pass among the remaining assessments did.
    assert enrollment.completed_at == parse(passed["submitted_at"])


def test_publishing_a_new_assessment_lowers_an_active_learners_progress(
    learner_client, instructor_client, course, enrollment
):
    first, _second = quizzes(course, 2)
    pass_quiz(learner_client, first)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == Decimal("50.00")

    body = {"course_id": course.pk, "title": "Added later", "passing_score": 50}
    assert_success(instructor_client.post("/api/v1/assessments", body), 201)

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == Decimal("33.33")
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_publishing_a_draft_lowers_progress_but_never_a_completed_enrolment(
    learner, learner_client, instructor_client, api_client_for, course, enrollment
):
    first, second = quizzes(course, 2)
    (draft,) = quizzes(course, 1, status=Assessment.Status.DRAFT)
    other = LearnerFactory()
    other_enrollment = enroll(other, course)
    pass_quiz(learner_client, first)
    completing = pass_quiz(learner_client, second)
    pass_quiz(api_client_for(other), first)

    assert_success(instructor_client.patch(assessment_url(draft), {"status": "published"}), 200)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED  # final
    assert enrollment.progress_percent == Decimal("100.00")  # never lowered
    assert enrollment.completed_at == parse(completing["submitted_at"])
    other_enrollment.refresh_from_db()
    assert other_enrollment.status == Enrollment.Status.ACTIVE
    assert other_enrollment.progress_percent == Decimal("33.33")


def test_deleting_an_assessment_recomputes_progress(
    learner_client, instructor_client, course, enrollment
):
    passed_one, untaken = quizzes(course, 2)
    passed = pass_quiz(learner_client, passed_one)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == Decimal("50.00")

    response = instructor_client.delete(assessment_url(untaken))

    assert response.status_code == 204
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == Decimal("100.00")
    assert enrollment.completed_at == parse(passed["submitted_at"])


def test_dropped_enrolments_are_not_recomputed(learner, learner_client, course, enrollment):
    first, second = quizzes(course, 2)
    pass_quiz(learner_client, first)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.DROPPED)

    progress.course_progress_refresh(course_id=course.pk)
    Assessment.objects.filter(pk=second.pk).delete()
    progress.course_progress_refresh(course_id=course.pk)

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.DROPPED
    assert enrollment.progress_percent == Decimal("50.00")


@pytest.mark.parametrize("learners", [2, 6])
def test_course_progress_refresh_costs_at_most_two_queries_per_enrolment(
    django_assert_max_num_queries, course, learners
):
    for _ in range(learners):
        enroll(LearnerFactory(), course)
    quizzes(course, 2)

    with django_assert_max_num_queries(1 + 2 * learners):
        progress.course_progress_refresh(course_id=course.pk)


# --- re-enrolment: passes held from an earlier enrolment count (SPEC §8) ----------------------


def enrollment_url(enrollment_id: str = "") -> str:
    return f"/api/v1/enrollments/{enrollment_id}".rstrip("/")


def test_re_enrolling_after_passing_everything_completes_the_new_enrolment_at_once(
    learner, learner_client, course, enrollment
):
    (quiz,) = quizzes(course, 1)
    pass_quiz(learner_client, quiz)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.DROPPED)

    created = assert_success(learner_client.post(enrollment_url(), {"course_id": course.pk}), 201)

    assert created["status"] == "completed"
    assert created["progress_percent"] == 100
    assert created["completed_at"] == created["enrolled_at"]


def test_re_enrolling_counts_earlier_passes_and_a_later_failure_does_not_complete(
    learner, learner_client, course, enrollment
):
    first, second = quizzes(course, 2)
    pass_quiz(learner_client, first)
    assert_success(learner_client.patch(enrollment_url(enrollment.pk), {"status": "dropped"}))

    created = assert_success(learner_client.post(enrollment_url(), {"course_id": course.pk}), 201)
    assert created["status"] == "active"
    assert Decimal(str(created["progress_percent"])) == Decimal("50.00")
    fail_quiz(learner_client, second)

    renewed = Enrollment.objects.get(pk=created["id"])
    assert renewed.status == Enrollment.Status.ACTIVE
    assert renewed.progress_percent == Decimal("50.00")
    assert renewed.completed_at is None


def test_re_activating_a_dropped_enrolment_recomputes_progress_and_completion(
    learner, learner_client, instructor_client, course, enrollment
):
    first, second = quizzes(course, 2)
    pass_quiz(learner_client, first)
    assert_success(learner_client.patch(enrollment_url(enrollment.pk), {"status": "dropped"}))
    with frozen_clock() as clock:
        AssessmentFactory(course=course, questions=2, status=Assessment.Status.DRAFT)
        Assessment.objects.filter(pk=second.pk).update(status=Assessment.Status.DRAFT)
        clock.advance(minutes=5)
        reactivated = assert_success(
            instructor_client.patch(enrollment_url(enrollment.pk), {"status": "active"})
        )

    assert reactivated["status"] == "completed"  # the one published assessment left is passed
    assert parse(reactivated["completed_at"]) == clock.now
    assert parse(reactivated["completed_at"]) >= parse(reactivated["enrolled_at"])
