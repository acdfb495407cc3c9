"""Dossiers and their document slots; stored files live outside the web root."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parcours.dossiers.workflow import DossierStatus, SlotStatus


class StoredFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    original_name = models.CharField(_("nom d'origine"), max_length=150)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("fichier déposé")
        verbose_name_plural = _("fichiers déposés")

    def __str__(self):
        return self.original_name


class Dossier(models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "inscription", _("Inscription")
        MOBILITY = "mobilite", _("Mobilité")
        ALLEGEMENT = "allegement", _("Allègement")
        INCLUSION = "inclusion", _("Aménagements raisonnables")

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="dossiers")
    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="dossiers")
    academic_year = models.ForeignKey("institutions.AcademicYear", on_delete=models.PROTECT)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    status = models.CharField(_("statut"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["programme", "status"]), models.Index(fields=["student", "status"])]

    def __str__(self):
        return f"{self.title} — {self.student}"

    @classmethod
    def from_db(cls, db, field_names, values):
        dossier = super().from_db(db, field_names, values)
        dossier._loaded_programme_id = dossier.__dict__.get("programme_id")
        return dossier

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if getattr(self, "_loaded_programme_id", self.programme_id) != self.programme_id:  # a correction (the admin)
            self.slots.update(programme_id=self.programme_id)  # their copy, the queue's (DocumentSlot.programme)
        self._loaded_programme_id = self.programme_id


class DocumentSlot(models.Model):
    """One required document: what, by when, for whom; requested → received → accepted / refused."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="slots")
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("document"), max_length=200)
    article = models.CharField(_("article du RGE"), max_length=60, blank=True)
    required = models.BooleanField(_("obligatoire"), default=True)
    due_date = models.DateField(_("à fournir pour le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=SlotStatus.choices, default=SlotStatus.REQUESTED)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Copies kept by ``save`` for the secretariat's queue (issue 13): its documents of a department, oldest upload
    # first, are then one index of this table (``slot_queue``), not a walk through the uploads of the institution.
    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="+",
                                  editable=False, db_index=False)  # the dossier's
    received_at = models.DateTimeField(_("déposé le"), null=True, editable=False)  # its file's upload
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce demandée")
        verbose_name_plural = _("pièces demandées")
        unique_together = [("dossier", "code")]
        ordering = ["dossier", "id"]
        indexes = [models.Index(fields=["status"]),
                   models.Index(fields=["status", "dossier"], name="slot_status_dossier"),
                   # The secretariat's queue and its count: the received documents of the scope's programmes, in
                   # the queue's order, read from the index alone.
                   models.Index(fields=["programme", "received_at", "id"], name="slot_queue",
                                condition=models.Q(status=SlotStatus.RECEIVED, file__isnull=False))]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    @classmethod
    def from_db(cls, db, field_names, values):
        slot = super().from_db(db, field_names, values)
        slot._loaded_file_id = slot.__dict__.get("file_id")
        slot._loaded_dossier_id = slot.__dict__.get("dossier_id")
        return slot

    def save(self, *args, **kwargs):
        if self.programme_id is None or self.dossier_id != getattr(self, "_loaded_dossier_id", self.dossier_id):
            self.programme_id = self.dossier.programme_id  # a new slot, or one moved to another dossier
        if self.file_id is None:
            self.received_at = None
        elif self.received_at is None or self.file_id != getattr(self, "_loaded_file_id", None):
            self.received_at = self.file.uploaded_at  # a file just given: the object is at hand
        if kwargs.get("update_fields") is not None:  # a partial save still writes the copies it may have changed
            kwargs["update_fields"] = {*kwargs["update_fields"], "programme", "received_at"}
        super().save(*args, **kwargs)
        self._loaded_file_id, self._loaded_dossier_id = self.file_id, self.dossier_id
