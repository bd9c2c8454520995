"""Publishing a model freezes a version; logins and role changes go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import published

from core.models import Membership

from .models import MaturityModel


@receiver(published, sender=MaturityModel)
def freeze_published_model(sender, instance: MaturityModel, revision=None, **kwargs) -> None:
    from .services import model_version_publish

    model_version_publish(model=instance, user=getattr(revision, "user", None))


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    from core.audit import audit

    # A sign-in through an organisation's identity provider says so (sso.views sets it).
    via = getattr(request, "login_method", "")
    audit("login", actor=user, request=request, **({"via": via} if via else {}))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    from core.audit import audit

    if user is not None:
        audit("logout", actor=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    from core.audit import audit

    # The address tried is kept (not the password) so a pattern of guessing can be seen.
    # A refused sign-in through an identity provider has no username: the address it claimed
    # (request.sso_email, set by sso.backends) and the reason stand in.
    email = (credentials or {}).get("username") or getattr(request, "sso_email", "")
    refusal = getattr(request, "sso_refusal", None) or ""
    audit(
        "login_failed",
        request=request,
        email=str(email)[:200],
        **({"via": "sso", "reason": str(refusal)} if hasattr(request, "sso_provider") else {}),
    )


@receiver(pre_save, sender=Membership)
def remember_previous_role(sender, instance: Membership, raw=False, **kwargs) -> None:
    instance._previous_role = (
        Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender=Membership)
def audit_membership_saved(
    sender, instance: Membership, created: bool, raw=False, **kwargs
) -> None:
    """The actor is the user of the current request (the CMS or a page), see core.audit."""
    from core.audit import audit

    if raw:  # restoring a backup brings back roles, it changes none
        return
    if getattr(instance, "_audited_by_service", False):  # scan.services.people logged it
        return
    previous = getattr(instance, "_previous_role", None)
    audit(
        "role_change",
        organisation=instance.organisation,
        actor=None,
        user=instance.user.email,
        role=instance.role,
        change="added" if created else "changed",
        **({"previous": previous} if previous and not created else {}),
    )


@receiver(post_delete, sender=Membership)
def audit_membership_deleted(sender, instance: Membership, origin=None, **kwargs) -> None:
    from core.audit import audit
    from core.models import Organisation

    if getattr(instance, "_audited_by_service", False):  # scan.services.people logged it
        return
    model = getattr(origin, "model", type(origin))
    if model is Organisation:  # the whole organisation goes, its log with it
        return
    audit(
        "role_change",
        organisation=instance.organisation,
        actor=None,
        user=instance.user.email,
        role=instance.role,
        change="removed",
    )
