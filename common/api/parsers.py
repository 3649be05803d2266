from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    """JSON bodies only, and only objects: an array or a bare value is a `400 BAD_REQUEST`, and
    so is a body nested too deeply for the decoder (`[[[[...]]]]` thousands of levels down)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError("The request body is not valid JSON.") from None
        except RecursionError:
            raise ParseError("The request body is nested too deeply.") from None
        if not isinstance(data, dict):
            raise ParseError("The request body must be a JSON object.")
        return data
