"""Each person's home lists their own work (not the secretariat's documents list); counts and plurals are right;
a request to a department with no staff account reaches the domain direction."""

import datetime as dt

import pytest
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.admissions import services
from parcours.admissions.models import FraudCase
from parcours.students.models import Student
from tests.factories import DepartmentFactory, ProgrammeFactory, StudentFactory, UserFactory, role
from tests.web.admissions_support import complete, submit


def home(client, user, **params):
    client.force_login(user)
    return client.get(reverse("home"), params).content.decode()


def test_the_commission_opens_on_complete_dossiers_to_decide(client, world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    page = home(client, world.users["commission_admission"])
    assert "1 dossier complet à décider" in page and reverse("request_detail", args=[req.pk]) in page
    assert "Documents à vérifier" not in page  # not the secretariat's list
    assert "1 dossier complet à décider" in home(client, world.users["commission_admission"],
                                                 programme=world.programme.pk, bloc=1)
    assert "0 dossier complet à décider" in home(client, world.users["commission_admission"], bloc=2)
    services.accept(actor=world.users["commission_admission"], request_id=req.pk)
    assert "1 programme annuel à proposer" in home(client, world.users["commission_admission"])


@pytest.mark.article("36", "40")
@pytest.mark.parametrize("language,forms", [
    ("fr", ("0 dossier complet à décider", "1 dossier complet à décider", "2 dossiers complets à décider")),
    ("en", ("0 complete files to decide", "1 complete file to decide", "2 complete files to decide"))])
def test_counts_take_the_plural_of_the_readers_language(client, world, applicant, on, language, forms):
    """French puts 0 and 1 in the singular, English only 1 (the fr catalogue's Plural-Forms: n > 1)."""
    on("2023-09-20")
    commission = world.users["commission_admission"]
    commission.language = language
    commission.save()
    second = StudentFactory(user=UserFactory(email="second@test.helha.be"))
    role(second.user, Role.STUDENT)
    seen = [home(client, commission)]
    complete(submit(applicant, world), world)
    seen.append(home(client, commission))
    complete(submit(second, world), world)
    seen.append(home(client, commission))
    for page, expected in zip(seen, forms, strict=True):
        assert expected in page


def test_the_direction_opens_on_non_financable_requests(client, world, applicant, on):
    on("2023-09-20")
    req = submit(applicant, world)
    req.decision = {**req.decision, "financabilite": {"outcome": {"financable": False}, "reasons": []}}
    req.save()
    page = home(client, world.users["direction_departement"])
    assert "1 demande d'un étudiant non finançable" in page and applicant.user.last_name in page
    # art. 127: the direction constitutes its department's juries: the way there starts from its home
    assert reverse("juries:create") in page and reverse("juries:list") in page


def test_a_request_to_a_department_without_staff_reaches_the_domain_direction(client, world, applicant, on):
    on("2023-09-20")
    empty = DepartmentFactory(code="AGRO", name="Département des sciences agronomiques", domain="Agronomie")
    programme = ProgrammeFactory(name="Bachelier en agronomie", department=empty, fee_section="AIBT", fee_site="Mss")
    req = services.submit_request(actor=applicant.user, programme_id=programme.pk)
    domain = role(UserFactory(email="domaine@test.helha.be"), Role.DOMAIN_DIRECTION, department=world.programme.department)
    page = home(client, domain)
    assert "1 demande adressée à un département sans personnel" in page
    assert client.get(reverse("request_detail", args=[req.pk])).status_code == 200
    client.force_login(world.users["secretariat"])  # the social department's secretariat: not theirs
    assert client.get(reverse("request_detail", args=[req.pk])).status_code == 404


def test_the_college_social_worker_commissioner_and_dpo_homes(client, world, applicant, on):
    on("2023-09-20")
    req = submit(applicant, world)
    on("2023-10-02")
    FraudCase.objects.create(student=world.student, academic_year="2023-2024", facts="Faux diplôme",
                             reported_on=dt.date(2023, 10, 1))
    assert "1 procès-verbal de fraude" in home(client, world.users["college_direction"])
    Student.objects.filter(pk=world.student.pk).update(grant_status=Student.Grant.PRESUME)
    page = home(client, world.users["assistant_social"])
    assert "1 étudiant présumé boursier" in page and world.student.user.last_name in page
    services.declare_irrecevable(actor=world.users["secretariat"], request_id=req.pk)
    page = home(client, world.users["commissaire"])
    assert "1 décision d'irrecevabilité ou de refus" in page and applicant.user.last_name in page
    assert "Demande déclarée irrecevable" in home(client, world.users["dpo"])


def test_a_person_with_two_roles_switches_between_homes(client, world):
    user = world.users["commission_admission"]
    role(user, Role.SOCIAL_WORKER, department=world.programme.department)
    page = home(client, user)
    assert "Travailleur social" in page  # offered as the other home
    assert "0 étudiant présumé boursier" in home(client, user, role=Role.SOCIAL_WORKER.value)


def test_the_admissions_queue_filters_by_programme_and_bloc_with_complete_counts(client, world, applicant, on):
    on("2023-09-20")
    complete(submit(applicant, world), world)
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("admissions_queue")).content.decode()
    assert '<span class="stat">1</span><br>Toutes' in page
    page = client.get(reverse("admissions_queue"), {"bloc": 2}).content.decode()
    assert '<span class="stat">0</span><br>Toutes' in page and "Aucune demande." in page
    page = client.get(reverse("admissions_queue"), {"programme": world.programme.pk, "bloc": 1}).content.decode()
    assert '<span class="stat">1</span><br>Toutes' in page and applicant.user.last_name in page


def test_jury_roles_reading_the_lists_are_not_offered_the_secretariats_work(client, world):
    secretariat = home(client, world.users["secretariat"])
    assert "demande complète à décider" in secretariat and "document à vérifier" in secretariat  # 0: singular
    for persona in ("president_jury", "secretaire_jury"):
        assert "tâche" in home(client, world.users[persona])  # their own home: the jury's work by date
        page = home(client, world.users[persona], listes=1)
        assert "demande complète à décider" not in page and "document à vérifier" not in page, persona
        assert "dossiers ouverts" in page  # what they may read stays, one link away
