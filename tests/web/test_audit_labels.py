"""The DPO reads what was done in words, not in audit codes: every action the audit writer records is declared
once in parcours.audit.actions with a French label (English via gettext)."""

import ast
from pathlib import Path

import pytest

from parcours.audit.actions import ACTIONS
from tests.web.admissions_support import submit
from tests.web.test_homes import home

SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"


def _literal_codes():
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None))
            if name not in ("record", "set_status_each"):
                continue
            for kw in node.keywords:
                if kw.arg == "action" and not isinstance(kw.value, ast.JoinedStr):  # f-strings: declared by hand
                    for const in ast.walk(kw.value):
                        if isinstance(const, ast.Constant) and isinstance(const.value, str):
                            yield const.value


def test_every_recorded_action_has_a_label():
    codes = set(_literal_codes())
    assert len(codes) > 50  # the scan found the writers
    assert codes - ACTIONS.keys() == set()


@pytest.mark.article("24")
@pytest.mark.parametrize("language,label", [("fr", "Document reçu"), ("en", "Document received")])
def test_the_dpo_home_names_actions_in_the_readers_language(client, world, applicant, on, language, label):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parcours.dossiers.services import upload_document
    from tests.web.admissions_support import PDF

    on("2023-09-20")
    req = submit(applicant, world)
    slot = req.dossier.slots.first()
    upload_document(actor=applicant.user, slot_id=slot.pk, uploaded=SimpleUploadedFile("doc.pdf", PDF))
    dpo = world.users["dpo"]
    dpo.language = language
    dpo.save()
    page = home(client, dpo)
    assert f"{label} : 1" in page and f">{label}</td>" in page
    assert ">dossiers.document.received<" not in page and "dossiers.document.received :" not in page
