"""Registration (art. 19-46, annexes 4 and 7) and appeal routes (art. 41, 50, 105-120, 171-183, 193)."""

import pytest

from parcours.regulation.appeals import AppealFacts, SanctionFacts, route, sanction_authority
from parcours.regulation.explain import RuleError
from parcours.regulation.registration import (
    AdmissibilityFacts,
    EntrepreneurFacts,
    FraudBanFacts,
    JuryCFFacts,
    NonEuFacts,
    RefusalFacts,
    SilenceFacts,
    VaeFacts,
    WindowFacts,
    admissibility,
    entrepreneur_status,
    fraud_ban,
    jury_cf_access,
    non_eu_admission,
    refusal,
    silence,
    vae_access,
    window,
)
from tests.conftest import d


def win(request, on, **kw):
    return window(WindowFacts(request=request, filed_on=d(on), **kw)).outcome


@pytest.mark.article("22")
@pytest.mark.parametrize("on,session_ouverte,ok", [
    ("2023-09-30", False, True), ("2023-10-01", False, False), ("2023-11-30", True, True), ("2023-12-01", True, False),
])
def test_registration_deadline(on, session_ouverte, ok):
    assert win("inscription", on, session_ouverte=session_ouverte) is ok


@pytest.mark.article("32", "22")
@pytest.mark.parametrize("on,letter,ok", [("2024-02-15", True, True), ("2024-02-16", True, False),
                                          ("2024-01-10", False, False)])
def test_late_registration(on, letter, ok):
    assert win("tardive", on, motivation_letter=letter) is ok


@pytest.mark.article("22")
@pytest.mark.parametrize("on,late_docs,ok", [("2023-11-30", False, True), ("2023-12-01", False, False),
                                             ("2023-12-10", True, True)])
def test_provisional_registration_regularised_by_30_november(on, late_docs, ok):
    assert win("regularisation_provisoire", on, delay_not_students_fault=late_docs) is ok


@pytest.mark.article("31")
@pytest.mark.parametrize("on,first_year,ok", [
    ("2023-09-30", True, False), ("2023-10-01", True, True), ("2023-10-31", True, True), ("2023-11-01", True, False),
    ("2023-10-10", False, False),
])
def test_modification_window(on, first_year, ok):
    assert win("modification", on, first_year_first_cycle=first_year) is ok


@pytest.mark.article("33")
@pytest.mark.parametrize("on,ok", [
    ("2023-10-31", False), ("2023-11-01", True), ("2023-12-14", True), ("2023-12-15", False), ("2024-01-24", False),
    ("2024-01-25", True), ("2024-02-15", True), ("2024-02-16", False),
])
def test_reorientation_window_and_its_gap(on, ok):
    assert win("reorientation", on, first_year_first_cycle=True) is ok


@pytest.mark.article("30")
@pytest.mark.parametrize("on,ok", [("2023-08-21", False), ("2023-08-22", True), ("2023-08-24", True),
                                   ("2023-08-25", False)])
def test_kinesitherapie_non_resident_window(on, ok):
    assert win("kine_non_resident", on) is ok


FULL = ["identite", "photo", "titre_acces", "parcours"]


@pytest.mark.article("26", "39", "24")
def test_a_complete_dossier_in_time_is_recevable():
    out = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL, complete_on=d("2023-09-30"))).outcome
    assert out["recevable"] is True


@pytest.mark.article("26", "39")
def test_a_dossier_completed_on_1_october_is_irrecevable_and_notified_by_31_october():
    decision = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL, complete_on=d("2023-10-01")))
    assert decision.outcome["recevable"] is False and decision.outcome["grounds"] == ["Art. 26"]
    assert decision.outcome["notify_by"] == d("2023-10-31")
    assert "Art. 180" in decision.articles


@pytest.mark.article("25", "24")
def test_nursing_first_year_needs_criminal_record_and_aptitude():
    out = admissibility(AdmissibilityFacts(access_conditions_met=True, programme="infirmier", documents=FULL)).outcome
    assert out["missing"] == ["casier_judiciaire", "certificat_aptitude"]
    kine = admissibility(AdmissibilityFacts(access_conditions_met=True, programme="kinesitherapie", documents=FULL))
    assert kine.outcome["missing"] == ["certificat_aptitude"]


@pytest.mark.article("24")
def test_foreign_secondary_studies_and_debts():
    out = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL, foreign_secondary=True,
                                           debts_cleared=False)).outcome
    assert out["missing"] == ["equivalence"] and out["recevable"] is False


@pytest.mark.article("36", "30")
def test_wrong_procedure_makes_the_request_irrecevable():
    out = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL,
                                           non_financable_via_online_form=True)).outcome
    assert out["grounds"] == ["Art. 36"]
    kine = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL,
                                            kine_non_resident_via_online_form=True)).outcome
    assert kine["grounds"] == ["Art. 30"]


@pytest.mark.article("27", "180")
@pytest.mark.parametrize("today,negative", [("2023-10-31", False), ("2023-11-01", True)])
def test_no_decision_by_31_october_is_deemed_negative(today, negative):
    out = silence(SilenceFacts(final_request_filed=True, today=d(today))).outcome
    assert out["deemed_negative"] is negative
    if negative:
        assert out["appeal_until"] == d("2023-11-22")  # 15 working days from 2 November (1 November: holiday)


@pytest.mark.article("180")
def test_session_ouverte_student_waits_until_30_november():
    out = silence(SilenceFacts(final_request_filed=True, session_ouverte=True, today=d("2023-12-01"))).outcome
    assert out["deemed_negative"] is True and out["appeal_until"] == d("2023-12-21")


@pytest.mark.article("40")
def test_refusal_grounds():
    assert refusal(RefusalFacts(exclusion_for_fraud_in_last_3_years=True)).outcome["decision"] == "refus_obligatoire"
    assert refusal(RefusalFacts(ares_refusal_in_last_3_years=True)).outcome["decision"] == "refus_obligatoire"
    possible = refusal(RefusalFacts(non_financable=True, request_received_on=d("2023-10-02")))
    assert possible.outcome["decision"] == "refus_possible" and possible.outcome["notify_by"] == d("2023-10-23")
    assert refusal(RefusalFacts(exclusion_for_serious_misconduct_in_last_3_years=True)).outcome["optional"] == ["Art. 40, 4°"]
    assert refusal(RefusalFacts()).outcome["decision"] == "aucun_motif"


@pytest.mark.article("34", "45")
def test_an_undeclared_other_registration_is_fraud():
    assert refusal(RefusalFacts(other_registration_undeclared=True)).outcome["decision"] == "refus_obligatoire"


@pytest.mark.article("46", "112")
@pytest.mark.parametrize("requested,banned", [("2022-2023", False), ("2023-2024", True), ("2025-2026", True),
                                              ("2026-2027", False)])
def test_three_years_ban_after_a_fraud(requested, banned):
    facts = FraudBanFacts(sanctioned_year="2022-2023", kind="evaluations", requested_year=requested)
    assert fraud_ban(facts).outcome["banned"] is banned


def non_eu(**kw):
    base = dict(present_in_belgium_or_europe=True, level="bachelier", diploma_year=2023, dossiers_already_accepted=0,
                dossier_complete=True, dossier_fee_paid=True)
    return non_eu_admission(NonEuFacts(**{**base, **kw})).outcome


@pytest.mark.article("37", "Annexe 7")
def test_non_eu_present_candidates():
    assert non_eu()["recevable"] is True
    assert non_eu(diploma_year=2021)["recevable"] is False
    assert non_eu(dossiers_already_accepted=29)["recevable"] is True
    assert non_eu(dossiers_already_accepted=30)["recevable"] is False
    assert non_eu(dossier_fee_paid=False)["recevable"] is False


@pytest.mark.article("Annexe 7")
def test_non_eu_absent_candidates():
    assert non_eu(present_in_belgium_or_europe=False, diploma_year=2022)["recevable"] is True
    assert non_eu(present_in_belgium_or_europe=False, diploma_year=2023)["recevable"] is False
    assert non_eu(present_in_belgium_or_europe=False, diploma_year=2022, level="master")["recevable"] is False
    assert non_eu(present_in_belgium_or_europe=False, diploma_year=2022, dossiers_already_accepted=99)["recevable"] is True
    assert non_eu(present_in_belgium_or_europe=False, diploma_year=2022, dossiers_already_accepted=100)["recevable"] is False


@pytest.mark.article("Annexe 7")
@pytest.mark.parametrize("paid_on,lapsed", [("2023-09-20", False), ("2023-09-21", True)])
def test_non_eu_admission_lapses_without_payment_in_ten_working_days(paid_on, lapsed):
    out = non_eu(commission_positive_on=d("2023-09-06"), paid_in_full_on=d(paid_on))
    assert out["pay_by"] == d("2023-09-20") and out["lapsed"] is lapsed


@pytest.mark.article("20", "Annexe 4")
@pytest.mark.parametrize("filed,ok", [("2023-10-31", True), ("2023-11-01", False)])
def test_jury_cf_application_by_31_october(filed, ok):
    assert jury_cf_access(JuryCFFacts(objective_reasons_accepted=True, filed_on=d(filed))).outcome is ok


@pytest.mark.article("Annexe 4")
def test_jury_cf_bars():
    assert jury_cf_access(JuryCFFacts(objective_reasons_accepted=True, non_financable=True,
                                      filed_on=d("2023-10-02"))).outcome is False
    assert jury_cf_access(JuryCFFacts(objective_reasons_accepted=False, filed_on=d("2023-10-02"))).outcome is False


@pytest.mark.article("19")
@pytest.mark.parametrize("years,credits,ok", [(5, 0, True), (4, 59, False), (4, 60, True), (3, 180, True),
                                              (2, 180, False)])
def test_valorisation_of_experience_five_years(years, credits, ok):
    assert vae_access(VaeFacts(professional_or_personal_years=years, higher_education_credits=credits)).outcome is ok


@pytest.mark.article("213")
@pytest.mark.parametrize("credits,derogation,ok", [(60, False, True), (59, False, False), (59, True, True)])
def test_student_entrepreneur_status(credits, derogation, ok):
    assert entrepreneur_status(EntrepreneurFacts(credits_validated=credits, derogation_by_cee=derogation)).outcome is ok


@pytest.mark.article("41", "178", "181")
def test_route_against_a_registration_refusal():
    out = route(AppealFacts(decision="refus_inscription", notified_on=d("2023-10-20"))).outcome
    assert out["until"] == d("2023-11-06") and out["suspensive"] is False
    assert "Commission de recours" in out["instance"]
    ceperi = route(AppealFacts(decision="rejet_recours_refus_inscription", notified_on=d("2023-12-15"))).outcome
    assert ceperi["until"] == d("2024-01-15")


@pytest.mark.article("50", "182", "180", "175", "177")
def test_routes_suspensive_or_not():
    assert route(AppealFacts(decision="defaut_paiement", notified_on=d("2023-11-02"))).outcome["suspensive"] is True
    assert route(AppealFacts(decision="irrecevabilite", notified_on=d("2023-10-31"))).outcome["suspensive"] is True
    director = route(AppealFacts(decision="decision_directeur_departement", notified_on=d("2023-10-11"))).outcome
    assert director["instance"] == "Directeur de domaine" and director["until"] == d("2023-10-16")


@pytest.mark.article("105", "108", "118", "120", "179", "113", "116", "183", "193")
@pytest.mark.parametrize("decision,notified,until", [
    ("irregularite_evaluation", "2024-02-02", "2024-02-07"),
    ("stage_raisons_pedagogiques", "2023-11-09", "2023-11-13"),
    ("exclusion_fraude", "2023-11-01", "2024-01-02"),  # 60 days: Sunday 31 December, 1 January a holiday
    ("amenagements_refuses", "2023-12-20", "2024-01-08"),  # 21, 22 December, closure until 5 January, 8 January
])
def test_other_routes(decision, notified, until):
    assert route(AppealFacts(decision=decision, notified_on=d(notified))).outcome["until"] == d(until)


@pytest.mark.article("171", "172")
@pytest.mark.parametrize("sanction,days,authority", [
    ("blame", None, "Directeur de département (ou son délégué) ou Directeur de domaine"),
    ("renvoi_temporaire", 10, "Directeur de département (ou son délégué) ou Directeur de domaine"),
    ("renvoi_temporaire", 11, "Collège de direction"),
    ("exclusion_definitive", None, "Collège de direction"),
])
def test_who_imposes_a_sanction(sanction, days, authority):
    out = sanction_authority(SanctionFacts(sanction=sanction, working_days=days)).outcome
    assert out["authority"] == authority
    assert out["hearing"] is (sanction != "blame")


def test_a_temporary_dismissal_needs_its_length():
    with pytest.raises(RuleError):
        sanction_authority(SanctionFacts(sanction="renvoi_temporaire"))


NURSING_FULL = [*FULL, "casier_judiciaire", "certificat_aptitude"]


@pytest.mark.article("161", "39")
@pytest.mark.parametrize("with_proof", [False, True])
def test_health_programmes_ask_for_the_hepatitis_b_proof(with_proof):
    docs = NURSING_FULL + (["vaccination_hepatite_b"] if with_proof else [])
    decision = admissibility(AdmissibilityFacts(access_conditions_met=True, programme="infirmier", documents=docs,
                                                complete_on=d("2023-09-25")))
    assert "Art. 161" in decision.articles
    assert decision.outcome["to_provide"] == ([] if with_proof else ["vaccination_hepatite_b"])
    # Art. 39 names the art. 23-25 documents only: the missing proof is asked for, the request stays recevable.
    assert decision.outcome["recevable"] is True


@pytest.mark.article("161")
def test_a_programme_outside_the_health_domains_needs_no_hepatitis_b_proof():
    decision = admissibility(AdmissibilityFacts(access_conditions_met=True, programme="Bachelier : assistant social",
                                                documents=FULL))
    assert "Art. 161" not in decision.articles and decision.outcome["to_provide"] == []
    lab = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL,
                                           programme="Bachelier : technologue de laboratoire médical"))
    assert lab.outcome["to_provide"] == ["vaccination_hepatite_b"]


@pytest.mark.article("25")
@pytest.mark.parametrize("programme,missing", [
    ("kinésithérapie", ["certificat_aptitude"]), ("Kinesitherapie", ["certificat_aptitude"]),
    ("Sage-femme", ["casier_judiciaire", "certificat_aptitude"]), ("Bachelier en kinésithérapie", ["certificat_aptitude"]),
    ("Master en kinésithérapie", []), ("autre", []),
])
def test_programme_names_are_recognised_with_or_without_accents(programme, missing):
    out = admissibility(AdmissibilityFacts(access_conditions_met=True, programme=programme, documents=FULL)).outcome
    assert out["missing"] == missing


@pytest.mark.article("25")
def test_an_unknown_programme_is_refused_with_the_accepted_values():
    with pytest.raises(RuleError, match="Programme inconnu.*kinesitherapie"):
        admissibility(AdmissibilityFacts(access_conditions_met=True, programme="kinésithérapeute", documents=FULL))


@pytest.mark.article("24", "39")
def test_documents_awaiting_review_are_neither_provided_nor_missing():
    waiting = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL[1:], awaiting_review=FULL[:1]))
    assert waiting.outcome["recevable"] is None and waiting.outcome["pending"] == FULL[:1]
    assert waiting.outcome["missing"] == [] and any("en attente de vérification" in r.text for r in waiting.reasons)
    missing = admissibility(AdmissibilityFacts(access_conditions_met=True, documents=FULL[1:]))
    assert missing.outcome["recevable"] is False and missing.outcome["missing"] == FULL[:1]
