"""The text of a mail to a respondent: the most specific template (or the built-in text),
filled in with the respondent's name, the round, the dates and the link."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, override

from ..mail_defaults import default_text, nameless
from ..mailtext import MailTextError, render_text
from ..models import (
    MailTemplate,
    Respondent,
    ScanRound,
)

TEMPLATE_FAILED = gettext_lazy("The mail text '%(template)s' cannot be used: %(error)s")


class TextSource:
    """The texts for one organisation and kind, loaded once: the most specific template wins
    (organisation + group, organisation, default + group, default), else the built-in text."""

    def __init__(self, organisation, kind: str):
        self.kind = kind
        self.templates = {
            (t.organisation_id is not None, t.group_kind, t.language): t
            for t in MailTemplate.objects.filter(
                Q(organisation=organisation) | Q(organisation__isnull=True), kind=kind
            )
        }

    def text(self, group_kind: str, language: str, variant: str = "") -> tuple[str, str, str]:
        """(subject, body, name of the text for messages). A ``variant`` is a built-in text
        used instead of the kind's own when no template of the kind was set."""
        for key in (
            (True, group_kind, language),
            (True, "", language),
            (False, group_kind, language),
            (False, "", language),
        ):
            template = self.templates.get(key)
            if template is not None:
                return template.subject, template.body, str(template)
        subject, body = default_text(variant or self.kind, group_kind, language)
        return subject, body, "built-in"


def mail_context(*, respondent: Respondent, scan_round: ScanRound, link: str, language: str):
    group_kind = respondent.group.kind if respondent.group_id else ""
    return {
        "name": respondent.name or nameless(group_kind, language),
        "organisation": scan_round.organisation.name,
        "round": scan_round.title,
        "link": link,
        "opens_on": _date_in(scan_round.opens_on, language),
        "closes_on": _date_in(scan_round.closes_on, language),
        "threshold": str(scan_round.min_group_size),
        "minutes": str(_minutes(scan_round, group_kind, language)),
    }


def _minutes(scan_round: ScanRound, group_kind: str, language: str) -> int:
    """The time this group needs for the round's model (`scan.reading_time`)."""
    from ..reading_time import minutes
    from ..selectors import model_doc

    return minutes(model_doc(scan_round), group_kind or "staff", language)


# Someone who never opened the scan has nothing saved: their reminder says how long it takes.
UNSTARTED_REMINDER = "reminder_unstarted"


def render_mail(
    *, source: TextSource, respondent: Respondent, scan_round: ScanRound, link: str
) -> tuple[str, str]:
    """Subject and body for one respondent; raises MailTextError naming the text."""
    language = respondent.language if respondent.language in ("nl", "en") else "nl"
    group_kind = respondent.group.kind if respondent.group_id else ""
    variant = (
        UNSTARTED_REMINDER if source.kind == "reminder" and respondent.started_at is None else ""
    )
    subject, body, name = source.text(group_kind, language, variant)
    context = mail_context(
        respondent=respondent, scan_round=scan_round, link=link, language=language
    )
    try:
        return render_text(subject, context).replace("\n", " "), render_text(body, context)
    except MailTextError as exc:
        raise MailTextError(str(TEMPLATE_FAILED % {"template": name, "error": exc})) from exc


def respondent_link_url(token: str) -> str:
    from django.urls import reverse

    return settings.KLANTRAAT_BASE_URL + reverse("scan_public:respond", kwargs={"token": token})


def _date_in(value: dt.date, language: str) -> str:
    """A date as the mail's reader writes it: "23 november 2026" or "Nov. 23, 2026"."""
    with override(language):
        return date_format(value, "DATE_FORMAT")
