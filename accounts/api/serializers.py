from typing import Any

from rest_framework import serializers

from accounts.models import Role, User
from accounts.services import PASSWORD_MAX_LENGTH, PASSWORD_TOO_LONG
from common.api.bodies import WriteSerializer
from common.api.fields import StrictBooleanField, StrictCharField


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "is_active", "created_at", "last_login"]
        read_only_fields = fields


def _password(**kwargs: Any) -> StrictCharField:
    """A password field: at most 1,000 characters, refused before anything hashes it."""
    return StrictCharField(
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={"max_length": PASSWORD_TOO_LONG},
        **kwargs,
    )


class UserCreateSerializer(WriteSerializer):
    name = StrictCharField(trim_whitespace=False)
    email = StrictCharField()
    password = _password()
    role = serializers.ChoiceField(choices=Role.choices, default=Role.LEARNER)


class UserUpdateSerializer(WriteSerializer):
    """PUT sends `name` and `email` at least; PATCH any subset."""

    name = StrictCharField(trim_whitespace=False)
    email = StrictCharField()
    password = _password(required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = StrictBooleanField(required=False)


class LoginSerializer(serializers.Serializer[Any]):
    email = StrictCharField()
    password = _password()


class RefreshSerializer(serializers.Serializer[Any]):
    refresh_token = StrictCharField()


class TokenPairSerializer(serializers.Serializer[Any]):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    token_type = serializers.ChoiceField(
        choices=[("Bearer", "Bearer")],
        help_text='Always "Bearer": send the access token as '
        "`Authorization: Bearer <access_token>`.",
    )
