from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "parcours.web"
    verbose_name = "Écrans"

    def ready(self):
        from parcours.web import clock

        clock.install()
