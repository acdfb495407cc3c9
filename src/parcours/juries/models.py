"""Juries (art. 127-128, 131), deliberation sessions (art. 128-135), the jury's grants and mentions
(art. 134-136, annexes 3 and 6) and the decisions it proclaims (art. 103, 136)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parcours.juries.workflow import SessionStatus
from parcours.regulation.deliberation import ANNEXE3_CRITERIA


class Jury(models.Model):
    """One jury per cycle and programme of a department (art. 127); optionally a first-year sub-jury."""

    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="juries")
    academic_year = models.ForeignKey("institutions.AcademicYear", on_delete=models.PROTECT)
    first_year_subjury = models.BooleanField(_("sous-jury de première année (art. 127)"), default=False)
    president = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juries_presided")
    # Art. 128: when the director is unavailable, the domain director designates the replacement.
    president_replaces = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("remplace le directeur de département"))
    president_designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="+",
                                                verbose_name=_("désigné par le directeur de domaine"))
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juries_secretary")
    # Annexe 6: which weighting applies to this programme (domain and kind of the annexe).
    mention_domain = models.CharField(_("domaine (annexe 6)"), max_length=40, blank=True)
    mention_kind = models.CharField(_("type de cursus (annexe 6)"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jury")
        unique_together = [("programme", "academic_year", "first_year_subjury")]

    def __str__(self):
        sub = " — 1re année" if self.first_year_subjury else ""
        return f"Jury {self.programme}{sub} ({self.academic_year})"


class JuryMember(models.Model):
    """A teacher responsible for a UE in the PAE of a student of the cycle (art. 128), computed then editable."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_memberships")
    from_responsibilities = models.BooleanField(_("issu des responsabilités d'UE"), default=True)
    examined = models.BooleanField(_("a participé aux épreuves de l'année"), default=True)

    class Meta:
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        unique_together = [("jury", "user")]
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return str(self.user)


class Relationship(models.Model):
    """A relationship a member declares with a student (art. 131)."""

    class Kind(models.TextChoices):
        SPOUSE = "conjoint", _("Conjoint")
        RELATIVE = "parent", _("Parent")
        IN_LAW = "allie", _("Allié")

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="relationships")
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("lien"), max_length=10, choices=Kind.choices)
    degree = models.PositiveSmallIntegerField(_("degré"), null=True, blank=True)
    barred = models.BooleanField(_("ne peut siéger pour cet étudiant"), default=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lien déclaré")
        unique_together = [("member", "student")]


class MentionSetting(models.Model):
    """The institution's percentage for each mention (art. 136: "critère de pourcentage requis"), per year."""

    academic_year = models.OneToOneField("institutions.AcademicYear", on_delete=models.CASCADE,
                                         related_name="mention_setting")
    satisfaction = models.DecimalField(_("satisfaction (%)"), max_digits=5, decimal_places=2)
    distinction = models.DecimalField(_("distinction (%)"), max_digits=5, decimal_places=2)
    grande_distinction = models.DecimalField(_("grande distinction (%)"), max_digits=5, decimal_places=2)
    plus_grande_distinction = models.DecimalField(_("plus grande distinction (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("décision de l'établissement"), max_length=250)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seuils de mention")
        verbose_name_plural = _("seuils de mention")

    def thresholds(self) -> dict:
        return {"satisfaction": self.satisfaction, "distinction": self.distinction,
                "grande_distinction": self.grande_distinction, "plus_grande_distinction": self.plus_grande_distinction}


class DeliberationSession(models.Model):
    """The jury's deliberation after one evaluation period (art. 133)."""

    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="sessions")
    period = models.PositiveSmallIntegerField(_("période d'évaluation"), choices=[(1, "1"), (2, "2"), (3, "3")])
    status = models.CharField(_("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PREPARED)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    quorum_valid = models.BooleanField(_("quorum atteint"), default=False)
    quorum = models.JSONField(_("quorum et ses articles"), default=dict, blank=True)
    reopen_reason = models.TextField(_("motif de la dernière réouverture"), blank=True)
    publish_at = models.DateTimeField(_("publication des résultats le"), null=True, blank=True)
    published = models.BooleanField(_("résultats publiés"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("séance de délibération")
        verbose_name_plural = _("séances de délibération")
        unique_together = [("jury", "period")]
        ordering = ["jury", "period"]

    def __str__(self):
        return f"{self.jury} — période {self.period}"


class Attendance(models.Model):
    session = models.ForeignKey(DeliberationSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("présent"), default=False)

    class Meta:
        unique_together = [("session", "member")]


class Grant(models.Model):
    """Credits of a failed UE granted by the jury (art. 134), motivated by annexe-3 criteria (art. 130, 135)."""

    session = models.ForeignKey(DeliberationSession, on_delete=models.PROTECT, related_name="grants")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="+")
    ue = models.ForeignKey("institutions.UE", on_delete=models.PROTECT, related_name="+")
    note_before = models.CharField(_("note avant délibération"), max_length=10)
    criteria = models.JSONField(_("critères (annexe 3)"), default=list)
    motivation = models.TextField(_("motivation"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("octroi de crédits")
        verbose_name_plural = _("octrois de crédits")
        unique_together = [("session", "student", "ue")]

    @property
    def criteria_labels(self) -> list[str]:
        return [ANNEXE3_CRITERIA.get(key, key) for key in self.criteria]


class Decision(models.Model):
    """The jury's decision on one student in a session, frozen when the session closes."""

    session = models.ForeignKey(DeliberationSession, on_delete=models.PROTECT, related_name="decisions")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="jury_decisions")
    registration = models.ForeignKey("students.Registration", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("décision"), max_length=40)
    credits_acquired = models.PositiveSmallIntegerField(_("crédits acquis"), default=0)
    pae_credits = models.PositiveSmallIntegerField(_("crédits du PAE"), default=0)
    average = models.DecimalField(_("moyenne"), max_digits=5, decimal_places=2, null=True, blank=True)
    mention = models.CharField(_("mention"), max_length=40, blank=True)
    mention_percentage = models.DecimalField(_("pourcentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    mention_raised = models.BooleanField(_("mention supérieure attribuée (art. 136)"), default=False)
    mention_motivation = models.TextField(_("motivation de la mention"), blank=True)
    degree_conferred = models.BooleanField(_("grade conféré"), default=False)
    detail = models.JSONField(_("détail (UE, notes, articles)"), default=dict)
    # Art. 85, 103: a student deliberated after their session ouverte is published later than the session.
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # Art. 136: the diploma is issued within three months of the proclamation; the president records the day.
    diploma_issued_on = models.DateField(_("diplôme délivré le"), null=True, blank=True)
    diploma_issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("diplôme délivré par"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("décision du jury")
        verbose_name_plural = _("décisions du jury")
        unique_together = [("session", "student")]

    @property
    def average_display(self) -> str:
        """The weighted average as the grid writes it: the one note formatter (12 ; 11,5), "—" for none."""
        from parcours.regulation.grades import fr_note

        return fr_note(self.average) or "—"


class MentionRaise(models.Model):
    """A higher mention granted by the jury after motivation (art. 136), recorded during the session."""

    session = models.ForeignKey(DeliberationSession, on_delete=models.PROTECT, related_name="mention_raises")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="+")
    motivation = models.TextField(_("motivation"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mention supérieure")
        unique_together = [("session", "student")]
