import datetime as dt

from django.core.management.base import BaseCommand

from parcours.admissions.payments import apply_payment_deadlines
from parcours.admissions.services import remind_documents
from parcours.dossiers.services import send_review_digests
from parcours.exchanges.services import mobility_reminders
from parcours.web.clock import today


class Command(BaseCommand):
    help = ("Le passage quotidien : rappels de documents, de paiement et de mobilité, puis conséquences des "
            "art. 48, 49 et de l'annexe 7.")

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="date (AAAA-MM-JJ)")

    def handle(self, *args, on, **options):
        on = on or today()
        documents = remind_documents(on=on)
        send_review_digests(on=on)  # one e-mail per dossier for the documents reviewed that day
        mobility = mobility_reminders(on=on)
        counts = apply_payment_deadlines(on=on)
        self.stdout.write(self.style.SUCCESS(
            f"{on:%d/%m/%Y} : {documents} rappel(s) de documents, {mobility} rappel(s) de mobilité, "
            f"{counts['rappels']} rappel(s) de paiement, {counts['annulees']} inscription(s) annulée(s), "
            f"{counts['suspendues']} accès suspendu(s)."))
