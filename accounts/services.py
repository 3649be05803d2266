"""Writes for users and logins. The API, the pages and management commands all call these."""

import copy
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TypedDict, Unpack

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.errors import InvalidCredentials, InvalidRefreshToken
from accounts.models import Login, Role, Token, User, normalize_email
from common.db import delete_checking_references
from common.errors import NotFound, ResourceInUse, ValidationFailed
from common.validation import UNSET, Issue, Issues, field_issues, issue

# The group holding the instructors' Django admin rights: made by accounts' migration 0002, and
# each app's own data migration grants it the permissions on that app's models.
INSTRUCTORS_GROUP = "Instructors"
EMAIL_TAKEN = issue("email", "A user with this email already exists.")


# SPEC §3: at most 1,000 characters, so that nobody makes the server hash a megabyte.
PASSWORD_MAX_LENGTH = 1000
PASSWORD_TOO_LONG = f"Must be at most {PASSWORD_MAX_LENGTH} characters."


class UserChanges(TypedDict, total=False):
    """The fields of a user that `user_update` changes; a field left out keeps its value."""

    name: str
    email: str
    password: str
    role: str
    is_active: bool


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    login: Login
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name, not a secret


def _hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# --- users -------------------------------------------------------------------------------------


def _email_issues(email: str, *, user: User | None) -> Issues:
    """The email's field rules (a valid address, at most 254 characters), then whether another
    user holds it in any letter case."""
    issues = field_issues(User, {"email": email})
    if issues:
        return issues
    taken = User.objects.filter(email=normalize_email(email))
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    return [EMAIL_TAKEN] if taken.exists() else []


def _role_change_issue(user: User, role: str) -> Issue | None:
    """Why `user` may not move to `role` with the records they hold, or `None`. Only learners
    are enrolled, and every course is taught by an instructor, so a learner with live
    enrolments stays a learner and an instructor who teaches courses stays an instructor."""
    if role == user.role:
        return None
    # The records are asked for through their reverse relations: the apps that own them sit
    # above this one.
    if user.role == Role.LEARNER and user.enrollments.live().exists():
        return {
            "field": "role",
            "issue": "This learner has active or completed enrolments, so keeps the "
            "learner role; drop the enrolments first (status: dropped).",
        }
    if user.role == Role.INSTRUCTOR and user.courses_taught.exists():
        return {
            "field": "role",
            "issue": "This instructor teaches courses, so keeps the instructor role; reassign "
            "their courses first (instructor_id).",
        }
    return None


def user_field_issues(*, user: User | None, **fields: Unpack[UserChanges]) -> Issues:
    """Every rule a user's fields must keep, as `details`; empty when all hold. `user` is the
    stored user being changed (`None` for a new one). The rules on one field are the model
    field's validators; a name is checked as it will be stored, trimmed."""
    issues: Issues = []
    name, email = fields.get("name", UNSET), fields.get("email", UNSET)
    role, password = fields.get("role", UNSET), fields.get("password", UNSET)
    if name is not UNSET:
        issues += field_issues(User, {"name": name.strip()})
    if email is not UNSET:
        issues += _email_issues(email, user=user)
    if role is not UNSET:
        role_issues = field_issues(User, {"role": role})
        if not role_issues and user is not None:
            role_issue = _role_change_issue(user, role)
            role_issues = [role_issue] if role_issue else []
        issues += role_issues
    if password is not UNSET and len(password) > PASSWORD_MAX_LENGTH:
        # Refused before any validator or hasher sees it: hashing is slow by design.
        issues.append(issue("password", PASSWORD_TOO_LONG))
    elif password is not UNSET:
        # The password is checked against the name and email the user will have.
        candidate = copy.copy(user) if user is not None else User()
        if name is not UNSET:
            candidate.name = name
        if email is not UNSET:
            candidate.email = email
        try:
            password_validation.validate_password(password, candidate)
        except DjangoValidationError as exc:
            issues.extend(issue("password", message) for message in exc.messages)
    return issues


def user_sync_role_groups(user: User) -> None:
    """Instructors get the Django admin rights of the Instructors group; others do not."""
    group = Group.objects.filter(name=INSTRUCTORS_GROUP).first()
    if group is None:
        return
    if user.role == Role.INSTRUCTOR:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def user_lock(*, user_id: str) -> User | None:
    """The user's row, read again and locked until the transaction ends; `None` if it is gone.
    Every write that depends on a user's role or state takes this lock (a role change here, an
    enrolment, a course hand-over), so such writes are ordered and each sees the one before."""
    return User.objects.select_for_update(no_key=True).filter(pk=user_id).first()


@transaction.atomic
def user_create(*, email: str, name: str, password: str, role: str = Role.LEARNER) -> User:
    issues = user_field_issues(user=None, name=name, email=email, password=password, role=role)
    if issues:
        raise ValidationFailed(details=issues)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, name=name.strip(), role=role
            )
    except IntegrityError:
        # Another request took the email between the check above and the insert.
        raise ValidationFailed(details=[EMAIL_TAKEN]) from None
    user_sync_role_groups(user)
    return user


@transaction.atomic
def user_update(
    *, user: User, keep_login: Login | None = None, **changes: Unpack[UserChanges]
) -> User:
    """Changes the given fields and returns the stored user. A new password or a deactivation
    ends the user's logins (all but `keep_login`, the caller's own, when users change their own
    password).

    `user` only names the row: it is read again under a row lock and only the given fields are
    written, so a concurrent change of another field (an admin's deactivation while the user
    renames themselves) is kept. The lock also orders a role change after an enrolment or a
    course hand-over that holds the same row (see `enrollments.services`, `courses.services`),
    so the role rules see every record."""
    demoting = changes.get("role", Role.ADMIN) != Role.ADMIN or changes.get("is_active") is False
    if demoting:
        _admins_lock()
    stored = user_lock(user_id=user.pk)
    if stored is None:
        raise NotFound("No user with this id.")
    if demoting:
        _keep_an_admin(stored, changes.get("role", stored.role), changes.get("is_active", True))
    issues = user_field_issues(user=stored, **changes)
    if issues:
        raise ValidationFailed(details=issues)
    changed: list[str] = []
    end_logins = False
    if "name" in changes:
        stored.name = changes["name"].strip()
        changed.append("name")
    if "email" in changes:
        stored.email = normalize_email(changes["email"])
        changed.append("email")
    if "role" in changes:
        stored.set_role(changes["role"])
        changed += ["role", "is_superuser"]
    if "is_active" in changes:
        end_logins = stored.is_active and not changes["is_active"]
        stored.is_active = changes["is_active"]
        changed.append("is_active")
    if "password" in changes:
        stored.set_password(changes["password"])
        changed.append("password")
        end_logins = True
    if changed:
        try:
            with transaction.atomic():
                stored.save(update_fields=changed)
        except IntegrityError:
            raise ValidationFailed(details=[EMAIL_TAKEN]) from None
    if "role" in changes:
        user_sync_role_groups(stored)
    if end_logins:
        logins = Login.objects.filter(user=stored, revoked_at__isnull=True)
        if keep_login is not None and stored.is_active:
            logins = logins.exclude(pk=keep_login.pk)
        logins.update(revoked_at=timezone.now())
    return stored


def _admins_lock() -> None:
    """Locks the active admins' rows, in id order, until the transaction ends: every change
    that could leave no active admin takes them first, so two admins demoting each other run
    one after the other and the second sees the first."""
    list(
        User.objects.select_for_update(no_key=True)
        .filter(role=Role.ADMIN, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _keep_an_admin(user: User, role: str, is_active: bool) -> None:
    """`409 RESOURCE_IN_USE` when `user` is the last active admin and would stop being one
    (demoted, deactivated or deleted): nobody could manage users any more. Call with
    `_admins_lock` held."""
    if not (user.role == Role.ADMIN and user.is_active) or (role == Role.ADMIN and is_active):
        return
    others = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
    if not others.exists():
        raise ResourceInUse(
            "This is the last active admin: make another user an admin first, so that "
            "someone can still manage users."
        )


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Deletes a user with no records (their logins and tokens go with them). One who owns
    courses or has enrolments, attempts or submissions is kept: deactivate them instead. A record
    created while the delete runs keeps them too. The last active admin is kept (`409`)."""
    _admins_lock()
    stored = user_lock(user_id=user.pk)
    if stored is None:
        raise NotFound("No user with this id.")
    _keep_an_admin(stored, Role.LEARNER, False)
    try:
        delete_checking_references(user)
    except (ProtectedError, IntegrityError):
        raise ResourceInUse(
            "This user owns courses or has enrolments, attempts or submissions and cannot be "
            "deleted; deactivate them instead (is_active: false)."
        ) from None


# --- logins and tokens -------------------------------------------------------------------------


def _issue_pair(login: Login) -> TokenPair:
    now = timezone.now()
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    Token.objects.bulk_create(
        [
            Token(
                login=login,
                kind=Token.Kind.ACCESS,
                token_hash=_hash(access),
                expires_at=now + timedelta(seconds=settings.ACCESS_TOKEN_LIFETIME_SECONDS),
            ),
            Token(
                login=login,
                kind=Token.Kind.REFRESH,
                token_hash=_hash(refresh),
                expires_at=now + timedelta(seconds=settings.REFRESH_TOKEN_LIFETIME_SECONDS),
            ),
        ]
    )
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.ACCESS_TOKEN_LIFETIME_SECONDS,
        login=login,
    )


def user_authenticate(*, email: str, password: str) -> User:
    """The active user with these credentials, or `InvalidCredentials`. Takes the same time
    whether or not the email exists."""
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None:
        User().set_password(password)  # same hashing cost as a real check
        raise InvalidCredentials()
    if not user.check_password(password) or not user.is_active:
        raise InvalidCredentials()
    return user


@transaction.atomic
def login_start(*, user: User) -> TokenPair:
    """A new login for an authenticated user: a fresh access and refresh token. A user deleted
    or deactivated since their password was checked gets no tokens (`InvalidCredentials`)."""
    now = timezone.now()
    # Locks the row, so a concurrent delete or deactivation comes wholly before or after.
    if not User.objects.filter(pk=user.pk, is_active=True).update(last_login=now):
        raise InvalidCredentials()
    user.last_login = now
    return _issue_pair(Login.objects.create(user=user))


def login_create(*, email: str, password: str) -> TokenPair:
    return login_start(user=user_authenticate(email=email, password=password))


def login_refresh(*, raw_refresh_token: str) -> TokenPair:
    """Exchanges a refresh token for a new pair; the old refresh token is spent. Presenting a
    spent one again means it leaked: the whole login is revoked, and the caller gets a 401."""
    now = timezone.now()
    with transaction.atomic():
        token = (
            Token.objects.select_related("login__user")
            .filter(token_hash=_hash(raw_refresh_token), kind=Token.Kind.REFRESH)
            .first()
        )
        if token is None or token.expires_at <= now:
            raise InvalidRefreshToken()
        login = token.login
        if login.revoked_at is not None or not login.user.is_active:
            raise InvalidRefreshToken()
        # A conditional update spends it, so of two racing refreshes only one succeeds.
        if Token.objects.filter(pk=token.pk, spent_at__isnull=True).update(spent_at=now):
            return _issue_pair(login)
    login_revoke(login=login)
    raise InvalidRefreshToken()


def login_revoke(*, login: Login) -> None:
    Login.objects.filter(pk=login.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def access_token_authenticate(*, raw_token: str) -> Token | None:
    """The live access token for this raw value, with its login and user, in one query; `None`
    when unknown, expired, revoked, or the user is deactivated."""
    return (
        Token.objects.select_related("login__user")
        .filter(
            token_hash=_hash(raw_token),
            kind=Token.Kind.ACCESS,
            expires_at__gt=timezone.now(),
            login__revoked_at__isnull=True,
            login__user__is_active=True,
        )
        .first()
    )


def token_purge_expired() -> tuple[int, int]:
    """Deletes tokens past their expiry, then the logins left without any token; returns how
    many of each. A token past its expiry is refused anyway, so nothing a client holds changes
    (`manage.py purge_expired_tokens`, run daily)."""
    now = timezone.now()
    tokens, _ = Token.objects.filter(expires_at__lte=now).delete()
    logins, _ = Login.objects.filter(tokens__isnull=True).delete()
    return tokens, logins
