from io import StringIO

from django.core.management import call_command

from accounts.models import User
from assessments.models import Assessment
from courses.models import Course
from enrollments.models import Enrollment

EXPECTED_OUTPUT = """Demo data ready. Sign in with:
  admin       admin@example.com          copper-lantern-41
  instructor  instructor@example.com     maple-harbor-27
  learner     learner@example.com        violet-canyon-63
  learner     learner2@example.com       amber-meadow-85
"""


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, no_color=True)
    return out.getvalue()


def test_seed_demo_seeds_every_app_and_prints_the_demo_accounts(db):
    assert seed_demo() == EXPECTED_OUTPUT

    assert User.objects.count() == 4
    course = Course.objects.get()
    assert course.status == Course.Status.PUBLISHED
    live = Enrollment.objects.live().filter(course=course)
    assert sorted(e.user.email for e in live) == ["learner2@example.com", "learner@example.com"]
    assert sorted(Assessment.objects.filter(course=course).values_list("title", flat=True)) == [
        "Functions and Scope",
        "Python Basics Check",
        "Timed Final Quiz",
    ]


def test_seed_demo_again_duplicates_nothing(db):
    seed_demo()

    assert seed_demo() == EXPECTED_OUTPUT

    assert (User.objects.count(), Course.objects.count(), Enrollment.objects.count()) == (4, 1, 2)
    assert Assessment.objects.count() == 3


def test_seed_demo_learner_has_a_quiz_passed_one_in_progress_one_not_started(db):
    from tests.pages.conftest import course_states

    seed_demo()
    seed_demo()

    learner = User.objects.get(email="learner@example.com")
    assert course_states(learner, Course.objects.get()) == {
        "Python Basics Check": "passed",
        "Functions and Scope": "in_progress",
        "Timed Final Quiz": "not_started",
    }
