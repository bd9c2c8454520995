"""Creating, revoking and listing API tokens of every scope (core.models.AccessToken).

The apps decide who may manage which tokens and pass that queryset in; these functions keep
the rules every token shares: the raw token is returned once and never stored, a name holds
no control characters, each token expires, and creating and revoking are audited."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from ..audit import audit
from ..models import AccessToken, TokenScope
from ..tokens import new_token, token_digest

TOKEN_DAYS = 365


def _clean_name(name: str) -> str:
    # Control characters (a NUL, which PostgreSQL refuses) are no part of a name.
    return "".join(c for c in (name or "") if c.isprintable()).strip()[:80] or "API"


def token_create(
    *,
    scope: TokenScope,
    name: str,
    user=None,
    organisation=None,
    created_by=None,
    days: int = TOKEN_DAYS,
) -> tuple[AccessToken, str]:
    """A new token valid for ``days``, owned by ``user`` (a personal scope) or ``organisation``
    (an organisation's scope): the record and the raw token, which is never stored."""
    raw = new_token()
    creator = created_by if getattr(created_by, "pk", None) else None
    token = AccessToken(
        scope=scope,
        name=_clean_name(name),
        user=user,
        organisation=organisation,
        created_by=creator,
        token_hash=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()  # the owner must fit the scope
    token.save()
    audit("token_created", organisation=organisation, actor=creator, token=token.pk)
    return token, raw


def token_revoke(
    *, tokens: QuerySet[AccessToken], token_id: int, actor, organisation=None
) -> AccessToken | None:
    """Revoke the token ``token_id`` if it is one of ``tokens`` (those the actor may manage)
    and still works; the revoked token, or None when there was nothing to revoke."""
    token = tokens.filter(pk=token_id, revoked_at__isnull=True).only("pk", "user").first()
    if token is None:
        return None
    # The filter keeps two clicks at once from revoking (and auditing) twice.
    if not AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        return None
    owner = {"owner": token.user_id} if token.user_id and token.user_id != actor.pk else {}
    audit("token_revoked", organisation=organisation, actor=actor, token=token.pk, **owner)
    return token


def tokens_of_user(user, scope: TokenScope) -> QuerySet[AccessToken]:
    """A person's own tokens of ``scope``, newest first."""
    return AccessToken.objects.for_scope(scope).filter(user=user).order_by("-created_at")
