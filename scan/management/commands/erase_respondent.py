from django.core.management.base import BaseCommand, CommandError

from scan.models import Respondent
from scan.services import respondent_erase_personal_data


class Command(BaseCommand):
    help = "Erase a respondent's personal data on request; the anonymous scores stay."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--round", type=int, help="only in this round (id)")

    def handle(self, *args, email, round=None, **options):
        qs = Respondent.objects.filter(email__iexact=email.strip())
        if round:
            qs = qs.filter(round_id=round)
        if not qs.exists():
            raise CommandError("No respondent with that e-mail address.")
        for respondent in qs:
            respondent_erase_personal_data(respondent=respondent)
        self.stdout.write(
            self.style.SUCCESS(f"Erased the personal data of {qs.count()} respondent record(s).")
        )
