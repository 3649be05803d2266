"""The OpenAPI contract clients build on: every operation's method, path, operationId, tags,
summary, security, parameters, request body and response components, and the fields of every
component schema. A refactoring of the routes or views must leave it exactly as it is.

After an intended API change, regenerate the snapshot and review its diff:

    DEBUG=true .venv/bin/python manage.py spectacular --format openapi-json > /tmp/schema.json
    .venv/bin/python -m tests.common.test_openapi_contract /tmp/schema.json \\
        > tests/common/openapi_operations.json
"""

import json
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("openapi_operations.json")
METHODS = ("get", "post", "put", "patch", "delete")


def _refs(schema: Any) -> list[str]:
    """Every `$ref` inside a (possibly inline) schema, sorted, without repeats."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                found.add(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    return sorted(found)


def _content_refs(body: dict[str, Any]) -> dict[str, list[str]]:
    return {
        media_type: _refs(media.get("schema", {}))
        for media_type, media in body.get("content", {}).items()
    }


def _operation(method: str, path: str, operation: dict[str, Any]) -> dict[str, Any]:
    request_body = operation.get("requestBody")
    return {
        "method": method.upper(),
        "path": path,
        "operationId": operation.get("operationId"),
        "tags": operation.get("tags", []),
        "summary": operation.get("summary"),
        "security": operation.get("security"),
        "parameters": [
            {"name": parameter["name"], "in": parameter["in"], "required": parameter["required"]}
            if "required" in parameter
            else {"name": parameter["name"], "in": parameter["in"]}
            for parameter in operation.get("parameters", [])
        ],
        "request_body": None
        if request_body is None
        else {"required": request_body.get("required", False), **_content_refs(request_body)},
        "responses": {
            status: _content_refs(response)
            for status, response in sorted(operation.get("responses", {}).items())
        },
    }


def _component(schema: dict[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    if "properties" in schema:
        shape["properties"] = sorted(schema["properties"])
        shape["required"] = sorted(schema.get("required", []))
    if "enum" in schema:
        shape["enum"] = schema["enum"]
    if "oneOf" in schema:
        shape["oneOf"] = _refs(schema["oneOf"])
    return shape


def contract(schema: dict[str, Any]) -> dict[str, Any]:
    """The parts of an OpenAPI document the snapshot pins."""
    operations = [
        _operation(method, path, item[method])
        for path, item in sorted(schema["paths"].items())
        for method in METHODS
        if method in item
    ]
    components = {
        name: _component(component)
        for name, component in sorted(schema["components"]["schemas"].items())
    }
    return {"operations": operations, "components": components}


def test_openapi_operations_and_components_match_the_snapshot():
    # Imported here so that the module also runs as a script, without Django settings.
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    # Through JSON, as the schema view serves it (lazy strings and tuples become plain values).
    generated = json.loads(json.dumps(contract(schema), default=str))

    assert generated == json.loads(SNAPSHOT.read_text())


if __name__ == "__main__":
    document = json.loads(Path(sys.argv[1]).read_text())
    sys.stdout.write(json.dumps(contract(document), indent=2) + "\n")
