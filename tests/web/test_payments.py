"""Fees and payments (art. 47-60, annexe 7): due, paid, reminded, refunded, applied."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from parcours.admissions import payments, programme, services
from parcours.admissions.models import AdmissionRequest
from parcours.admissions.workflow import RequestStatus
from parcours.students.models import Registration
from tests.factories import UEFactory
from tests.web.admissions_support import PDF, complete, fees_total, submit  # noqa: F401


@pytest.mark.article("48", "182")
@pytest.mark.parametrize("paid,cancelled", [("0", True), ("49.99", True), ("50", False)])
def test_no_acompte_on_31_october_cancels_the_registration(world, registered, paid, cancelled):
    if Decimal(paid):
        payments.record_payment(
            actor=world.users["secretariat"],
            registration_id=registered.pk,
            amount=Decimal(paid),
            paid_on=dt.date(2023, 10, 30),
        )
    payments.apply_payment_deadlines(on=dt.date(2023, 11, 1))
    registered.refresh_from_db()
    assert (registered.status == Registration.Status.CANCELLED) is cancelled
    told = registered.student.user.notifications.filter(title__contains="annulée").exists()
    assert told is cancelled
    if cancelled:
        assert AdmissionRequest.objects.get(registration=registered).status == RequestStatus.CANCELLED


@pytest.mark.article("49")
@pytest.mark.parametrize("balance_paid,suspended", [(Decimal("599.99"), True), (Decimal("600"), False)])
def test_unpaid_balance_on_1_february_suspends_access(world, registered, balance_paid, suspended):
    secr = world.users["secretariat"]
    payments.record_payment(actor=secr, registration_id=registered.pk, amount=Decimal(50), paid_on=dt.date(2023, 10, 2))
    payments.record_payment(
        actor=secr, registration_id=registered.pk, amount=balance_paid, paid_on=dt.date(2024, 1, 30)
    )
    payments.apply_payment_deadlines(on=dt.date(2024, 2, 2))
    registered.refresh_from_db()
    assert (registered.access_suspended_on == dt.date(2024, 2, 2)) is suspended
    assert registered.status == Registration.Status.REGULAR  # art. 49: still registered


@pytest.mark.article("48")
def test_reminders_before_the_date_once(world, registered):
    def reminders():
        return registered.student.user.notifications.filter(title__startswith="Rappel").count()

    payments.apply_payment_deadlines(on=dt.date(2023, 10, 16))
    assert reminders() == 0
    payments.apply_payment_deadlines(on=dt.date(2023, 10, 17))  # 14 days before 31 October
    assert reminders() == 1
    payments.apply_payment_deadlines(on=dt.date(2023, 10, 17))
    assert reminders() == 1  # never twice
    payments.apply_payment_deadlines(on=dt.date(2023, 10, 28))  # 3 days before
    assert reminders() == 2


def test_the_reminder_is_written_in_the_language_the_student_chose(world, registered):
    user = registered.student.user
    user.language = "en"
    user.save()
    before = set(user.notifications.values_list("pk", flat=True))
    payments.apply_payment_deadlines(on=dt.date(2023, 10, 17))
    note = user.notifications.exclude(pk__in=before).get()
    assert note.title.startswith("Reminder: €50") and "31 October 2023" in note.title
    assert "the registration is cancelled (art. 48)" in note.body and "Bonjour" not in note.body


@pytest.mark.article("47")
def test_payment_rules(world, registered):
    secr = world.users["secretariat"]
    with pytest.raises(services.AdmissionError, match="positif"):
        payments.record_payment(
            actor=secr, registration_id=registered.pk, amount=Decimal(-10), paid_on=dt.date(2023, 10, 1)
        )
    payments.record_payment(
        actor=secr, registration_id=registered.pk, amount=Decimal(50), paid_on=dt.date(2023, 10, 1), reference="BE-001"
    )
    with pytest.raises(services.AdmissionError, match="déjà enregistrée"):
        payments.record_payment(
            actor=secr,
            registration_id=registered.pk,
            amount=Decimal(50),
            paid_on=dt.date(2023, 10, 1),
            reference="BE-001",
        )
    with pytest.raises(services.AdmissionError, match="pas autorisé"):
        payments.record_payment(
            actor=world.users["commissaire"],
            registration_id=registered.pk,
            amount=Decimal(5),
            paid_on=dt.date(2023, 10, 1),
        )


@pytest.mark.article("57", "58", "59")
@pytest.mark.parametrize(
    "day,kind,refund,status",
    [
        ("2023-11-30", "annulation", Decimal("600.00"), Registration.Status.CANCELLED),
        ("2023-12-01", "abandon", Decimal("0.00"), Registration.Status.ABANDONED),
    ],
)
def test_withdrawal_annulation_or_abandon(world, registered, day, kind, refund, status):
    secr = world.users["secretariat"]
    payments.record_payment(
        actor=secr, registration_id=registered.pk, amount=Decimal(650), paid_on=dt.date(2023, 10, 2)
    )
    decision = payments.withdraw(actor=secr, registration_id=registered.pk, on=dt.date.fromisoformat(day))
    registered.refresh_from_db()
    assert decision.outcome["kind"] == kind and registered.status == status
    assert payments.paid_total(registered) == Decimal(650) - refund
    with pytest.raises(services.AdmissionError, match="régulière"):
        payments.withdraw(actor=secr, registration_id=registered.pk, on=dt.date.fromisoformat(day))


@pytest.mark.article("54")
def test_a_boursier_is_refunded_everything(world, registered):
    secr = world.users["secretariat"]
    payments.record_payment(
        actor=secr, registration_id=registered.pk, amount=Decimal(650), paid_on=dt.date(2023, 10, 2)
    )
    refunded = payments.set_grant_status(
        actor=secr, student_id=registered.student.pk, status="boursier", notified_on=dt.date(2023, 11, 20)
    )
    assert refunded == Decimal(650) and payments.paid_total(registered) == 0


@pytest.mark.article("54")
def test_a_boursier_is_told_why_nothing_is_due_not_that_it_is_paid(world, registered, client, on):
    on("2023-11-25")
    client.force_login(registered.student.user)
    payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk,
                            amount=fees_total(registered), paid_on=dt.date(2023, 10, 2))
    for url in ("/", reverse("my_fees")):  # a paying student: paid in full
        page = client.get(url).content.decode()
        assert "Vos droits d'inscription sont entièrement payés." in page and 'data-testid="nothing-due"' not in page
    payments.set_grant_status(actor=world.users["secretariat"], student_id=registered.student.pk, status="boursier",
                              notified_on=dt.date(2023, 11, 20))
    for url in ("/", reverse("my_fees")):
        page = client.get(url).content.decode()
        assert "Aucun droit d'inscription n'est dû :" in page and "entièrement payés" not in page
        assert "<b>Art. 54</b> — Statut de boursier octroyé : aucun droit d'inscription" in html.unescape(page)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "No registration fee is due:" in page and "Aucun droit" not in page


@pytest.mark.article("55")
def test_a_refused_grant_makes_everything_due_within_30_days(world, registered):
    secr = world.users["secretariat"]
    payments.set_grant_status(
        actor=secr, student_id=registered.student.pk, status="presume_boursier", notified_on=dt.date(2023, 9, 25)
    )
    registered.student.refresh_from_db()
    assert payments.payment_status(registered, dt.date(2023, 11, 2)).outcome["state"] == "en_ordre"  # art. 53
    payments.set_grant_status(
        actor=secr, student_id=registered.student.pk, status="bourse_refusee", notified_on=dt.date(2024, 1, 10)
    )
    registered.student.refresh_from_db()
    assert payments.payment_status(registered, dt.date(2024, 2, 9)).outcome["next"]["date"] == dt.date(2024, 2, 9)
    assert payments.payment_status(registered, dt.date(2024, 2, 10)).outcome["state"] == "acces_suspendu"


@pytest.mark.article("56")
def test_condition_modeste_is_recognised_by_the_social_worker_and_refunded(world, registered):
    payments.record_payment(
        actor=world.users["secretariat"],
        registration_id=registered.pk,
        amount=Decimal(650),
        paid_on=dt.date(2023, 10, 2),
    )
    with pytest.raises(services.AdmissionError, match="travailleur social"):
        payments.recognise_condition_modeste(
            actor=world.users["secretariat"], student_id=registered.student.pk, on=dt.date(2023, 11, 5)
        )
    refunded = payments.recognise_condition_modeste(
        actor=world.users["assistant_social"], student_id=registered.student.pk, on=dt.date(2023, 11, 5)
    )
    assert refunded == Decimal("276.00")  # 650 € paid, 374 € due (annexe 2)


@pytest.mark.article("33")
def test_a_reorientation_pays_infrastructure_and_administrative_fees_pro_rata(world, applicant, on, bloc1):
    on("2023-11-10")
    req = submit(applicant, world, kind="reorientation", motivation="Le travail social est ma vocation.")
    req = complete(req, world)
    reg = services.accept(actor=world.users["secretariat"], request_id=req.pk).registration
    from parcours.students.models import PaeEntry

    # Art. 68 closes PAE validation on 31 October, before any réorientation can start: the PAE of a
    # reoriented student is entered by the commission (the RGE sets no date for it).
    PaeEntry.objects.bulk_create([PaeEntry(registration=reg, ue=u) for u in bloc1[:3]])
    assert fees_total(reg) == Decimal("237.50")  # (175 + 299,99) × 30/60


def test_grant_screen(client, world, registered):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["assistant_social"])
    response = client.post(
        reverse("request_grant", args=[req.pk]), {"action": "modeste", "on": "2023-11-05"}, follow=True
    )
    assert "Statut enregistré" in response.content.decode()
    registered.student.refresh_from_db()
    assert registered.student.condition_modeste is True
    client.force_login(world.users["commissaire"])
    response = client.post(
        reverse("request_grant", args=[req.pk]), {"status": "boursier", "on": "2023-11-05"}, follow=True
    )
    assert "pas autorisé" in response.content.decode()


@pytest.mark.article("48")
def test_daily_command(world, registered, capsys):
    from django.core.management import call_command

    from parcours.jobs.models import Job

    call_command("daily", "--on", "2023-11-01")
    assert "4 inscription(s) annulée(s)" in capsys.readouterr().out  # the four without acompte by 31 October
    registered.refresh_from_db()
    assert registered.status == registered.Status.CANCELLED  # art. 48
    call_command("daily", "--on", "2023-11-02", "--queue")  # for the worker: nothing done here
    job = Job.objects.get()
    assert job.kind == "parcours.web.jobs.daily" and job.params["on"] == "2023-11-02" and not job.finished
    assert "confié à la file" in capsys.readouterr().out


@pytest.mark.article("38")
def test_a_free_student_pays_per_credit_and_takes_at_most_20_credits(world, applicant, on, bloc1):
    on("2023-11-20")  # art. 38 sets no date
    req = complete(submit(applicant, world, kind="libre"), world)
    reg = services.accept(actor=world.users["commission_admission"], request_id=req.pk).registration
    assert reg.free_student is True
    too_much = programme.propose_pae(
        actor=world.users["commission_admission"], registration_id=reg.pk, ue_ids=[u.pk for u in bloc1[:3]]
    )
    assert [v["article"] for v in too_much.verification["outcome"]["violations"]] == ["Art. 38"]
    from parcours.students.models import PaeEntry

    PaeEntry.objects.bulk_create([PaeEntry(registration=reg, ue=u) for u in bloc1[:2]])
    assert fees_total(reg) == Decimal("150.00")  # 50 € + 20 credits × 5 €


@pytest.mark.article("Annexe 7")
@pytest.mark.parametrize("day,lapsed", [("2023-09-19", False), ("2023-09-20", True)])
def test_non_eu_admission_lapses_without_full_payment_in_ten_working_days(world, applicant, on, day, lapsed):
    on("2023-09-05")
    applicant.non_eu = True
    applicant.save()
    req = complete(submit(applicant, world, non_eu_present=True, diploma_year=2023), world)
    reg = services.accept(actor=world.users["secretariat"], request_id=req.pk).registration
    payments.record_payment(
        actor=world.users["secretariat"], registration_id=reg.pk, amount=Decimal(1000), paid_on=dt.date(2023, 9, 12)
    )
    payments.apply_payment_deadlines(on=dt.date.fromisoformat(day))
    reg.refresh_from_db()
    assert (reg.status == Registration.Status.CANCELLED) is lapsed


@pytest.mark.article("51")
def test_end_of_cycle_with_15_credits_or_fewer_pays_half_the_fees(world, registered):
    from parcours.students.models import PaeEntry

    registered.stage = "AD"
    registered.save()
    ue = UEFactory(programme=world.programme, code="AS399", credits=15, bloc=3)
    PaeEntry.objects.create(registration=registered, ue=ue)
    assert fees_total(registered) == Decimal("438.62")  # 227,24 + (175 + 247,76) / 2
    PaeEntry.objects.create(
        registration=registered, ue=UEFactory(programme=world.programme, code="AS398", credits=1, bloc=3)
    )
    assert fees_total(registered) == Decimal("650.00")


@pytest.mark.article("47")
@pytest.mark.parametrize("paid_on,accepted", [
    (dt.date(1, 1, 1), False), (dt.date(2021, 12, 31), False), (dt.date(2022, 1, 1), True),
    (dt.date(2025, 12, 31), True), (dt.date(2026, 1, 1), False), (dt.date(9999, 12, 31), False)])
def test_a_payment_dated_outside_the_years_window_is_refused_with_the_range(world, registered, paid_on, accepted):
    record = lambda: payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk,  # noqa: E731
                                             amount=Decimal(50), paid_on=paid_on)
    if accepted:
        record()
        assert registered.payments.filter(paid_on=paid_on).exists()
    else:
        with pytest.raises(services.AdmissionError, match="entre le 01/01/2022 et le 31/12/2025"):
            record()
        assert not registered.payments.exists()


@pytest.mark.article("47")
def test_a_payment_error_reads_in_english_for_an_english_reader_and_in_french_by_default(world, registered):
    def refused():
        with pytest.raises(services.AdmissionError) as caught:
            payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk,
                                    amount=Decimal(-10), paid_on=dt.date(2023, 10, 1))
        return str(caught.value)

    with translation.override("en"):
        assert refused() == "A payment is positive; only a refund is negative."
    assert refused() == "Un paiement est positif ; seul un remboursement est négatif."
