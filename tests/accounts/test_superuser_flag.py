"""`is_superuser` is a stored field that follows the admin role, so Django's permission backend
and packages that query it work (`ModelBackend.with_perm` filters on it)."""

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import user_create, user_update
from tests.accounts.factories import PASSWORD


def test_with_perm_lists_admins_as_superusers_and_instructors_through_their_group(
    admin, instructor, learner
):
    holders = ModelBackend().with_perm("courses.change_course")

    assert set(holders) == {admin, instructor}


def test_with_perm_superusers_only_excludes_the_instructors(admin, instructor, learner):
    holders = ModelBackend().with_perm("courses.change_course", include_superusers=True)
    no_superusers = ModelBackend().with_perm("courses.change_course", include_superusers=False)

    assert admin in holders and admin not in no_superusers
    assert instructor in no_superusers


def test_user_create_with_the_admin_role_stores_a_superuser(db):
    user = user_create(email="ada@example.com", name="Ada", password=PASSWORD, role=Role.ADMIN)

    user.refresh_from_db()
    assert user.is_superuser


def test_user_create_with_another_role_stores_no_superuser(db):
    user = user_create(email="ivy@example.com", name="Ivy", password=PASSWORD, role="instructor")

    user.refresh_from_db()
    assert not user.is_superuser


def test_promoted_user_becomes_a_superuser_and_a_demoted_one_stops_being_one(admin, learner):
    user_update(user=learner, role=Role.ADMIN)
    learner.refresh_from_db()
    assert learner.is_superuser

    user_update(user=learner, role=Role.LEARNER)
    learner.refresh_from_db()
    assert not learner.is_superuser


def test_admin_page_role_change_keeps_is_superuser_in_step(client, admin, learner):
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[quote(learner.pk)])
    form = {"email": learner.email, "name": learner.name, "role": "admin", "is_active": "on"}

    response = client.post(url, form)

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.role == Role.ADMIN and learner.is_superuser


def test_database_refuses_a_superuser_flag_that_disagrees_with_the_role(learner):
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=learner.pk).update(is_superuser=True)
