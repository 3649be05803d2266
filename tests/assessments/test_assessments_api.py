"""The assessments endpoints: /api/v1/assessments and /api/v1/assessments/<id> (SPEC §5)."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from assessments.models import Assessment, Attempt
from courses.models import Course
from enrollments.models import Enrollment
from tests.assessments.factories import (
    AssessmentFactory,
    AttemptFactory,
    SubmissionFactory,
    enroll,
    make_question,
    published_course,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessments"


def detail(assessment: Assessment | str) -> str:
    return f"/api/v1/assessments/{getattr(assessment, 'pk', assessment)}"


def keys(value: Any) -> Iterator[str]:
    """Every key of every object in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)


def assert_no_answer_key(body: Any) -> None:
    found = {"is_correct", "explanation"} & set(keys(body))
    assert not found, f"a learner received {found}"


def issues(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    return {detail["field"]: detail["issue"] for detail in error["details"]}


@pytest.fixture
def course(instructor) -> Course:
    return published_course(instructor, title="Python 101")


@pytest.fixture
def assessment(course) -> Assessment:
    return AssessmentFactory(course=course, title="Module 1 check", questions=3)


@pytest.fixture
def enrolled(learner, course) -> Enrollment:
    return enroll(learner, course)


def seed_body(course_id: str) -> dict:
    """The seed page's create example."""
    return {
        "course_id": course_id,
        "title": "End-of-Module Knowledge Check",
        "passing_score": 70,
        "time_limit_minutes": 20,
    }


def make_attempts(assessment: Assessment, user, statuses: list[str]) -> list[Attempt]:
    now = timezone.now()
    return [
        AttemptFactory(
            assessment=assessment,
            user=user,
            status=status,
            started_at=now - timedelta(minutes=10 * (len(statuses) - number)),
        )
        for number, status in enumerate(statuses, start=1)
    ]


# --- the seed's shape ----------------------------------------------------------------------------


def test_seed_create_example_returns_201_with_location(instructor_client, course):
    response = instructor_client.post(LIST, seed_body(course.pk))

    assert response.status_code == 201
    data = response.json()["data"]
    assert response["Location"] == f"/api/v1/assessments/{data['id']}"
    assert data["id"].startswith("asmnt_")
    assert data["course_id"] == course.pk
    assert data["title"] == "End-of-Module Knowledge Check"
    assert data["passing_score"] == 70
    assert data["time_limit_minutes"] == 20
    assert data["question_count"] == 0
    assert data["questions"] == []
    # SPEC §5 defaults
    assert data["max_attempts"] is None
    assert data["status"] == "published"
    assert data["review"] == {"show_correct_answers": "never"}
    assert data["created_at"] and data["updated_at"]
    assert "attempts_used" not in data and "attempts_remaining" not in data
    assert Assessment.objects.get(pk=data["id"]).course == course


def test_create_with_every_field(admin_client, course):
    body = {
        **seed_body(course.pk),
        "time_limit_minutes": None,
        "max_attempts": 3,
        "status": "draft",
        "review": {"show_correct_answers": "after_passing"},
    }

    data = admin_client.post(LIST, body).json()["data"]

    stored = Assessment.objects.get(pk=data["id"])
    assert (stored.time_limit_minutes, stored.max_attempts, stored.status) == (None, 3, "draft")
    assert stored.show_correct_answers == "after_passing"
    assert data["review"] == {"show_correct_answers": "after_passing"}


def test_omitted_time_limit_means_untimed(instructor_client, course):
    body = seed_body(course.pk)
    del body["time_limit_minutes"]

    data = instructor_client.post(LIST, body).json()["data"]

    assert data["time_limit_minutes"] is None


def test_get_seed_fields_and_questions_in_position_order(instructor_client, assessment):
    data = instructor_client.get(detail(assessment)).json()["data"]

    assert {"id", "course_id", "title", "passing_score", "time_limit_minutes"} <= set(data)
    assert data["question_count"] == 3
    assert [q["position"] for q in data["questions"]] == [1, 2, 3]
    first = data["questions"][0]
    assert set(first) == {"id", "text", "type", "points", "position", "explanation", "options"}
    assert set(first["options"][0]) == {"id", "text", "is_correct", "position"}


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "ab"),
        ("title", "x" * 201),
        ("title", "   "),
        ("title", 123),
        ("passing_score", 0),
        ("passing_score", 101),
        ("passing_score", 70.5),
        ("passing_score", "70"),
        ("passing_score", True),
        ("passing_score", None),
        ("time_limit_minutes", 0),
        ("time_limit_minutes", 1441),
        ("time_limit_minutes", 20.5),
        ("time_limit_minutes", "20"),
        ("max_attempts", 0),
        ("max_attempts", 1001),
        ("max_attempts", "3"),
        ("status", "archived"),
        ("review", {"show_correct_answers": "always"}),
    ],
)
def test_create_rejects_out_of_rule_values_naming_the_field(admin_client, course, field, value):
    response = admin_client.post(LIST, {**seed_body(course.pk), field: value})

    found = issues(response)
    assert field in found or f"{field}.show_correct_answers" in found
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "abc"),
        ("title", "x" * 200),
        ("passing_score", 1),
        ("passing_score", 100),
        ("time_limit_minutes", 1),
        ("time_limit_minutes", 1440),
        ("time_limit_minutes", None),
        ("max_attempts", 1),
        ("max_attempts", 1000),
        ("max_attempts", None),
    ],
)
def test_create_accepts_the_bounds(admin_client, course, field, value):
    response = admin_client.post(LIST, {**seed_body(course.pk), field: value})

    assert response.status_code == 201, response.content
    assert response.json()["data"][field] == value


def test_create_reports_every_broken_rule_together(admin_client, course):
    body = {
        "course_id": course.pk,
        "title": "ab",
        "passing_score": 101,
        "time_limit_minutes": 1441,
        "max_attempts": 0,
    }

    assert set(issues(admin_client.post(LIST, body))) == {
        "title",
        "passing_score",
        "time_limit_minutes",
        "max_attempts",
    }


@pytest.mark.parametrize("field", ["course_id", "title", "passing_score"])
def test_create_requires_the_seed_fields(admin_client, course, field):
    body = seed_body(course.pk)
    del body[field]

    assert field in issues(admin_client.post(LIST, body))


def test_admin_naming_an_unknown_course_gets_422_on_course_id(admin_client):
    assert "course_id" in issues(admin_client.post(LIST, seed_body("crs_doesnotexist")))


# --- create: who may ----------------------------------------------------------------------------


def test_create_anonymous_is_401(anon_client, course):
    assert anon_client.post(LIST, seed_body(course.pk)).status_code == 401


def test_create_learner_is_403(learner_client, enrolled, course):
    response = learner_client.post(LIST, seed_body(course.pk))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


def test_create_in_another_instructors_course_is_404(other_instructor_client, course):
    response = other_instructor_client.post(LIST, seed_body(course.pk))

    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_create_instructor_naming_an_unknown_course_gets_the_same_404(other_instructor_client):
    assert other_instructor_client.post(LIST, seed_body("crs_nope")).status_code == 404


def test_create_admin_in_any_course(admin_client, course):
    assert admin_client.post(LIST, seed_body(course.pk)).status_code == 201


# --- list ----------------------------------------------------------------------------------------


def test_list_anonymous_is_401(anon_client):
    assert anon_client.get(LIST).status_code == 401


def test_list_learner_sees_published_assessments_of_live_enrolments_only(
    learner_client, learner, instructor, assessment, course, enrolled
):
    completed_course = published_course(instructor, title="Done course")
    enroll(learner, completed_course, status=Enrollment.Status.COMPLETED)
    in_completed = AssessmentFactory(course=completed_course)
    AssessmentFactory(course=course, status=Assessment.Status.DRAFT)  # draft
    dropped_course = published_course(instructor, title="Dropped")
    enroll(learner, dropped_course, status=Enrollment.Status.DROPPED)
    AssessmentFactory(course=dropped_course)
    draft_course = published_course(instructor, title="Draft", status=Course.Status.DRAFT)
    enroll(learner, draft_course)
    AssessmentFactory(course=draft_course)
    AssessmentFactory()  # a course the learner is not in

    response = learner_client.get(LIST)

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["data"]] == [assessment.pk, in_completed.pk]
    assert response.json()["meta"] == {"total": 2, "page": 1, "per_page": 20}


def test_list_instructor_sees_only_their_courses(instructor_client, assessment, course):
    draft = AssessmentFactory(course=course, status=Assessment.Status.DRAFT)
    AssessmentFactory()  # another instructor's

    ids = [a["id"] for a in instructor_client.get(LIST).json()["data"]]

    assert ids == [assessment.pk, draft.pk]


def test_list_admin_sees_all(admin_client, assessment):
    other = AssessmentFactory()

    assert [a["id"] for a in admin_client.get(LIST).json()["data"]] == [assessment.pk, other.pk]


def test_list_filters_by_course_id(admin_client, assessment):
    AssessmentFactory()

    response = admin_client.get(LIST, {"course_id": assessment.course_id})

    assert [a["id"] for a in response.json()["data"]] == [assessment.pk]


def test_list_items_carry_question_count_but_not_questions(instructor_client, assessment):
    (item,) = instructor_client.get(LIST).json()["data"]

    assert item["question_count"] == 3
    assert "questions" not in item


def test_list_is_paginated(admin_client, course):
    created = [AssessmentFactory(course=course) for _ in range(3)]

    response = admin_client.get(LIST, {"page": 2, "per_page": 2})

    assert [a["id"] for a in response.json()["data"]] == [created[2].pk]
    assert response.json()["meta"] == {"total": 3, "page": 2, "per_page": 2}


def test_list_bad_page_is_422(admin_client):
    assert "page" in issues(admin_client.get(LIST, {"page": 0}))


# --- detail --------------------------------------------------------------------------------------


def test_detail_anonymous_is_401(anon_client, assessment):
    assert anon_client.get(detail(assessment)).status_code == 401


def test_detail_learner_not_enrolled_is_404(learner_client, assessment):
    response = learner_client.get(detail(assessment))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_detail_learner_of_a_draft_assessment_is_404(learner_client, enrolled, course):
    draft = AssessmentFactory(course=course, status=Assessment.Status.DRAFT)

    assert learner_client.get(detail(draft)).status_code == 404


def test_detail_other_instructor_is_404(other_instructor_client, assessment):
    assert other_instructor_client.get(detail(assessment)).status_code == 404


def test_detail_unknown_id_is_404(admin_client):
    assert admin_client.get(detail("asmnt_nope")).status_code == 404


def test_detail_learner_gets_questions_without_answer_key(learner_client, enrolled, assessment):
    response = learner_client.get(detail(assessment))

    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data["questions"]) == 3
    assert all(q["options"] for q in data["questions"])
    assert_no_answer_key(response.json())


def test_detail_staff_get_the_answer_key(instructor_client, admin_client, assessment):
    for client in (instructor_client, admin_client):
        questions = client.get(detail(assessment)).json()["data"]["questions"]
        assert all("explanation" in q for q in questions)
        assert all("is_correct" in o for q in questions for o in q["options"])


def test_detail_timed_assessment_has_no_questions_for_a_learner(
    learner_client, enrolled, course, instructor_client
):
    timed = AssessmentFactory(course=course, time_limit_minutes=15, questions=2)

    learner_data = learner_client.get(detail(timed)).json()["data"]
    staff_data = instructor_client.get(detail(timed)).json()["data"]

    assert learner_data["questions"] is None
    assert learner_data["question_count"] == 2
    assert len(staff_data["questions"]) == 2


def test_learner_routes_never_carry_the_answer_key(learner_client, enrolled, course, assessment):
    timed = AssessmentFactory(course=course, time_limit_minutes=15, questions=2)

    for url in (LIST, detail(assessment), detail(timed), f"{LIST}?course_id={course.pk}"):
        response = learner_client.get(url)
        assert response.status_code == 200
        assert_no_answer_key(response.json())


# --- attempts used and remaining (learners only) -------------------------------------------------


def test_learner_sees_attempts_used_and_remaining(
    learner_client, learner, other_learner, enrolled, course
):
    limited = AssessmentFactory(course=course, max_attempts=3, questions=1)
    make_attempts(limited, learner, [Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED])
    make_attempts(limited, other_learner, [Attempt.Status.SUBMITTED] * 3)

    data = learner_client.get(detail(limited)).json()["data"]

    assert (data["attempts_used"], data["attempts_remaining"]) == (2, 1)


def test_every_attempt_counts_including_one_in_progress(learner_client, learner, enrolled, course):
    limited = AssessmentFactory(course=course, max_attempts=2)
    make_attempts(limited, learner, [Attempt.Status.EXPIRED, Attempt.Status.IN_PROGRESS])

    (item,) = learner_client.get(LIST).json()["data"]

    assert (item["attempts_used"], item["attempts_remaining"]) == (2, 0)


def test_attempts_remaining_never_goes_below_zero(learner_client, learner, enrolled, course):
    limited = AssessmentFactory(course=course, max_attempts=3)
    make_attempts(limited, learner, [Attempt.Status.SUBMITTED] * 4)
    limited.max_attempts = 1  # lowered after the learner used more
    limited.save()

    data = learner_client.get(detail(limited)).json()["data"]

    assert (data["attempts_used"], data["attempts_remaining"]) == (4, 0)


def test_unlimited_attempts_remaining_is_null(learner_client, learner, enrolled, assessment):
    make_attempts(assessment, learner, [Attempt.Status.SUBMITTED])

    (item,) = learner_client.get(LIST).json()["data"]

    assert (item["attempts_used"], item["attempts_remaining"]) == (1, None)


def test_staff_responses_carry_no_attempt_counts(instructor_client, admin_client, assessment):
    for client in (instructor_client, admin_client):
        for body in (client.get(LIST).json()["data"][0], client.get(detail(assessment)).json()):
            data = body.get("data", body)
            assert "attempts_used" not in data and "attempts_remaining" not in data


# --- change --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_change_anonymous_is_401(anon_client, assessment, method):
    response = getattr(anon_client, method)(detail(assessment), {"title": "New title"})

    assert response.status_code == 401


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_change_learner_who_cannot_see_it_is_404(learner_client, assessment, method):
    response = getattr(learner_client, method)(detail(assessment), {"title": "New title"})

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_change_enrolled_learner_is_403(learner_client, enrolled, assessment, method):
    response = getattr(learner_client, method)(detail(assessment), {"title": "New title"})

    assert response.status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk, title="Module 1 check").exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_change_other_instructor_is_404(other_instructor_client, assessment, method):
    response = getattr(other_instructor_client, method)(
        detail(assessment), {"title": "New title", "passing_score": 50}
    )

    assert response.status_code == 404
    assert Assessment.objects.filter(pk=assessment.pk, title="Module 1 check").exists()


def test_patch_changes_only_the_given_fields(instructor_client, course):
    assessment = AssessmentFactory(
        course=course,
        time_limit_minutes=30,
        max_attempts=2,
        show_correct_answers=Assessment.Review.AFTER_PASSING,
    )

    response = instructor_client.patch(detail(assessment), {"passing_score": 85})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["passing_score"] == 85
    assert (data["time_limit_minutes"], data["max_attempts"]) == (30, 2)
    assert data["review"] == {"show_correct_answers": "after_passing"}


def test_patch_review_and_status(admin_client, assessment):
    response = admin_client.patch(
        detail(assessment),
        {"review": {"show_correct_answers": "after_submission"}, "status": "draft"},
    )

    assessment.refresh_from_db()
    assert response.status_code == 200
    assert assessment.show_correct_answers == "after_submission"
    assert assessment.status == "draft"


def test_put_replaces_fields_and_omitted_ones_take_defaults(instructor_client, course):
    assessment = AssessmentFactory(
        course=course, time_limit_minutes=30, max_attempts=2, status=Assessment.Status.DRAFT
    )

    response = instructor_client.put(
        detail(assessment), {"title": "Renamed check", "passing_score": 60}
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["title"], data["passing_score"]) == ("Renamed check", 60)
    assert (data["time_limit_minutes"], data["max_attempts"], data["status"]) == (
        None,
        None,
        "published",
    )


def test_put_requires_title_and_passing_score(instructor_client, assessment):
    found = issues(instructor_client.put(detail(assessment), {"time_limit_minutes": 5}))

    assert {"title", "passing_score"} <= set(found)


def test_put_with_the_seed_body_keeps_its_course(instructor_client, assessment):
    response = instructor_client.put(detail(assessment), seed_body(assessment.course_id))

    assert response.status_code == 200
    assert response.json()["data"]["time_limit_minutes"] == 20


def test_change_cannot_move_an_assessment_to_another_course(admin_client, assessment):
    other = published_course()

    found = issues(admin_client.patch(detail(assessment), {"course_id": other.pk}))

    assert "course_id" in found
    assessment.refresh_from_db()
    assert assessment.course_id != other.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "ab"),
        ("passing_score", 0),
        ("passing_score", 70.5),
        ("time_limit_minutes", 1441),
        ("max_attempts", 1001),
    ],
)
def test_patch_validates_like_create(instructor_client, assessment, field, value):
    assert field in issues(instructor_client.patch(detail(assessment), {field: value}))


@pytest.mark.parametrize("field", ["passing_score", "time_limit_minutes", "max_attempts"])
@pytest.mark.parametrize("value", [70.0, 70.5, "70", True, False, [70], {"value": 70}])
def test_integer_fields_take_only_json_integers(admin_client, course, field, value):
    found = issues(admin_client.post(LIST, {**seed_body(course.pk), field: value}))

    assert found == {field: "Must be an integer."}
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("field", ["passing_score", "time_limit_minutes", "max_attempts"])
def test_patch_refuses_a_whole_float_for_an_integer_field(instructor_client, assessment, field):
    before = getattr(assessment, field)

    found = issues(instructor_client.patch(detail(assessment), {field: 50.0}))

    assert found == {field: "Must be an integer."}
    assessment.refresh_from_db()
    assert getattr(assessment, field) == before


def test_create_reports_type_and_rule_problems_together(admin_client, course):
    body = {
        "course_id": course.pk,
        "title": "ab",
        "passing_score": "70",
        "time_limit_minutes": 1441,
        "max_attempts": 2.0,
        "review": {"show_correct_answers": "always"},
    }

    assert issues(admin_client.post(LIST, body)) == {
        "title": "Must be between 3 and 200 characters.",
        "passing_score": "Must be an integer.",
        "time_limit_minutes": "Must be an integer from 1 to 1440.",
        "max_attempts": "Must be an integer.",
        "review.show_correct_answers": '"always" is not a valid choice.',
    }
    assert not Assessment.objects.exists()


def test_patch_reports_type_and_rule_problems_together(instructor_client, assessment, course):
    other = published_course(course.instructor, title="Another course")
    body = {"passing_score": 0, "max_attempts": "3", "course_id": other.pk}

    assert set(issues(instructor_client.patch(detail(assessment), body))) == {
        "passing_score",
        "max_attempts",
        "course_id",
    }


@pytest.mark.parametrize("method", ["patch", "put"])
def test_review_without_its_setting_is_a_validation_error(instructor_client, assessment, method):
    Assessment.objects.filter(pk=assessment.pk).update(
        show_correct_answers=Assessment.Review.AFTER_PASSING
    )
    body = {"title": assessment.title, "passing_score": 70, "review": {}}

    found = issues(getattr(instructor_client, method)(detail(assessment), body))

    assert found == {"review.show_correct_answers": "This field is required."}
    assessment.refresh_from_db()
    assert assessment.show_correct_answers == Assessment.Review.AFTER_PASSING


def test_post_review_without_its_setting_is_a_validation_error(admin_client, course):
    found = issues(admin_client.post(LIST, {**seed_body(course.pk), "review": {}}))

    assert found == {"review.show_correct_answers": "This field is required."}


def test_admin_may_change_any_assessment(admin_client, assessment):
    response = admin_client.patch(detail(assessment), {"title": "Admin's title"})

    assert response.status_code == 200
    assert response.json()["data"]["title"] == "Admin's title"


# --- delete --------------------------------------------------------------------------------------


def test_delete_returns_204_and_removes_questions(instructor_client, assessment):
    response = instructor_client.delete(detail(assessment))

    assert response.status_code == 204
    assert not response.content
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert not assessment.questions.exists()


def test_delete_with_attempts_but_no_submission_is_allowed(admin_client, learner, assessment):
    make_attempts(assessment, learner, [Attempt.Status.IN_PROGRESS])

    assert admin_client.delete(detail(assessment)).status_code == 204


def test_delete_with_a_submission_is_409_resource_in_use(instructor_client, learner, assessment):
    SubmissionFactory(assessment=assessment, user=learner)

    response = instructor_client.delete(detail(assessment))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "RESOURCE_IN_USE"
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert assessment.questions.count() == 3


# --- query counts --------------------------------------------------------------------------------


def _list_queries(client, course, count, django_assert_num_queries, expected) -> None:
    for _ in range(count - Assessment.objects.filter(course=course).count()):
        AssessmentFactory(course=course, questions=1)
    with django_assert_num_queries(expected):
        response = client.get(LIST, {"per_page": 100})
    assert len(response.json()["data"]) == count


# Authentication (1) + count (1) + page (1); for a learner also the look for their overdue
# attempts (1), which staff reads never make.
LIST_QUERIES = {"instructor": 3, "learner": 4}


@pytest.mark.parametrize("who", ["instructor", "learner"])
def test_list_queries_do_not_grow_with_rows(
    who, instructor_client, learner_client, enrolled, course, django_assert_num_queries
):
    client = instructor_client if who == "instructor" else learner_client
    _list_queries(client, course, 5, django_assert_num_queries, LIST_QUERIES[who])
    _list_queries(client, course, 50, django_assert_num_queries, LIST_QUERIES[who])


# Authentication (1) + assessment with counts (1) + questions (1) + options (1); for a learner
# also the look for their overdue attempts (1).
DETAIL_QUERIES = {"instructor": 4, "learner": 5}


@pytest.mark.parametrize("who", ["instructor", "learner"])
def test_detail_queries_do_not_grow_with_questions(
    who, instructor_client, learner_client, enrolled, course, django_assert_num_queries
):
    client = instructor_client if who == "instructor" else learner_client
    assessment = AssessmentFactory(course=course, questions=5)
    with django_assert_num_queries(DETAIL_QUERIES[who]):
        assert len(client.get(detail(assessment)).json()["data"]["questions"]) == 5
    for _ in range(95):
        make_question(assessment)
    with django_assert_num_queries(DETAIL_QUERIES[who]):
        assert len(client.get(detail(assessment)).json()["data"]["questions"]) == 100
