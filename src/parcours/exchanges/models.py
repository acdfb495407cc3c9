"""Calls for outgoing mobility, destinations with their places, candidatures and their reception by the
co-organising institutions (seed 000; RGE art. 214-219)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parcours.exchanges.workflow import CandidatureStatus

KINDS = [("SMS", _("Erasmus+ études (SMS)")), ("SMT", _("Erasmus+ stage (SMT)")),
         ("OLS", _("Erasmus+ soutien linguistique en ligne (OLS)")), ("BELGICA_STUDIES", _("Erasmus Belgica (études)")),
         ("BELGICA_TRAINEESHIP", _("Erasmus Belgica (stage)")), ("FAME", _("FAME (hors Europe)")),
         ("STAGE_HORS_PROGRAMME", _("Stage à l'étranger hors programme")),
         ("INTERCOMMUNAUTAIRE", _("Échange intercommunautaire (art. 219)"))]


LANGUAGES = [("en", _("anglais")), ("fr", _("français")), ("nl", _("néerlandais")), ("de", _("allemand")),
             ("es", _("espagnol")), ("pt", _("portugais")), ("it", _("italien"))]


class Call(models.Model):
    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="mobility_calls")
    mobility_year = models.CharField(_("année de la mobilité"), max_length=9)
    title = models.CharField(_("intitulé"), max_length=200)
    deadline = models.DateField(_("date limite (mobilités de cours ou de stage)"))
    deadline_canada = models.DateField(_("date limite (mobilités de cours au Canada)"))
    recipients = models.ManyToManyField("institutions.Institution", related_name="received_calls")
    department_min_credits = models.PositiveSmallIntegerField(_("crédits réussis exigés pour une mobilité d'études"),
                                                              help_text=_("choix du département (art. 215)"))
    isced_f_code = models.CharField(_("code ISCED-F du domaine d'études"), max_length=4, blank=True,
                                    help_text=_("ex. 0923 pour le travail social (convention européenne, EWP)"))
    selection_criteria = models.TextField(_("critères de sélection (point 1.4)"), blank=True,
                                          help_text=_("un critère par ligne ; le comité coche ceux qu'il a appliqués"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def criteria(self) -> list[str]:
        return [line.strip() for line in self.selection_criteria.splitlines() if line.strip()]

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
    # The fact sheet the student reads before choosing (point 1.1).
    language = models.CharField(_("langue d'enseignement"), max_length=5, blank=True, choices=LANGUAGES)
    language_level = models.CharField(_("niveau exigé (CECR)"), max_length=2, blank=True,
                                      choices=[(x, x) for x in ("A1", "A2", "B1", "B2", "C1", "C2")])
    period = models.CharField(_("période"), max_length=100, blank=True)
    host_contact_name = models.CharField(_("coordinateur de l'établissement d'accueil"), max_length=150, blank=True)
    host_contact_email = models.EmailField(_("e-mail du coordinateur d'accueil"), blank=True)
    info_url = models.URLField(_("fiche de l'établissement d'accueil"), blank=True)

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
    bloc2_available = models.BooleanField(_("bulletin de bloc 2 disponible"), default=False)
    score = models.DecimalField(_("note du comité /20 (moyenne)"), max_digits=4, decimal_places=2, null=True, blank=True)
    committee_comment = models.TextField(_("avis du comité"), blank=True)
    destination = models.ForeignKey(Destination, null=True, blank=True, on_delete=models.PROTECT, related_name="selected")
    managing_institution = models.ForeignKey("institutions.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+")
    decided_on = models.DateField(_("décision du"), null=True, blank=True)
    nominated_on = models.DateField(_("annoncée à l'établissement d'accueil le"), null=True, blank=True)
    decision = models.JSONField(default=dict, blank=True)
    # Art. 214: the department direction's decision, recorded with who and when (None: not decided yet).
    department_authorised = models.BooleanField(_("autorisation du département (art. 214)"), null=True, blank=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    authorised_on = models.DateField(_("autorisation décidée le"), null=True, blank=True)
    authorisation_reason = models.TextField(_("motif de la décision du département"), blank=True)
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
    """The candidature as sent to one co-organising institution (seed 000, 1.2): the student records the sending
    (Google form and platform for HENALLUX, e-mail for HERS); the institution's coordinator confirms reception."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="receptions")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT)
    sent_on = models.DateField(_("envoyée le"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("reçue le"), null=True, blank=True)

    class Meta:
        unique_together = [("candidature", "institution")]


class Evaluation(models.Model):
    """One committee member's score and comment (point 1.3: RI officers, section and year coordinators, the
    partners' coordinators included)."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("institutions.Institution", null=True, blank=True, on_delete=models.PROTECT)
    score = models.DecimalField(_("note /20"), max_digits=4, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))])
    comment = models.TextField(_("commentaire"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        unique_together = [("candidature", "member")]
        ordering = ["updated_at"]


class MobilityFile(models.Model):
    """The mobility dossier after selection (seed 000, 2): BEFORE, DURING and AFTER the mobility, run by the managing
    institution's coordinator (at HENALLUX alongside its international platform, at HERS entirely here)."""

    class Phase(models.TextChoices):
        BEFORE = "avant", _("Avant la mobilité")
        DURING = "pendant", _("Pendant la mobilité")
        AFTER = "apres", _("Après la mobilité")
        CLOSED = "clos", _("Clôturé")

    class Outcome(models.TextChoices):
        GRANTED = "accordee", _("aide complémentaire accordée")
        REFUSED = "refusee", _("pas d'aide complémentaire")

    candidature = models.OneToOneField(Candidature, on_delete=models.PROTECT, related_name="mobility_file")
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, default=Phase.BEFORE)
    planned_start = models.DateField(_("début prévu"))
    planned_end = models.DateField(_("fin prévue"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # Optional social inquiry (seed 000, 2 AVANT): appointment and outcome recorded by the social worker.
    social_inquiry_requested_on = models.DateField(_("enquête sociale demandée le"), null=True, blank=True)
    social_appointment_at = models.DateTimeField(_("rendez-vous avec le travailleur social"), null=True, blank=True)
    social_outcome = models.CharField(_("issue de l'enquête sociale"), max_length=10, choices=Outcome.choices, blank=True)
    social_aid_amount = models.DecimalField(_("aide complémentaire (€)"), max_digits=8, decimal_places=2, null=True,
                                            blank=True)
    # Grant contract (art. 215; seed 000, 2 AVANT).
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_holder = models.CharField(_("titulaire du compte"), max_length=150, blank=True)
    grant_amount = models.DecimalField(_("montant de la bourse (€)"), max_digits=9, decimal_places=2, null=True,
                                       blank=True)
    grant_computation = models.JSONField(default=dict, blank=True)
    contract_issued_on = models.DateField(_("contrat émis le"), null=True, blank=True)
    grant_contract_signed_on = models.DateField(_("contrat de bourse signé le"), null=True, blank=True)
    arrival = models.DateField(_("arrivée (attestation de séjour)"), null=True, blank=True)
    departure = models.DateField(_("départ (attestation de séjour)"), null=True, blank=True)
    recognised_on = models.DateField(_("crédits reconnus le"), null=True, blank=True)
    report_submitted_on = models.DateField(_("rapport de mobilité le"), null=True, blank=True)
    report = models.JSONField(_("rapport de mobilité"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier de mobilité")
        verbose_name_plural = _("dossiers de mobilité")


class HostCourse(models.Model):
    """A host institution's course, kept once and reused by every learning agreement to that host."""

    host = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="host_courses")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=200)
    ects = models.PositiveSmallIntegerField(_("ECTS"), validators=[MinValueValidator(1), MaxValueValidator(60)])
    semester = models.PositiveSmallIntegerField(_("quadrimestre"), choices=[(1, "Q1"), (2, "Q2")], default=1)
    language = models.CharField(_("langue"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("cours de l'établissement d'accueil")
        unique_together = [("host", "code")]
        ordering = ["semester", "code"]

    def __str__(self):
        return f"{self.code} — {self.title} ({self.ects} ECTS)"


class GrantRate(models.Model):
    """The managing institution's monthly grant rates, per purpose and country group: an institution choice, not the
    RGE's (art. 215 leaves the amounts to the programme's agency and the institution)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="grant_rates")
    purpose = models.CharField(_("finalité"), max_length=6, choices=[("etudes", _("études")), ("stage", _("stage"))])
    group = models.CharField(_("groupe de pays"), max_length=40)
    countries = models.CharField(_("pays (codes ISO, séparés par des virgules)"), max_length=300)
    monthly = models.DecimalField(_("taux mensuel (€)"), max_digits=7, decimal_places=2)
    fwb_topup_monthly = models.DecimalField(_("complément mensuel boursier FWB (€)"), max_digits=7, decimal_places=2,
                                            default=Decimal(0))
    first_instalment_percent = models.PositiveSmallIntegerField(_("premier versement (%)"), default=80,
                                                                validators=[MaxValueValidator(100)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taux de bourse (choix de l'établissement)")
        unique_together = [("institution", "purpose", "group")]

    def covers(self, country: str) -> bool:
        return country.upper() in {c.strip().upper() for c in self.countries.split(",")}


class LearningAgreement(models.Model):
    """The convention d'études or de stage in the European template: BEFORE (table A at the host, table B at home),
    DURING (changes to table A, each with its reason), AFTER (transcript and recognition); three signatures.
    Each change makes a new version, started from the previous one."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("En préparation")
        SENT = "envoyee", _("Envoyée pour signature")
        SIGNED = "signee", _("Signée par les trois parties")

    file = models.ForeignKey(MobilityFile, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("langue du document"), max_length=5, default="en",
                                choices=[("en", "English"), ("fr", "Français")])
    student_signed_at = models.DateTimeField(null=True, blank=True)
    sending_signed_at = models.DateTimeField(null=True, blank=True)
    sending_signer = models.CharField(max_length=150, blank=True)
    receiving_signed_at = models.DateTimeField(null=True, blank=True)
    receiving_signer = models.CharField(max_length=150, blank=True)
    verification = models.JSONField(default=dict, blank=True)
    # Table A of the traineeship template: what the trainee will do and how it is followed and assessed.
    traineeship_title = models.CharField(_("intitulé du stage"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("heures de travail par semaine"), null=True, blank=True)
    traineeship_programme = models.TextField(_("programme détaillé du stage"), blank=True)
    skills = models.TextField(_("savoirs, aptitudes et compétences visés"), blank=True)
    monitoring = models.TextField(_("plan de suivi"), blank=True)
    evaluation = models.TextField(_("plan d'évaluation"), blank=True)
    history = HistoricalRecords()

    TRAINEESHIP_FIELDS = ("traineeship_title", "hours_per_week", "traineeship_programme", "skills", "monitoring",
                          "evaluation")

    class Meta:
        ordering = ["-version"]
        unique_together = [("file", "version")]

    @property
    def signed(self) -> bool:
        return bool(self.student_signed_at and self.sending_signed_at and self.receiving_signed_at)

    @property
    def conform(self) -> bool:
        return bool(self.verification.get("outcome"))


class AgreementLine(models.Model):
    """Table A (host components) or table B (home UEs recognised); after recognition a table-A line carries the host
    grade, its conversion and the home UE it counts for."""

    class Side(models.TextChoices):
        HOME = "home", _("Tableau B : UE de la HELHa reconnue")
        HOST = "host", _("Tableau A : composante suivie dans l'établissement d'accueil")

    class Change(models.TextChoices):
        INSERTED = "inserted", _("ajoutée")
        DELETED = "deleted", _("supprimée")

    # EWP omobility-las reason codes for a change during the mobility.
    REASONS = [("not-available", _("cours non disponible")), ("language-mismatch", _("langue d'enseignement")),
               ("timetable-conflict", _("conflit d'horaire")), ("substituting-deleted", _("remplace un cours supprimé")),
               ("extending-mobility", _("prolongation de la mobilité")),
               ("adding-virtual-component", _("ajout d'une composante virtuelle"))]

    agreement = models.ForeignKey(LearningAgreement, on_delete=models.CASCADE, related_name="lines")
    side = models.CharField(max_length=4, choices=Side.choices)
    ue = models.ForeignKey("institutions.UE", null=True, blank=True, on_delete=models.PROTECT)  # home side
    host_course = models.ForeignKey(HostCourse, null=True, blank=True, on_delete=models.PROTECT)  # host side
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=200)
    ects = models.PositiveSmallIntegerField(_("ECTS"))
    quadrimestre = models.PositiveSmallIntegerField(_("quadrimestre"), default=1)
    change = models.CharField(_("changement"), max_length=8, choices=Change.choices, blank=True)
    reason_code = models.CharField(_("motif (code)"), max_length=30, choices=REASONS, blank=True)
    change_reason = models.CharField(_("motif du changement"), max_length=200, blank=True)
    recognised_as = models.ForeignKey("institutions.UE", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    host_grade = models.CharField(_("note de l'établissement d'accueil"), max_length=20, blank=True)
    converted_grade = models.DecimalField(_("note convertie /20"), max_digits=4, decimal_places=1, null=True,
                                          blank=True)

    class Meta:
        ordering = ["side", "quadrimestre", "code"]
