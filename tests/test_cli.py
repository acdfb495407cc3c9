"""The `parcours` command line: what a secretariat script or a developer would run."""

import json
import subprocess
import sys

import pytest

from parcours.cli import main
from parcours.regulation.rules import RULES


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "parcours.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def test_articles_json_lists_every_entry_with_status_and_implementation(capsys):
    assert main(["articles", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 228
    art35 = next(r for r in rows if r["article"] == "Art. 35")
    assert art35["status"] == "implemented" and art35["implemented_by"] == ["financabilite.evaluate"]
    assert {"article", "status", "implemented_by"} <= set(rows[0])
    annexe5 = next(r for r in rows if r["article"] == "Annexe 5")
    assert annexe5["status"] == "not_computational" and annexe5["reason"]


def test_articles_table(capsys):
    assert main(["articles"]) == 0
    out = capsys.readouterr().out
    assert "Art. 35" in out and "implémenté" in out and "228 entrées" in out


def test_rule_from_a_file(tmp_path, capsys):
    facts = tmp_path / "faits.json"
    facts.write_text(json.dumps({"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC"}), encoding="utf-8")
    assert main(["rule", "fees.compute", "--input", str(facts)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["outcome"]["total"] == "650.00"
    assert out["reasons"][0]["article"] == "Annexe 2"


def test_rule_from_stdin_through_the_installed_command():
    run = cli("rule", "calendar.deadline", "--input", "-",
              stdin=json.dumps({"time_limit": "internal_appeal", "event_date": "2023-10-27"}))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["outcome"] == "2023-11-08"
    assert [r["article"] for r in out["reasons"]][-1] == "Art. 177"


@pytest.mark.parametrize("args,stdin,message", [
    (["rule", "fees.compute", "--input", "-"], "{not json", "JSON invalide"),
    (["rule", "fees.compute", "--input", "-"], "[1, 2]", "objet JSON"),
    (["rule", "fees.compute", "--input", "-"], '{"section": "x", "sitee": "y"}', "champ inconnu"),
    (["rule", "calendar.deadline", "--input", "-"], '{"time_limit": "internal_appeal", "event_date": "31/10/2023"}',
     "date invalide"),
    (["rule", "inconnue", "--input", "-"], "{}", "règle inconnue"),
    (["rule", "fees.compute", "--input", "/nonexistent/faits.json"], None, "impossible de lire"),
])
def test_bad_input_gives_a_french_error_and_no_traceback(args, stdin, message):
    run = cli(*args, stdin=stdin)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_a_case_the_rules_cannot_decide_exits_3_with_the_reason():
    # Art. 35: "cinq dernières années" and "inscription antérieure à 2017-2018" disagree for a last registration then.
    run = cli("rule", "financabilite.evaluate", "--input", "-",
              stdin=json.dumps({"cycle": 1, "cursus": "AS", "cursus_credits": 180, "credits_in_cursus": 10,
                                "history": [{"academic_year": "2017-2018", "cycle": 1, "cursus": "AS",
                                             "pae_credits": 60, "credits_acquired": 10}]}))
    assert run.returncode == 3 and "2017-2018" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.article("38")
def test_a_free_student_asking_for_21_credits_is_refused_with_the_article():
    run = cli("rule", "fees.compute", "--input", "-",
              stdin=json.dumps({"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC",
                                "registration": "libre", "pae_credits": 21}))
    out = json.loads(run.stdout)
    assert run.returncode == 0 and out["outcome"]["refused"] is True and out["outcome"]["total"] is None
    assert any(r["article"] == "Art. 38" and "20 crédits" in r["text"] for r in out["reasons"])


def test_rule_list_names_every_rule(capsys):
    assert main(["rule", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in RULES)


def test_demo_explains_a_sample_case(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Finançabilité" in out and "650,00 €" in out and "[Art. 177]" in out
