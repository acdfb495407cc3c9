import datetime as dt

import factory
import faker

from parcours.accounts.models import RoleAssignment, User
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.institutions.models import UE, AcademicYear, Department, Institution, Programme
from parcours.students.models import Registration, Student

PASSWORD = "Mot-de-passe-de-test-1"

# Tests look for the personas' own names on pages ("Dupont" visible, "Peeters" not): a random name must never be one of
# them, nor contain one, or a teacher drawn as "Dupont" makes a leak test fail by chance.
PERSONA_NAMES = ("Dupont", "Peeters", "Léa", "Lucas")
_fake = faker.Faker("fr_BE")


def _name(draw) -> str:
    while True:
        name = draw()
        if not any(p in name or name in p for p in PERSONA_NAMES):
            return name


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.helha.be")
    first_name = factory.LazyFunction(lambda: _name(_fake.first_name))
    last_name = factory.LazyFunction(lambda: _name(_fake.last_name))
    password = factory.django.Password(PASSWORD)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["code"]

    code = "HELHA"
    name = "Haute École Louvain en Hainaut"
    kind = Institution.Kind.HOME


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    institution = factory.SubFactory(InstitutionFactory)
    code = "SOCIAL"
    name = "Département social"
    domain = "Sciences politiques et sociales"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["name"]

    name = "Bachelier : assistant social"
    domain = "Sciences politiques et sociales"
    type = "court"
    cycle = 1
    kind = "bachelier"
    min_credits = 180
    department = factory.SubFactory(DepartmentFactory)
    fee_section = "Assistant-e Social-e"
    fee_site = "Mons"


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ["label"]

    label = "2023-2024"
    start = dt.date(2023, 9, 14)
    end = dt.date(2024, 9, 13)


class UEFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UE

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"UE{n:03d}")
    title = "Sociologie"
    credits = 10
    bloc = 1
    quadrimestre = "1"


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    user = factory.SubFactory(UserFactory)
    matricule = factory.Sequence(lambda n: f"HE{100000 + n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    student = factory.SubFactory(StudentFactory)
    academic_year = factory.SubFactory(AcademicYearFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    bloc = 1
    stage = "DC"
    status = Registration.Status.REGULAR
    registered_on = dt.date(2023, 9, 29)


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    student = factory.SubFactory(StudentFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    academic_year = factory.SubFactory(AcademicYearFactory)
    kind = Dossier.Kind.REGISTRATION
    title = "Inscription 2023-2024"


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSlot

    dossier = factory.SubFactory(DossierFactory)
    code = factory.Sequence(lambda n: f"piece{n}")
    label = "Copie de la carte d'identité"
    article = "Art. 24"
    due_date = dt.date(2023, 10, 31)


def role(user, role, *, department=None, programme=None, institution=None):
    RoleAssignment.objects.create(user=user, role=role, department=department, programme=programme,
                                  institution=institution)
    return user
