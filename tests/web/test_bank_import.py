"""Paying by Belgian transfer (art. 24, 47-49): structured communication, CODA / camt.053 / CSV import,
all-or-nothing, bounded, the bank's reference as duplicate key, the lines waiting to be assigned."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from parcours.admissions import bank_import, banking, payments, statements
from parcours.admissions.models import BankTransaction, Payment
from parcours.admissions.selectors import fees_summary
from parcours.admissions.services import AdmissionError
from tests.web.bank_samples import camt053, coda


def ogm(reg) -> str:
    return banking.communication(reg)[3:-3].replace("/", "")


@pytest.mark.article("24")
def test_the_structured_communication_carries_modulo_97_check_digits():
    reg = SimpleNamespace(pk=1234, academic_year=SimpleNamespace(start=dt.date(2023, 9, 14)))
    text = banking.communication(reg)
    # 2300001234 = 97 × 23711352 + 90: the check digits are 90.
    assert text == "+++230/0001/23490+++"
    assert banking.ogm_digits("Acompte +++230/0001/23490+++ HE100003") == "230000123490"
    assert banking.ogm_digits("***230/0001/23490***") == "230000123490"
    assert banking.ogm_digits("230000123489") is None  # one digit off: no match
    assert banking.ogm_digits("+++010/8068/17183+++") == "010806817183"  # Febelfin's published example
    # A remainder of 0 is written 97 (Febelfin).
    zero = SimpleNamespace(pk=0, academic_year=SimpleNamespace(start=dt.date(1997, 9, 1)))  # 9700000000 = 97 × 10⁸
    assert banking.communication(zero).endswith("97+++")


@pytest.mark.article("24", "47")
def test_coda_with_the_communication_is_matched_and_shows_on_the_home(world, registered, client):
    before = fees_summary(registered, dt.date(2023, 10, 5))
    assert before.next["date"] == dt.date(2023, 10, 31) and before.next["amount"] == Decimal(50)
    raw = coda([{"ref": "0310231234567890123", "cents": 5000, "ogm": ogm(registered)},
                {"ref": "0310231234567890124", "cents": 2500, "sign": "1", "free": "frais bancaires"}])
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=raw)
    assert report.saved and report.format == "CODA" and len(report.matched) == 1 and len(report.ignored) == 1
    assert payments.paid_total(registered) == Decimal(50)
    after = fees_summary(registered, dt.date(2023, 10, 5))
    assert after.steps[0].paid and not after.steps[1].paid
    assert after.next["date"] == dt.date(2024, 2, 1) and after.balance == after.total - 50
    client.force_login(registered.student.user)
    html = client.get("/").content.decode()
    assert "Paiement de l'acompte de 50 €" not in html  # a paid instalment leaves the list of things to do
    assert "1er février 2024" in html


@pytest.mark.article("47")
def test_camt053_with_the_communication_is_matched(world, registered):
    raw = camt053([{"ref": "2023100300017", "amount": "50.00", "ogm": ogm(registered)},
                   {"ref": "2023100300018", "amount": "12.00", "credit": False, "free": "x"}])
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=raw)
    assert report.saved and report.format == "camt.053" and len(report.matched) == 1
    assert Payment.objects.get(reference="2023100300017").registration == registered


@pytest.mark.article("47")
def test_csv_takes_belgian_dates_and_decimal_commas_and_two_identical_transfers(world, registered, applicant):
    text = ("date;montant;communication\n"
            f"03/10/2023;50,00;{banking.communication(registered)}\n"
            f"03/10/2023;50,00;{banking.communication(registered)}\n"
            f"04/10/2023;1.234,50;Droits {applicant.matricule}\n")
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=text.encode())
    assert report.saved and len(report.matched) == 3
    assert payments.paid_total(registered) == Decimal("1334.50")  # two identical transfers are two payments
    again = bank_import.import_statement(actor=world.users["secretariat"], raw=text.encode())
    assert again.saved and len(again.duplicates) == 3 and payments.paid_total(registered) == Decimal("1334.50")


@pytest.mark.article("47")
@pytest.mark.parametrize("amount", ["1e10", "123456789", "99999999.999", "0.001", "NaN", "Infinity", "10000,01",
                                    "0", "abc"])
def test_a_bad_amount_refuses_the_whole_file(world, registered, amount):
    text = (f"03/10/2023;50,00;{banking.communication(registered)};OK1\n"
            f"03/10/2023;{amount};{banking.communication(registered)};BAD1\n")
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=text.encode())
    assert not report.saved and any("ligne 2" in e for e in report.errors)
    assert not Payment.objects.exists() and not BankTransaction.objects.exists()


@pytest.mark.article("47")
def test_the_maximum_is_accepted_and_odd_files_are_refused_whole(world, registered):
    ok = bank_import.import_statement(actor=world.users["secretariat"],
                                      raw=f"03/10/2023;10000,00;{banking.communication(registered)};MAX\n".encode())
    assert ok.saved
    for raw in (b"\x00\x01\x02PK\x03\x04" * 50,
                f"03/10/2023;50;{'x' * 131072};LONG\n".encode(),
                b"03/10/1999;50;foo;OLD\n",
                b"31/02/2023;50;foo;BADDATE\n",
                b"<?xml version='1.0'?><x/>"):
        report = bank_import.import_statement(actor=world.users["secretariat"], raw=raw)
        assert not report.saved and report.errors, raw[:30]
    assert Payment.objects.count() == 1


@pytest.mark.article("47")
def test_a_bad_coda_record_refuses_the_whole_file(world, registered):
    good = coda([{"ref": "REF1", "cents": 5000, "ogm": ogm(registered)}]).decode("latin-1").split("\r\n")
    bad = good[2][:32] + "00000000005000A" + good[2][47:]  # a letter in the amount
    raw = "\r\n".join(good[:2] + [bad] + good[3:]).encode("latin-1")
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=raw)
    assert not report.saved and "ligne 3" in report.errors[0]
    assert not Payment.objects.exists()


@pytest.mark.article("47")
def test_unmatched_lines_wait_and_are_assigned_or_set_aside(world, registered, applicant, client):
    raw = camt053([{"ref": "W1", "amount": "50.00", "free": "inscription de ma fille"},
                   {"ref": "W2", "amount": "20.00", "free": "don"}])
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=raw)
    assert report.saved and len(report.waiting) == 2
    first, second = BankTransaction.objects.order_by("reference")
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("admissions_import")).content.decode()
    assert "2 lignes en attente d'attribution" in page
    client.post(reverse("bank_line", args=[first.pk]), {"action": "attribuer", "matricule": applicant.matricule})
    assert payments.paid_total(registered) == Decimal(50)
    response = client.post(reverse("bank_line", args=[second.pk]), {"action": "ecarter", "reason": ""}, follow=True)
    assert "Indiquez pourquoi" in response.content.decode()
    client.post(reverse("bank_line", args=[second.pk]), {"action": "ecarter", "reason": "Don à l'association"})
    assert "1 ligne en attente" not in client.get(reverse("admissions_import")).content.decode()
    assert BankTransaction.objects.get(pk=second.pk).status == BankTransaction.Status.SET_ASIDE
    with pytest.raises(AdmissionError):
        bank_import.assign_line(actor=world.users["secretariat"], line_id=second.pk, matricule=applicant.matricule)


def test_only_the_secretariat_imports(world, client):
    with pytest.raises(AdmissionError):
        bank_import.import_statement(actor=world.users["commission_admission"], raw=b"03/10/2023;50;x\n")
    client.force_login(world.users["commission_admission"])
    assert client.get(reverse("admissions_import")).status_code == 404


@pytest.mark.article("47")
def test_the_same_manual_payment_clicked_eight_times_is_one_payment(world, registered):
    for _ in range(8):
        try:
            payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk,
                                    amount=Decimal(50), paid_on=dt.date(2023, 10, 3))
        except AdmissionError as exc:
            assert "vient d'être enregistré" in str(exc)
    assert registered.payments.count() == 1
    payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk, amount=Decimal(50),
                            paid_on=dt.date(2023, 10, 3), reference="QUITTANCE-2")
    assert registered.payments.count() == 2


@pytest.mark.article("24", "47")
def test_the_fees_page_shows_account_communication_and_qr(world, registered, client, on):
    on("2023-10-05")
    client.force_login(registered.student.user)
    html = client.get(reverse("my_fees")).content.decode()
    assert banking.communication(registered) in html
    assert "BE71 0961 2345 6769" in html and "GKCCBEBB" in html
    assert 'data-testid="epc-qr"' in html and "data:image/svg+xml" in html
    payments.record_payment(actor=world.users["secretariat"], registration_id=registered.pk,
                            amount=fees_summary(registered).total, paid_on=dt.date(2023, 10, 4))
    html = client.get(reverse("my_fees")).content.decode()
    assert "entièrement payés" in html and 'data-testid="epc-qr"' not in html


def test_the_csv_parser_reads_belgian_amounts():
    assert statements.parse_amount("1.234,56") == Decimal("1234.56")
    assert statements.parse_amount("1 234,5") == Decimal("1234.50")
    assert statements.parse_amount("50") == Decimal("50.00")
    assert statements.parse_amount("50.5") == Decimal("50.50")
    assert statements.parse_date("03/10/2023") == dt.date(2023, 10, 3)
    for bad in ("1,234.56", "50,123", "-5", "5e2", "١٢"):
        with pytest.raises(ValueError):
            statements.parse_amount(bad)


def test_the_fees_page_and_the_homes_exist_in_english(world, registered, client, on):
    on("2023-10-05")
    user = registered.student.user
    user.language = "en"
    user.save()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("my_fees")).content.decode()
    assert "How to pay" in html and "Structured communication" in html and "Comment payer" not in html
    client.force_login(world.users["commission_admission"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "complete files to decide" in client.get("/").content.decode()


@pytest.mark.article("24", "47")
@pytest.mark.parametrize("day,inside", [("31/12/2021", False), ("01/01/2022", True),
                                        ("31/12/2025", True), ("01/01/2026", False)])
def test_a_booking_date_is_taken_within_the_one_window_of_parcours(world, registered, day, inside):
    """Year 2023-2024 (14 September 2023 – 13 September 2024): from 1 January 2022 to 31 December 2025, the window
    every typed date of Parcours obeys (web.clock.date_window); one line outside it refuses the whole file."""
    text = f"{day};50,00;{banking.communication(registered)};EDGE\n"
    report = bank_import.import_statement(actor=world.users["secretariat"], raw=text.encode())
    assert report.saved is inside
    if not inside:
        assert any("hors de la période 01/01/2022 – 31/12/2025" in e for e in report.errors)
    assert Payment.objects.filter(reference="EDGE").exists() is inside


@pytest.mark.article("47")
def test_an_uploaded_statement_is_imported_on_the_queue_with_its_report_on_the_job_page(
        world, registered, applicant, client, django_capture_on_commit_callbacks):
    from parcours.jobs import services as jobs
    from parcours.jobs.models import Job

    secretariat = world.users["secretariat"]
    client.force_login(secretariat)
    bad = (f"03/10/2023;50,00;{banking.communication(registered)};Q1\n"
           f"03/10/2023;12,345;{banking.communication(registered)};Q2\n").encode()
    response = client.post(reverse("admissions_import"),
                           {"statement": SimpleUploadedFile("releve.csv", bad, content_type="text/csv")})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    assert not Payment.objects.exists()  # nothing imported by the request itself
    jobs.run_now(job.pk)
    page = client.get(response.url).content.decode()
    assert "Fichier refusé : rien n&#x27;a été enregistré" in page and "ligne 2 : montant" in page
    assert not Payment.objects.exists() and not BankTransaction.objects.exists()

    good = (f"03/10/2023;50,00;{banking.communication(registered)};Q1\n"
            f"03/10/2023;50,00;{banking.communication(registered)};Q3\n"
            f"04/10/2023;20,00;don anonyme;Q4\n").encode()
    sent = len(mail.outbox)
    client.post(reverse("admissions_import"), {"statement": SimpleUploadedFile("releve.csv", good)})
    job = Job.objects.latest("created_at")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.run_now(job.pk)
    assert len(mail.outbox) == sent  # the students' notices wait for the import's commit…
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == sent + 2  # …then leave, one per payment
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "2 paiements rapprochés, 1 ligne en attente" in page
    assert page.count(f"pour {registered.student.matricule}") == 2 and "ligne 3 : 20,00 €" in page
    assert payments.paid_total(registered) == Decimal(100)
    client.force_login(world.users["commission_admission"])  # the report is its starter's
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404


@pytest.mark.article("24", "49")
def test_a_part_of_the_balance_paid_shows_what_is_left_of_it(world, registered, client, on):
    on("2023-10-05")
    text = (f"03/10/2023;50,00;{banking.communication(registered)};P1\n"
            f"04/10/2023;100,00;{banking.communication(registered)};P2\n")
    assert bank_import.import_statement(actor=world.users["secretariat"], raw=text.encode()).saved
    summary = fees_summary(registered, dt.date(2023, 10, 5))
    acompte, solde = summary.steps
    assert acompte.paid and acompte.remaining == 0
    assert not solde.paid and solde.amount == summary.total - 50 and solde.remaining == summary.total - 150
    client.force_login(registered.student.user)
    page = client.get(reverse("my_fees")).content.decode()
    assert f"(reste {solde.remaining} €)".replace(".", ",") in page


@pytest.mark.article("47")
@pytest.mark.parametrize("language,expected", [
    ("fr", "CODA : 1 paiement rapproché, 0 ligne en attente d'attribution, 0 déjà importée."),
    ("en", "CODA : 1 payment matched, 0 lines waiting to be assigned, 0 already imported.")])
def test_the_import_summary_speaks_the_starters_language(world, registered, language, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parcours.jobs import services as jobs

    secretariat = world.users["secretariat"]
    secretariat.language = language
    secretariat.save()
    raw = coda([{"ref": "LANG1", "cents": 5000, "ogm": ogm(registered)}])
    job = bank_import.start_import(actor=secretariat, uploaded=SimpleUploadedFile("releve.cod", raw))
    assert jobs.run_now(job.pk).result["summary"] == expected


def test_a_refused_line_reads_in_english_for_an_english_reader_and_in_french_by_default():
    raw = b"date;montant;communication\n31/02/2023;50,00;+++090/9337/55493+++\n"
    with translation.override("en"):
        assert statements.parse(raw).errors == ["line 2: unreadable date “31/02/2023” (expected: dd/mm/yyyy)"]
    assert statements.parse(raw).errors == ["ligne 2 : date illisible « 31/02/2023 » (attendu : jj/mm/aaaa)"]
    with translation.override("en"), pytest.raises(statements.StatementError, match="^Unreadable file: this is not"):
        statements.parse(b"\x00\x01")
