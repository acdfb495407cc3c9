import datetime as dt

from django.core.management.base import BaseCommand

from parcours.jobs import services as jobs
from parcours.web.clock import today
from parcours.web.jobs import daily, run_daily


class Command(BaseCommand):
    help = ("Le passage quotidien : rappels de documents, de paiement et de mobilité, puis conséquences des "
            "art. 48, 49 et de l'annexe 7. Par lots d'inscriptions, une transaction chacun : personne n'attend, "
            "et une exécution interrompue se relance telle quelle.")

    def add_arguments(self, parser):
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="date (AAAA-MM-JJ)")
        parser.add_argument("--chunk", type=int, default=500, help="inscriptions par transaction")
        parser.add_argument("--queue", action="store_true",
                            help="le confier à la file de travaux (un worker l'exécute) au lieu de l'exécuter ici")

    def handle(self, *args, on, chunk, queue=False, **options):
        on = on or today()
        if queue:
            j = jobs.start(daily, actor=None, label=f"Passage quotidien du {on:%d/%m/%Y}", on=on.isoformat(), chunk=chunk)
            self.stdout.write(self.style.SUCCESS(f"Travail {j.pk} confié à la file : un worker l'exécute."))
            return
        counts = run_daily(on=on, chunk=chunk)
        self.stdout.write(self.style.SUCCESS(
            f"{on:%d/%m/%Y} : {counts['documents']} rappel(s) de documents, {counts['mobilite']} rappel(s) de "
            f"mobilité, {counts['rappels']} rappel(s) de paiement, {counts['annulees']} inscription(s) annulée(s), "
            f"{counts['suspendues']} accès suspendu(s), {counts['non_decidees']} inscription(s) que les règles ne "
            f"décident pas (voir le journal)."))
