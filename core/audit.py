"""Writing the audit log (one call per security-relevant event) and reading it as text.

The person acting is the ``actor`` argument, else the user of the request, else the user the
current web request runs as (set by ``cms.middleware.AuditActorMiddleware``): so a role
changed in the CMS is logged with the consultant who changed it, not as "–".

Events name rounds by id; core knows no rounds, so the app that has them registers where
their titles come from (``round_titles_source``, done by the scan app when it is ready)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Protocol

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import AuditEvent, AuditKind, Role

from .ratelimit import client_ip

KINDS = tuple(AuditKind.values)

current_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user):
    """Events written inside this block without an explicit actor name ``user``."""
    token = current_actor.set(user)
    try:
        yield
    finally:
        current_actor.reset(token)


def audit(kind: str, *, organisation=None, actor=None, request=None, **detail) -> AuditEvent:
    assert kind in KINDS, kind
    user = actor if actor is not None else getattr(request, "user", None)
    if user is None:
        user = current_actor.get()
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        detail={k: str(v) for k, v in detail.items()},
        ip=client_ip(request) if request is not None else "",
    )


# --- reading: every event as a readable sentence ------------------------------------------


class RoundTitles(Protocol):
    """Titles of the rounds with these ids, by id as text; unknown ids are left out."""

    def __call__(self, ids: set[int]) -> dict[str, str]: ...


_round_title_sources: list[RoundTitles] = []


def round_titles_source(source: RoundTitles) -> RoundTitles:
    """Register where round titles come from (once, at app ready). Without one, the log
    names rounds by number."""
    if source not in _round_title_sources:
        _round_title_sources.append(source)
    return source


def _round_titles(events: Iterable[AuditEvent]) -> dict[str, str]:
    ids = {int(r) for e in events if str(r := e.detail.get("round", "")).isdigit()}
    titles: dict[str, str] = {}
    for source in _round_title_sources if ids else ():
        titles.update(source(ids))
    return titles


def _round(detail: dict, titles: dict[str, str]) -> str:
    pk = detail.get("round", "")
    if pk in titles:
        return _("round “%(title)s”") % {"title": titles[pk]}
    return _("round #%(id)s") % {"id": pk}


def _count(value) -> int:
    return int(value) if str(value).isdigit() else 0


def _role(code: str) -> str:
    return str(dict(Role.choices).get(code, code))


def _describe(event: AuditEvent, titles: dict[str, str]) -> str:
    d = event.detail or {}
    kind = event.kind
    if kind == AuditKind.ROLE_CHANGE:
        values = {"user": d.get("user", ""), "role": _role(d.get("role", ""))}
        change = d.get("change")
        if change == "added":
            return _("%(user)s added as %(role)s") % values
        if change == "removed":
            return _("%(user)s removed (was %(role)s)") % values
        if d.get("previous") and d.get("previous") != d.get("role"):
            return _("%(user)s: %(previous)s became %(role)s") % {
                **values,
                "previous": _role(d["previous"]),
            }
        return _("%(user)s is now %(role)s") % values
    if kind == AuditKind.MEMBER_INVITED:
        values = {"user": d.get("user", ""), "role": _role(d.get("role", ""))}
        if d.get("account") == "again":
            return _("%(user)s invited again (%(role)s)") % values
        if d.get("account") == "new":
            return _("%(user)s invited as %(role)s; account created") % values
        return _("%(user)s invited as %(role)s") % values
    if kind == AuditKind.MEMBER_REMOVED:
        return _("%(user)s removed (was %(role)s)") % {
            "user": d.get("user", ""),
            "role": _role(d.get("role", "")),
        }
    if kind == AuditKind.EXPORT:
        what = d.get("what", "")
        labels = {
            "excel": _("Excel workbook"),
            "board report": _("Board report (PDF)"),
            "board report (pdf)": _("Board report (PDF)"),
            "board report (pptx)": _("Board report (PowerPoint)"),
            "respondents (csv)": _("Respondent list (CSV)"),
            "respondents (xlsx)": _("Respondent list (Excel)"),
            "actions (csv)": _("Action list (CSV)"),
            "actions (xlsx)": _("Action list (Excel)"),
        }
        if what.startswith("api "):
            label = _("API request %(path)s") % {"path": what[4:]}
        else:
            label = labels.get(what, what)
        return f"{label}, {_round(d, titles)}" if "round" in d else label
    if kind == AuditKind.LINK_REVOKED:
        if d.get("reason") == "personal data erased":
            return _("Personal data of respondent #%(id)s erased") % {"id": d.get("respondent")}
        n = _count(d.get("links"))
        return ngettext(
            "%(n)s link of respondent #%(id)s withdrawn",
            "%(n)s links of respondent #%(id)s withdrawn",
            n,
        ) % {"n": n, "id": d.get("respondent")}
    if kind == AuditKind.ROUND_DELETED:
        n = _count(d.get("respondents"))
        return ngettext(
            "Draft round “%(title)s” deleted with %(n)s respondent",
            "Draft round “%(title)s” deleted with %(n)s respondents",
            n,
        ) % {"title": d.get("title", ""), "n": n}
    if kind == AuditKind.ROUND_COPIED:
        return _("%(round)s set up as a copy of “%(source)s” (%(organisation)s)") % {
            "round": capfirst(_round(d, titles)),
            "source": d.get("source_title", ""),
            "organisation": d.get("source_organisation", ""),
        }
    if kind == AuditKind.RESPONDENT_DELETED:
        return _("Respondent #%(id)s removed from %(round)s") % {
            "id": d.get("respondent"),
            "round": _round(d, titles),
        }
    if kind in (AuditKind.OPEN_LINK_CREATED, AuditKind.OPEN_LINK_REVOKED):
        return _("Open link #%(id)s for %(group)s, %(round)s") % {
            "id": d.get("link"),
            "group": d.get("group", ""),
            "round": _round(d, titles),
        }
    if kind == AuditKind.RELEASE_MADE:
        n = _count(d.get("respondents"))
        return ngettext(
            "Release %(number)s of %(round)s, %(n)s respondent",
            "Release %(number)s of %(round)s, %(n)s respondents",
            n,
        ) % {"number": d.get("number", ""), "round": _round(d, titles), "n": n}
    if kind == AuditKind.ROUND_EDITED:
        names = {
            "title": _("title"),
            "period": _("period"),
            "opens_on": _("opens on"),
            "closes_on": _("closes on"),
            "min_group_size": _("threshold"),
        }
        changes = [f"{names[k]}: {v}" for k, v in d.items() if k in names]
        return "; ".join([capfirst(_round(d, titles)), *changes])
    if kind == AuditKind.CONSULTANT_ASKED:
        asks = {"open_round": _("open the round"), "new_round": _("set up a new round")}
        text = _("Asked the consultant to %(what)s") % {"what": asks.get(d.get("what", ""), "")}
        return f"{text}, {_round(d, titles)}" if "round" in d else text
    if kind == AuditKind.ORGANISATION_CREATED:
        return _("Organisation “%(name)s” created") % {"name": d.get("name", "")}
    if kind == AuditKind.LOGIN_FAILED:
        return _("Address tried: %(email)s") % {"email": d.get("email", "")}
    if kind in (AuditKind.TOKEN_CREATED, AuditKind.TOKEN_REVOKED):
        return _("Token #%(id)s") % {"id": d.get("token", "")}
    if kind == AuditKind.INVITATIONS_QUEUED:
        n = _count(d.get("count"))
        return ngettext("%(n)s invitation for %(round)s", "%(n)s invitations for %(round)s", n) % {
            "n": n,
            "round": _round(d, titles),
        }
    if kind == AuditKind.REMINDERS_QUEUED:
        n = _count(d.get("count"))
        text = ngettext("%(n)s reminder for %(round)s", "%(n)s reminders for %(round)s", n) % {
            "n": n,
            "round": _round(d, titles),
        }
        return text + (_(", group: %(group)s") % {"group": d["group"]} if d.get("group") else "")
    parts = []
    if "round" in d:
        parts.append(capfirst(_round(d, titles)))
    if d.get("reason"):
        parts.append(_("reason: %(reason)s") % {"reason": d["reason"]})
    if d.get("comment"):
        parts.append(_("comment: %(comment)s") % {"comment": d["comment"]})
    known = {"round", "reason", "comment"}
    parts += [f"{capfirst(k.replace('_', ' '))}: {v}" for k, v in d.items() if k not in known]
    return "; ".join(parts)


def audit_rows(events) -> list[dict]:
    """The audit log as the page shows it: when, who, a label and a sentence per event."""
    events = list(events)
    titles = _round_titles(events)
    labels = dict(AuditKind.choices)
    return [
        {
            "at": e.at,
            "actor": e.actor,
            "kind": e.kind,
            "label": labels.get(e.kind) or capfirst(e.kind.replace("_", " ")),
            "text": _describe(e, titles),
        }
        for e in events
    ]
