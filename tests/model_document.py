"""A small but complete model document for tests: two domains, three cells, group limits
and a tenant wording."""

import copy


def _text(nl: str, en: str | None = None) -> dict:
    return {"nl": nl, "en": en or f"{nl} (en)"}


DOCUMENT = {
    "schema": "klantraat-model/1",
    "code": "testmodel",
    "name": _text("Testmodel", "Test model"),
    "levels": [
        {"level": n, "name": _text(name, en), "description": _text(f"Niveau {n}", f"Level {n}")}
        for n, name, en in [
            (1, "Startend", "Starting"),
            (2, "Ontwikkelend", "Developing"),
            (3, "Gevestigd", "Established"),
            (4, "Gevorderd", "Advanced"),
            (5, "Toonaangevend", "Leading"),
        ]
    ],
    "domains": [
        {
            "code": "KV",
            "name": _text("Klantvisie", "Customer vision"),
            "cells": [
                {
                    "code": "KV1",
                    "name": _text("Stip aan de horizon", "Point on the horizon"),
                    "descriptors": {
                        str(n): _text(f"KV1 beschrijving {n}", f"KV1 descriptor {n}")
                        for n in range(1, 6)
                    },
                    "statements": [
                        {
                            "code": "KV1.1",
                            "text": _text(
                                "We hebben een gedeelde klantvisie.", "We share a customer vision."
                            ),
                        },
                        {
                            "code": "KV1.2",
                            "text": _text(
                                "Het MT bespreekt de visie elk kwartaal.",
                                "Management discusses the vision quarterly.",
                            ),
                            "groups": ["board", "managers", "staff"],
                        },
                    ],
                },
            ],
        },
        {
            "code": "KP",
            "name": _text("Klantprocessen", "Customer processes"),
            "cells": [
                {
                    "code": "KP1",
                    "name": _text("Reparaties", "Repairs"),
                    "descriptors": {
                        str(n): _text(f"KP1 beschrijving {n}", f"KP1 descriptor {n}")
                        for n in range(1, 6)
                    },
                    "statements": [
                        {
                            "code": "KP1.1",
                            "text": _text(
                                "We komen reparatieafspraken na.", "We keep repair appointments."
                            ),
                            "wording": {
                                "tenants": _text(
                                    "De corporatie komt afspraken met mij na.",
                                    "The corporation keeps its appointments with me.",
                                )
                            },
                        },
                        {
                            "code": "KP1.2",
                            "text": _text(
                                "Een monteur legt uit wat hij doet.",
                                "A mechanic explains what he does.",
                            ),
                        },
                    ],
                },
                {
                    "code": "KP2",
                    "name": _text("Klachten", "Complaints"),
                    "descriptors": {
                        str(n): _text(f"KP2 beschrijving {n}", f"KP2 descriptor {n}")
                        for n in range(1, 6)
                    },
                    "statements": [
                        {
                            "code": "KP2.1",
                            "text": _text(
                                "Klachten worden snel opgelost.", "Complaints are solved quickly."
                            ),
                        },
                    ],
                },
            ],
        },
    ],
}


def document() -> dict:
    return copy.deepcopy(DOCUMENT)
