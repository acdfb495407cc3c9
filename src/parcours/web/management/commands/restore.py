from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.web.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restaure une archive de `manage.py backup` dans une base vide (après `migrate`)."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            done = restore(Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restauré : {done['rows']} lignes et {done['files']} fichiers (sauvegarde du "
                          f"{done['created']}).")
