"""The jury secretary's hand on a sheet: a correction after submission writes what an evaluator could (a note,
PP, PR), never CM/ML/FR, which only decisions write (art. 91, 100, 110); and a sheet left incomplete after the
encoding deadline is completed by the jury secretary, each note with who and why (the RGE being silent)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from parcours.accounts.models import Role
from parcours.audit.models import AuditEvent
from parcours.evaluations import absences, services, session_ouverte
from parcours.evaluations.models import Absence, ActivityNote, Evaluation, UEResult
from parcours.evaluations.workflow import SheetStatus
from tests.web.evaluations_support import on

pytestmark = pytest.mark.django_db


def encode(ev, sheet, student, text):
    services.encode_notes(actor=ev.teacher, sheet_id=sheet.pk, entries=[(student.pk, text)])


def submitted(ev, world, notes=("8", "9")):
    for sheet, text in zip((ev.sheet1, ev.sheet2), notes, strict=True):
        encode(ev, sheet, world.student, text)
        encode(ev, sheet, world.other_student, "12")
        services.submit_sheet(actor=ev.teacher, sheet_id=sheet.pk)


def secretary(world):
    return world.users[Role.JURY_SECRETARY.value]


@pytest.mark.article("100")
@pytest.mark.parametrize(("text", "note", "code"), [("PP", None, "PP"), ("pr", None, "PR"), ("13,5", D("13.5"), "")])
def test_a_correction_writes_a_note_pp_or_pr(ev, world, text, note, code):
    submitted(ev, world)
    services.correct_note(actor=secretary(world), sheet_id=ev.sheet2.pk, student_id=world.student.pk, text=text,
                          reason="Erreur de report")
    line = ActivityNote.objects.get(sheet=ev.sheet2, student=world.student)
    assert (line.note, line.code) == (note, code)


@pytest.mark.article("91")
@pytest.mark.article("110")
@pytest.mark.parametrize(("code", "origin"), [("CM", "certificat médical"), ("ML", "motif légitime"),
                                              ("FR", "fraude")])
def test_a_correction_cannot_type_cm_ml_or_fr(ev, world, code, origin):
    submitted(ev, world)
    with pytest.raises(services.EvaluationError, match=f"{code} ne peut être encodée par le secrétaire du jury.*{origin}"):
        services.correct_note(actor=secretary(world), sheet_id=ev.sheet2.pk, student_id=world.student.pk, text=code,
                              reason="Certificat reçu")
    line = ActivityNote.objects.get(sheet=ev.sheet2, student=world.student)
    assert (line.note, line.code) == (D("9"), "")


@pytest.mark.article("91")
def test_a_code_from_an_absence_decision_is_not_corrected_on_the_sheet(ev, world, settings):
    evaluation = Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 15))
    absence = Absence.objects.create(student=world.student, evaluation=evaluation, kind=Absence.Kind.MEDICAL,
                                     declared_on=dt.date(2024, 1, 15), status="justificatif",
                                     proof_received_on=dt.date(2024, 1, 16))
    absences.decide(actor=world.users[Role.SECRETARIAT.value], absence_id=absence.pk, decision="cm", reason="Certificat")
    encode(ev, ev.sheet1, world.other_student, "12")
    services.submit_sheet(actor=ev.teacher, sheet_id=ev.sheet1.pk)
    with pytest.raises(services.EvaluationError, match="décision sur l'absence"):
        services.correct_note(actor=secretary(world), sheet_id=ev.sheet1.pk, student_id=world.student.pk, text="12",
                              reason="Note retrouvée")
    assert ActivityNote.objects.get(sheet=ev.sheet1, student=world.student).code == "CM"


def test_the_correction_form_says_which_codes_it_takes(client, ev, world):
    submitted(ev, world)
    client.force_login(secretary(world))
    response = client.post(f"/evaluations/feuilles/{ev.sheet2.pk}/action/", {
        "action": "correct", "student": world.student.pk, "note": "CM", "reason": "Certificat"}, follow=True)
    assert "résulte d&#x27;un certificat médical" in response.content.decode()
    assert ActivityNote.objects.get(sheet=ev.sheet2, student=world.student).code == ""


@pytest.mark.article("80")
def test_a_late_sheet_is_completed_by_the_jury_secretary_only_after_the_deadline(ev, world, settings):
    on(settings, "2024-02-02")  # the department's deadline: the evaluator still encodes
    encode(ev, ev.sheet1, world.other_student, "14")
    with pytest.raises(services.EvaluationError, match="n'est pas passée"):
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "11")], reason="Notes transmises par courriel")
    on(settings, "2024-02-03")  # the day after
    for who in (ev.teacher, world.users[Role.SECRETARIAT.value], world.users[Role.JURY_PRESIDENT.value]):
        with pytest.raises(services.EvaluationError, match="secrétaire du jury"):
            services.complete_late_sheet(actor=who, sheet_id=ev.sheet1.pk, entries=[(world.student.pk, "11")],
                                         reason="x")
    with pytest.raises(services.EvaluationError, match="motif"):
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "11")], reason=" ")
    with pytest.raises(services.EvaluationError, match="déjà encodée"):
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.other_student.pk, "9")], reason="Erreur")
    with pytest.raises(services.EvaluationError, match="CM ne peut être encodée"):
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "CM")], reason="Certificat")
    n = services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "11,5")], reason="Notes transmises par courriel")
    assert n == 1
    line = ActivityNote.objects.get(sheet=ev.sheet1, student=world.student)
    last = line.history.first()
    assert line.note == D("11.5") and last.history_user == secretary(world)
    assert "Notes transmises par courriel" in last.history_change_reason
    assert AuditEvent.objects.filter(action="evaluations.sheet.completed_late", actor=secretary(world)).exists()
    services.submit_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk)
    ev.sheet1.refresh_from_db()
    assert ev.sheet1.status == SheetStatus.SUBMITTED and ev.sheet1.submitted_by == secretary(world)


@pytest.mark.article("80", "99")
def test_the_evaluator_is_told_once_after_commit_which_ue_was_completed_and_why(ev, world, settings,
                                                                               django_capture_on_commit_callbacks):
    from django.core import mail

    from parcours.notifications.models import Notification

    on(settings, "2024-02-05")
    assert set(ev.sheet1.evaluators.all()) == {ev.teacher}  # the UE's teacher and the sheet's evaluator: one person
    with django_capture_on_commit_callbacks() as after_commit:
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "11")], reason="Notes transmises par courriel")
    assert not mail.outbox  # nothing leaves before the commit
    for callback in after_commit:
        callback()
    (message,) = mail.outbox
    assert message.to == [ev.teacher.email]
    assert "AS101" in message.subject and "secrétaire du jury" in message.subject
    assert "AS101 Sociologie" in message.body and "Motif : Notes transmises par courriel" in message.body
    assert "02/02/2024" in message.body and "1 note(s) manquante(s)" in message.body
    assert f"/evaluations/feuilles/{ev.sheet1.pk}/" in message.body
    (notice,) = Notification.objects.filter(user=ev.teacher)
    assert notice.title == message.subject and "Notes transmises par courriel" in notice.body
    assert not Notification.objects.filter(user=secretary(world)).exists()


def test_an_english_reading_evaluator_is_told_in_english(ev, world, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    ev.teacher.language = "en"
    ev.teacher.save()
    on(settings, "2024-02-05")
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "11")], reason="Notes transmises par courriel")
    (message,) = mail.outbox
    assert message.subject.startswith("Score sheet AS101-1 (AS101) completed by the jury secretary")
    assert "Reason: Notes transmises par courriel" in message.body


@pytest.mark.article("85")
def test_a_student_in_session_ouverte_is_left_to_the_evaluator(ev, world, settings):
    session_ouverte.open_session(actor=world.users[Role.JURY_PRESIDENT.value], period_id=ev.p1.pk,
                          student_id=world.student.pk, until=dt.date(2024, 3, 15), reason="Hospitalisation")
    on(settings, "2024-02-05")
    with pytest.raises(services.EvaluationError, match="session ouverte"):
        services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                     entries=[(world.student.pk, "11")], reason="Notes transmises")
    services.complete_late_sheet(actor=secretary(world), sheet_id=ev.sheet1.pk,
                                 entries=[(world.other_student.pk, "PP")], reason="Absent, confirmé par l'évaluateur")


def test_the_progress_overview_offers_the_late_sheet_to_the_jury_secretary_only(client, ev, world, settings):
    on(settings, "2024-02-05")
    client.force_login(secretary(world))
    page = client.get("/evaluations/progression/").content.decode()
    assert "En retard" in page and f"/evaluations/feuilles/{ev.sheet1.pk}/#completer" in page
    sheet_page = client.get(f"/evaluations/feuilles/{ev.sheet1.pk}/").content.decode()
    assert "Compléter la feuille en retard" in sheet_page and f'name="note_{world.student.pk}"' in sheet_page
    response = client.post(f"/evaluations/feuilles/{ev.sheet1.pk}/action/", {
        "action": "complete", f"note_{world.student.pk}": "12", f"note_{world.other_student.pk}": "PP",
        "reason": "Notes transmises par l'évaluateur malade"}, follow=True)
    assert "2 note(s) encodée(s)" in response.content.decode()
    client.force_login(world.users[Role.SECRETARIAT.value])
    assert "#completer" not in client.get("/evaluations/progression/").content.decode()
    assert "Compléter la feuille en retard" not in client.get(f"/evaluations/feuilles/{ev.sheet1.pk}/").content.decode()
    on(settings, "2024-02-01")
    client.force_login(secretary(world))
    assert "Compléter la feuille en retard" not in client.get(f"/evaluations/feuilles/{ev.sheet2.pk}/").content.decode()
    assert UEResult.objects.count() == 0  # nothing computed before submission


@pytest.mark.article("103")
@pytest.mark.parametrize(("day", "shown"), [("2024-02-05", "il reste 5 jours"), ("2024-02-10", "il reste 0 jour"),
                                            ("2024-02-11", "est passé : publiez sans attendre")])
def test_the_president_sees_the_10_february_limit_before_it_passes(client, ev, world, settings, day, shown):
    on(settings, day)
    client.force_login(world.users[Role.JURY_PRESIDENT.value])
    page = client.get(f"/evaluations/progression/?periode={ev.p1.pk}").content.decode()
    assert "10/02/2024" in page and shown in page


def test_service_messages_and_stored_reasons_read_in_english(ev, world, settings):
    from django.utils import translation

    from parcours.evaluations import sheet_files

    submitted(ev, world)
    with translation.override("en"):
        with pytest.raises(services.EvaluationError, match="Only the jury secretary corrects a note after submission"):
            services.correct_note(actor=ev.teacher, sheet_id=ev.sheet2.pk, student_id=world.student.pk, text="12",
                                  reason="x")
        ActivityNote.objects.filter(sheet=ev.sheet2, student=world.student).update(code="CM", note=None,
                                                                                   source="absence")
        with pytest.raises(services.EvaluationError, match="CM results from a decision on the absence"):
            services.correct_note(actor=secretary(world), sheet_id=ev.sheet2.pk, student_id=world.student.pk,
                                  text="12", reason="x")
        line = ActivityNote(may_sit=True, source=ActivityNote.Source.CARRIED, note=D(12))
        assert sheet_files.remark(line) == "Carried-over note (do not change)"
        stored = services._carry(ev.p2, None, True, None).carried_reason
        assert translation.gettext(stored).startswith("No numeric note in the previous period")


@pytest.mark.parametrize("number", [2, 3])
def test_the_progress_of_the_june_and_september_periods_opens(client, ev, world, settings, number):
    on(settings, "2024-07-15")
    client.force_login(world.users[Role.JURY_PRESIDENT.value])
    period = {2: ev.p2, 3: ev.p3}[number]
    response = client.get(f"/evaluations/progression/?periode={period.pk}")
    assert response.status_code == 200 and "10/02/2024" not in response.content.decode()
