"""The registry of message kinds: each app declares its kinds at ready() and says how their
messages are rendered, when they may go, and what happens once they went or were given up.
Core knows no app; an app plugs in here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from ..models import OutgoingMail


@dataclass
class Rendered:
    """A message as it leaves: the address, the final text, the reference the provider's
    status report names (``metadata["klantraat"]``; defaults to ``mail-<pk>``)."""

    to: str
    subject: str
    body: str
    from_email: str | None = None
    reply_to: list[str] = field(default_factory=list)
    reference: str = ""


Renderer = Callable[[list[OutgoingMail]], dict[int, "Rendered | None"]]
Hook = Callable[[OutgoingMail, str], None]


@dataclass
class Kind:
    render: Renderer | None = None
    on_sent: Hook | None = None  # (row, provider message id or "")
    on_failed: Hook | None = None  # (row, error) once the message is given up
    # Rows of this kind are claimed (and swept) only while this holds, e.g. "its round is open".
    ready: Q | None = None
    # Relations the renderer reads, loaded with the claim in the same query.
    related: tuple[str, ...] = ()
    # Where a message went when its row holds no recipient (a bounce blocks that address).
    address: Callable[[OutgoingMail], str] | None = None


_KINDS: dict[str, Kind] = {}


def register(
    kind: str,
    *,
    render: Renderer | None = None,
    on_sent: Hook | None = None,
    on_failed: Hook | None = None,
    ready: Q | None = None,
    related: tuple[str, ...] = (),
    address: Callable[[OutgoingMail], str] | None = None,
) -> None:
    """Called from an app's ready(): how messages of ``kind`` are rendered and recorded. A kind
    nobody registered is sent as stored (subject, body, recipient, reply-to)."""
    _KINDS[kind] = Kind(
        render=render,
        on_sent=on_sent,
        on_failed=on_failed,
        ready=ready,
        related=related,
        address=address,
    )


def kind_of(kind: str) -> Kind | None:
    return _KINDS.get(kind)


def claimable() -> Q:
    """Rows that may be claimed now as far as their kind is concerned (one condition for the
    claim's single UPDATE and for the sweeper)."""
    waiting = {kind: k.ready for kind, k in _KINDS.items() if k.ready is not None}
    if not waiting:
        return Q()
    condition = ~Q(kind__in=list(waiting))
    for kind, ready in waiting.items():
        condition |= Q(kind=kind) & ready
    return condition


def related_paths() -> list[str]:
    return sorted({path for k in _KINDS.values() for path in k.related})
