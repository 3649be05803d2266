from django.contrib.auth.models import Group

from accounts.demo import seed_users
from courses.demo import seed_courses
from courses.models import Course
from enrollments.demo import seed_enrollments
from enrollments.models import Enrollment


def test_instructors_group_holds_the_course_and_enrolment_permissions(db):
    codenames = set(
        Group.objects.get(name="Instructors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )

    assert {
        ("courses", "add_course"),
        ("courses", "change_course"),
        ("courses", "delete_course"),
        ("courses", "view_course"),
        ("enrollments", "add_enrollment"),
        ("enrollments", "change_enrollment"),
        ("enrollments", "delete_enrollment"),
        ("enrollments", "view_enrollment"),
    } <= codenames


def test_instructor_persona_has_the_admin_rights(instructor):
    assert instructor.has_perm("courses.change_course")
    assert instructor.has_perm("enrollments.add_enrollment")


def test_seed_courses_creates_a_published_course_with_both_learners_enrolled(db):
    users = seed_users()

    courses = seed_courses(users)
    seed_enrollments(users, courses)
    course = courses["demo"]

    assert course.status == Course.Status.PUBLISHED
    assert course.instructor == users["instructor"]
    enrolled = Enrollment.objects.filter(course=course, status=Enrollment.Status.ACTIVE)
    assert {e.user for e in enrolled} == {users["learner"], users["learner2"]}


def test_seed_courses_again_resets_instead_of_duplicating(db):
    users = seed_users()
    courses = seed_courses(users)
    seed_enrollments(users, courses)
    course = courses["demo"]
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT, title="Changed")
    Enrollment.objects.filter(user=users["learner2"]).update(status=Enrollment.Status.DROPPED)

    users_again = seed_users()
    courses_again = seed_courses(users_again)
    seed_enrollments(users_again, courses_again)
    again = courses_again["demo"]

    assert again.pk == course.pk
    assert Course.objects.count() == 1
    again.refresh_from_db()
    assert again.status == Course.Status.PUBLISHED
    assert again.title == "Python Foundations"
    live = Enrollment.objects.filter(course=again, status__in=Enrollment.LIVE_STATUSES)
    assert sorted(e.user.email for e in live) == sorted(
        [users["learner"].email, users["learner2"].email]
    )
    assert Enrollment.objects.filter(course=again).count() == 3  # the dropped one is kept
