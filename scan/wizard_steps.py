"""What a wizard step shows that never changes, built once per model version.

A published model version is immutable, so a step's form (fields, choices, descriptors) and the
page's wording (cell, domain, levels, outline) depend only on the version, the cell, the
respondent's group and the language. They are cached on the version's parsed document, which
`selectors.model_doc` keeps per (version id, checksum): a new or restored version gets its own.
Nothing of a respondent is cached here; their saved answers are read per request.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from . import reading_time
from .forms import CellStepForm, step_form_class
from .modeldoc import Cell, ModelDoc


@dataclass(frozen=True)
class OutlineEntry:
    code: str
    name: str
    statement_codes: tuple[str, ...]


@dataclass(frozen=True)
class StepWording:
    """One cell's page texts for one group and language."""

    form_class: type[CellStepForm]
    cell_name: str
    cell_description: str
    domain_name: str
    # The scale card: (level, short name, this cell's descriptor), in the group's words.
    scale: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class WizardWording:
    """The texts every step of one group and language shares."""

    cells: dict[str, Cell]  # the steps, in order
    outline: tuple[OutlineEntry, ...]
    levels: tuple[dict, ...]
    minutes: int = 0  # the honest time this group needs (scan.reading_time)


_CACHE: weakref.WeakKeyDictionary[ModelDoc, dict[tuple, object]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _cached(doc: ModelDoc, key: tuple, build):
    entries = _CACHE.get(doc)
    if entries is not None and key in entries:
        return entries[key]
    value = build()
    with _LOCK:
        return _CACHE.setdefault(doc, {}).setdefault(key, value)


def step_wording(doc: ModelDoc, cell_code: str, group: str, language: str) -> StepWording:
    return _cached(
        doc,
        ("step", cell_code, group, language),
        lambda: _build_step(doc, cell_code, group, language),
    )


def wizard_wording(doc: ModelDoc, group: str, language: str) -> WizardWording:
    return _cached(doc, ("wizard", group, language), lambda: _build_wizard(doc, group, language))


def _build_step(doc: ModelDoc, cell_code: str, group: str, language: str) -> StepWording:
    cell = doc.cell_by_code[cell_code]
    domain = next(d for d in doc.domains if d.code == cell.domain_code)
    return StepWording(
        form_class=step_form_class(cell, group, language, doc.levels),
        cell_name=cell.name_for(group, language),
        cell_description=cell.description_for(group, language),
        domain_name=domain.name_for(group, language),
        scale=tuple(
            (n, doc.level_name(n, group, language), cell.descriptor_for(n, group, language))
            for n in sorted(doc.levels)
        ),
    )


def _build_wizard(doc: ModelDoc, group: str, language: str) -> WizardWording:
    cells = doc.cells_for(group)
    return WizardWording(
        cells={cell.code: cell for cell in cells},
        outline=tuple(
            OutlineEntry(
                code=cell.code,
                name=cell.name_for(group, language),
                statement_codes=tuple(s.code for s in cell.statements_for(group)),
            )
            for cell in cells
        ),
        levels=tuple(
            {
                "level": n,
                "name": doc.level_name(n, group, language),
                "description": doc.level_description(n, group, language),
            }
            for n in sorted(doc.levels)
        ),
        minutes=reading_time.minutes(doc, group, language),
    )
