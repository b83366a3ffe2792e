"""A readable page of the API, rendered on the server from the OpenAPI document itself: no
JavaScript, nothing from another site, and it can never disagree with the document."""

from dataclasses import dataclass, field

from flask import Blueprint, current_app, render_template
from flask_login import login_required
from markupsafe import Markup, escape

bp = Blueprint("api_docs", __name__, url_prefix="/api")

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Property:
    name: str
    type: str
    required: bool
    notes: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    parameters: list[Property] = field(default_factory=list)
    body: list[Property] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    anchor: str = ""


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _type(schema: dict) -> str:
    kind = schema.get("type", "object")
    kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if k != "null"]
    text = " or ".join(kinds) or "null"
    if schema.get("format"):
        text += f" ({schema['format']})"
    if "items" in schema and "type" in schema["items"]:
        text += f" of {schema['items']['type']}"
    return text


def _notes(schema: dict) -> str:
    notes = [schema.get("description") or ""]
    if schema.get("enum"):
        notes.append("one of " + ", ".join(str(v) for v in schema["enum"]))
    if schema.get("maxLength"):
        notes.append(f"at most {schema['maxLength']} characters")
    return "; ".join(n for n in notes if n)


def _properties(spec: dict, schema: dict) -> list[Property]:
    schema = _resolve(spec, schema)
    required = set(schema.get("required", []))
    return [Property(name, _type(_resolve(spec, prop)), name in required, _notes(prop))
            for name, prop in schema.get("properties", {}).items()]


def operations(spec: dict) -> list[tuple[str, list[Operation]]]:
    """The document's operations grouped by their tag (the API's areas), in its order."""
    groups: dict[str, list[Operation]] = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            params = [Property(p["name"], _type(p.get("schema", {})) + f" in {p['in']}", p.get("required", False),
                               _notes(p.get("schema", {})) or p.get("description", ""))
                      for p in [*item.get("parameters", []), *op.get("parameters", [])]]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            operation = Operation(
                method.upper(), path, (op.get("description") or op.get("summary") or "").strip(), params,
                _properties(spec, body) if body else [], sorted(op.get("responses", {})),
                anchor=f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
            )
            groups.setdefault((op.get("tags") or ["api"])[0], []).append(operation)
    return list(groups.items())


def code_spans(text: str) -> Markup:
    """The document's `code` spans (CommonMark in OpenAPI descriptions) as <code>, the rest escaped."""
    parts = (text or "").split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: plain text
        return escape(text or "")
    return Markup("").join(Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
                           for i, part in enumerate(parts))


@bp.app_template_filter("code_spans")
def _code_spans_filter(text: str) -> Markup:
    return code_spans(text)


@bp.get("/docs")
@login_required
def docs():
    spec = current_app.extensions["manifest-api"].spec.to_dict()
    tags = {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}
    return render_template("api/docs.html", spec=spec, groups=operations(spec), tags=tags)
