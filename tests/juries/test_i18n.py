"""The jury's refusals, messages and grid labels in the reader's language: French as always, English from the
juries catalogue (the rules' reasons inside them from the regulation's). The audit log stays French."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from parcours.audit.models import AuditEvent
from parcours.juries import services
from parcours.juries.services import JuryError
from tests.juries.conftest import open_with

JURIES = Path(services.__file__).resolve().parent
FIELD = re.compile(r"\{[^{}]*\}")


def _refusal(jw, session, ue_code):
    with pytest.raises(JuryError) as refused:
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues[ue_code].pk, criteria=["evolution"], motivation="Progrès nets.")
    return str(refused.value)


def _english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


@pytest.mark.article("128")
def test_no_quorum_is_refused_in_french_and_in_english(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers[:2])  # 2 of 6 examining teachers
    assert _refusal(jw, session, "B1-2") == (
        "Le quorum n'est pas atteint (art. 128) : aucune décision ne peut être enregistrée. Enseignants présents : 2 "
        "sur 6 ; il en faut plus de la moitié, le jury ne délibère pas valablement.")
    with translation.override("en"):
        assert _refusal(jw, session, "B1-2") == (
            "The quorum is not reached (art. 128): no decision can be recorded. Teachers present: 2 out of 6; more "
            "than half are needed, the jury does not deliberate validly.")


@pytest.mark.article("134")
def test_a_grant_refused_by_art_134_reads_in_the_language_of_the_page(client, jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    url = reverse("juries:grant", args=[session.pk, jw.students["tom"].pk])
    post = {"ue": jw.ues["B1-3"].pk, "criteria": ["evolution"], "motivation": "Absent malade."}  # B1-3 is PP
    client.force_login(jw.secretary)
    page = client.post(url, post, follow=True).content.decode()
    assert "Octroi refusé : Note spéciale PP (pas présenté)" in page
    assert "pas ceux d&#x27;une UE à l&#x27;évaluation incomplète. (Art. 134)" in page
    _english(client, jw.secretary)
    page = client.post(url, post, follow=True).content.decode()
    assert "Grant refused: Special grade PP (not presented)" in page
    assert "not those of a course unit whose assessment is incomplete. (Art. 134)" in page
    assert "Octroi refusé" not in page


@pytest.mark.article("128", "133")
def test_the_grid_and_the_quorum_message_in_english(client, jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    _english(client, jw.secretary)
    page = client.post(reverse("juries:session_attendance", args=[session.pk]),
                       {"present": [u.pk for u in [jw.president, jw.secretary] + jw.teachers]}, follow=True)
    page = page.content.decode()
    assert "Attendance recorded." in page and "Quorum reached: " in page
    assert "Annual programme passed" in page  # Léa's proposal
    assert "Réussite du programme annuel" not in page and "Présences enregistrées" not in page
    # The legal record stays French whatever the secretary reads.
    assert AuditEvent.objects.filter(action="juries.session.attendance").latest("pk").summary.startswith("Présences : ")


def test_every_text_marked_in_the_juries_app_has_its_english_with_the_same_fields():
    marked = {}
    for path in JURIES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "gettext", "gettext_lazy", "gettext_noop")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                marked[node.args[0].value] = f"{path.name}:{node.lineno}"
    assert len(marked) > 100
    with (JURIES / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as f:
        english = gettext.GNUTranslations(f)._catalog
    missing = [f"{where}: {text}" for text, where in marked.items() if not english.get(text)]
    assert not missing, "untranslated (makemessages, translate, compilemessages):\n" + "\n".join(missing)
    fields = [where for text, where in marked.items() if sorted(FIELD.findall(text)) != sorted(FIELD.findall(english[text]))]
    assert not fields, f"the English does not use the same fields: {fields}"
