"""`/docs`: the OpenAPI document as one self-contained HTML page.

FastAPI's own pages (Swagger UI, ReDoc) load their scripts and styles from a CDN, so they are blank
on a server without internet access and pull third-party code into a safeguarding system. This page
is rendered here from the same document, with no script and nothing fetched from anywhere; the raw
document stays at `/openapi.json` for tools.
"""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{color:#2c4a6e}h2{border-top:1px solid #ccd;padding-top:1rem}
code,.method{font-family:ui-monospace,monospace}.method{font-weight:bold;color:#2c4a6e}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#eef2f7}
"""


def render_api_docs(openapi: dict[str, Any]) -> str:
    """The whole page for an OpenAPI 3 document."""
    info = openapi.get("info", {})
    schemas: dict[str, Any] = openapi.get("components", {}).get("schemas", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(str(info.get('title', 'API')))} API</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(str(info.get('title', 'API')))} API <small>{escape(str(info.get('version', '')))}"
        "</small></h1>",
        f"<p>{escape(str(info.get('description', '')))}</p>",
        "<p>The OpenAPI document itself: <a href='/openapi.json'>/openapi.json</a>.</p>",
    ]
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            parts.append(_operation(method, path, operation, schemas))
    if schemas:
        parts.append("<h2>Schemas</h2>")
        for name, schema in schemas.items():
            parts.append(f"<h3 id='schema-{escape(name)}'>{escape(name)}</h3>")
            parts.append(_schema_table(schema, schemas))
    parts.append("</body></html>")
    return "\n".join(parts)


def _operation(method: str, path: str, operation: dict[str, Any], schemas: dict[str, Any]) -> str:
    out = [f"<h2><span class='method'>{escape(method.upper())}</span> <code>{escape(path)}</code></h2>"]
    if operation.get("summary"):
        out.append(f"<p><strong>{escape(str(operation['summary']))}</strong></p>")
    if operation.get("description"):
        out.append("".join(f"<p>{escape(p)}</p>" for p in str(operation["description"]).split("\n\n")))
    parameters = operation.get("parameters", [])
    if parameters:
        out.append("<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>type</th></tr>")
        for parameter in parameters:
            out.append(
                f"<tr><td><code>{escape(str(parameter.get('name', '')))}</code></td>"
                f"<td>{escape(str(parameter.get('in', '')))}</td>"
                f"<td>{'yes' if parameter.get('required') else 'no'}</td>"
                f"<td>{_type(parameter.get('schema', {}))}</td></tr>"
            )
        out.append("</table>")
    body = operation.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        out.append(f"<h4>Request body <code>{escape(media)}</code></h4>")
        out.append(_schema_table(content.get("schema", {}), schemas))
    responses = operation.get("responses", {})
    if responses:
        out.append("<h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>body</th></tr>")
        for status, response in responses.items():
            shapes = [_type(c.get("schema", {})) for c in response.get("content", {}).values()]
            out.append(
                f"<tr><td>{escape(str(status))}</td><td>{escape(str(response.get('description', '')))}</td>"
                f"<td>{', '.join(shapes)}</td></tr>"
            )
        out.append("</table>")
    return "\n".join(out)


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return dict(schemas.get(ref.rsplit("/", 1)[1], {}))
    return schema


def _schema_table(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    resolved = _resolve(schema, schemas)
    properties: dict[str, Any] = resolved.get("properties", {})
    if not properties:
        return f"<p>{_type(schema)}</p>"
    required = set(resolved.get("required", []))
    rows = ["<table><tr><th>field</th><th>type</th><th>required</th><th>notes</th></tr>"]
    for name, prop in properties.items():
        notes = escape(str(prop.get("description", "")))
        if "enum" in prop:
            choices = ", ".join(f"<code>{escape(str(v))}</code>" for v in prop["enum"])
            notes += (" " if notes else "") + "one of: " + choices
        rows.append(
            f"<tr><td><code>{escape(name)}</code></td><td>{_type(prop)}</td>"
            f"<td>{'yes' if name in required else 'no'}</td><td>{notes}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _type(schema: dict[str, Any]) -> str:
    """A schema's type in a few words, with a link for a named schema."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = escape(ref.rsplit("/", 1)[1])
        return f"<a href='#schema-{name}'>{name}</a>"
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return " or ".join(_type(option) for option in schema[combined])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "format" in schema:
        kind += f" ({schema['format']})"
    return escape(kind)
