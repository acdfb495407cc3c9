"""The article registry: complete, consistent, and every computational article tested."""

import re
from pathlib import Path

import pytest

from parcours.regulation.articles import REGISTRY, get
from parcours.regulation.rules import RULES

TESTS = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"mark\.article\(((?:[^()]|\([^()]*\))*)\)")
STRING = re.compile(r"\"([^\"]+)\"")


def normalise(label: str) -> str:
    label = label.strip()
    if label.startswith("Annexe"):
        return " ".join(label.split()[:2])
    if label.startswith("Procédure"):
        return "Procédure mobilité AS"
    match = re.match(r"\d+", label)
    if not match:
        raise ValueError(f"référence d'article illisible : {label!r}")
    return match.group()


def articles_named_by_tests() -> set[str]:
    found = set()
    for path in TESTS.rglob("test_*.py"):
        for args in MARKER.findall(path.read_text(encoding="utf-8")):
            found.update(normalise(s) for s in STRING.findall(args))
    return found


def test_every_article_and_annexe_is_in_the_registry():
    refs = [a.ref for a in REGISTRY]
    assert refs[:220] == [str(n) for n in range(1, 221)]
    assert refs[220:227] == [f"Annexe {n}" for n in range(1, 8)]
    assert "Procédure mobilité AS" in refs


def test_not_computational_entries_say_why_and_others_say_how():
    for a in REGISTRY:
        if a.computational:
            assert a.implemented_by and not a.reason, a.ref
        else:
            assert a.reason and not a.implemented_by, a.ref


def test_implemented_by_names_existing_rules():
    for a in REGISTRY:
        if a.status == "implemented":
            unknown = [name for name in a.implemented_by if name not in RULES]
            assert not unknown, f"{a.ref}: {unknown}"


def test_every_rule_implements_at_least_one_article():
    used = {name for a in REGISTRY for name in a.implemented_by}
    assert set(RULES) <= used


def test_every_computational_article_has_a_test_that_names_it():
    tested = articles_named_by_tests()
    untested = [a.ref for a in REGISTRY if a.computational and a.ref not in tested]
    assert not untested, f"articles calculables sans test qui les nomme : {untested}"


def test_tests_name_only_known_articles():
    known = {a.ref for a in REGISTRY}
    assert articles_named_by_tests() <= known


@pytest.mark.parametrize("label,ref", [("35 §2 2°", "35"), ("Annexe 2", "Annexe 2"), ("67 §1er", "67"),
                                       ("Procédure mobilité AS", "Procédure mobilité AS")])
def test_marker_labels_are_read(label, ref):
    assert normalise(label) == ref


def test_lookup():
    assert get("35").status == "implemented"
    assert get("Annexe 5").status == "not_computational"
    with pytest.raises(KeyError):
        get("221")
