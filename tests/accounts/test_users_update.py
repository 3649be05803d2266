"""PUT/PATCH /api/v1/users/:id (SPEC §3): anyone changes their own name and password; only
admins change email, role and is_active, and other users. PUT needs name and email; PATCH is
partial."""

import pytest

from accounts.models import Role, User
from accounts.services import INSTRUCTORS_GROUP, user_update
from common.errors import NotFound, ValidationFailed
from enrollments.models import Enrollment
from tests.accounts.factories import PASSWORD
from tests.common.assertions import (
    assert_error,
    assert_success,
    assert_unauthorized,
    detail_fields,
)
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory

ME_URL = "/api/v1/auth/me"
NEW_PASSWORD = "quiet-orchard-1987"


def url(user_id):
    return f"/api/v1/users/{user_id}"


# --- the permission ladder ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
def test_anonymous_gets_401(anon_client, learner, method):
    response = getattr(anon_client, method)(url(learner.id), {"name": "X Y", "email": "x@e.com"})

    assert_unauthorized(response)


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("persona", ["learner_client", "instructor_client"])
def test_changing_another_user_returns_404(request, other_learner, persona, method):
    client = request.getfixturevalue(persona)

    response = getattr(client, method)(
        url(other_learner.id), {"name": "Hacked", "email": other_learner.email}
    )

    assert_error(response, 404, "NOT_FOUND")
    other_learner.refresh_from_db()
    assert other_learner.name == "Oscar Learner"


def test_user_changes_own_name(learner_client, learner):
    data = assert_success(learner_client.patch(url(learner.id), {"name": "Lena Renamed"}))

    assert data["name"] == "Lena Renamed"
    learner.refresh_from_db()
    assert learner.name == "Lena Renamed"


def test_user_puts_own_record_repeating_email_in_any_case(learner_client, learner):
    response = learner_client.put(
        url(learner.id), {"name": "Lena Put", "email": "LENA@example.com", "role": "learner"}
    )

    data = assert_success(response)
    assert data["name"] == "Lena Put" and data["email"] == "lena@example.com"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "admin"}, "role"),
        ({"role": "instructor"}, "role"),
        ({"email": "new-lena@example.com"}, "email"),
        ({"is_active": False}, "is_active"),
    ],
)
def test_user_changing_own_role_email_or_active_flag_gets_403(
    learner_client, learner, change, field
):
    error = assert_error(learner_client.patch(url(learner.id), change), 403, "FORBIDDEN")

    # A 403 carries no details (SPEC §2); its message names the refused field.
    assert error["details"] == []
    assert error["message"] == (
        f"You may change only your own name and password; only admins may change {field}."
    )
    learner.refresh_from_db()
    assert (learner.role, learner.email, learner.is_active) == (
        "learner",
        "lena@example.com",
        True,
    )


def test_forbidden_change_changes_nothing_else(instructor_client, instructor):
    response = instructor_client.patch(url(instructor.id), {"name": "Sneaky", "role": "admin"})

    assert_error(response, 403, "FORBIDDEN")
    instructor.refresh_from_db()
    assert instructor.name == "Ivan Instructor" and instructor.role == Role.INSTRUCTOR


# --- own password -------------------------------------------------------------------------------


def test_own_password_change_works_for_login_and_ends_other_logins(
    log_in, token_pair, client_with, learner
):
    current = token_pair(learner)
    other = token_pair(learner)
    client = client_with(current["access_token"])

    assert_success(client.patch(url(learner.id), {"password": NEW_PASSWORD}))

    assert_success(log_in(learner.email, NEW_PASSWORD))
    assert_unauthorized(log_in(learner.email, PASSWORD))
    assert_success(client.get(ME_URL))
    assert_success(client.post("/api/v1/auth/refresh", {"refresh_token": current["refresh_token"]}))
    assert_unauthorized(client_with(other["access_token"]).get(ME_URL))
    assert_unauthorized(
        client.post("/api/v1/auth/refresh", {"refresh_token": other["refresh_token"]})
    )


@pytest.mark.parametrize("password", ["short1!", "password", "12345678901"])
def test_weak_new_password_returns_422_and_keeps_the_old_one(
    learner_client, learner, log_in, password
):
    error = assert_error(
        learner_client.patch(url(learner.id), {"password": password}), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"password"}
    assert_success(log_in(learner.email, PASSWORD))


def test_admin_setting_a_password_ends_all_of_that_users_logins(
    admin_client, token_pair, client_with, learner, log_in
):
    pair = token_pair(learner)

    assert_success(admin_client.patch(url(learner.id), {"password": NEW_PASSWORD}))

    assert_unauthorized(client_with(pair["access_token"]).get(ME_URL))
    assert_success(log_in(learner.email, NEW_PASSWORD))


# --- PUT and PATCH shapes -----------------------------------------------------------------------


def test_put_requires_name_and_email(learner_client, learner):
    error = assert_error(learner_client.put(url(learner.id), {}), 422, "VALIDATION_ERROR")

    assert detail_fields(error) == {"name", "email"}


def test_put_without_email_returns_422(learner_client, learner):
    error = assert_error(
        learner_client.put(url(learner.id), {"name": "Lena"}), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"email"}


def test_patch_changes_only_what_it_names(admin_client, learner):
    data = assert_success(admin_client.patch(url(learner.id), {"name": "Lena Patched"}))

    assert data["name"] == "Lena Patched"
    assert data["email"] == "lena@example.com" and data["role"] == "learner"
    assert data["is_active"] is True


def test_empty_patch_changes_nothing(learner_client, learner):
    data = assert_success(learner_client.patch(url(learner.id), {}))

    assert data["name"] == "Lena Learner"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "L"}, "name"),
        ({"name": "L" * 101}, "name"),
        ({"password": "password"}, "password"),
    ],
)
def test_invalid_own_change_returns_422_naming_the_field(learner_client, learner, change, field):
    error = assert_error(learner_client.patch(url(learner.id), change), 422, "VALIDATION_ERROR")

    assert detail_fields(error) == {field}


# --- admins -------------------------------------------------------------------------------------


def test_admin_changes_email_and_it_is_stored_lower_case(admin_client, learner, log_in):
    data = assert_success(admin_client.patch(url(learner.id), {"email": "Lena.New@Example.com"}))

    assert data["email"] == "lena.new@example.com"
    assert_success(log_in("LENA.NEW@example.com"))


def test_admin_cannot_give_a_taken_email_in_another_case(admin_client, learner, other_learner):
    response = admin_client.patch(url(learner.id), {"email": "OSCAR@example.com"})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert detail_fields(error) == {"email"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "broken"}, "email"),
        ({"role": "superhero"}, "role"),
        ({"is_active": "perhaps"}, "is_active"),
    ],
)
def test_admin_invalid_change_returns_422(admin_client, learner, change, field):
    error = assert_error(admin_client.patch(url(learner.id), change), 422, "VALIDATION_ERROR")

    assert detail_fields(error) == {field}


def test_admin_promotes_to_instructor_and_back(admin_client, learner):
    data = assert_success(admin_client.patch(url(learner.id), {"role": "instructor"}))

    assert data["role"] == "instructor"
    learner.refresh_from_db()
    assert learner.is_staff
    assert list(learner.groups.values_list("name", flat=True)) == [INSTRUCTORS_GROUP]

    assert_success(admin_client.patch(url(learner.id), {"role": "learner"}))

    learner.refresh_from_db()
    assert not learner.is_staff
    assert not learner.groups.exists()


def test_admin_deactivates_a_user_whose_tokens_stop_at_once(
    admin_client, token_pair, client_with, learner, log_in
):
    pair = token_pair(learner)
    client = client_with(pair["access_token"])

    data = assert_success(admin_client.patch(url(learner.id), {"is_active": False}))

    assert data["is_active"] is False
    assert_unauthorized(client.get(ME_URL))
    assert_unauthorized(
        client.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]})
    )
    assert_unauthorized(log_in(learner.email))


def test_reactivated_user_logs_in_again_but_old_tokens_stay_dead(
    admin_client, token_pair, client_with, learner, log_in
):
    old = token_pair(learner)
    assert_success(admin_client.patch(url(learner.id), {"is_active": False}))

    assert_success(admin_client.patch(url(learner.id), {"is_active": True}))

    assert_success(log_in(learner.email))
    assert_unauthorized(client_with(old["access_token"]).get(ME_URL))


def test_admin_puts_a_whole_record(admin_client, learner):
    response = admin_client.put(
        url(learner.id),
        {"name": "Lena Instructor", "email": "lena.i@example.com", "role": "instructor"},
    )

    data = assert_success(response)
    assert (data["name"], data["email"], data["role"]) == (
        "Lena Instructor",
        "lena.i@example.com",
        "instructor",
    )


def test_admin_changing_an_unknown_user_gets_404(admin_client):
    response = admin_client.patch(url("usr_doesnotexist0000000"), {"name": "Ghost"})

    assert_error(response, 404, "NOT_FOUND")


# --- passwords like the name --------------------------------------------------------------------


def test_own_password_like_own_name_returns_422(learner_client, learner, log_in):
    response = learner_client.patch(url(learner.id), {"password": "lenalearner"})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [
        {"field": "password", "issue": "The password is too similar to the name."}
    ]
    assert_success(log_in(learner.email, PASSWORD))


def test_password_like_the_new_name_sent_with_it_returns_422(learner_client, learner):
    response = learner_client.patch(
        url(learner.id), {"name": "Copperfieldmarmalade", "password": "copperfieldmarmalade"}
    )

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert detail_fields(error) == {"password"}
    learner.refresh_from_db()
    assert learner.name == "Lena Learner"


# --- role changes and the records a user holds --------------------------------------------------


@pytest.mark.parametrize("status", [Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED])
@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_learner_with_live_enrolments_keeps_the_learner_role(
    admin_client, learner, instructor, status, role
):
    EnrollmentFactory(user=learner, course=CourseFactory(instructor=instructor), status=status)

    error = assert_error(
        admin_client.patch(url(learner.id), {"role": role}), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"role"}
    assert "drop the enrolments first" in error["details"][0]["issue"]
    learner.refresh_from_db()
    assert learner.role == Role.LEARNER
    assert not learner.groups.exists()


def test_learner_with_only_dropped_enrolments_may_become_an_instructor(admin_client, learner):
    EnrollmentFactory(user=learner, status=Enrollment.Status.DROPPED)

    data = assert_success(admin_client.patch(url(learner.id), {"role": "instructor"}))

    assert data["role"] == "instructor"


@pytest.mark.parametrize("role", ["learner", "admin"])
def test_instructor_who_teaches_courses_keeps_the_instructor_role(admin_client, instructor, role):
    CourseFactory(instructor=instructor)

    error = assert_error(
        admin_client.put(
            url(instructor.id), {"name": instructor.name, "email": instructor.email, "role": role}
        ),
        422,
        "VALIDATION_ERROR",
    )

    assert detail_fields(error) == {"role"}
    assert "reassign their courses first" in error["details"][0]["issue"]
    instructor.refresh_from_db()
    assert instructor.role == Role.INSTRUCTOR and instructor.is_staff


def test_instructor_whose_courses_were_handed_over_may_be_demoted(
    admin_client, instructor, other_instructor
):
    course = CourseFactory(instructor=instructor)
    assert_success(
        admin_client.patch(f"/api/v1/courses/{course.id}", {"instructor_id": other_instructor.id})
    )

    data = assert_success(admin_client.patch(url(instructor.id), {"role": "learner"}))

    assert data["role"] == "learner"


def test_refused_role_change_changes_no_other_field(admin_client, instructor):
    CourseFactory(instructor=instructor)

    response = admin_client.patch(url(instructor.id), {"role": "learner", "name": "Ivan Renamed"})

    assert_error(response, 422, "VALIDATION_ERROR")
    instructor.refresh_from_db()
    assert instructor.name == "Ivan Instructor"


# --- the service writes only what it is given ---------------------------------------------------


def test_stale_user_does_not_undo_a_deactivation(learner):
    stale = User.objects.get(pk=learner.pk)
    user_update(user=User.objects.get(pk=learner.pk), is_active=False)

    saved = user_update(user=stale, name="Lena Renamed")

    learner.refresh_from_db()
    assert (learner.name, learner.is_active) == ("Lena Renamed", False)
    assert (saved.name, saved.is_active) == ("Lena Renamed", False)


def test_stale_user_keeps_a_role_and_email_changed_meanwhile(learner):
    stale = User.objects.get(pk=learner.pk)
    user_update(user=learner, role=Role.INSTRUCTOR, email="lena.new@example.com")

    user_update(user=stale, password=NEW_PASSWORD)

    learner.refresh_from_db()
    assert (learner.role, learner.email) == (Role.INSTRUCTOR, "lena.new@example.com")
    assert learner.check_password(NEW_PASSWORD)


def test_role_rule_reads_the_stored_role_not_the_stale_one(learner, instructor):
    stale = User.objects.get(pk=learner.pk)
    user_update(user=learner, role=Role.INSTRUCTOR)
    CourseFactory(instructor=learner)

    with pytest.raises(ValidationFailed) as refused:
        user_update(user=stale, role=Role.LEARNER)

    assert refused.value.details[0]["field"] == "role"
    learner.refresh_from_db()
    assert learner.role == Role.INSTRUCTOR


def test_updating_a_user_deleted_meanwhile_is_not_found(learner):
    stale = User.objects.get(pk=learner.pk)
    User.objects.filter(pk=learner.pk).delete()

    with pytest.raises(NotFound):
        user_update(user=stale, name="Ghost")
