"""Art. 99: the jury president designates an assessor among HELHa teachers; a student's written, motivated
request comes at the latest 7 working days before the evaluation; the assessor does not encode."""

import datetime as dt

import pytest

from parcours.accounts.models import Role
from parcours.audit.models import AuditEvent
from parcours.evaluations import organisation, services
from parcours.evaluations.models import Assessor, Evaluation
from tests.factories import UserFactory, role

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(world):
    return role(UserFactory(email="assesseur@test.helha.be"), Role.TEACHER, department=world.programme.department)


@pytest.fixture
def exam(ev):
    return Evaluation.objects.create(activity=ev.a1, period=ev.p1, date=dt.date(2024, 1, 22))  # a Monday


def designate(world, ev, colleague, **kw):
    return organisation.designate_assessor(actor=world.users[Role.JURY_PRESIDENT.value], sheet_id=ev.sheet1.pk,
                                           email=colleague.email, **kw)


@pytest.mark.article("99")
@pytest.mark.parametrize("requested_on,ok", [(dt.date(2024, 1, 11), True), (dt.date(2024, 1, 12), False)])
def test_a_student_request_is_refused_after_7_working_days_before_with_the_date(ev, world, colleague, exam,
                                                                                 requested_on, ok):
    kw = {"origin": "student", "student_id": world.student.pk, "requested_on": requested_on,
          "motivation": "Différend avec l'évaluateur"}
    if ok:
        assert designate(world, ev, colleague, **kw).student == world.student
    else:
        with pytest.raises(services.EvaluationError, match=r"11 janvier 2024.*Art\. 99"):
            designate(world, ev, colleague, **kw)
        assert not Assessor.objects.exists()


@pytest.mark.article("99")
def test_only_the_president_designates_a_teacher_who_then_cannot_encode(ev, world, colleague, exam):
    with pytest.raises(services.EvaluationError, match="président"):
        organisation.designate_assessor(actor=ev.teacher, sheet_id=ev.sheet1.pk, email=colleague.email,
                                        origin="president")
    with pytest.raises(services.EvaluationError, match="enseignants"):
        designate(world, ev, world.student.user, origin="evaluator")
    designate(world, ev, colleague, origin="evaluator")
    designate(world, ev, colleague, origin="evaluator")  # twice: harmless
    assert Assessor.objects.get().origin == "evaluator"
    assert AuditEvent.objects.filter(action="evaluations.sheet.assessor").count() == 1
    with pytest.raises(services.EvaluationError):
        services.encode_notes(actor=colleague, sheet_id=ev.sheet1.pk, entries=[(world.student.pk, "12")])


@pytest.mark.article("99")
def test_the_assessor_form_is_offered_to_the_president_only(ev, world, colleague, exam, client):
    url = f"/evaluations/feuilles/{ev.sheet1.pk}/"
    client.force_login(ev.teacher)
    assert 'value="assessor"' not in client.get(url).content.decode()
    client.force_login(world.users[Role.JURY_PRESIDENT.value])
    assert 'value="assessor"' in client.get(url).content.decode()
    r = client.post(f"{url}action/", {"action": "assessor", "email": colleague.email, "origin": "president",
                                      "student": "", "requested_on": ""})
    assert r.status_code == 302 and Assessor.objects.filter(user=colleague).exists()
    r = client.post(f"{url}action/", {"action": "assessor", "email": colleague.email, "origin": "student",
                                      "student": "abc", "requested_on": "2024-01-12"}, follow=True)
    assert r.status_code == 200 and "inconnu" in r.content.decode()
