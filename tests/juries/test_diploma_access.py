"""Art. 136: the jury issues the diploma "après proclamation", signed by the Directeur-Président, the jury's president
and secretary (the supplement by its secretary). Before publication nobody downloads them; after, the student and
the jury's two officers — not its other members, nor a department direction that does not sit on the jury."""

import pytest
from django.urls import reverse

from parcours.accounts.models import Role
from parcours.juries import services
from parcours.juries.models import Decision
from parcours.web import clock
from tests.factories import UserFactory, role
from tests.juries.conftest import open_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(jw, settings):
    settings.PARCOURS_TODAY = "2024-07-01"
    jw.director = role(UserFactory(email="dir.dept@test.helha.be"), Role.DEPARTMENT_DIRECTION,
                       department=jw.programme.department)
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    return Decision.objects.get(session=session, student=jw.students["eva"])


def _codes(client, user, decision):
    client.force_login(user)
    return {kind: client.get(reverse("juries:document", args=[decision.pk, kind])).status_code
            for kind in ("diplome", "supplement")}


@pytest.mark.article("136")
def test_nobody_downloads_a_diploma_before_the_publication(client, jw, closed, rendered):
    for user in (jw.president, jw.secretary, closed.student.user, jw.director):
        assert _codes(client, user, closed) == {"diplome": 404, "supplement": 404}, user
    client.force_login(jw.president)
    page = client.get(reverse("juries:session", args=[closed.session_id])).content.decode()
    assert reverse("juries:document", args=[closed.pk, "diplome"]) not in page
    assert "diplôme et supplément après la publication (art. 136)" in page


@pytest.mark.article("136")
def test_after_publication_the_student_and_the_jury_officers_only(client, jw, closed, rendered):
    services.schedule_publication(actor=jw.president, session_id=closed.session_id, publish_at=clock.now())
    for user in (jw.president, jw.secretary, closed.student.user):
        assert _codes(client, user, closed) == {"diplome": 200, "supplement": 200}, user
    assert "Proclamé le" in rendered[-2][1] or "1er juillet 2024" in rendered[-2][1]
    for user in (jw.teachers[0], jw.director, jw.students["lea"].user):  # a member, a direction off the jury
        assert _codes(client, user, closed) == {"diplome": 404, "supplement": 404}, user


@pytest.mark.article("128", "136")
def test_a_department_director_presiding_the_jury_downloads_them(client, jw, closed):
    # art. 128: the department director presides, without the jury-president role; publishing is theirs all the same
    jw.jury.president = jw.director
    jw.jury.save()
    services.schedule_publication(actor=jw.director, session_id=closed.session_id, publish_at=clock.now())
    assert Decision.objects.get(pk=closed.pk).session.published
    assert _codes(client, jw.director, closed) == {"diplome": 200, "supplement": 200}
