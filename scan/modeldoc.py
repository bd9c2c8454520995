"""Reading a (validated) maturity-model document: domains, cells, statements and lookups.

Parsing and validating the file is ``scan.modelfile``; its schema is ``scan.modelschema``.
Everything here is pure: a dict in, frozen dataclasses out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .modelschema import GROUP_CODES

__all__ = ["GROUP_CODES", "Cell", "Domain", "ModelDoc", "Statement", "localised"]


@dataclass(frozen=True)
class Statement:
    code: str
    cell_code: str
    domain_code: str
    text: dict
    groups: tuple[str, ...]
    wording: dict

    def asks(self, group: str) -> bool:
        return group in self.groups

    def text_for(self, group: str, language: str) -> str:
        source = self.wording.get(group) or self.text
        return source.get(language) or source["nl"]


@dataclass(frozen=True)
class Cell:
    code: str
    domain_code: str
    name: dict
    description: dict
    descriptors: dict
    statements: tuple[Statement, ...]
    # Optional: the level descriptors in a group's own words (tenants, partners).
    group_descriptors: dict = field(default_factory=dict)
    # Optional: the cell's name and description in a group's own words.
    wording: dict = field(default_factory=dict)

    def name_for(self, group: str, language: str) -> str:
        return own_text(self.wording, group, "name", language) or localised(self.name, language)

    def description_for(self, group: str, language: str) -> str:
        if group in self.wording:  # a group's own wording may leave the description out
            return own_text(self.wording, group, "description", language)
        return localised(self.description, language)

    def descriptor_for(self, level: int | str, group: str, language: str) -> str:
        """The descriptor of a level as the group reads it, else the cell's own."""
        source = (self.group_descriptors.get(group) or self.descriptors)[str(level)]
        return source.get(language) or source["nl"]

    def statements_for(self, group: str) -> list[Statement]:
        return [s for s in self.statements if s.asks(group)]


@dataclass(frozen=True)
class Domain:
    code: str
    name: dict
    description: dict
    cells: tuple[Cell, ...]
    wording: dict = field(default_factory=dict)

    def name_for(self, group: str, language: str) -> str:
        return own_text(self.wording, group, "name", language) or localised(self.name, language)


class ModelDoc:
    """Read-only access to a (validated) model document."""

    def __init__(self, document: dict):
        self.document = document

    @cached_property
    def domains(self) -> tuple[Domain, ...]:
        domains = []
        for d in self.document["domains"]:
            cells = []
            for c in d["cells"]:
                statements = tuple(
                    Statement(
                        code=s["code"],
                        cell_code=c["code"],
                        domain_code=d["code"],
                        text=s["text"],
                        groups=tuple(s.get("groups") or GROUP_CODES),
                        wording=s.get("wording") or {},
                    )
                    for s in c["statements"]
                )
                cells.append(
                    Cell(
                        code=c["code"],
                        domain_code=d["code"],
                        name=c["name"],
                        description=c.get("description") or {},
                        descriptors=c["descriptors"],
                        statements=statements,
                        group_descriptors=c.get("group_descriptors") or {},
                        wording=c.get("wording") or {},
                    )
                )
            domains.append(
                Domain(
                    code=d["code"],
                    name=d["name"],
                    description=d.get("description") or {},
                    cells=tuple(cells),
                    wording=d.get("wording") or {},
                )
            )
        return tuple(domains)

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for domain in self.domains for cell in domain.cells)

    @cached_property
    def cell_by_code(self) -> dict[str, Cell]:
        return {cell.code: cell for cell in self.cells}

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for cell in self.cells for s in cell.statements)

    @cached_property
    def statement_by_code(self) -> dict[str, Statement]:
        return {s.code: s for s in self.statements}

    @cached_property
    def levels(self) -> dict[int, dict]:
        return {item["level"]: item for item in self.document["levels"]}

    def level_name(self, level: int, group: str, language: str) -> str:
        item = self.levels[level]
        return own_text(item.get("wording") or {}, group, "name", language) or localised(
            item["name"], language
        )

    def level_description(self, level: int, group: str, language: str) -> str:
        item = self.levels[level]
        return own_text(item.get("wording") or {}, group, "description", language) or localised(
            item["description"], language
        )

    def cells_for(self, group: str) -> list[Cell]:
        """Cells with at least one statement for this group: the wizard's steps."""
        return [cell for cell in self.cells if cell.statements_for(group)]

    def statement_frame_rows(self) -> list[tuple[str, str, str]]:
        """(statement, cell, domain) triples: the lookup table scoring joins answers with."""
        return [(s.code, s.cell_code, s.domain_code) for s in self.statements]


def own_text(wording: dict, group: str, key: str, language: str) -> str:
    """A text in a group's own words (``wording: {group: {key: {nl, en}}}``), or ""."""
    return localised((wording.get(group) or {}).get(key), language)


def localised(text: dict | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or text.get("nl") or next(iter(text.values()), "")
