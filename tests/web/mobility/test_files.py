"""The mobility dossier run by the managing institution's coordinator (seed 000, point 2; art. 201, 215): documents
with states, the attestation de séjour against today's date, the grant and its contract, the learning agreement in the
European template with its checks on table A, recognition with the host grades, the report, the social inquiry."""

import datetime as dt
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from parcours.dossiers.services import upload_document
from parcours.exchanges import agreements, ewp, files, services
from parcours.exchanges.file_views import document
from parcours.exchanges.models import MobilityFile
from parcours.students.models import AcquiredCredit
from tests.factories import UEFactory
from tests.web.mobility.conftest import PDF

NS = "{https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/get-response.xsd}"
TRM = "{https://github.com/erasmus-without-paper/ewp-specs-types-academic-term/tree/stable-v2}"


def upload(user, f, code):
    slot = f.candidature.dossier.slots.get(code=code)
    upload_document(actor=user, slot_id=slot.pk, uploaded=SimpleUploadedFile(f"{code}.pdf", PDF))
    return slot


def verify(actor, f, code, **kw):
    return files.verify_document(actor=actor, slot_id=f.candidature.dossier.slots.get(code=code).pk, accept=True, **kw)


@pytest.fixture
def home_ues(world):
    return [UEFactory(programme=world.programme, code=f"AS2{i}", title=f"UE de bloc 2 n°{i}", credits=15, bloc=2)
            for i in range(2)]


@pytest.fixture
def ready(world, mobility, mobility_file, catalogue, home_ues, rates, settings):
    """Everything the contract needs on 1 September 2024: a conforming agreement sent for signature, the insurance and
    the candidature documents verified, the bank account."""
    settings.PARCOURS_TODAY = "2024-09-01"
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    la = agreements.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[u.pk for u in home_ues],
                                      host_course_ids=[catalogue[0].pk, catalogue[1].pk])
    agreements.send_for_signature(actor=student, agreement_id=la.pk)
    upload(student, mobility_file, "assurance")
    verify(hers, mobility_file, "assurance")
    for slot in mobility_file.candidature.dossier.slots.filter(status="recu"):
        files.verify_document(actor=hers, slot_id=slot.pk, accept=True)
    files.set_bank_account(actor=student, file_id=mobility_file.pk, iban="BE68 5390 0754 7034", holder="Léa Dupont")
    return la


@pytest.fixture
def signed(world, mobility, mobility_file, ready):
    hers, student = mobility["coordinators"]["HERS"], world.student.user
    files.issue_contract(actor=hers, file_id=mobility_file.pk)
    files.sign_grant_contract(actor=hers, file_id=mobility_file.pk)
    agreements.sign_agreement(actor=student, agreement_id=ready.pk, party="student")
    agreements.sign_agreement(actor=hers, agreement_id=ready.pk, party="sending")
    return agreements.sign_agreement(actor=hers, agreement_id=ready.pk, party="receiving", signer="Ana Silva")


@pytest.mark.article("215")
@pytest.mark.parametrize("ects,ok", [(19, False), (20, True), (33, True), (34, False)])
def test_table_a_credits_alone_decide_conformity(world, mobility_file, catalogue, home_ues, ects, ok):
    from parcours.exchanges.models import HostCourse

    course = HostCourse.objects.create(host=catalogue[0].host, code=f"PT-{ects}", title="Bloco", ects=ects, semester=1)
    # Three home UEs (30 ECTS) replaced: they never add to the host credits.
    la = agreements.propose_agreement(actor=world.student.user, file_id=mobility_file.pk,
                                      home_ue_ids=[u.pk for u in home_ues], host_course_ids=[course.pk])
    assert la.conform is ok and la.verification["details"]["table_a_total"] == ects
    if ok:
        assert agreements.send_for_signature(actor=world.student.user, agreement_id=la.pk).status == "envoyee"
    else:
        with pytest.raises(services.MobilityError, match="non conforme"):
            agreements.send_for_signature(actor=world.student.user, agreement_id=la.pk)


def test_the_editor_uses_the_host_catalogue_and_a_new_version_starts_from_the_previous(
        client, world, mobility, mobility_file, catalogue, home_ues, signed):
    student = world.student.user
    client.force_login(student)
    url = reverse("mobility_file", args=[mobility_file.pk])
    page = client.get(url).content.decode()
    # The new version's form starts checked with the signed version's components and UEs.
    assert f'id="co-{catalogue[0].pk}" name="course" value="{catalogue[0].pk}" checked' in page
    assert f'id="h-{home_ues[0].pk}" name="home" value="{home_ues[0].pk}" checked' in page
    action = reverse("mobility_file_action", args=[mobility_file.pk])
    response = client.post(action, {"action": "convention", "course": [catalogue[0].pk], "home": [u.pk for u in home_ues],
                                    "new-code-0": "PT-NEW", "new-title-0": "Intervenção comunitária", "new-ects-0": "15",
                                    "new-semester-0": "1", "reason_code": "not-available", "reason": "Cours fermé",
                                    "language": "en"}, follow=True)
    assert "Convention v2 enregistrée : conforme" in response.content.decode()
    la = mobility_file.agreements.first()
    changes = {line.code: (line.change, line.reason_code) for line in la.lines.filter(change__gt="")}
    assert changes == {"PT-NEW": ("inserted", "not-available"), "PT-POL": ("deleted", "not-available")}
    assert catalogue[0].host.host_courses.filter(code="PT-NEW").exists()  # kept for the next students
    assert la.status == "brouillon" and not la.student_signed_at  # to sign again


@pytest.mark.article("Procédure mobilité AS", "201")
def test_the_contract_is_refused_outside_the_month_before_departure(world, mobility, mobility_file, ready, settings):
    hers = mobility["coordinators"]["HERS"]
    for day in ("2024-08-15", "2024-09-16"):
        settings.PARCOURS_TODAY = day
        with pytest.raises(services.MobilityError, match="mois qui précède le départ"):
            files.issue_contract(actor=hers, file_id=mobility_file.pk)
    settings.PARCOURS_TODAY = "2024-08-16"
    f = files.issue_contract(actor=hers, file_id=mobility_file.pk)
    # 16 September 2024 – 31 January 2025: 4 months and 16 days at the HERS rate of 520 € for Portugal.
    assert f.grant_amount == Decimal("2357.33") and f.grant_computation["details"]["first_instalment"] == "1885.86"
    client_pdf = files.contract_window(f)
    assert client_pdf == (dt.date(2024, 8, 16), dt.date(2024, 9, 15))


@pytest.mark.article("Procédure mobilité AS", "201")
def test_the_contract_needs_the_conditions_met(world, mobility, mobility_file, rates, settings):
    settings.PARCOURS_TODAY = "2024-09-01"
    with pytest.raises(services.MobilityError) as refused:
        files.issue_contract(actor=mobility["coordinators"]["HERS"], file_id=mobility_file.pk)
    for missing in ("convention", "assurance", "pièces de candidature", "IBAN"):
        assert missing in str(refused.value)
    with pytest.raises(services.MobilityError, match="IBAN invalide"):
        files.set_bank_account(actor=world.student.user, file_id=mobility_file.pk, iban="BE68 5390 0754 7035", holder="L")
    with pytest.raises(services.MobilityError, match="établissement gestionnaire"):
        files.issue_contract(actor=mobility["coordinators"]["HENALLUX"], file_id=mobility_file.pk)


def pdf_text(user, pk, kind) -> str:
    """The document as rendered for the PDF service (same template, context and language)."""
    template, context, language, _ = document(user, pk, kind)
    with translation.override(language):
        return re.sub(r"[\s\u202f\xa0]+", " ", strip_tags(render_to_string(template, context)))


def test_the_contract_pdf_states_amount_account_and_signatures(client, world, mobility, mobility_file, signed):
    client.force_login(world.student.user)
    response = client.get(reverse("file_pdf", args=[mobility_file.pk, "contrat"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = pdf_text(world.student.user, mobility_file.pk, "contrat")
    for expected in ("2 357,33 €", "1 885,86 €", "BE68 5390 0754 7034", "du 16 septembre 2024 au 31 janvier 2025",
                     "Signature", "art. 201", "signé"[:4]):
        assert expected in text, expected


@pytest.mark.article("215", "Procédure mobilité AS")
def test_the_learning_agreement_pdf_is_in_english_with_the_real_signature_dates(client, world, mobility_file, signed):
    client.force_login(world.student.user)
    response = client.get(reverse("file_pdf", args=[mobility_file.pk, "convention"]))
    assert response.content.startswith(b"%PDF")
    text = pdf_text(world.student.user, mobility_file.pk, "convention")
    assert "Before the mobility" in text and "Table A" in text and "Avant la mobilité" not in text
    assert "01/09/2024" in text and "Ana Silva" in text  # signed on the clock's day, generated the same day


@pytest.mark.article("Procédure mobilité AS")
def test_the_attestation_de_sejour_is_uploaded_by_the_student_and_verified_by_the_coordinator(
        client, world, mobility, mobility_file, signed, settings):
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    upload(student, mobility_file, "attestation_sejour")
    with pytest.raises(services.MobilityError, match="coordinateur de l'établissement gestionnaire"):
        verify(student, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16))
    settings.PARCOURS_TODAY = "2024-09-15"  # the day before the arrival it attests
    with pytest.raises(services.MobilityError, match="postérieure à aujourd'hui"):
        verify(hers, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16))
    settings.PARCOURS_TODAY = "2024-09-20"
    verify(hers, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16))
    mobility_file.refresh_from_db()
    assert mobility_file.phase == MobilityFile.Phase.DURING and mobility_file.arrival == dt.date(2024, 9, 16)
    with pytest.raises(services.MobilityError, match="retour"):
        files.submit_report(actor=student, file_id=mobility_file.pk, answers={})
    upload(student, mobility_file, "attestation_sejour")  # the same attestation, now with the departure
    with pytest.raises(services.MobilityError, match="postérieure"):
        verify(hers, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16), departure=dt.date(2025, 1, 31))
    settings.PARCOURS_TODAY = "2025-02-03"
    verify(hers, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16), departure=dt.date(2025, 1, 31))
    mobility_file.refresh_from_db()
    assert mobility_file.phase == MobilityFile.Phase.AFTER


@pytest.fixture
def returned(world, mobility, mobility_file, signed, settings):
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    settings.PARCOURS_TODAY = "2025-02-03"
    upload(student, mobility_file, "attestation_sejour")
    verify(hers, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16), departure=dt.date(2025, 1, 31))
    return mobility_file


@pytest.mark.article("215")
def test_recognition_needs_the_verified_transcript_and_every_grade(world, mobility, returned, home_ues):
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    pol, soc = signed_lines(returned)
    grades = {pol.pk: {"grade": "14", "max": "20", "pass": "9,5", "ue": home_ues[0].pk},
              soc.pk: {"grade": "16", "ue": home_ues[0].pk}}
    with pytest.raises(services.MobilityError, match="déposé et vérifié"):
        files.recognise_credits(actor=hers, file_id=returned.pk, grades=grades)
    upload(student, returned, "releve_accueil")
    with pytest.raises(services.MobilityError, match="seuls|Seul"):
        verify(student, returned, "releve_accueil")
    verify(hers, returned, "releve_accueil")
    with pytest.raises(services.MobilityError, match="sans composante d'accueil correspondante : AS21"):
        files.recognise_credits(actor=hers, file_id=returned.pk, grades=grades)
    grades[soc.pk] = {"grade": "", "ue": home_ues[1].pk}
    with pytest.raises(services.MobilityError, match="manquante pour PT-SOC1"):
        files.recognise_credits(actor=hers, file_id=returned.pk, grades=grades)
    grades[soc.pk] = {"grade": "25", "max": "20", "ue": home_ues[1].pk}
    with pytest.raises(services.MobilityError, match="Note invalide pour PT-SOC1"):
        files.recognise_credits(actor=hers, file_id=returned.pk, grades=grades)
    assert not AcquiredCredit.objects.filter(student=world.student, ue__in=home_ues).exists()  # nothing half-saved


def signed_lines(f):
    return f.agreements.first().lines.filter(side="host").order_by("code")


@pytest.mark.article("215")
def test_a_tfe_or_a_stage_is_recognised_only_on_explicit_confirmation(client, world, mobility, mobility_file, catalogue,
                                                                       rates, settings):
    tfe = UEFactory(programme=world.programme, code="AS3TFE", title="Travail de fin d'études", credits=15, bloc=3)
    other = UEFactory(programme=world.programme, code="AS3SEM", title="Séminaire", credits=15, bloc=3)
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    mobility_file.candidature.wants_grant = False
    mobility_file.candidature.save()
    la = agreements.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[tfe.pk, other.pk],
                                      host_course_ids=[catalogue[0].pk, catalogue[1].pk])
    agreements.send_for_signature(actor=student, agreement_id=la.pk)
    agreements.sign_agreement(actor=student, agreement_id=la.pk, party="student")
    agreements.sign_agreement(actor=hers, agreement_id=la.pk, party="sending")
    agreements.sign_agreement(actor=hers, agreement_id=la.pk, party="receiving", signer="Ana Silva")
    settings.PARCOURS_TODAY = "2025-02-03"
    upload(student, mobility_file, "attestation_sejour")
    verify(hers, mobility_file, "attestation_sejour", arrival=dt.date(2024, 9, 16), departure=dt.date(2025, 1, 31))
    upload(student, mobility_file, "releve_accueil")
    verify(hers, mobility_file, "releve_accueil")
    lines = list(signed_lines(mobility_file))
    grades = {lines[0].pk: {"grade": "13", "ue": tfe.pk}, lines[1].pk: {"grade": "15", "ue": other.pk}}
    with pytest.raises(services.MobilityError, match="TFE ou un stage"):
        files.recognise_credits(actor=hers, file_id=mobility_file.pk, grades=grades)
    assert files.recognise_credits(actor=hers, file_id=mobility_file.pk, grades=grades, confirm_tfe_stage=True) == 2
    assert AcquiredCredit.objects.get(student=world.student, ue=tfe).note == Decimal("13.0")


@pytest.mark.article("215", "Procédure mobilité AS")
def test_after_the_mobility_the_report_recognition_and_closure_empty_the_checklist(
        client, world, mobility, returned, home_ues):
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    upload(student, returned, "releve_accueil")
    verify(hers, returned, "releve_accueil")
    pol, soc = signed_lines(returned)
    client.force_login(hers)
    action = reverse("mobility_file_action", args=[returned.pk])
    with pytest.raises(services.MobilityError, match="rapport"):
        files.close(actor=hers, file_id=returned.pk)
    response = client.post(action, {"action": "reconnaitre", f"grade-{pol.pk}": "14", f"max-{pol.pk}": "20",
                                    f"pass-{pol.pk}": "9,5", f"ue-{pol.pk}": home_ues[0].pk,
                                    f"grade-{soc.pk}": "8", f"max-{soc.pk}": "10", f"pass-{soc.pk}": "5",
                                    f"ue-{soc.pk}": home_ues[1].pk}, follow=True)
    assert "2 UE reconnue(s)" in response.content.decode()
    notes = dict(AcquiredCredit.objects.filter(student=world.student, valorised=True, ue__in=home_ues)
                 .values_list("ue__code", "note"))
    assert notes == {"AS20": Decimal("14.3"), "AS21": Decimal("16.0")}  # 14/20 (pass 9.5) and 8/10 (pass 5)
    client.force_login(student)
    page = client.get(reverse("mobility_file", args=[returned.pk])).content.decode()
    assert "14/20" in page and "8/10" in page and "14,3" in page and "16,0" in page  # shown to the student
    answers = {"accueil": "Très bon accueil", "programme": "Conforme", "vie": "Logement cher", "recommandation": "oui"}
    response = client.post(action, {"action": "rapport", **{k: v for k, v in answers.items() if k != "vie"}}, follow=True)
    assert "Répondez à chaque question" in response.content.decode()
    client.post(action, {"action": "rapport", **answers})
    client.force_login(mobility["coordinators"]["HERS"])
    page = client.get(reverse("mobility_file", args=[returned.pk])).content.decode()
    assert "Logement cher" in page  # readable by the coordinators
    client.post(action, {"action": "cloturer"})
    returned.refresh_from_db()
    assert returned.phase == MobilityFile.Phase.CLOSED
    client.force_login(student)
    home = client.get(reverse("home")).content.decode()
    row = re.search(r"Candidature mobilité 2024-2025</a></td><td>[^<]*</td><td>(\d+)</td>", home)
    assert row and row.group(1) == "0"  # the checklist is empty once every document is verified


@pytest.mark.article("Procédure mobilité AS")
def test_the_social_inquiry_appointment_and_outcome(client, world, mobility, mobility_file):
    student, worker = world.student.user, world.users["assistant_social"]
    with pytest.raises(services.MobilityError, match="n'a pas demandé"):
        files.record_social_inquiry(actor=worker, file_id=mobility_file.pk, appointment_at=dt.datetime(2024, 5, 2, 10))
    files.request_social_inquiry(actor=student, file_id=mobility_file.pk, on=dt.date(2024, 4, 20))
    assert worker.notifications.filter(title__startswith="Enquête sociale demandée").exists()
    with pytest.raises(services.MobilityError, match="travailleur social"):
        files.record_social_inquiry(actor=mobility["coordinators"]["HERS"], file_id=mobility_file.pk, outcome="refusee")
    with pytest.raises(services.MobilityError, match="rendez-vous"):
        files.record_social_inquiry(actor=worker, file_id=mobility_file.pk, outcome="refusee")
    client.force_login(worker)
    action = reverse("mobility_file_action", args=[mobility_file.pk])
    client.post(action, {"action": "enquete_rdv", "appointment_at": "2024-05-02T10:30"})
    response = client.post(action, {"action": "enquete_issue", "outcome": "accordee", "amount": ""}, follow=True)
    assert "montant" in response.content.decode()
    response = client.post(action, {"action": "enquete_issue", "outcome": "accordee", "amount": "1e999999"}, follow=True)
    assert "un million" in response.content.decode()
    client.post(action, {"action": "enquete_issue", "outcome": "accordee", "amount": "350,00"})
    client.force_login(student)
    page = client.get(reverse("mobility_file", args=[mobility_file.pk])).content.decode()
    assert "rendez-vous le 2 mai 2024 à 10:30" in page and "aide complémentaire accordée" in page and "350" in page


def children(node) -> list[str]:
    return [c.tag.split("}")[1] for c in node]


def text(node, path) -> str:
    found = node.find(path.replace("/", f"/{NS}").join([NS, ""]) if not path.startswith(".") else path)
    assert found is not None and (found.text or "").strip(), path
    return found.text.strip()


def required_in_order(node, names):
    """Each name is present, in the schema's sequence order."""
    tags = children(node)
    positions = []
    for name in names:
        alternatives = name.split("|")
        hits = [tags.index(a) for a in alternatives if a in tags]
        assert hits, f"{node.tag}: {name} missing"
        positions.append(hits[0])
    assert positions == sorted(positions), f"{node.tag}: order {tags}"


def check_signature(sig):
    required_in_order(sig, ["timestamp"])
    stamp = sig.find(f"{NS}timestamp").text
    assert dt.datetime.fromisoformat(stamp).tzinfo is not None  # xs:dateTime with its offset


def check_components(listing, reason_codes):
    for comp in listing.findall(f"{NS}component"):
        required_in_order(comp, ["title"])
        for credit in comp.findall(f"{NS}credit"):
            assert children(credit) == ["scheme", "value"] and credit[0].text == "ects"
            Decimal(credit[1].text)  # xs:decimal
        term = comp.find(f"{NS}term-id")
        if term is not None:
            assert [t.tag for t in term] == [f"{TRM}term-number", f"{TRM}total-terms"]
        if comp.get("status"):
            assert comp.get("status") in ("inserted", "deleted") and comp.get("reason-code") in reason_codes


def check_list(node):
    """ListOf_Components: optional component lists, then the student's and the sending HEI's signatures (required),
    then the receiving HEI's (optional)."""
    tags = children(node)
    required_in_order(node, ["student-signature", "sending-hei-signature"])
    lists = [t for t in tags if t.endswith("components")]
    assert all(tags.index(t) < tags.index("student-signature") for t in lists)
    for name in ("student-signature", "sending-hei-signature", "receiving-hei-signature"):
        if name in tags:
            check_signature(node.find(f"{NS}{name}"))
    codes = {"not-available", "language-mismatch", "timetable-conflict", "substituting-deleted", "extending-mobility",
             "adding-virtual-component"}
    for listing in node:
        if listing.tag.endswith("components"):
            check_components(listing, codes)


@pytest.mark.article("215")
def test_the_ewp_export_carries_every_element_the_specification_requires(client, world, mobility, mobility_file,
                                                                          catalogue, home_ues, signed):
    root = ET.fromstring(ewp.export(mobility_file))
    assert root.tag == f"{NS}omobility-las-get-response" and children(root) == ["la"]
    la = root[0]
    required_in_order(la, ["omobility-id", "sending-hei", "receiving-hei", "receiving-academic-year-id", "student",
                           "start-date|start-year-month", "end-date|end-year-month", "eqf-level-studied-at-departure",
                           "isced-f-code", "student-language-skill"])
    assert re.fullmatch(r"[\x20-\x7E]+", la.find(f"{NS}omobility-id").text)  # AsciiPrintableIdentifier
    for hei in ("sending-hei", "receiving-hei"):
        node = la.find(f"{NS}{hei}")
        required_in_order(node, ["hei-id", "contact-person"])
        person = node.find(f"{NS}contact-person")
        required_in_order(person, ["given-names", "family-name", "email"])
        assert "@" in person.find(f"{NS}email").text
    assert la.find(f"{NS}receiving-hei/{NS}contact-person/{NS}family-name").text == "Silva"
    year = la.find(f"{NS}receiving-academic-year-id").text
    assert re.fullmatch(r"(\d{4})/(\d{4})", year) and int(year[5:]) == int(year[:4]) + 1
    student = la.find(f"{NS}student")
    assert re.fullmatch(r"[A-Z]{2}", student.find(f"{NS}citizenship").text)  # ISO 3166-1 alpha-2
    assert dt.date.fromisoformat(la.find(f"{NS}start-date").text) == dt.date(2024, 9, 16)
    assert 1 <= int(la.find(f"{NS}eqf-level-studied-at-departure").text) <= 8
    assert re.fullmatch(r"\d{4}", la.find(f"{NS}isced-f-code").text)
    skill = la.find(f"{NS}student-language-skill")
    assert children(skill) == ["language", "cefr-level"]
    assert skill[0].text == "pt" and skill[1].text in {"A1", "A2", "B1", "B2", "C1", "C2"}
    first = la.find(f"{NS}first-version")
    check_list(first)
    studied = [c.find(f"{NS}title").text for c in first.find(f"{NS}components-studied")]
    assert studied == ["Políticas sociais", "Serviço social"]  # table A
    assert len(first.find(f"{NS}components-recognized")) == 2  # table B
    assert "approved-changes" not in children(la) and "changes-proposal" not in children(la)

    # A change during the mobility, signed by the three parties: the approved changes carry status and reason code.
    student_user, hers = world.student.user, mobility["coordinators"]["HERS"]
    v2 = agreements.propose_agreement(actor=student_user, file_id=mobility_file.pk, home_ue_ids=[u.pk for u in home_ues],
                                      host_course_ids=[catalogue[0].pk, catalogue[2].pk], reason="Cours fermé",
                                      reason_code="not-available")
    agreements.send_for_signature(actor=student_user, agreement_id=v2.pk)
    agreements.sign_agreement(actor=student_user, agreement_id=v2.pk, party="student")
    agreements.sign_agreement(actor=hers, agreement_id=v2.pk, party="sending")
    root = ET.fromstring(ewp.export(mobility_file))
    proposal = root[0].find(f"{NS}changes-proposal")
    assert proposal is not None and proposal.get("id") == "v2"
    check_list(proposal)
    agreements.sign_agreement(actor=hers, agreement_id=v2.pk, party="receiving", signer="Ana Silva")
    la = ET.fromstring(ewp.export(mobility_file))[0]
    approved = la.find(f"{NS}approved-changes")
    check_list(approved)
    statuses = {c.find(f"{NS}los-code").text: c.get("status") for c in approved.find(f"{NS}components-studied")}
    assert statuses == {"PT-ALT": "inserted", "PT-POL": "deleted", "PT-SOC1": None}
    assert children(la).index("first-version") < children(la).index("approved-changes")


def test_the_ewp_export_says_what_is_missing(client, world, mobility, mobility_file, catalogue, home_ues, signed):
    d = mobility_file.candidature.destination
    d.host_contact_email = ""
    d.save()
    with pytest.raises(services.MobilityError, match="coordinateur de l'établissement d'accueil"):
        ewp.export(mobility_file)
    client.force_login(world.student.user)
    assert client.get(reverse("mobility_file_ewp", args=[mobility_file.pk])).status_code == 404  # the coordinator's tool


def test_the_ri_home_lists_files_by_phase_with_what_waits(client, world, mobility, mobility_file):
    client.force_login(mobility["coordinators"]["HERS"])
    page = client.get(reverse("home")).content.decode()
    assert "Mobilité : dossiers par phase" in page and "convention à établir" in page
    assert "contrat de bourse à émettre" in page
    client.force_login(mobility["coordinators"]["HENALLUX"])  # not the managing institution of this file
    assert "convention à établir" not in client.get(reverse("home")).content.decode()


@pytest.mark.article("Procédure mobilité AS")
def test_odd_input_gives_a_french_message_not_an_error(client, world, mobility, mobility_file):
    hers = mobility["coordinators"]["HERS"]
    client.force_login(hers)
    action = reverse("mobility_file_action", args=[mobility_file.pk])
    for data in ({"action": "contrat_signer", "on": "9999-12-31"},
                 {"action": "verifier", "slot": "abc", "accept": "oui"},
                 {"action": "verifier", "slot": "999999", "accept": "oui"},
                 {"action": "reconnaitre", "grade-1": "x"},
                 {"action": "enquete_issue", "outcome": "accordee", "amount": "1e999999"}):
        response = client.post(action, data, follow=True)
        assert response.status_code == 200, data
        assert 'class="msg error"' in response.content.decode() or "msg error" in response.content.decode(), data
    assert client.post(action, {"action": "inconnue"}).status_code == 404
    assert client.post(action, {"action": "signer", "agreement": "999999", "party": "sending"}).status_code == 404


@pytest.mark.article("Procédure mobilité AS")
def test_a_refused_document_says_why_and_can_be_uploaded_again(world, mobility, mobility_file):
    student, hers = world.student.user, mobility["coordinators"]["HERS"]
    slot = upload(student, mobility_file, "assurance")
    with pytest.raises(services.MobilityError, match="motif du refus"):
        files.verify_document(actor=hers, slot_id=slot.pk, accept=False, reason=" ")
    files.verify_document(actor=hers, slot_id=slot.pk, accept=False, reason="Attestation illisible")
    slot.refresh_from_db()
    assert (slot.status, slot.refusal_reason) == ("refuse", "Attestation illisible")
    upload(student, mobility_file, "assurance")
    assert verify(hers, mobility_file, "assurance").status == "accepte"


def test_the_nomination_letter_is_in_the_hosts_language_with_period_and_contact(world, mobility, mobility_file):
    text = pdf_text(world.student.user, mobility_file.candidature.pk, "nomination")
    assert "We are pleased to nominate" in text and "16/09/2024 – 31/01/2025" in text
    assert "international@hers.be" in text and "For the attention of Ana Silva" in text


@pytest.mark.article("215")
def test_a_traineeship_agreement_describes_its_programme(client, world, mobility, submitted, settings):
    from parcours.exchanges.models import HostCourse

    committee, hers = world.users["comite_mobilite"], mobility["coordinators"]["HERS"]
    services.evaluate(actor=committee, candidature_id=submitted.pk, score="15", comment="")
    stage = mobility["laval_stage"]
    stage.host.host_courses.all().delete()
    services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Stage confirmé",
                    criteria=["Niveau de langue"], destination_id=stage.pk, managing_institution_id=mobility["hers"].pk)
    services.authorise(actor=world.users["direction_departement"], candidature_id=submitted.pk, authorised=True)
    f = files.open_file(actor=hers, candidature_id=submitted.pk, start=dt.date(2024, 6, 3), end=dt.date(2024, 8, 4))
    course = HostCourse.objects.create(host=stage.host, code="STG", title="Stage en travail social", ects=10)
    ue = UEFactory(programme=world.programme, code="AS3STG", title="Stage professionnel", credits=10, bloc=3)
    student = world.student.user
    la = agreements.propose_agreement(actor=student, file_id=f.pk, home_ue_ids=[ue.pk], host_course_ids=[course.pk],
                                      traineeship={"traineeship_title": "Intervention de rue"})
    assert not la.conform and "heures par semaine" in la.verification["reasons"][0]["text"]
    la = agreements.propose_agreement(actor=student, file_id=f.pk, home_ue_ids=[ue.pk], host_course_ids=[course.pk],
                                      traineeship={"hours_per_week": "35", "traineeship_programme": "Maraudes."})
    assert la.conform and la.traineeship_title == "Intervention de rue"  # kept from the version it started from
    text = pdf_text(student, f.pk, "convention")
    assert "Student Mobility for Traineeships" in text and "Intervention de rue" in text and "Maraudes." in text


@pytest.mark.article("Procédure mobilité AS")
def test_a_refusal_without_reason_reads_in_english_and_in_french_by_default(world, mobility, mobility_file):
    slot = upload(world.student.user, mobility_file, "assurance")
    hers = mobility["coordinators"]["HERS"]
    with translation.override("en"), pytest.raises(services.MobilityError) as caught:
        files.verify_document(actor=hers, slot_id=slot.pk, accept=False, reason=" ")
    assert str(caught.value) == "Give the reason for the refusal: the student must know what to correct."
    with pytest.raises(services.MobilityError) as caught:
        files.verify_document(actor=hers, slot_id=slot.pk, accept=False, reason=" ")
    assert str(caught.value) == "Indiquez le motif du refus : l'étudiant doit savoir quoi corriger."
