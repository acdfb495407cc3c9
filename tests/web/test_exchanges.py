"""Outgoing mobility: the call, the candidature sent to HENALLUX and HERS, the committee's selection
(seed 000; RGE art. 214-219)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.dossiers.services import upload_document
from parcours.exchanges import services
from parcours.exchanges.workflow import CandidatureStatus
from parcours.institutions.models import Institution
from parcours.students.models import AcquiredCredit
from tests.factories import InstitutionFactory, UEFactory, UserFactory, role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mobility(world, settings):
    settings.PARCOURS_TODAY = "2024-01-15"
    henallux = InstitutionFactory(code="HENALLUX", name="HENALLUX", kind=Institution.Kind.PARTNER)
    hers = InstitutionFactory(code="HERS", name="HERS", kind=Institution.Kind.PARTNER)
    world.programme.co_organised_with.set([henallux, hers])
    porto = InstitutionFactory(code="UPORTO", name="Universidade do Porto", kind=Institution.Kind.HOST, country="PT")
    laval = InstitutionFactory(code="ULAVAL", name="Université Laval", kind=Institution.Kind.HOST, country="CA")
    call = services.open_call(actor=world.users["bureau_international"], programme_id=world.programme.pk,
                              mobility_year="2024-2025", title="Erasmus AS 2024-2025", department_min_credits=45,
                              destinations=[(porto.pk, "SMS", 1), (laval.pk, "SMS", 2)])
    coordinators = {code: role(UserFactory(email=f"ri@{code.lower()}.be"), Role.RI_COORDINATOR, institution=inst)
                    for code, inst in (("HENALLUX", henallux), ("HERS", hers))}
    for i in range(5):
        ue = UEFactory(programme=world.programme, code=f"AS1{i}", credits=10, bloc=1)
        AcquiredCredit.objects.create(student=world.student, ue=ue, academic_year="2022-2023", note=12)
    return {"call": call, "porto": call.destinations.get(host=porto), "laval": call.destinations.get(host=laval),
            "henallux": henallux, "hers": hers, "coordinators": coordinators}


def candidature(world, m, *dest):
    return services.start_candidature(actor=world.student.user, call_id=m["call"].pk,
                                      destination_ids=[d.pk for d in dest] or [m["porto"].pk])


def upload_all(world, c):
    for slot in c.dossier.slots.all():
        upload_document(actor=world.student.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("doc.pdf", PDF))


@pytest.mark.article("Procédure mobilité AS", "215")
def test_a_call_takes_its_deadlines_from_the_year_and_goes_to_both_institutions(world, mobility):
    call = mobility["call"]
    assert (call.deadline, call.deadline_canada) == (dt.date(2024, 2, 19), dt.date(2023, 12, 8))
    assert sorted(call.recipients.values_list("code", flat=True)) == ["HENALLUX", "HERS"]
    with pytest.raises(services.MobilityError, match="Bureau International"):
        services.open_call(actor=world.users["secretariat"], programme_id=world.programme.pk, mobility_year="2024-2025",
                           title="x", department_min_credits=45, destinations=[])


@pytest.mark.article("Procédure mobilité AS")
def test_the_candidature_has_the_four_documents_due_on_the_deadline(world, mobility):
    c = candidature(world, mobility)
    assert sorted(c.dossier.slots.values_list("code", flat=True)) == ["bulletins", "cv", "formulaire", "lettre_motivation"]
    assert set(c.dossier.slots.values_list("due_date", flat=True)) == {dt.date(2024, 2, 19)}


@pytest.mark.article("Procédure mobilité AS")
@pytest.mark.parametrize("day,ok", [("2024-02-19", True), ("2024-02-20", False)])
def test_submission_closes_after_the_deadline_unless_an_exception_is_opened(world, mobility, day, ok):
    c = candidature(world, mobility)
    upload_all(world, c)
    if ok:
        assert services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True,
                               on=dt.date.fromisoformat(day)).status == CandidatureStatus.SUBMITTED
        return
    with pytest.raises(services.MobilityError, match="Date limite dépassée"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, on=dt.date.fromisoformat(day))
    services.open_exception(actor=world.users["coordinateur_ri"], candidature_id=c.pk, reason="Hospitalisation")
    assert services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True,
                           on=dt.date.fromisoformat(day)).status == CandidatureStatus.SUBMITTED


@pytest.mark.article("Procédure mobilité AS")
def test_canada_closes_on_8_december(world, mobility):
    c = candidature(world, mobility, mobility["laval"])
    upload_all(world, c)
    with pytest.raises(services.MobilityError, match="8 décembre 2023"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, on=dt.date(2023, 12, 9))


@pytest.mark.article("Procédure mobilité AS")
def test_an_incomplete_or_unsigned_candidature_is_not_submitted(world, mobility):
    c = candidature(world, mobility)
    with pytest.raises(services.MobilityError, match="Dossier incomplet"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, on=dt.date(2024, 1, 15))
    upload_all(world, c)
    with pytest.raises(services.MobilityError, match="Signature"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=False, on=dt.date(2024, 1, 15))


@pytest.mark.article("215", "214")
def test_the_department_minimum_credits_apply_to_a_study_mobility(world, mobility):
    AcquiredCredit.objects.filter(student=world.student).first().delete()  # 40 credits left, 45 required
    c = candidature(world, mobility)
    upload_all(world, c)
    with pytest.raises(services.MobilityError, match="sous le minimum de 45"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, on=dt.date(2024, 1, 15))


def test_destinations_are_ranked_without_repetition(world, mobility):
    with pytest.raises(services.MobilityError, match="deux fois"):
        candidature(world, mobility, mobility["porto"], mobility["porto"])
    c = candidature(world, mobility, mobility["laval"], mobility["porto"])
    assert [ch.destination for ch in c.choices.all()] == [mobility["laval"], mobility["porto"]]


def test_only_regular_students_of_the_programme_apply(world, mobility):
    with pytest.raises(services.MobilityError, match="régulièrement inscrits"):
        services.start_candidature(actor=world.foreign_student.user, call_id=mobility["call"].pk,
                                   destination_ids=[mobility["porto"].pk])


@pytest.fixture
def submitted(world, mobility):
    c = candidature(world, mobility, mobility["porto"], mobility["laval"])
    upload_all(world, c)
    return services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, on=dt.date(2023, 12, 1))


@pytest.mark.article("Procédure mobilité AS")
def test_each_institution_records_its_reception(world, mobility, submitted, client):
    hers = mobility["coordinators"]["HERS"]
    services.record_reception(actor=hers, candidature_id=submitted.pk, institution_id=mobility["hers"].pk)
    with pytest.raises(services.MobilityError, match="coordinateur RI de cet établissement"):
        services.record_reception(actor=hers, candidature_id=submitted.pk, institution_id=mobility["henallux"].pk)
    client.force_login(hers)
    assert client.get(reverse("candidature_detail", args=[submitted.pk])).status_code == 200
    slot = submitted.dossier.slots.first()
    assert client.get(reverse("slot_file", args=[slot.pk])).status_code == 200  # the documents sent to HERS
    assert client.get(reverse("dossier_detail", args=[world.dossier.pk])).status_code == 404  # not the rest
    assert client.get(reverse("student_detail", args=[world.student.pk])).status_code == 404  # no HELHa-wide access


@pytest.mark.article("215", "Procédure mobilité AS")
def test_selection_within_places_with_the_managing_institution(world, mobility, submitted):
    committee = world.users["comite_mobilite"]
    services.review(actor=committee, candidature_id=submitted.pk, score=16, comment="Projet solide.")
    with pytest.raises(services.MobilityError, match="établissement qui gère"):
        services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        destination_id=mobility["porto"].pk)
    c = services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk)
    assert c.status == CandidatureStatus.SELECTED and services.places_left(mobility["porto"]) == 0
    note = world.student.user.notifications.latest("created_at")
    assert "Universidade do Porto" in note.title and "HERS" in note.title
    # The only place at Porto is taken: another student is offered the waiting list or another destination.
    other = services.start_candidature(actor=world.other_student.user, call_id=mobility["call"].pk,
                                       destination_ids=[mobility["porto"].pk])
    for i in range(5):
        ue = UEFactory(programme=world.programme, code=f"X{i}", credits=10, bloc=1)
        AcquiredCredit.objects.create(student=world.other_student, ue=ue, academic_year="2022-2023", note=12)
    for slot in other.dossier.slots.all():
        upload_document(actor=world.other_student.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("d.pdf", PDF))
    services.submit(actor=world.other_student.user, candidature_id=other.pk, letter_signed=True, on=dt.date(2024, 1, 5))
    with pytest.raises(services.MobilityError, match="Plus de place"):
        services.decide(actor=committee, candidature_id=other.pk, status="retenue", reason="x",
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk)
    assert services.decide(actor=committee, candidature_id=other.pk, status="attente",
                           reason="Quota atteint à Porto").status == CandidatureStatus.WAITLISTED


def test_refused_transitions_and_who_decides(world, mobility, submitted):
    with pytest.raises(services.MobilityError, match="comité"):
        services.decide(actor=world.users["secretariat"], candidature_id=submitted.pk, status="refusee", reason="x")
    with pytest.raises(services.MobilityError, match="Motivez"):
        services.decide(actor=world.users["comite_mobilite"], candidature_id=submitted.pk, status="refusee", reason=" ")
    services.decide(actor=world.users["comite_mobilite"], candidature_id=submitted.pk, status="refusee", reason="Projet flou")
    with pytest.raises(services.MobilityError, match="Impossible"):
        services.decide(actor=world.users["comite_mobilite"], candidature_id=submitted.pk, status="attente", reason="x")


def test_screens(client, world, mobility, submitted):
    client.force_login(world.users["bureau_international"])
    page = client.get(reverse("call_detail", args=[mobility["call"].pk])).content.decode()
    assert "Erasmus AS 2024-2025" in page and "Dupont" in page
    client.force_login(world.users["etudiant"])
    assert "Ma candidature" in client.get(reverse("mobility_calls")).content.decode()
    page = client.get(reverse("candidature_detail", args=[submitted.pk])).content.decode()
    assert "Liste de contrôle" in page and "19 février 2024" in page or "8 décembre 2023" in page
    client.force_login(world.users["autre_etudiant"])
    assert client.get(reverse("candidature_detail", args=[submitted.pk])).status_code == 404


@pytest.fixture
def selected(world, mobility, submitted):
    return services.decide(actor=world.users["comite_mobilite"], candidature_id=submitted.pk, status="retenue",
                           reason="Bon projet", destination_id=mobility["porto"].pk,
                           managing_institution_id=mobility["hers"].pk)


@pytest.fixture
def mobility_file(world, selected):
    from parcours.exchanges import files

    return files.open_file(actor=world.users["bureau_international"], candidature_id=selected.pk,
                           start=dt.date(2024, 9, 16), end=dt.date(2025, 1, 31))


HOST = [("PT-SOC1", "Serviço social", 15, 1), ("PT-POL", "Políticas sociais", 15, 1)]


@pytest.mark.article("215")
@pytest.mark.parametrize("end,ok", [(dt.date(2024, 12, 15), True), (dt.date(2024, 12, 14), False)])
def test_the_planned_duration_is_checked(world, selected, end, ok):
    from parcours.exchanges import files

    if ok:
        assert files.open_file(actor=world.users["bureau_international"], candidature_id=selected.pk,
                               start=dt.date(2024, 9, 16), end=end).pk
    else:  # 13 weeks = 91 days from 16 September 2024 is 15 December
        with pytest.raises(services.MobilityError, match="13 semaines"):
            files.open_file(actor=world.users["bureau_international"], candidature_id=selected.pk,
                            start=dt.date(2024, 9, 16), end=end)


@pytest.mark.article("Procédure mobilité AS")
@pytest.mark.parametrize("on,ok", [(dt.date(2024, 8, 15), False), (dt.date(2024, 8, 16), True),
                                   (dt.date(2024, 9, 15), True), (dt.date(2024, 9, 16), False)])
def test_the_grant_contract_is_signed_in_the_month_before_departure(world, mobility_file, on, ok):
    from parcours.exchanges import files

    if ok:
        assert files.sign_grant_contract(actor=world.users["bureau_international"], file_id=mobility_file.pk,
                                         on=on).grant_contract_signed_on == on
    else:
        with pytest.raises(services.MobilityError, match="dans le mois qui précède"):
            files.sign_grant_contract(actor=world.users["bureau_international"], file_id=mobility_file.pk, on=on)


@pytest.mark.article("215", "Procédure mobilité AS")
def test_the_learning_agreement_from_proposal_to_recognition(world, mobility, mobility_file):
    from parcours.exchanges import files
    from parcours.exchanges.models import MobilityFile
    from parcours.students.models import PaeEntry

    home = [UEFactory(programme=world.programme, code=f"AS2{i}", credits=10, bloc=2) for i in range(3)]
    PaeEntry.objects.bulk_create([PaeEntry(registration=world.registration, ue=u) for u in home])
    student, office = world.student.user, world.users["bureau_international"]
    too_few = files.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[home[0].pk],
                                      host_lines=[("PT-X", "X", 19, 1)])
    assert too_few.verification["outcome"] is False  # 19 ECTS for one quadrimestre: fewer than 20
    with pytest.raises(services.MobilityError, match="motif"):
        files.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[u.pk for u in home], host_lines=HOST)
    la = files.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[u.pk for u in home],
                                 host_lines=HOST, reason="Cours disponibles confirmés")
    assert la.version == 2 and la.verification["outcome"] is True
    with pytest.raises(services.MobilityError, match="après le contrat de bourse"):
        files.sign_agreement(actor=student, agreement_id=la.pk, party="student")
    files.sign_grant_contract(actor=office, file_id=mobility_file.pk, on=dt.date(2024, 9, 1))
    with pytest.raises(services.MobilityError, match="étudiant en mobilité"):
        files.sign_agreement(actor=office, agreement_id=la.pk, party="student")
    files.sign_agreement(actor=student, agreement_id=la.pk, party="student")
    with pytest.raises(services.MobilityError, match="convention signée par les trois"):
        files.record_stay(actor=student, file_id=mobility_file.pk, arrival=dt.date(2024, 9, 16))
    files.sign_agreement(actor=office, agreement_id=la.pk, party="sending")
    hers = mobility["coordinators"]["HERS"]  # the managing institution's coordinator
    la = files.sign_agreement(actor=hers, agreement_id=la.pk, party="receiving")
    assert la.signed
    files.record_stay(actor=student, file_id=mobility_file.pk, arrival=dt.date(2024, 9, 16))
    with pytest.raises(services.MobilityError, match="suit le retour"):
        files.recognise_credits(actor=office, file_id=mobility_file.pk)
    stay = files.record_stay(actor=student, file_id=mobility_file.pk, arrival=dt.date(2024, 9, 16),
                             departure=dt.date(2025, 1, 31))
    assert stay.outcome is True
    with pytest.raises(services.MobilityError, match="relevé de notes"):
        files.recognise_credits(actor=office, file_id=mobility_file.pk)
    transcript = mobility_file.candidature.dossier.slots.get(code="releve_accueil")
    upload_document(actor=student, slot_id=transcript.pk, uploaded=SimpleUploadedFile("tor.pdf", PDF))
    assert files.recognise_credits(actor=office, file_id=mobility_file.pk) == 3
    assert AcquiredCredit.objects.filter(student=world.student, ue__in=home, valorised=True).count() == 3
    with pytest.raises(services.MobilityError, match="rapport"):
        files.close(actor=office, file_id=mobility_file.pk)
    files.submit_report(actor=student, file_id=mobility_file.pk, on=dt.date(2025, 2, 10))
    assert files.close(actor=office, file_id=mobility_file.pk).phase == MobilityFile.Phase.CLOSED


def test_a_change_during_the_mobility_needs_new_signatures(world, mobility_file):
    from parcours.exchanges import files

    home = [UEFactory(programme=world.programme, code=f"AS3{i}", credits=10, bloc=2) for i in range(3)]
    student, office = world.student.user, world.users["bureau_international"]
    files.sign_grant_contract(actor=office, file_id=mobility_file.pk, on=dt.date(2024, 9, 1))
    la = files.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[u.pk for u in home], host_lines=HOST)
    for party, actor in (("student", student), ("sending", office), ("receiving", office)):
        files.sign_agreement(actor=actor, agreement_id=la.pk, party=party)
    changed = files.propose_agreement(actor=student, file_id=mobility_file.pk, home_ue_ids=[u.pk for u in home],
                                      host_lines=HOST[:1] + [("PT-ALT", "Outra", 15, 1)], reason="Cours supprimé")
    assert not changed.signed and changed.lines.filter(change_reason="Cours supprimé").count() == 5
    with pytest.raises(services.MobilityError, match="dernière version"):
        files.sign_agreement(actor=student, agreement_id=la.pk, party="student")


def test_mobility_file_screen(client, world, mobility_file):
    client.force_login(world.users["bureau_international"])
    url = reverse("mobility_file", args=[mobility_file.pk])
    assert "Avant la mobilité" in client.get(url).content.decode()
    response = client.post(reverse("mobility_file_action", args=[mobility_file.pk]),
                           {"action": "contrat", "on": "2024-09-01"}, follow=True)
    assert "signé le 1 septembre 2024" in response.content.decode()
    client.force_login(world.users["etudiant"])
    home = UEFactory(programme=world.programme, code="AS299", credits=10, bloc=2)
    response = client.post(reverse("mobility_file_action", args=[mobility_file.pk]),
                           {"action": "convention", "home": [home.pk], "host_lines": "PT-1;Serviço social;30;1"}, follow=True)
    assert "Version 1" in response.content.decode() and "Serviço social" in response.content.decode()
    client.force_login(world.users["autre_etudiant"])
    assert client.get(url).status_code == 404


def test_the_three_signatures_through_the_screen(client, world, mobility_file):
    from parcours.exchanges import files

    home = UEFactory(programme=world.programme, code="AS298", credits=10, bloc=2)
    office = world.users["bureau_international"]
    files.sign_grant_contract(actor=office, file_id=mobility_file.pk, on=dt.date(2024, 9, 1))
    la = files.propose_agreement(actor=world.student.user, file_id=mobility_file.pk, home_ue_ids=[home.pk],
                                 host_lines=[("PT-1", "Serviço social", 30, 1)])
    action = reverse("mobility_file_action", args=[mobility_file.pk])
    client.force_login(world.student.user)
    client.post(action, {"action": "signer", "agreement": la.pk, "party": "student"})
    client.force_login(office)
    client.post(action, {"action": "signer", "agreement": la.pk, "party": "sending"})
    client.post(action, {"action": "signer", "agreement": la.pk, "party": "receiving"})
    la.refresh_from_db()
    assert la.signed


@pytest.mark.article("215")
def test_office_tools_exports_pdfs_and_bulk_message(client, world, mobility, selected, mobility_file):
    from openpyxl import load_workbook

    assert selected.nominated_on is not None  # a study mobility is announced to the host
    client.force_login(world.users["bureau_international"])
    csv_text = client.get(reverse("call_export", args=[mobility["call"].pk, "csv"])).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("matricule;nom") and "Universidade do Porto" in csv_text
    xlsx = client.get(reverse("call_export", args=[mobility["call"].pk, "xlsx"]))
    import io

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "matricule" and sheet["B2"].value == "Dupont"
    assert client.get(reverse("call_export", args=[mobility["call"].pk, "exe"])).status_code == 404
    for url in [reverse("candidature_pdf", args=[selected.pk, "nomination"]),
                reverse("file_pdf", args=[mobility_file.pk, "contrat"])]:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF"), url
    response = client.post(reverse("call_message", args=[mobility["call"].pk]),
                           {"candidatures": [selected.pk], "subject": "Réunion de départ", "body": "Le 3 mai à 14 h."},
                           follow=True)
    assert "Message envoyé à 1 candidat" in response.content.decode()
    assert world.student.user.notifications.filter(title="Réunion de départ").exists()
    client.force_login(world.users["autre_etudiant"])
    assert client.get(reverse("call_export", args=[mobility["call"].pk, "csv"])).status_code == 404


def test_candidates_are_reminded_before_the_deadline_once(world, mobility):
    from django.core.management import call_command

    candidature(world, mobility)
    assert services.mobility_reminders(on=dt.date(2024, 2, 11)) == 0
    assert services.mobility_reminders(on=dt.date(2024, 2, 12)) == 1  # 7 days before 19 February
    assert services.mobility_reminders(on=dt.date(2024, 2, 12)) == 0
    call_command("daily", "--on", "2024-02-17")  # 2 days before
    assert world.student.user.notifications.filter(title__startswith="Candidature de mobilité").count() == 2


@pytest.mark.article("219")
def test_the_intercommunity_exchange_needs_the_other_language(world, mobility):
    from parcours.exchanges.models import Destination

    world.programme.fee_section = "AESI Lg"  # the AESI langues germaniques section of annexe 2
    world.programme.save()
    gent = InstitutionFactory(code="HOGENT", name="Hogeschool Gent", kind=Institution.Kind.HOST, country="BE")
    exchange = Destination.objects.create(call=mobility["call"], host=gent, kind="INTERCOMMUNAUTAIRE")
    c = candidature(world, mobility, exchange)
    assert [d.outcome for d in services.eligibility(c)] == [False]
    c.other_community_language = True
    c.save()
    assert [d.outcome for d in services.eligibility(c)] == [True]  # 50 credits of bloc 1 (45 required)


def test_the_dossier_history_tells_the_whole_mobility(client, world, mobility_file):
    from parcours.exchanges import files

    files.sign_grant_contract(actor=world.users["bureau_international"], file_id=mobility_file.pk, on=dt.date(2024, 9, 1))
    client.force_login(world.users["etudiant"])
    page = client.get(reverse("dossier_history", args=[mobility_file.candidature.dossier.pk])).content.decode()
    assert "Candidature soumise" in page and "Retenue" in page and "Contrat de bourse signé" in page


def test_pipeline_filters(client, world, mobility, submitted):
    client.force_login(world.users["bureau_international"])
    url = reverse("call_detail", args=[mobility["call"].pk])
    assert "Dupont" in client.get(url, {"statut": "soumise"}).content.decode()
    assert "Dupont" not in client.get(url, {"statut": "retenue"}).content.decode().split("<h2>Candidatures</h2>")[1]


def test_the_mobility_pages_are_available_in_english(client, world, mobility, mobility_file):
    client.force_login(world.users["etudiant"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    calls = client.get(reverse("mobility_calls")).content.decode()
    assert "Outgoing student mobility" in calls and "Mobilité étudiante OUT" not in calls
    candidature = client.get(reverse("candidature_detail", args=[mobility_file.candidature.pk])).content.decode()
    assert "Checklist" in candidature and "Liste de contrôle" not in candidature
    page = client.get(reverse("mobility_file", args=[mobility_file.pk])).content.decode()
    assert "Before the mobility" in page and "Avant la mobilité" not in page
