"""Constituting a jury from a screen (art. 127-128): who may, the president by right or a designated
replacement (recorded), the computed members editable, at least 5, nothing half-saved."""

import pytest
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.juries.models import Jury, JuryMember
from tests.factories import DepartmentFactory, UserFactory, role

URL = reverse("juries:create")


@pytest.fixture
def dept(jw):
    """The jw world without its jury, with the department's director, secretariat and a domain director."""
    jw.jury.delete()
    department = jw.programme.department
    jw.director = role(UserFactory(email="dir.dept@test.helha.be", first_name="Dora", last_name="Directrice"),
                       Role.DEPARTMENT_DIRECTION, department=department)
    jw.secretariat = role(UserFactory(email="secr.dept@test.helha.be"), Role.SECRETARIAT, department=department)
    jw.domain = role(UserFactory(email="dir.domaine@test.helha.be", last_name="Domaine"), Role.DOMAIN_DIRECTION)
    return jw


def _post(client, w, **extra):
    data = {"programme": w.programme.pk, "president": "directeur", "secretary": w.secretary.email,
            "members": [str(t.pk) for t in w.teachers], "mention_scheme": "social|bachelier_3", **extra}
    return client.post(URL, data)


@pytest.mark.article("127")
@pytest.mark.parametrize("who, allowed", [("secretariat", True), ("director", True), ("president", False),
                                          ("secretary", False), ("teacher", False), ("student", False),
                                          ("other_secretariat", False)])
def test_who_may_constitute_a_jury(client, dept, who, allowed):
    users = {"secretariat": dept.secretariat, "director": dept.director, "president": dept.president,
             "secretary": dept.secretary, "teacher": dept.teachers[0], "student": dept.students["lea"].user,
             "other_secretariat": role(UserFactory(email="secr.autre@test.helha.be"), Role.SECRETARIAT,
                                       department=DepartmentFactory(code="AUTRE", name="Autre département"))}
    client.force_login(users[who])
    assert client.get(URL).status_code == (200 if allowed else 404)
    response = _post(client, dept)
    assert Jury.objects.filter(programme=dept.programme).exists() is allowed
    if not allowed:
        assert response.status_code in (200, 404)


@pytest.mark.article("128")
def test_the_department_director_presides_and_computed_members_are_proposed(client, dept):
    client.force_login(dept.secretariat)
    page = client.get(URL, {"programme": dept.programme.pk}).content.decode()
    assert "Dora Directrice" in page
    for t in dept.teachers:  # every UE responsible of the students' PAE, checked
        assert f'value="{t.pk}"' in page
    response = _post(client, dept)
    jury = Jury.objects.get(programme=dept.programme)
    assert response.status_code == 302
    assert jury.president == dept.director and jury.president_replaces is None
    assert jury.secretary == dept.secretary
    assert set(jury.members.values_list("user_id", flat=True)) == {t.pk for t in dept.teachers} | {
        dept.director.pk, dept.secretary.pk}
    assert (jury.mention_domain, jury.mention_kind) == ("social", "bachelier_3")


@pytest.mark.article("128")
def test_replacement_designated_by_the_domain_director_is_recorded(client, dept):
    client.force_login(dept.secretariat)
    replacement = role(UserFactory(email="college@test.helha.be"), Role.COLLEGE)
    page = _post(client, dept, president="remplacant", replacement=replacement.email).content.decode()
    assert "désigné par le directeur de domaine" in page and not Jury.objects.exists()
    _post(client, dept, president="remplacant", replacement=replacement.email, designated_by=dept.domain.pk)
    jury = Jury.objects.get()
    assert jury.president == replacement
    assert jury.president_replaces == dept.director and jury.president_designated_by == dept.domain
    page = client.get(reverse("juries:composition", args=[jury.pk])).content.decode()
    assert "désigné par" in page


@pytest.mark.article("128")
def test_four_members_refused_five_accepted_nothing_half_saved(client, dept):
    client.force_login(dept.secretariat)
    page = _post(client, dept, members=[str(t.pk) for t in dept.teachers[:2]]).content.decode()
    assert "il en faut au moins 5" in page  # president + secretary + 2 teachers = 4
    assert not Jury.objects.exists() and not JuryMember.objects.exists()
    _post(client, dept, members=[str(t.pk) for t in dept.teachers[:2]], extra="nouveau@test.helha.be")
    assert not Jury.objects.exists()  # an unknown address: refused, said
    extra = UserFactory(email="nouveau@test.helha.be")
    response = _post(client, dept, members=[str(t.pk) for t in dept.teachers[:2]], extra=extra.email)
    assert response.status_code == 302
    assert Jury.objects.get().members.count() == 5


@pytest.mark.article("128")
def test_odd_input_never_500_and_double_submission_harmless(client, dept):
    client.force_login(dept.secretariat)
    for data in ({"programme": "x"}, {"programme": "999999"}, {"programme": dept.programme.pk, "president": "roi"},
                 {"programme": dept.programme.pk, "secretary": "pas-une-adresse", "president": "directeur"},
                 {"programme": dept.programme.pk, "president": "directeur", "secretary": dept.secretary.email,
                  "members": ["abc", "-1"]}):
        assert client.post(URL, data).status_code == 200
    assert not Jury.objects.exists()
    _post(client, dept)
    page = _post(client, dept).content.decode()
    assert "existe déjà" in page and Jury.objects.count() == 1
    page = _post(client, dept, secretary=dept.director.email).content.decode()
    assert Jury.objects.count() == 1


@pytest.mark.article("128")
def test_composition_is_editable_but_never_below_five(client, dept):
    client.force_login(dept.secretariat)
    _post(client, dept, members=[str(t.pk) for t in dept.teachers[:3]])
    jury = Jury.objects.get()
    url = reverse("juries:composition", args=[jury.pk])
    response = client.post(url, {"action": "remove", "user": dept.teachers[0].pk}, follow=True)
    assert "ne peut en compter moins" in response.content.decode() and jury.members.count() == 5
    client.post(url, {"action": "add", "email": dept.teachers[4].email})
    assert jury.members.count() == 6
    client.post(url, {"action": "remove", "user": dept.teachers[0].pk})
    assert jury.members.count() == 5
    response = client.post(url, {"action": "remove", "user": dept.director.pk}, follow=True)
    assert "font partie du jury" in response.content.decode()
    client.force_login(dept.teachers[1])  # a member reads the jury, does not edit its composition
    assert client.get(url).status_code == 404
    client.force_login(dept.secretary)  # the jury's secretary does
    assert client.get(url).status_code == 200
