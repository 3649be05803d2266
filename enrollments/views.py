"""Learner pages of enrolments: the dashboard (the learner's courses with progress) and the
catalogue of published courses, where learners enrol themselves."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from accounts.pages import page
from courses.permissions import course_for_user, courses_managed_by
from courses.selectors import course_list
from enrollments.errors import AlreadyEnrolled
from enrollments.models import Enrollment
from enrollments.permissions import enrollments_visible_to
from enrollments.services import enrollment_create


def _live_enrollments(user: User) -> list[Enrollment]:
    return list(
        enrollments_visible_to(user, Enrollment.objects.live())
        .filter(user=user)
        .select_related("course")
        .order_by("enrolled_at", "id")
    )


@page
@require_safe
def dashboard(request: HttpRequest, user: User) -> HttpResponse:
    """`/`: a learner's courses with their progress; for staff, the courses they manage (to
    preview) and the way to the admin."""
    if user.is_staff:
        courses = list(courses_managed_by(user).order_by("title", "id"))
        return render(request, "enrollments/staff_dashboard.html", {"courses": courses})
    return render(request, "enrollments/dashboard.html", {"enrollments": _live_enrollments(user)})


@page
@require_safe
def catalogue(request: HttpRequest, user: User) -> HttpResponse:
    """`/courses/`: the courses the user may see (learners: the published ones), each marked
    when the learner is enrolled."""
    courses = list(course_list(user=user))
    enrolled = {enrollment.course_id for enrollment in _live_enrollments(user)}
    return render(request, "enrollments/catalogue.html", {"courses": courses, "enrolled": enrolled})


@page
@require_POST
def enrol(request: HttpRequest, user: User, course_id: str) -> HttpResponse:
    """A learner enrols themselves (`enrollments.services.enrollment_create`, as the API)."""
    course = course_for_user(user=user, course_id=course_id)
    try:
        enrollment_create(actor=user, course=course, user=user)
    except AlreadyEnrolled:
        messages.info(request, f"You are already enrolled in {course.title}.")
    else:
        messages.success(request, f"You are enrolled in {course.title}.")
    return redirect("course", course_id=course.pk)
