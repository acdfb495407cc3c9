"""Counts in the juries' pages, homes and job results agree with their number: French takes the singular for 0 and
1 (the project's `fr` catalogue), English for 1 only — never "1 enseignants présents" or "décision(s)"."""

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from parcours.regulation import deliberation

CASES = [
    (("Séance clôturée : {n} décision arrêtée", "Séance clôturée : {n} décisions arrêtées"),
     "Séance clôturée : 1 décision arrêtée", "Séance clôturée : 2 décisions arrêtées", "Session closed: 1 decision adopted"),
    (("{activity} — {period} : {n} note manquante", "{activity} — {period} : {n} notes manquantes"),
     "X — P : 1 note manquante", "X — P : 2 notes manquantes", "X — P: 1 missing grade"),
]


@pytest.mark.parametrize("forms,one,two,english", CASES)
def test_singular_and_plural_on_both_sides_of_one(forms, one, two, english):
    def text(n):
        return ngettext(*forms, n).format(n=n, activity="X", period="P")
    with translation.override("fr"):
        assert (text(0), text(1), text(2)) == (one.replace("1", "0"), one, two)
    with translation.override("en"):
        assert text(1) == english and text(2) != english


@pytest.mark.article("128")
@pytest.mark.parametrize("present", [0, 1, 2])
def test_the_quorum_reason_reads_the_same_for_any_count(present):
    decision = deliberation.quorum(deliberation.QuorumFacts(members=8, teachers_who_examined=6,
                                                            teachers_present=present))
    text = " ".join(r.text for r in decision.reasons)
    assert f"Enseignants présents : {present} sur 6" in text and "enseignants présents sur" not in text
