from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from cms.backup import BackupRefused, export_organisation, import_organisation
from core.models import Organisation


class Command(BaseCommand):
    help = "Back up one organisation to a JSON file, or restore it from one (--restore)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", help="slug of the organisation to back up")
        parser.add_argument("--restore", action="store_true", help="restore the file instead")

    def handle(self, *args, file, organisation=None, restore=False, **options):
        path = Path(file)
        if restore:
            try:
                count = import_organisation(path.read_text(encoding="utf-8"))
            except (BackupRefused, DeserializationError, DatabaseError, ValueError) as exc:
                message = exc.messages[0] if isinstance(exc, BackupRefused) else str(exc)
                raise CommandError(f"Nothing was restored. {message}") from exc
            self.stdout.write(self.style.SUCCESS(f"Restored {count} records from {path}."))
            return
        org = Organisation.objects.filter(slug=organisation or "").first()
        if org is None:
            raise CommandError("Name an existing organisation with --organisation <slug>.")
        path.write_text(export_organisation(org), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Backed up {org} to {path}."))
