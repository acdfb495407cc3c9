"""Fixtures and helpers shared by the admission, payment and programme tests."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours.accounts.models import Role
from parcours.admissions import payments, services
from parcours.dossiers.services import review_document, upload_document
from tests.factories import StudentFactory, UEFactory, UserFactory, role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def applicant(world):
    student = StudentFactory(user=UserFactory(email="candidate@test.helha.be", first_name="Inès", last_name="Maes"))
    role(student.user, Role.STUDENT)
    return student


@pytest.fixture
def on(settings):
    def set_today(day: str):
        settings.PARCOURS_TODAY = day
        return dt.date.fromisoformat(day)

    return set_today


def submit(applicant, world, **kw):
    return services.submit_request(actor=applicant.user, programme_id=world.programme.pk, **kw)


def complete(req, world):
    for slot in req.dossier.slots.all():
        upload_document(actor=req.student.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("doc.pdf", PDF))
        review_document(actor=world.users["secretariat"], slot_id=slot.pk, accept=True)
    req.refresh_from_db()
    return req


@pytest.fixture
def registered(world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    return services.accept(actor=world.users["secretariat"], request_id=req.pk).registration


@pytest.fixture
def bloc1(world):
    return [UEFactory(programme=world.programme, code=f"AS1{i:02d}", credits=10, bloc=1) for i in range(6)]


def fees_total(reg):
    from parcours.regulation import fees

    return fees.compute(payments.fee_facts(reg)).outcome["total"]
