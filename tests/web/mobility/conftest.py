"""Shared fixtures of the mobility tests: a call of the social-work bachelor sent to HENALLUX and HERS, a submitted
candidature, a selected one authorised by the department, and its mobility dossier run by HERS."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours.accounts.models import Role
from parcours.dossiers.services import upload_document
from parcours.exchanges import files, services
from parcours.exchanges.models import GrantRate, HostCourse
from parcours.institutions.models import Institution
from parcours.students.models import AcquiredCredit
from tests.factories import InstitutionFactory, UEFactory, UserFactory, role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA = "Cohérence du projet avec la formation\nNiveau de langue"


@pytest.fixture
def mobility(world, settings):
    settings.PARCOURS_TODAY = "2024-01-15"
    henallux = InstitutionFactory(code="HENALLUX", name="HENALLUX", kind=Institution.Kind.PARTNER)
    hers = InstitutionFactory(code="HERS", name="HERS", kind=Institution.Kind.PARTNER)
    world.programme.co_organised_with.set([henallux, hers])
    porto = InstitutionFactory(code="UPORTO", name="Universidade do Porto", kind=Institution.Kind.HOST, country="PT")
    laval = InstitutionFactory(code="ULAVAL", name="Université Laval", kind=Institution.Kind.HOST, country="CA")
    call = services.open_call(
        actor=world.users["bureau_international"], programme_id=world.programme.pk, mobility_year="2024-2025",
        title="Erasmus AS 2024-2025", department_min_credits=45, selection_criteria=CRITERIA, isced_f_code="0923",
        destinations=[{"host_id": porto.pk, "kind": "SMS", "places": 1, "language": "pt", "language_level": "B1",
                       "period": "Q1", "host_contact_name": "Ana Silva", "host_contact_email": "ana.silva@up.pt"},
                      (laval.pk, "SMS", 2), (laval.pk, "SMT", None)])
    coordinators = {code: role(UserFactory(email=f"ri@{code.lower()}.be", first_name="Coord", last_name=code),
                               Role.RI_COORDINATOR, institution=inst)
                    for code, inst in (("HENALLUX", henallux), ("HERS", hers))}
    for i in range(5):
        ue = UEFactory(programme=world.programme, code=f"AS1{i}", credits=10, bloc=1)
        AcquiredCredit.objects.create(student=world.student, ue=ue, academic_year="2022-2023", note=12)
    return {"call": call, "porto": call.destinations.get(host=porto), "laval": call.destinations.get(host=laval, kind="SMS"),
            "laval_stage": call.destinations.get(host=laval, kind="SMT"),
            "henallux": henallux, "hers": hers, "coordinators": coordinators}


def candidature(world, m, *dest):
    return services.start_candidature(actor=world.student.user, call_id=m["call"].pk,
                                      destination_ids=[d.pk for d in dest] or [m["porto"].pk])


def upload_all(world, c, codes=None):
    for slot in c.dossier.slots.all():
        if codes is None or slot.code in codes:
            upload_document(actor=world.student.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("doc.pdf", PDF))


@pytest.fixture
def submitted(world, mobility):
    c = candidature(world, mobility, mobility["porto"], mobility["laval"])
    upload_all(world, c)
    return services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, on=dt.date(2023, 12, 1))


@pytest.fixture
def selected(world, mobility, submitted):
    committee = world.users["comite_mobilite"]
    services.evaluate(actor=mobility["coordinators"]["HERS"], candidature_id=submitted.pk, score="15,5", comment="Solide")
    c = services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk,
                        criteria=["Cohérence du projet avec la formation"])
    return services.authorise(actor=world.users["direction_departement"], candidature_id=c.pk, authorised=True)


@pytest.fixture
def mobility_file(world, mobility, selected):
    return files.open_file(actor=mobility["coordinators"]["HERS"], candidature_id=selected.pk,
                           start=dt.date(2024, 9, 16), end=dt.date(2025, 1, 31))


@pytest.fixture
def catalogue(mobility):
    host = mobility["porto"].host
    return [HostCourse.objects.create(host=host, code=code, title=title, ects=ects, semester=1)
            for code, title, ects in (("PT-SOC1", "Serviço social", 15), ("PT-POL", "Políticas sociais", 15),
                                      ("PT-ALT", "Outra", 15), ("PT-X", "Seminário", 4))]


@pytest.fixture
def rates(mobility):
    GrantRate.objects.create(institution=mobility["hers"], purpose="etudes", group="Groupe 2",
                             countries="AT,BE,CY,DE,ES,FR,GR,IT,MT,NL,PT", monthly=Decimal("520"),
                             fwb_topup_monthly=Decimal("250"), first_instalment_percent=80)
