"""The student record: identity, statuses, past registrations, current registration and PAE, credits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Student(models.Model):
    class Grant(models.TextChoices):
        NON_BOURSIER = "non_boursier", _("Non boursier")
        PRESUME = "presume_boursier", _("Présumé boursier")
        BOURSIER = "boursier", _("Boursier")
        REFUSED = "bourse_refusee", _("Bourse refusée")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="student")
    matricule = models.CharField(_("matricule"), max_length=20, unique=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    nationality = models.CharField(_("nationalité"), max_length=2, default="BE")
    grant_status = models.CharField(_("statut de bourse"), max_length=20, choices=Grant.choices, default=Grant.NON_BOURSIER)
    grant_refusal_notified_on = models.DateField(_("refus de bourse notifié le"), null=True, blank=True)
    condition_modeste = models.BooleanField(_("condition modeste reconnue"), default=False)
    non_eu = models.BooleanField(_("ressortissant hors UE (droits spécifiques)"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("étudiant")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name()} ({self.matricule})"


class PastRegistration(models.Model):
    """One earlier registration in higher education, as finançabilité needs it (art. 35)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="past_registrations")
    academic_year = models.CharField(_("année académique"), max_length=9)
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    cursus = models.CharField(_("cursus"), max_length=250)
    institution = models.CharField(_("établissement"), max_length=200, blank=True)
    pae_credits = models.PositiveSmallIntegerField(_("crédits du PAE"))
    credits_acquired = models.PositiveSmallIntegerField(_("crédits acquis ou valorisés"))
    cancelled = models.BooleanField(_("annulée avant le 1er décembre"), default=False)
    led_to_degree = models.BooleanField(_("a conduit à un grade"), default=False)
    allegement = models.BooleanField(_("allègement"), default=False)
    reorientation = models.BooleanField(_("réorientation"), default=False)
    new_rules = models.BooleanField(_("soumis aux nouvelles règles de finançabilité"), default=False)

    class Meta:
        verbose_name = _("inscription antérieure")
        verbose_name_plural = _("inscriptions antérieures")
        ordering = ["student", "academic_year"]
        indexes = [models.Index(fields=["student", "academic_year"])]


class Registration(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "demandee", _("Demande introduite")
        IRRECEVABLE = "irrecevable", _("Irrecevable")
        REFUSED = "refusee", _("Refusée")
        REGULAR = "reguliere", _("Inscription régulière")
        CANCELLED = "annulee", _("Annulée")
        ABANDONED = "abandon", _("Abandon")

    class Stage(models.TextChoices):
        DC = "DC", _("Début de cycle")
        PE = "PE", _("Poursuite d'études")
        AD = "AD", _("Année diplômante")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="registrations")
    academic_year = models.ForeignKey("institutions.AcademicYear", on_delete=models.PROTECT)
    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="registrations")
    bloc = models.PositiveSmallIntegerField(_("bloc"), default=1)
    stage = models.CharField(_("étape (annexe 2)"), max_length=2, choices=Stage.choices, default=Stage.DC)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(_("demande du"), null=True, blank=True)
    registered_on = models.DateField(_("inscrit régulièrement le"), null=True, blank=True)
    # Art. 49: balance unpaid on 1 February — no access to activities, no deliberation.
    access_suspended_on = models.DateField(_("accès suspendu le (art. 49)"), null=True, blank=True)
    allegement = models.BooleanField(_("allègement accordé (art. 71)"), default=False)
    free_student = models.BooleanField(_("étudiant libre (art. 38)"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inscription")
        unique_together = [("student", "academic_year", "programme")]
        indexes = [models.Index(fields=["programme", "academic_year", "status"]),
                   # Who is in a scope: programme_id IN (…) → student_id, read from the index alone.
                   models.Index(fields=["programme", "student"], name="registration_scope")]

    def __str__(self):
        return f"{self.student} — {self.programme} ({self.academic_year})"

    @property
    def is_regular(self) -> bool:
        return self.status == self.Status.REGULAR


class PaeEntry(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="pae")
    ue = models.ForeignKey("institutions.UE", on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("UE du PAE")
        verbose_name_plural = _("UE du PAE")
        unique_together = [("registration", "ue")]


class AcquiredCredit(models.Model):
    """Credits of a UE acquired (note ≥ 10 or granted by the jury) or valorised (art. 69-70, 100, 134)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="credits")
    ue = models.ForeignKey("institutions.UE", on_delete=models.PROTECT)
    academic_year = models.CharField(_("année académique"), max_length=9)
    note = models.DecimalField(_("note /20"), max_digits=4, decimal_places=1, null=True, blank=True)
    valorised = models.BooleanField(_("valorisé"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("crédit acquis")
        verbose_name_plural = _("crédits acquis")
        unique_together = [("student", "ue")]
