"""A new round as a copy of an earlier round's set-up, also from another organisation the
consultant serves: groups and their names, threshold, model version, departments and the
organisation's own mail texts. Never answers; respondents only within one organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy

from ..errors import ScanError
from ..models import MailTemplate, Respondent, ScanRound
from ..selectors import rounds_copyable_by

NOT_YOUR_ROUND = gettext_lazy("You can only copy rounds of organisations you are a consultant of.")
RESPONDENTS_STAY = gettext_lazy(
    "Respondents can only be copied within one organisation: their personal data stays with "
    "the organisation they belong to."
)


@dataclass
class CopyReport:
    groups: int = 0
    departments: int = 0
    mail_texts: int = 0
    respondents: int = 0


def round_departments(scan_round: ScanRound) -> list[str]:
    """The round's departments list and every department its respondents carry, sorted."""
    found = {d.strip() for d in scan_round.departments if str(d).strip()}
    found |= {
        d.strip()
        for d in scan_round.respondents.exclude(department="").values_list("department", flat=True)
    }
    return sorted(found, key=str.casefold)


@transaction.atomic
def round_copy_setup(
    *, source: ScanRound, target: ScanRound, user, with_respondents: bool = False
) -> CopyReport:
    """Give ``target`` (just created, with its groups) the set-up of ``source``.

    Group names follow the source for the kinds both rounds have. Mail texts are per
    organisation: from another organisation, its own texts are copied where the target has
    none of that kind, group and language (the target's own texts are never overwritten)."""
    if not rounds_copyable_by(user).filter(pk=source.pk).exists():
        raise ScanError(NOT_YOUR_ROUND, code="not_yours")
    if with_respondents and source.organisation_id != target.organisation_id:
        raise ScanError(RESPONDENTS_STAY, code="other_organisation")
    report = CopyReport()
    names = {g.kind: g.name for g in source.groups.all()}
    target_groups = {g.kind: g for g in target.groups.all()}
    for kind, group in target_groups.items():
        if kind in names and group.name != names[kind]:
            group.name = names[kind]
            group.save(update_fields=["name"])
        report.groups += 1
    target.departments = round_departments(source)
    target.save(update_fields=["departments", "updated_at"])
    report.departments = len(target.departments)
    if source.organisation_id != target.organisation_id:
        report.mail_texts = _copy_mail_texts(source.organisation, target.organisation)
    if with_respondents:
        report.respondents = respondents_copy(source=source, target=target)
    from core.audit import audit

    audit(
        "round_copied",
        organisation=target.organisation,
        actor=user,
        round=target.pk,
        source=source.pk,
        source_title=source.title,
        source_organisation=source.organisation.name,
        respondents=report.respondents,
        mail_texts=report.mail_texts,
    )
    return report


def _copy_mail_texts(source_org, target_org) -> int:
    fields = ("kind", "group_kind", "language")
    present = set(MailTemplate.objects.filter(organisation=target_org).values_list(*fields))
    copies = [
        MailTemplate(
            organisation=target_org,
            kind=t.kind,
            group_kind=t.group_kind,
            language=t.language,
            subject=t.subject,
            body=t.body,
        )
        for t in MailTemplate.objects.filter(organisation=source_org)
        if (t.kind, t.group_kind, t.language) not in present
    ]
    MailTemplate.objects.bulk_create(copies)
    return len(copies)


def respondents_copy(*, source: ScanRound, target: ScanRound) -> int:
    """Who took part by e-mail, as fresh rows: not started, not submitted, no links, mails or
    answers. Anonymous (open-link) and erased respondents are not copied; nor are those of
    groups the new round lacks. Used for a copied set-up and for the next evaluation round."""
    groups = {g.kind: g for g in target.groups.all()}
    copies = [
        Respondent(
            round=target,
            group=groups[r.group.kind],
            email=r.email,
            name=r.name,
            department=r.department,
            language=r.language,
        )
        for r in source.respondents.select_related("group")
        .exclude(email="")
        .filter(open_link__isnull=True, personal_data_erased_at__isnull=True)
        if r.group.kind in groups
    ]
    return len(Respondent.objects.bulk_create(copies))


@transaction.atomic
def round_create_as_copy(
    *, source: ScanRound, user=None, created_by=None, with_respondents: bool = False, **fields
) -> tuple[ScanRound, CopyReport]:
    """``round_create`` and ``round_copy_setup`` in one: all of it or nothing."""
    from .rounds import round_create

    user = user or created_by
    target = round_create(created_by=created_by, previous_round=None, **fields)
    report = round_copy_setup(
        source=source, target=target, user=user, with_respondents=with_respondents
    )
    return target, report
