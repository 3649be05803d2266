"""Access to user records: fetch and check in one place."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import User, normalize_email
from common.errors import Forbidden, NotFound


def user_for_actor(*, actor: User, user_id: str) -> User:
    """The user `user_id` if `actor` may see it (admins see all, others only themselves);
    anything else is a 404, so nobody learns which ids exist."""
    if actor.is_admin:
        user = User.objects.filter(pk=user_id).first()
    else:
        user = actor if actor.pk == user_id else None
    if user is None:
        raise NotFound("No user with this id.")
    return user


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden("Only admins may do this.")


SELF_EDITABLE_FIELDS = frozenset({"name", "password"})


def _differs(user: User, field: str, value: object) -> bool:
    """Whether `value` would change `field`; a PUT that repeats the current value (an email in
    any letter case) changes nothing."""
    current = getattr(user, field)
    if field == "email" and isinstance(value, str):
        return bool(normalize_email(value) != current)
    return bool(current != value)


def check_user_change(*, actor: User, user: User, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes `actor` may make to `user`: admins anything; everyone else only their own name
    and password. Other fields may be sent unchanged (a PUT repeating them) but are then left
    out, so a stale copy never writes over what an admin changed meanwhile."""
    if actor.is_admin:
        return dict(changes)
    forbidden = sorted(
        field
        for field, value in changes.items()
        if field not in SELF_EDITABLE_FIELDS and _differs(user, field, value)
    )
    if forbidden:
        # A 403 names no fields in `details` (SPEC §2: those are for 422s): the message does.
        raise Forbidden(
            f"You may change only your own name and password; only admins may change "
            f"{', '.join(forbidden)}."
        )
    return {field: value for field, value in changes.items() if field in SELF_EDITABLE_FIELDS}


def admin_page_user(request: HttpRequest) -> User:
    """The user of a Django admin page. The admin site lets only active staff in, so anyone
    else here (an anonymous user) is refused as Django refuses them."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
