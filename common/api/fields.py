"""Serializer fields for request bodies that take JSON types at their word.

DRF's own fields coerce: `CharField` turns `12345` into `"12345"`, `BooleanField` reads `"yes"`,
`"1"` and `1` as true, `IntegerField` reads `"70"` and `70.0` as 70. A client that sends the
wrong type has a bug, and the API says so: each field here accepts only its JSON type and answers
anything else with a `422 VALIDATION_ERROR` naming the field. Use them in every input serializer.
"""

from typing import Any

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A JSON string; numbers, booleans, lists and objects are refused, not turned into text."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false`; not `"true"`, `"yes"`, `1` or `0`."""

    default_error_messages = {"invalid": "Must be a boolean."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: not a string (`"70"`), a boolean (`true`) or a number with a fraction part
    or a decimal point (`70.5`, `70.0`).

    `bounds=(low, high)` documents the allowed range in the OpenAPI schema only, for fields whose
    range a service checks (so the rule lives in one place, shared with the admin and the pages);
    pass `min_value`/`max_value` instead to have the field check it.
    """

    default_error_messages = {"invalid": "Must be an integer."}

    def __init__(self, *, bounds: tuple[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if bounds is not None:
            # Read by the schema generator only: no validators are attached for them.
            self.min_value, self.max_value = bounds

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data
