"""The maturity model as a file: parsing YAML or JSON, validation with line numbers, dumping.

The same document is the import/export file format and the frozen content of a published
ModelVersion. Everything here is pure: strings in, dicts and errors out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .modelschema import GROUP_CODES, SCHEMA


class ModelFileError(ValueError):
    """A model file was rejected. ``errors`` lists every problem, each naming line and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --- bounded parsing -----------------------------------------------------------------------
# A model file is plain data written out in full. YAML aliases (*name) let a few hundred bytes
# expand to gigabytes ("billion laughs"), and deep nesting exhausts the parser's recursion,
# so both are refused before anything is built; the size is capped before parsing at all.

MAX_MODEL_FILE_BYTES = 1024 * 1024
MAX_MODEL_DEPTH = 40  # a model document nests about ten levels deep

FILE_TOO_LARGE = gettext_lazy("The file is larger than 1 MB; a model file is much smaller.")
ALIAS_REFUSED = gettext_lazy(
    "line %(line)s: the file uses a YAML alias (*%(name)s). A model file may not use anchors "
    "and aliases: write the content out in full."
)
TOO_DEEP = gettext_lazy("line %(line)s: the file is nested more than %(n)s levels deep.")


class _Refused(yaml.YAMLError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BoundedLoader(yaml.SafeLoader):
    """The safe loader without aliases and with a depth limit."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(
                ALIAS_REFUSED % {"line": event.start_mark.line + 1, "name": event.anchor}
            )
        self._depth += 1
        try:
            if self._depth > MAX_MODEL_DEPTH:
                line = self.peek_event().start_mark.line + 1
                raise _Refused(TOO_DEEP % {"line": line, "n": MAX_MODEL_DEPTH})
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# --- parsing with line numbers -------------------------------------------------------------


def _node_lines(node: yaml.Node, path: tuple = ()) -> Iterator[tuple[tuple, int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _node_lines(value, (*path, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _node_lines(item, (*path, index))


def _line_map(text: str) -> dict[tuple, int]:
    try:
        root = yaml.compose(text, Loader=BoundedLoader)
    except yaml.YAMLError:
        return {}
    return dict(_node_lines(root)) if root is not None else {}


def _normalise_keys(value: Any) -> Any:
    """YAML reads descriptor keys 1..5 as integers; the document uses strings."""
    if isinstance(value, dict):
        return {str(k): _normalise_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_keys(v) for v in value]
    return value


FIELD_LABELS = {
    "schema": gettext_lazy("schema"),
    "code": gettext_lazy("code"),
    "version_label": gettext_lazy("version label"),
    "name": gettext_lazy("name"),
    "description": gettext_lazy("description"),
    "levels": gettext_lazy("levels"),
    "level": gettext_lazy("level"),
    "domains": gettext_lazy("domains"),
    "cells": gettext_lazy("cells"),
    "descriptors": gettext_lazy("level descriptors"),
    "group_descriptors": gettext_lazy("level descriptors per group"),
    "statements": gettext_lazy("statements"),
    "text": gettext_lazy("text"),
    "groups": gettext_lazy("groups"),
    "wording": gettext_lazy("wording per group"),
    "nl": gettext_lazy("Dutch"),
    "en": gettext_lazy("English"),
}
# The same names as the respondent groups' kinds (scan.models.GroupKind).
GROUP_LABELS = {
    "board": gettext_lazy("Board / management team"),
    "managers": gettext_lazy("Managers"),
    "staff": gettext_lazy("Staff"),
    "partners": gettext_lazy("Contract partners"),
    "tenants": gettext_lazy("Tenants"),
}
_CODED_LISTS = ("domains", "cells", "statements")


def _format_path(path: tuple, document: Any = None) -> str:
    """A place in the model as the CMS names it: "KV1.2 → groups" rather than
    "domains[0].cells[1].statements[1].groups[0]"."""
    segments: list[str] = []
    node = document
    key: str | None = None
    for index, part in enumerate(path):
        child = None
        if isinstance(part, int):
            if isinstance(node, list) and 0 <= part < len(node):
                child = node[part]
            if key is not None and key in _CODED_LISTS:
                code = child.get("code") if isinstance(child, dict) else None
                if isinstance(code, str) and code:
                    segments = [code]
                else:
                    segments.append(f"{FIELD_LABELS[key]} #{part + 1}")
            elif key == "levels":
                number = child.get("level") if isinstance(child, dict) else None
                segments.append(f"{_('level')} {number if number is not None else part + 1}")
            # an item of a plain list (a group in "groups") is named in the message itself
        else:
            part = str(part)
            if isinstance(node, dict):
                child = node.get(part)
            if part in _CODED_LISTS or part == "levels":
                if index == len(path) - 1:  # the list itself is the problem
                    segments.append(str(FIELD_LABELS[part]))
            elif part.isdigit() and key in ("descriptors", *GROUP_LABELS):
                segments.append(f"{_('level')} {part}")
            elif key in ("wording", "group_descriptors") and part in GROUP_LABELS:
                segments.append(str(GROUP_LABELS[part]))
            else:
                segments.append(str(FIELD_LABELS.get(part, part)))
            key = part
        node = child
    return " → ".join(segments) or _("the whole file")


def parse_model_file(text: str) -> dict:
    """Parse YAML or JSON text into a validated document, or raise ModelFileError."""
    if not text.strip():
        raise ModelFileError([_("The file is empty.")])
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MODEL_FILE_BYTES:
        raise ModelFileError([str(FILE_TOO_LARGE)])
    try:
        # YAML is a superset of JSON: one parser for both
        raw = yaml.load(text, Loader=BoundedLoader)  # a SafeLoader, bounded
    except _Refused as exc:
        raise ModelFileError([exc.message]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("line %(line)s, column %(column)s: ")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else ""
        )
        problem = getattr(exc, "problem", None) or str(exc)
        raise ModelFileError(
            [where + _("the file is not valid YAML or JSON (%(problem)s).") % {"problem": problem}]
        ) from exc
    if not isinstance(raw, dict):
        raise ModelFileError(
            [_("line 1: the file must contain one model (a mapping at the top level).")]
        )
    document = _normalise_keys(raw)
    errors = validate_document(document, line_map=_line_map(text))
    if errors:
        raise ModelFileError(errors)
    return document


def validate_document(document: dict, *, line_map: dict[tuple, int] | None = None) -> list[str]:
    """Every problem in the document: schema first, then cross-field rules."""
    line_map = line_map or {}

    def where(path: tuple) -> str:
        probe = tuple(path)
        while probe and probe not in line_map:
            probe = probe[:-1]
        line = line_map.get(probe)
        place = _format_path(tuple(path), document)
        return _("line %(line)s, %(place)s") % {"line": line, "place": place} if line else place

    validator = jsonschema.Draft202012Validator(SCHEMA)
    schema_errors = sorted(
        validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
    )
    errors = [f"{where(tuple(e.absolute_path))}: {_explain(e)}" for e in schema_errors]
    if errors:
        return errors

    levels = [item["level"] for item in document["levels"]]
    if sorted(levels) != [1, 2, 3, 4, 5]:
        errors.append(f"{where(('levels',))}: " + _("levels must be exactly 1, 2, 3, 4 and 5."))
    seen: dict[str, tuple] = {}
    for d_i, domain in enumerate(document["domains"]):
        items: list[tuple[tuple[str | int, ...], Any]] = [
            (("domains", d_i, "code"), domain["code"])
        ]
        for c_i, cell in enumerate(domain["cells"]):
            items.append((("domains", d_i, "cells", c_i, "code"), cell["code"]))
            for s_i, statement in enumerate(cell["statements"]):
                s_path = ("domains", d_i, "cells", c_i, "statements", s_i)
                items.append(((*s_path, "code"), statement["code"]))
                limited = set(statement.get("groups") or GROUP_CODES)
                for group in statement.get("wording", {}):
                    if group not in limited:
                        errors.append(
                            f"{where((*s_path, 'wording', group))}: "
                            + _(
                                "wording for the group %(group)s, which is not asked this statement."
                            )
                            % {"group": GROUP_LABELS.get(group, group)}
                        )
        for path, code in items:
            if code in seen:
                errors.append(
                    f"{where(path)}: "
                    + _("code '%(code)s' is used twice (first at %(first)s).")
                    % {"code": code, "first": where(seen[code])}
                )
            else:
                seen[code] = path
    return errors


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        name = missing[0] if missing else ""
        if name.isdigit():
            return _("level %(level)s is missing") % {"level": name}
        return _("'%(field)s' is missing") % {"field": FIELD_LABELS.get(name, name)}
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance or {}) - set(error.schema.get("properties", {})))
        return _("unknown field: %(fields)s") % {"fields": ", ".join(map(repr, extra))}
    if error.validator == "const":
        return _("must be %(value)r") % {"value": error.validator_value}
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return _("%(value)r is not allowed; use one of: %(allowed)s") % {
            "value": error.instance,
            "allowed": allowed,
        }
    if error.validator == "pattern":
        return _("%(value)r is not a valid code (letters, digits, '.', '-', '_'; max 40)") % {
            "value": error.instance
        }
    if error.validator in ("minItems", "maxItems"):
        return _("has %(n)s item(s), needs %(limit)s %(which)s") % {
            "n": len(error.instance),
            "limit": error.validator_value,
            "which": _("at least") if error.validator == "minItems" else _("at most"),
        }
    if error.validator == "minLength":
        return _("is empty")
    if error.validator == "type":
        return _("%(value)r has the wrong type (expected %(type)s)") % {
            "value": error.instance,
            "type": error.validator_value,
        }
    return error.message


def dump_document(document: dict, fmt: str = "yaml") -> str:
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
