from django.apps import AppConfig


class JuriesConfig(AppConfig):
    name = "parcours.juries"
    verbose_name = "Jurys et délibérations"
