from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "parcours.students"
    verbose_name = "Dossiers étudiants"
