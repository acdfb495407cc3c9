import time

from django.core.management.base import BaseCommand

from parcours.web.population import generate


class Command(BaseCommand):
    help = "Génère une population de taille institutionnelle (par défaut 20 000 étudiants, cinq ans d'historique)."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=20000)
        parser.add_argument("--years", type=int, default=5)

    def handle(self, *args, students, years, **options):
        started = time.perf_counter()
        counts = generate(students, years=years, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"{counts['students']} étudiants, {counts['past_registrations']} inscriptions antérieures, "
            f"{counts['dossiers']} dossiers, {counts['slots']} pièces, {counts['payments']} paiements, "
            f"{counts['candidatures']} candidatures de mobilité en {time.perf_counter() - started:.1f} s."))
