"""People of an organisation: consultants invite them by e-mail with a role, re-invite them,
change their role and remove them. New accounts get a one-time link to choose a password
(Django's password-reset tokens: they expire after ``PASSWORD_RESET_TIMEOUT`` and stop working
once a password is set)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from core.audit import audit
from core.models import Membership, Organisation, OutgoingMail, Role
from core.models.outbox import LINK_MARK
from core.outbox import Rendered, message_enqueue

from ..errors import ScanError
from ..models import MailKind

logger = logging.getLogger("klantraat.scan")

CONSULTANT_GROUP = "Adviseurs"

ALREADY_MEMBER = _("This person is already a member of this organisation.")
UNKNOWN_ROLE = _("Choose one of the roles.")
ACCOUNT_BLOCKED = _("This account is blocked. Ask an administrator to unblock it first.")
ALREADY_ACTIVE = _(
    "This person has already chosen a password and can log in; a new invitation is not needed."
)
LAST_CONSULTANT = _("An organisation keeps at least one consultant.")
NOT_YOURSELF = _("You cannot remove yourself or change your own role; ask another consultant.")
SAME_ROLE = _("This person already has that role.")


def consultant_grant_cms_access(user) -> None:
    """Consultants work in the CMS: staff flag plus the consultants' permission group."""
    from django.contrib.auth.models import Group

    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group, created = Group.objects.get_or_create(name=CONSULTANT_GROUP)
    if created:  # normally made by a migration; rebuilt if the table was emptied
        from django.contrib.auth.models import Permission

        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
            | Permission.objects.filter(content_type__app_label="scan").exclude(
                codename__in=["change_modelversion", "delete_modelversion", "add_modelversion"]
            )
            # the scan's models that moved to core, with the permissions they had there
            | Permission.objects.filter(
                content_type__app_label="core",
                content_type__model__in=["organisation", "membership", "auditevent"],
            )
        )
    user.groups.add(group)


@dataclass(frozen=True)
class InviteResult:
    membership: Membership
    new_account: bool  # an account was made (or had no password yet): a password link went out


def welcome_url(user) -> str:
    """An absolute one-time link to choose a password (void once one is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.KLANTRAAT_BASE_URL + reverse(
        "scan_public:welcome", kwargs={"uidb64": uid, "token": token}
    )


def members_invite(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    role: str,
    invited_by,
    language: str | None = None,
) -> InviteResult:
    """Add a person to the organisation with a role. Without an account (e-mail compared
    case-insensitively) one is made without a usable password and a link to choose one is
    mailed; with an account only the membership is added and a short notice is mailed.
    ``language`` (the inviter's) is used for a new account's mails."""
    _check_role(role)
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        user = user_model.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            first, _sep, last = " ".join(name.split()).partition(" ")
            user = user_model(
                email=email,
                first_name=first[:150],
                last_name=last[:150],
                preferred_language=_language(language),
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
        elif not user.is_active:
            raise ScanError(ACCOUNT_BLOCKED)
        elif Membership.objects.filter(user=user, organisation=organisation).exists():
            raise ScanError(ALREADY_MEMBER)
        if role == Role.CONSULTANT:  # a consultant works in the CMS (and must be staff)
            consultant_grant_cms_access(user)
        membership = Membership(user=user, organisation=organisation, role=role)
        membership._audited_by_service = True  # this function writes the richer event
        membership.full_clean()
        membership.save()
        # An account that never chose a password (invited elsewhere before) needs the link too.
        needs_password = not user.has_usable_password()
        audit(
            "member_invited",
            organisation=organisation,
            actor=invited_by,
            user=user.email,
            role=role,
            account="new" if created else "existing",
        )
    _mail(
        "invite" if needs_password else "notice",
        user=user,
        organisation=organisation,
        role=role,
        invited_by=invited_by,
    )
    return InviteResult(membership=membership, new_account=needs_password)


def member_reinvite(*, membership: Membership, invited_by) -> None:
    """Mail a new password link, only while the account has no password: links sent earlier
    keep working until they expire (the token changes only once a password is set)."""
    user = membership.user
    if user.has_usable_password():
        raise ScanError(ALREADY_ACTIVE)
    if not user.is_active:
        raise ScanError(ACCOUNT_BLOCKED)
    audit(
        "member_invited",
        organisation=membership.organisation,
        actor=invited_by,
        user=user.email,
        role=membership.role,
        account="again",
    )
    _mail(
        "invite",
        user=user,
        organisation=membership.organisation,
        role=membership.role,
        invited_by=invited_by,
    )


def member_role_change(*, membership: Membership, role: str, changed_by) -> Membership:
    _check_role(role)
    if membership.user_id == changed_by.pk:
        raise ScanError(NOT_YOURSELF)
    if role == membership.role:
        raise ScanError(SAME_ROLE)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        previous = membership.role
        if previous == Role.CONSULTANT:
            _keep_a_consultant(membership)
        if role == Role.CONSULTANT:
            consultant_grant_cms_access(membership.user)
        membership.role = role
        membership._audited_by_service = True
        membership.full_clean()
        membership.save(update_fields=["role"])
        audit(
            "role_change",
            organisation=membership.organisation,
            actor=changed_by,
            user=membership.user.email,
            role=role,
            previous=previous,
            change="changed",
        )
    return membership


def member_remove(*, membership: Membership, removed_by) -> None:
    """The person loses access to this organisation; their account and other memberships stay
    (they may work for other organisations)."""
    if membership.user_id == removed_by.pk:
        raise ScanError(NOT_YOURSELF)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.CONSULTANT:
            _keep_a_consultant(membership)
        membership._audited_by_service = True
        audit(
            "member_removed",
            organisation=membership.organisation,
            actor=removed_by,
            user=membership.user.email,
            role=membership.role,
        )
        membership.delete()


# --- helpers ------------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ScanError(UNKNOWN_ROLE)


def _language(language: str | None) -> str:
    codes = {code for code, _label in settings.LANGUAGES}
    language = (language or translation.get_language() or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def _keep_a_consultant(membership: Membership) -> None:
    # Locked so two consultants removing each other at once cannot both succeed.
    others = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.CONSULTANT)
        .exclude(pk=membership.pk)
        .values_list("pk", flat=True)
    )
    if not others:
        raise ScanError(LAST_CONSULTANT)


def _mail(kind: str, *, user, organisation: Organisation, role: str, invited_by) -> None:
    """The invitation (with a password link) or the notice, in the invitee's language, queued
    in the outbox (it leaves after commit, retried there). The password link is not stored:
    the text holds LINK_MARK and the link is made as the mail leaves (account_mails_render)."""
    with translation.override(_language(getattr(user, "preferred_language", None))):
        context = {
            "name": user.first_name,
            "organisation": organisation.name,
            "role": str(Role(role).label).lower(),
            "invited_by": invited_by.get_full_name() or invited_by.email,
            "email": user.email,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "link": (
                LINK_MARK
                if kind == "invite"
                else settings.KLANTRAAT_BASE_URL
                + reverse("scan:organisation", kwargs={"org": organisation.slug})
            ),
        }
        subject = render_to_string(f"scan/mail/onboarding_{kind}_subject.txt", context)
        body = render_to_string(f"scan/mail/onboarding_{kind}.txt", context)
    message_enqueue(
        kind=MailKind.ACCOUNT,
        to=user.email,
        subject=" ".join(subject.split()),
        body=body,
        ref_id=user.pk,
    )


# Stands in a queued reset mail for the reset token, which is made only as the mail leaves.
RESET_TOKEN_MARK = "klantraat-reset-token"


def password_reset_queue(
    *, user, to: str, subject_template: str, body_template: str, context: dict
) -> None:
    """A password-reset mail (the site's and the CMS's form), queued in the outbox like every
    account mail: its text holds RESET_TOKEN_MARK and the token is made as it leaves."""
    context = {**context, "token": RESET_TOKEN_MARK}
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    message_enqueue(kind=MailKind.ACCOUNT, to=to, subject=subject, body=body, ref_id=user.pk)


def _account_body(body: str, user) -> str:
    if LINK_MARK in body:
        body = body.replace(LINK_MARK, welcome_url(user))
    if RESET_TOKEN_MARK in body:
        body = body.replace(RESET_TOKEN_MARK, default_token_generator.make_token(user))
    return body


def account_mails_render(rows: list[OutgoingMail]) -> dict:
    """The outbox's renderer for account mails: the password link, made now for the account
    named in ``ref_id`` (void once a password is set); None for an account deleted since."""
    users = get_user_model().objects.in_bulk([r.ref_id for r in rows if r.ref_id is not None])
    rendered: dict[int, Rendered | None] = {}
    for row in rows:
        user = users.get(row.ref_id or 0)
        rendered[row.pk] = (
            None
            if user is None
            else Rendered(
                to=user.email,
                subject=row.subject,
                body=_account_body(row.body, user),
            )
        )
    return rendered
