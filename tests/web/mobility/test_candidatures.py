"""Outgoing mobility: the call, the candidature sent to HENALLUX and HERS, the committee's selection
(seed 000; RGE art. 214-219)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.dossiers.services import upload_document
from parcours.exchanges import services
from parcours.exchanges.workflow import CandidatureStatus
from parcours.institutions.models import Institution
from parcours.students.models import AcquiredCredit
from tests.factories import InstitutionFactory, UEFactory
from tests.web.mobility.conftest import PDF, candidature, upload_all


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
    services.evaluate(actor=committee, candidature_id=submitted.pk, score="16", comment="Projet solide.")
    crit = ["Niveau de langue"]
    with pytest.raises(services.MobilityError, match="établissement qui gère"):
        services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        destination_id=mobility["porto"].pk, criteria=crit)
    c = services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk, criteria=crit)
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
    services.evaluate(actor=committee, candidature_id=other.pk, score="12", comment="")
    with pytest.raises(services.MobilityError, match="Plus de place"):
        services.decide(actor=committee, candidature_id=other.pk, status="retenue", reason="x", criteria=crit,
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk)
    assert services.decide(actor=committee, candidature_id=other.pk, status="attente", criteria=crit,
                           reason="Quota atteint à Porto").status == CandidatureStatus.WAITLISTED


def test_refused_transitions_and_who_decides(world, mobility, submitted):
    committee, crit = world.users["comite_mobilite"], ["Niveau de langue"]
    with pytest.raises(services.MobilityError, match="comité"):
        services.decide(actor=world.users["secretariat"], candidature_id=submitted.pk, status="refusee", reason="x")
    with pytest.raises(services.MobilityError, match="évalue la candidature avant de décider"):
        services.decide(actor=committee, candidature_id=submitted.pk, status="refusee", reason="x", criteria=crit)
    services.evaluate(actor=committee, candidature_id=submitted.pk, score="8", comment="Projet flou")
    with pytest.raises(services.MobilityError, match="critères de sélection"):
        services.decide(actor=committee, candidature_id=submitted.pk, status="refusee", reason="x")
    with pytest.raises(services.MobilityError, match="Motivez"):
        services.decide(actor=committee, candidature_id=submitted.pk, status="refusee", reason=" ", criteria=crit)
    c = services.decide(actor=committee, candidature_id=submitted.pk, status="refusee", reason="Projet flou", criteria=crit)
    assert c.decision["selection"]["criteria"] == crit and c.decision["selection"]["evaluations"] == 1
    with pytest.raises(services.MobilityError, match="Impossible"):
        services.decide(actor=committee, candidature_id=submitted.pk, status="attente", reason="x", criteria=crit)
    with pytest.raises(services.MobilityError, match="pas encore décidée"):
        services.evaluate(actor=committee, candidature_id=submitted.pk, score="12", comment="")


def test_screens(client, world, mobility, submitted):
    client.force_login(world.users["bureau_international"])
    page = client.get(reverse("call_detail", args=[mobility["call"].pk])).content.decode()
    assert "Erasmus AS 2024-2025" in page and "Dupont" in page
    client.force_login(world.users["etudiant"])
    assert "Ma candidature" in client.get(reverse("mobility_calls")).content.decode()
    page = client.get(reverse("candidature_detail", args=[submitted.pk])).content.decode()
    assert "Liste de contrôle" in page and "8 décembre 2023" in page  # Laval is a study choice: 8 December applies
    assert page.count("Conditions (art. 214-219)") == 1 and "Ana Silva" in page and "Niveau de langue" in page
    client.force_login(world.users["autre_etudiant"])
    assert client.get(reverse("candidature_detail", args=[submitted.pk])).status_code == 404


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
]:
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


@pytest.mark.article("Procédure mobilité AS")
@pytest.mark.parametrize("choice,due", [("laval", dt.date(2023, 12, 8)), ("laval_stage", dt.date(2024, 2, 19)),
                                        ("porto", dt.date(2024, 2, 19))])
def test_the_canada_deadline_is_for_study_mobilities_only(world, mobility, choice, due):
    c = candidature(world, mobility, mobility[choice])
    assert services.deadline_for(c) == due
    assert set(c.dossier.slots.values_list("due_date", flat=True)) == {due}
    upload_all(world, c)
    if due == dt.date(2024, 2, 19):  # a traineeship in Canada is still open on 9 December
        assert services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True,
                               on=dt.date(2023, 12, 9)).status == CandidatureStatus.SUBMITTED


@pytest.mark.article("Procédure mobilité AS")
def test_a_candidature_not_sent_to_one_institution_is_detected(client, world, mobility):
    c = candidature(world, mobility)
    upload_all(world, c)
    with pytest.raises(services.MobilityError, match="à quel"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True, sent_to=[])
    c = services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True,
                        sent_to=[mobility["henallux"].pk])
    check = services.completeness(c, dt.date(2024, 1, 15))
    assert check.outcome["not_sent_to"] == ["HERS"] and check.outcome["missing"] == []
    assert check.outcome["complete"] is False
    for user in (world.student.user, mobility["coordinators"]["HENALLUX"]):  # the student and the coordinators see it
        client.force_login(user)
        assert "pas encore envoyée à HERS" in client.get(reverse("candidature_detail", args=[c.pk])).content.decode()
    committee = world.users["comite_mobilite"]
    services.evaluate(actor=committee, candidature_id=c.pk, score="14", comment="")
    with pytest.raises(services.MobilityError, match="pas encore envoyée à HERS"):
        services.decide(actor=committee, candidature_id=c.pk, status="retenue", reason="x", criteria=["Niveau de langue"],
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk)
    services.record_reception(actor=mobility["coordinators"]["HERS"], candidature_id=c.pk,
                              institution_id=mobility["hers"].pk)  # HERS's reception confirms it reached them
    assert services.completeness(c, dt.date(2024, 1, 15)).outcome["complete"] is True


@pytest.mark.article("Procédure mobilité AS")
def test_the_bloc_2_bulletin_is_asked_when_available(world, mobility):
    c = services.start_candidature(actor=world.student.user, call_id=mobility["call"].pk,
                                   destination_ids=[mobility["porto"].pk], bloc2_available=True)
    upload_all(world, c, codes={"formulaire", "lettre_motivation", "cv", "bulletins"})
    with pytest.raises(services.MobilityError, match="Bulletin de bloc 2"):
        services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True)
    upload_all(world, c, codes={"bulletin_bloc2"})
    assert services.submit(actor=world.student.user, candidature_id=c.pk, letter_signed=True).status == "soumise"


@pytest.mark.article("Procédure mobilité AS")
def test_the_partners_coordinators_sit_on_the_committee_with_decimal_scores(client, world, mobility, submitted):
    hers, henallux = mobility["coordinators"]["HERS"], mobility["coordinators"]["HENALLUX"]
    services.evaluate(actor=hers, candidature_id=submitted.pk, score="15,5", comment="Projet mûri")
    services.evaluate(actor=henallux, candidature_id=submitted.pk, score="14", comment="")
    services.evaluate(actor=hers, candidature_id=submitted.pk, score="16,5", comment="Revu après entretien")
    submitted.refresh_from_db()
    assert submitted.score == Decimal("15.25") and submitted.evaluations.count() == 2
    for bad in ("20,5", "-1", "abc", "15,555", "NaN"):
        with pytest.raises(services.MobilityError, match="sur 20"):
            services.evaluate(actor=hers, candidature_id=submitted.pk, score=bad, comment="")
    with pytest.raises(services.MobilityError, match="membres du comité"):
        services.evaluate(actor=world.users["secretariat"], candidature_id=submitted.pk, score="12", comment="")
    client.force_login(hers)
    page = client.get(reverse("candidature_detail", args=[submitted.pk])).content.decode()
    assert "Revu après entretien" in page and "16,5" in page and "Enregistrer la décision" in page


@pytest.mark.article("214")
def test_the_department_authorises_the_stay_before_the_file_opens(client, world, mobility, submitted):
    from parcours.exchanges import files

    committee = world.users["comite_mobilite"]
    services.evaluate(actor=committee, candidature_id=submitted.pk, score="15", comment="")
    c = services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        criteria=["Niveau de langue"], destination_id=mobility["porto"].pk,
                        managing_institution_id=mobility["henallux"].pk)
    runner = mobility["coordinators"]["HENALLUX"]
    with pytest.raises(services.MobilityError, match="art. 214"):
        files.open_file(actor=runner, candidature_id=c.pk, start=dt.date(2024, 9, 16), end=dt.date(2025, 1, 31))
    with pytest.raises(services.MobilityError, match="directeur de département"):
        services.authorise(actor=committee, candidature_id=c.pk, authorised=True)
    with pytest.raises(services.MobilityError, match="Motivez"):
        services.authorise(actor=world.users["direction_departement"], candidature_id=c.pk, authorised=False)
    c = services.authorise(actor=world.users["direction_departement"], candidature_id=c.pk, authorised=True)
    assert c.department_authorised is True and c.authorised_by == world.users["direction_departement"]
    assert c.history.filter(department_authorised=True).exists()
    assert all("Séjour autorisé" in d.reasons[1].text for d in services.eligibility(c))
    # Only the managing institution's coordinator is offered the button; the committee and HERS are not.
    url = reverse("candidature_detail", args=[c.pk])
    for user, offered in ((committee, False), (mobility["coordinators"]["HERS"], False), (runner, True)):
        client.force_login(user)
        assert ("Ouvrir le dossier de mobilité" in client.get(url).content.decode()) is offered
    with pytest.raises(services.MobilityError, match="établissement gestionnaire"):
        files.open_file(actor=committee, candidature_id=c.pk, start=dt.date(2024, 9, 16), end=dt.date(2025, 1, 31))
    client.force_login(runner)
    response = client.post(reverse("mobility_file_open", args=[c.pk]), {"start": "2024-09-16", "end": "2025-01-31"})
    assert response.status_code == 302 and c.mobility_file.opened_by == runner
    again = client.post(reverse("mobility_file_open", args=[c.pk]), {"start": "2024-09-16", "end": "2025-01-31"},
                        follow=True)
    assert "déjà ouvert" in again.content.decode()


def test_the_office_opens_a_call_from_a_screen(client, world, mobility):
    client.force_login(world.users["bureau_international"])
    assert "Ouvrir un appel" in client.get(reverse("mobility_calls")).content.decode()
    host = mobility["porto"].host
    response = client.post(reverse("call_new"), {
        "programme_id": world.programme.pk, "title": "Mobilité 2025-2026", "mobility_year": "2025-2026",
        "department_min_credits": "45", "isced_f_code": "0923", "selection_criteria": "Motivation",
        "d0-host": host.pk, "d0-kind": "SMS", "d0-places": "2", "d0-language": "pt", "d0-language_level": "B1",
        "d0-contact_email": "bad-address", "d1-host": ""})
    assert response.status_code == 400 and "invalide" in response.content.decode()
    response = client.post(reverse("call_new"), {
        "programme_id": world.programme.pk, "title": "Mobilité 2025-2026", "mobility_year": "2025-2026",
        "department_min_credits": "45", "isced_f_code": "0923", "selection_criteria": "Motivation",
        "d0-host": host.pk, "d0-kind": "OLS", "d0-places": "", "d0-language": "pt", "d0-language_level": "B1",
        "d0-contact_email": "ana@up.pt", "d1-host": ""})
    assert response.status_code == 302
    from parcours.exchanges.models import Call

    call = Call.objects.get(title="Mobilité 2025-2026")
    assert call.deadline == dt.date(2024, 2, 19) and call.destinations.get().kind == "OLS"
    client.force_login(world.users["comite_mobilite"])
    assert client.get(reverse("call_new")).status_code == 404


@pytest.mark.article("214")
def test_the_department_direction_is_told_and_finds_the_stays_to_authorise(client, world, mobility, submitted):
    committee, direction = world.users["comite_mobilite"], world.users["direction_departement"]
    services.evaluate(actor=committee, candidature_id=submitted.pk, score="15", comment="")
    services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                    criteria=["Niveau de langue"], destination_id=mobility["porto"].pk,
                    managing_institution_id=mobility["hers"].pk)
    assert direction.notifications.filter(title__startswith="Séjour à autoriser").exists()
    client.force_login(direction)
    page = client.get(reverse("home")).content.decode()
    assert "Séjours à autoriser (art. 214)" in page and "Dupont" in page
    services.authorise(actor=direction, candidature_id=submitted.pk, authorised=True)
    assert "Séjours à autoriser" not in client.get(reverse("home")).content.decode()


def test_a_dossier_opened_with_odd_dates_gives_a_message(client, world, mobility, selected):
    client.force_login(mobility["coordinators"]["HERS"])
    url = reverse("mobility_file_open", args=[selected.pk])
    for start, end in (("9999-12-31", "9999-12-31"), ("2024-09-16", "abc"), ("2025-01-31", "2024-09-16")):
        response = client.post(url, {"start": start, "end": end}, follow=True)
        assert response.status_code == 200 and "msg error" in response.content.decode(), (start, end)
    assert not hasattr(selected.__class__.objects.get(pk=selected.pk), "mobility_file")  # nothing half-saved


def test_a_decision_and_a_bulk_message_mail_together_after_commit(world, mobility, submitted, connections,
                                                                   django_capture_on_commit_callbacks):
    from django.core import mail

    committee = world.users["comite_mobilite"]
    services.evaluate(actor=mobility["coordinators"]["HERS"], candidature_id=submitted.pk, score="15,5", comment="Solide")
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.decide(actor=committee, candidature_id=submitted.pk, status="retenue", reason="Bon projet",
                        destination_id=mobility["porto"].pk, managing_institution_id=mobility["hers"].pk,
                        criteria=["Cohérence du projet avec la formation"])
    assert len(mail.outbox) == sent and len(callbacks) == 1  # the direction's and the student's wait for the commit…
    callbacks[0]()
    assert len(mail.outbox) == sent + 2 and len(connections) == 1  # …then leave over one connection
    recipients = {m.to[0] for m in mail.outbox[sent:]}
    assert world.student.user.email in recipients and world.users["direction_departement"].email in recipients

    connections.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.message_selection(actor=world.users["bureau_international"], call_id=mobility["call"].pk,
                                          candidature_ids=[submitted.pk], subject="Classement", body="Publié.") == 1
    assert "Classement" in mail.outbox[-1].subject
    assert len(connections) == 1


def test_the_mobility_reminders_leave_together_after_commit(world, mobility, connections,
                                                            django_capture_on_commit_callbacks):
    from django.core import mail

    candidature(world, mobility)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.mobility_reminders(on=dt.date(2024, 2, 12)) == 1
    assert len(mail.outbox) == sent and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == sent + 1 and len(connections) == 1
