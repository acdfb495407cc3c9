"""The PAE, valorisation and allègement (art. 67-74), and registration fraud (art. 42-46)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.admissions import fraud, programme, services
from parcours.admissions.models import AdmissionRequest
from parcours.admissions.workflow import RequestStatus
from tests.web.admissions_support import PDF, complete, fees_total, submit  # noqa: F401


@pytest.mark.article("67", "68")
def test_pae_proposed_checked_and_validated_by_31_october(world, registered, bloc1, settings):
    proposal = programme.propose_pae(
        actor=world.users["commission_admission"], registration_id=registered.pk, ue_ids=[u.pk for u in bloc1]
    )
    assert proposal.verification["outcome"]["admissible"] is True
    with pytest.raises(services.AdmissionError, match="Seul l'étudiant"):
        programme.validate_pae(actor=world.users["secretariat"], proposal_id=proposal.pk)
    with pytest.raises(services.AdmissionError, match="31/10/2023"):
        programme.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 11, 1))
    programme.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 10, 31))
    assert sorted(registered.pae.values_list("ue__code", flat=True)) == [u.code for u in bloc1]


@pytest.mark.article("67")
def test_a_pae_breaking_the_rules_lists_them_and_cannot_be_validated(world, registered, bloc1):
    proposal = programme.propose_pae(
        actor=world.users["commission_admission"], registration_id=registered.pk, ue_ids=[u.pk for u in bloc1[:4]]
    )
    articles = [v["article"] for v in proposal.verification["outcome"]["violations"]]
    assert articles == ["Art. 67 §1er", "Art. 67 §2"]
    with pytest.raises(services.AdmissionError, match="enfreint"):
        programme.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 10, 1))


@pytest.mark.article("42", "43", "44", "45", "46")
def test_a_proven_registration_fraud_refuses_and_bars_three_years(world, applicant, on):
    from parcours.admissions.models import FraudCase

    on("2023-09-20")
    req = submit(applicant, world, other_registrations="")
    with pytest.raises(services.AdmissionError, match="pas autorisé"):
        fraud.report_fraud(
            actor=world.users["secretariat"], student_id=applicant.pk, facts="x", on=dt.date(2023, 9, 21)
        )
    case = fraud.report_fraud(
        actor=world.users["direction_departement"],
        student_id=applicant.pk,
        facts="Inscription concomitante à l'UCLouvain non déclarée (art. 34).",
        on=dt.date(2023, 9, 21),
    )
    with pytest.raises(services.AdmissionError, match="Le Collège décide après"):
        fraud.decide_fraud(
            actor=world.users["college_direction"], case_id=case.pk, proven=True, on=dt.date(2023, 9, 22)
        )
    # 22 September + 15 days = Saturday 7 October: the first working day is Monday 9 October.
    with pytest.raises(services.AdmissionError, match="09/10/2023"):
        fraud.convene_fraud_hearing(
            actor=world.users["college_direction"],
            case_id=case.pk,
            notified_on=dt.date(2023, 9, 22),
            hearing_on=dt.date(2023, 10, 6),
        )
    fraud.convene_fraud_hearing(
        actor=world.users["college_direction"],
        case_id=case.pk,
        notified_on=dt.date(2023, 9, 22),
        hearing_on=dt.date(2023, 10, 9),
    )
    case = fraud.decide_fraud(
        actor=world.users["college_direction"], case_id=case.pk, proven=True, on=dt.date(2023, 10, 12)
    )
    assert case.status == FraudCase.Status.PROVEN
    req.refresh_from_db()
    assert req.status == RequestStatus.REFUSED


@pytest.mark.article("46", "40")
def test_a_fraud_sanctioned_last_year_bars_this_years_request(world, applicant, on):
    from parcours.admissions.models import FraudCase

    FraudCase.objects.create(
        student=applicant,
        academic_year="2022-2023",
        facts="Faux diplôme.",
        status=FraudCase.Status.PROVEN,
        reported_on=dt.date(2023, 3, 1),
    )
    on("2023-09-20")
    with pytest.raises(services.AdmissionError, match="2023-2024, 2024-2025, 2025-2026"):
        submit(applicant, world)
    FraudCase.objects.update(academic_year="2019-2020")  # the ban has run out
    assert submit(applicant, world).status == RequestStatus.SUBMITTED


@pytest.mark.article("69", "70", "67")
def test_valorised_credits_count_as_acquired_in_the_pae(world, registered, bloc1):
    with pytest.raises(services.AdmissionError, match="base"):
        programme.valorise_credits(
            actor=world.users["commission_admission"],
            registration_id=registered.pk,
            ue_ids=[bloc1[0].pk],
            basis="etudes",
            reason=" ",
        )
    assert (
        programme.valorise_credits(
            actor=world.users["commission_admission"],
            registration_id=registered.pk,
            ue_ids=[bloc1[0].pk],
            basis="etudes",
            reason="Réussi à l'UCLouvain en 2022",
        )
        == 1
    )
    proposal = programme.propose_pae(
        actor=world.users["commission_admission"], registration_id=registered.pk, ue_ids=[u.pk for u in bloc1]
    )
    assert any("déjà acquise ou valorisée" in v["text"] for v in proposal.verification["outcome"]["violations"])


@pytest.mark.article("71", "72", "73", "51")
def test_allegement_before_31_october_and_fees_pro_rata(world, registered, bloc1):
    with pytest.raises(services.AdmissionError, match="art. 72"):
        programme.grant_allegement(
            actor=world.users["commission_admission"], registration_id=registered.pk, requested_on=dt.date(2023, 10, 31)
        )
    programme.grant_allegement(
        actor=world.users["commission_admission"],
        registration_id=registered.pk,
        requested_on=dt.date(2023, 11, 15),
        grave=True,
    )
    proposal = programme.propose_pae(
        actor=world.users["commission_admission"], registration_id=registered.pk, ue_ids=[u.pk for u in bloc1[:3]]
    )
    assert proposal.verification["outcome"]["admissible"] is True  # 30 credits under allègement
    programme.validate_pae(actor=registered.student.user, proposal_id=proposal.pk, on=dt.date(2023, 10, 20))
    registered.refresh_from_db()
    assert fees_total(registered) == Decimal("325.00")  # 650 € × 30/60


def test_programme_and_fraud_screens(client, world, registered, bloc1):
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["commission_admission"])
    response = client.post(
        reverse("request_programme", args=[req.pk]),
        {"action": "valoriser", "ues": [bloc1[0].pk], "basis": "experience", "reason": "Dix ans en CPAS"},
        follow=True,
    )
    assert "1 unité(s) d&#x27;enseignement valorisée(s)" in response.content.decode()
    response = client.post(
        reverse("request_programme", args=[req.pk]), {"action": "alleger", "requested_on": "2023-10-02"}, follow=True
    )
    assert "Allègement accordé" in response.content.decode()
    client.force_login(world.users["direction_departement"])
    client.post(
        reverse("fraud_cases"), {"action": "signaler", "student": registered.student.pk, "facts": "Faux bulletin."}
    )
    client.force_login(world.users["college_direction"])
    page = client.get(reverse("fraud_cases")).content.decode()
    assert "Faux bulletin." in page and "Convoquer" in page
    client.force_login(world.users["etudiant"])
    assert client.get(reverse("fraud_cases")).status_code == 404
