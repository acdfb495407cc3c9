"""Admission requests (art. 23-46), payments (art. 47-60) and PAE proposals (art. 62-74)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parcours.admissions.workflow import ProposalStatus, RequestStatus


class AdmissionRequest(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "inscription", _("Inscription (avant le 30 septembre)")
        LATE = "tardive", _("Inscription tardive (art. 32)")
        MODIFICATION = "modification", _("Modification d'inscription (art. 31)")
        REORIENTATION = "reorientation", _("Réorientation (art. 33)")
        FREE = "libre", _("Étudiant libre (art. 38)")

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="admission_requests")
    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT)
    academic_year = models.ForeignKey("institutions.AcademicYear", on_delete=models.PROTECT)
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="admission_request")
    registration = models.OneToOneField("students.Registration", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="admission_request")
    kind = models.CharField(_("nature"), max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(_("statut"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    bloc = models.PositiveSmallIntegerField(_("bloc"), default=1)
    submitted_on = models.DateField(_("introduite le"))
    final_request_on = models.DateField(_("demande finale le"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)  # art. 32, 33
    other_registrations = models.TextField(_("autres inscriptions déclarées (art. 34)"), blank=True)
    # Annexe 7: candidates of non-EU nationality.
    non_eu_present = models.BooleanField(_("hors UE : présent en Belgique ou en Europe"), null=True, blank=True)
    diploma_year = models.PositiveSmallIntegerField(_("année du diplôme (annexe 7)"), null=True, blank=True)
    decided_on = models.DateField(_("décision du"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision = models.JSONField(_("décision et ses articles"), default=dict, blank=True)
    # Art. 40: notified "par courriel avec accusé de réception" — the first time the student opens the decision.
    acknowledged_at = models.DateTimeField(_("décision lue par l'étudiant le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande d'admission")
        verbose_name_plural = _("demandes d'admission")
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["programme", "status"])]
        constraints = [  # a double click or a retried POST cannot file the same request twice
            models.UniqueConstraint(fields=["student", "academic_year", "programme"],
                                    condition=~models.Q(status__in=["irrecevable", "refusee"]),
                                    name="one_open_request_per_programme"),
        ]

    def __str__(self):
        return f"{self.student} — {self.programme} ({self.get_status_display()})"


class Payment(models.Model):
    class Method(models.TextChoices):
        TRANSFER = "virement", _("Virement")
        CASH = "guichet", _("Guichet")
        IMPORT = "import", _("Extrait bancaire importé")
        REFUND = "remboursement", _("Remboursement")

    registration = models.ForeignKey("students.Registration", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("montant (€)"), max_digits=8, decimal_places=2)  # negative for a refund
    paid_on = models.DateField(_("date"))
    method = models.CharField(_("mode"), max_length=15, choices=Method.choices)
    reference = models.CharField(_("référence"), max_length=140, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paiement")
        ordering = ["paid_on", "id"]
        constraints = [models.UniqueConstraint(fields=["reference"], condition=~models.Q(reference=""),
                                               name="payment_unique_reference")]


class PaeProposal(models.Model):
    registration = models.ForeignKey("students.Registration", on_delete=models.CASCADE, related_name="pae_proposals")
    ues = models.ManyToManyField("institutions.UE")
    status = models.CharField(_("statut"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    validated_on = models.DateField(_("validé le"), null=True, blank=True)
    verification = models.JSONField(_("vérification du règlement"), default=dict)
    derogation = models.CharField(_("dérogation (art. 67 §2)"), max_length=1, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposition de PAE")
        verbose_name_plural = _("propositions de PAE")
        ordering = ["-proposed_at"]


class FraudCase(models.Model):
    """A presumed registration fraud (art. 42-46): the department direction's report, the hearing set by the
    Collège de direction at the earliest 15 days after notification, its decision."""

    class Status(models.TextChoices):
        REPORTED = "signale", _("Procès-verbal transmis au Collège de direction")
        CONVENED = "convoque", _("Étudiant convoqué")
        PROVEN = "averee", _("Fraude avérée")
        DISMISSED = "classee", _("Classée sans suite")

    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="fraud_cases")
    academic_year = models.CharField(_("année académique"), max_length=9)
    facts = models.TextField(_("faits reprochés"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    reported_on = models.DateField(_("procès-verbal du"))
    notified_on = models.DateField(_("faits notifiés le"), null=True, blank=True)
    hearing_on = models.DateField(_("audition le"), null=True, blank=True)
    lives_abroad = models.BooleanField(_("habite à l'étranger (réponse écrite, art. 43)"), default=False)
    decided_on = models.DateField(_("décision du"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier de fraude à l'inscription")
        verbose_name_plural = _("dossiers de fraude à l'inscription")


class BankTransaction(models.Model):
    """One credit line of an imported bank statement (CODA, camt.053, CSV). The bank's own reference is the
    duplicate key: two identical transfers on one day are two lines, the same file imported twice is not."""

    class Status(models.TextChoices):
        MATCHED = "rapproche", _("Rapproché automatiquement")
        WAITING = "en_attente", _("En attente d'attribution")
        ASSIGNED = "attribue", _("Attribué par le secrétariat")
        SET_ASIDE = "ecarte", _("Écarté")

    reference = models.CharField(_("référence bancaire"), max_length=100, unique=True)
    source = models.CharField(_("format"), max_length=10)
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("montant (€)"), max_digits=8, decimal_places=2)
    communication = models.CharField(_("communication"), max_length=500, blank=True)
    counterparty = models.CharField(_("donneur d'ordre"), max_length=140, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_line")
    reason = models.TextField(_("motif (écarté)"), blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne d'extrait bancaire")
        verbose_name_plural = _("lignes d'extraits bancaires")
        ordering = ["booked_on", "id"]
        indexes = [models.Index(fields=["status", "booked_on"])]

    def __str__(self):
        return f"{self.booked_on} {self.amount} € {self.communication[:40]}"
