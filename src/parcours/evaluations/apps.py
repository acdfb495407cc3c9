from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "parcours.evaluations"
    verbose_name = "Évaluations et notes (RGE Titre V)"
