"""Maturity models: import and export of model files, publishing immutable versions."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from ..errors import ScanError
from ..modelfile import dump_document, parse_model_file, validate_document
from ..models import (
    MaturityModel,
    ModelVersion,
)
from ..modelschema import GROUP_CODES

# --- maturity model --------------------------------------------------------------------------


def _text(block: dict, name: str) -> dict:
    return {"nl": block.get(f"{name}_nl") or "", "en": block.get(f"{name}_en") or ""}


def _optional(text: dict) -> dict:
    return {k: v for k, v in text.items() if v}


def _wording_from_blocks(items) -> dict:
    """``wording: {group: {name, description}}`` from the CMS's list of group wordings."""
    out = {}
    for w in items or []:
        entry = {"name": _text(w, "name")}
        if _optional(_text(w, "description")):
            entry["description"] = _optional(_text(w, "description"))
        out[w["group"]] = entry
    return out


def _wording_to_blocks(wording: dict | None) -> list[dict]:
    return [
        {
            "group": group,
            "name_nl": own["name"]["nl"],
            "name_en": own["name"]["en"],
            "description_nl": (own.get("description") or {}).get("nl", ""),
            "description_en": (own.get("description") or {}).get("en", ""),
        }
        for group, own in (wording or {}).items()
    ]


def _with_wording(item: dict, wording: dict) -> dict:
    if wording:
        item["wording"] = wording
    return item


def model_document_from_snippet(model: MaturityModel) -> dict:
    """The snippet's current content as a model document."""
    levels = sorted(
        (
            _with_wording(
                {
                    "level": block.value["level"],
                    "name": _text(block.value, "name"),
                    "description": _text(block.value, "description"),
                },
                _wording_from_blocks(block.value.get("wording")),
            )
            for block in model.levels
        ),
        key=lambda item: item["level"],
    )
    domains = []
    for block in model.domains:
        d = block.value
        cells = []
        for c in d["cells"]:
            statements = []
            for s in c["statements"]:
                statement = {"code": s["code"], "text": _text(s, "text")}
                if s["groups"]:
                    statement["groups"] = [g for g in GROUP_CODES if g in s["groups"]]
                if s["wording"]:
                    statement["wording"] = {w["group"]: _text(w, "text") for w in s["wording"]}
                statements.append(statement)
            cell = {
                "code": c["code"],
                "name": _text(c, "name"),
                "descriptors": {str(x["level"]): _text(x, "text") for x in c["descriptors"]},
                "statements": statements,
            }
            own = {
                g["group"]: {str(x["level"]): _text(x, "text") for x in g["descriptors"]}
                for g in c.get("group_descriptors") or []
            }
            if own:
                cell["group_descriptors"] = own
            if _optional(_text(c, "description")):
                cell["description"] = _optional(_text(c, "description"))
            _with_wording(cell, _wording_from_blocks(c.get("wording")))
            cells.append(cell)
        domain = {"code": d["code"], "name": _text(d, "name"), "cells": cells}
        _with_wording(domain, _wording_from_blocks(d.get("wording")))
        if _optional(_text(d, "description")):
            domain["description"] = _optional(_text(d, "description"))
        domains.append(domain)
    document = {
        "schema": "klantraat-model/1",
        "code": model.code,
        "name": {"nl": model.name_nl, "en": model.name_en},
        "levels": levels,
        "domains": domains,
    }
    description = _optional({"nl": model.description_nl, "en": model.description_en})
    if description:
        document["description"] = description
    return document


def _stream_values(document: dict) -> tuple[list, list]:
    levels = [
        (
            "level",
            {
                "level": item["level"],
                "name_nl": item["name"]["nl"],
                "name_en": item["name"]["en"],
                "description_nl": item["description"]["nl"],
                "description_en": item["description"]["en"],
                "wording": _wording_to_blocks(item.get("wording")),
            },
        )
        for item in document["levels"]
    ]
    domains = []
    for d in document["domains"]:
        cells = []
        for c in d["cells"]:
            statements = [
                {
                    "code": s["code"],
                    "text_nl": s["text"]["nl"],
                    "text_en": s["text"]["en"],
                    "groups": list(s.get("groups") or []),
                    "wording": [
                        {"group": group, "text_nl": text["nl"], "text_en": text["en"]}
                        for group, text in (s.get("wording") or {}).items()
                    ],
                }
                for s in c["statements"]
            ]
            cells.append(
                {
                    "code": c["code"],
                    "name_nl": c["name"]["nl"],
                    "name_en": c["name"]["en"],
                    "description_nl": (c.get("description") or {}).get("nl", ""),
                    "description_en": (c.get("description") or {}).get("en", ""),
                    "wording": _wording_to_blocks(c.get("wording")),
                    "descriptors": [
                        {"level": int(level), "text_nl": text["nl"], "text_en": text["en"]}
                        for level, text in sorted(c["descriptors"].items())
                    ],
                    "group_descriptors": [
                        {
                            "group": group,
                            "descriptors": [
                                {"level": int(level), "text_nl": text["nl"], "text_en": text["en"]}
                                for level, text in sorted(own.items())
                            ],
                        }
                        for group, own in (c.get("group_descriptors") or {}).items()
                    ],
                    "statements": statements,
                }
            )
        domains.append(
            (
                "domain",
                {
                    "code": d["code"],
                    "name_nl": d["name"]["nl"],
                    "name_en": d["name"]["en"],
                    "description_nl": (d.get("description") or {}).get("nl", ""),
                    "description_en": (d.get("description") or {}).get("en", ""),
                    "wording": _wording_to_blocks(d.get("wording")),
                    "cells": cells,
                },
            )
        )
    return levels, domains


def _checksum(document: dict) -> str:
    return hashlib.sha256(
        json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@transaction.atomic
def model_import(*, text: str, user=None, publish: bool = False) -> MaturityModel:
    """Create or update a model from a YAML/JSON file. A file with any error changes nothing
    (ModelFileError lists every problem). Without ``publish`` the import is saved as a draft
    revision for a consultant to review and publish."""
    document = parse_model_file(text)
    levels, domains = _stream_values(document)
    description = document.get("description") or {}
    model = MaturityModel.objects.filter(code=document["code"]).first() or MaturityModel(
        code=document["code"], live=False
    )
    model.name_nl, model.name_en = document["name"]["nl"], document["name"]["en"]
    model.description_nl = description.get("nl", "")
    model.description_en = description.get("en", "")
    model.levels = levels
    model.domains = domains
    if model.pk is None:
        model.save()
    revision = model.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        model.refresh_from_db()
    return model


def model_export(model: MaturityModel, fmt: str = "yaml") -> str:
    return dump_document(model_document_from_snippet(model), fmt)


@transaction.atomic
def model_version_publish(*, model: MaturityModel, user=None) -> ModelVersion:
    """Freeze the live content into a new immutable version (unchanged content reuses the
    latest version)."""
    document = model_document_from_snippet(model)
    errors = validate_document(document)
    if errors:
        raise ScanError(errors)
    checksum = _checksum(document)
    latest = (
        ModelVersion.objects.select_for_update().filter(model=model).order_by("-number").first()
    )
    if latest and latest.checksum == checksum:
        return latest
    return ModelVersion.objects.create(
        model=model,
        number=(latest.number + 1 if latest else 1),
        document=document,
        checksum=checksum,
        published_by=user if getattr(user, "pk", None) else None,
    )
