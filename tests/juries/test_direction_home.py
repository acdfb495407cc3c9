"""The department direction opens Parcours on its work, with the juries it presides (art. 128: the department
director presides the jury of the department's cycles) and its department's juries to constitute (art. 127) — only
links the person may open."""

import pytest
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.juries import services
from tests.factories import DepartmentFactory, ProgrammeFactory, UserFactory, role


@pytest.fixture
def presided(jw):
    """The jw world's jury, constituted again with the department's director as its president."""
    jw.jury.delete()
    jw.director = role(UserFactory(email="dir.dept@test.helha.be", first_name="Dora", last_name="Directrice"),
                       Role.DEPARTMENT_DIRECTION, department=jw.programme.department)
    jw.jury = services.compose_jury(actor=jw.director, programme=jw.programme, academic_year=jw.year,
                                    president=jw.director, secretary=jw.secretary)
    return jw


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


@pytest.mark.article("127", "128")
def test_the_department_director_is_led_from_home_to_the_jury_they_preside(client, presided):
    page = _home(client, presided.director)
    jury_url = reverse("juries:jury", args=[presided.jury.pk])
    assert f'href="{jury_url}"' in page and f"{presided.jury}</a> — président" in page
    assert reverse("juries:list") in page and reverse("juries:create") in page
    for url in (jury_url, reverse("juries:list"), reverse("juries:create")):
        assert client.get(url).status_code == 200, url


@pytest.mark.article("127", "128", "130")
def test_another_department_s_director_sees_no_link_to_a_jury_they_may_not_open(client, presided):
    other = DepartmentFactory(code="AUTRE", name="Autre département")
    ProgrammeFactory(department=other, name="Bachelier : autre")
    director = role(UserFactory(email="dir.autre@test.helha.be"), Role.DEPARTMENT_DIRECTION, department=other)
    page = _home(client, director)
    jury_url = reverse("juries:jury", args=[presided.jury.pk])
    assert jury_url not in page and "Mes jurys" not in page
    assert client.get(jury_url).status_code == 404  # huis clos: members only (art. 130)
    assert reverse("juries:create") in page  # their own department's programmes


@pytest.mark.article("127")
def test_a_direction_whose_scope_holds_no_programme_is_not_offered_to_constitute(client, presided):
    empty = DepartmentFactory(code="VIDE", name="Département sans cursus")
    director = role(UserFactory(email="dir.vide@test.helha.be"), Role.DEPARTMENT_DIRECTION, department=empty)
    page = _home(client, director)
    assert reverse("juries:create") not in page and "Jurys du département" not in page
    assert client.get(reverse("juries:create")).status_code == 404
