"""Opaque, prefixed identifiers: `usr_3fK9...`, generated from a CSPRNG.

Every model's primary key is `prefixed_id_field("<prefix>")`. Twenty base-62 characters carry
about 119 bits of randomness: guessing one is hopeless, collisions are not a concern.
"""

import secrets
import string

from django.db import models
from django.utils.deconstruct import deconstructible

ALPHABET = string.ascii_letters + string.digits
RANDOM_LENGTH = 20


def new_id(prefix: str) -> str:
    return f"{prefix}_{''.join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))}"


@deconstructible
class PrefixedId:
    """A field default that migrations can serialize: `PrefixedId("usr")()` -> `usr_...`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self) -> str:
        return new_id(self.prefix)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrefixedId) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def prefixed_id_field(prefix: str) -> "models.CharField[str, str]":
    return models.CharField(
        primary_key=True,
        max_length=32,
        default=PrefixedId(prefix),
        editable=False,
    )
