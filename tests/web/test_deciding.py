"""Deciding safely (art. 24, 34, 36, 39-41): who may decide what, not before the student's own date, a motivation
written by the person deciding, a confirmation showing the letter, and letters that explain."""

import datetime as dt
import html

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from parcours.admissions import banking, letters, services
from parcours.admissions.workflow import RequestStatus
from parcours.students.models import Registration, Student
from tests.factories import ProgrammeFactory, UEFactory
from tests.web.admissions_support import complete, submit

MOTIVATION = "Vos trois inscriptions précédentes sans réussite ne permettent pas de vous financer."


@pytest.mark.article("40")
def test_only_the_department_direction_refuses(world, applicant, on):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    for persona in ("commission_admission", "secretariat"):
        assert services.decision_options(world.users[persona], req)["refuser"]
        with pytest.raises(services.AdmissionError, match="direction de département"):
            services.refuse(actor=world.users[persona], request_id=req.pk, non_financable=True, motivation=MOTIVATION)
    assert services.decision_options(world.users["direction_departement"], req)["refuser"] is None
    with pytest.raises(services.AdmissionError, match="motivation"):
        services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True,
                        motivation="non")
    req = services.refuse(actor=world.users["direction_departement"], request_id=req.pk, non_financable=True,
                          motivation=MOTIVATION)
    assert req.status == RequestStatus.REFUSED and req.decision["motivation"] == MOTIVATION
    html = letters.letter_context(req)
    assert html["motivation"] == MOTIVATION


@pytest.mark.article("24", "39")
@pytest.mark.parametrize("day,possible", [("2023-09-30", False), ("2023-10-01", True)])
def test_irrecevability_not_before_the_students_own_deadline(world, applicant, on, day, possible):
    on("2023-09-20")
    req = submit(applicant, world)  # no document filed
    on(day)
    why = services.decision_options(world.users["secretariat"], req)["irrecevable"]
    if possible:
        assert why is None
        req = services.declare_irrecevable(actor=world.users["secretariat"], request_id=req.pk)
        assert req.status == RequestStatus.IRRECEVABLE
    else:
        assert "01/10/2023" in why
        with pytest.raises(services.AdmissionError, match="Pas avant le 01/10/2023"):
            services.declare_irrecevable(actor=world.users["secretariat"], request_id=req.pk)


@pytest.mark.article("24")
def test_the_home_gives_30_september_for_the_article_24_documents(world, applicant, on, client):
    on("2023-09-20")
    submit(applicant, world)
    client.force_login(applicant.user)
    html = client.get("/").content.decode()
    assert "30 septembre 2023" in html and "31 octobre 2023" not in html.split("Validation du programme")[0]


@pytest.mark.article("34")
def test_a_second_regular_registration_the_same_year_is_refused(world, applicant, on):
    on("2023-09-20")
    first = complete(submit(applicant, world), world)
    services.accept(actor=world.users["secretariat"], request_id=first.pk)
    other = ProgrammeFactory(name="Bachelier en gestion des ressources humaines", department=world.programme.department,
                             fee_section="Gestion des ressources humaines")
    second = complete(services.submit_request(actor=applicant.user, programme_id=other.pk, bloc=1), world)
    assert "(Art. 34)" in services.decision_options(world.users["secretariat"], second)["accepter"]
    with pytest.raises(services.AdmissionError, match="Art. 34"):
        services.accept(actor=world.users["secretariat"], request_id=second.pk)
    assert Registration.objects.filter(student=applicant, status=Registration.Status.REGULAR).count() == 1


@pytest.mark.article("40")
def test_the_decision_is_confirmed_after_seeing_its_consequences_and_letter(world, applicant, on, client):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    client.force_login(world.users["commission_admission"])
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert 'value="refuser"' not in page and "Seule la direction de département refuse" in page
    response = client.post(reverse("request_decide", args=[req.pk]), {"action": "refuser", "non_financable": "on",
                                                                      "motivation": MOTIVATION})
    assert response.status_code == 400  # not offered: refused by the form, nothing recorded
    response = client.post(reverse("request_decide", args=[req.pk]), {"action": "accepter"})
    html = response.content.decode()
    assert "Confirmer et notifier" in html and 'class="letter-preview' in html and "acompte de 50 €" in html
    assert "Motivation de la décision, article par article" in html  # the letter itself
    req.refresh_from_db()
    assert req.status == RequestStatus.FINAL  # nothing recorded yet
    client.post(reverse("request_decide", args=[req.pk]), {"action": "accepter", "confirm": "1"})
    req.refresh_from_db()
    assert req.status == RequestStatus.REGULAR


@pytest.mark.article("28", "47", "68")
def test_the_acceptance_letter_says_what_is_due_how_to_pay_and_what_comes_next(world, applicant, on,
                                                                             django_capture_on_commit_callbacks):
    on("2023-09-20")
    UEFactory(programme=world.programme, code="AS101", credits=10, bloc=1)
    req = complete(submit(applicant, world), world)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.accept(actor=world.users["secretariat"], request_id=req.pk)
    context = letters.letter_context(req)
    assert context["fees"].pay.communication == banking.communication(req.registration)
    assert context["fees"].pay.amount == 50 and context["fees"].pay.qr.startswith("data:image/svg+xml")
    assert context["pae_by"] == dt.date(2023, 10, 31)
    name, pdf = services.decision_letter(req)
    assert pdf.startswith(b"%PDF")
    accepted = [m for m in mail.outbox if m.to == [applicant.user.email] and m.attachments]
    assert accepted and accepted[-1].attachments[0][0] == name


@pytest.mark.article("54")
def test_a_grant_holder_s_acceptance_letter_says_nothing_is_due_and_gives_no_transfer(world, applicant, on):
    on("2023-09-20")
    Student.objects.filter(pk=applicant.pk).update(grant_status=Student.Grant.BOURSIER)
    req = services.accept(actor=world.users["secretariat"], request_id=complete(submit(applicant, world), world).pk)
    letter = html.unescape(render_to_string("documents/decision_letter.html", letters.letter_context(req)))
    assert "Aucun droit d'inscription n'est dû : rien à payer." in letter
    assert "<strong>Art. 54</strong> — Statut de boursier octroyé : aucun droit d'inscription" in letter
    assert "IBAN" not in letter and "Communication structurée" not in letter and "Montant dû" not in letter
    Student.objects.filter(pk=applicant.pk).update(grant_status=Student.Grant.NON_BOURSIER)
    req.registration.student.refresh_from_db()
    letter = render_to_string("documents/decision_letter.html", letters.letter_context(req))
    assert "IBAN" in letter and "Aucun droit d" not in letter  # a paying student is told how to pay


@pytest.mark.article("47", "Annexe 2")
def test_a_specialisation_is_priced_on_its_annee_diplomante_row(world, applicant, on):
    on("2023-09-20")
    spe = ProgrammeFactory(name="Bachelier de spécialisation en oncologie", kind="bachelier_specialisation",
                           min_credits=60, department=world.programme.department, fee_section="BAC Spé oncologie",
                           fee_site="Gilly")
    req = complete(services.submit_request(actor=applicant.user, programme_id=spe.pk, bloc=1), world)
    reg = services.accept(actor=world.users["secretariat"], request_id=req.pk).registration
    assert reg.stage == "AD"
    from parcours.admissions.selectors import fees_summary

    assert fees_summary(reg).total > 0
    assert services.registration_stage(world.programme, 1) == "DC"
    assert services.registration_stage(world.programme, 2) == "PE"
    assert services.registration_stage(world.programme, 3) == "AD"


def _letter_body(html: str) -> str:
    return html.split('class="letter-preview', 1)[1].split(">", 1)[1]


@pytest.mark.article("24", "39", "40", "41", "47")
def test_the_acceptance_preview_is_the_letter_that_is_then_recorded(world, applicant, on, client,
                                                                   django_capture_on_commit_callbacks):
    """Before confirming, the person deciding reads the amount due now, the account, the structured communication
    and the QR the student will receive; nothing is recorded or sent by the preview."""
    from django.template.loader import render_to_string

    from parcours.audit.models import AuditEvent

    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    client.force_login(world.users["secretariat"])
    registrations, events, sent = Registration.objects.count(), AuditEvent.objects.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("request_decide", args=[req.pk]), {"action": "accepter"}).content.decode()
    assert (Registration.objects.count(), AuditEvent.objects.count(), len(mail.outbox)) == (registrations, events, sent)
    req.refresh_from_db()
    assert req.status == RequestStatus.FINAL and req.registration is None
    # The 50 € acompte (art. 24) is what is due now, to the institution's account, under the request's communication.
    expected = banking.request_communication(req)
    assert banking.ogm_digits(expected)
    assert "Montant à payer maintenant : <strong>50" in page
    assert "BE71 0961 2345 6769" in page and "GKCCBEBB" in page and expected in page
    assert 'alt="Code QR de virement"' in page and "data:image/svg+xml" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("request_decide", args=[req.pk]), {"action": "accepter", "confirm": "1"})
    req.refresh_from_db()
    assert req.status == RequestStatus.REGULAR and banking.communication(req.registration) == expected
    recorded = render_to_string("documents/decision_letter.html", letters.letter_context(req))
    body = recorded.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    assert _letter_body(page).split("</article>")[0] == body  # the same letter, word for word
    assert banking.registration_for(f"+++{expected[3:-3]}+++", Registration.objects.all()) == req.registration


@pytest.mark.article("40")
def test_a_refusal_preview_with_no_motivation_is_refused_before_any_letter(world, applicant, on, client):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    client.force_login(world.users["direction_departement"])
    response = client.post(reverse("request_decide", args=[req.pk]),
                           {"action": "refuser", "non_financable": "on", "motivation": "non"})
    assert response.status_code == 400 and "Rédigez la motivation du refus" in response.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.FINAL


@pytest.mark.article("40")
@pytest.mark.parametrize("persona,signed", [("direction_departement", "La Direction de département"),
                                            ("direction_domaine", "La Direction de domaine"),
                                            ("commission_admission", "La Commission d'admission")])
def test_the_letter_is_signed_by_who_decided(world, applicant, on, persona, signed):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    req.decided_by = world.users[persona]
    assert letters.signatory(req) == signed


@pytest.mark.article("22", "24", "48")
def test_a_registered_student_no_longer_sees_the_dates_to_register(world, applicant, on, client):
    on("2023-09-20")
    req = complete(submit(applicant, world), world)
    client.force_login(applicant.user)
    before = client.get("/").content.decode()
    assert "Date limite d&#x27;inscription et de dépôt du dossier complet" in before
    services.accept(actor=world.users["secretariat"], request_id=req.pk)
    after = client.get("/").content.decode()
    assert "Date limite d&#x27;inscription et de dépôt du dossier complet" not in after
    assert "Date limite d&#x27;une demande d&#x27;inscription tardive" not in after
    assert "Paiement de l&#x27;acompte de 50 €" in after  # still to do (art. 24, 48)


@pytest.mark.article("24")
def test_a_document_due_is_named_with_its_dossier_only_when_there_are_several(world, applicant, on):
    from parcours.students import selectors
    from tests.factories import DossierFactory, SlotFactory

    on("2023-09-20")
    submit(applicant, world)
    labels = [d.label for d in selectors.deadlines_for(applicant, dt.date(2023, 9, 20))]
    assert "Copie recto verso de la carte d'identité" in labels  # one dossier: no need to say which
    SlotFactory(dossier=DossierFactory(student=applicant, title="Candidature mobilité 2024-2025"),
                label="Lettre de motivation", due_date=dt.date(2023, 10, 20))
    labels = [d.label for d in selectors.deadlines_for(applicant, dt.date(2023, 9, 20))]
    assert "Lettre de motivation (Candidature mobilité 2024-2025)" in labels
    assert any(label.startswith("Copie recto verso de la carte d'identité (") for label in labels)


@pytest.mark.article("24", "39")
def test_received_documents_awaiting_review_are_not_called_missing(client, world, applicant, on):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parcours.dossiers.services import review_document, upload_document
    from tests.web.admissions_support import PDF

    on("2023-09-20")
    req = submit(applicant, world)
    slots = list(req.dossier.slots.all())
    for slot in slots:
        upload_document(actor=applicant.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("doc.pdf", PDF))
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "documents reçus, en attente de vérification" in page and "Documents reçus, en attente de vérification" in page
    assert "Documents manquants" not in page and "irrecevable</p>" not in page
    # A decision still counts verified documents only; once one is refused, it is missing and the rule says so.
    review_document(actor=world.users["secretariat"], slot_id=slots[0].pk, accept=False, reason="Illisible")
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert "Documents manquants : " in page and "irrecevable</p>" in page
    assert services.recevability_preview(req).outcome["missing"] == [slots[0].code]
