"""A round's period as a label from its dates, in the active language (``scan.periods``);
kept here for the honeycomb's callers."""

from scan.periods import period_label, period_of

__all__ = ["period_label", "period_of"]
