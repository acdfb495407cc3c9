from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from parcours.web.backup import backup


class Command(BaseCommand):
    help = "Sauvegarde complète : base de données (JSON, clés naturelles) et documents déposés, avec leurs empreintes."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.DATA_DIR) / "sauvegardes"),
                            help="dossier où écrire l'archive (défaut : data/sauvegardes)")

    def handle(self, *args, output, **options):
        archive = backup(Path(output))
        self.stdout.write(f"Sauvegarde écrite : {archive} ({archive.stat().st_size // 1024} Kio)")
