"""Recompute the pulse's monthly summaries from the answers (also run nightly by Celery beat)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from core.models import Organisation
from pulse.aggregates import rebuild


class Command(BaseCommand):
    help = "Recompute the tenant pulse's monthly summaries from the stored answers."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--organisation", action="append", default=[], help="slug; repeat for several"
        )

    def handle(self, *args, **options) -> None:
        slugs = options["organisation"]
        ids = None
        if slugs:
            found = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            unknown = sorted(set(slugs) - set(found))
            if unknown:
                raise CommandError(f"Unknown organisation: {', '.join(unknown)}")
            ids = list(found.values())
        start = time.perf_counter()
        rows = rebuild(organisation_ids=ids)
        self.stdout.write(f"{rows} summary rows rebuilt in {time.perf_counter() - start:.1f} s")
