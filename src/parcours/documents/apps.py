from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "parcours.documents"
    verbose_name = "Documents PDF"
