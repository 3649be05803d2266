"""Field rules, written once (see docs/architecture.md, "Validation").

- A rule on one field lives on the model field as a validator (`integer_range`,
  `TrimmedLength`, choices). Admin `ModelForm`s and the API's write serializers pick it up from
  there; services check the values they are given with `field_issues`.
- A rule on a set of values (a question's options) is a pure function in the app's rules module.
- `common.api.bodies.parse_body` reports a request body's shape problems and the rules its
  well-typed fields break together, as one `422`.

`UNSET` marks a keyword a caller did not pass (a PATCH that leaves a field alone), as opposed to
`None`, which is a value (no time limit). `Issue` is one entry of a `422`'s `details`.
"""

import enum
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias, TypedDict, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Field, Model
from django.utils.deconstruct import deconstructible


class Unset(enum.Enum):
    """The type of `UNSET`: one value, so `x is UNSET` narrows a `Maybe[T]` to `T`."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET

T = TypeVar("T")
# A keyword that may be left out: `title: Maybe[str] = UNSET`.
Maybe: TypeAlias = T | Literal[Unset.UNSET]


class Issue(TypedDict):
    """One broken rule, as a `422`'s `details` item: which field, and what is wrong in words."""

    field: str
    issue: str


Issues: TypeAlias = list[Issue]


def issue(field: str, text: str) -> Issue:
    return {"field": field, "issue": text}


def integer_range(low: int, high: int) -> list[MinValueValidator | MaxValueValidator]:
    """Validators for an integer field from `low` to `high`, both saying so in one sentence.
    They are Django's own classes, so the OpenAPI schema shows `minimum` and `maximum`."""
    message = f"Must be an integer from {low} to {high}."
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


@deconstructible
class TrimmedLength:
    """Text of `low` to `high` characters once leading and trailing whitespace is removed."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high
        self.message = f"Must be between {low} and {high} characters."

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or not self.low <= len(value.strip()) <= self.high:
            raise ValidationError(self.message, code="length")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TrimmedLength) and (self.low, self.high) == (
            other.low,
            other.high,
        )

    def __hash__(self) -> int:
        return hash((self.low, self.high))


def field_issues(
    model: type[Model], values: Mapping[str, Any], *, names: Mapping[str, str] | None = None
) -> Issues:
    """The rules of `model`'s fields that `values` break, one issue per field at most (the
    first the field reports), in the order of `values`. Checks the field's choices and its
    validators; `None` passes a nullable field. `names` renames fields for the caller (the API
    calls `show_correct_answers` `review.show_correct_answers`)."""
    issues: Issues = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if value is None and field.null:
            continue
        problem = _first_problem(field, value)
        if problem is not None:
            issues.append(issue((names or {}).get(name, name), problem))
    return issues


def _first_problem(field: Any, value: Any) -> str | None:
    if field.choices and value not in {choice for choice, _ in field.flatchoices}:
        return f"Must be one of: {', '.join(str(choice) for choice, _ in field.flatchoices)}."
    for validator in field.validators:
        try:
            validator(value)
        except ValidationError as error:
            return str(error.messages[0])
        except TypeError:
            # A comparison validator given a value of another type: the message says the rule.
            return str(getattr(validator, "message", "Invalid value."))
    return None


def integer_bounds(model: type[Model], name: str) -> tuple[int, int]:
    """The `(low, high)` of a model field's `integer_range`, for a serializer to show in the
    schema without restating it."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field), name  # noqa: S101 - a programming error, not input
    low = next(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
    return int(low), int(high)
