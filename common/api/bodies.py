"""Request bodies: their shape checked by a serializer, their rules by the services, and both
kinds of problem reported together in one `422` (`parse_body`). Every app's write routes use it.

The serializers check only the shape of a body (JSON types, required fields; the strict fields
of `common.api.fields` refuse `"70"`, `70.0` and `true` for an integer). The rules on the values
live on the model fields and in the apps' rules modules (see `common.validation`).
"""

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from common.api.exceptions import validation_details
from common.errors import ValidationFailed
from common.validation import Issue


class WriteSerializer(serializers.Serializer[Any]):
    """A request body's shape. After a failed `is_valid()`, `well_typed_kwargs()` gives the
    fields whose types are right, in the services' terms, so that the rules those break are
    reported together with the type errors (see `parse_body`)."""

    def service_kwargs(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return dict(data)

    def to_service_kwargs(self) -> dict[str, Any]:
        """`validated_data` in the services' terms."""
        return self.service_kwargs(self.validated_data)

    def well_typed_kwargs(self) -> dict[str, Any]:
        if not isinstance(self.initial_data, Mapping):
            return {}
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in self.errors or field.read_only:
                continue
            value = field.get_value(self.initial_data)
            if value is empty:
                continue
            try:
                data[str(field.source)] = field.run_validation(value)
            except serializers.ValidationError:
                continue
        return self.service_kwargs(data)


def parse_body(body: WriteSerializer, rule_issues: Callable[..., list[Issue]]) -> dict[str, Any]:
    """The body's fields in the services' terms, or a `422` that lists every problem at once:
    the fields of a wrong type or shape, and the rules (`rule_issues`, called with the
    well-typed fields as keywords) that the other fields break."""
    if body.is_valid():
        return body.to_service_kwargs()
    issues = [*validation_details(body.errors), *rule_issues(**body.well_typed_kwargs())]
    raise ValidationFailed(details=issues)
