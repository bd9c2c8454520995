"""Where the hexagons go: pointy-top hexagons with circumradius 1 on an axial grid.

The cells of a domain form a compact cluster (a centre with rings around it); clusters are
placed one hexagon apart so domains read as groups.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SQRT3 = math.sqrt(3)
AXIAL_DIRECTIONS = ((1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1))


@dataclass(frozen=True)
class HexCell:
    code: str
    label: str
    domain_code: str
    domain_label: str
    score: float | None
    n: int = 0
    spread: float | None = None
    suppressed: bool = False
    target: int | None = None
    change: float | None = None
    annotation: str | None = None
    url: str | None = None
    consensus: int | None = None


def _ring(radius: int) -> list[tuple[int, int]]:
    if radius == 0:
        return [(0, 0)]
    q, r = -radius, radius  # start at direction 4 scaled
    cells = []
    for dq, dr in AXIAL_DIRECTIONS:
        for _step in range(radius):
            cells.append((q, r))
            q, r = q + dq, r + dr
    return cells


def _spiral(count: int) -> list[tuple[int, int]]:
    out, radius = [], 0
    while len(out) < count:
        out.extend(_ring(radius))
        radius += 1
    return out[:count]


def _neighbours(q: int, r: int) -> set[tuple[int, int]]:
    return {(q + dq, r + dr) for dq, dr in AXIAL_DIRECTIONS}


def _to_xy(q: int, r: int) -> tuple[float, float]:
    return SQRT3 * (q + r / 2), -1.5 * r


def honeycomb_layout(cells: Sequence[HexCell]) -> dict[str, tuple[float, float]]:
    """Centre per cell code. Each domain is a contiguous cluster; clusters keep one free
    hexagon between them and are packed as close to the middle as possible."""
    domains: dict[str, list[HexCell]] = {}
    for cell in cells:
        domains.setdefault(cell.domain_code, []).append(cell)
    used: set[tuple[int, int]] = set()
    placed: dict[str, tuple[int, int]] = {}
    origins = _spiral(2000)
    for members in domains.values():
        shape = _spiral(len(members))
        for oq, or_ in origins:
            spots = [(oq + q, or_ + r) for q, r in shape]
            if any(s in used or (_neighbours(*s) & used) for s in spots):
                continue
            for cell, spot in zip(members, spots, strict=True):
                placed[cell.code] = spot
            used.update(spots)
            break
    return {code: _to_xy(q, r) for code, (q, r) in placed.items()}


def hexagon_points(cx: float, cy: float, r: float = 1.0) -> list[tuple[float, float]]:
    return [
        (cx + r * math.cos(math.radians(60 * i - 30)), cy + r * math.sin(math.radians(60 * i - 30)))
        for i in range(6)
    ]


def hexagon_path(cx: float, cy: float, r: float = 1.0) -> str:
    points = hexagon_points(cx, cy, r)
    return "M " + " L ".join(f"{x:.4f},{y:.4f}" for x, y in points) + " Z"
