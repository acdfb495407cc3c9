"""The evaluation screens: the grid saves as you go, XLSX import all or nothing with its report, PDF, absences,
results after publication, ICS — and who may see what (permission matrix)."""

import datetime as dt
import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from parcours.accounts.models import Role
from parcours.evaluations import absences, organisation, publication, services
from parcours.evaluations.models import Absence, ActivityNote, CalendarToken, Evaluation
from tests.web.evaluations_support import on

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(client, user):
    client.force_login(user)
    return client


def xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["Matricule", "Nom", "Prénom", "Note"])
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("notes.xlsx", out.getvalue(), content_type=XLSX)


def test_teacher_saves_a_cell_as_json_and_sees_the_sheet(client, ev, world):
    c = client_for(client, ev.teacher)
    page = c.get(f"/evaluations/feuilles/{ev.sheet1.pk}/")
    assert page.status_code == 200 and world.student.matricule in page.content.decode()
    r = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/notes/", json.dumps({"entries": [[world.student.pk, "12,5"]]}),
               content_type="application/json")
    assert r.status_code == 200 and r.json()["values"][str(world.student.pk)] == "12,5"
    bad = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/notes/", json.dumps({"entries": [[world.student.pk, "21"]]}),
                 content_type="application/json")
    assert bad.status_code == 400 and "entre 0 et 20" in bad.json()["error"]
    junk = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/notes/", b"{not json", content_type="application/json")
    assert junk.status_code == 400
    assert ActivityNote.objects.get(sheet=ev.sheet1, student=world.student).note == 12.5


@pytest.mark.article("100")
def test_xlsx_import_with_a_bad_line_saves_nothing_then_succeeds(client, ev, world):
    c = client_for(client, ev.teacher)
    rows = [[world.student.matricule, "", "", "14"], [world.other_student.matricule, "", "", "25"],
            ["HE999999", "", "", "10"], [world.foreign_student.matricule, "", "", "10"],
            [world.student.matricule, "", "", "15"]]
    r = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/import/", {"fichier": xlsx(rows)})
    text = r.content.decode()
    assert r.status_code == 400
    for fragment in ("entre 0 et 20", "Matricule inconnu", "absent de cette feuille", "double"):
        assert fragment in text
    cm = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/import/", {"fichier": xlsx([[world.student.matricule, "", "", "CM"]])})
    assert cm.status_code == 400 and "certificat médical" in cm.content.decode()
    assert not ActivityNote.objects.filter(sheet=ev.sheet1, note__isnull=False).exists()  # nothing half-saved
    ok = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/import/",
                {"fichier": xlsx([[world.student.matricule, "", "", 14.5], [world.other_student.matricule, "", "", "pp"]])})
    assert ok.status_code == 302
    assert ActivityNote.objects.get(sheet=ev.sheet1, student=world.student).note == 14.5
    assert ActivityNote.objects.get(sheet=ev.sheet1, student=world.other_student).code == "PP"
    not_xlsx = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/import/",
                      {"fichier": SimpleUploadedFile("x.xlsx", b"hello", content_type=XLSX)})
    assert not_xlsx.status_code == 400 and "XLSX" in not_xlsx.content.decode()


def test_export_round_trip_and_pdf(client, ev, world):
    services.encode_notes(actor=ev.teacher, sheet_id=ev.sheet1.pk, entries=[(world.student.pk, "9,75")])
    c = client_for(client, ev.teacher)
    r = c.get(f"/evaluations/feuilles/{ev.sheet1.pk}/notes.xlsx")
    wb = load_workbook(BytesIO(r.content))
    values = {row[0]: row[3] for row in wb.active.iter_rows(min_row=6, values_only=True)}
    assert values[world.student.matricule] == "9,75"
    back = c.post(f"/evaluations/feuilles/{ev.sheet1.pk}/import/",
                  {"fichier": SimpleUploadedFile("n.xlsx", r.content, content_type=XLSX)})
    assert back.status_code == 302
    pdf = c.get(f"/evaluations/feuilles/{ev.sheet1.pk}/feuille.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.article("91")
def test_absence_declared_proved_and_accepted_gives_cm_on_the_sheet(client, ev, world, settings):
    evaluation = Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 15),
                                           start_time=dt.time(9), place="A101")
    c = client_for(client, world.student.user)
    r = c.post("/evaluations/absences/declarer/", {"evaluation": evaluation.pk, "kind": "medical"})
    absence = Absence.objects.get(student=world.student)
    assert r.status_code == 302
    on(settings, "2024-01-18")  # Monday 15 + 2 working days = Wednesday 17: too late
    pdf = SimpleUploadedFile("certificat.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf")
    r = c.post(f"/evaluations/absences/{absence.pk}/", {"action": "proof", "fichier": pdf})
    assert "17/01/2024" in c.get(f"/evaluations/absences/{absence.pk}/").content.decode()  # the refusal says the date
    absence.refresh_from_db()
    assert absence.proof is None
    on(settings, "2024-01-17")
    pdf.seek(0)
    c.post(f"/evaluations/absences/{absence.pk}/", {"action": "proof", "fichier": pdf})
    absence.refresh_from_db()
    assert absence.status == "justificatif"
    c.logout()
    secretary = client_for(client, world.users[Role.SECRETARIAT.value])
    page = secretary.get(f"/evaluations/absences/{absence.pk}/").content.decode()
    assert "Accepter le certificat médical" in page and "Motif légitime (ML)" not in page
    assert secretary.get(f"/evaluations/absences/{absence.pk}/justificatif/").status_code == 200
    secretary.post(f"/evaluations/absences/{absence.pk}/", {"action": "cm"})
    assert ActivityNote.objects.get(sheet=ev.sheet1, student=world.student).code == "CM"
    client.logout()
    assert client_for(client, world.other_student.user).get(
        f"/evaluations/absences/{absence.pk}/justificatif/").status_code == 404


@pytest.mark.article("91")
def test_other_reason_goes_to_the_president_who_grants_ml(ev, world, settings):
    evaluation = Evaluation.objects.create(activity=ev.a2, period=ev.p1, date=dt.date(2024, 1, 15))
    a = absences.declare(actor=world.student.user, evaluation_id=evaluation.pk, kind="autre", explanation="Funérailles")
    absences.upload_proof(actor=world.student.user, absence_id=a.pk,
                          uploaded=SimpleUploadedFile("acte.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"))
    secretary, president = world.users[Role.SECRETARIAT.value], world.users[Role.JURY_PRESIDENT.value]
    assert absences.allowed_decisions(secretary, Absence.objects.get(pk=a.pk)) == ["president"]
    with pytest.raises(services.EvaluationError):
        absences.decide(actor=secretary, absence_id=a.pk, decision="ml", reason="x")
    absences.decide(actor=secretary, absence_id=a.pk, decision="president", reason="Décès d'un proche")
    absences.decide(actor=president, absence_id=a.pk, decision="ml", reason="Motif légitime reconnu")
    assert ActivityNote.objects.get(sheet=ev.sheet2, student=world.student).code == "ML"


def test_student_sees_results_only_after_publication_and_gets_the_releve(client, ev, world):
    for s in (ev.sheet1, ev.sheet2):
        services.encode_notes(actor=ev.teacher, sheet_id=s.pk,
                              entries=[(world.student.pk, "13"), (world.other_student.pk, "PP")])
        services.submit_sheet(actor=ev.teacher, sheet_id=s.pk)
    c = client_for(client, world.student.user)
    assert "13" not in c.get("/evaluations/resultats/").content.decode().split("<main")[1]
    assert c.get("/evaluations/resultats/releve.pdf").status_code == 404
    publication.publish_results(actor=world.users[Role.JURY_PRESIDENT.value], period_id=ev.p1.pk)
    page = c.get("/evaluations/resultats/").content.decode()
    assert "AS101" in page and "Art. 100" in page
    pdf = c.get("/evaluations/resultats/releve.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.article("80")
def test_ics_feed_with_private_token_lists_published_evaluations(client, ev, world):
    Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 16), start_time=dt.time(8, 30),
                              place="Auditoire B")
    token = CalendarToken.for_user(world.student.user).token
    assert b"Auditoire" not in client.get(f"/evaluations/calendrier/{token}.ics").content  # not yet published
    organisation.publish_timetable(actor=world.users[Role.SECRETARIAT.value], period_id=ev.p1.pk,
                                   department_id=world.programme.department_id)
    feed = client.get(f"/evaluations/calendrier/{token}.ics")
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content and b"Auditoire B" in feed.content
    # 8:30 in Brussels, with the zone defined in the feed so a calendar app does not guess it
    assert b"DTSTART;TZID=Europe/Brussels:20240116T083000" in feed.content
    assert b"BEGIN:VTIMEZONE" in feed.content and b"TZID:Europe/Brussels" in feed.content
    assert client.get("/evaluations/calendrier/wrong-token.ics").status_code == 404
    # a phone subscribes by tapping the link (webcal), not by retyping a 60-character address
    page = client_for(client, world.student.user).get("/evaluations/").content.decode()
    assert f'href="webcal://testserver/evaluations/calendrier/{token}.ics"' in page


@pytest.mark.article("80")
def test_moving_a_published_evaluation_late_needs_force_majeure_by_the_direction(ev, world, settings):
    e = Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 22), announced_date=dt.date(2024, 1, 22))
    organisation.publish_timetable(actor=world.users[Role.SECRETARIAT.value], period_id=ev.p1.pk,
                                   department_id=world.programme.department_id)
    secretary, direction = world.users[Role.SECRETARIAT.value], world.users[Role.DEPARTMENT_DIRECTION.value]
    on(settings, "2024-01-09")
    with pytest.raises(services.EvaluationError, match="10 jours ouvrables"):
        organisation.change_date(actor=secretary, evaluation_id=e.pk, date=dt.date(2024, 1, 24), start_time=None, place="")
    with pytest.raises(services.EvaluationError, match="direction"):
        organisation.change_date(actor=secretary, evaluation_id=e.pk, date=dt.date(2024, 1, 24), start_time=None,
                                 place="", force_majeure=True, reason="Inondation")
    organisation.change_date(actor=direction, evaluation_id=e.pk, date=dt.date(2024, 1, 24), start_time=None,
                             place="B2", force_majeure=True, reason="Inondation")
    assert world.student.user.notifications.filter(title__contains="Changement").exists()


# --- permission matrix ---------------------------------------------------------------------------
SHEET_VIEWERS = {Role.TEACHER.value, Role.SECRETARIAT.value, Role.JURY_SECRETARY.value, Role.JURY_PRESIDENT.value,
                 Role.DEPARTMENT_DIRECTION.value}


def test_permission_matrix_of_the_sheet_and_progress_pages(client, ev, world):
    for name, user in world.users.items():
        client.logout()
        client_for(client, user)
        sheet = client.get(f"/evaluations/feuilles/{ev.sheet1.pk}/").status_code
        progress_page = client.get("/evaluations/progression/")
        progress = progress_page.status_code
        save = client.post(f"/evaluations/feuilles/{ev.sheet1.pk}/notes/",
                           json.dumps({"entries": [[world.student.pk, "11"]]}), content_type="application/json").status_code
        expected_view = 200 if name in SHEET_VIEWERS else 404
        assert sheet == expected_view, name
        if name == "secretariat_autre_departement":  # their own department's progress, without this sheet
            assert progress == 200 and ev.a1.code not in progress_page.content.decode()
        else:
            assert progress == (200 if name in SHEET_VIEWERS - {Role.TEACHER.value} else 404), name
        assert save == (200 if name == Role.TEACHER.value else (400 if expected_view == 200 else 404)), name


def test_only_the_owner_and_the_secretariat_see_an_absence(client, ev, world):
    e = Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 15))
    a = absences.declare(actor=world.student.user, evaluation_id=e.pk, kind="medical")
    for name, user in world.users.items():
        client.logout()
        client_for(client, user)
        code = client.get(f"/evaluations/absences/{a.pk}/").status_code
        allowed = name in ("etudiant", Role.SECRETARIAT.value, Role.JURY_PRESIDENT.value)
        assert code == (200 if allowed else 404), name


def test_teacher_home_links_to_the_sheets(client, ev):
    page = client_for(client, ev.teacher).get("/").content.decode()
    assert "/evaluations/" in page


def test_secretariat_prepares_sheets_and_sets_the_deadline_president_publishes(client, ev, world):
    from parcours.evaluations.models import DepartmentPeriod, UEResult
    secretary = client_for(client, world.users[Role.SECRETARIAT.value])
    page = secretary.get(f"/evaluations/horaire/?periode={ev.p1.pk}").content.decode()
    assert "Établir les feuilles de la période" in page
    r = secretary.post("/evaluations/horaire/", {"periode": ev.p1.pk, "action": "deadline",
                                                 "department": world.programme.department_id, "deadline": "2025-02-02"})
    assert r.status_code == 302
    assert DepartmentPeriod.objects.get(period=ev.p1, department=world.programme.department).encoding_deadline == \
        dt.date(2024, 2, 2)  # a date outside the year is refused, nothing changed
    secretary.post("/evaluations/horaire/", {"periode": ev.p1.pk, "action": "deadline",
                                             "department": world.programme.department_id, "deadline": "2024-02-05"})
    assert DepartmentPeriod.objects.get(period=ev.p1, department=world.programme.department).encoding_deadline == \
        dt.date(2024, 2, 5)
    secretary.post("/evaluations/horaire/", {"periode": ev.p1.pk, "action": "prepare"})
    for s in (ev.sheet1, ev.sheet2):
        services.encode_notes(actor=ev.teacher, sheet_id=s.pk,
                              entries=[(world.student.pk, "11"), (world.other_student.pk, "12")])
        services.submit_sheet(actor=ev.teacher, sheet_id=s.pk)
    assert "Publier les résultats" not in secretary.get(f"/evaluations/progression/?periode={ev.p1.pk}").content.decode()
    client.logout()
    president = client_for(client, world.users[Role.JURY_PRESIDENT.value])
    president.post("/evaluations/progression/", {"periode": ev.p1.pk, "action": "publish"})
    assert UEResult.objects.filter(period=ev.p1, published_at__isnull=False).count() == 2



def test_odd_input_gives_a_message_never_a_500(client, ev, world):
    secretary = client_for(client, world.users[Role.SECRETARIAT.value])
    for data in ({"action": "schedule", "activity": "x", "date": "2024-01-10"},
                 {"action": "schedule", "activity": ev.a1.pk, "date": "31/01/2024"},
                 {"action": "schedule", "activity": ev.a1.pk, "date": "2030-01-10", "form": "ecrit"},
                 {"action": "move", "evaluation": "999999", "date": "2024-01-10"},
                 {"action": "deadline", "department": "", "deadline": ""}, {"action": "zzz"}):
        assert secretary.post("/evaluations/horaire/", data).status_code == 302
    assert secretary.post("/evaluations/progression/", {"action": "session", "matricule": "nope"}).status_code == 302
    assert secretary.get("/evaluations/progression/?periode=abc").status_code == 200
    client.logout()
    teacher = client_for(client, ev.teacher)
    assert teacher.post(f"/evaluations/feuilles/{ev.sheet1.pk}/action/", {"action": "correct", "student": "x"}).status_code == 302
    assert teacher.post(f"/evaluations/feuilles/{ev.sheet1.pk}/import/", {}).status_code == 302
    assert teacher.post(f"/evaluations/feuilles/{ev.sheet1.pk}/notes/", {"note_abc": "12"}).status_code == 302
    assert teacher.get("/evaluations/feuilles/999999/").status_code == 404
    client.logout()
    student = client_for(client, world.student.user)
    assert student.post("/evaluations/absences/declarer/", {"evaluation": "x", "kind": "medical"}).status_code == 302
    assert student.post("/evaluations/choix/", {"period": "1", "activity": "y"}).status_code == 302
    assert student.get("/evaluations/absences/999999/").status_code == 404
    client.logout()
    outsider = client_for(client, world.users["exterieur"])
    assert outsider.get("/evaluations/").status_code == 404


def test_api_sheet_encoding_and_results_follow_the_same_rules(client, ev, world):
    teacher = client_for(client, ev.teacher)
    r = teacher.post(f"/api/evaluations/sheets/{ev.sheet1.pk}/notes", json.dumps({"entries": [[world.student.pk, "13,5"]]}),
                     content_type="application/json")
    assert r.status_code == 200 and any(line["note"] == "13.50" or line["note"] == 13.5 for line in r.json()["lines"])
    bad = teacher.post(f"/api/evaluations/sheets/{ev.sheet1.pk}/notes", json.dumps({"entries": [[world.student.pk, "CM"]]}),
                       content_type="application/json")
    assert bad.status_code == 400 and "certificat médical" in bad.json()["detail"]
    client.logout()
    other = client_for(client, world.other_student.user)
    assert other.get(f"/api/evaluations/sheets/{ev.sheet1.pk}").status_code == 404
    assert other.get("/api/evaluations/results").json() == []


def test_late_sheets_are_listed_and_their_evaluators_reminded(client, ev, world, settings):
    from django.core import mail
    on(settings, "2024-02-03")  # the day after the encoding deadline
    secretary = client_for(client, world.users[Role.SECRETARIAT.value])
    page = secretary.get(f"/evaluations/progression/?periode={ev.p1.pk}").content.decode()
    assert "En retard" in page and "Rappeler les évaluateurs en retard" in page
    with django_capture_on_commit():
        secretary.post("/evaluations/progression/", {"periode": ev.p1.pk})
    assert ev.teacher.notifications.filter(title__contains="Rappel").count() == 2  # two sheets late
    assert any(ev.teacher.email in m.to for m in mail.outbox)


def django_capture_on_commit():
    from django.test import TestCase
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.article("104")
def test_copy_consultation_announced_a_week_ahead_within_the_month(ev, world, settings):
    for s in (ev.sheet1, ev.sheet2):
        services.encode_notes(actor=ev.teacher, sheet_id=s.pk,
                              entries=[(world.student.pk, "8"), (world.other_student.pk, "12")])
        services.submit_sheet(actor=ev.teacher, sheet_id=s.pk)
    with pytest.raises(services.EvaluationError, match="publication"):
        organisation.announce_consultation(actor=ev.teacher, sheet_id=ev.sheet1.pk,
                                           at=dt.datetime(2024, 1, 25, 9), place="B12")
    publication.publish_results(actor=world.users[Role.JURY_PRESIDENT.value], period_id=ev.p1.pk)
    results_on = dt.date(2024, 1, 15)  # published on the clock's day (the fixture's date)
    with pytest.raises(services.EvaluationError, match="une semaine"):
        organisation.announce_consultation(actor=ev.teacher, sheet_id=ev.sheet1.pk,
                                           at=dt.datetime.combine(results_on + dt.timedelta(days=6), dt.time(9)),
                                           place="B12")
    organisation.announce_consultation(actor=ev.teacher, sheet_id=ev.sheet1.pk,
                                       at=dt.datetime.combine(results_on + dt.timedelta(days=7), dt.time(9)), place="B12")
    assert world.student.user.notifications.filter(title__contains="Consultation").exists()


@pytest.mark.article("103")
def test_a_procuration_needs_the_identity_checked_by_the_secretariat(client, ev, world):
    secretary = world.users[Role.SECRETARIAT.value]
    with pytest.raises(services.EvaluationError, match="vérifiée"):
        organisation.record_procuration(actor=secretary, student_id=world.student.pk, holder_name="Marc Dupont",
                                        identity_document="591-1234567-89", identity_checked=False)
    with pytest.raises(services.EvaluationError, match="secrétariat"):
        organisation.record_procuration(actor=world.users["secretariat_autre_departement"], student_id=world.student.pk,
                                        holder_name="Marc Dupont", identity_document="591", identity_checked=True)
    organisation.record_procuration(actor=secretary, student_id=world.student.pk, holder_name="Marc Dupont",
                                    identity_document="591-1234567-89", identity_checked=True)
    c = client_for(client, secretary)
    assert "Marc Dupont" in c.get("/evaluations/procurations/").content.decode()
    assert c.get(f"/evaluations/etudiants/{world.other_student.pk}/releve.pdf").status_code == 404  # no procuration


@pytest.mark.article("96")
@pytest.mark.article("87")
def test_the_department_sets_the_form_and_an_out_of_period_exam_joins_the_next_period(ev, world):
    secretary = world.users[Role.SECRETARIAT.value]
    with pytest.raises(services.EvaluationError, match="art. 96"):
        organisation.schedule(actor=secretary, activity_id=ev.a1.pk, date=dt.date(2024, 1, 10), start_time=None,
                              place="A1", form="chant")
    e = organisation.schedule(actor=secretary, activity_id=ev.a1.pk, date=dt.date(2023, 12, 15), start_time=None,
                              place="A1", form="oral")
    assert e.get_form_display() == "Oral" and e.out_of_session and e.period == ev.p1  # December → January period
    with pytest.raises(services.EvaluationError, match="département"):
        organisation.schedule(actor=ev.teacher, activity_id=ev.a2.pk, date=dt.date(2024, 1, 10), start_time=None,
                              place="A1", form="oral")


@pytest.mark.article("80")
@pytest.mark.parametrize("day", ["2023-12-01", "2024-02-05"])
def test_progress_opens_on_the_period_being_encoded_even_after_it_ended(client, ev, world, settings, day):
    # On 5 February the January period is over but its sheets are late: the secretariat lands on them, with the
    # reminder; before January starts, January is the period coming.
    on(settings, day)
    page = client_for(client, world.users[Role.SECRETARIAT.value]).get("/evaluations/progression/").content.decode()
    assert f"Progression de l'encodage — {ev.p1}" in page
    assert ev.a1.code in page
    assert ("Rappeler les évaluateurs en retard" in page) is (day == "2024-02-05")


@pytest.mark.article("80", "85")
@pytest.mark.parametrize("day,open_", [("2024-02-02", True), ("2024-02-03", False)])
def test_after_the_encoding_deadline_the_grid_is_not_offered_and_says_what_to_do(client, ev, world, settings,
                                                                                day, open_):
    on(settings, day)
    page = client_for(client, ev.teacher).get(f"/evaluations/feuilles/{ev.sheet1.pk}/").content.decode()
    cell = page.split(f'name="note_{world.student.pk}"')[1].split(">")[0]
    assert ("disabled" in cell) is not open_
    assert ("Importer un fichier XLSX" in page) is open_
    assert ("La date limite d'encodage est dépassée" in page) is not open_
    assert "Soumettre" in page  # a complete sheet may still be submitted late
