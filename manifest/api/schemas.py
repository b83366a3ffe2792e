"""Schemas of the API, generated rather than written twice.

- ``form_schema(Form)``: the JSON body of a page's form. Its types come from the form's fields, its
  required fields and their messages from the form's DataRequired/InputRequired, its enums and
  lengths from the form's choices and Length validators (documentation: the form itself enforces
  them with the page's messages). flask-smorest validates the JSON types with it and puts it in
  the OpenAPI document.
- ``model_schema(Model)``: a row as the API returns it, from the table's columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

import marshmallow as ma
import sqlalchemy as sa
import wtforms
from marshmallow import fields
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length

TYPE_MESSAGES = {
    fields.Integer: "Enter a whole number, e.g. 5.",
    fields.Decimal: "Enter a number, e.g. 2.5.",
    fields.Date: "Enter a real date, e.g. 2025-03-31.",
    fields.Time: "Enter a time, e.g. 07:30.",
    fields.Boolean: "Send true or false.",
    fields.String: "Send text.",
    fields.List: "Send a list.",
}


class Schema(ma.Schema):
    class Meta:
        # An unknown field is a typo the client should hear about, not data silently dropped.
        unknown = ma.RAISE


class JsonBoolean(fields.Boolean):
    """A JSON true or false, nothing else: "yes", "0" or 1 is a mistake the client should hear about
    rather than a guess (a body is JSON; only a query string carries booleans as text)."""

    default_error_messages: ClassVar[dict] = {"invalid": TYPE_MESSAGES[fields.Boolean]}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _messages(kind, required: str | None = None) -> dict:
    messages = {"invalid": TYPE_MESSAGES.get(kind, "Not a valid value.")}
    if required:
        messages["required"] = required
    return messages


def _field_for(field: Field, required: str | None, metadata: dict) -> fields.Field:
    # null is an empty field, as on the page: it clears an optional value.
    options = {"required": bool(required), "metadata": metadata, "allow_none": True}
    if isinstance(field, SelectMultipleField):
        inner = fields.Integer() if getattr(field, "coerce", str) is int else fields.String()
        return fields.List(inner, error_messages=_messages(fields.List, required), **options)
    if isinstance(field, BooleanField):
        return JsonBoolean(error_messages=_messages(fields.Boolean, required), **options)
    if isinstance(field, DateField):
        return fields.Date(error_messages=_messages(fields.Date, required), **options)
    if isinstance(field, TimeField):
        return fields.Time(error_messages=_messages(fields.Time, required), **options)
    if isinstance(field, IntegerField):
        return fields.Integer(error_messages=_messages(fields.Integer, required), strict=True, **options)
    if isinstance(field, DecimalField):
        return fields.Decimal(error_messages=_messages(fields.Decimal, required), allow_nan=False, **options)
    return fields.String(error_messages=_messages(fields.String, required), **options)


def _probe(form_class):
    """The form's fields bound to a plain WTForms form, readable outside a request."""
    unbound = {name: getattr(form_class, name) for name in dir(form_class)
               if isinstance(getattr(form_class, name, None), UnboundField)}
    return type(f"{form_class.__name__}Probe", (wtforms.Form,), unbound)()


def form_schema(form_class, name: str, *, exclude=(), overrides: dict | None = None, optional=False,
                rename: dict | None = None) -> type[Schema]:
    """A marshmallow schema for the JSON form of ``form_class`` (``optional``: nothing is required,
    for a body whose fields are each saved on their own; ``rename``: form field -> JSON name, where
    the API answers a row whose column is named otherwise, so a body and its answer agree)."""
    form = _probe(form_class)
    declared: dict[str, fields.Field] = {}
    for field in form:
        if field.name in exclude or field.type == "CSRFTokenField":
            continue
        required = None
        metadata = {"description": str(field.label.text)} if field.label and field.label.text else {}
        for validator in field.validators:
            if isinstance(validator, DataRequired | InputRequired) and not optional:
                required = validator.message or "This field is required."
            if isinstance(validator, Length) and validator.max and validator.max > 0:
                metadata["maxLength"] = validator.max
        choices = getattr(field, "choices", None)
        if isinstance(field, RadioField | SelectField) and choices and not isinstance(field, SelectMultipleField):
            values = [str(choice[0]) for choice in field.iter_choices()] if callable(getattr(field, "iter_choices", None)) else []
            if values:
                metadata["enum"] = values
        key = (rename or {}).get(field.name, field.name)
        declared[key] = (overrides or {}).get(key) or _field_for(field, required, metadata)
    for extra, value in (overrides or {}).items():
        declared.setdefault(extra, value)
    return Schema.from_dict(declared, name=name)


class UtcDateTime(fields.DateTime):
    """A stored moment with its offset (SQLite hands back naive datetimes; every one stored is UTC)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


_COLUMN_FIELDS = {
    sa.Uuid: fields.UUID, sa.Boolean: fields.Boolean, sa.Date: fields.Date, sa.DateTime: UtcDateTime,
    sa.Time: fields.Time, sa.Integer: fields.Integer, sa.Numeric: fields.Float, sa.Float: fields.Float,
    sa.Text: fields.String, sa.String: fields.String,
}


def _column_field(column: sa.Column) -> fields.Field:
    for kind, field_class in _COLUMN_FIELDS.items():
        if isinstance(column.type, kind):
            return field_class(allow_none=column.nullable, required=True)
    return fields.String(allow_none=column.nullable, required=True)


def model_schema(model, name: str, *, exclude=("user_id",), extra: dict | None = None) -> type[Schema]:
    declared = {column.key: _column_field(column) for column in model.__table__.columns if column.key not in exclude}
    declared.update(extra or {})
    return Schema.from_dict(declared, name=name)


def page_schema(item_schema, name: str) -> type[Schema]:
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next": fields.Url(allow_none=True, required=True, metadata={
            "description": "The next page, or null on the last one."}),
    }, name=name)


class PageArgs(Schema):
    cursor = fields.String(metadata={"description": "From the `next` link of the previous page."})
    limit = fields.Integer(load_default=50, validate=ma.validate.Range(1, 200),
                           error_messages={"invalid": TYPE_MESSAGES[fields.Integer]})


class ErrorSchema(Schema):
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                         metadata={"description": "Messages per field, the same as on the page's form."})
