"""Pulse answers are written only through ``pulse.aggregates``, which keeps the monthly
summaries (``PulseMonthly``) in the same transaction. The answer model's manager and
``save()``/``delete()`` refuse every other write that would change what the summaries read."""

from __future__ import annotations

from django.db import models

# The fields the monthly summaries (``PulseMonthly``) are computed from.
SUMMARISED_FIELDS = frozenset({"organisation", "moment", "partner", "month", "grade", "drivers"})
SUMMARY_BYPASS = (
    "Pulse answers are stored and removed through pulse.aggregates (responses_add, "
    "response_add, responses_remove), which keeps the monthly summaries in the same transaction."
)


class SummaryBypass(RuntimeError):
    """A write of pulse answers that would leave the monthly summaries behind."""


def touches_summaries(fields) -> bool:
    """Whether a write of these fields (None: all of them) changes what the summaries read."""
    if fields is None:
        return True
    return bool({name.removesuffix("_id") for name in fields} & SUMMARISED_FIELDS)


class PulseResponseQuerySet(models.QuerySet):
    """Refuses every write that would skip the monthly summaries: answers are added and removed
    only by ``pulse.aggregates`` (through ``PulseResponse.summarised``), so no writer can forget
    them. Changing fields the summaries do not read (an open answer) stays possible."""

    def create(self, **kwargs):
        raise SummaryBypass(SUMMARY_BYPASS)

    def bulk_create(self, objs, *args, **kwargs):
        raise SummaryBypass(SUMMARY_BYPASS)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if touches_summaries(fields):
            raise SummaryBypass(SUMMARY_BYPASS)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if touches_summaries(kwargs):
            raise SummaryBypass(SUMMARY_BYPASS)
        return super().update(**kwargs)

    def delete(self):
        raise SummaryBypass(SUMMARY_BYPASS)
