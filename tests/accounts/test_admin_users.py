"""Users in the Django admin (SPEC §10): admins manage them through the same rules as the API;
instructors, staff without user permissions, do not see them."""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import INSTRUCTORS_GROUP
from courses.models import Course
from enrollments.models import Enrollment
from tests.common.admin import admin_url, form_errors, messages_of
from tests.common.assertions import assert_success, assert_unauthorized
from tests.enrollments.factories import while_deleting

CHANGELIST = "/admin/accounts/user/"
ADD = "/admin/accounts/user/add/"
NEW_PASSWORD = "quiet-orchard-1987"


def change_form(user, **overrides):
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        **overrides,
    }


def test_admin_lists_users(admin_browser, learner, instructor):
    response = admin_browser.get(CHANGELIST)

    assert response.status_code == 200
    assert "lena@example.com" in response.content.decode()
    assert "ivan@example.com" in response.content.decode()


@pytest.mark.parametrize("query", ["Lena", "LENA@EXAMPLE"])
def test_admin_searches_by_name_or_email(admin_browser, learner, other_learner, query):
    response = admin_browser.get(CHANGELIST, {"q": query})

    assert list(response.context["cl"].queryset) == [learner]


def test_admin_filters_by_role_and_active_flag(admin_browser, learner, other_learner, instructor):
    User.objects.filter(pk=other_learner.pk).update(is_active=False)

    response = admin_browser.get(CHANGELIST, {"role__exact": "learner", "is_active__exact": "1"})

    assert list(response.context["cl"].queryset) == [learner]


def test_instructor_cannot_see_the_users_admin(instructor_browser, learner):
    assert instructor_browser.get(CHANGELIST).status_code == 403
    assert instructor_browser.get(ADD).status_code == 403
    assert instructor_browser.get(admin_url("accounts_user_change", learner)).status_code == 403
    assert "/admin/accounts/user/" not in instructor_browser.get("/admin/").content.decode()


def test_learner_cannot_open_the_admin(client, learner):
    client.force_login(learner)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_adds_an_instructor_with_lower_case_email(admin_browser, log_in):
    response = admin_browser.post(
        ADD,
        {
            "email": "New.Teacher@Example.com",
            "name": "New Teacher",
            "role": "instructor",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, form_errors(response)
    user = User.objects.get(email="new.teacher@example.com")
    assert response["Location"] == f"/admin/accounts/user/{quote(user.pk)}/change/"
    assert user.role == Role.INSTRUCTOR and user.id.startswith("usr_")
    assert list(user.groups.values_list("name", flat=True)) == [INSTRUCTORS_GROUP]
    assert_success(log_in("new.teacher@example.com", NEW_PASSWORD))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "LENA@example.com"}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"name": "N"}, "name"),
        ({"password1": "password", "password2": "password"}, "password2"),
        ({"password2": "something-else-1987"}, "password2"),
    ],
)
def test_add_form_applies_the_service_rules(admin_browser, learner, overrides, field):
    data = {
        "email": "nina@example.com",
        "name": "Nina New",
        "role": "learner",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }

    response = admin_browser.post(ADD, data)

    assert response.status_code == 200
    assert field in form_errors(response)
    assert User.objects.count() == 2  # the admin and the learner


def test_change_form_shows_a_password_change_link(admin_browser, learner):
    response = admin_browser.get(admin_url("accounts_user_change", learner))

    assert response.status_code == 200
    assert 'href="../password/"' in response.content.decode()


def test_admin_changes_name_email_and_role(admin_browser, learner):
    response = admin_browser.post(
        admin_url("accounts_user_change", learner),
        change_form(learner, name="Lena Teacher", email="Lena.T@Example.com", role="instructor"),
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.name, learner.email, learner.role) == (
        "Lena Teacher",
        "lena.t@example.com",
        "instructor",
    )
    assert learner.groups.filter(name=INSTRUCTORS_GROUP).exists()


def test_demoting_an_instructor_takes_them_out_of_the_group(admin_browser, instructor):
    response = admin_browser.post(
        admin_url("accounts_user_change", instructor), change_form(instructor, role="learner")
    )

    assert response.status_code == 302
    instructor.refresh_from_db()
    assert not instructor.groups.exists() and not instructor.is_staff


def test_change_form_refuses_a_taken_email_in_another_case(admin_browser, learner, other_learner):
    response = admin_browser.post(
        admin_url("accounts_user_change", learner), change_form(learner, email="OSCAR@example.com")
    )

    assert response.status_code == 200
    assert "email" in form_errors(response)
    learner.refresh_from_db()
    assert learner.email == "lena@example.com"


def test_deactivating_in_the_admin_ends_api_tokens(admin_browser, learner, token_pair, client_with):
    client = client_with(token_pair(learner)["access_token"])

    response = admin_browser.post(
        admin_url("accounts_user_change", learner), change_form(learner, is_active="")
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert not learner.is_active
    assert learner.logins.filter(revoked_at__isnull=True).count() == 0
    assert_unauthorized(client.get("/api/v1/auth/me"))


def test_password_change_in_the_admin_ends_api_logins(
    admin_browser, learner, token_pair, client_with, log_in
):
    client = client_with(token_pair(learner)["access_token"])

    response = admin_browser.post(
        admin_url("auth_user_password_change", learner),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert_success(log_in(learner.email, NEW_PASSWORD))
    assert_unauthorized(client.get("/api/v1/auth/me"))


def test_password_change_in_the_admin_applies_the_validators(admin_browser, learner):
    response = admin_browser.post(
        admin_url("auth_user_password_change", learner),
        {"password1": "password", "password2": "password"},
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors


def test_deactivate_action_ends_logins(
    admin_browser, learner, other_learner, token_pair, client_with
):
    client = client_with(token_pair(learner)["access_token"])

    response = admin_browser.post(
        CHANGELIST,
        {"action": "deactivate_users", "_selected_action": [learner.pk, other_learner.pk]},
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[learner.pk, other_learner.pk], is_active=True).exists()
    assert_unauthorized(client.get("/api/v1/auth/me"))


def test_admin_deletes_a_user_without_records(admin_browser, learner):
    response = admin_browser.post(admin_url("accounts_user_delete", learner), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()


def test_admin_cannot_delete_a_user_with_an_enrolment(admin_browser, instructor, learner):
    course = Course.objects.create(title="Intro", instructor=instructor)
    Enrollment.objects.create(user=learner, course=course)

    response = admin_browser.post(admin_url("accounts_user_delete", learner), {"post": "yes"})

    assert response.status_code == 200  # the "cannot delete, protected objects" page
    assert User.objects.filter(pk=learner.pk).exists()


def test_add_change_and_password_pages_render(admin_browser, learner):
    assert admin_browser.get(ADD).status_code == 200
    assert admin_browser.get(admin_url("accounts_user_change", learner)).status_code == 200
    page = admin_browser.get(admin_url("auth_user_password_change", learner))
    assert page.status_code == 200
    assert "usable_password" not in page.context["form"].fields


def test_admin_opens_a_user_whose_id_looks_like_an_admin_escape(admin_browser):
    # Ids are "<prefix>_<random>"; the admin escapes "_" in URLs, so "usr_3A..." must be quoted
    # ("_3A" would otherwise read as ":"). The changelist's own links do that.
    user = User.objects.create_user(
        email="escape@example.com", password="x-long-password", name="Escape", id="usr_3Aabc"
    )

    changelist = admin_browser.get(reverse("admin:accounts_user_changelist"))
    change = admin_browser.get(admin_url("accounts_user_change", user))

    assert f'href="{admin_url("accounts_user_change", user)}"' in changelist.content.decode()
    assert change.status_code == 200
    assert (
        admin_browser.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 302
    )


def test_change_form_refuses_to_promote_a_learner_with_live_enrolments(
    admin_browser, learner, instructor
):
    Enrollment.objects.create(
        user=learner, course=Course.objects.create(title="Intro", instructor=instructor)
    )

    response = admin_browser.post(
        admin_url("accounts_user_change", learner), change_form(learner, role="instructor")
    )

    assert response.status_code == 200
    [message] = form_errors(response)["role"]
    assert "drop the enrolments first" in message
    learner.refresh_from_db()
    assert learner.role == Role.LEARNER


def test_change_form_refuses_to_demote_an_instructor_who_teaches_courses(admin_browser, instructor):
    Course.objects.create(title="Intro", instructor=instructor)

    response = admin_browser.post(
        admin_url("accounts_user_change", instructor), change_form(instructor, role="learner")
    )

    assert response.status_code == 200
    [message] = form_errors(response)["role"]
    assert "reassign their courses first" in message
    instructor.refresh_from_db()
    assert instructor.role == Role.INSTRUCTOR


def test_password_change_in_the_admin_refuses_a_password_like_the_name(admin_browser, learner):
    response = admin_browser.post(
        admin_url("auth_user_password_change", learner),
        {"password1": "lenalearner", "password2": "lenalearner"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == [
        "The password is too similar to the name."
    ]
    assert not User.objects.get(pk=learner.pk).check_password("lenalearner")


def test_add_form_refuses_a_password_like_the_name(admin_browser):
    response = admin_browser.post(
        ADD,
        {
            "email": "nina@example.com",
            "name": "Copperfieldmarmalade",
            "role": "learner",
            "password1": "copperfieldmarmalade",
            "password2": "copperfieldmarmalade",
        },
    )

    assert response.status_code == 200
    assert "password2" in form_errors(response)
    assert not User.objects.filter(email="nina@example.com").exists()


def test_delete_refused_by_a_record_stored_meanwhile_shows_the_refusal(
    admin_browser, learner, instructor
):
    course = Course.objects.create(title="Intro", instructor=instructor)

    with while_deleting(User, lambda user: Enrollment.objects.create(user=user, course=course)):
        response = admin_browser.post(admin_url("accounts_user_delete", learner), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == admin_url("accounts_user_delete", learner)
    assert messages_of(response) == [
        "This user owns courses or has enrolments, attempts or submissions and cannot be "
        "deleted; deactivate them instead (is_active: false)."
    ]
    assert User.objects.filter(pk=learner.pk).exists()
