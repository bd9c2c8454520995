"""The honeycomb's answers to hooks of the apps below it."""

from wagtail import hooks

from scan.services.rounds import ROUND_CLOSED_HOOK


@hooks.register(ROUND_CLOSED_HOOK)
def release_at_closing(scan_round, user) -> None:
    from .models import ReleaseKind
    from .release_services import release_make

    release_make(scan_round=scan_round, kind=ReleaseKind.CLOSING, user=user)
