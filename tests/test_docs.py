"""docs/rules.md is generated from the rules themselves: it cannot drift from the code."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from rules_doc import DOC, EXAMPLES, render  # noqa: E402

from parcours.regulation.rules import RULES  # noqa: E402


def test_every_rule_has_a_worked_example():
    assert {name for name, _, _ in EXAMPLES} == set(RULES)


def test_rules_md_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), "regenerate with: python scripts/rules_doc.py"


def test_glossary_defines_the_terms_of_art_kept_in_french():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for term in ("financabilite", "pae", "minerval", "allegement", "bloc", "ue", "mention"):
        assert f"`{term}`" in glossary, term
