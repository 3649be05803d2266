"""Users in the Django admin (SPEC §10): admins manage them through the same rules as the API;
instructors, staff without user permissions, do not see them."""

import pytest
from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import INSTRUCTORS_GROUP
from courses.models import Course
from enrollments.models import Enrollment
from tests.common.assertions import assert_success, assert_unauthorized
from tests.enrollments.factories import while_deleting

CHANGELIST = "/admin/accounts/user/"
ADD = "/admin/accounts/user/add/"
NEW_PASSWORD = "quiet-orchard-1987"


def change_url(user):
    return reverse("admin:accounts_user_change", args=[quote(user.pk)])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[quote(user.pk)])


def delete_url(user):
    return reverse("admin:accounts_user_delete", args=[quote(user.pk)])


def change_form(user, **overrides):
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        **overrides,
    }


@pytest.fixture
def admin_web(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def instructor_web(client, instructor):
    client.force_login(instructor)
    return client


def test_admin_lists_users(admin_web, learner, instructor):
    response = admin_web.get(CHANGELIST)

    assert response.status_code == 200
    assert "lena@example.com" in response.content.decode()
    assert "ivan@example.com" in response.content.decode()


@pytest.mark.parametrize("query", ["Lena", "LENA@EXAMPLE"])
def test_admin_searches_by_name_or_email(admin_web, learner, other_learner, query):
    response = admin_web.get(CHANGELIST, {"q": query})

    assert list(response.context["cl"].queryset) == [learner]


def test_admin_filters_by_role_and_active_flag(admin_web, learner, other_learner, instructor):
    User.objects.filter(pk=other_learner.pk).update(is_active=False)

    response = admin_web.get(CHANGELIST, {"role__exact": "learner", "is_active__exact": "1"})

    assert list(response.context["cl"].queryset) == [learner]


def test_instructor_cannot_see_the_users_admin(instructor_web, learner):
    assert instructor_web.get(CHANGELIST).status_code == 403
    assert instructor_web.get(ADD).status_code == 403
    assert instructor_web.get(change_url(learner)).status_code == 403
    assert "/admin/accounts/user/" not in instructor_web.get("/admin/").content.decode()


def test_learner_cannot_open_the_admin(client, learner):
    client.force_login(learner)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_adds_an_instructor_with_lower_case_email(admin_web, log_in):
    response = admin_web.post(
        ADD,
        {
            "email": "New.Teacher@Example.com",
            "name": "New Teacher",
            "role": "instructor",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
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
def test_add_form_applies_the_service_rules(admin_web, learner, overrides, field):
    data = {
        "email": "nina@example.com",
        "name": "Nina New",
        "role": "learner",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }

    response = admin_web.post(ADD, data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert User.objects.count() == 2  # the admin and the learner


def test_change_form_shows_a_password_change_link(admin_web, learner):
    response = admin_web.get(change_url(learner))

    assert response.status_code == 200
    assert 'href="../password/"' in response.content.decode()


def test_admin_changes_name_email_and_role(admin_web, learner):
    response = admin_web.post(
        change_url(learner),
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


def test_demoting_an_instructor_takes_them_out_of_the_group(admin_web, instructor):
    response = admin_web.post(change_url(instructor), change_form(instructor, role="learner"))

    assert response.status_code == 302
    instructor.refresh_from_db()
    assert not instructor.groups.exists() and not instructor.is_staff


def test_change_form_refuses_a_taken_email_in_another_case(admin_web, learner, other_learner):
    response = admin_web.post(change_url(learner), change_form(learner, email="OSCAR@example.com"))

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    learner.refresh_from_db()
    assert learner.email == "lena@example.com"


def test_deactivating_in_the_admin_ends_api_tokens(admin_web, learner, token_pair, client_with):
    client = client_with(token_pair(learner)["access_token"])

    response = admin_web.post(change_url(learner), change_form(learner, is_active=""))

    assert response.status_code == 302
    learner.refresh_from_db()
    assert not learner.is_active
    assert learner.logins.filter(revoked_at__isnull=True).count() == 0
    assert_unauthorized(client.get("/api/v1/auth/me"))


def test_password_change_in_the_admin_ends_api_logins(
    admin_web, learner, token_pair, client_with, log_in
):
    client = client_with(token_pair(learner)["access_token"])

    response = admin_web.post(
        password_url(learner),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert_success(log_in(learner.email, NEW_PASSWORD))
    assert_unauthorized(client.get("/api/v1/auth/me"))


def test_password_change_in_the_admin_applies_the_validators(admin_web, learner):
    response = admin_web.post(
        password_url(learner),
        {"password1": "password", "password2": "password"},
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors


def test_deactivate_action_ends_logins(admin_web, learner, other_learner, token_pair, client_with):
    client = client_with(token_pair(learner)["access_token"])

    response = admin_web.post(
        CHANGELIST,
        {"action": "deactivate_users", "_selected_action": [learner.pk, other_learner.pk]},
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[learner.pk, other_learner.pk], is_active=True).exists()
    assert_unauthorized(client.get("/api/v1/auth/me"))


def test_admin_deletes_a_user_without_records(admin_web, learner):
    response = admin_web.post(delete_url(learner), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()


def test_admin_cannot_delete_a_user_with_an_enrolment(admin_web, instructor, learner):
    course = Course.objects.create(title="Intro", instructor=instructor)
    Enrollment.objects.create(user=learner, course=course)

    response = admin_web.post(delete_url(learner), {"post": "yes"})

    assert response.status_code == 200  # the "cannot delete, protected objects" page
    assert User.objects.filter(pk=learner.pk).exists()


def test_add_change_and_password_pages_render(admin_web, learner):
    assert admin_web.get(ADD).status_code == 200
    assert admin_web.get(change_url(learner)).status_code == 200
    page = admin_web.get(password_url(learner))
    assert page.status_code == 200
    assert "usable_password" not in page.context["form"].fields


def test_admin_opens_a_user_whose_id_looks_like_an_admin_escape(admin_web):
    # Ids are "<prefix>_<random>"; the admin escapes "_" in URLs, so "usr_3A..." must be quoted
    # ("_3A" would otherwise read as ":"). The changelist's own links do that.
    user = User.objects.create_user(
        email="escape@example.com", password="x-long-password", name="Escape", id="usr_3Aabc"
    )

    changelist = admin_web.get(reverse("admin:accounts_user_changelist"))
    change = admin_web.get(change_url(user))

    assert f'href="{change_url(user)}"' in changelist.content.decode()
    assert change.status_code == 200
    assert admin_web.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 302


def test_change_form_refuses_to_promote_a_learner_with_live_enrolments(
    admin_web, learner, instructor
):
    Enrollment.objects.create(
        user=learner, course=Course.objects.create(title="Intro", instructor=instructor)
    )

    response = admin_web.post(change_url(learner), change_form(learner, role="instructor"))

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["role"]
    assert "drop the enrolments first" in message
    learner.refresh_from_db()
    assert learner.role == Role.LEARNER


def test_change_form_refuses_to_demote_an_instructor_who_teaches_courses(admin_web, instructor):
    Course.objects.create(title="Intro", instructor=instructor)

    response = admin_web.post(change_url(instructor), change_form(instructor, role="learner"))

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["role"]
    assert "reassign their courses first" in message
    instructor.refresh_from_db()
    assert instructor.role == Role.INSTRUCTOR


def test_password_change_in_the_admin_refuses_a_password_like_the_name(admin_web, learner):
    response = admin_web.post(
        password_url(learner), {"password1": "lenalearner", "password2": "lenalearner"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == [
        "The password is too similar to the name."
    ]
    assert not User.objects.get(pk=learner.pk).check_password("lenalearner")


def test_add_form_refuses_a_password_like_the_name(admin_web):
    response = admin_web.post(
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
    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="nina@example.com").exists()


def test_delete_refused_by_a_record_stored_meanwhile_shows_the_refusal(
    admin_web, learner, instructor
):
    course = Course.objects.create(title="Intro", instructor=instructor)

    with while_deleting(User, lambda user: Enrollment.objects.create(user=user, course=course)):
        response = admin_web.post(delete_url(learner), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == delete_url(learner)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This user owns courses or has enrolments, attempts or submissions and cannot be "
        "deleted; deactivate them instead (is_active: false)."
    ]
    assert User.objects.filter(pk=learner.pk).exists()
