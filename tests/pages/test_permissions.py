"""Every page walks the permission ladder, with the API's answers: anonymous users are sent to
sign in, what a user may not see is a 404, what they see but may not do a 403."""

import pytest

from courses.models import Course
from enrollments.models import Enrollment
from tests.assessments.factories import AssessmentFactory, AttemptFactory, SubmissionFactory, enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(admin, instructor, other_instructor, learner, other_learner, course):
    enroll(learner, course)
    dropped = other_learner
    enroll(dropped, course, status=Enrollment.Status.DROPPED)
    return {
        "enrolled": learner,
        "dropped": dropped,
        "other_instructor": other_instructor,
        "owner": instructor,
        "admin": admin,
    }


def _status(client_for, user, method, url, data=None):
    client = client_for(user)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response.status_code, response


def _ladder(client_for, people, method, url, expected, not_enrolled=None):
    """`expected`: persona -> status; anonymous is always sent to the sign-in page."""
    status, response = _status(client_for, None, method, url)
    assert status == 302 and response["Location"].startswith("/login/?next="), url
    for persona, want in expected.items():
        got, response = _status(client_for, people[persona], method, url)
        assert got == want, f"{persona} {method} {url}: {got}, wanted {want}"


def test_dashboard_and_catalogue_need_sign_in(client_for, people):
    for url in ("/", "/courses/", "/account/"):
        _ladder(client_for, people, "get", url, dict.fromkeys(people, 200))


def test_course_page_ladder(client_for, people, course, quiz):
    _ladder(
        client_for,
        people,
        "get",
        f"/courses/{course.pk}/",
        {"enrolled": 200, "dropped": 200, "other_instructor": 404, "owner": 200, "admin": 200},
    )


def test_draft_course_is_not_found_for_learners(client_for, people, course):
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)
    assert client_for(people["enrolled"]).get(f"/courses/{course.pk}/").status_code == 404
    assert client_for(people["owner"]).get(f"/courses/{course.pk}/").status_code == 200


def test_assessment_page_ladder(client_for, people, quiz):
    _ladder(
        client_for,
        people,
        "get",
        f"/assessments/{quiz.pk}/",
        {"enrolled": 200, "dropped": 404, "other_instructor": 404, "owner": 200, "admin": 200},
    )


def test_unknown_assessment_is_the_friendly_404(client_for, people):
    response = client_for(people["enrolled"]).get("/assessments/asmnt_nope/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_start_ladder(client_for, people, quiz):
    _ladder(
        client_for,
        people,
        "post",
        f"/assessments/{quiz.pk}/start",
        {"dropped": 403, "other_instructor": 404, "owner": 403, "admin": 403, "enrolled": 302},
    )


def test_quiz_page_ladder(client_for, people, quiz, other_learner):
    attempt = AttemptFactory(assessment=quiz, user=people["enrolled"])
    url = f"/assessments/{quiz.pk}/attempts/{attempt.pk}/"
    _ladder(
        client_for,
        people,
        "get",
        url,
        {"dropped": 404, "other_instructor": 404, "owner": 403, "admin": 403, "enrolled": 200},
    )
    # Another enrolled learner may not open someone else's attempt.
    stranger = AttemptFactory(assessment=quiz).user
    assert client_for(stranger).get(url).status_code == 404


def test_result_page_ladder(client_for, people, quiz):
    submission = SubmissionFactory(assessment=quiz, user=people["enrolled"])
    url = f"/assessments/{quiz.pk}/results/{submission.pk}/"
    _ladder(
        client_for,
        people,
        "get",
        url,
        {"dropped": 404, "other_instructor": 404, "owner": 200, "admin": 200, "enrolled": 200},
    )
    stranger = AttemptFactory(assessment=quiz).user
    assert client_for(stranger).get(url).status_code == 404


def test_history_ladder(client_for, people, quiz):
    _ladder(
        client_for,
        people,
        "get",
        f"/assessments/{quiz.pk}/attempts/",
        {"dropped": 404, "other_instructor": 404, "owner": 403, "admin": 403, "enrolled": 200},
    )


def test_preview_ladder(client_for, people, quiz):
    _ladder(
        client_for,
        people,
        "get",
        f"/assessments/{quiz.pk}/preview/",
        {"dropped": 404, "other_instructor": 404, "enrolled": 403, "owner": 200, "admin": 200},
    )


def test_autosave_ladder(client_for, people, quiz):
    attempt = AttemptFactory(assessment=quiz, user=people["enrolled"])
    url = f"/assessments/{quiz.pk}/attempts/{attempt.pk}/autosave"
    body = '{"answers": []}'
    anonymous = client_for(None).post(url, body, content_type="application/json")
    assert anonymous.status_code == 401
    expected = {
        "dropped": 403,
        "other_instructor": 404,
        "owner": 403,
        "admin": 403,
        "enrolled": 200,
    }
    for persona, want in expected.items():
        response = client_for(people[persona]).post(url, body, content_type="application/json")
        assert response.status_code == want, persona
    stranger = AttemptFactory(assessment=quiz).user
    response = client_for(stranger).post(url, body, content_type="application/json")
    assert response.status_code == 404


def test_draft_assessment_is_previewable_by_its_owner_only(client_for, people, course):
    draft = AssessmentFactory(course=course, status="draft", questions=2)
    assert client_for(people["owner"]).get(f"/assessments/{draft.pk}/preview/").status_code == 200
    assert client_for(people["enrolled"]).get(f"/assessments/{draft.pk}/").status_code == 404
