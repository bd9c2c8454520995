"""The default customer moments and their questionnaires, in Dutch and English.

A questionnaire document holds a 1–10 grade, yes/no driver questions, an effort question (1–5),
one open question and the opt-in for a call-back. Each question names the honeycomb cells it
informs (codes of the default maturity model), so the pulse can be shown beside those cells."""

from __future__ import annotations

from typing import Any

SCHEMA = "klantraat-pulse/1"


def _t(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


GRADE_HINT = _t(
    "1 is heel slecht, 10 is uitstekend.",
    "1 is very poor, 10 is excellent.",
)
EFFORT = {
    "text": _t(
        "Hoeveel moeite kostte het je om dit geregeld te krijgen?",
        "How much effort did it take you to get this done?",
    ),
    "scale": [
        _t("Heel weinig", "Very little"),
        _t("Weinig", "Little"),
        _t("Niet veel, niet weinig", "Neither much nor little"),
        _t("Veel", "Much"),
        _t("Heel veel", "Very much"),
    ],
    "cells": ["DI1"],
}
OPEN = {
    "text": _t(
        "Wat kunnen we (of onze partner) beter doen?",
        "What could we (or our partner) do better?",
    )
}
CALL_BACK = _t(
    "Ik wil graag dat de woningcorporatie contact met me opneemt over mijn ervaring.",
    "I would like the housing corporation to contact me about my experience.",
)

DEFAULT_MOMENTS: dict[str, dict[str, Any]] = {
    "reparatie": {
        "kind": "repair",
        "name": _t("Reparatie", "Repair"),
        "invite_after_days": 2,
        "grade": {
            "text": _t(
                "Welk rapportcijfer geef je voor de reparatie?",
                "What grade do you give the repair?",
            ),
            "cells": ["KP2"],
        },
        "drivers": [
            {
                "code": "eerste_keer_goed",
                "text": _t(
                    "Was de reparatie in één keer goed?", "Was it fixed right the first time?"
                ),
                "cells": ["KP2"],
            },
            {
                "code": "afspraak_nagekomen",
                "text": _t(
                    "Kwam de vakman op de afgesproken tijd?", "Did the tradesperson come on time?"
                ),
                "cells": ["KP2", "KP5"],
            },
            {
                "code": "netjes",
                "text": _t(
                    "Werkte de vakman netjes en legde hij of zij uit wat er gedaan is?",
                    "Did the tradesperson work tidily and explain what was done?",
                ),
                "cells": ["KP5", "GE1"],
            },
        ],
    },
    "woning_betrekken": {
        "kind": "move_in",
        "name": _t("Woning betrekken", "Moving in"),
        "invite_after_days": 35,
        "grade": {
            "text": _t(
                "Welk rapportcijfer geef je voor het betrekken van je nieuwe woning?",
                "What grade do you give moving into your new home?",
            ),
            "cells": ["KP1"],
        },
        "drivers": [
            {
                "code": "woning_op_orde",
                "text": _t(
                    "Was de woning op orde bij de sleuteloverdracht?",
                    "Was the home in order when you got the keys?",
                ),
                "cells": ["KP1"],
            },
            {
                "code": "info_duidelijk",
                "text": _t(
                    "Was de informatie vooraf duidelijk?", "Was the information beforehand clear?"
                ),
                "cells": ["KP1", "DI2"],
            },
        ],
    },
    "woning_verlaten": {
        "kind": "move_out",
        "name": _t("Woning verlaten", "Moving out"),
        "invite_after_days": 5,
        "grade": {
            "text": _t(
                "Welk rapportcijfer geef je voor het opzeggen en opleveren van je woning?",
                "What grade do you give ending your lease and handing back your home?",
            ),
            "cells": ["KP3"],
        },
        "drivers": [
            {
                "code": "afspraken_helder",
                "text": _t(
                    "Wist je vooraf wat je moest doen en wat het kon kosten?",
                    "Did you know beforehand what to do and what it might cost?",
                ),
                "cells": ["KP3"],
            },
            {
                "code": "afrekening_op_tijd",
                "text": _t(
                    "Kwam de eindafrekening op tijd en klopte die?",
                    "Was the final bill on time and correct?",
                ),
                "cells": ["KP3"],
            },
        ],
    },
}


def questionnaire_document(moment_code: str) -> dict[str, Any]:
    spec = DEFAULT_MOMENTS[moment_code]
    return {
        "schema": SCHEMA,
        "grade": {**spec["grade"], "hint": GRADE_HINT},
        "drivers": spec["drivers"],
        "effort": EFFORT,
        "open": OPEN,
        "call_back": CALL_BACK,
    }


def tagged_cells(document: dict[str, Any]) -> set[str]:
    """Every honeycomb cell a questionnaire informs."""
    cells = set(document["grade"].get("cells", [])) | set(document["effort"].get("cells", []))
    for driver in document["drivers"]:
        cells |= set(driver.get("cells", []))
    return cells
