"""The fuzz run's data set, made on the throwaway database `fuzz/run.py` points DATABASE_URL at.

Run as a script (`python fuzz/world.py OUT.json`), with the fuzz run's environment: it migrates,
seeds the demo data (`seed_demo`), logs each role in, and writes the tokens and, per role, the
ids its pass puts in the paths to OUT.json for `fuzz/hooks.py`.

Each role gets a course of its own (the learner the demo course, the instructor a second one
they teach, the admin a third one), with an untimed and a timed assessment, a live enrolment, a
submission and an attempt in progress, so that every route has real ids to hit, and the three
passes, which run at the same time, do not change each other's data (an unpublished course, a
dropped enrolment).
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_project.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from accounts.demo import DEMO_USERS  # noqa: E402
from accounts.models import Role, User  # noqa: E402
from accounts.services import login_start, user_create  # noqa: E402
from assessments.authoring import assessment_create, assessment_update, question_create  # noqa: E402
from assessments.demo import DEMO_ASSESSMENTS  # noqa: E402
from assessments.models import Assessment  # noqa: E402
from assessments.taking import attempt_start, submission_create  # noqa: E402
from courses.models import Course  # noqa: E402
from courses.services import course_create  # noqa: E402
from enrollments.models import Enrollment  # noqa: E402
from enrollments.services import enrollment_create  # noqa: E402

ROLES = ("learner", "instructor", "admin")


def _course(*, actor: User, instructor: User, learner: User, title: str) -> Course:
    """A published course taught by `instructor`, with the demo assessments and `learner`
    enrolled."""
    course = course_create(
        actor=actor, title=title, status=Course.Status.PUBLISHED, instructor_id=instructor.pk
    )
    enrollment_create(actor=actor, course=course, user=learner)
    for spec in DEMO_ASSESSMENTS:
        fields = {name: value for name, value in spec.items() if name != "questions"}
        assessment = assessment_create(course=course, **fields)
        for question in spec["questions"]:
            question_create(assessment=assessment, **question)
    return course


def _ids(course: Course, learner: User, user_id: str) -> dict[str, Any]:
    """The course's ids, after a submission and an attempt in progress by `learner`."""
    assessments = list(course.assessments.order_by("created_at", "id"))
    untimed = next(a for a in assessments if a.time_limit_minutes is None)
    timed = next(a for a in assessments if a.time_limit_minutes is not None)
    # Unlimited attempts on the untimed check, so that submissions keep being graded.
    assessment_update(assessment=untimed, max_attempts=None)
    submission = submission_create(user=learner, assessment=untimed, answers=[])
    attempt, _created = attempt_start(user=learner, assessment=timed)
    return {
        "ids": {
            "assessment_id": [untimed.pk, timed.pk],
            "course_id": [course.pk],
            "enrollment_id": list(
                Enrollment.objects.filter(course=course).values_list("pk", flat=True)
            ),
            "user_id": [user_id],
            "attempt_id": [attempt.pk],
            "submission_id": [submission.pk],
        },
        "questions": {
            a.pk: list(a.questions.values_list("pk", flat=True))
            for a in Assessment.objects.filter(course=course)
        },
        "attempts": {timed.pk: [attempt.pk]},
    }


def build() -> dict[str, Any]:
    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0)
    users = {key: User.objects.get(email=email) for key, _n, email, _p, _r in DEMO_USERS}
    passwords = {key: password for key, _n, _e, password, _r in DEMO_USERS}
    demo = Course.objects.filter(instructor=users["instructor"]).earliest("created_at")
    other_instructor = user_create(
        email="fuzz-instructor@example.com",
        name="Fuzz Instructor",
        password="quartz-meadow-92",  # noqa: S106 - a throwaway database's user
        role=Role.INSTRUCTOR,
    )
    instructors_course = _course(
        actor=users["instructor"],
        instructor=users["instructor"],
        learner=users["learner2"],
        title="Fuzzing course for the instructor",
    )
    admins_course = _course(
        actor=users["admin"],
        instructor=other_instructor,
        learner=users["learner2"],
        title="Fuzzing course for the admin",
    )
    # The users routes name learner2, never the caller: a caller changing its own password
    # would end its own token.
    other = users["learner2"].pk
    return {
        "roles": {
            "learner": _ids(demo, users["learner"], other),
            "instructor": _ids(instructors_course, users["learner2"], other),
            "admin": _ids(admins_course, users["learner2"], other),
        },
        "tokens": {role: login_start(user=users[role]).access_token for role in ROLES},
        "logins": {role: [users[role].email, passwords[role]] for role in ROLES},
    }


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(build(), indent=2))
