"""Document slots through their workflow: the student is told, everything is recorded."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.dossiers.services import DossierError, review_document, send_review_digests, upload_document
from parcours.dossiers.workflow import SLOT_TRANSITIONS, DossierStatus, SlotStatus
from parcours.notifications.models import Notification, SentMail
from parcours.web.clock import today
from tests.factories import SlotFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def deposit(world, slot=None):
    return upload_document(actor=world.student.user, slot_id=(slot or world.slot).pk,
                           uploaded=SimpleUploadedFile("carte.pdf", PDF))


def test_a_refusal_tells_the_student_why(world, django_capture_on_commit_callbacks):
    deposit(world)
    with django_capture_on_commit_callbacks(execute=True):
        review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=False,
                        reason="Carte d'identité expirée.")
    world.slot.refresh_from_db()
    assert world.slot.status == SlotStatus.REFUSED and world.slot.refusal_reason == "Carte d'identité expirée."
    note = Notification.objects.get(user=world.student.user)
    assert "refusé" in note.title and "Carte d'identité expirée." in note.body
    assert len(mail.outbox) == 0  # by e-mail in the day's digest, one per dossier
    with django_capture_on_commit_callbacks(execute=True):
        send_review_digests(on=today())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.student.user.email] and "documents vérifiés" in message.subject
    assert "Carte d'identité expirée." in message.body
    assert message.alternatives and "Carte d&#x27;identité expirée." in message.alternatives[0][0]
    assert SentMail.objects.filter(to=world.student.user.email, success=True).count() == 1


def test_no_mail_is_sent_when_the_transaction_fails(world, django_capture_on_commit_callbacks):
    deposit(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=True)
    assert mail.outbox == [] and len(callbacks) >= 1  # sent only after commit


def test_a_refusal_needs_a_reason(world):
    deposit(world)
    with pytest.raises(DossierError, match="motif"):
        review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=False, reason="  ")


def test_the_refusal_form_shows_the_error_next_to_the_field(client, world):
    deposit(world)
    client.force_login(world.users["secretariat"])
    response = client.post(reverse("slot_review", args=[world.slot.pk]), {"decision": "refuse"})
    page = response.content.decode()
    assert response.status_code == 400 and "Indiquez le motif du refus" in page
    assert f'aria-describedby="reason-err-{world.slot.pk}"' in page
    world.slot.refresh_from_db()
    assert world.slot.status == SlotStatus.RECEIVED


def test_transitions_that_do_not_exist_are_refused(world):
    with pytest.raises(DossierError, match="Impossible"):
        review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=True)  # nothing received yet
    deposit(world)
    review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=True)
    with pytest.raises(DossierError, match="Impossible"):
        deposit(world)  # an accepted document is not replaced
    assert (SlotStatus.ACCEPTED, SlotStatus.REFUSED) not in SLOT_TRANSITIONS


def test_a_refused_document_can_be_sent_again(world):
    deposit(world)
    review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=False, reason="Illisible.")
    slot = deposit(world)
    assert slot.status == SlotStatus.RECEIVED and slot.refusal_reason == ""


def test_the_dossier_is_complete_when_every_required_document_is_accepted(world, django_capture_on_commit_callbacks):
    optional = SlotFactory(dossier=world.dossier, code="photo", required=False)
    deposit(world)
    with django_capture_on_commit_callbacks(execute=True):
        review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=True)
    world.dossier.refresh_from_db()
    assert world.dossier.status == DossierStatus.COMPLETE
    assert optional.status == SlotStatus.REQUESTED
    assert any("Dossier complet" in m.subject for m in mail.outbox)


def test_every_change_is_audited_and_the_history_page_shows_it(client, world):
    deposit(world)
    review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=False, reason="Illisible.")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor__email"))
    assert actions == [("dossiers.document.received", "etudiant@test.helha.be"),
                       ("dossiers.document.refused", "secretariat@test.helha.be")]
    assert world.slot.history.count() >= 3  # created, received, refused (row history)
    client.force_login(world.users["commissaire"])
    page = client.get(reverse("dossier_history", args=[world.dossier.pk])).content.decode()
    assert "Document refusé" in page and "Illisible." in page


def test_the_student_home_shows_deadlines_and_fees_from_the_regulation(client, world, settings):
    settings.PARCOURS_TODAY = "2023-10-16"
    client.force_login(world.users["etudiant"])
    page = client.get(reverse("home")).content.decode()
    assert "Mes échéances" in page
    assert "Paiement de l&#x27;acompte de 50 €" in page and "Art. 24, 48" in page
    assert "650,00 €" in page  # annexe 2: Assistant-e Social-e, Mons, DC
    settings.PARCOURS_TODAY = "2023-11-01"
    page = client.get(reverse("home")).content.decode()
    deadlines = page.split('id="echeances"')[1].split("</table>")[0]
    assert "acompte" not in deadlines  # the date has passed: no longer shown as a deadline
    assert "inscription est annulée (art. 48)" in page  # …but its consequence is


def test_the_staff_record_shows_financabilite_with_its_articles(client, world):
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "Finançable" in page and "Art. 35" in page


@pytest.mark.article("52")
def test_attestation_is_a_real_pdf_only_for_a_regular_registration(client, world):
    client.force_login(world.users["etudiant"])
    response = client.get(reverse("attestation", args=[world.registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000
    world.registration.status = "demandee"
    world.registration.save()
    response = client.get(reverse("attestation", args=[world.registration.pk]), follow=True)
    assert "art. 52" in response.content.decode()


def test_api_applies_a_rule(client, world):
    client.force_login(world.users["etudiant"])
    response = client.post("/api/rules/calendar.deadline", {"time_limit": "internal_appeal", "event_date": "2023-10-27"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"] == "2023-11-08"
    bad = client.post("/api/rules/calendar.deadline", {"event_date": "x"}, content_type="application/json")
    assert bad.status_code == 422 and "champ requis" in bad.json()["detail"]
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Parcours API"


def test_login_is_throttled_after_five_failures(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "etudiant@test.helha.be", "password": "mauvais"})
    response = client.post(reverse("login"), {"username": "etudiant@test.helha.be", "password": "Mot-de-passe-de-test-1"})
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()


def test_login_page_is_french_and_labelled(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">Adresse e-mail</label>' in page and 'lang="fr"' in page


def test_a_teacher_sees_the_ues_they_are_responsible_for(client, world):
    from tests.factories import UEFactory

    ue = UEFactory(programme=world.programme, code="AS101", title="Sociologie générale")
    ue.teachers.add(world.users["enseignant"])
    client.force_login(world.users["enseignant"])
    page = client.get(reverse("home")).content.decode()
    assert "Mes unités d'enseignement" in page and "Sociologie générale" in page


def test_admin_has_every_model(admin_client):
    from django.apps import apps
    from django.contrib import admin

    ours = [m for m in apps.get_models() if m.__module__.startswith("parcours.") and not m.__name__.startswith("Historical")]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert not missing
    for model in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_check_deploy_is_clean_with_production_settings():
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, "DJANGO_SETTINGS_MODULE": "parcours.config.settings_prod",
           "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-key-that-is-long-enough-and-random-7f3a",
           "PARCOURS_ALLOWED_HOSTS": "parcours.helha.be"}
    run = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_load_year_command(db):
    from django.core.management import call_command

    from parcours.institutions.models import AcademicYear, Programme

    call_command("load_year", "2023-2024")
    call_command("load_year", "2023-2024")  # idempotent
    assert AcademicYear.objects.get(label="2023-2024").start.isoformat() == "2023-09-14"
    assert Programme.objects.count() == 91
    social = Programme.objects.get(name="Bachelier : assistant social")
    assert sorted(social.co_organised_with.values_list("code", flat=True)) == ["HENALLUX", "HERS"]


def test_french_first_whatever_the_browser_says_and_english_on_request(client, world):
    client.force_login(world.users["etudiant"])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "fr" and 'lang="fr"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home"))
    assert page["Content-Language"] == "en" and 'lang="en"' in page.content.decode()
    assert "My deadlines" in page.content.decode() and "Mes échéances" not in page.content.decode()



def test_the_language_chosen_on_screen_is_kept_for_the_emails(client, world):
    student = world.users["etudiant"]
    client.force_login(student)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    student.refresh_from_db()
    assert student.language == "en"
    deposit(world)
    review_document(actor=world.users["secretariat"], slot_id=world.slot.pk, accept=False, reason="Illisible")
    assert Notification.objects.filter(user=student).latest("pk").title.startswith("Document refused")
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # unknown: ignored
    student.refresh_from_db()
    assert student.language == "en"
    client.logout()
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302

def test_generate_population_builds_students_with_history(db):
    from parcours.students.models import PastRegistration, Student
    from parcours.web.population import generate

    counts = generate(40, years=5, log=lambda _: None)
    assert counts["students"] == 40 and counts["slots"] == 160
    population = Student.objects.filter(user__email__startswith="pop")
    assert population.count() == 40
    assert PastRegistration.objects.filter(student__in=population).count() == counts["past_registrations"] > 0


def test_demo_accounts_share_one_hash_of_the_demo_password(db):
    """The demo set-up hashes the demo password once (argon2 is slow on purpose) and every demo login still opens."""
    from parcours.accounts.models import User
    from parcours.web.demo_data import DOMAIN, PASSWORD, ensure_demo

    ensure_demo()
    demo = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert demo.count() > 50 and demo.values("password").distinct().count() == 1
    for email in (f"etudiant@{DOMAIN}", f"admin@{DOMAIN}", f"candidat1@{DOMAIN}", f"enseignant.stage@{DOMAIN}"):
        assert User.objects.get(email=email).check_password(PASSWORD), email
    assert not User.objects.get(email=f"etudiant@{DOMAIN}").check_password("autre chose")


@pytest.mark.article("100")
def test_generated_population_sits_its_pae_with_results_the_rule_gives(db):
    """The written rows (COPY on PostgreSQL, bulk inserts on SQLite) are the rule's: a UE is acquired with 10/20 or
    more and is not sat again afterwards; every UE of the PAE has notes and a published result."""
    from decimal import Decimal

    from parcours.evaluations.models import ActivityNote, UEResult
    from parcours.students.models import PaeEntry
    from parcours.web.population import generate

    counts = generate(20, years=2, log=lambda _: None)
    pop = {"student__user__email__startswith": "pop"}
    results = list(UEResult.objects.filter(**pop).select_related("period").order_by("student", "ue", "period__number"))
    assert counts["ue_results"] >= len(results) > 0
    assert ActivityNote.objects.filter(**pop).count() > len(results)
    assert all(r.published_at and r.complete for r in results)
    assert all(r.acquired == (r.note is not None and r.note >= Decimal(10)) for r in results)
    assert all(r.reasons for r in results)  # the rule's explanation, stored as JSON
    last = {}
    for r in results:  # an acquired UE is not sat again in a later period
        assert not last.get((r.student_id, r.ue_id)), r
        last[(r.student_id, r.ue_id)] = r.acquired
    pae = set(PaeEntry.objects.filter(registration__student__user__email__startswith="pop")
              .values_list("registration__student_id", "ue_id"))
    assert pae == set(last)


@pytest.mark.django_db(transaction=True)
def test_bulk_pipeline_writes_batches_in_order_and_hands_back_the_writers_error():
    """web.bulk: on PostgreSQL outside a transaction the batches go through a second connection (on SQLite, at
    once); the keys reserved beforehand are the rows' keys, and a failed batch is raised in the caller."""
    from functools import partial

    from django.db import IntegrityError

    from parcours.accounts.models import User
    from parcours.web.bulk import Pipeline, reserve_ids, write_rows

    expected = []
    with Pipeline() as pipeline:
        for _ in range(3):
            ids = reserve_ids(User, 2)
            rows = [(pk, f"bulk{pk}@pop.helha.be") for pk in ids]
            expected += rows
            pipeline.submit(partial(write_rows, User, ["id", "email"], rows))
    assert list(User.objects.filter(email__startswith="bulk").order_by("pk").values_list("pk", "email")) == expected
    assert all(u.is_active and not u.is_staff and u.language == "fr" for u in User.objects.all())  # the defaults
    with pytest.raises(IntegrityError), Pipeline() as pipeline:
        pipeline.submit(partial(write_rows, User, ["email"], [("twice@pop.helha.be",), ("twice@pop.helha.be",)]))
    assert not User.objects.filter(email="twice@pop.helha.be").exists()
