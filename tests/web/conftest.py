"""Personas: a student, another student, a student of another department, each staff role, an outsider."""

import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from parcours.accounts.models import Role
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    DossierFactory,
    InstitutionFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SlotFactory,
    StudentFactory,
    UserFactory,
    role,
)
from tests.web.admissions_support import applicant, bloc1, on, registered  # noqa: F401  (admission fixtures)
from tests.web.evaluations_support import ev  # noqa: F401  (evaluation fixtures)

INSTITUTION_WIDE = {Role.COLLEGE, Role.DPO, Role.COMMISSIONER, Role.INTERNATIONAL_OFFICE}


@dataclass
class World:
    programme: object
    other_programme: object
    student: object
    other_student: object
    foreign_student: object
    registration: object
    dossier: object
    slot: object
    users: dict


@pytest.fixture
def world(db):
    helha = InstitutionFactory()
    social = DepartmentFactory()
    eco = DepartmentFactory(code="ECO", name="Département économique", domain="Sciences économiques")
    programme = ProgrammeFactory(department=social)
    other_programme = ProgrammeFactory(name="Bachelier en comptabilité", department=eco, fee_section="Comptabilité")
    student = StudentFactory(user=UserFactory(email="etudiant@test.helha.be", first_name="Léa", last_name="Dupont"))
    other = StudentFactory(user=UserFactory(email="autre@test.helha.be", first_name="Lucas", last_name="Peeters"))
    foreign = StudentFactory(user=UserFactory(email="compta@test.helha.be"))
    for s in (student, other, foreign):
        role(s.user, Role.STUDENT)
    registration = RegistrationFactory(student=student, programme=programme)
    RegistrationFactory(student=other, programme=programme)
    RegistrationFactory(student=foreign, programme=other_programme)
    dossier = DossierFactory(student=student, programme=programme)
    slot = SlotFactory(dossier=dossier, code="identite")
    SlotFactory(dossier=DossierFactory(student=other, programme=programme), code="identite")
    users = {"etudiant": student.user, "autre_etudiant": other.user, "etudiant_autre_departement": foreign.user,
             "exterieur": UserFactory(email="exterieur@test.helha.be")}
    for r in Role:
        if r == Role.STUDENT:
            continue
        user = UserFactory(email=f"{r.value}@test.helha.be")
        role(user, r, institution=helha if r in INSTITUTION_WIDE else None,
             department=None if r in INSTITUTION_WIDE else social)
        users[r.value] = user
    users["secretariat_autre_departement"] = role(UserFactory(email="secr.eco@test.helha.be"), Role.SECRETARIAT,
                                                  department=eco)
    return World(programme, other_programme, student, other, foreign, registration, dossier, slot, users)


# --- a real browser: Playwright driving Debian's chromium ---------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class SerialWSGIServer(WSGIServer):
    """The live server answering one request at a time, on SQLite only. There the server threads all share the test's
    in-memory connection (Django passes it to them), so two requests at once (an autosave and a page load) collide
    with "cannot open savepoint - SQL statements in progress". Not threaded, Django also closes each connection, so
    the browser never waits on a kept-alive one. PostgreSQL keeps the threaded server: one connection a thread."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = SerialWSGIServer


@pytest.fixture
def browser_page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # assertions wait for the page; a loaded CI machine is slower than 5 s
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="fr-BE")
        yield page
        browser.close()


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


