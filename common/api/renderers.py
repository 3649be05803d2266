from typing import Any

from rest_framework.renderers import JSONRenderer

from common.api.envelope import error_body, is_error_body, success_body


class EnvelopeJSONRenderer(JSONRenderer):
    """Wraps whatever a view returns in the envelope.

    Views return the bare object or list. A paginator sets `response.envelope_meta`. The exception
    handler returns the error envelope whole; a bare `{"code", "message", "details"}` with an
    error status is wrapped into one. A `204` has no body.
    """

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is None:
            return super().render(data, accepted_media_type, renderer_context)
        if response.status_code == 204:
            return b""
        if response.status_code >= 400:
            if is_error_body(data):
                body = data
            else:
                body = error_body(data["code"], data["message"], data.get("details"))
        else:
            body = success_body(data, getattr(response, "envelope_meta", None))
        return super().render(body, accepted_media_type, renderer_context)


def envelope_json(data: Any, meta: dict[str, Any] | None = None) -> str:
    """A success body as the renderer writes it, for a response kept to be sent again as it is
    (an idempotent replay)."""
    return EnvelopeJSONRenderer().render(success_body(data, meta)).decode()
