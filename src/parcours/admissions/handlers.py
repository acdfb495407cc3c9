from django.dispatch import receiver

from parcours.dossiers.models import Dossier
from parcours.dossiers.signals import dossier_completed


@receiver(dossier_completed, sender=Dossier)
def final_request_when_complete(sender, dossier, actor, **kwargs):
    from parcours.admissions.services import mark_final

    mark_final(dossier=dossier, actor=actor)
