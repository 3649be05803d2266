"""A request works from what it read before it took any lock. What it writes must not undo a
change another request made in between (an admin's deactivation, demotion or email change)."""

import pytest

from accounts.models import Role, User
from accounts.permissions import check_user_change
from accounts.services import user_update

pytestmark = pytest.mark.django_db


def test_self_service_put_repeating_stale_fields_changes_only_name(learner):
    stale = User.objects.get(pk=learner.pk)  # what the user's PUT was built from
    user_update(user=User.objects.get(pk=learner.pk), email="moved@example.com")  # the admin

    changes = check_user_change(
        actor=stale,
        user=stale,
        changes={"name": "Renamed", "email": stale.email, "role": Role.LEARNER, "is_active": True},
    )
    user_update(user=stale, **changes)

    assert changes == {"name": "Renamed"}
    learner.refresh_from_db()
    assert (learner.name, learner.email) == ("Renamed", "moved@example.com")


def test_self_service_change_of_another_field_is_still_forbidden(learner):
    from common.errors import Forbidden

    with pytest.raises(Forbidden):
        check_user_change(actor=learner, user=learner, changes={"role": Role.ADMIN})


def test_admin_changes_pass_through_whole(admin, learner):
    changes = {"role": Role.INSTRUCTOR, "is_active": False, "name": "New Name"}

    assert check_user_change(actor=admin, user=learner, changes=changes) == changes


def test_login_of_a_user_deactivated_after_the_password_check_gets_no_tokens(learner):
    from accounts.errors import InvalidCredentials
    from accounts.models import Login
    from accounts.services import login_start

    checked = User.objects.get(pk=learner.pk)  # the password was checked on this copy
    user_update(user=User.objects.get(pk=learner.pk), is_active=False)

    with pytest.raises(InvalidCredentials):
        login_start(user=checked)
    assert not Login.objects.filter(user=learner).exists()
