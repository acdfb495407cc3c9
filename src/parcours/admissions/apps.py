from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "parcours.admissions"
    verbose_name = "Admission, inscription, droits et PAE"

    def ready(self):
        from parcours.admissions import banking, handlers  # noqa: F401  (dossier_completed; the IBAN check)
