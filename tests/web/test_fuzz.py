"""Property-based probes (hypothesis): whatever the rules API and the forms receive, the answer is never a 5xx.

Bounded (a few dozen examples per target, no shrinking deadline) so the suite stays fast; the Django test client
re-raises a server error, so a failing example shows its traceback."""

import json
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.accounts.models import ApiToken
from parcours.admissions.models import AdmissionRequest
from parcours.regulation.rules import RULES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from rules_doc import EXAMPLES  # noqa: E402

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ODD_TEXT = ["2023-10-16", "9999-12-31", "0001-01-01", "2023-02-30", "1900-01-01", "1e308", "NaN", "Infinity", "-1",
            "2099-2100", "2023-2024", str(2**70), "", " ", "\x00", "é" * 300, "a;b;-5;1", "<script>x</script>"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20), st.sampled_from(ODD_TEXT))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=10)


@st.composite
def rule_calls(draw):
    """A worked example of the docs with some of its facts replaced (reaches deep into the rule), or free facts."""
    name, _, facts = draw(st.sampled_from(EXAMPLES))
    fields = list(RULES[name].facts.model_fields)
    if draw(st.booleans()):
        facts = {**facts, **draw(st.dictionaries(st.sampled_from(fields), values, min_size=1, max_size=3))}
    else:
        facts = draw(st.dictionaries(st.sampled_from(fields) | st.text(max_size=8), values, max_size=4))
    return name, facts


@pytest.fixture
def bearer(world):
    return ApiToken.issue(world.users["etudiant"], "fuzz")[1]


@FUZZ
@given(call=rule_calls())
def test_rules_api_never_answers_5xx(world, bearer, call):
    name, facts = call
    response = Client().post(f"/api/rules/{name}", json.dumps(facts), content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {bearer}")
    assert response.status_code < 500
    assert response.status_code in (200, 400, 409, 422), response.content


form_text = st.one_of(st.text(max_size=40), st.sampled_from(ODD_TEXT))


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={
    "programme": form_text, "kind": st.sampled_from(["inscription", "tardive", "libre", "x"]) | form_text,
    "bloc": form_text, "motivation": form_text, "other_registrations": form_text, "non_eu_present": form_text,
    "diploma_year": form_text, "foreign_secondary": st.sampled_from(["on", ""]), "form_token": form_text}))
def test_the_admission_form_never_answers_5xx(world, applicant, on, data):
    on("2023-09-20")
    client = Client()
    client.force_login(applicant.user)
    assert client.post(reverse("new_request"), data).status_code < 500


@FUZZ
@given(action=st.sampled_from(["arret", "bourse", "modeste", "pae", "valoriser", "alleger"]),
       day=form_text, ues=st.lists(form_text, max_size=3), extra=form_text)
def test_the_staff_forms_on_a_request_never_answer_5xx(world, registered, action, day, ues, extra):
    req = AdmissionRequest.objects.get(registration=registered)
    client = Client()
    client.force_login(world.users["secretariat"])
    url, data = {
        "arret": ("request_withdraw", {"on": day}),
        "bourse": ("request_grant", {"status": extra, "on": day}),
        "modeste": ("request_grant", {"action": "modeste", "on": day}),
        "pae": ("request_pae", {"ues": ues, "derogation": extra}),
        "valoriser": ("request_programme", {"action": "valoriser", "ues": ues, "basis": extra, "reason": extra}),
        "alleger": ("request_programme", {"action": "alleger", "requested_on": day, "grave": extra}),
    }[action]
    assert client.post(reverse(url, args=[req.pk]), data).status_code < 500


@FUZZ
@given(action=st.sampled_from(["signaler", "convoquer", "decider", ""]) | form_text,
       student=form_text, case=form_text, day=form_text, facts=form_text)
def test_the_fraud_page_never_answers_5xx(world, registered, action, student, case, day, facts):
    client = Client()
    client.force_login(world.users["college_direction"])
    data = {"action": action, "student": student, "case": case, "notified_on": day, "hearing_on": day,
            "facts": facts}
    assert client.post(reverse("fraud_cases"), data).status_code < 500
