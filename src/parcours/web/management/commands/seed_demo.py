from django.core.management.base import BaseCommand

from parcours.web.demo_data import PASSWORD, ensure_demo


class Command(BaseCommand):
    help = "Charge l'année 2023-2024 et les données de démonstration, puis affiche un compte par rôle."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="http://127.0.0.1:8000/")

    def handle(self, *args, address, **options):
        accounts = ensure_demo()
        self.stdout.write(self.style.SUCCESS(f"\nParcours est prêt : {address}"))
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {PASSWORD}\n")
        width = max(len(role) for role, _ in accounts)
        for role, email in accounts:
            self.stdout.write(f"  {role:<{width}}  {email}")
        self.stdout.write("")
