"""The one colour scale of every chart, table, PDF and deck: a continuous scale over scores
1–5 on which two scores 0,3 apart always look different.

Why continuous: scores of one organisation lie close together (in the demo 2,9–3,7). Colours
per rounded level painted 14 of 15 cells the same. Here every shown (one-decimal) score has
its own colour, and the scale is stretched so that equal score steps are equal *perceived*
steps (equal distance in CIELAB), with lightness falling throughout: a 0,3 difference is a
clear lightness step, which colour-blind readers and greyscale prints see too.
"""

from __future__ import annotations

import math
from functools import lru_cache

# ColorBrewer YlGnBu (9 classes): colour-blind safe, light to dark.
STOPS = (
    "#ffffd9",
    "#edf8b1",
    "#c7e9b4",
    "#7fcdbb",
    "#41b6c4",
    "#1d91c0",
    "#225ea8",
    "#253494",
    "#081d58",
)
LOW, HIGH = 1.0, 5.0
STEPS = 40  # one colour per shown score: 1,0 · 1,1 · … · 5,0
SAMPLES = 400  # points along the palette to measure its length
LIGHTNESS_WEIGHT = 3.0  # how much more lightness counts than hue when spacing the colours


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


_WHITE = (0.95047, 1.0, 1.08883)  # D65


def to_lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in _rgb(colour))
    xyz = (
        0.4124 * r + 0.3576 * g + 0.1805 * b,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        0.0193 * r + 0.1192 * g + 0.9505 * b,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def from_lab(lab: tuple[float, float, float]) -> str:
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def inverse(t: float) -> float:
        return t**3 if t**3 > 0.008856 else (t - 16 / 116) / 7.787

    x, y, z = (inverse(v) * w for v, w in zip((fx, fy, fz), _WHITE, strict=True))
    r = 3.2406 * x - 1.5372 * y - 0.4986 * z
    g = -0.9689 * x + 1.8758 * y + 0.0415 * z
    bl = 0.0557 * x - 0.2040 * y + 1.0570 * z
    return _hex((_gamma(max(r, 0)), _gamma(max(g, 0)), _gamma(max(bl, 0))))


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference: about 2 is just noticeable, 10 plainly different."""
    return math.dist(to_lab(a), to_lab(b))


def _along(t: float) -> tuple[float, float, float]:
    """A point on the palette (0 = lightest stop, 1 = darkest), interpolated in CIELAB."""
    labs = [to_lab(stop) for stop in STOPS]
    position = min(max(t, 0.0), 1.0) * (len(labs) - 1)
    index = min(int(position), len(labs) - 2)
    part = position - index
    return tuple(  # type: ignore[return-value]
        a + (b - a) * part for a, b in zip(labs[index], labs[index + 1], strict=True)
    )


@lru_cache(maxsize=1)
def scale_colours() -> tuple[str, ...]:
    """The STEPS + 1 colours of scores 1,0 … 5,0, equally far apart as seen."""
    points = [_along(i / SAMPLES) for i in range(SAMPLES + 1)]
    lengths = [0.0]
    for a, b in zip(points, points[1:], strict=False):
        # Lightness counts most: it is what every reader (colour-blind, greyscale) sees.
        lengths.append(
            lengths[-1]
            + math.dist(
                (LIGHTNESS_WEIGHT * a[0], a[1], a[2]), (LIGHTNESS_WEIGHT * b[0], b[1], b[2])
            )
        )
    out, j = [], 0
    for step in range(STEPS + 1):
        wanted = lengths[-1] * step / STEPS
        while j < SAMPLES and lengths[j + 1] < wanted:
            j += 1
        span = (lengths[j + 1] - lengths[j]) if j < SAMPLES else 0.0
        part = 0.0 if span == 0 else (wanted - lengths[j]) / span
        nxt = points[min(j + 1, SAMPLES)]
        lab = tuple(a + (b - a) * part for a, b in zip(points[j], nxt, strict=True))
        out.append(from_lab(lab))  # type: ignore[arg-type]
    return tuple(out)


def score_step(score: float) -> int:
    """The shown score in tenths from 1,0 (0 … 40): rounded half up like the pages, so two
    cells showing the same number always have the same colour."""
    clamped = min(max(float(score), LOW), HIGH)
    return int((clamped - LOW) * 10 + 0.5 + 1e-9)


def scale_colour(score: float) -> str:
    return scale_colours()[score_step(score)]


def css_class(score: float | None) -> str:
    """The class that gives a table cell its fill (static/css/scale.css): no inline styles."""
    return "scale-none" if score is None else f"scale-{score_step(score) + 10}"


DARK_TEXT = "#000000"  # black on the mid tones keeps AA contrast at any score
LIGHT_TEXT = "#ffffff"


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    return (
        DARK_TEXT
        if contrast_ratio(fill, DARK_TEXT) >= contrast_ratio(fill, LIGHT_TEXT)
        else LIGHT_TEXT
    )


def scale_css() -> str:
    """static/css/scale.css, generated from this module (a test keeps them equal)."""
    lines = [
        "/* Generated from honeycomb/chart_scale.py (scale_css): the colour of every shown",
        "   score 1,0–5,0, as in the charts, the PDF and the deck. Do not edit by hand. */",
    ]
    for step, colour in enumerate(scale_colours()):
        lines.append(
            f".scale-{step + 10} {{ background: {colour}; color: {text_colour(colour)}; }}"
        )
    lines.append(".scale-none { background: #eceff3; color: #000000; }")
    return "\n".join(lines) + "\n"
