"""Builds the HTTP benchmark's data set through the services, in the database the environment
names, and writes one request file per route for `rotate.lua` plus a manifest (JSON on stdout):
each route's request file, and its queries per request measured in-process.

    python -m bench.http.dataset --learners 1500 --out DIR
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.http.project_settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import login_start  # noqa: E402
from assessments import taking  # noqa: E402
from assessments.authoring import assessment_create, question_create  # noqa: E402
from courses.models import Course  # noqa: E402
from courses.services import course_create  # noqa: E402
from enrollments.services import enrollment_create  # noqa: E402

SIZES = (5, 20, 100, 200)


def _quiz(course: Course, size: int, **fields: Any) -> tuple[str, list[dict[str, str]]]:
    """An assessment of `size` single-choice questions; its id and a right answer to each."""
    assessment = assessment_create(
        course=course, title=f"Bench quiz, {size} questions", passing_score=70, **fields
    )
    answers = []
    for n in range(size):
        question = question_create(
            assessment=assessment,
            text=f"Question {n + 1}?",
            type="single_choice",
            options=[
                {"text": "Right", "is_correct": True},
                {"text": "Wrong", "is_correct": False},
                {"text": "Also wrong", "is_correct": False},
            ],
        )
        right = question.options.get(is_correct=True)
        answers.append({"question_id": question.pk, "selected_option_id": right.pk})
    return assessment.pk, answers


def build(learner_count: int) -> dict[str, Any]:
    instructor = User.objects.create_user(
        email="bench-instructor@example.com",
        password=None,
        name="Bench Instructor",
        role=Role.INSTRUCTOR,
    )
    course = course_create(actor=instructor, title="Bench course", status="published")
    quizzes = {size: _quiz(course, size) for size in SIZES}
    timed_id, timed_answers = _quiz(course, 20, time_limit_minutes=1440)
    start_id, _ = _quiz(course, 20, time_limit_minutes=1440)
    timed = course.assessments.get(pk=timed_id)
    learners = []
    for n in range(learner_count):
        # No password: nothing to hash; the benchmark signs in with tokens.
        learner = User.objects.create_user(
            email=f"bench-learner-{n}@example.com", password=None, name=f"Learner {n}"
        )
        enrollment_create(actor=instructor, course=course, user=learner)
        attempt, _ = taking.attempt_start(user=learner, assessment=timed)
        token = login_start(user=learner).access_token
        learners.append((token, attempt.pk))
    return {
        "quizzes": quizzes,
        "timed": (timed_id, timed_answers),
        "start_id": start_id,
        "learners": learners,
        "course_id": course.pk,
    }


def request_lines(world: dict[str, Any]) -> dict[str, list[str]]:
    """Each route's requests, one per learner, as `METHOD\\tPATH\\tTOKEN\\tBODY`."""
    learners = world["learners"]
    api = "/api/v1"

    def each(method: str, path: str, body: Any = None) -> list[str]:
        text = json.dumps(body, separators=(",", ":")) if body is not None else ""
        return [f"{method}\t{path}\t{token}\t{text}" for token, _ in learners]

    routes = {
        "bare view, full middleware": ["GET\t/bench/bare\t\t"],
        "one query, full middleware": ["GET\t/bench/one-query\t\t"],
        "GET /healthz": ["GET\t/healthz\t\t"],
        "GET /auth/me": each("GET", f"{api}/auth/me"),
        "GET /assessments (list)": each("GET", f"{api}/assessments?course_id={world['course_id']}"),
    }
    for size, (quiz_id, _) in world["quizzes"].items():
        routes[f"GET /assessments/:id, {size} q"] = each("GET", f"{api}/assessments/{quiz_id}")
    for size, (quiz_id, answers) in world["quizzes"].items():
        routes[f"POST submissions, {size} q"] = each(
            "POST", f"{api}/assessments/{quiz_id}/submissions", {"answers": answers}
        )
    routes["POST attempts (start, timed)"] = each(
        "POST", f"{api}/assessments/{world['start_id']}/attempts"
    )
    timed_id, timed_answers = world["timed"]
    routes["PATCH .../answers (autosave)"] = [
        f"PATCH\t{api}/assessments/{timed_id}/attempts/{attempt_id}/answers\t{token}\t"
        + json.dumps({"answers": timed_answers[:1]}, separators=(",", ":"))
        for token, attempt_id in learners
    ]
    return routes


def queries_per_request(line: str) -> tuple[int, int]:
    """The queries and the status of one of a route's requests, made in-process."""
    method, path, token, body = line.split("\t")
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(
            method, path, body or "", content_type="application/json", HTTP_HOST="127.0.0.1"
        )
    return len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1500)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    world = build(args.learners)
    manifest: dict[str, Any] = {}
    for name, lines in request_lines(world).items():
        path = args.out / f"{len(manifest):02d}.tsv"
        # The in-process probe uses the last line, so the load starts on fresh ones.
        queries, status = queries_per_request(lines[-1])
        path.write_text("\n".join(lines[:-1] or lines) + "\n")
        manifest[name] = {"requests": str(path), "queries": queries, "probe_status": status}
    json.dump(manifest, sys.stdout)


if __name__ == "__main__":
    main()
