"""Back up and restore one organisation's data as a JSON file (Django's serialisation).

What is in it is not a hand-kept list: every model whose foreign keys lead to Organisation
(rounds, respondents, answers, workshop levels, the whole improvement cycle with evidence
records and reminders, reports, audit events, and any model added later) is found by walking
the foreign keys, so a new model cannot be forgotten. Besides the organisation's own rows the
file holds the model versions its rounds pinned and the accounts its rows refer to.

Accounts are matched by e-mail address: an account that exists is used as it is; a missing
one is created *without a usable password* (its owner sets one through "forgot password").
No password hash, superuser flag, group or permission ever goes into the file.

Evidence files are not in the file: they stay under KLANTRAAT_PRIVATE_MEDIA_ROOT
(``evidence/<organisation id>/``) and are backed up with the file system; a restore keeps the
organisation's ids and the stored file names, so restored evidence rows find their files.

Restoring is all or nothing: any error (not JSON, a broken record, a missing reference, the
organisation already present, a model version that differs) rolls everything back.

It lives in cms, the top layer, because an organisation's data is every app's data. Files
written before Organisation, Membership and AuditEvent moved from scan to core name them
``scan.organisation`` etc.; those labels are read as core's (``OLD_LABELS``).

API tokens: an organisation's tokens (the pulse's, scope ``pulse:events``) lead to it and are
in the file, hash and all, so a restored organisation's systems keep sending events; personal
tokens (``results:read``) belong to a person, never to an organisation, so they are not."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import deque

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from core.errors import RuleError
from core.models import Organisation
from scan.models import ModelVersion

USER_FIELDS = ("email", "first_name", "last_name", "is_staff", "is_active", "preferred_language")
MODEL_FIELDS = (
    "code",
    "name_nl",
    "name_en",
    "description_nl",
    "description_en",
    "levels",
    "domains",
)
MAX_DEPTH = 6
# Model labels of backups written before these models moved from scan to core.
OLD_LABELS = {
    "scan.organisation": "core.organisation",
    "scan.membership": "core.membership",
    "scan.auditevent": "core.auditevent",
}
# Files written before the pulse's ingest tokens became core's access tokens (scope
# ``pulse:events``) hold them as ``pulse.ingesttoken``: the same fields, without a user.
OLD_INGEST_TOKEN = "pulse.ingesttoken"


class BackupRefused(RuleError):
    """The backup file cannot be restored; nothing was changed."""


def _path_to_organisation(model) -> str | None:
    """The shortest chain of foreign keys from ``model`` to Organisation, as a lookup
    (``respondent__round__organisation``); non-null links are preferred."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    queue: deque[tuple[type[models.Model], list[str], int]] = deque([(model, [], 0)])
    seen = {model}
    found: list[tuple[int, int, str]] = []
    while queue:
        current, path, nullable = queue.popleft()
        if len(path) >= MAX_DEPTH:
            continue
        for field in current._meta.concrete_fields:
            target = field.related_model  # a model class once the apps are loaded (or None)
            if not (field.many_to_one or field.one_to_one) or not isinstance(target, type):
                continue
            step, weight = [*path, field.name], nullable + int(field.null)
            if target is Organisation:
                found.append((len(step), weight, "__".join(step)))
            elif target is not user_model and target not in seen:
                seen.add(target)
                queue.append((target, step, weight))
    return min(found)[2] if found else None


def organisation_parts() -> list[tuple[type[models.Model], str]]:
    """Every model that belongs to an organisation, with its lookup, parents first."""
    parts = []
    for model in apps.get_models():
        if model is Organisation or model._meta.proxy:
            continue
        lookup = _path_to_organisation(model)
        if lookup:
            parts.append((model, lookup))
    parts.sort(key=lambda part: len(part[1].split("__")))
    return [(Organisation, "pk"), *_with_extended_rows(parts)]


def _with_extended_rows(parts):
    """A model whose primary key is a one-to-one to another (scan.RespondentMail extends a
    message of core's outbox) brings the rows it extends along, just before it: the row it
    extends has no foreign key of its own that leads to the organisation."""
    out = []
    for model, lookup in parts:
        pk = model._meta.pk
        if pk.one_to_one and isinstance(pk.related_model, type):
            reverse = pk.remote_field.get_accessor_name()
            out.append((pk.related_model, f"{reverse}__{lookup}"))
        out.append((model, lookup))
    return out


def _shared(organisation) -> tuple[models.QuerySet, models.QuerySet]:
    maturity_model = apps.get_model("scan", "MaturityModel")
    version = apps.get_model("scan", "ModelVersion")
    return (
        maturity_model.objects.filter(versions__rounds__organisation=organisation).distinct(),
        version.objects.filter(rounds__organisation=organisation).distinct(),
    )


def _user_ids(querysets) -> set[int]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    ids: set[int] = set()
    for qs in querysets:
        meta = qs.model._meta
        for field in meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                ids.update(v for v in qs.values_list(field.attname, flat=True) if v)
        for field in meta.many_to_many:
            if field.related_model is user_model:
                ids.update(v for v in qs.values_list(field.name, flat=True) if v)
    return ids


def export_organisation(organisation) -> str:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    rows = [
        model._default_manager.filter(**{lookup: organisation.pk}).distinct().order_by("pk")
        for model, lookup in organisation_parts()
    ]
    maturity_models, versions = _shared(organisation)
    users = user_model.objects.filter(pk__in=_user_ids(rows) | _user_ids([versions]))
    chunks = [
        serializers.serialize(
            "python",
            users.order_by("email"),
            fields=USER_FIELDS,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        ),
        serializers.serialize("python", maturity_models.order_by("pk"), fields=MODEL_FIELDS),
        serializers.serialize("python", versions.order_by("pk"), use_natural_foreign_keys=True),
        serializers.serialize(
            "python", itertools.chain.from_iterable(rows), use_natural_foreign_keys=True
        ),
    ]
    items = list(itertools.chain.from_iterable(chunks))
    return json.dumps(items, indent=1, ensure_ascii=False, cls=_Encoder)


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _restore_user(fields: dict) -> bool:
    """An account by e-mail: the existing one, or a new one without a usable password."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    email = (fields.get("email") or "").strip().lower()
    if not email:
        raise BackupRefused(_("An account in the backup has no e-mail address."))
    if user_model.objects.filter(email__iexact=email).exists():
        return False
    user = user_model(**{k: fields[k] for k in USER_FIELDS if k in fields})
    user.email = email
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    return True


@transaction.atomic
def import_organisation(text: str) -> int:
    """Restore a backup; all or nothing. Returns the number of records written."""
    try:
        items = json.loads(text)
    except ValueError as exc:
        raise BackupRefused(
            _("This is not a backup file (no valid JSON): %(error)s") % {"error": exc}
        ) from exc
    if not isinstance(items, list):
        raise BackupRefused(_("This is not a backup file: expected a list of records."))
    user_label = apps.get_model(settings.AUTH_USER_MODEL)._meta.label_lower
    for item in items:
        if isinstance(item, dict) and item.get("model") in OLD_LABELS:
            item["model"] = OLD_LABELS[item["model"]]
        elif isinstance(item, dict) and item.get("model") == OLD_INGEST_TOKEN:
            # A new id: personal tokens share the table now, and may hold the old one.
            item.update(model="core.accesstoken", pk=None)
    users = [i for i in items if isinstance(i, dict) and i.get("model") == user_label]
    rest = [i for i in items if i not in users]
    organisation = next((i for i in rest if i.get("model") == "core.organisation"), None)
    if organisation is None:
        raise BackupRefused(_("The backup holds no organisation."))
    fields = organisation.get("fields") or {}
    if Organisation.objects.filter(
        models.Q(pk=organisation.get("pk")) | models.Q(slug=fields.get("slug", ""))
    ).exists():
        raise BackupRefused(
            _("Organisation “%(name)s” already exists: delete it first, then restore.")
            % {"name": fields.get("name", "")}
        )
    written = sum(_restore_user(item.get("fields") or {}) for item in users)
    tables: set[str] = set()
    for item in serializers.deserialize("json", json.dumps(rest), handle_forward_references=True):
        obj = item.object
        label = obj._meta.label
        if label in ("scan.MaturityModel", "scan.ModelVersion"):
            existing = type(obj)._default_manager.filter(pk=obj.pk).first()
            if existing is not None:
                if (
                    isinstance(obj, ModelVersion)
                    and isinstance(existing, ModelVersion)
                    and existing.checksum != obj.checksum
                ):
                    raise BackupRefused(
                        _("Model version %(id)s in this database differs from the backup.")
                        % {"id": obj.pk}
                    )
                continue
            if label == "scan.ModelVersion":
                # versions refuse save() on an existing pk
                type(obj)._default_manager.bulk_create([obj])
                written += 1
                continue
        item.save()
        written += 1
        tables.add(obj._meta.db_table)
    # Checked now, not at commit: a reference to a missing row is refused like any other error.
    connection.check_constraints(table_names=sorted(tables))
    return written
