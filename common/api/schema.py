"""OpenAPI generation that tells the truth about the envelope.

Success bodies are described as `{"data": <body>, "meta": null, "error": null}`; a GET answering
`Serializer(many=True)` is a list, with the paginator's `meta` and `page`/`per_page` parameters.
Every operation lists the error envelope for the errors any route can give (400, 413 and 415
only where a body is read). Views add their own specific errors with
`extend_schema(responses={409: ERROR_RESPONSE})`.

Every response lists the headers the server sends with it (`RESPONSE_HEADERS`): the request id
and the rate-limit numbers on all, `Location` on a `201`, `Allow` on a `405`, `Retry-After` on a
`429` or `503`, `WWW-Authenticate` on a `401`.

A serializer whose class sets `closed_schema = True` is described with
`additionalProperties: false`: it is the exact set of fields the server sends, which lets a
`oneOf` of it and a richer shape (the learner's view of an assessment) match exactly one.
"""

from typing import Any

import django_filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import Direction, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from common.api.pagination import EnvelopePagination


class ErrorDetailSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    issue = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Machine-readable code, e.g. VALIDATION_ERROR.")
    message = serializers.CharField()
    details = ErrorDetailSerializer(many=True)


class ErrorEnvelopeSerializer(serializers.Serializer[Any]):
    # A field named `data` hides `Serializer.data`: right for this schema-only serializer.
    data = serializers.JSONField(allow_null=True, default=None)  # type: ignore[assignment]
    meta = serializers.JSONField(allow_null=True, default=None)
    error = ErrorSerializer()


ERROR_RESPONSE = OpenApiResponse(ErrorEnvelopeSerializer, description="Error envelope.")

_COMMON_ERRORS = {
    "400": "Body is not valid JSON, or not an object (BAD_REQUEST).",
    "401": "Missing, malformed, expired or revoked token, or a bad login (UNAUTHORIZED).",
    "404": "No such object, or the caller may not know it exists (NOT_FOUND).",
    "405": "Method not allowed on this path (METHOD_NOT_ALLOWED).",
    "413": "Body larger than the server accepts (PAYLOAD_TOO_LARGE).",
    "415": "Body not sent as JSON (UNSUPPORTED_MEDIA_TYPE).",
    "422": "Field rules broken; `details` names each field (VALIDATION_ERROR).",
    "406": "The Accept header excludes JSON (NOT_ACCEPTABLE).",
    "429": "Over the rate limit; see Retry-After (RATE_LIMITED).",
    "500": "Unexpected error; the message quotes the request id (INTERNAL_ERROR).",
    "503": "The database cannot be reached; see Retry-After (SERVICE_UNAVAILABLE).",
}
# Only a request whose body is parsed can be malformed, too large or of the wrong media type.
_BODY_ERRORS = {"400", "413", "415"}
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _header(description: str, schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema}


_INTEGER = {"type": "integer", "minimum": 0}


def response_headers(status_code: str) -> dict[str, Any]:
    """The headers the server sends with a response of this status (docs/api/conventions.md).
    The rate-limit numbers come from the throttle, which a request that failed before it (an
    unreachable database, an unexpected error) may not have reached."""
    counted = status_code not in {"500", "503"}
    headers = {
        "X-Request-ID": _header(
            "The request's id, quoted in logs and in a 500's message.",
            {"type": "string", "minLength": 8, "maxLength": 64},
            required=True,
        ),
        "X-RateLimit-Limit": _header(
            "Requests allowed per window.", {"type": "integer", "minimum": 1}, required=counted
        ),
        "X-RateLimit-Remaining": _header(
            "Requests left in this window.", _INTEGER, required=counted
        ),
        "X-RateLimit-Reset": _header(
            "When the window resets, as a Unix time in seconds.", _INTEGER, required=counted
        ),
    }
    if status_code == "201":
        headers["Location"] = _header(
            "The path of the new object.", {"type": "string"}, required=True
        )
    if status_code == "401":
        headers["WWW-Authenticate"] = _header(
            'The scheme to authenticate with: `Bearer realm="api"` (on the routes that take a '
            "token).",
            {"type": "string"},
            required=False,
        )
    if status_code == "405":
        headers["Allow"] = _header("The methods the path takes.", {"type": "string"}, required=True)
    if status_code in {"429", "503"}:
        headers["Retry-After"] = _header(
            "Seconds to wait before retrying.", _INTEGER, required=True
        )
    return headers


class EnvelopeAutoSchema(AutoSchema):
    def _get_paginator(self) -> Any:
        """Every list is paginated (SPEC §2): a GET answering `Serializer(many=True)` is
        described with `page`/`per_page` and the paginated `meta`, as `paginated_response`
        serves it, even on a plain `APIView`."""
        pagination_class = getattr(self.view, "pagination_class", None)
        if pagination_class is None and self.method == "GET":
            pagination_class = EnvelopePagination
        return pagination_class() if pagination_class else None

    def _wrap_success(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["data", "meta", "error"],
            "properties": {
                "data": schema,
                "meta": {"type": "object", "nullable": True, "default": None},
                "error": {"type": "object", "nullable": True, "default": None},
            },
        }

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: str,
        media_types: Any = None,
        direction: Direction = "response",
    ) -> dict[str, Any]:
        response: dict[str, Any] = super()._get_response_for_code(  # type: ignore[no-untyped-call]
            serializer, status_code, media_types, direction
        )
        if not str(status_code).startswith("2"):
            return response
        for media in response.get("content", {}).values():
            schema = media.get("schema", {})
            if "Paginated" in schema.get("$ref", ""):
                continue  # the paginator already describes data + meta
            media["schema"] = self._wrap_success(schema)
        return response

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        component = self.resolve_serializer(ErrorEnvelopeSerializer, direction)
        if not isinstance(component, ResolvedComponent):
            return responses
        for code, description in _COMMON_ERRORS.items():
            if code in _BODY_ERRORS and self.method not in _BODY_METHODS:
                continue
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        for code, response in responses.items():
            response["headers"] = {**response_headers(str(code)), **response.get("headers", {})}
        return responses

    def _map_basic_serializer(self, serializer: Any, direction: Direction) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)  # type: ignore[no-untyped-call]
        if direction == "response" and getattr(serializer, "closed_schema", False):
            schema["additionalProperties"] = False
        return schema


def filter_parameters(filterset_class: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The query parameters of a FilterSet, for `extend_schema(parameters=...)` on list views."""
    parameters = []
    for name, field in filterset_class.base_filters.items():
        choices = getattr(field, "extra", {}).get("choices")
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                description=field.label or "",
                enum=[value for value, _label in choices] if choices else None,
            )
        )
    return parameters
