"""Reads for the scan app: response rates, wizard state, rounds per organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from core.models import Membership, Role
from core.permissions import Access, organisations_served_by

from .modeldoc import ModelDoc
from .models import MailKind, Respondent, ScanRound, StepComment
from .params import parse_id


def members_of(organisation) -> QuerySet[Membership]:
    """This organisation's people only, consultants first, then by name."""
    order = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(PEOPLE_ORDER)),
        default=Value(len(PEOPLE_ORDER)),
    )
    return (
        organisation.memberships.select_related("user")
        .annotate(role_order=order)
        .order_by("role_order", "user__first_name", "user__last_name", "user__email")
    )


PEOPLE_ORDER = (Role.CONSULTANT, Role.COORDINATOR, Role.DIRECTOR, Role.WORKGROUP)


def rounds_copyable_by(user):
    """Rounds a user may copy: those of organisations where they act as consultant (staff)."""
    return (
        ScanRound.objects.filter(organisation__in=organisations_served_by(user))
        .select_related("organisation", "model_version__model")
        .order_by("organisation__name", "-opens_on", "-pk")
    )


def round_titles(ids: set[int]) -> dict[str, str]:
    """Round titles by id as text: how the audit log (core.audit) names the rounds."""
    return {
        str(pk): title
        for pk, title in ScanRound.objects.filter(pk__in=ids).values_list("pk", "title")
    }


def rounds_for(organisation) -> QuerySet[ScanRound]:
    return organisation.rounds.select_related("model_version__model").order_by("-opens_on", "-pk")


@dataclass(frozen=True)
class GroupRate:
    group_id: int
    name: str
    kind: str
    respondents: int
    invited: int
    started: int
    submitted: int

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.respondents) if self.respondents else 0


def response_rates(scan_round: ScanRound) -> list[GroupRate]:
    """Counts per group only: never which person answered what."""
    rows = scan_round.groups.annotate(
        n=Count("respondents", distinct=True),
        invited=Count(
            "respondents",
            filter=Q(
                respondents__mails__kind=MailKind.INVITATION,
                respondents__mails__message__sent_at__isnull=False,
            ),
            distinct=True,
        ),
        started=Count(
            "respondents", filter=Q(respondents__started_at__isnull=False), distinct=True
        ),
        submitted=Count(
            "respondents", filter=Q(respondents__submitted_at__isnull=False), distinct=True
        ),
    )
    return [GroupRate(g.pk, g.label, g.kind, g.n, g.invited, g.started, g.submitted) for g in rows]


def respondent_answers(
    respondent: Respondent,
) -> tuple[dict[str, tuple[int | None, str]], dict[str, str]]:
    answers = {
        code: (level, comment)
        for code, level, comment in respondent.answers.values_list(
            "statement_code", "level", "comment"
        )
    }
    comments = dict(
        StepComment.objects.filter(respondent=respondent).values_list("cell_code", "comment")
    )
    return answers, comments


def first_open_cell(respondent: Respondent, answered: set[str]) -> str | None:
    """The first step with an unanswered statement; None when everything is answered."""
    doc = model_doc(respondent.round)
    for cell in doc.cells_for(respondent.group.kind):
        if any(s.code not in answered for s in cell.statements_for(respondent.group.kind)):
            return cell.code
    return None


_DOCS: dict[tuple[int, str], ModelDoc] = {}


def model_doc(scan_round: ScanRound) -> ModelDoc:
    """The round's pinned model, parsed once per process: published versions never change.
    Keyed by id and checksum, so a reused id (a restored database) never gets a stale model."""
    from .models import ModelVersion

    version_id = scan_round.model_version_id
    memo = scan_round.__dict__.get("_model_doc")
    if memo is not None and memo[0] == version_id:
        return memo[1]
    if ScanRound._meta.get_field("model_version").is_cached(scan_round) and (
        "checksum" in scan_round.model_version.__dict__
    ):
        # Loaded with the round (the respondent link does this, without the document).
        checksum = scan_round.model_version.checksum
    else:
        checksum = ModelVersion.objects.values_list("checksum", flat=True).get(pk=version_id)
    doc = _DOCS.get((version_id, checksum))
    if doc is None:
        document = ModelVersion.objects.values_list("document", flat=True).get(pk=version_id)
        doc = _DOCS[(version_id, checksum)] = ModelDoc(document)
    scan_round.__dict__["_model_doc"] = (version_id, doc)  # once per loaded round
    return doc


@dataclass
class OutboxStatus:
    queued: int
    sent: int
    failed: int
    errors: list[str]  # the distinct reasons of failed mails, e.g. a text that cannot render
    undelivered: int = 0  # sent, but the mail service reports it did not arrive
    undelivered_reasons: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed

    @property
    def percent_sent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 0


def outbox_status(scan_round: ScanRound) -> OutboxStatus:
    """Queued / sent / failed mails of a round, in two queries."""
    from core.models import Delivery, MailStatus, OutgoingMail

    mails = OutgoingMail.objects.filter(respondent_mail__respondent__round=scan_round)
    counts = mails.aggregate(
        queued=Count("pk", filter=Q(status=MailStatus.QUEUED)),
        sent=Count("pk", filter=Q(status=MailStatus.SENT)),
        failed=Count("pk", filter=Q(status=MailStatus.FAILED)),
    )
    errors = []
    if counts["failed"]:
        errors = list(
            mails.filter(status=MailStatus.FAILED)
            .exclude(last_error="")
            .values_list("last_error", flat=True)
            .distinct()[:5]
        )
    undelivered = mails.filter(status=MailStatus.SENT, delivery__in=Delivery.undelivered())
    counts["undelivered"] = undelivered.count()
    reasons = []
    if counts["undelivered"]:
        reasons = list(
            undelivered.exclude(delivery_reason="")
            .order_by("delivery_reason")
            .values_list("delivery_reason", flat=True)
            .distinct()[:5]
        )
    return OutboxStatus(errors=errors, undelivered_reasons=reasons, **counts)


def invitations_pending_count(scan_round: ScanRound) -> int:
    """Respondents with an e-mail address and no invitation yet: who 'send invitations' mails."""
    return scan_round.respondents.exclude(email="").exclude(mails__kind=MailKind.INVITATION).count()


# --- the respondents list on the round page ---------------------------------------------------

RESPONDENTS_PER_PAGE = 50
RESPONDENT_STATUSES = ("not_invited", "invited", "started", "submitted")


def respondents_listed(
    scan_round: ScanRound, *, q: str = "", group: str = "", status: str = ""
) -> QuerySet[Respondent]:
    """The round's named respondents (not anonymous open-link ones, not erased), searched by
    name, e-mail or department and filtered by group and status, each with its ``state``."""
    from django.db.models import Exists, OuterRef

    from core.models import OutgoingMail

    from .models import RespondentMail

    invited = RespondentMail.objects.filter(respondent=OuterRef("pk"), kind=MailKind.INVITATION)
    # What the mail service last reported about this respondent's mail ("not delivered: …").
    reported = OutgoingMail.objects.filter(respondent_mail__respondent=OuterRef("pk"))
    reported = reported.exclude(delivery="").order_by("-delivery_at", "-pk")
    qs = (
        scan_round.respondents.filter(open_link__isnull=True, personal_data_erased_at__isnull=True)
        .select_related("group")
        .annotate(
            delivery=Subquery(reported.values("delivery")[:1]),
            delivery_reason=Subquery(reported.values("delivery_reason")[:1]),
        )
        .annotate(
            state=Case(
                When(submitted_at__isnull=False, then=Value("submitted")),
                When(started_at__isnull=False, then=Value("started")),
                When(Exists(invited), then=Value("invited")),
                default=Value("not_invited"),
            )
        )
        .order_by("group__position", "email", "pk")
    )
    for word in q.split():
        qs = qs.filter(
            Q(name__icontains=word) | Q(email__icontains=word) | Q(department__icontains=word)
        )
    if (group_id := parse_id(group)) is not None:
        qs = qs.filter(group_id=group_id)
    if status in RESPONDENT_STATUSES:
        qs = qs.filter(state=status)
    return qs


def respondents_selected(scan_round: ScanRound, ids) -> QuerySet[Respondent]:
    """The respondents picked on the list, of this round only (other ids are ignored)."""
    pks = [pk for pk in map(parse_id, ids) if pk is not None]
    return scan_round.respondents.filter(
        pk__in=pks, open_link__isnull=True, personal_data_erased_at__isnull=True
    )


def bulk_action_count(scan_round: ScanRound, respondents: QuerySet[Respondent], action: str) -> int:
    """How many of the selected respondents an action would reach (shown before it runs)."""
    if action == "invite":
        return respondents.exclude(email="").exclude(mails__kind=MailKind.INVITATION).count()
    if action == "remind":
        return (
            respondents.filter(mails__kind=MailKind.INVITATION, submitted_at__isnull=True)
            .exclude(email="")
            .distinct()
            .count()
        )
    return respondents.count()


def open_links_listed(scan_round: ScanRound):
    """The round's open links with how many joined, newest first."""
    return (
        scan_round.open_links.select_related("group")
        .annotate(joined=Count("respondents"))
        .order_by("-created_at", "-pk")
    )


def round_of(access: Access, pk: int) -> ScanRound:
    """A round of this organisation only: another organisation's id is a 404."""
    return get_object_or_404(
        ScanRound.objects.select_related("organisation", "model_version__model"),
        pk=pk,
        organisation=access.organisation,
    )
