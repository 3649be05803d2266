"""The last active admin stays (SPEC §3): demoting, deactivating or deleting them is
`409 RESOURCE_IN_USE`, through the API and the services alike, and under concurrent requests."""

import pytest

from accounts.models import Role, User
from accounts.services import user_delete, user_update
from common.errors import ResourceInUse
from tests.accounts.factories import AdminFactory
from tests.common.assertions import assert_error, assert_success
from tests.common.concurrency import run_together

LAST_ADMIN = (
    "This is the last active admin: make another user an admin first, so that someone can "
    "still manage users."
)


def url(user_id: str) -> str:
    return f"/api/v1/users/{user_id}"


@pytest.mark.parametrize(
    "change", [{"role": "instructor"}, {"role": "learner"}, {"is_active": False}]
)
def test_the_last_admin_cannot_be_demoted_or_deactivated(admin, admin_client, change):
    error = assert_error(admin_client.patch(url(admin.pk), change), 409, "RESOURCE_IN_USE")

    assert error["message"] == LAST_ADMIN
    admin.refresh_from_db()
    assert (admin.role, admin.is_active, admin.is_superuser) == (Role.ADMIN, True, True)


def test_the_last_admin_cannot_be_deleted(admin, admin_client):
    error = assert_error(admin_client.delete(url(admin.pk)), 409, "RESOURCE_IN_USE")

    assert error["message"] == LAST_ADMIN
    assert User.objects.filter(pk=admin.pk).exists()


def test_an_admin_may_go_while_another_active_admin_stays(admin, admin_client):
    other = AdminFactory()

    assert_success(admin_client.patch(url(other.pk), {"role": "instructor"}))
    third = AdminFactory()
    assert_success(admin_client.patch(url(third.pk), {"is_active": False}))

    other.refresh_from_db()
    assert other.role == Role.INSTRUCTOR
    assert User.objects.filter(role=Role.ADMIN, is_active=True).get() == admin


def test_an_inactive_admin_does_not_count_as_the_one_who_stays(admin, admin_client):
    AdminFactory(is_active=False)

    assert_error(admin_client.patch(url(admin.pk), {"role": "learner"}), 409, "RESOURCE_IN_USE")


def test_other_changes_to_the_last_admin_are_fine(admin, admin_client):
    data = assert_success(
        admin_client.patch(url(admin.pk), {"name": "Ada Admin", "role": "admin", "is_active": True})
    )

    assert data["name"] == "Ada Admin"


def test_the_services_keep_the_last_admin_too(admin):
    with pytest.raises(ResourceInUse):
        user_update(user=admin, role=Role.LEARNER)
    with pytest.raises(ResourceInUse):
        user_delete(user=admin)
    assert User.objects.get(pk=admin.pk).role == Role.ADMIN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    first, second = AdminFactory(), AdminFactory()

    outcomes = run_together(
        [
            lambda: user_update(user=first, role=Role.INSTRUCTOR),
            lambda: user_update(user=second, role=Role.INSTRUCTOR),
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["ResourceInUse", "User"], outcomes
    assert User.objects.filter(role=Role.ADMIN, is_active=True).count() == 1
