import importlib

import pytest
from django.apps import apps as django_apps

from courses.models import Course
from courses.selectors import LIVE_ENROLLMENT_STATUSES
from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory

URL = "/api/v1/courses"
COURSE_FIELDS = {
    "id",
    "title",
    "description",
    "category",
    "status",
    "instructor_id",
    "enrollment_count",
    "created_at",
    "updated_at",
}


def ids(response) -> list[str]:
    return [course["id"] for course in response.json()["data"]]


@pytest.fixture
def catalogue(instructor, other_instructor):
    return {
        "own_draft": CourseFactory(instructor=instructor, status=Course.Status.DRAFT),
        "own_published": CourseFactory(instructor=instructor, category="Data"),
        "other_draft": CourseFactory(instructor=other_instructor, status=Course.Status.DRAFT),
        "other_published": CourseFactory(instructor=other_instructor, category="Design"),
    }


def test_anonymous_list_returns_401(anon_client):
    response = anon_client.get(URL)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_learner_lists_published_courses_only(learner_client, catalogue):
    response = learner_client.get(URL)

    assert response.status_code == 200
    assert ids(response) == [catalogue["own_published"].id, catalogue["other_published"].id]
    assert response.json()["meta"] == {"total": 2, "page": 1, "per_page": 20}


def test_instructor_lists_only_the_courses_they_teach_drafts_included(instructor_client, catalogue):
    response = instructor_client.get(URL)

    assert ids(response) == [catalogue["own_draft"].id, catalogue["own_published"].id]


def test_admin_lists_every_course_in_creation_order(admin_client, catalogue):
    response = admin_client.get(URL)

    assert ids(response) == [course.id for course in catalogue.values()]


def test_course_has_exactly_the_documented_fields(admin_client, instructor):
    course = CourseFactory(instructor=instructor, title="Statistics", category="Data")

    body = admin_client.get(URL).json()["data"][0]

    assert set(body) == COURSE_FIELDS
    assert body["id"] == course.id and body["id"].startswith("crs_")
    assert body["title"] == "Statistics"
    assert body["category"] == "Data"
    assert body["status"] == "published"
    assert body["instructor_id"] == instructor.id
    assert body["enrollment_count"] == 0


def test_enrollment_count_counts_the_statuses_the_enrollments_app_calls_live():
    assert set(LIVE_ENROLLMENT_STATUSES) == set(Enrollment.LIVE_STATUSES)


def test_enrollment_count_counts_active_and_completed_but_not_dropped(admin_client):
    course = CourseFactory()
    EnrollmentFactory(course=course, status=Enrollment.Status.ACTIVE)
    EnrollmentFactory(course=course, status=Enrollment.Status.COMPLETED)
    EnrollmentFactory(course=course, status=Enrollment.Status.DROPPED)
    EnrollmentFactory(status=Enrollment.Status.ACTIVE)  # another course

    body = admin_client.get(URL).json()["data"]

    assert {c["id"]: c["enrollment_count"] for c in body}[course.id] == 2


def test_filter_by_status(admin_client, catalogue):
    response = admin_client.get(URL, {"status": "draft"})

    assert ids(response) == [catalogue["own_draft"].id, catalogue["other_draft"].id]


def test_learner_filtering_drafts_gets_nothing(learner_client, catalogue):
    response = learner_client.get(URL, {"status": "draft"})

    assert response.status_code == 200
    assert ids(response) == []


def test_filter_by_category_is_case_insensitive_exact_match(admin_client, catalogue):
    CourseFactory(category="Data Science")

    response = admin_client.get(URL, {"category": "dATA"})

    assert ids(response) == [catalogue["own_published"].id]


def test_filter_by_instructor_id(admin_client, catalogue, other_instructor):
    response = admin_client.get(URL, {"instructor_id": other_instructor.id})

    assert ids(response) == [catalogue["other_draft"].id, catalogue["other_published"].id]


def test_filters_combine(learner_client, catalogue, other_instructor):
    response = learner_client.get(
        URL, {"instructor_id": other_instructor.id, "category": "design", "status": "published"}
    )

    assert ids(response) == [catalogue["other_published"].id]


def test_unknown_status_filter_is_a_validation_error(admin_client):
    response = admin_client.get(URL, {"status": "archived", "page": "0"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert {detail["field"] for detail in error["details"]} == {"status", "page"}


def test_pagination_splits_the_list(admin_client):
    courses = CourseFactory.create_batch(5)

    response = admin_client.get(URL, {"page": 2, "per_page": 2})

    assert ids(response) == [courses[2].id, courses[3].id]
    assert response.json()["meta"] == {"total": 5, "page": 2, "per_page": 2}


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_does_not_grow_with_courses_or_enrolments(
    admin_client, django_assert_num_queries, rows
):
    for course in CourseFactory.create_batch(rows):
        EnrollmentFactory(course=course, user=LearnerFactory())

    # token, count, page (with enrolment counts)
    with django_assert_num_queries(3):
        response = admin_client.get(URL, {"per_page": 100})

    assert len(response.json()["data"]) == rows
    assert all(course["enrollment_count"] == 1 for course in response.json()["data"])


@pytest.mark.parametrize("rows", [5, 60])
def test_learner_list_query_count_does_not_grow(
    learner_client, learner, django_assert_num_queries, rows
):
    for course in CourseFactory.create_batch(rows):
        EnrollmentFactory(course=course, user=learner)

    with django_assert_num_queries(3):
        response = learner_client.get(URL, {"per_page": 100})

    assert len(response.json()["data"]) == rows


# --- the category filter ignores letter case in every alphabet ----------------------------------


@pytest.mark.parametrize(
    ("category", "query"),
    [
        ("Ünïcode", "ünïcode"),
        ("ünïcode", "ÜNÏCODE"),
        ("Ελληνικά", "ΕΛΛΗΝΙΚΆ"),
        ("Straße", "STRASSE"),
        ("Data", "dATA"),
    ],
)
def test_category_filter_ignores_case_beyond_ascii(admin_client, category, query):
    course = CourseFactory(category=category)
    CourseFactory(category=f"{category} Science")
    CourseFactory(category="Other")

    response = admin_client.get(URL, {"category": query})

    assert ids(response) == [course.id]


def test_category_set_through_the_api_is_found_in_any_case(admin_client, instructor):
    created = admin_client.post(
        URL, {"title": "Umlauts", "category": "Ünïcode", "instructor_id": instructor.id}
    ).json()["data"]
    changed = CourseFactory(category="Other")
    admin_client.patch(f"{URL}/{changed.id}", {"category": "ÜNÏCODE"})

    response = admin_client.get(URL, {"category": "üNïCODE"})

    assert ids(response) == [created["id"], changed.id]
    assert response.json()["data"][1]["category"] == "ÜNÏCODE"


def test_category_filter_keeps_the_query_count(admin_client, django_assert_num_queries):
    CourseFactory.create_batch(3, category="Ünïcode")

    with django_assert_num_queries(3):  # token, count, page
        response = admin_client.get(URL, {"category": "ünïcode"})

    assert len(response.json()["data"]) == 3


def test_migration_fills_the_category_key_of_existing_courses(db):
    migration = importlib.import_module("courses.migrations.0003_course_category_key")
    course = CourseFactory(category="Ünïcode", category_key="")
    blank = CourseFactory(category="", category_key="")

    migration.fill_category_keys(django_apps, None)

    course.refresh_from_db()
    blank.refresh_from_db()
    assert (course.category_key, blank.category_key) == ("ünïcode", "")


# --- per_page is capped -------------------------------------------------------------------------


def test_huge_per_page_returns_at_most_100_rows(admin_client, instructor):
    Course.objects.bulk_create(
        Course(title=f"Course {n}", instructor=instructor, status=Course.Status.PUBLISHED)
        for n in range(101)
    )

    response = admin_client.get(URL, {"per_page": 10**30})

    assert len(response.json()["data"]) == 100
    assert response.json()["meta"] == {"total": 101, "page": 1, "per_page": 100}
