"""Object ids in API paths: only id characters reach the views (and the database)."""

import pytest

from tests.common.assertions import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/usr_%00",
        "/api/v1/courses/crs_%00abc",
        "/api/v1/enrollments/enr_%00",
        "/api/v1/assessments/asmnt_%00",
        "/api/v1/assessments/asmnt_%00/questions",
        "/api/v1/assessments/asmnt_x/questions/q_%00",
        "/api/v1/assessments/asmnt_x/attempts/att_%00",
        "/api/v1/assessments/asmnt_x/submissions/sub_%00",
        "/api/v1/courses/crs_%E2%82%AC",
        "/api/v1/courses/" + "a" * 65,
    ],
)
def test_path_with_characters_no_id_has_is_a_json_404(admin_client, path):
    # On PostgreSQL a NUL byte in a query parameter is a database error; it must never get there:
    # the path matches no route at all (a view's own 404 would say "No course with this id.").
    error = assert_error(admin_client.get(path), 404, "NOT_FOUND")
    assert error["message"] == "No API route matches this path."


def test_well_formed_unknown_id_is_a_json_404(admin_client):
    assert_error(admin_client.get("/api/v1/courses/crs_doesNotExist0"), 404, "NOT_FOUND")
