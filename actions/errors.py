"""The error every improvement-cycle rule raises: its message is meant for the user."""

from django.core.exceptions import ValidationError


class CycleError(ValidationError):
    """A rule of the improvement cycle was broken; the message is for the user."""
