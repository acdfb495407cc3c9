from django.dispatch import Signal

# Sent inside the transaction when every required document of a dossier is accepted.
dossier_completed = Signal()  # kwargs: dossier, actor
