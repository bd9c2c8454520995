"""What a mail will say before it is sent: rendered like the mail itself, so the preview and
the mail never differ."""

from __future__ import annotations

from ..mailtext import MailTextError
from ..models import MailKind, ScanRound
from .mail_texts import TextSource, render_mail


def invitation_previews(scan_round: ScanRound) -> list[dict]:
    """The invitation as the first waiting respondent of each group will read it (the link
    shown as a placeholder): checked before anything is sent."""
    source = TextSource(scan_round.organisation, MailKind.INVITATION)
    pending = (
        scan_round.respondents.exclude(email="")
        .exclude(mails__kind=MailKind.INVITATION)
        .select_related("group")
        .order_by("group__position", "pk")
    )
    previews, seen = [], set()
    for respondent in pending:
        if respondent.group_id in seen:
            continue
        seen.add(respondent.group_id)
        try:
            subject, body = render_mail(
                source=source, respondent=respondent, scan_round=scan_round, link="https://…/r/…/"
            )
        except MailTextError as exc:
            subject, body = "", str(exc)
        previews.append(
            {
                "group": respondent.group.label,
                "to": respondent.email,
                "subject": subject,
                "body": body,
            }
        )
    return previews
