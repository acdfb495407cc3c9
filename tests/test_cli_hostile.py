"""The command line keeps its promise on hostile input: exit 2 and a French message, never a traceback."""

import json
import subprocess
import sys

import pytest


def cli_bytes(*args, stdin: bytes):
    return subprocess.run([sys.executable, "-m", "parcours.cli", *args], input=stdin, capture_output=True, timeout=60)


@pytest.mark.parametrize("stdin,message", [
    (b"[" * 100_000 + b"]" * 100_000, "imbriqué"),
    ('{"time_limit": "internal_appeal", "event_date": "2023-10-27", "x": "é"}'.encode("latin-1"), "UTF-8"),
    (json.dumps({"time_limit": "internal_appeal", "event_date": "9999-12-31"}).encode(), "date hors limites"),
    (json.dumps({"time_limit": "internal_appeal", "event_date": "2023-10-27", "year": "2099-2100"}).encode(),
     "2099-2100"),
], ids=["deep-json", "latin-1", "9999-12-31", "unknown-year"])
def test_hostile_input_gives_exit_2_and_a_message(stdin, message):
    done = cli_bytes("rule", "calendar.deadline", "--input", "-", stdin=stdin)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "Traceback" not in err and message in err


def test_deep_json_in_an_object_is_refused_too(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' * 50_000 + "1" + "}" * 50_000)
    done = subprocess.run([sys.executable, "-m", "parcours.cli", "rule", "fees.compute", "--input", str(deep)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_huge_amount_is_a_bad_input_not_a_crash():
    facts = {"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC"}
    done = cli_bytes("rule", "fees.compute", "--input", "-", stdin=json.dumps({**facts, "paid": 1e308}).encode())
    assert done.returncode == 2 and "Traceback" not in done.stderr.decode()
