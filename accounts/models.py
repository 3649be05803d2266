from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from common.ids import prefixed_id_field
from common.validation import TrimmedLength


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    INSTRUCTOR = "instructor", "Instructor"
    LEARNER = "learner", "Learner"


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively; they are stored lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalize_email(username or ""))

    def create_user(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "User":
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_role(user.role)  # superuser rights follow the role
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "User":
        # `createsuperuser` passes is_staff/is_superuser; both follow from the admin role here.
        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        extra_fields["role"] = Role.ADMIN
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The role decides what they may do; staff access and superuser rights follow
    from it (admins are superusers, instructors are staff with the Instructors group's rights).

    `is_superuser` (from `PermissionsMixin`) is stored, because Django's permission backends
    query it, and always equals `role == "admin"`: `set_role` sets both, and a check
    constraint refuses a row where they disagree."""

    id = prefixed_id_field("usr")
    # Stored lower-cased, unique in any letter case (checked by `accounts.services`).
    email = models.EmailField(
        max_length=254,
        unique=True,
        validators=[MaxLengthValidator(254, message="At most %(limit_value)d characters.")],
    )
    name = models.CharField(max_length=100, validators=[TrimmedLength(2, 100)])  # stored trimmed
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEARNER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN, is_superuser=True)
                | (~Q(role=Role.ADMIN) & Q(is_superuser=False)),
                name="accounts_user_superuser_is_admin_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def set_role(self, role: str) -> None:
        """Gives the user `role`, and the superuser rights that go with it (admins only)."""
        self.role = role
        self.is_superuser = role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.INSTRUCTOR)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_instructor(self) -> bool:
        return self.role == Role.INSTRUCTOR

    @property
    def is_learner(self) -> bool:
        return self.role == Role.LEARNER


class Login(models.Model):
    """One sign-in: the family of tokens issued by a login and the refreshes that follow it.
    Revoking it (logout, or reuse of a spent refresh token) ends every token of the family."""

    id = prefixed_id_field("lgn")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="logins")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"login {self.id} of {self.user_id}"


class Token(models.Model):
    """An opaque bearer token. Only its SHA-256 hash is stored."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Access"
        REFRESH = "refresh", "Refresh"

    id = prefixed_id_field("tok")
    login = models.ForeignKey(Login, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Refresh tokens are single-use: set when one is exchanged for a new pair.
    spent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.kind} token {self.id}"
