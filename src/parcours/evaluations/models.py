"""Evaluation periods, the timetable, score sheets and their notes, UE results, absences (RGE Titre V).

Reading guide: an `EvaluationPeriod` (annexe 1, art. 79) has per department a `DepartmentPeriod`
(encoding deadline, third-period registration window); an `Evaluation` is the date/place/form of one
learning activity in one period (art. 80, 87, 96); a `ScoreSheet` is one activity in one period with
its evaluators (art. 99); its `ActivityNote` rows are who sits it (art. 88-90) and the note or code
each got (art. 100), carried notes included (art. 98, 101, 102); a `UEResult` is the UE note the
rules compute (art. 100), invisible to the student until `published_at` is set (art. 103).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parcours.evaluations.workflow import AbsenceStatus, SheetStatus
from parcours.regulation import grades

USER = settings.AUTH_USER_MODEL


class EvaluationPeriod(models.Model):
    """One of the three evaluation periods of the year (art. 79, annexe 1)."""

    academic_year = models.ForeignKey("institutions.AcademicYear", on_delete=models.CASCADE, related_name="evaluation_periods")
    number = models.PositiveSmallIntegerField(_("période"), choices=[(1, _("janvier")), (2, _("juin")), (3, _("août-septembre"))])
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    session_ouverte_until = models.DateField(_("session ouverte jusqu'au (art. 85)"))
    article = models.CharField(_("article"), max_length=60, default="Art. 79 ; annexe 1")

    class Meta:
        verbose_name = _("période d'évaluation")
        verbose_name_plural = _("périodes d'évaluation")
        unique_together = [("academic_year", "number")]
        ordering = ["academic_year", "number"]

    def __str__(self):
        return f"{self.get_number_display()} {self.academic_year.label}"


class DepartmentPeriod(models.Model):
    """What a department sets for a period: the encoding deadline and the third-period choice window
    (art. 80, 90), and when it published the timetable (art. 80)."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey("institutions.Department", on_delete=models.CASCADE, related_name="evaluation_periods")
    encoding_deadline = models.DateField(_("date limite d'encodage des notes"))
    retake_choice_opens = models.DateField(_("choix des évaluations à représenter : du"), null=True, blank=True)
    retake_choice_closes = models.DateField(_("au"), null=True, blank=True)
    timetable_published_on = models.DateField(_("horaire publié le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("période d'évaluation du département")
        verbose_name_plural = _("périodes d'évaluation des départements")
        unique_together = [("period", "department")]


class Evaluation(models.Model):
    """The date, time, place and form of an activity's evaluation in a period (art. 80, 87, 96)."""

    class Form(models.TextChoices):
        WRITTEN = "ecrit", _("Écrit")
        ORAL = "oral", _("Oral")
        CONTINUOUS = "continue", _("Évaluation continue")
        WORK = "travail", _("Travail, rapport ou projet")

    activity = models.ForeignKey("institutions.LearningActivity", on_delete=models.CASCADE, related_name="evaluations")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="evaluations")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=120)
    place = models.CharField(_("lieu"), max_length=120, blank=True)
    form = models.CharField(_("forme"), max_length=10, choices=Form.choices, default=Form.WRITTEN)
    out_of_session = models.BooleanField(_("examen hors période (art. 87)"), default=False)
    announced_date = models.DateField(_("date annoncée initialement"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation")
        unique_together = [("activity", "period")]
        ordering = ["date", "start_time"]

    def __str__(self):
        return f"{self.activity.code} — {self.date}"


class ScoreSheet(models.Model):
    """The notes of one learning activity in one period, encoded by its evaluators (art. 99, 100)."""

    activity = models.ForeignKey("institutions.LearningActivity", on_delete=models.CASCADE, related_name="score_sheets")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="sheets")
    evaluators = models.ManyToManyField(USER, blank=True, related_name="score_sheets")
    status = models.CharField(_("statut"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.OPEN)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(_("dernier rappel"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feuille de notes")
        verbose_name_plural = _("feuilles de notes")
        unique_together = [("activity", "period")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.activity.code} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class ActivityNote(models.Model):
    """One student on one sheet: whether they may sit it and why, and the note or code (art. 88-91, 100-102)."""

    class Source(models.TextChoices):
        TEACHER = "enseignant", _("Encodée par l'évaluateur")
        CARRIED = "report", _("Reportée d'une période précédente")
        ABSENCE = "absence", _("Décision sur une absence")
        FRAUD = "fraude", _("Décision de fraude")
        CORRECTION = "correction", _("Correction du secrétaire du jury")
        IMPORT = "import", _("Import XLSX")
        RETAKE = "rezero", _("Remise à zéro (PP si absent)")

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="notes")
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="activity_notes")
    may_sit = models.BooleanField(_("admis à l'évaluation"), default=True)
    excluded_reason = models.CharField(_("motif de non-admission"), max_length=250, blank=True)
    excluded_article = models.CharField(_("article"), max_length=40, blank=True)
    note = models.DecimalField(_("note /20"), max_digits=4, decimal_places=2, null=True, blank=True)
    code = models.CharField(_("note spéciale"), max_length=2, blank=True)
    source = models.CharField(_("origine"), max_length=12, choices=Source.choices, default=Source.TEACHER)
    carried_reason = models.CharField(_("motif du report"), max_length=300, blank=True)
    encoded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    encoded_at = models.DateTimeField(_("encodée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("note d'activité")
        verbose_name_plural = _("notes d'activité")
        unique_together = [("sheet", "student")]
        indexes = [models.Index(fields=["student", "sheet"])]

    @property
    def display(self) -> str:
        return grades.fr_note(self.note, self.code)

    @property
    def is_encoded(self) -> bool:
        return bool(self.code) or self.note is not None


class UEResult(models.Model):
    """The UE note of a student for a period, from regulation.grades.ue_result (art. 100), hidden from the
    student until the jury publishes it (art. 103)."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="ue_results")
    ue = models.ForeignKey("institutions.UE", on_delete=models.CASCADE, related_name="results")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="ue_results")
    note = models.DecimalField(_("note /20"), max_digits=4, decimal_places=1, null=True, blank=True)
    code = models.CharField(_("note spéciale"), max_length=11, blank=True)
    acquired = models.BooleanField(_("crédits acquis"), default=False)
    credits = models.PositiveSmallIntegerField(_("crédits"), default=0)
    reasons = models.JSONField(_("motifs"), default=list)
    complete = models.BooleanField(_("toutes les notes sont encodées"), default=False)
    computed_at = models.DateTimeField(_("calculé le"), auto_now=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("résultat d'UE")
        verbose_name_plural = _("résultats d'UE")
        unique_together = [("student", "ue", "period")]
        indexes = [models.Index(fields=["period", "student"])]

    @property
    def display(self) -> str:
        return grades.fr_note(self.note, self.code)


class Absence(models.Model):
    """An absence at an evaluation and its justification (art. 91)."""

    class Kind(models.TextChoices):
        MEDICAL = "medical", _("Maladie (certificat médical)")
        OTHER = "autre", _("Autre motif")

    class Retake(models.TextChoices):
        NONE = "", _("Pas de demande")
        SAME_PERIOD = "meme", _("Représenter dans la même période")
        NEXT_PERIOD = "suivante", _("Représenter à la période suivante")

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="absences")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("motif"), max_length=8, choices=Kind.choices)
    explanation = models.TextField(_("explication"), blank=True)
    declared_on = models.DateField(_("déclarée le"))
    proof = models.ForeignKey("dossiers.StoredFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proof_received_on = models.DateField(_("justificatif reçu le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=AbsenceStatus.choices, default=AbsenceStatus.DECLARED)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_on = models.DateField(_("décidée le"), null=True, blank=True)
    decision_reason = models.CharField(_("motif de la décision"), max_length=300, blank=True)
    retake = models.CharField(_("demande de représenter"), max_length=8, choices=Retake.choices, blank=True, default="")
    retake_requested_on = models.DateField(_("demandé le"), null=True, blank=True)
    retake_granted = models.BooleanField(_("accordé par le président du jury"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence à une évaluation")
        verbose_name_plural = _("absences aux évaluations")
        unique_together = [("student", "evaluation")]


class FraudDecision(models.Model):
    """A fraud or serious-misconduct decision recorded by the jury president: FR on the sheet (art. 110, 114)."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="fraud_decisions")
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="fraud_decisions")
    reference = models.CharField(_("référence de la décision"), max_length=80)
    decided_on = models.DateField(_("date de la décision"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("décision de fraude")
        unique_together = [("student", "sheet")]


class RetakeChoice(models.Model):
    """A student's written choice about an activity for the next period: retake a passed activity
    (art. 98, 101, 102), renounce a January retake (art. 98), or register for the 3rd period (art. 90)."""

    class Kind(models.TextChoices):
        RETAKE_PASSED = "representer", _("Représenter une activité réussie (note remise à zéro)")
        WAIVE = "renoncer", _("Renoncer à être réinterrogé (note reportée)")
        REGISTER = "inscrire", _("S'inscrire à l'évaluation de la 3e période")

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="retake_choices")
    activity = models.ForeignKey("institutions.LearningActivity", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="retake_choices")
    kind = models.CharField(_("choix"), max_length=12, choices=Kind.choices)
    chosen_on = models.DateField(_("le"))

    class Meta:
        verbose_name = _("choix pour la période suivante")
        unique_together = [("student", "activity", "period")]


class SessionOuverte(models.Model):
    """A student's period extended by the jury for force majeure (art. 85, 86)."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="sessions_ouvertes")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="sessions_ouvertes")
    until = models.DateField(_("prolongée jusqu'au"))
    reason = models.CharField(_("motif (force majeure, art. 86)"), max_length=300)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session ouverte")
        verbose_name_plural = _("sessions ouvertes")
        unique_together = [("student", "period")]


class CopyConsultation(models.Model):
    """The date the evaluator sets for students to see their copies (art. 104)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="consultations")
    at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=120)
    announced_on = models.DateField(_("annoncée le"))
    announced_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("consultation des copies")
        verbose_name_plural = _("consultations des copies")


class Procuration(models.Model):
    """A third party the student allows to receive their results (art. 103), identity checked by the secretariat."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="procurations")
    holder_name = models.CharField(_("nom du mandataire"), max_length=150)
    identity_document = models.CharField(_("carte d'identité (numéro)"), max_length=40)
    identity_checked = models.BooleanField(_("identité vérifiée"), default=False)
    recorded_on = models.DateField(_("enregistrée le"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_on = models.DateField(_("révoquée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procuration")


class CalendarToken(models.Model):
    """The private token of a person's ICS feed of evaluations (art. 80)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="evaluation_calendar")
    token = models.CharField(max_length=64, unique=True, editable=False)

    @classmethod
    def for_user(cls, user) -> "CalendarToken":
        obj, _created = cls.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
        return obj


class ExtraAttempt(models.Model):
    """The department director's exceptional, motivated authorisation to present a UE more than twice in the
    academic year (art. 83), for one period."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="extra_attempts")
    ue = models.ForeignKey("institutions.UE", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="extra_attempts")
    motivation = models.CharField(_("motivation (art. 83)"), max_length=500)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("décidée le"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("autorisation de présentation supplémentaire")
        verbose_name_plural = _("autorisations de présentation supplémentaire")
        unique_together = [("student", "ue", "period")]


class Assessor(models.Model):
    """A HELHa teacher designated by the jury president to attend an evaluation (art. 99). Does not encode notes."""

    class Origin(models.TextChoices):
        PRESIDENT = "president", _("initiative du président du jury")
        EVALUATOR = "evaluator", _("demande d'un évaluateur")
        STUDENT = "student", _("demande écrite et motivée d'un étudiant")

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(_("à l'initiative de"), max_length=12, choices=Origin.choices)
    student = models.ForeignKey("students.Student", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_on = models.DateField(_("demande du"), null=True, blank=True)
    motivation = models.CharField(_("motivation"), max_length=500, blank=True)
    designated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assesseur")
        verbose_name_plural = _("assesseurs")
        unique_together = [("sheet", "user")]
