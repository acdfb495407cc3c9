"""Staff sign-in by OpenID Connect: only an existing, active staff account, found by its e-mail in any case."""

import pytest

from parcours.accounts.oidc import StaffOIDCBackend


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "parcours", "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example/keys"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_CREATE_USER = False
    return StaffOIDCBackend()


def test_a_staff_member_is_found_by_the_upn_in_any_case(backend, world):
    found = backend.filter_users_by_claims({"preferred_username": "Secretariat@TEST.helha.be"})
    assert list(found) == [world.users["secretariat"]]
    assert backend.verify_claims({"preferred_username": "secretariat@test.helha.be"})


def test_students_and_strangers_do_not_sign_in_this_way(backend, world):
    assert not backend.filter_users_by_claims({"email": "etudiant@test.helha.be"}).exists()
    assert not backend.filter_users_by_claims({"email": "inconnu@helha.be"}).exists()
    assert not backend.verify_claims({"name": "sans adresse"})


def test_the_login_page_offers_it_only_when_configured(client, world, settings):
    assert "Microsoft 365" not in client.get("/connexion/").content.decode()
