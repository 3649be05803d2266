"""The OpenAPI schema and the interactive docs, answering their errors in the envelope.

drf-spectacular's views render everything with their own renderers, so a wrong method or a
throttled request would get a YAML or HTML error. These subclasses send every error response as
JSON through `EnvelopeJSONRenderer`, like the rest of the API; successful responses (the schema
as YAML or JSON, the Swagger UI page) are left exactly as drf-spectacular makes them.
"""

from typing import TYPE_CHECKING, Any

from csp.utils import build_policy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.renderers import EnvelopeJSONRenderer

if TYPE_CHECKING:
    from rest_framework.views import APIView as _APIView
else:
    _APIView = object  # a mixin: the view class comes later in the bases


class EnvelopeErrorsMixin(_APIView):
    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = EnvelopeJSONRenderer()
            response.accepted_media_type = EnvelopeJSONRenderer.media_type
        return response


class SchemaView(EnvelopeErrorsMixin, SpectacularAPIView):
    """`GET /api/v1/schema/`: the OpenAPI 3 schema, YAML (or JSON with `?format=json`)."""


class SwaggerDocsView(EnvelopeErrorsMixin, SpectacularSwaggerSplitView):
    """`GET /api/v1/docs/`: Swagger UI on the schema, its start-up script at `?script` (no
    inline script), under the pages' Content-Security-Policy. The CSP middleware leaves /api/
    out, so the policy is set here; `build_policy` reads the same setting."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = build_policy()
        return response
