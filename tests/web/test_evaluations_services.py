"""Score sheets, UE results, carry-over and publication through the services (art. 85, 89, 98-103)."""

from decimal import Decimal as D

import pytest

from parcours.accounts.models import Role
from parcours.evaluations import publication, selectors, services, session_ouverte
from parcours.evaluations.models import ActivityNote, UEResult
from parcours.students.models import Registration
from tests.web.evaluations_support import on

pytestmark = pytest.mark.django_db


def encode(ev, sheet, student, text):
    services.encode_notes(actor=ev.teacher, sheet_id=sheet.pk, entries=[(student.pk, text)])


def fill(ev, world, a1, a2, student=None):
    student = student or world.student
    encode(ev, ev.sheet1, student, a1)
    encode(ev, ev.sheet2, student, a2)


def submit_all(ev, world):
    for s in (ev.sheet1, ev.sheet2):
        for st in (world.student, world.other_student):
            line = ActivityNote.objects.get(sheet=s, student=st)
            if not line.is_encoded:
                encode(ev, s, st, "PP")
        services.submit_sheet(actor=ev.teacher, sheet_id=s.pk)


@pytest.mark.article("89")
def test_the_sheet_lists_the_students_of_the_pae(ev, world):
    students = set(ev.sheet1.notes.values_list("student_id", flat=True))
    assert students == {world.student.pk, world.other_student.pk}  # not the student of another programme
    assert ev.sheet1.evaluators.filter(pk=ev.teacher.pk).exists()


@pytest.mark.article("88")
def test_a_student_without_regular_registration_is_listed_with_the_reason(ev, world):
    Registration.objects.filter(student=world.other_student).update(status=Registration.Status.REQUESTED)
    ActivityNote.objects.filter(student=world.other_student).delete()
    services.build_sheets(period=ev.p1)
    line = ActivityNote.objects.get(sheet=ev.sheet1, student=world.other_student)
    assert not line.may_sit and line.excluded_article == "Art. 88, 24"
    with pytest.raises(services.EvaluationError, match="Non admis"):
        encode(ev, ev.sheet1, world.other_student, "12")
    Registration.objects.filter(student=world.other_student).update(status=Registration.Status.REGULAR)
    services.build_sheets(period=ev.p1)  # documents and acompte now in order: the line follows
    encode(ev, ev.sheet1, world.other_student, "12")


@pytest.mark.article("100")
@pytest.mark.parametrize("a1,acquired,note", [("9,22", False, D("9.5")), ("9,25", True, D("10"))])
def test_ue_at_974_fails_and_at_975_passes(ev, world, a1, acquired, note):
    fill(ev, world, a1, "10")  # (a1 × 1 + 10 × 2) / 3 = 9.74 or 9.75
    submit_all(ev, world)
    result = UEResult.objects.get(student=world.student, ue=ev.ue, period=ev.p1)
    assert result.note == note and result.acquired is acquired and result.complete


@pytest.mark.article("100")
@pytest.mark.parametrize("code", ["PP", "PR"])
def test_a_special_code_in_one_activity_is_the_ue_result(ev, world, code):
    fill(ev, world, "18", code)
    submit_all(ev, world)
    result = UEResult.objects.get(student=world.student, ue=ev.ue, period=ev.p1)
    assert result.code == code and result.note is None and not result.acquired


@pytest.mark.article("100")
@pytest.mark.article("110")
def test_fr_comes_only_from_the_jury_president_decision(ev, world):
    import datetime as dt
    with pytest.raises(services.EvaluationError, match="fraude"):
        encode(ev, ev.sheet1, world.student, "FR")
    with pytest.raises(services.EvaluationError, match="président"):
        services.record_fraud(actor=ev.teacher, sheet_id=ev.sheet1.pk, student_id=world.student.pk,
                              reference="PV 2024/01", decided_on=dt.date(2024, 1, 12))
    services.record_fraud(actor=world.users[Role.JURY_PRESIDENT.value], sheet_id=ev.sheet1.pk,
                          student_id=world.student.pk, reference="PV 2024/01", decided_on=dt.date(2024, 1, 12))
    encode(ev, ev.sheet2, world.student, "15")
    submit_all(ev, world)
    assert UEResult.objects.get(student=world.student, period=ev.p1).code == "FR"
    with pytest.raises(services.EvaluationError):
        encode(ev, ev.sheet1, world.student, "12")  # the sheet is locked now


@pytest.mark.article("85")
def test_encoding_the_day_after_the_deadline_is_refused_unless_session_ouverte(ev, world, settings):
    import datetime as dt
    on(settings, "2024-02-02")
    encode(ev, ev.sheet1, world.student, "12")
    on(settings, "2024-02-03")
    with pytest.raises(services.EvaluationError, match="date limite"):
        encode(ev, ev.sheet1, world.student, "13")
    president = world.users[Role.JURY_PRESIDENT.value]
    with pytest.raises(services.EvaluationError, match="15 avril"):
        session_ouverte.open_session(actor=president, period_id=ev.p1.pk, student_id=world.student.pk,
                              until=dt.date(2024, 4, 16), reason="Hospitalisation")
    session_ouverte.open_session(actor=president, period_id=ev.p1.pk, student_id=world.student.pk,
                          until=dt.date(2024, 4, 15), reason="Hospitalisation")
    encode(ev, ev.sheet1, world.student, "13")
    on(settings, "2024-04-16")
    with pytest.raises(services.EvaluationError, match="date limite"):
        encode(ev, ev.sheet1, world.student, "14")


def test_submission_needs_every_line_and_locks_and_a_second_click_is_harmless(ev, world):
    encode(ev, ev.sheet1, world.student, "12")
    with pytest.raises(services.EvaluationError, match="1 étudiant"):
        services.submit_sheet(actor=ev.teacher, sheet_id=ev.sheet1.pk)
    encode(ev, ev.sheet1, world.other_student, "pp")
    services.submit_sheet(actor=ev.teacher, sheet_id=ev.sheet1.pk)
    services.submit_sheet(actor=ev.teacher, sheet_id=ev.sheet1.pk)
    with pytest.raises(services.EvaluationError, match="secrétaire du jury"):
        encode(ev, ev.sheet1, world.student, "13")


@pytest.mark.article("100")
def test_jury_secretary_corrects_with_a_reason_kept_in_history(ev, world):
    fill(ev, world, "8", "9")
    submit_all(ev, world)
    secretary = world.users[Role.JURY_SECRETARY.value]
    with pytest.raises(services.EvaluationError, match="secrétaire du jury"):
        services.correct_note(actor=ev.teacher, sheet_id=ev.sheet2.pk, student_id=world.student.pk, text="12",
                              reason="Erreur")
    with pytest.raises(services.EvaluationError, match="motif"):
        services.correct_note(actor=secretary, sheet_id=ev.sheet2.pk, student_id=world.student.pk, text="12", reason="")
    services.correct_note(actor=secretary, sheet_id=ev.sheet2.pk, student_id=world.student.pk, text="12,5",
                          reason="Erreur de report de la copie")
    line = ActivityNote.objects.get(sheet=ev.sheet2, student=world.student)
    last = line.history.first()
    assert last.history_change_reason.startswith("Correction : Erreur de report")
    assert last.history_user == secretary and line.history.count() >= 3
    result = UEResult.objects.get(student=world.student, period=ev.p1)
    assert result.note == D("11")  # (8 + 2 × 12.5) / 3 = 11


@pytest.mark.article("103")
def test_results_are_hidden_until_the_jury_publishes(ev, world):
    fill(ev, world, "14", "12")
    submit_all(ev, world)
    assert selectors.student_results(world.student) == []
    rows = selectors.results_for_students([world.student.pk, world.other_student.pk], ev.p1)
    assert rows[world.student.pk][0].note == D("12.5") and len(rows[world.student.pk][0].activities) == 2
    with pytest.raises(services.EvaluationError, match="jury"):
        publication.publish_results(actor=ev.teacher, period_id=ev.p1.pk)
    n = publication.publish_results(actor=world.users[Role.JURY_PRESIDENT.value], period_id=ev.p1.pk)
    assert n == 2
    (period, results), = selectors.student_results(world.student)
    assert period == ev.p1 and results[0].display == "12,5"
    assert world.student.user.notifications.filter(title__contains="résultats").exists()


@pytest.mark.article("98")
@pytest.mark.article("101")
@pytest.mark.article("102")
def test_carry_over_bloc1_and_continuing_students_across_three_periods(ev, world):
    Registration.objects.filter(student=world.other_student).update(bloc=2, stage="PE")
    for st in (world.student, world.other_student):
        fill(ev, world, "12", "6", student=st)  # UE (12 + 12) / 3 = 8: failed
    submit_all(ev, world)
    services.build_sheets(period=ev.p2)
    from parcours.evaluations.models import ScoreSheet
    s1, s2 = (ScoreSheet.objects.get(activity=a, period=ev.p2) for a in (ev.a1, ev.a2))
    bloc1 = {s: ActivityNote.objects.get(sheet=s, student=world.student) for s in (s1, s2)}
    assert bloc1[s1].source == "report" and bloc1[s1].note == D("12")  # ≥ 10: carried to June (art. 101)
    assert bloc1[s2].note is None and "réinterrogé" in bloc1[s2].carried_reason  # < 10: to retake (art. 98)
    cont = {s: ActivityNote.objects.get(sheet=s, student=world.other_student) for s in (s1, s2)}
    assert cont[s1].note == D("12") and cont[s2].note == D("6")  # art. 102: every January note carried
    assert cont[s2].source == "report"
    with pytest.raises(services.EvaluationError, match="reportée"):
        encode(ev, s2, world.other_student, "11")
    encode(ev, s2, world.student, "9")  # bloc 1: (12 + 18) / 3 = 10 → passes in June
    for s in (s1, s2):
        services.submit_sheet(actor=ev.teacher, sheet_id=s.pk)
    assert UEResult.objects.get(student=world.student, period=ev.p2).acquired
    assert not UEResult.objects.get(student=world.other_student, period=ev.p2).acquired
    services.build_sheets(period=ev.p3)
    t1, t2 = (ScoreSheet.objects.get(activity=a, period=ev.p3) for a in (ev.a1, ev.a2))
    assert not t1.notes.filter(student=world.student).exists()  # UE validated in June: nothing to sit
    c1 = ActivityNote.objects.get(sheet=t1, student=world.other_student)
    c2 = ActivityNote.objects.get(sheet=t2, student=world.other_student)
    assert c1.note == D("12") and c1.source == "report"  # ≥ 10 carried to the 3rd period (art. 102)
    assert c2.note is None and c2.source == "rezero" and "PP" in c2.carried_reason  # < 10: reset


@pytest.mark.article("98")
@pytest.mark.article("101")
def test_a_bloc1_student_asks_to_retake_a_passed_activity_and_the_note_is_reset(ev, world, settings):
    from parcours.evaluations import choices
    from parcours.evaluations.models import ScoreSheet
    fill(ev, world, "14", "6")  # UE (14 + 12) / 3 = 8.67 → 8.5: failed; activity 1 passed
    submit_all(ev, world)
    services.build_sheets(period=ev.p2)
    s1 = ScoreSheet.objects.get(activity=ev.a1, period=ev.p2)
    assert ActivityNote.objects.get(sheet=s1, student=world.student).source == "report"
    on(settings, "2024-02-05")
    options = {o["activity"].pk: o for o in choices.retake_options(world.student, ev.p2)}
    assert "representer" in options[ev.a1.pk]["kinds"] and "renoncer" in options[ev.a2.pk]["kinds"]
    choices.choose(actor=world.student.user, period_id=ev.p2.pk, activity_id=ev.a1.pk, kind="representer")
    line = ActivityNote.objects.get(sheet=s1, student=world.student)
    assert line.note is None and line.source == "rezero" and "PP" in line.carried_reason
    with pytest.raises(services.EvaluationError, match="pas ouvert"):
        choices.choose(actor=world.student.user, period_id=ev.p2.pk, activity_id=ev.a1.pk, kind="inscrire")


@pytest.mark.article("90")
def test_third_period_registration_in_the_department_window(ev, world, settings):
    import datetime as dt

    from parcours.evaluations import choices
    from parcours.evaluations.models import DepartmentPeriod, ScoreSheet
    ev.ue.quadrimestre = "2"
    ev.ue.save()
    for p in (ev.p2,):
        services.build_sheets(period=p)
    s1, s2 = (ScoreSheet.objects.get(activity=a, period=ev.p2) for a in (ev.a1, ev.a2))
    for s in (s1, s2):
        services.encode_notes(actor=ev.teacher, sheet_id=s.pk, entries=[(world.student.pk, "PP"),
                                                                         (world.other_student.pk, "15")])
        services.submit_sheet(actor=ev.teacher, sheet_id=s.pk)
    DepartmentPeriod.objects.filter(period=ev.p3).update(retake_choice_opens=dt.date(2024, 7, 1),
                                                         retake_choice_closes=dt.date(2024, 7, 10))
    services.build_sheets(period=ev.p3)
    t1 = ScoreSheet.objects.get(activity=ev.a1, period=ev.p3)
    line = ActivityNote.objects.get(sheet=t1, student=world.student)
    assert not line.may_sit and line.excluded_article == "Art. 90"  # listed, with the reason
    on(settings, "2024-07-11")
    with pytest.raises(services.EvaluationError, match="10 juillet"):
        choices.choose(actor=world.student.user, period_id=ev.p3.pk, activity_id=ev.a1.pk, kind="inscrire")
    on(settings, "2024-07-10")
    choices.choose(actor=world.student.user, period_id=ev.p3.pk, activity_id=ev.a1.pk, kind="inscrire")
    assert ActivityNote.objects.get(sheet=t1, student=world.student).may_sit


@pytest.mark.article("99")
def test_the_president_designates_a_co_evaluator_who_may_encode(ev, world):
    from parcours.evaluations import organisation
    from tests.factories import UserFactory, role
    colleague = role(UserFactory(email="collegue@test.helha.be"), Role.TEACHER, department=world.programme.department)
    with pytest.raises(services.EvaluationError):
        services.encode_notes(actor=colleague, sheet_id=ev.sheet1.pk, entries=[(world.student.pk, "12")])
    with pytest.raises(services.EvaluationError, match="président"):
        organisation.add_evaluator(actor=ev.teacher, sheet_id=ev.sheet1.pk, email=colleague.email)
    president = world.users[Role.JURY_PRESIDENT.value]
    with pytest.raises(services.EvaluationError, match="n'est pas membre du personnel enseignant"):
        organisation.add_evaluator(actor=president, sheet_id=ev.sheet1.pk, email=world.student.user.email)
    with pytest.raises(services.EvaluationError, match="Aucun compte actif à l'adresse « colegue@test.helha.be »"):
        organisation.add_evaluator(actor=president, sheet_id=ev.sheet1.pk, email="colegue@test.helha.be")
    organisation.add_evaluator(actor=president, sheet_id=ev.sheet1.pk, email=colleague.email)
    with pytest.raises(services.EvaluationError, match="évalue déjà cette activité"):
        organisation.add_evaluator(actor=president, sheet_id=ev.sheet1.pk, email=colleague.email.upper())
    services.encode_notes(actor=colleague, sheet_id=ev.sheet1.pk, entries=[(world.student.pk, "12")])


@pytest.mark.article("103")
def test_a_publication_tells_every_student_over_one_mail_connection_after_commit(ev, world, connections,
                                                                               django_capture_on_commit_callbacks):
    from django.core import mail

    fill(ev, world, "14", "12")
    fill(ev, world, "9", "8", student=world.other_student)
    submit_all(ev, world)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publication.publish_results(actor=world.users[Role.JURY_PRESIDENT.value], period_id=ev.p1.pk)
    assert len(mail.outbox) == sent  # nothing leaves before the publication is committed
    for callback in callbacks:
        callback()
    assert {m.to[0] for m in mail.outbox[sent:]} == {world.student.user.email, world.other_student.user.email}
    assert len(connections) == 1
    assert world.other_student.user.notifications.filter(url="/evaluations/resultats/").count() == 1
