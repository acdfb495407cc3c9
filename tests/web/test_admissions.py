"""Admission and registration (art. 22-46): the request, its documents, the decisions on it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from parcours.admissions import reminders, services
from parcours.admissions.models import AdmissionRequest
from parcours.admissions.workflow import RequestStatus
from parcours.students.models import Registration
from tests.factories import ProgrammeFactory
from tests.web.admissions_support import PDF, complete, fees_total, submit  # noqa: F401

MOTIVATION = "Vos inscriptions précédentes ne permettent pas de vous financer cette année."


@pytest.mark.article("23", "24", "22")
def test_an_online_request_in_time_opens_a_dossier_and_acknowledges(
    world, applicant, on, django_capture_on_commit_callbacks
):
    on("2023-09-20")
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(applicant, world)
    assert req.status == RequestStatus.SUBMITTED
    assert sorted(req.dossier.slots.values_list("code", flat=True)) == ["identite", "parcours", "photo", "titre_acces"]
    assert set(req.dossier.slots.values_list("due_date", flat=True)) == {dt.date(2023, 9, 30)}
    assert mail.outbox[0].to == ["candidate@test.helha.be"] and "Demande d'admission reçue" in mail.outbox[0].subject
    assert "ne vaut pas inscription" in mail.outbox[0].body


@pytest.mark.article("22", "32", "33")
@pytest.mark.parametrize(
    "day,kind,motivation,ok",
    [
        ("2023-09-30", "inscription", "", True),
        ("2023-10-01", "inscription", "", False),
        ("2024-02-15", "tardive", "Hospitalisation en septembre.", True),
        ("2024-02-16", "tardive", "Motif", False),
        ("2024-01-10", "tardive", "", False),
        ("2023-12-14", "reorientation", "Autre vocation", True),
        ("2023-12-20", "reorientation", "Autre vocation", False),
    ],
)
def test_requests_only_in_their_window(world, applicant, on, day, kind, motivation, ok):
    on(day)
    if ok:
        assert submit(applicant, world, kind=kind, motivation=motivation).status == RequestStatus.SUBMITTED
    else:
        with pytest.raises(services.AdmissionError, match="hors délai"):
            submit(applicant, world, kind=kind, motivation=motivation)


@pytest.mark.article("25")
def test_nursing_asks_for_the_criminal_record_and_aptitude(world, applicant, on):
    on("2023-09-10")
    nursing = ProgrammeFactory(
        name="Bachelier : infirmier responsable de soins généraux", department=world.programme.department
    )
    req = services.submit_request(actor=applicant.user, programme_id=nursing.pk)
    assert {"casier_judiciaire", "certificat_aptitude"} <= set(req.dossier.slots.values_list("code", flat=True))


@pytest.mark.article("161", "39")
def test_a_health_programme_asks_for_the_hepatitis_b_proof_without_holding_the_dossier_back(world, applicant, on):
    on("2023-09-10")
    nursing = ProgrammeFactory(
        name="Bachelier : infirmier responsable de soins généraux", department=world.programme.department
    )
    slot = services.submit_request(actor=applicant.user, programme_id=nursing.pk).dossier.slots.get(
        code="vaccination_hepatite_b")
    assert slot.article == "Art. 161" and slot.required is False
    social = submit(applicant, world)  # Bachelier : assistant social, outside the health domains
    assert not social.dossier.slots.filter(code="vaccination_hepatite_b").exists()


def test_a_second_request_for_the_same_programme_is_refused(world, applicant, on):
    on("2023-09-10")
    submit(applicant, world)
    with pytest.raises(services.AdmissionError, match="déjà en cours"):
        submit(applicant, world)


@pytest.mark.article("26")
def test_a_complete_dossier_becomes_the_final_request_no_earlier_than_the_rentree(world, applicant, on):
    on("2023-09-01")
    req = complete(submit(applicant, world), world)
    assert req.status == RequestStatus.FINAL and req.final_request_on == dt.date(2023, 9, 14)


@pytest.mark.article("39", "26", "180")
def test_irrecevable_when_completed_after_30_september(world, applicant, on, django_capture_on_commit_callbacks):
    on("2023-09-25")
    req = submit(applicant, world)
    on("2023-10-02")
    req = complete(req, world)
    assert req.final_request_on == dt.date(2023, 10, 2)
    on("2023-10-10")
    with django_capture_on_commit_callbacks(execute=True):
        req = services.declare_irrecevable(actor=world.users["secretariat"], request_id=req.pk)
    assert req.status == RequestStatus.IRRECEVABLE
    assert req.decision["irrecevabilite"]["outcome"]["grounds"] == ["Art. 26"]
    assert req.decision["appeal"]["outcome"]["until"] == "2023-10-31"  # 15 working days from 11 October
    message = mail.outbox[-1]
    assert "irrecevable" in message.subject.lower() and "Commissaire" in message.body


@pytest.mark.article("39", "16", "17", "18")
def test_a_recevable_dossier_cannot_be_declared_irrecevable_unless_access_fails(world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    with pytest.raises(services.AdmissionError, match="recevable"):
        services.declare_irrecevable(actor=world.users["secretariat"], request_id=req.pk)
    req = services.declare_irrecevable(actor=world.users["secretariat"], request_id=req.pk, access_conditions_met=False)
    assert req.decision["irrecevabilite"]["outcome"]["grounds"] == ["Art. 16-19"]


@pytest.mark.article("40", "178")
def test_refusal_needs_a_ground_of_article_40(world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    with pytest.raises(services.AdmissionError, match="art. 40"):
        services.refuse(actor=world.users["direction_departement"], request_id=req.pk, motivation=MOTIVATION)
    req = services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True,
                        motivation=MOTIVATION)
    assert req.status == RequestStatus.REFUSED
    assert req.decision["refus"]["outcome"]["optional"] == ["Art. 40, 3°"]
    # 10 calendar days from 20 September, 27 September (holiday) not counted: Sunday 1 October → Monday 2 October.
    assert req.decision["appeal"]["outcome"]["until"] == "2023-10-02"


@pytest.mark.article("28", "29")
def test_acceptance_makes_a_regular_registration(world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    req = services.accept(actor=world.users["secretariat"], request_id=req.pk)
    reg = req.registration
    assert req.status == RequestStatus.REGULAR and reg.status == Registration.Status.REGULAR
    assert reg.registered_on == dt.date(2023, 9, 20)
    assert req.decision["inscription"]["outcome"] == "2023-10-11"  # 15 working days for the attestations
    assert req.decision["financabilite"]["outcome"]["financable"] is True


def test_refused_transitions(world, applicant, on):
    on("2023-09-20")
    req = submit(applicant, world)
    with pytest.raises(services.AdmissionError, match="Impossible"):
        services.accept(actor=world.users["secretariat"], request_id=req.pk)  # documents still missing
    req = complete(req, world)
    services.accept(actor=world.users["secretariat"], request_id=req.pk)
    for action in (services.accept, services.refuse):
        with pytest.raises(services.AdmissionError):
            action(
                actor=world.users["secretariat"],
                request_id=req.pk,
                **({"non_financable": True} if action is services.refuse else {}),
            )


@pytest.mark.parametrize(
    "persona", ["candidate", "autre_etudiant", "secretariat_autre_departement", "commissaire", "dpo", "enseignant"]
)
def test_only_reviewers_of_the_scope_decide(world, applicant, on, persona):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    actor = applicant.user if persona == "candidate" else world.users[persona]
    with pytest.raises(services.AdmissionError, match="pas autorisé"):
        services.accept(actor=actor, request_id=req.pk)


def test_screens(client, world, registered, applicant):
    client.force_login(world.users["secretariat"])
    queue = client.get(reverse("admissions_queue")).content.decode()
    assert "Maes" in queue and "Inscription régulière" in queue
    export = client.get(reverse("admissions_export")).content.decode("utf-8-sig")
    assert export.splitlines()[0].startswith("matricule;nom") and applicant.matricule in export
    req = AdmissionRequest.objects.get(registration=registered)
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "Droits d&#x27;inscription" in page or "Droits d'inscription" in page
    response = client.post(
        reverse("request_payment", args=[req.pk]),
        {"amount": "50", "paid_on": "2023-10-01", "method": "virement", "reference": "X1"},
    )
    assert response.status_code == 302
    receipt = client.get(reverse("receipt", args=[registered.pk]))
    assert receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")
    client.force_login(world.users["autre_etudiant"])
    assert client.get(reverse("request_detail", args=[req.pk])).status_code == 404
    assert client.get(reverse("admissions_queue")).status_code == 404
    assert client.get(reverse("receipt", args=[registered.pk])).status_code == 404


@pytest.mark.article("36", "35")
def test_a_non_financable_applicant_files_the_art_36_letter(world, applicant, on):
    from parcours.students.models import PastRegistration

    for y in (2021, 2022):
        PastRegistration.objects.create(
            student=applicant,
            academic_year=f"{y}-{y + 1}",
            cycle=1,
            cursus=world.programme.name,
            pae_credits=60,
            credits_acquired=10,
            new_rules=True,
        )
    on("2023-09-10")
    req = submit(applicant, world)
    assert req.decision["financabilite"]["outcome"] == {"regime": "nouvelles", "financable": False}
    assert "lettre_art36" in req.dossier.slots.values_list("code", flat=True)


@pytest.mark.article("40", "39")
def test_decision_letters_are_pdf_attached_to_the_email(
    world, applicant, on, django_capture_on_commit_callbacks, client
):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True,
                        motivation=MOTIVATION)
    message = mail.outbox[-1]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.startswith("decision-")
    client.force_login(applicant.user)
    assert client.get(reverse("request_letter", args=[req.pk])).content.startswith(b"%PDF")


@pytest.mark.article("30")
def test_a_kinesitherapie_non_resident_cannot_use_the_online_form(world, applicant, on):
    on("2023-08-23")
    kine = ProgrammeFactory(name="Bachelier en kinésithérapie", department=world.programme.department)
    with pytest.raises(services.AdmissionError, match="Art. 30"):
        services.submit_request(actor=applicant.user, programme_id=kine.pk, non_resident=True)


@pytest.mark.article("24")
def test_documents_are_reminded_seven_and_two_days_before_they_are_due(world, applicant, on):
    on("2023-09-10")
    submit(applicant, world)
    assert reminders.remind_documents(on=dt.date(2023, 9, 22)) == 0
    assert reminders.remind_documents(on=dt.date(2023, 9, 23)) == 4  # 7 days before 30 September, four documents
    assert reminders.remind_documents(on=dt.date(2023, 9, 23)) == 0  # never twice
    assert reminders.remind_documents(on=dt.date(2023, 9, 28)) == 4
    assert applicant.user.notifications.filter(title__startswith="Rappel").count() == 8


def test_acknowledgement_and_reminders_are_written_in_the_language_the_applicant_chose(world, applicant, on):
    applicant.user.language = "en"
    applicant.user.save()
    on("2023-09-10")
    submit(applicant, world)
    reminders.remind_documents(on=dt.date(2023, 9, 28))
    titles = list(applicant.user.notifications.values_list("title", flat=True))
    assert any(t.startswith("Admission request received") for t in titles)
    sent = applicant.user.notifications.filter(title__startswith="Reminder")
    assert sent.count() == 4 and "30 September 2023" in sent.first().title
    assert "2 day(s) left" in sent.first().body and "Rappel" not in " ".join(titles)


def test_the_queue_says_when_a_decision_is_overdue(client, world, applicant, on):
    on("2023-09-20")
    complete(submit(applicant, world), world)
    client.force_login(world.users["secretariat"])
    assert "avant le 31 octobre" in client.get(reverse("admissions_queue")).content.decode()
    on("2023-11-02")
    assert "décision réputée négative" in client.get(reverse("admissions_queue")).content.decode()


@pytest.mark.article("37", "Annexe 7")
def test_non_eu_candidates_quota_and_diploma_year(world, applicant, on):
    on("2023-09-05")
    applicant.non_eu = True
    applicant.save()
    with pytest.raises(services.AdmissionError, match="annexe 7"):
        submit(applicant, world)
    with pytest.raises(services.AdmissionError, match="Diplôme obtenu en 2021"):
        submit(applicant, world, non_eu_present=True, diploma_year=2021)
    req = submit(applicant, world, non_eu_present=True, diploma_year=2023)
    assert req.decision["non_eu"]["outcome"]["recevable"] is True
    req = complete(req, world)
    req = services.accept(actor=world.users["secretariat"], request_id=req.pk)
    assert req.decision["non_eu_payment"]["outcome"] == "2023-09-19"  # 10 working days (annexe 7)
    assert fees_total(req.registration) == Decimal("1642.00")  # 650 € + DIS 992 € (art. 47)


@pytest.mark.article("31")
def test_a_modification_asks_for_proof_of_the_registration_left(world, applicant, on):
    on("2023-10-10")
    req = submit(applicant, world, kind="modification")
    assert "preuve_inscription" in req.dossier.slots.values_list("code", flat=True)


@pytest.mark.article("40")
def test_the_decision_is_acknowledged_when_the_student_opens_it(client, world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True,
                        motivation=MOTIVATION)
    client.force_login(world.users["secretariat"])
    client.get(reverse("request_detail", args=[req.pk]))
    req.refresh_from_db()
    assert req.acknowledged_at is None  # staff reading it is no acknowledgment
    client.force_login(applicant.user)
    client.get(reverse("request_detail", args=[req.pk]))
    req.refresh_from_db()
    assert req.acknowledged_at is not None


@pytest.mark.parametrize(
    "persona",
    [
        "etudiant",
        "autre_etudiant",
        "secretariat",
        "secretariat_autre_departement",
        "commissaire",
        "enseignant",
        "exterieur",
    ],
)
def test_admission_pages_permission_matrix(client, world, on, persona):
    on("2023-09-20")
    req = complete(services.submit_request(actor=world.student.user, programme_id=world.programme.pk), world)
    req = services.accept(actor=world.users["secretariat"], request_id=req.pk)
    allowed = persona in ("etudiant", "secretariat", "commissaire")
    client.force_login(world.users[persona])
    for url in [
        reverse("request_detail", args=[req.pk]),
        reverse("receipt", args=[req.registration.pk]),
        reverse("request_letter", args=[req.pk]),
    ]:
        assert client.get(url).status_code == (200 if allowed else 404), (persona, url)
    before = req.registration.payments.count()
    client.post(
        reverse("request_payment", args=[req.pk]), {"amount": "5", "paid_on": "2023-10-01", "method": "virement"}
    )
    assert req.registration.payments.count() == before + (1 if persona == "secretariat" else 0), persona


@pytest.mark.article("27", "180", "176")
def test_the_student_is_told_when_the_silence_becomes_a_refusal(client, world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    client.force_login(applicant.user)
    on("2023-11-01")
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "réputée refusée" in page and "22 novembre 2023" in page  # 1 November is a legal holiday (art. 176)


def test_the_request_page_is_available_in_english(client, world, registered):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(registered.student.user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "Annual programme (PAE)" in page and "Registration fees" in page and "Programme annuel" not in page
