"""The JSON schema of a maturity-model document (``klantraat-model/1``)."""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "klantraat-model/1"
GROUP_CODES = ("board", "managers", "staff", "partners", "tenants")
LANGS = ("nl", "en")
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"

_text = {
    "type": "object",
    "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGS},
    "required": list(LANGS),
    "additionalProperties": False,
}
_optional_text = {
    "type": "object",
    "properties": {lang: {"type": "string"} for lang in LANGS},
    "additionalProperties": False,
}
_code = {"type": "string", "pattern": CODE_PATTERN}
_group = {"type": "string", "enum": list(GROUP_CODES)}
# A level's, domain's or cell's name and description in a group's own words.
_group_wording = {
    "type": "object",
    "propertyNames": {"enum": list(GROUP_CODES)},
    "additionalProperties": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {"name": _text, "description": _optional_text},
    },
}
_descriptors = {
    "type": "object",
    "propertyNames": {"enum": ["1", "2", "3", "4", "5"]},
    "required": ["1", "2", "3", "4", "5"],
    "additionalProperties": _text,
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "code", "name", "levels", "domains"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "code": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,59}$"},
        "version_label": {"type": "string"},
        "name": _text,
        "description": _optional_text,
        "levels": {
            "type": "array",
            "minItems": 5,
            "maxItems": 5,
            "items": {
                "type": "object",
                "required": ["level", "name", "description"],
                "additionalProperties": False,
                "properties": {
                    "level": {"type": "integer", "minimum": 1, "maximum": 5},
                    "name": _text,
                    "description": _text,
                    "wording": _group_wording,
                },
            },
        },
        "domains": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "name", "cells"],
                "additionalProperties": False,
                "properties": {
                    "code": _code,
                    "name": _text,
                    "description": _optional_text,
                    "wording": _group_wording,
                    "cells": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["code", "name", "descriptors", "statements"],
                            "additionalProperties": False,
                            "properties": {
                                "code": _code,
                                "name": _text,
                                "description": _optional_text,
                                "wording": _group_wording,
                                "descriptors": {
                                    "type": "object",
                                    "propertyNames": {"enum": ["1", "2", "3", "4", "5"]},
                                    "required": ["1", "2", "3", "4", "5"],
                                    "additionalProperties": _text,
                                },
                                "group_descriptors": {
                                    "type": "object",
                                    "propertyNames": {"enum": list(GROUP_CODES)},
                                    "additionalProperties": _descriptors,
                                },
                                "statements": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {
                                        "type": "object",
                                        "required": ["code", "text"],
                                        "additionalProperties": False,
                                        "properties": {
                                            "code": _code,
                                            "text": _text,
                                            "groups": {
                                                "type": "array",
                                                "items": _group,
                                                "minItems": 1,
                                                "uniqueItems": True,
                                            },
                                            "wording": {
                                                "type": "object",
                                                "propertyNames": {"enum": list(GROUP_CODES)},
                                                "additionalProperties": _text,
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}
