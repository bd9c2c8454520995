"""Erasing a respondent reaches every published copy: releases, signed snapshots and rendered
board packs lose the comments the respondent wrote. Figures stay: they are anonymous."""

from __future__ import annotations

from scan.models import ScanRound

from .models import FrozenResults, Release, ReportJob


def comments_without(data: dict, group_name: str, written: list[tuple[str, str]]) -> dict:
    """A snapshot without one occurrence of each (cell, text) written: looked for in the
    respondent's own group first (another person may have written the same words)."""
    comments = {
        cell: {name: list(texts) for name, texts in per_group.items()}
        for cell, per_group in (data.get("comments") or {}).items()
    }
    for cell, text in written:
        per_group = comments.get(cell, {})
        for name in [group_name, *per_group]:
            if text in per_group.get(name, []):
                per_group[name].remove(text)
                break
    cleaned = {
        cell: {name: texts for name, texts in per_group.items() if texts}
        for cell, per_group in comments.items()
    }
    return {**data, "comments": {cell: groups for cell, groups in cleaned.items() if groups}}


def erase_from_published(
    scan_round: ScanRound, group_name: str, written: list[tuple[str, str]]
) -> None:
    if not written:
        return
    for model in (Release, FrozenResults):
        for pk, data in model.objects.filter(round=scan_round).values_list("pk", "data"):
            cleaned = comments_without(data, group_name, written)
            if cleaned != data:
                # update(), not save(): erasure is the one change a frozen snapshot allows.
                model.objects.filter(pk=pk).update(data=cleaned)
    # A rendered pack may print the comments; it is made again from the cleaned snapshot.
    ReportJob.objects.filter(round=scan_round).delete()
