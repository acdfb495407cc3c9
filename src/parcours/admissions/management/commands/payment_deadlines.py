import datetime as dt

from django.core.management.base import BaseCommand

from parcours.admissions.payments import apply_payment_deadlines
from parcours.admissions.services import remind_documents
from parcours.web.clock import today


class Command(BaseCommand):
    help = ("À lancer chaque jour : rappels des documents attendus, rappels avant le 31 octobre et le 1er février, "
            "puis conséquences des art. 48 "
            "(inscription annulée) et 49 (accès suspendu) après ces dates.")

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="date (AAAA-MM-JJ), aujourd'hui par défaut")

    def handle(self, *args, on, **options):
        on = on or today()
        documents = remind_documents(on=on)
        counts = apply_payment_deadlines(on=on)
        self.stdout.write(self.style.SUCCESS(
            f"{documents} rappel(s) de documents, {counts['rappels']} rappel(s) de paiement, "
            f"{counts['annulees']} inscription(s) annulée(s), {counts['suspendues']} accès suspendu(s)."))
