"""The jury screens: who sees what, what is offered, the PDFs and the publication to students (art. 103, 130)."""

import datetime as dt
from decimal import Decimal
from html import unescape as html_unescape

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.evaluations.models import UEResult
from parcours.juries import documents, services
from parcours.juries.models import Decision
from parcours.web import clock
from tests.factories import UserFactory
from tests.juries.conftest import open_with


@pytest.mark.article("130")
def test_only_jury_members_see_the_grid(client, jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    url = reverse("juries:session", args=[session.pk])
    for outsider in (UserFactory(email="autre.prof@test.helha.be"), jw.students["lea"].user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("juries:jury", args=[jw.jury.pk])).status_code == 404
    client.force_login(jw.teachers[0])
    page = client.get(url).content.decode()
    assert jw.students["tom"].matricule in page
    assert "Clôturer la séance" not in page  # a member reads, the secretary closes
    client.force_login(jw.secretary)
    assert "Clôturer la séance" in client.get(url).content.decode()


@pytest.mark.article("128")
def test_attendance_screen_says_why_quorum_fails(client, jw):
    session = services.create_session(actor=jw.secretary, jury_id=jw.jury.pk, period=2)
    client.force_login(jw.secretary)
    client.post(reverse("juries:session_open", args=[session.pk]))
    response = client.post(reverse("juries:session_attendance", args=[session.pk]),
                           {"present": [jw.secretary.pk, jw.teachers[0].pk]}, follow=True)
    page = response.content.decode()
    assert "Quorum non atteint" in page and "Enseignants présents : 1 sur 6" in page and "1 enseignants" not in page


@pytest.mark.article("134")
def test_grant_form_errors_are_french_and_nothing_is_saved(client, jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    client.force_login(jw.secretary)
    tom = jw.students["tom"]
    url = reverse("juries:grant", args=[session.pk, tom.pk])
    page = client.post(url, {"ue": jw.ues["B1-2"].pk, "motivation": "x"}, follow=True).content.decode()
    assert "annexe 3" in page
    page = client.post(url, {"ue": jw.ues["B1-3"].pk, "criteria": ["evolution"], "motivation": "x"},
                       follow=True).content.decode()
    assert "Octroi refusé" in page and "PP" in page
    page = client.post(url, {"ue": "abc", "criteria": ["inconnu"], "motivation": "x"}, follow=True)
    assert page.status_code == 200
    assert session.grants.count() == 0


@pytest.mark.article("103")
def test_publication_tells_students_with_the_deadlines_and_only_then_shows_results(client, jw, settings):
    settings.PARCOURS_TODAY = "2024-06-28"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    lea = jw.students["lea"]
    decision = Decision.objects.get(session=session, student=lea)
    client.force_login(lea.user)
    assert "Aucun résultat publié" in client.get(reverse("juries:my_results")).content.decode()
    assert client.get(reverse("juries:document", args=[decision.pk, "releve"])).status_code == 404
    later = timezone.make_aware(dt.datetime(2024, 7, 1, 10, 0))
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=later)
    assert not mail.outbox
    before = lea.user.notifications.count()
    assert services.publish_due(at=later + dt.timedelta(minutes=1)) == 1
    # Mail after commit: the test's transaction is rolled back, so read the notification.
    note = lea.user.notifications.get(title__startswith="Résultats de la délibération")
    # One message per student: the evaluation side's own "results published" notice is not sent as well.
    assert lea.user.notifications.count() == before + 1
    # The evaluation side now shows the UE notes too (its publish service was called).
    assert not UEResult.objects.filter(student=lea, published_at__isnull=True).exists()
    assert "Réussite du programme annuel" in note.body and "Art. 105" in note.body
    # 1 July 2024 (Monday) + 3 working days = 4 July 2024 (art. 105, 176).
    assert "au plus tard le 04/07/2024" in note.body
    page = client.get(reverse("juries:my_results")).content.decode()
    assert "Plainte relative au déroulement des évaluations" in page and "au plus tard le" in page
    assert "Comment ce délai est calculé" in page  # the computation is there, folded under the date
    pdf = client.get(reverse("juries:document", args=[decision.pk, "releve"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    other = Decision.objects.get(session=session, student=jw.students["tom"])
    assert client.get(reverse("juries:document", args=[other.pk, "releve"])).status_code == 404
    assert client.get(reverse("juries:document", args=[other.pk, "diplome"])).status_code == 404


@pytest.mark.article("103")
def test_valves_list_shows_matricules_and_decisions_never_names_or_notes(jw, monkeypatch):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    monkeypatch.setattr(documents, "render_pdf", lambda t, c: html_unescape(render_to_string(t, c)))
    html = documents.valves(session)
    tom = jw.students["tom"]
    assert tom.matricule in html and "Crédits partiellement acquis" in html
    assert tom.user.first_name not in html and "Test" not in html and "PP" not in html


@pytest.mark.article("130")
@pytest.mark.article("136")
def test_pv_diploma_and_supplement(client, jw, monkeypatch, settings):
    settings.PARCOURS_TODAY = "2024-07-01"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                           ue_id=jw.ues["B1-2"].pk, criteria=["accident_ue"], motivation="Échec accidentel.")
    services.close_session(actor=jw.secretary, session_id=session.pk)
    client.force_login(jw.president)
    pv = client.get(reverse("juries:session_pv", args=[session.pk]))
    assert pv.content.startswith(b"%PDF")
    eva = Decision.objects.get(session=session, student=jw.students["eva"])
    assert eva.degree_conferred
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=clock.now())
    for kind in ("diplome", "supplement"):
        assert client.get(reverse("juries:document", args=[eva.pk, kind])).content.startswith(b"%PDF")
    eva.refresh_from_db()
    monkeypatch.setattr(documents, "render_pdf", lambda t, c: html_unescape(render_to_string(t, c)))
    html = documents.pv(session)
    assert "Caractère accidentel de l'échec de l'unité d'enseignement" in html and "Échec accidentel." in html
    supplement = documents.supplement(eva)
    for n in range(1, 9):
        assert f"<h2>{n}. " in supplement
    diploma = documents.diploma(eva)
    assert "Directeur-Président" in diploma and "trois mois" in diploma


@pytest.mark.article("129")
def test_grid_costs_the_same_number_of_queries_whatever_the_number_of_students(client, jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    client.force_login(jw.secretary)
    url = reverse("juries:session", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for k in range(5):
        student = jw.enrol(f"extra{k}", 1, ["B1-1", "B1-2"])
        jw.result(student, "B1-1", Decimal(12))
        jw.result(student, "B1-2", Decimal(9))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "extra4" in page.lower() or jw.students["extra4"].matricule in page
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.article("128")
def test_a_students_page_says_why_no_grant_is_offered_without_quorum(client, jw):
    session = open_with(jw, 2, [jw.secretary, jw.teachers[0]])
    client.force_login(jw.secretary)
    url = reverse("juries:session_student", args=[session.pk, jw.students["tom"].pk])
    page = html_unescape(client.get(url).content.decode())
    assert "Quorum non atteint (art. 128)" in page and "Octroyer les crédits" not in page
    services.record_attendance(actor=jw.secretary, session_id=session.pk,
                               present_user_ids=[u.pk for u in [jw.president, jw.secretary] + jw.teachers])
    page = html_unescape(client.get(url).content.decode())
    assert "Quorum non atteint" not in page and "Octroyer les crédits" in page


@pytest.mark.article("Annexe 6")
def test_the_jury_page_names_its_annexe_6_weighting_not_its_codes(client, jw):
    client.force_login(jw.secretary)
    page = client.get(reverse("juries:jury", args=[jw.jury.pk])).content.decode()
    assert "Social, bachelier : bloc 1 20 %, bloc 2 30 %, bloc 3 50 %" in page  # annexe 6, Social — Bachelier
    assert "bachelier_3" not in page
    jw.jury.mention_kind = "master_1"  # the annexe has no social master in one year
    jw.jury.save()
    assert "aucune pondération de l'annexe 6" in client.get(reverse("juries:jury", args=[jw.jury.pk])).content.decode()
