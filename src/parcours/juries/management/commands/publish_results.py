from django.core.management.base import BaseCommand

from parcours.juries.services import publish_due


class Command(BaseCommand):
    help = "Publie les résultats des délibérations dont la date et l'heure de publication sont atteintes (art. 103)."

    def handle(self, *args, **options):
        self.stdout.write(f"Séances publiées : {publish_due()}.")
