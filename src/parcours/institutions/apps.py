from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "parcours.institutions"
    verbose_name = "Institutions et programmes"
