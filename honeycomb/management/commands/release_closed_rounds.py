"""Once, when upgrading to releases: every closed round without a release gets its closing
release, so its figures show again. Rounds closed from now on are released when they close."""

from django.core.management.base import BaseCommand

from honeycomb.models import ReleaseKind
from honeycomb.release_services import ReleaseError, release_make
from scan.models import RoundStatus, ScanRound


class Command(BaseCommand):
    help = "Give every closed round without a release its closing release."

    def handle(self, *args, **options):
        rounds = ScanRound.objects.filter(
            status=RoundStatus.CLOSED, releases__isnull=True, signed_at__isnull=True
        )
        made = 0
        for scan_round in rounds:
            try:
                release_make(scan_round=scan_round, kind=ReleaseKind.CLOSING)
            except ReleaseError as refused:
                self.stderr.write(f"{scan_round}: {refused}")
                continue
            made += 1
        self.stdout.write(self.style.SUCCESS(f"{made} closed round(s) released."))
