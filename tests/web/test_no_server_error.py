# ruff: noqa: F811  (the mobility fixtures are imported from test_exchanges and requested by name)
"""The audit's hostile inputs: each gets a French message or a 404, never a 500, and nothing is saved."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from parcours.admissions import fraud
from parcours.admissions.models import AdmissionRequest, FraudCase, PaeProposal
from parcours.exchanges.models import LearningAgreement, MobilityFile
from parcours.students.models import Registration
from tests.web.test_exchanges import mobility, mobility_file, selected, submitted  # noqa: F401 (fixtures)

HUGE = str(2**70)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def fraud_case(world, registered):
    return fraud.report_fraud(actor=world.users["direction_departement"], student_id=registered.student.pk,
                              facts="Faux bulletin.", on=dt.date(2023, 10, 2))


@pytest.mark.article("43")
def test_unknown_ids_on_the_fraud_page_are_404(client, world, fraud_case):
    client.force_login(world.users["college_direction"])
    for case in ("999999", HUGE):
        response = client.post(reverse("fraud_cases"), {"action": "convoquer", "case": case,
                                                        "notified_on": "2023-10-02", "hearing_on": "2023-10-30"})
        assert response.status_code in (400, 404)
    response = client.post(reverse("fraud_cases"), {"action": "decider", "case": "999999", "proven": "oui"})
    assert response.status_code == 404
    client.force_login(world.users["direction_departement"])
    response = client.post(reverse("fraud_cases"), {"action": "signaler", "student": "999999", "facts": "x"})
    assert response.status_code == 404
    assert FraudCase.objects.count() == 1


@pytest.mark.article("43")
@pytest.mark.parametrize("hearing", ["9999-12-31", "0001-01-01"])
def test_a_hearing_date_out_of_the_window_is_refused_with_the_range(client, world, fraud_case, hearing):
    client.force_login(world.users["college_direction"])
    response = client.post(reverse("fraud_cases"), {"action": "convoquer", "case": fraud_case.pk,
                                                    "notified_on": "2023-10-02", "hearing_on": hearing}, follow=True)
    assert response.status_code == 200
    assert "doit se situer entre le 01/01/2022 et le 31/12/2025" in text(response)
    fraud_case.refresh_from_db()
    assert fraud_case.status == FraudCase.Status.REPORTED and fraud_case.hearing_on is None


@pytest.mark.article("43")
def test_a_hearing_date_just_inside_the_window_is_not_refused_for_its_range(client, world, fraud_case):
    client.force_login(world.users["college_direction"])
    response = client.post(reverse("fraud_cases"), {"action": "convoquer", "case": fraud_case.pk,
                                                    "notified_on": "2023-10-02", "hearing_on": "2025-12-31"}, follow=True)
    assert "doit se situer" not in text(response)
    fraud_case.refresh_from_db()
    assert fraud_case.hearing_on == dt.date(2025, 12, 31)


@pytest.mark.article("67 §2")
def test_an_unknown_derogation_on_the_pae_form_is_a_message(client, world, registered, bloc1):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["commission_admission"])
    response = client.post(reverse("request_pae", args=[req.pk]),
                           {"ues": [bloc1[0].pk], "derogation": "XYZ"}, follow=True)
    assert response.status_code == 200 and "Dérogation inconnue" in text(response)
    assert not PaeProposal.objects.exists()


@pytest.mark.article("68")
def test_a_pae_ue_id_of_2_to_the_70_is_ignored(client, world, registered, bloc1):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["commission_admission"])
    response = client.post(reverse("request_pae", args=[req.pk]), {"ues": [HUGE]}, follow=True)
    assert response.status_code == 200 and "au moins une unité" in text(response)


@pytest.mark.article("57")
@pytest.mark.parametrize("day", ["1900-01-01", "9999-12-31"])
def test_a_withdrawal_outside_the_window_is_refused(client, world, registered, day):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["secretariat"])
    response = client.post(reverse("request_withdraw", args=[req.pk]), {"on": day}, follow=True)
    assert response.status_code == 200 and "doit se situer entre" in text(response)
    registered.refresh_from_db()
    assert registered.status == Registration.Status.REGULAR


@pytest.mark.article("57")
def test_a_withdrawal_writes_the_history_row_of_the_request(world, registered):
    from parcours.admissions import payments

    req = AdmissionRequest.objects.get(registration=registered)
    before = req.history.count()
    payments.withdraw(actor=world.users["secretariat"], registration_id=registered.pk, on=dt.date(2023, 11, 15))
    req.refresh_from_db()
    assert req.status == "annulee" and req.history.count() == before + 1
    assert req.history.first().status == "annulee"


@pytest.mark.article("50")
def test_a_grant_date_of_9999_is_a_message(client, world, registered):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["assistant_social"])
    response = client.post(reverse("request_grant", args=[req.pk]), {"status": "boursier", "on": "9999-12-31"},
                           follow=True)
    assert response.status_code == 200 and "doit se situer entre" in text(response)


@pytest.mark.article("Procédure mobilité AS")
def test_mobility_grant_contract_on_9999_is_a_message(client, world, mobility_file):
    client.force_login(world.users["bureau_international"])
    response = client.post(reverse("mobility_file_action", args=[mobility_file.pk]),
                           {"action": "contrat", "on": "9999-12-31"}, follow=True)
    assert response.status_code == 200 and "doit se situer entre" in text(response)
    mobility_file.refresh_from_db()
    assert mobility_file.grant_contract_signed_on is None


@pytest.mark.article("Procédure mobilité AS")
@pytest.mark.parametrize("ects", ["-5", "0", "61", "100000000000000000000", "1e20"])
def test_ects_out_of_bounds_in_the_learning_agreement(client, world, mobility_file, ects):
    client.force_login(world.users["etudiant"])
    response = client.post(reverse("mobility_file_action", args=[mobility_file.pk]),
                           {"action": "convention", "host_lines": f"PT-1;Serviço social;{ects};1"}, follow=True)
    assert response.status_code == 200
    assert "ECTS" in text(response)
    assert not LearningAgreement.objects.exists()


@pytest.mark.article("Procédure mobilité AS")
def test_an_overlong_agreement_line_is_refused(client, world, mobility_file):
    client.force_login(world.users["etudiant"])
    response = client.post(reverse("mobility_file_action", args=[mobility_file.pk]),
                           {"action": "convention", "host_lines": f"{'X' * 41};Serviço social;30;1"}, follow=True)
    assert response.status_code == 200 and "40" in text(response)
    assert not LearningAgreement.objects.exists()


def test_signing_an_unknown_agreement_is_404(client, world, mobility_file):
    client.force_login(world.users["etudiant"])
    for agreement in ("999999", HUGE):
        response = client.post(reverse("mobility_file_action", args=[mobility_file.pk]),
                               {"action": "signer", "agreement": agreement, "party": "student"})
        assert response.status_code in (400, 404)


@pytest.mark.article("215")
def test_opening_a_mobility_dossier_twice_shows_the_first(client, world, selected):
    client.force_login(world.users["bureau_international"])
    url = reverse("mobility_file_open", args=[selected.pk])
    first = client.post(url, {"start": "2024-09-16", "end": "2025-01-31"})
    second = client.post(url, {"start": "2024-09-16", "end": "2025-01-31"}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert MobilityFile.objects.filter(candidature=selected).count() == 1
    response = client.post(url, {"start": "9999-12-31", "end": "9999-12-31"}, follow=True)
    assert response.status_code == 200


@pytest.mark.article("Procédure mobilité AS")
def test_candidater_twice_keeps_one_candidature(client, world, mobility):
    client.force_login(world.student.user)
    url = reverse("call_apply", args=[mobility["call"].pk])
    client.post(url, {"destinations": [mobility["porto"].pk]})
    response = client.post(url, {"destinations": [mobility["porto"].pk]}, follow=True)
    assert response.status_code == 200 and world.student.mobility_candidatures.count() == 1


@pytest.mark.parametrize("value", ["Faux\x00bulletin", "a\x07b"])
def test_nul_and_control_characters_are_refused(client, world, registered, value):
    client.force_login(world.users["direction_departement"])
    response = client.post(reverse("fraud_cases"), {"action": "signaler", "student": registered.student.pk,
                                                    "facts": value})
    assert response.status_code == 400 and "caractère de contrôle" in text(response)
    assert not FraudCase.objects.exists()
    assert client.get(reverse("admissions_queue"), {"statut": value}).status_code == 400


def test_a_1_mb_free_text_is_refused(client, world, registered):
    client.force_login(world.users["direction_departement"])
    response = client.post(reverse("fraud_cases"), {"action": "signaler", "student": registered.student.pk,
                                                    "facts": "x" * 1_000_000})
    assert response.status_code == 400 and "10000 caractères" in text(response)
    assert not FraudCase.objects.exists()


def test_huge_integers_in_urls_and_forms_are_not_a_500(client, world, registered, mobility):
    client.force_login(world.users["direction_departement"])
    response = client.post(reverse("fraud_cases"), {"action": "signaler", "student": HUGE, "facts": "x"})
    assert response.status_code in (400, 404)
    assert client.get(reverse("call_detail", args=[mobility["call"].pk]) + f"?destination={HUGE}").status_code < 500


def test_a_request_body_above_the_cap_is_refused_before_reading(client, world, settings):
    client.force_login(world.student.user)
    response = client.generic("POST", reverse("slot_upload", args=[world.slot.pk]), b"x",
                              CONTENT_TYPE="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1))
    assert response.status_code == 413 and "Mo" in text(response)


@pytest.mark.article("23")
def test_a_retried_admission_form_leads_to_the_first_request(client, world, applicant, on):
    on("2023-09-20")
    client.force_login(applicant.user)
    page = client.get(reverse("new_request")).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    data = {"programme": world.programme.pk, "kind": "inscription", "bloc": 1, "form_token": token}
    first = client.post(reverse("new_request"), data)
    again = client.post(reverse("new_request"), data)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert AdmissionRequest.objects.filter(student=applicant).count() == 1
