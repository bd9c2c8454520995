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

# Where the disagreement mark sits: inside the cell, clear of its top corner (hexagon
# radius 1), on the page, in the board report and in the deck alike.
SPREAD_MARK_AT = 0.64


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
    disagreement: bool = False  # spread at or above DISAGREEMENT_SPREAD (a shown figure)
    change_clear: bool = False  # the change exceeds its 95 % interval (``change_test``)
    domain_score: float | None = None  # the shown score of the cell's domain


def below_ambition(cell: HexCell) -> bool:
    """The one code for a gap to the ambition, on the page, in the PDF and in the deck: a
    dashed inner outline on a cell whose shown score is below its ambition."""
    return (
        not cell.suppressed
        and cell.score is not None
        and cell.target is not None
        and round(cell.score, 1) < cell.target
    )


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
    out: list[tuple[int, int]] = []
    radius = 0
    while len(out) < count:
        out.extend(_ring(radius))
        radius += 1
    return out[:count]


def _neighbours(q: int, r: int) -> set[tuple[int, int]]:
    return {(q + dq, r + dr) for dq, dr in AXIAL_DIRECTIONS}


def _to_xy(q: int, r: int) -> tuple[float, float]:
    return SQRT3 * (q + r / 2), -1.5 * r


def honeycomb_layout(cells: Sequence[HexCell]) -> dict[str, tuple[float, float]]:
    """Centre per cell code. One compact honeycomb: the cells fill the hexagons nearest the
    middle and each domain takes a contiguous slice of it, clockwise from the top, so the
    domains touch as regions of one shape. Should a slice fall apart (very uneven domain
    sizes), each domain becomes its own cluster with a free hexagon between clusters."""
    domains: dict[str, list[HexCell]] = {}
    for cell in cells:
        domains.setdefault(cell.domain_code, []).append(cell)
    placed = _sliced(list(domains.values()))
    if placed is None:
        placed = _clustered(list(domains.values()))
    return {code: _to_xy(q, r) for code, (q, r) in placed.items()}


def _clockwise_from_top(spot: tuple[int, int]) -> float:
    x, y = _to_xy(*spot)
    return -1.0 if (x, y) == (0, 0) else math.atan2(x, y) % (2 * math.pi)


def _compact_spots(count: int) -> list[tuple[int, int]]:
    """The ``count`` hexagons nearest the middle, in clockwise order from the top."""
    reach = int(math.sqrt(count)) + 2
    candidates = [(q, r) for q in range(-reach, reach + 1) for r in range(-reach, reach + 1)]
    candidates.sort(key=lambda s: (round(math.hypot(*_to_xy(*s)), 6), _clockwise_from_top(s)))
    return sorted(candidates[:count], key=_clockwise_from_top)


def _connected(spots: list[tuple[int, int]]) -> bool:
    remaining, stack = set(spots[1:]), [spots[0]]
    while stack:
        found = _neighbours(*stack.pop()) & remaining
        remaining -= found
        stack.extend(found)
    return not remaining


def _sliced(domains: list[list[HexCell]]) -> dict[str, tuple[int, int]] | None:
    spots = _compact_spots(sum(len(members) for members in domains))
    placed, start = {}, 0
    for members in domains:
        mine = spots[start : start + len(members)]
        if not _connected(mine):
            return None
        placed.update({cell.code: spot for cell, spot in zip(members, mine, strict=True)})
        start += len(members)
    return placed


def _clustered(domains: list[list[HexCell]]) -> dict[str, tuple[int, int]]:
    used: set[tuple[int, int]] = set()
    placed: dict[str, tuple[int, int]] = {}
    origins = _spiral(2000)
    for members in domains:
        shape = _spiral(len(members))
        for oq, or_ in origins:
            spots = [(oq + q, or_ + r) for q, r in shape]
            if any(s in used or (_neighbours(*s) & used) for s in spots):
                continue
            for cell, spot in zip(members, spots, strict=True):
                placed[cell.code] = spot
            used.update(spots)
            break
    return placed


def domain_borders(
    cells: Sequence[HexCell], layout: dict[str, tuple[float, float]]
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The edges shared by neighbouring cells of different domains (drawn as the regions'
    borders): each edge is perpendicular to the line between the two centres."""
    domain_of = {c.code: c.domain_code for c in cells}
    codes = [c.code for c in cells if c.code in layout]
    edges = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if domain_of[a] == domain_of[b]:
                continue
            (ax, ay), (bx, by) = layout[a], layout[b]
            distance = math.hypot(bx - ax, by - ay)
            if distance > SQRT3 + 1e-6:
                continue
            mx, my = (ax + bx) / 2, (ay + by) / 2
            ux, uy = -(by - ay) / distance, (bx - ax) / distance
            half = 0.5  # a hexagon's side equals its radius (1)
            edges.append(((mx - ux * half, my - uy * half), (mx + ux * half, my + uy * half)))
    return edges


def hexagon_points(cx: float, cy: float, r: float = 1.0) -> list[tuple[float, float]]:
    return [
        (cx + r * math.cos(math.radians(60 * i - 30)), cy + r * math.sin(math.radians(60 * i - 30)))
        for i in range(6)
    ]


def hexagon_path(cx: float, cy: float, r: float = 1.0) -> str:
    points = hexagon_points(cx, cy, r)
    return "M " + " L ".join(f"{x:.4f},{y:.4f}" for x, y in points) + " Z"


def domain_label_positions(
    cells: Sequence[HexCell], layout: dict[str, tuple[float, float]]
) -> list[tuple[str, tuple[float, float], str]]:
    """Where each domain's name goes: just outside the honeycomb, in the direction of the
    domain's region, with the side the text runs to ("left", "right" or "center")."""
    points: dict[str, list[tuple[float, float]]] = {}
    names: dict[str, str] = {}
    for cell in cells:
        if cell.code in layout:
            points.setdefault(cell.domain_code, []).append(layout[cell.code])
            names[cell.domain_code] = cell.domain_label
    every = [p for ps in points.values() for p in ps] or [(0.0, 0.0)]
    cx = sum(x for x, _y in every) / len(every)
    cy = sum(y for _x, y in every) / len(every)
    reach = max(math.hypot(x - cx, y - cy) for x, y in every) + 1.4
    out = []
    for code, ps in points.items():
        dx = sum(x for x, _y in ps) / len(ps) - cx
        dy = sum(y for _x, y in ps) / len(ps) - cy
        length = math.hypot(dx, dy)
        if length < 0.3:  # one region around the middle: its name goes on top
            dx, dy, length = 0.0, 1.0, 1.0
        ux, uy = dx / length, dy / length
        anchor = "left" if ux > 0.35 else "right" if ux < -0.35 else "center"
        out.append((names[code], (cx + ux * reach, cy + uy * reach), anchor))
    return out
