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


def test_rules_md_lists_every_accepted_value_of_the_enumerated_inputs():
    from parcours.regulation.params import load_year
    from parcours.regulation.registration import DOCUMENT_LABELS

    doc = DOC.read_text(encoding="utf-8")
    params = load_year("2023-2024")
    names = [*params.deadlines.time_limits, *params.deadlines.dates, *params.deadlines.windows,
             "session_ouverte_q1", "session_ouverte_q2", "session_ouverte_q3", *DOCUMENT_LABELS]
    assert [n for n in names if f"`{n}`" not in doc] == []
    rows = {(r.section, r.site) for r in params.fee_rows}
    assert [r for r in rows if r[0].replace("|", "\\|") not in doc or r[1] not in doc] == []
    assert all(p.name in doc for p in params.programmes.programmes)
