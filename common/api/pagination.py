"""Page-number pagination with the envelope's `meta` (SPEC §2).

`page` defaults to 1, `per_page` to 20; `per_page` above 100 is capped at 100; a non-integer or a
value below 1 is a `422 VALIDATION_ERROR`; a page past the end is an empty list with true `meta`.
"""

import re
from typing import Any

from django.db.models import QuerySet
from django_filters import FilterSet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from common.errors import ValidationFailed
from common.validation import Issue, issue

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# An optional minus (so "-1" is reported as below 1) and ASCII digits, nothing else.
_INTEGER = re.compile(r"-?[0-9]+")


def _positive_int(request: Request, name: str, default: int, details: list[Issue]) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    # `int()` alone would also take "+1", " 2", "1_0" and non-ASCII digits (Arabic-Indic ones).
    try:
        value = int(raw) if _INTEGER.fullmatch(raw) else None
    except ValueError:  # more digits than Python converts
        value = None
    if value is None:
        details.append({"field": name, "issue": "Must be an integer."})
        return default
    if value < 1:
        details.append({"field": name, "issue": "Must be at least 1."})
        return default
    return value


def page_params(request: Request, details: list[Issue] | None = None) -> tuple[int, int]:
    """`(page, per_page)` from the query string. Problems are added to `details` when given
    (so the caller can report them with its own), else raised as a 422."""
    issues: list[Issue] = [] if details is None else details
    page = _positive_int(request, "page", 1, issues)
    per_page = min(_positive_int(request, "per_page", DEFAULT_PER_PAGE, issues), MAX_PER_PAGE)
    if details is None and issues:
        raise ValidationFailed(details=issues)
    return page, per_page


class EnvelopePagination(BasePagination):
    def paginate_queryset(  # type: ignore[override]  # querysets only, not any sequence
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.page, self.per_page = page_params(request)
        self.total = queryset.count()
        offset = (self.page - 1) * self.per_page
        if offset >= self.total:
            # Past the end: nothing to fetch (and no OFFSET too large for the database).
            return []
        return list(queryset[offset : offset + self.per_page])

    def get_paginated_response(self, data: Any) -> Response:
        response = Response(data)
        # Read by `EnvelopeJSONRenderer`, which puts it in the envelope's `meta`.
        response.envelope_meta = {  # type: ignore[attr-defined]  # our own attribute
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
        }
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["data", "meta", "error"],
            "properties": {
                "data": schema,
                "meta": {
                    "type": "object",
                    "required": ["total", "page", "per_page"],
                    "properties": {
                        "total": {"type": "integer", "example": 42},
                        "page": {"type": "integer", "example": 1},
                        "per_page": {"type": "integer", "example": 20},
                    },
                },
                "error": {"type": "object", "nullable": True, "default": None},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": "Items per page; values above 100 are capped at 100.",
                "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_PER_PAGE},
            },
        ]


def paginated_response(
    request: Request,
    queryset: QuerySet[Any],
    serializer_class: type[BaseSerializer[Any]],
    *,
    filterset_class: type[FilterSet] | None = None,
    context: dict[str, Any] | None = None,
) -> Response:
    """The one list recipe: validate and apply `filterset_class`'s query filters (bad values are a
    422 naming the parameter), paginate, serialize the page, and put `meta` on the response."""
    details: list[Issue] = []
    if filterset_class is not None:
        filterset = filterset_class(request.query_params, queryset=queryset, request=request)
        if filterset.is_valid():
            queryset = filterset.qs
        else:
            details.extend(
                issue(field, str(problem))
                for field, problems in filterset.errors.items()
                for problem in problems
            )
    page_params(request, details)
    if details:
        raise ValidationFailed(details=details)
    paginator = EnvelopePagination()
    page = paginator.paginate_queryset(queryset, request)
    context = {"request": request, **(context or {})}
    return paginator.get_paginated_response(serializer_class(page, many=True, context=context).data)
