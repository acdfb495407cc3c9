from django.core.management.base import BaseCommand, CommandError

from parcours.institutions.services import load_academic_year
from parcours.regulation.params import ParameterError


class Command(BaseCommand):
    help = "Charge une année académique (calendrier, programmes du Titre III) depuis regulation/years/<année>/."

    def add_arguments(self, parser):
        parser.add_argument("year", help="par exemple 2023-2024")

    def handle(self, *args, year, **options):
        try:
            counts = load_academic_year(year)
        except ParameterError as exc:
            raise CommandError(f"Paramètres de l'année {year} invalides : {exc}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Année {year} chargée : {counts['programmes']} programmes, {counts['departments']} départements, "
            f"{counts['sites']} implantations."))
        for name in counts["without_fee_row"]:  # art. 47: no fee, payment or deadline can be computed for it
            self.stdout.write(self.style.WARNING(f"Aucune ligne de l'annexe 2 pour « {name} » : droits non calculables."))
