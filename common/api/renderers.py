from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import JSONRenderer

from common.api.envelope import success_body


class EnvelopeJSONRenderer(JSONRenderer):
    """Wraps whatever a view returns in the envelope.

    Views return the bare object or list. A paginator sets `response.envelope_meta`. Every error
    response comes from the exception handler (`common.api.exceptions.error_response`), which
    returns the error envelope whole, so it is passed through as it is. A `204` has no body.
    """

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is None:
            return super().render(data, accepted_media_type, renderer_context)
        if response.status_code == 204:
            return b""
        if response.status_code >= 400:
            body = data  # the exception handler's whole error envelope
        else:
            body = success_body(data, getattr(response, "envelope_meta", None))
        return super().render(body, accepted_media_type, renderer_context)


def envelope_json(data: Any, meta: dict[str, Any] | None = None) -> str:
    """A success body as the renderer writes it, for a response kept to be sent again as it is
    (an idempotent replay)."""
    return EnvelopeJSONRenderer().render(success_body(data, meta)).decode()
