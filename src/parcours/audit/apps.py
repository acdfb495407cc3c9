from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "parcours.audit"
    verbose_name = "Journal d'audit"
