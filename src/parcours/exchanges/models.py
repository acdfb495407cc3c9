"""Calls for outgoing mobility, destinations with their places, candidatures and their reception by the
co-organising institutions (seed 000; RGE art. 214-219)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parcours.exchanges.workflow import CandidatureStatus

KINDS = [("SMS", "Erasmus+ études (SMS)"), ("SMT", "Erasmus+ stage (SMT)"), ("BELGICA_STUDIES", "Erasmus Belgica (études)"),
         ("BELGICA_TRAINEESHIP", "Erasmus Belgica (stage)"), ("FAME", "FAME (hors Europe)"),
         ("STAGE_HORS_PROGRAMME", "Stage à l'étranger hors programme"),
         ("INTERCOMMUNAUTAIRE", "Échange intercommunautaire (art. 219)")]


class Call(models.Model):
    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="mobility_calls")
    mobility_year = models.CharField(_("année de la mobilité"), max_length=9)
    title = models.CharField(_("intitulé"), max_length=200)
    deadline = models.DateField(_("date limite (mobilités de cours ou de stage)"))
    deadline_canada = models.DateField(_("date limite (mobilités de cours au Canada)"))
    recipients = models.ManyToManyField("institutions.Institution", related_name="received_calls")
    department_min_credits = models.PositiveSmallIntegerField(_("crédits réussis exigés pour une mobilité d'études"),
                                                              help_text=_("choix du département (art. 215)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appel à candidatures de mobilité")
        verbose_name_plural = _("appels à candidatures de mobilité")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Destination(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="destinations")
    host = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT)
    kind = models.CharField(_("type de mobilité"), max_length=25, choices=KINDS)
    places = models.PositiveSmallIntegerField(_("places (accord interinstitutionnel)"), null=True, blank=True,
                                              help_text=_("vide pour un stage : pas de quota (art. 215)"))

    class Meta:
        verbose_name = _("destination")
        ordering = ["host__country", "host__name"]

    def __str__(self):
        return f"{self.host} — {self.get_kind_display()}"

    @property
    def canada(self) -> bool:
        return self.host.country == "CA"

    @property
    def outside_europe(self) -> bool:
        return self.host.country not in EUROPE


EUROPE = {"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT",
          "LI", "LT", "LU", "LV", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "TR"}


class Candidature(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="candidatures")
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="mobility_candidatures")
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="candidature")
    status = models.CharField(_("statut"), max_length=10, choices=CandidatureStatus.choices,
                              default=CandidatureStatus.DRAFT)
    wants_grant = models.BooleanField(_("souhaite une bourse"), default=True)
    fwb_boursier = models.BooleanField(_("boursier de la Fédération Wallonie-Bruxelles"), default=False)
    other_community_language = models.BooleanField(
        _("compétence d'enseignement dans la langue d'une autre Communauté (art. 219)"), default=False)
    letter_signed = models.BooleanField(_("lettre de motivation signée"), default=False)
    submitted_on = models.DateField(_("soumise le"), null=True, blank=True)
    late_exception = models.TextField(_("exception au délai (motif)"), blank=True)
    score = models.PositiveSmallIntegerField(_("note du comité /20"), null=True, blank=True)
    committee_comment = models.TextField(_("avis du comité"), blank=True)
    destination = models.ForeignKey(Destination, null=True, blank=True, on_delete=models.PROTECT, related_name="selected")
    managing_institution = models.ForeignKey("institutions.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+")
    decided_on = models.DateField(_("décision du"), null=True, blank=True)
    nominated_on = models.DateField(_("annoncée à l'établissement d'accueil le"), null=True, blank=True)
    decision = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidature de mobilité")
        verbose_name_plural = _("candidatures de mobilité")
        unique_together = [("call", "student")]


class Choice(models.Model):
    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="choices")
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT)
    rank = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        ordering = ["rank"]
        unique_together = [("candidature", "rank"), ("candidature", "destination")]


class Reception(models.Model):
    """An institution's coordinator records that the candidature reached them (seed 000, 1.2)."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="receptions")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("candidature", "institution")]


class MobilityFile(models.Model):
    """The mobility dossier after selection (seed 000, 2): BEFORE, DURING and AFTER the mobility."""

    class Phase(models.TextChoices):
        BEFORE = "avant", _("Avant la mobilité")
        DURING = "pendant", _("Pendant la mobilité")
        AFTER = "apres", _("Après la mobilité")
        CLOSED = "clos", _("Clôturé")

    candidature = models.OneToOneField(Candidature, on_delete=models.PROTECT, related_name="mobility_file")
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, default=Phase.BEFORE)
    planned_start = models.DateField(_("début prévu"))
    planned_end = models.DateField(_("fin prévue"))
    social_inquiry_requested_on = models.DateField(_("enquête sociale demandée le"), null=True, blank=True)
    grant_contract_signed_on = models.DateField(_("contrat de bourse signé le"), null=True, blank=True)
    arrival = models.DateField(_("arrivée (attestation de séjour)"), null=True, blank=True)
    departure = models.DateField(_("départ (attestation de séjour)"), null=True, blank=True)
    report_submitted_on = models.DateField(_("rapport de mobilité le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier de mobilité")
        verbose_name_plural = _("dossiers de mobilité")


class LearningAgreement(models.Model):
    """The convention d'études or de stage: the home UEs replaced and the host components, signed by three parties;
    each change during the mobility makes a new version to sign again."""

    file = models.ForeignKey(MobilityFile, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField(default=1)
    student_signed_at = models.DateTimeField(null=True, blank=True)
    sending_signed_at = models.DateTimeField(null=True, blank=True)
    receiving_signed_at = models.DateTimeField(null=True, blank=True)
    verification = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-version"]
        unique_together = [("file", "version")]

    @property
    def signed(self) -> bool:
        return bool(self.student_signed_at and self.sending_signed_at and self.receiving_signed_at)


class AgreementLine(models.Model):
    class Side(models.TextChoices):
        HOME = "home", _("UE de la HELHa remplacée")
        HOST = "host", _("Composante choisie dans l'établissement d'accueil")

    agreement = models.ForeignKey(LearningAgreement, on_delete=models.CASCADE, related_name="lines")
    side = models.CharField(max_length=4, choices=Side.choices)
    ue = models.ForeignKey("institutions.UE", null=True, blank=True, on_delete=models.PROTECT)  # home side
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=200)
    ects = models.PositiveSmallIntegerField(_("ECTS"))
    quadrimestre = models.PositiveSmallIntegerField(_("quadrimestre"), default=1)
    change_reason = models.CharField(_("motif du changement"), max_length=200, blank=True)
