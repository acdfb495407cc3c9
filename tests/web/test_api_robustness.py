"""The API: Bearer tokens are not subject to the session's CSRF check, session requests are, and the rules
API answers hostile facts with a 4xx and a French message — never a 500."""

import json

import pytest
from django.test import Client

from parcours.accounts.models import ApiToken

FACTS = {"time_limit": "internal_appeal", "event_date": "2023-10-27"}


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_bearer_post_is_accepted_without_csrf(csrf_client, world):
    _, raw = ApiToken.issue(world.users["etudiant"], "script")
    response = csrf_client.post("/api/rules/calendar.deadline", FACTS, content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["outcome"] == "2023-11-08"


def test_session_post_still_needs_the_csrf_token(csrf_client, world):
    csrf_client.force_login(world.users["etudiant"])
    refused = csrf_client.post("/api/rules/calendar.deadline", FACTS, content_type="application/json")
    assert refused.status_code == 403
    csrf_client.get("/")  # the home page sets the CSRF cookie
    token = csrf_client.cookies["csrftoken"].value
    ok = csrf_client.post("/api/rules/calendar.deadline", FACTS, content_type="application/json",
                          HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200


def test_a_wrong_token_is_401_even_with_no_session(csrf_client, world):
    response = csrf_client.post("/api/rules/calendar.deadline", FACTS, content_type="application/json",
                                HTTP_AUTHORIZATION="Bearer faux")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("name,facts,expected", [
    ("calendar.deadline", {**FACTS, "year": "2099-2100"}, "année académique '2099-2100' inconnue"),
    ("calendar.deadline", {**FACTS, "event_date": "9999-12-31"}, "date hors limites"),
    ("fees.withdrawal", {"fees": {"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC"},
                         "withdrawal_date": "2023-11-15", "paid": 1e308}, "nombre hors limites"),
    ("registration.refusal", {"request_received_on": "9999-12-31"}, "date hors limites"),
], ids=["unknown-year", "9999-12-31", "paid-1e308", "refusal-9999"])
def test_rules_api_answers_bad_facts_with_422_in_french(client, world, name, facts, expected):
    client.force_login(world.users["etudiant"])
    response = client.post(f"/api/rules/{name}", facts, content_type="application/json")
    assert response.status_code == 422, response.content
    assert expected in json.dumps(response.json(), ensure_ascii=False)


def test_very_deep_json_is_a_400(client, world):
    client.force_login(world.users["etudiant"])
    body = '{"a": ' * 20_000 + "1" + "}" * 20_000
    response = client.post("/api/rules/calendar.deadline", body, content_type="application/json")
    assert 400 <= response.status_code < 500


def test_openapi_documents_error_responses_and_bearer(client, world):
    schema = client.get("/api/openapi.json").json()
    post = schema["paths"]["/api/rules/{name}"]["post"]
    assert {"200", "401", "404", "409", "422"} <= set(post["responses"])
    assert any("BearerAuth" in s or "TokenAuth" in s for s in json.dumps(post.get("security", [])).split('"'))
