from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Exécute les travaux en arrière-plan (file de tâches Django, base de données). Plusieurs processus, sur "
            "plusieurs machines, peuvent tourner contre la même base PostgreSQL.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="traiter les travaux en attente puis s'arrêter")
        parser.add_argument("--interval", type=float, default=1, help="secondes entre deux recherches de travail")

    def handle(self, *args, batch, interval, **options):
        call_command("db_worker", "--no-startup-delay", "--no-reload", f"--interval={interval}",
                     *(["--batch"] if batch else []))
