#!/usr/bin/env python
"""The benchmark: how the API's main routes cost relative to a baseline, in one run.

Every scenario is timed in-process through Django's test client against a throwaway test
database (SQLite by default, PostgreSQL when DATABASE_URL points at one). The result of each is
its median time per request divided by the baseline's (`GET /api/v1/auth/me`: authentication,
rate limiting and the envelope, no domain work), so numbers compare across machines and runs.
Query counts are printed too. Results go to stdout and to bench/results/latest.json.

    python3 dev.py bench [--rounds 7] [--requests 30]
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_project.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["API_RATE_LIMIT"] = "1000000/minute"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import Role  # noqa: E402
from accounts.services import login_start, user_create  # noqa: E402
from assessments.authoring import assessment_create, question_create  # noqa: E402
from courses.models import Course  # noqa: E402
from courses.services import course_create  # noqa: E402
from enrollments.services import enrollment_create  # noqa: E402

Request = Callable[[], object]


def build_world() -> dict:
    instructor = user_create(
        email="bench-instructor@example.com",
        name="Bench Instructor",
        password="bench-password-1",
        role=Role.INSTRUCTOR,
    )
    learner = user_create(
        email="bench-learner@example.com",
        name="Bench Learner",
        password="bench-password-2",
        role=Role.LEARNER,
    )
    course = course_create(actor=instructor, title="Bench course", status=Course.Status.PUBLISHED)
    enrollment_create(actor=instructor, course=course, user=learner)
    world: dict = {"learner": learner, "instructor": instructor, "course": course}
    for size in (5, 100):
        assessment = assessment_create(
            course=course,
            title=f"Bench quiz with {size} questions",
            passing_score=70,
        )
        answers = []
        for n in range(size):
            question = question_create(
                assessment=assessment,
                text=f"Question {n}?",
                type="single_choice",
                points=1,
                options=[
                    {"text": "Right", "is_correct": True},
                    {"text": "Wrong", "is_correct": False},
                    {"text": "Also wrong", "is_correct": False},
                ],
            )
            right = question.options.get(is_correct=True)
            answers.append({"question_id": question.id, "selected_option_id": right.id})
        world[size] = {"assessment": assessment, "answers": answers}
    return world


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login_start(user=user).access_token}")
    return client


def scenarios(world: dict) -> dict[str, Request]:
    learner = client_for(world["learner"])
    staff = client_for(world["instructor"])
    course_id = world["course"].id
    small, large = world[5], world[100]

    def submit(quiz: dict) -> Request:
        path = f"/api/v1/assessments/{quiz['assessment'].id}/submissions"
        return lambda: learner.post(path, {"answers": quiz["answers"]})

    return {
        "baseline: GET /auth/me": lambda: learner.get("/api/v1/auth/me"),
        "GET /courses": lambda: learner.get("/api/v1/courses"),
        "GET /assessments?course_id": lambda: learner.get(
            f"/api/v1/assessments?course_id={course_id}"
        ),
        "GET /assessments/:id (5 questions)": lambda: learner.get(
            f"/api/v1/assessments/{small['assessment'].id}"
        ),
        "GET /assessments/:id (100 questions)": lambda: learner.get(
            f"/api/v1/assessments/{large['assessment'].id}"
        ),
        "GET /assessments/:id staff (100 questions)": lambda: staff.get(
            f"/api/v1/assessments/{large['assessment'].id}"
        ),
        "POST submissions (5 questions)": submit(small),
        "POST submissions (100 questions)": submit(large),
        "GET /assessments/:id/submissions": lambda: learner.get(
            f"/api/v1/assessments/{small['assessment'].id}/submissions"
        ),
    }


def measure(request: Request, rounds: int, per_round: int) -> tuple[float, int, int]:
    """Median seconds per request over `rounds`, the status of a request, and its query count."""
    connection.queries_log.clear()  # a bounded deque: once full, captures would count nothing
    with CaptureQueriesContext(connection) as queries:
        response = request()
    # Read now: the capture slices the live query log, which later requests clear.
    query_count = len(queries)
    status = getattr(response, "status_code", 0)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            request()
        timings.append((time.perf_counter() - start) / per_round)
    return statistics.median(timings), status, query_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30, help="requests per round")
    args = parser.parse_args()

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        world = build_world()
        results = []
        baseline = None
        for name, request in scenarios(world).items():
            seconds, status, queries = measure(request, args.rounds, args.requests)
            baseline = baseline or seconds
            results.append(
                {
                    "scenario": name,
                    "status": status,
                    "queries": queries,
                    "median_ms": round(seconds * 1000, 3),
                    "ratio_to_baseline": round(seconds / baseline, 2),
                }
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}; {args.rounds} rounds x {args.requests} requests\n")
    print(f"{'scenario':<45} {'status':>6} {'queries':>7} {'median ms':>10} {'x baseline':>10}")
    for row in results:
        print(
            f"{row['scenario']:<45} {row['status']:>6} {row['queries']:>7} "
            f"{row['median_ms']:>10.3f} {row['ratio_to_baseline']:>10.2f}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"database": connection.vendor, "results": results}, indent=2)
    )
    failed = [row["scenario"] for row in results if not 200 <= row["status"] < 300]
    if failed:
        print(f"\nnot 2xx: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
