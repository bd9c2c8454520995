"""The honeycomb's answers to hooks of the apps below it."""

from wagtail import hooks

from scan.services.respondents import RESPONDENT_ERASED_HOOK
from scan.services.rounds import ROUND_CLOSED_HOOK


@hooks.register(ROUND_CLOSED_HOOK)
def release_at_closing(scan_round, user) -> None:
    from .models import ReleaseKind
    from .release_services import release_make

    release_make(scan_round=scan_round, kind=ReleaseKind.CLOSING, user=user)


@hooks.register(RESPONDENT_ERASED_HOOK)
def erase_published_comments(scan_round, group_name: str, written) -> None:
    from .erasure import erase_from_published

    erase_from_published(scan_round, group_name, written)
