"""Accounts people open and recover themselves; the login e-mail in any case; lock-out behind the proxy."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from parcours.accounts.models import User
from tests.factories import PASSWORD

NEW_PASSWORD = "Un-nouveau-mot-de-passe-7"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def logs_in(client, email, password) -> bool:
    return client.post(reverse("login"), {"username": email, "password": password}).status_code == 302


def sign_up(client, email="nouvelle@exemple.be"):
    return client.post(reverse("signup"), {"email": email, "first_name": "Nora", "last_name": "Lemaire",
                                           "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


@pytest.mark.article("23")
def test_sign_up_verifies_the_address_before_a_request_can_be_filed(client, world, on,
                                                                   django_capture_on_commit_callbacks):
    on("2023-09-20")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "Nouvelle@Exemple.be")
    assert response.status_code == 200 and "nouvelle@exemple.be" in response.content.decode()
    user = User.objects.get(email="nouvelle@exemple.be")
    assert not user.is_active and not hasattr(user, "student")
    assert not logs_in(client, "nouvelle@exemple.be", NEW_PASSWORD)  # not before verification
    assert client.get(reverse("new_request")).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["nouvelle@exemple.be"] and "vérifiez" in message.subject
    response = client.get(link_in(message), follow=True)
    assert response.status_code == 200 and "Adresse vérifiée" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.student.matricule.startswith("C")
    response = client.post(reverse("new_request"), {"programme": world.programme.pk, "kind": "inscription",
                                                    "bloc": 1}, follow=True)
    assert user.student.admission_requests.count() == 1, response.content.decode()[:500]
    client.logout()
    assert client.get(link_in(message)).status_code == 400  # a verification link serves once


def test_sign_up_with_a_known_address_reveals_nothing_and_tells_the_owner(client, world,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "ETUDIANT@test.helha.be")
    assert response.status_code == 200 and "Vérifiez votre adresse" in response.content.decode()
    assert User.objects.filter(email__iexact="etudiant@test.helha.be").count() == 1
    (message,) = mail.outbox
    assert message.to == ["etudiant@test.helha.be"] and "déjà un compte" in message.subject


def test_sign_up_refuses_weak_or_mismatched_passwords(client, world):
    response = client.post(reverse("signup"), {"email": "x@exemple.be", "first_name": "X", "last_name": "Y",
                                               "password1": "123456789012", "password2": "123456789012"})
    assert response.status_code == 400 and not User.objects.filter(email="x@exemple.be").exists()
    response = client.post(reverse("signup"), {"email": "x@exemple.be", "first_name": "X", "last_name": "Y",
                                               "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.status_code == 400 and "ne correspondent pas" in response.content.decode()


def test_a_password_reset_token_does_not_verify_an_account(client, world):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    staff = world.users["secretariat"]
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    response = client.get(reverse("account_verify", args=[uid, default_token_generator.make_token(staff)]))
    assert response.status_code == 400 and not hasattr(User.objects.get(pk=staff.pk), "student")


def test_login_email_is_case_insensitive(client, world):
    response = client.post(reverse("login"), {"username": "Etudiant@TEST.helha.be", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").wsgi_request.user == world.users["etudiant"]


def test_password_change(client, world):
    client.force_login(world.users["etudiant"])
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD}, follow=True)
    assert "Votre mot de passe a été changé" in response.content.decode()
    client.logout()
    assert logs_in(client, "etudiant@test.helha.be", NEW_PASSWORD)


def test_password_reset_pages_are_french_and_say_nothing_about_unknown_addresses(client, world):
    page = client.get(reverse("password_reset")).content.decode()
    assert "Mot de passe oublié" in page and "Envoyer le lien" in page
    response = client.post(reverse("password_reset"), {"email": "personne@exemple.be"}, follow=True)
    assert "Si un compte existe" in response.content.decode() and not mail.outbox


def failures(client, address, n=5):
    for _ in range(n):
        client.post(reverse("login"), {"username": "etudiant@test.helha.be", "password": "mauvais"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)


def good_login(client, address):
    return client.post(reverse("login"), {"username": "Etudiant@test.helha.be", "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)


def test_behind_the_proxy_a_stranger_cannot_lock_the_owner_out(client, world, settings):
    settings.PARCOURS_TRUSTED_PROXIES = 1
    failures(client, "203.0.113.66")  # the attacker, through the same proxy
    assert good_login(client, "203.0.113.66").status_code == 429 or "Trop de tentatives" in \
        good_login(client, "203.0.113.66").content.decode()
    assert good_login(client, "198.51.100.7").status_code == 302  # the owner, from home


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, world, settings):
    settings.PARCOURS_TRUSTED_PROXIES = 1
    failures(client, "203.0.113.66")
    # The attacker prepends a fake address: the proxy appends the real one, which is what counts.
    response = good_login(client, "1.2.3.4, 203.0.113.66")
    assert response.status_code != 302
