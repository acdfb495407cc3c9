"""People and their roles, each role scoped to an institution, a department or a programme."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """Log-in and password reset find the person whatever the case of the address they type."""
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    language = models.CharField(_("langue"), max_length=5, choices=settings.LANGUAGES, default="fr")

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]
        # The staff student list is sorted by name: walked in this index's order, a page costs 25 rows.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="user_name_order")]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return self.full_name(self.first_name, self.last_name)

    @staticmethod
    def full_name(first_name: str, last_name: str) -> str:
        """The name as ``get_full_name`` writes it, from the two columns (lists read as values, without the user)."""
        return f"{first_name} {last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class Role(models.TextChoices):
    STUDENT = "etudiant", _("Étudiant")
    SECRETARIAT = "secretariat", _("Secrétariat")
    ADMISSION = "commission_admission", _("Commission d'admission")
    TEACHER = "enseignant", _("Enseignant")
    JURY_PRESIDENT = "president_jury", _("Président de jury")
    JURY_SECRETARY = "secretaire_jury", _("Secrétaire de jury")
    RI_COORDINATOR = "coordinateur_ri", _("Coordinateur RI local")
    INTERNATIONAL_OFFICE = "bureau_international", _("Bureau International")
    MOBILITY_COMMITTEE = "comite_mobilite", _("Comité de mobilité")
    SOCIAL_WORKER = "assistant_social", _("Travailleur social")
    DEPARTMENT_DIRECTION = "direction_departement", _("Direction de département")
    DOMAIN_DIRECTION = "direction_domaine", _("Direction de domaine")
    COLLEGE = "college_direction", _("Collège de direction")
    DPO = "dpo", _("Délégué à la protection des données")
    COMMISSIONER = "commissaire", _("Commissaire du Gouvernement")


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    institution = models.ForeignKey("institutions.Institution", null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey("institutions.Department", null=True, blank=True, on_delete=models.CASCADE)
    programme = models.ForeignKey("institutions.Programme", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("attribution de rôle")
        verbose_name_plural = _("attributions de rôle")
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        scope = self.programme or self.department or self.institution or _("toute l'institution")
        return f"{self.user} — {self.get_role_display()} ({scope})"


class ApiToken(models.Model):
    """A personal API token; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("libellé"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, label: str) -> tuple["ApiToken", str]:
        raw = "prc_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, label=label, key_hash=cls.hash(raw)), raw

    def __str__(self):
        return f"{self.label} ({self.user})"
