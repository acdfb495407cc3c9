from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "parcours.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from parcours.accounts.sessions import forget_cached_sessions

        post_migrate.connect(forget_cached_sessions, sender=self)
