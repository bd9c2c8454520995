"""How long the scan takes one group: the words its pages show at a reading pace, plus taps.

The time in the invitation, the reminder and the intro comes from here, so it follows the
model and the group instead of a number written into a text. Pure: a model document in, a
number out.
"""

from __future__ import annotations

import math

from .modeldoc import ModelDoc

# Silent reading of plain (B1) Dutch on a phone; adults read 200–250 words a minute on paper,
# somewhat slower on a small screen.
WORDS_PER_MINUTE = 200
SECONDS_PER_ANSWER = 4  # find the option and tap it
SECONDS_PER_PAGE = 4  # "save and continue" and the next page loading
# The words every respondent reads besides the model's texts (intro, buttons, progress,
# the closing step), counted on the rendered pages.
PAGE_WORDS = 25
FIXED_WORDS = 220


def _count(text: str) -> int:
    return len(text.split())


def words(doc: ModelDoc, group: str, language: str) -> int:
    """The words one respondent of ``group`` reads: every page's texts, the scale card of
    every topic counted as read once (open or not), the options once per topic."""
    total = FIXED_WORDS + sum(
        _count(doc.level_name(n, group, language))
        + _count(doc.level_description(n, group, language))
        for n in doc.levels
    )
    for cell in doc.cells_for(group):
        statements = cell.statements_for(group)
        total += PAGE_WORDS + _count(cell.name_for(group, language))
        total += _count(cell.description_for(group, language))
        total += sum(
            _count(cell.descriptor_for(n, group, language))
            + _count(doc.level_name(n, group, language))
            for n in doc.levels
        )
        total += sum(_count(s.text_for(group, language)) for s in statements)
    return total


def minutes(doc: ModelDoc, group: str, language: str) -> int:
    """Whole minutes, rounded up: reading, one tap per statement and one per page."""
    cells = doc.cells_for(group)
    answers = sum(len(cell.statements_for(group)) for cell in cells)
    seconds = (
        60 * words(doc, group, language) / WORDS_PER_MINUTE
        + SECONDS_PER_ANSWER * answers
        + SECONDS_PER_PAGE * (len(cells) + 2)
    )
    return max(1, math.ceil(seconds / 60))
