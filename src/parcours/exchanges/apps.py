from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "parcours.exchanges"
    verbose_name = "Mobilité étudiante OUT"
