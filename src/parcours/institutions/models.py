"""Institutions, departments, sites, academic years, programmes and their UEs."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", _("Haute École (HELHa)")
        PARTNER = "partner", _("Établissement coorganisateur")
        HOST = "host", _("Établissement d'accueil à l'étranger")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    country = models.CharField(_("pays"), max_length=2, default="BE")
    city = models.CharField(_("ville"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("institution")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="departments")
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    domain = models.CharField(_("domaine"), max_length=200)

    class Meta:
        verbose_name = _("département")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Site(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("implantation"), max_length=100)
    city = models.CharField(_("ville"), max_length=100)

    class Meta:
        verbose_name = _("implantation")
        unique_together = [("institution", "name")]

    def __str__(self):
        return f"{self.name} ({self.city})"


class AcademicYear(models.Model):
    label = models.CharField(_("année académique"), max_length=9, unique=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        verbose_name = _("année académique")
        ordering = ["-start"]

    def __str__(self):
        return self.label


class Programme(models.Model):
    class Type(models.TextChoices):
        COURT = "court", _("type court")
        LONG = "long", _("type long")

    class Kind(models.TextChoices):
        BACHELIER = "bachelier", _("Bachelier")
        SPECIALISATION = "bachelier_specialisation", _("Bachelier de spécialisation")
        MASTER = "master", _("Master")

    name = models.CharField(_("intitulé"), max_length=250, unique=True)
    domain = models.CharField(_("domaine"), max_length=200)
    type = models.CharField(_("type"), max_length=5, choices=Type.choices)
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    kind = models.CharField(_("grade"), max_length=30, choices=Kind.choices)
    min_credits = models.PositiveSmallIntegerField(_("crédits (minimum légal)"), null=True, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="programmes")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL)
    # The annexe-2 row this programme is priced by (art. 47).
    fee_section = models.CharField(_("section (annexe 2)"), max_length=120, blank=True)
    fee_site = models.CharField(_("implantation (annexe 2)"), max_length=60, blank=True)
    co_organised_with = models.ManyToManyField(Institution, blank=True, related_name="co_organised_programmes")

    class Meta:
        verbose_name = _("programme")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UE(models.Model):
    """Unité d'enseignement (art. 63)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ues")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=250)
    credits = models.PositiveSmallIntegerField(_("crédits"))
    bloc = models.PositiveSmallIntegerField(_("bloc"))
    quadrimestre = models.CharField(_("quadrimestre"), max_length=3, choices=[("1", "Q1"), ("2", "Q2"), ("1-2", "Q1-Q2")])
    weight = models.DecimalField(_("pondération"), max_digits=5, decimal_places=2, default=Decimal(1))
    language = models.CharField(_("langue"), max_length=5, default="fr")
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="required_by")
    corequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="co_required_by")
    teachers = models.ManyToManyField("accounts.User", blank=True, related_name="ues_taught")

    class Meta:
        verbose_name = _("unité d'enseignement")
        verbose_name_plural = _("unités d'enseignement")
        unique_together = [("programme", "code")]
        ordering = ["programme", "bloc", "code"]

    def __str__(self):
        return f"{self.code} — {self.title}"


class LearningActivity(models.Model):
    """Activité d'apprentissage (art. 65)."""

    ue = models.ForeignKey(UE, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=250)
    weight = models.DecimalField(_("pondération"), max_digits=5, decimal_places=2, default=Decimal(1))

    class Meta:
        verbose_name = _("activité d'apprentissage")
        verbose_name_plural = _("activités d'apprentissage")
        unique_together = [("ue", "code")]

    def __str__(self):
        return f"{self.code} — {self.title}"
