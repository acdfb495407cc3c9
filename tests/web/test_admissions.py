"""Admission and registration (art. 22-46), payments (art. 47-60) and the PAE (art. 67-68), as services
and screens. Every transition, including the refused ones."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.admissions import services
from parcours.admissions.models import AdmissionRequest
from parcours.admissions.workflow import RequestStatus
from parcours.dossiers.services import review_document, upload_document
from parcours.students.models import Registration
from tests.factories import ProgrammeFactory, StudentFactory, UEFactory, UserFactory, role

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


@pytest.mark.article("23", "24", "22")
def test_an_online_request_in_time_opens_a_dossier_and_acknowledges(world, applicant, on, django_capture_on_commit_callbacks):
    on("2023-09-20")
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(applicant, world)
    assert req.status == RequestStatus.SUBMITTED
    assert sorted(req.dossier.slots.values_list("code", flat=True)) == ["identite", "parcours", "photo", "titre_acces"]
    assert set(req.dossier.slots.values_list("due_date", flat=True)) == {dt.date(2023, 9, 30)}
    assert mail.outbox[0].to == ["candidate@test.helha.be"] and "Demande d'admission reçue" in mail.outbox[0].subject
    assert "ne vaut pas inscription" in mail.outbox[0].body


@pytest.mark.article("22", "32", "33")
@pytest.mark.parametrize("day,kind,motivation,ok", [
    ("2023-09-30", "inscription", "", True), ("2023-10-01", "inscription", "", False),
    ("2024-02-15", "tardive", "Hospitalisation en septembre.", True), ("2024-02-16", "tardive", "Motif", False),
    ("2024-01-10", "tardive", "", False), ("2023-12-14", "reorientation", "Autre vocation", True),
    ("2023-12-20", "reorientation", "Autre vocation", False),
])
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
    nursing = ProgrammeFactory(name="Bachelier : infirmier responsable de soins généraux", department=world.programme.department)
    req = services.submit_request(actor=applicant.user, programme_id=nursing.pk)
    assert {"casier_judiciaire", "certificat_aptitude"} <= set(req.dossier.slots.values_list("code", flat=True))


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


@pytest.mark.article("39")
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
        services.refuse(actor=world.users["direction_departement"], request_id=req.pk)
    req = services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True)
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
            action(actor=world.users["secretariat"], request_id=req.pk, **({"non_financable": True}
                                                                              if action is services.refuse else {}))


@pytest.mark.parametrize("persona", ["candidate", "autre_etudiant", "secretariat_autre_departement", "commissaire", "dpo",
                                     "enseignant"])
def test_only_reviewers_of_the_scope_decide(world, applicant, on, persona):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    actor = applicant.user if persona == "candidate" else world.users[persona]
    with pytest.raises(services.AdmissionError, match="pas autorisé"):
        services.accept(actor=actor, request_id=req.pk)


@pytest.fixture
def registered(world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    return services.accept(actor=world.users["secretariat"], request_id=req.pk).registration


@pytest.mark.article("48", "182")
@pytest.mark.parametrize("paid,cancelled", [("0", True), ("49.99", True), ("50", False)])
def test_no_acompte_on_31_october_cancels_the_registration(world, registered, paid, cancelled):
    if Decimal(paid):
        services.record_payment(actor=world.users["secretariat"], registration_id=registered.pk, amount=Decimal(paid),
                                paid_on=dt.date(2023, 10, 30))
    services.apply_payment_deadlines(on=dt.date(2023, 11, 1))
    registered.refresh_from_db()
    assert (registered.status == Registration.Status.CANCELLED) is cancelled
    told = registered.student.user.notifications.filter(title__contains="annulée").exists()
    assert told is cancelled
    if cancelled:
        assert AdmissionRequest.objects.get(registration=registered).status == RequestStatus.CANCELLED


@pytest.mark.article("49")
@pytest.mark.parametrize("balance_paid,suspended", [(Decimal("599.99"), True), (Decimal("600"), False)])
def test_unpaid_balance_on_1_february_suspends_access(world, registered, balance_paid, suspended):
    secr = world.users["secretariat"]
    services.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(50), paid_on=dt.date(2023, 10, 2))
    services.record_payment(actor=secr, registration_id=registered.pk, amount=balance_paid, paid_on=dt.date(2024, 1, 30))
    services.apply_payment_deadlines(on=dt.date(2024, 2, 2))
    registered.refresh_from_db()
    assert (registered.access_suspended_on == dt.date(2024, 2, 2)) is suspended
    assert registered.status == Registration.Status.REGULAR  # art. 49: still registered


@pytest.mark.article("48")
def test_reminders_before_the_date_once(world, registered):
    def reminders():
        return registered.student.user.notifications.filter(title__startswith="Rappel").count()

    services.apply_payment_deadlines(on=dt.date(2023, 10, 16))
    assert reminders() == 0
    services.apply_payment_deadlines(on=dt.date(2023, 10, 17))  # 14 days before 31 October
    assert reminders() == 1
    services.apply_payment_deadlines(on=dt.date(2023, 10, 17))
    assert reminders() == 1  # never twice
    services.apply_payment_deadlines(on=dt.date(2023, 10, 28))  # 3 days before
    assert reminders() == 2


@pytest.mark.article("47")
def test_payment_rules(world, registered):
    secr = world.users["secretariat"]
    with pytest.raises(services.AdmissionError, match="positif"):
        services.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(-10), paid_on=dt.date(2023, 10, 1))
    services.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(50), paid_on=dt.date(2023, 10, 1),
                            reference="BE-001")
    with pytest.raises(services.AdmissionError, match="déjà enregistrée"):
        services.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(50), paid_on=dt.date(2023, 10, 1),
                                reference="BE-001")
    with pytest.raises(services.AdmissionError, match="pas autorisé"):
        services.record_payment(actor=world.users["commissaire"], registration_id=registered.pk, amount=Decimal(5),
                                paid_on=dt.date(2023, 10, 1))


@pytest.mark.article("47")
def test_bank_statement_import(world, registered, applicant):
    text = ("date;montant;communication;reference\n"
            f"2023-10-03;50,00;Acompte {applicant.matricule};R1\n"
            "2023-10-04;650;sans matricule;R2\n"
            f"2023-10-03;50,00;Acompte {applicant.matricule};R1\n"
            "pas une date;x;y\n")
    report = services.import_bank_statement(actor=world.users["secretariat"], text=text)
    assert len(report.imported) == 1 and len(report.duplicates) == 1 and len(report.unmatched) == 2
    assert services.paid_total(registered) == Decimal(50)


@pytest.fixture
def bloc1(world):
    return [UEFactory(programme=world.programme, code=f"AS1{i:02d}", credits=10, bloc=1) for i in range(6)]


@pytest.mark.article("67", "68")
def test_pae_proposed_checked_and_validated_by_31_october(world, registered, bloc1, settings):
    proposal = services.propose_pae(actor=world.users["commission_admission"], registration_id=registered.pk,
                                    ue_ids=[u.pk for u in bloc1])
    assert proposal.verification["outcome"]["admissible"] is True
    with pytest.raises(services.AdmissionError, match="Seul l'étudiant"):
        services.validate_pae(actor=world.users["secretariat"], proposal_id=proposal.pk)
    with pytest.raises(services.AdmissionError, match="31/10/2023"):
        services.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 11, 1))
    services.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 10, 31))
    assert sorted(registered.pae.values_list("ue__code", flat=True)) == [u.code for u in bloc1]


@pytest.mark.article("67")
def test_a_pae_breaking_the_rules_lists_them_and_cannot_be_validated(world, registered, bloc1):
    proposal = services.propose_pae(actor=world.users["commission_admission"], registration_id=registered.pk,
                                    ue_ids=[u.pk for u in bloc1[:4]])
    articles = [v["article"] for v in proposal.verification["outcome"]["violations"]]
    assert articles == ["Art. 67 §1er", "Art. 67 §2"]
    with pytest.raises(services.AdmissionError, match="enfreint"):
        services.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 10, 1))


def test_screens(client, world, registered, applicant):
    client.force_login(world.users["secretariat"])
    queue = client.get(reverse("admissions_queue")).content.decode()
    assert "Maes" in queue and "Inscription régulière" in queue
    export = client.get(reverse("admissions_export")).content.decode("utf-8-sig")
    assert export.splitlines()[0].startswith("matricule;nom") and applicant.matricule in export
    req = AdmissionRequest.objects.get(registration=registered)
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "Droits d&#x27;inscription" in page or "Droits d'inscription" in page
    response = client.post(reverse("request_payment", args=[req.pk]), {"amount": "50", "paid_on": "2023-10-01",
                                                                        "method": "virement", "reference": "X1"})
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
        PastRegistration.objects.create(student=applicant, academic_year=f"{y}-{y + 1}", cycle=1,
                                        cursus=world.programme.name, pae_credits=60, credits_acquired=10, new_rules=True)
    on("2023-09-10")
    req = submit(applicant, world)
    assert req.decision["financabilite"]["outcome"] == {"regime": "nouvelles", "financable": False}
    assert "lettre_art36" in req.dossier.slots.values_list("code", flat=True)


@pytest.mark.article("40", "39")
def test_decision_letters_are_pdf_attached_to_the_email(world, applicant, on, django_capture_on_commit_callbacks, client):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True)
    message = mail.outbox[-1]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.startswith("decision-")
    client.force_login(applicant.user)
    assert client.get(reverse("request_letter", args=[req.pk])).content.startswith(b"%PDF")


@pytest.mark.article("57", "58", "59")
@pytest.mark.parametrize("day,kind,refund,status", [
    ("2023-11-30", "annulation", Decimal("600.00"), Registration.Status.CANCELLED),
    ("2023-12-01", "abandon", Decimal("0.00"), Registration.Status.ABANDONED),
])
def test_withdrawal_annulation_or_abandon(world, registered, day, kind, refund, status):
    secr = world.users["secretariat"]
    services.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(650), paid_on=dt.date(2023, 10, 2))
    decision = services.withdraw(actor=secr, registration_id=registered.pk, on=dt.date.fromisoformat(day))
    registered.refresh_from_db()
    assert decision.outcome["kind"] == kind and registered.status == status
    assert services.paid_total(registered) == Decimal(650) - refund
    with pytest.raises(services.AdmissionError, match="régulière"):
        services.withdraw(actor=secr, registration_id=registered.pk, on=dt.date.fromisoformat(day))


@pytest.mark.article("54")
def test_a_boursier_is_refunded_everything(world, registered):
    secr = world.users["secretariat"]
    services.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(650), paid_on=dt.date(2023, 10, 2))
    refunded = services.set_grant_status(actor=secr, student_id=registered.student.pk, status="boursier",
                                         notified_on=dt.date(2023, 11, 20))
    assert refunded == Decimal(650) and services.paid_total(registered) == 0


@pytest.mark.article("55")
def test_a_refused_grant_makes_everything_due_within_30_days(world, registered):
    secr = world.users["secretariat"]
    services.set_grant_status(actor=secr, student_id=registered.student.pk, status="presume_boursier",
                              notified_on=dt.date(2023, 9, 25))
    registered.student.refresh_from_db()
    assert services.payment_status(registered, dt.date(2023, 11, 2)).outcome["state"] == "en_ordre"  # art. 53
    services.set_grant_status(actor=secr, student_id=registered.student.pk, status="bourse_refusee",
                              notified_on=dt.date(2024, 1, 10))
    registered.student.refresh_from_db()
    assert services.payment_status(registered, dt.date(2024, 2, 9)).outcome["next"]["date"] == dt.date(2024, 2, 9)
    assert services.payment_status(registered, dt.date(2024, 2, 10)).outcome["state"] == "acces_suspendu"


@pytest.mark.article("56")
def test_condition_modeste_is_recognised_by_the_social_worker_and_refunded(world, registered):
    services.record_payment(actor=world.users["secretariat"], registration_id=registered.pk, amount=Decimal(650),
                            paid_on=dt.date(2023, 10, 2))
    with pytest.raises(services.AdmissionError, match="travailleur social"):
        services.recognise_condition_modeste(actor=world.users["secretariat"], student_id=registered.student.pk,
                                             on=dt.date(2023, 11, 5))
    refunded = services.recognise_condition_modeste(actor=world.users["assistant_social"],
                                                    student_id=registered.student.pk, on=dt.date(2023, 11, 5))
    assert refunded == Decimal("276.00")  # 650 € paid, 374 € due (annexe 2)


@pytest.mark.article("33")
def test_a_reorientation_pays_infrastructure_and_administrative_fees_pro_rata(world, applicant, on, bloc1):
    on("2023-11-10")
    req = submit(applicant, world, kind="reorientation", motivation="Le travail social est ma vocation.")
    req = complete(req, world)
    reg = services.accept(actor=world.users["secretariat"], request_id=req.pk).registration
    from parcours.students.models import PaeEntry

    # Art. 68 closes PAE validation on 31 October, before any réorientation can start: the PAE of a
    # reoriented student is entered by the commission (the RGE sets no date for it).
    PaeEntry.objects.bulk_create([PaeEntry(registration=reg, ue=u) for u in bloc1[:3]])
    assert fees_total(reg) == Decimal("237.50")  # (175 + 299,99) × 30/60


def fees_total(reg):
    from parcours.regulation import fees

    return fees.compute(services.fee_facts(reg)).outcome["total"]


def test_grant_screen(client, world, registered):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["assistant_social"])
    response = client.post(reverse("request_grant", args=[req.pk]), {"action": "modeste", "on": "2023-11-05"}, follow=True)
    assert "Statut enregistré" in response.content.decode()
    registered.student.refresh_from_db()
    assert registered.student.condition_modeste is True
    client.force_login(world.users["commissaire"])
    response = client.post(reverse("request_grant", args=[req.pk]), {"status": "boursier", "on": "2023-11-05"},
                           follow=True)
    assert "pas autorisé" in response.content.decode()


@pytest.mark.article("42", "43", "44", "45", "46")
def test_a_proven_registration_fraud_refuses_and_bars_three_years(world, applicant, on):
    from parcours.admissions.models import FraudCase

    on("2023-09-20")
    req = submit(applicant, world, other_registrations="")
    with pytest.raises(services.AdmissionError, match="pas autorisé"):
        services.report_fraud(actor=world.users["secretariat"], student_id=applicant.pk, facts="x", on=dt.date(2023, 9, 21))
    case = services.report_fraud(actor=world.users["direction_departement"], student_id=applicant.pk,
                                 facts="Inscription concomitante à l'UCLouvain non déclarée (art. 34).",
                                 on=dt.date(2023, 9, 21))
    with pytest.raises(services.AdmissionError, match="Le Collège décide après"):
        services.decide_fraud(actor=world.users["college_direction"], case_id=case.pk, proven=True, on=dt.date(2023, 9, 22))
    # 22 September + 15 days = Saturday 7 October: the first working day is Monday 9 October.
    with pytest.raises(services.AdmissionError, match="09/10/2023"):
        services.convene_fraud_hearing(actor=world.users["college_direction"], case_id=case.pk,
                                       notified_on=dt.date(2023, 9, 22), hearing_on=dt.date(2023, 10, 6))
    services.convene_fraud_hearing(actor=world.users["college_direction"], case_id=case.pk,
                                   notified_on=dt.date(2023, 9, 22), hearing_on=dt.date(2023, 10, 9))
    case = services.decide_fraud(actor=world.users["college_direction"], case_id=case.pk, proven=True,
                                 on=dt.date(2023, 10, 12))
    assert case.status == FraudCase.Status.PROVEN
    req.refresh_from_db()
    assert req.status == RequestStatus.REFUSED


@pytest.mark.article("46", "40")
def test_a_fraud_sanctioned_last_year_bars_this_years_request(world, applicant, on):
    from parcours.admissions.models import FraudCase

    FraudCase.objects.create(student=applicant, academic_year="2022-2023", facts="Faux diplôme.",
                             status=FraudCase.Status.PROVEN, reported_on=dt.date(2023, 3, 1))
    on("2023-09-20")
    with pytest.raises(services.AdmissionError, match="2023-2024, 2024-2025, 2025-2026"):
        submit(applicant, world)
    FraudCase.objects.update(academic_year="2019-2020")  # the ban has run out
    assert submit(applicant, world).status == RequestStatus.SUBMITTED


@pytest.mark.article("69", "70", "67")
def test_valorised_credits_count_as_acquired_in_the_pae(world, registered, bloc1):
    with pytest.raises(services.AdmissionError, match="base"):
        services.valorise_credits(actor=world.users["commission_admission"], registration_id=registered.pk,
                                  ue_ids=[bloc1[0].pk], basis="etudes", reason=" ")
    assert services.valorise_credits(actor=world.users["commission_admission"], registration_id=registered.pk,
                                     ue_ids=[bloc1[0].pk], basis="etudes", reason="Réussi à l'UCLouvain en 2022") == 1
    proposal = services.propose_pae(actor=world.users["commission_admission"], registration_id=registered.pk,
                                    ue_ids=[u.pk for u in bloc1])
    assert any("déjà acquise ou valorisée" in v["text"] for v in proposal.verification["outcome"]["violations"])


@pytest.mark.article("71", "72", "73", "51")
def test_allegement_before_31_october_and_fees_pro_rata(world, registered, bloc1):
    with pytest.raises(services.AdmissionError, match="art. 72"):
        services.grant_allegement(actor=world.users["commission_admission"], registration_id=registered.pk,
                                  requested_on=dt.date(2023, 10, 31))
    services.grant_allegement(actor=world.users["commission_admission"], registration_id=registered.pk,
                              requested_on=dt.date(2023, 11, 15), grave=True)
    proposal = services.propose_pae(actor=world.users["commission_admission"], registration_id=registered.pk,
                                    ue_ids=[u.pk for u in bloc1[:3]])
    assert proposal.verification["outcome"]["admissible"] is True  # 30 credits under allègement
    services.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 10, 20))
    registered.refresh_from_db()
    assert fees_total(registered) == Decimal("325.00")  # 650 € × 30/60


def test_programme_and_fraud_screens(client, world, registered, bloc1):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["commission_admission"])
    response = client.post(reverse("request_programme", args=[req.pk]),
                           {"action": "valoriser", "ues": [bloc1[0].pk], "basis": "experience", "reason": "Dix ans en CPAS"},
                           follow=True)
    assert "1 unité(s) d&#x27;enseignement valorisée(s)" in response.content.decode()
    response = client.post(reverse("request_programme", args=[req.pk]), {"action": "alleger", "requested_on": "2023-10-02"},
                           follow=True)
    assert "Allègement accordé" in response.content.decode()
    client.force_login(world.users["direction_departement"])
    client.post(reverse("fraud_cases"), {"action": "signaler", "student": registered.student.pk, "facts": "Faux bulletin."})
    client.force_login(world.users["college_direction"])
    page = client.get(reverse("fraud_cases")).content.decode()
    assert "Faux bulletin." in page and "Convoquer" in page
    client.force_login(world.users["etudiant"])
    assert client.get(reverse("fraud_cases")).status_code == 404


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
    assert services.remind_documents(on=dt.date(2023, 9, 22)) == 0
    assert services.remind_documents(on=dt.date(2023, 9, 23)) == 4  # 7 days before 30 September, four documents
    assert services.remind_documents(on=dt.date(2023, 9, 23)) == 0  # never twice
    assert services.remind_documents(on=dt.date(2023, 9, 28)) == 4
    assert applicant.user.notifications.filter(title__startswith="Rappel").count() == 8


def test_the_queue_says_when_a_decision_is_overdue(client, world, applicant, on):
    on("2023-09-20")
    complete(submit(applicant, world), world)
    client.force_login(world.users["secretariat"])
    assert "avant le 31 octobre" in client.get(reverse("admissions_queue")).content.decode()
    on("2023-11-02")
    assert "décision réputée négative" in client.get(reverse("admissions_queue")).content.decode()


def test_daily_command(world, registered, capsys):
    from django.core.management import call_command

    call_command("payment_deadlines", "--on", "2023-11-01")
    assert "inscription(s) annulée(s)" in capsys.readouterr().out


@pytest.mark.article("38")
def test_a_free_student_pays_per_credit_and_takes_at_most_20_credits(world, applicant, on, bloc1):
    on("2023-11-20")  # art. 38 sets no date
    req = complete(submit(applicant, world, kind="libre"), world)
    reg = services.accept(actor=world.users["commission_admission"], request_id=req.pk).registration
    assert reg.free_student is True
    too_much = services.propose_pae(actor=world.users["commission_admission"], registration_id=reg.pk,
                                    ue_ids=[u.pk for u in bloc1[:3]])
    assert [v["article"] for v in too_much.verification["outcome"]["violations"]] == ["Art. 38"]
    from parcours.students.models import PaeEntry

    PaeEntry.objects.bulk_create([PaeEntry(registration=reg, ue=u) for u in bloc1[:2]])
    assert fees_total(reg) == Decimal("150.00")  # 50 € + 20 credits × 5 €


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


@pytest.mark.article("Annexe 7")
@pytest.mark.parametrize("day,lapsed", [("2023-09-19", False), ("2023-09-20", True)])
def test_non_eu_admission_lapses_without_full_payment_in_ten_working_days(world, applicant, on, day, lapsed):
    on("2023-09-05")
    applicant.non_eu = True
    applicant.save()
    req = complete(submit(applicant, world, non_eu_present=True, diploma_year=2023), world)
    reg = services.accept(actor=world.users["secretariat"], request_id=req.pk).registration
    services.record_payment(actor=world.users["secretariat"], registration_id=reg.pk, amount=Decimal(1000),
                            paid_on=dt.date(2023, 9, 12))
    services.apply_payment_deadlines(on=dt.date.fromisoformat(day))
    reg.refresh_from_db()
    assert (reg.status == Registration.Status.CANCELLED) is lapsed


@pytest.mark.article("31")
def test_a_modification_asks_for_proof_of_the_registration_left(world, applicant, on):
    on("2023-10-10")
    req = submit(applicant, world, kind="modification")
    assert "preuve_inscription" in req.dossier.slots.values_list("code", flat=True)


@pytest.mark.article("40")
def test_the_decision_is_acknowledged_when_the_student_opens_it(client, world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True)
    client.force_login(world.users["secretariat"])
    client.get(reverse("request_detail", args=[req.pk]))
    req.refresh_from_db()
    assert req.acknowledged_at is None  # staff reading it is no acknowledgment
    client.force_login(applicant.user)
    client.get(reverse("request_detail", args=[req.pk]))
    req.refresh_from_db()
    assert req.acknowledged_at is not None


@pytest.mark.parametrize("persona", ["etudiant", "autre_etudiant", "secretariat", "secretariat_autre_departement",
                                     "commissaire", "enseignant", "exterieur"])
def test_admission_pages_permission_matrix(client, world, on, persona):
    on("2023-09-20")
    req = complete(services.submit_request(actor=world.student.user, programme_id=world.programme.pk), world)
    req = services.accept(actor=world.users["secretariat"], request_id=req.pk)
    allowed = persona in ("etudiant", "secretariat", "commissaire")
    client.force_login(world.users[persona])
    for url in [reverse("request_detail", args=[req.pk]), reverse("receipt", args=[req.registration.pk]),
                reverse("request_letter", args=[req.pk])]:
        assert client.get(url).status_code == (200 if allowed else 404), (persona, url)
    before = req.registration.payments.count()
    client.post(reverse("request_payment", args=[req.pk]), {"amount": "5", "paid_on": "2023-10-01", "method": "virement"})
    assert req.registration.payments.count() == before + (1 if persona == "secretariat" else 0), persona


@pytest.mark.article("27", "180")
def test_the_student_is_told_when_the_silence_becomes_a_refusal(client, world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    client.force_login(applicant.user)
    on("2023-11-01")
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "réputée refusée" in page and "21 novembre 2023" in page


@pytest.mark.article("51")
def test_end_of_cycle_with_15_credits_or_fewer_pays_half_the_fees(world, registered):
    from parcours.students.models import PaeEntry

    registered.stage = "AD"
    registered.save()
    ue = UEFactory(programme=world.programme, code="AS399", credits=15, bloc=3)
    PaeEntry.objects.create(registration=registered, ue=ue)
    assert fees_total(registered) == Decimal("438.62")  # 227,24 + (175 + 247,76) / 2
    PaeEntry.objects.create(registration=registered, ue=UEFactory(programme=world.programme, code="AS398", credits=1, bloc=3))
    assert fees_total(registered) == Decimal("650.00")
