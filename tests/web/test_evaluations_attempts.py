"""Art. 83: a UE presented twice in the year is not sat a third time without the department director's
motivated authorisation (the jury president, art. 128)."""

from decimal import Decimal as D

import pytest

from parcours.accounts.models import Role
from parcours.audit.models import AuditEvent
from parcours.evaluations import attempts, services
from parcours.evaluations.models import ActivityNote, ExtraAttempt, ScoreSheet

pytestmark = pytest.mark.django_db


def encode_submit(ev, sheet, entries):
    services.encode_notes(actor=ev.teacher, sheet_id=sheet.pk, entries=entries)
    services.submit_sheet(actor=ev.teacher, sheet_id=sheet.pk)


@pytest.fixture
def third(ev, world):
    """January: both fail the UE. June: the bloc-1 student resits activity 2 and fails again (2nd presentation);
    the continuing student's notes are all carried (art. 102), so June is not a presentation for them."""
    from parcours.students.models import Registration
    Registration.objects.filter(student=world.other_student).update(bloc=2, stage="PE")
    for sheet, note in ((ev.sheet1, "12"), (ev.sheet2, "6")):
        encode_submit(ev, sheet, [(world.student.pk, note), (world.other_student.pk, note)])
    services.build_sheets(period=ev.p2)
    s2 = ScoreSheet.objects.get(activity=ev.a2, period=ev.p2)
    encode_submit(ev, s2, [(world.student.pk, "7")])  # (12 + 14) / 3 = 8.67: failed again
    services.submit_sheet(actor=ev.teacher, sheet_id=ScoreSheet.objects.get(activity=ev.a1, period=ev.p2).pk)
    services.build_sheets(period=ev.p3)
    return ScoreSheet.objects.get(activity=ev.a2, period=ev.p3)


@pytest.mark.article("83")
def test_a_third_presentation_is_listed_as_not_admitted_with_the_article(ev, world, third):
    twice = ActivityNote.objects.get(sheet=third, student=world.student)
    assert not twice.may_sit and twice.excluded_article == "Art. 83"
    assert "2 fois" in twice.excluded_reason
    once = ActivityNote.objects.get(sheet=third, student=world.other_student)  # presented once: admitted
    assert once.may_sit
    with pytest.raises(services.EvaluationError, match="Non admis"):
        services.encode_notes(actor=ev.teacher, sheet_id=third.pk, entries=[(world.student.pk, "12")])


@pytest.mark.article("83")
def test_only_the_department_director_authorises_with_a_motivation(ev, world, third):
    president = world.users[Role.JURY_PRESIDENT.value]
    with pytest.raises(services.EvaluationError, match="directeur"):
        attempts.authorise_extra_attempt(actor=ev.teacher, sheet_id=third.pk, student_id=world.student.pk,
                                         motivation="Raisons graves")
    with pytest.raises(services.EvaluationError, match="motivée"):
        attempts.authorise_extra_attempt(actor=president, sheet_id=third.pk, student_id=world.student.pk,
                                         motivation="   ")
    with pytest.raises(services.EvaluationError, match="article 83"):
        attempts.authorise_extra_attempt(actor=president, sheet_id=third.pk, student_id=world.other_student.pk,
                                         motivation="Raisons graves")
    assert not ExtraAttempt.objects.exists()
    for _ in range(2):  # a double submission is harmless
        attempts.authorise_extra_attempt(actor=president, sheet_id=third.pk, student_id=world.student.pk,
                                         motivation="Hospitalisation en juin, attestée")
    grant = ExtraAttempt.objects.get()
    assert grant.decided_by == president and grant.history.count() == 1
    assert AuditEvent.objects.filter(action="evaluations.attempt.authorised").count() == 1
    assert ActivityNote.objects.get(sheet=third, student=world.student).may_sit
    services.encode_notes(actor=ev.teacher, sheet_id=third.pk, entries=[(world.student.pk, "12")])
    assert ActivityNote.objects.get(sheet=third, student=world.student).note == D("12")


@pytest.mark.article("83")
def test_the_authorise_link_is_offered_only_to_who_may_authorise(ev, world, third, client):
    url = f"/evaluations/feuilles/{third.pk}/art83/{world.student.pk}/"
    client.force_login(ev.teacher)
    assert url not in client.get(f"/evaluations/feuilles/{third.pk}/").content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"motivation": "x"}).status_code == 404
    president = world.users[Role.JURY_PRESIDENT.value]
    client.force_login(president)
    assert url in client.get(f"/evaluations/feuilles/{third.pk}/").content.decode()
    page = client.post(url, {"motivation": ""})
    assert page.status_code == 200 and "motivée" in page.content.decode()
    assert client.post(url, {"motivation": "Hospitalisation en juin"}).status_code == 302
    assert ActivityNote.objects.get(sheet=third, student=world.student).may_sit
    assert url not in client.get(f"/evaluations/feuilles/{third.pk}/").content.decode()
