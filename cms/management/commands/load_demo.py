from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo site (idempotent): pages, the default model, corporations, users and rounds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Also run when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for local use; pass --force to load it anyway.")
        summary = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, role, organisation in summary.logins:
            self.stdout.write(f"  {email:32} {role:24} {organisation}")
        self.stdout.write("\nRespondent links (open round, fresh each run):")
        for description, url in summary.respondent_links:
            self.stdout.write(f"  {description}\n    {url}")
        self.stdout.write("")
