"""The regulation's reasons and errors exist in French and English (issue 11 §4).

The rules write French ``gettext_noop`` templates; ``regulation/locale/en`` holds their English. These tests
read the source (every template a rule can write is a literal) and the compiled catalogue the site loads.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest

from parcours.regulation import calendar, fees, financabilite, registration
from parcours.regulation.explain import Reason, Text, gettext_noop, joined, render

PACKAGE = Path(financabilite.__file__).resolve().parent
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.mo"
ROOT = PACKAGE.parents[2]
FIELD = re.compile(r"\{[^{}]*\}")


def _sources():
    return sorted(p for p in PACKAGE.glob("*.py"))


def _marked_templates() -> dict[str, str]:
    """Every literal given to gettext_noop in the regulation layer, with where it is."""
    out = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "gettext_noop"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out[node.args[0].value] = f"{path.name}:{node.lineno}"
    return out


def _english():
    with CATALOGUE.open("rb") as f:
        return gettext.GNUTranslations(f)


def test_every_template_of_the_rules_has_an_english_translation_with_the_same_fields():
    catalogue = _english()._catalog
    templates = _marked_templates()
    assert len(templates) > 500  # the reasons and errors of every rule, and the years' labels
    missing = [f"{where}: {t}" for t, where in templates.items() if not catalogue.get(t)]
    assert not missing, "untranslated (makemessages, translate, compilemessages):\n" + "\n".join(missing)
    wrong = [f"{where}: {t} -> {catalogue[t]}" for t, where in templates.items()
             if sorted(FIELD.findall(t)) != sorted(FIELD.findall(catalogue[t]))]
    assert not wrong, "the English does not use the same fields:\n" + "\n".join(wrong)


def test_a_reason_or_an_error_is_written_with_gettext_noop_never_a_bare_french_string():
    """A rule's French text given straight to Explanation.add or RuleError would stay French in English."""
    bare = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "add" and len(node.args) == 2:
                arg = node.args[1]
            elif isinstance(f, ast.Name) and f.id in ("RuleError", "InputError") and node.args:
                arg = node.args[0]
            else:
                continue
            if isinstance(arg, ast.JoinedStr | ast.BinOp) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                bare.append(f"{path.name}:{node.lineno}")
    assert not bare, "wrap the text in gettext_noop(...): " + ", ".join(bare)


def test_the_years_labels_listed_for_the_catalogue_are_up_to_date():
    spec = importlib.util.spec_from_file_location("year_texts_script", ROOT / "scripts" / "year_texts.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert (PACKAGE / "year_texts.py").read_text(encoding="utf-8") == script.render(), "run scripts/year_texts.py"


# The French a student reads is the text the rule wrote before templates existed, to the byte; the expected
# sentences are written here from the RGE (art. 35, 24, 48, 49, 176), not copied from an output.

@pytest.mark.article("24", "47", "48", "49", "Annexe 2")
def test_the_french_fee_reasons_read_as_before():
    d = fees.compute(fees.FeeFacts(section="Assistant-e Social-e", site="Mons", stage="PE"))
    texts = [r.text for r in d.reasons]
    assert "Étudiant non boursier." in texts
    assert "Total non boursier : 650,00 €." in texts
    assert "Acompte de 50,00 € au plus tard le 31 octobre 2023 ; il n'est pas remboursable (sauf aux boursiers)." in texts
    assert texts[-1] == "Solde au plus tard le 1er février 2024."


@pytest.mark.article("35")
def test_the_french_financabilite_reasons_read_as_before():
    d = financabilite.evaluate(financabilite.FinancabiliteFacts(
        cycle=1, cursus="AS", cursus_credits=180, credits_in_cursus=45, bloc1_credits=45,
        history=[financabilite.PastRegistration(academic_year="2022-2023", cursus="AS", cycle=1, pae_credits=60,
                                                credits_acquired=45, cancelled=True)]))
    texts = [r.text for r in d.reasons]
    assert texts[0] == "1 inscription(s) annulée(s) avant le 1er décembre ne comptent pas."
    assert "Étudiant de première génération (jamais inscrit dans l'enseignement supérieur) : nouvelles règles de " \
           "finançabilité." in texts


@pytest.mark.article("176")
def test_the_french_deadline_reasons_read_as_before():
    d = calendar.deadline(calendar.DeadlineFacts(time_limit="internal_appeal", event_date="2024-04-26"))
    texts = [r.text for r in d.reasons]
    assert "Seuls les jours du lundi au vendredi sont comptés (le samedi n'est pas un jour ouvrable)." in texts
    assert any(t.endswith("Non comptés ici : Fête du Travail (1er mai 2024), Ascension (9 mai 2024).") for t in texts)


@pytest.mark.article("40")
def test_the_french_refusal_reasons_read_as_before():
    d = registration.decision_open(registration.DecisionOpenFacts(action="refuser", by_department_direction=False,
                                                                   kind="inscription", today="2023-10-10"))
    assert [r.text for r in d.reasons] == ["Seule la direction de département refuse une inscription, par décision motivée."]


def test_a_stored_reason_renders_the_same_french_as_the_live_one():
    text = gettext_noop("Payé au {on:date} : {paid:euros}.", on=calendar.dt.date(2023, 10, 1), paid=Decimal("1234.5"))
    stored = Reason("Art. 47", text).to_dict()
    assert stored["text"] == "Payé au 1er octobre 2023 : 1234,50 €."
    assert stored["params"] == {"on": "2023-10-01", "paid": "1234.5"}  # JSON: kept as the site stores it
    assert render(stored["template"], stored["params"]) == stored["text"]
    assert render("Paid by {on:date}: {paid:euros}.", stored["params"], english=True) == "Paid by 1 October 2023: €1,234.50."


def test_a_reason_without_params_is_kept_as_written_and_a_list_keeps_its_items():
    assert Reason("Art. 1", "Accolades {telles quelles}").to_dict() == {"article": "Art. 1", "text": "Accolades {telles quelles}"}
    listed = joined(["copie recto verso de la carte d'identité", "certificat d'aptitude physique"], " ; ")
    assert isinstance(listed, Text) and listed == "copie recto verso de la carte d'identité ; certificat d'aptitude physique"
    assert joined([], ", ") == ""
