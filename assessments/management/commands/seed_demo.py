"""`python manage.py seed_demo`: a demo data set to explore the product with. Safe to run again:
it resets the demo records instead of duplicating them.

It lives in the top app of the stack because it seeds every app; each app's `demo.py` seeds its
own part and uses only its own layer and the ones below."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_USERS, seed_users
from assessments.demo import seed_assessments, seed_learner_activity
from courses.demo import seed_courses
from enrollments.demo import seed_enrollments


class Command(BaseCommand):
    help = "Create (or reset) the demo users, course and assessments."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        users = seed_users()
        # Each app seeds its own part, in dependency order:
        courses = seed_courses(users)
        seed_enrollments(users, courses)
        assessments = seed_assessments(courses)
        # The demo learner's dashboard shows a quiz passed, one in progress, one not started.
        seed_learner_activity(users["learner"], assessments)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with:"))
        for _key, _name, email, password, role in DEMO_USERS:
            self.stdout.write(f"  {role:<11} {email:<26} {password}")
