import datetime as dt
import itertools

import factory
from django.utils import timezone

from cms.models import User
from core.models import Membership, Organisation, Role
from scan import services
from scan.models import ModelVersion, RoundStatus

from .model_document import document

PASSWORD = "secret-pass-123"
_counter = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Woonstichting {n}")
    slug = factory.Sequence(lambda n: f"woonstichting-{n}")


def member(organisation: Organisation, role: str, **user_kwargs) -> User:
    if role == Role.CONSULTANT:
        user_kwargs.setdefault("is_staff", True)
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if role == Role.CONSULTANT:
        services.consultant_grant_cms_access(user)
    return user


def model_version(doc: dict | None = None) -> ModelVersion:
    import yaml

    text = yaml.safe_dump(doc or document(), allow_unicode=True, sort_keys=False)
    model = services.model_import(text=text, publish=True)
    return model.versions.order_by("-number").first()


def scan_round(
    organisation: Organisation,
    *,
    status: str = RoundStatus.OPEN,
    version: ModelVersion | None = None,
    min_group_size: int = 5,
    **kwargs,
):
    today = timezone.localdate()
    scan_round = services.round_create(
        organisation=organisation,
        title=kwargs.pop("title", "Scan 2026"),
        period=kwargs.pop("period", "voorjaar 2026"),
        opens_on=kwargs.pop("opens_on", today - dt.timedelta(days=1)),
        closes_on=kwargs.pop("closes_on", today + dt.timedelta(days=14)),
        model_version=version or model_version(),
        min_group_size=min_group_size,
        **kwargs,
    )
    if status != RoundStatus.DRAFT:
        scan_round.status = status
        scan_round.save(update_fields=["status"])
    return scan_round


def respondent(scan_round, kind: str = "staff", email: str | None = None, **kwargs):
    group = scan_round.groups.get(kind=kind)
    email = email or f"{kind}-{next(_counter)}@example.org"
    return services.respondent_add(scan_round=scan_round, group=group, email=email, **kwargs)


def respondent_mail(respondent, kind: str = "invitation", sequence: int = 1, **fields):
    """A respondent's message in the outbox as an older release wrote it (no text yet unless
    given): the core row and the scan's part of it."""
    from core.models import OutgoingMail
    from scan.models import RespondentMail

    message = OutgoingMail.objects.create(kind=kind, **fields)
    RespondentMail.objects.create(
        message=message, respondent=respondent, kind=kind, sequence=sequence
    )
    return message


def release(scan_round, user=None):
    """Publish a round's figures as the product does: an open round is closed (its closing
    release), a round made closed by ``scan_round(status=CLOSED)`` gets its closing release."""
    from honeycomb.models import ReleaseKind
    from honeycomb.release_services import release_make

    scan_round.refresh_from_db()
    if scan_round.status == RoundStatus.OPEN:
        services.round_set_status(scan_round=scan_round, status=RoundStatus.CLOSED, user=user)
        return scan_round.releases.order_by("-number").first()
    return release_make(scan_round=scan_round, kind=ReleaseKind.CLOSING, user=user)
