"""What production says when something goes wrong, and the headers and pages it serves."""

import logging
import subprocess
import sys
import textwrap

from django.core import mail
from django.urls import path


def boom(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("boom/", boom)]


def test_a_server_error_shows_the_french_page_logs_the_traceback_and_mails_the_admins(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Exploitation", "exploitation@helha.be")]
    client.raise_request_exception = False
    logger = logging.getLogger("django.request")  # it does not propagate to the root, where caplog listens
    logger.addHandler(caplog.handler)
    try:
        response = client.get("/boom/")
    finally:
        logger.removeHandler(caplog.handler)
    assert response.status_code == 500 and "Erreur du serveur" in response.content.decode()
    record = next(r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR")
    assert record.exc_info and "panne simulée" in str(record.exc_info[1])
    assert [m.to for m in mail.outbox] == [["exploitation@helha.be"]] and "panne simulée" in mail.outbox[0].body


def test_production_settings_write_the_traceback(tmp_path):
    script = textwrap.dedent("""
        import django
        django.setup()
        from django.conf import settings
        from django.test import Client
        settings.ROOT_URLCONF = "tests.web.test_production"
        Client(raise_request_exception=False).get("/boom/", secure=True)
    """)
    env = {"DJANGO_SETTINGS_MODULE": "parcours.config.settings_prod", "DJANGO_SECRET_KEY": "x" * 60,
           "PARCOURS_ALLOWED_HOSTS": "testserver", "PARCOURS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "PARCOURS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" in done.stderr and "panne simulée" in done.stderr, done.stderr[-2000:]


def test_an_unknown_page_is_the_french_404(client, world):
    client.force_login(world.users["etudiant"])
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_pages_carry_a_content_security_policy(client, world):
    client.force_login(world.users["etudiant"])
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy


def test_swagger_ui_comes_from_our_own_static_files(client, world):
    from django.contrib.staticfiles import finders

    client.force_login(world.users["etudiant"])
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui.css")
