"""The screens and services give the CLI's answer for the same facts (finançabilité, fees, PAE).

Each test writes the facts as a person would type them for ``parcours rule`` and compares the rule's answer with
what the application shows or decides for the same student.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.admissions import payments
from parcours.admissions.models import AdmissionRequest, Payment
from parcours.regulation.rules import run
from parcours.students.models import AcquiredCredit, PaeEntry, PastRegistration
from tests.factories import UEFactory
from tests.web.admissions_support import submit

AS_MONS = {"section": "Assistant-e Social-e", "site": "Mons"}


def cli(rule, facts):
    return run(rule, facts).outcome


def euros_on_page(page: str, amount: str) -> bool:
    return amount in page or amount.replace(".", ",") in page


@pytest.mark.article("51 al. 2")
@pytest.mark.parametrize("credits,expected", [(15, "438.62"), (16, "650.00")])
def test_student_home_fees_follow_the_end_of_cycle_rule(client, world, credits, expected):
    reg = world.registration
    reg.stage = "AD"
    reg.save()
    PaeEntry.objects.create(registration=reg, ue=UEFactory(programme=world.programme, code="AS399", credits=credits,
                                                           bloc=3))
    rule = cli("fees.compute", {**AS_MONS, "stage": "AD", "end_of_cycle": True, "pae_credits": credits})
    assert rule["total"] == Decimal(expected)
    client.force_login(world.student.user)
    page = client.get(reverse("home")).content.decode()
    assert euros_on_page(page, expected)


def past(student, year, cursus, credits):
    PastRegistration.objects.create(student=student, academic_year=year, cycle=1, cursus=cursus, pae_credits=60,
                                    credits_acquired=credits, new_rules=True)


@pytest.mark.article("35 §5")
@pytest.mark.parametrize("cursus,financable", [("Bachelier en comptabilité", True), ("Bachelier : assistant social",
                                                                                     False)])
def test_student_record_finançabilite_derives_the_reorientation_like_the_cli(client, world, cursus, financable):
    past(world.student, "2021-2022", cursus, 20)
    past(world.student, "2022-2023", cursus, 25)
    history = [{"academic_year": y, "cycle": 1, "cursus": cursus, "pae_credits": 60, "credits_acquired": c,
                "new_rules": True} for y, c in (("2021-2022", 20), ("2022-2023", 25))]
    rule = cli("financabilite.evaluate", {"cycle": 1, "cursus": "Bachelier : assistant social", "cursus_credits": 180,
                                          "credits_in_cursus": 0, "history": history})
    assert rule["financable"] is financable
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    shown = page.split("Finançabilité (art. 35)")[1].split("</div>")[0]
    assert ("<strong>Finançable</strong>" if financable else "<strong>Non finançable</strong>") in shown


@pytest.mark.article("67 §1er", "64")
@pytest.mark.parametrize("jury,admissible", [(True, True), (False, False)])
def test_the_pae_form_reaches_the_65_credit_path_with_the_jury_agreement(client, world, registered, jury, admissible):
    # A second year in bloc 1 with 55 of the 60 first credits acquired: 65 credits only with the jury's agreement.
    past(registered.student, "2022-2023", "Bachelier : assistant social", 55)
    bloc1 = [UEFactory(programme=world.programme, code=f"B1{i:02d}", credits=5, bloc=1) for i in range(12)]
    bloc2 = [UEFactory(programme=world.programme, code=f"B2{i:02d}", credits=5, bloc=2) for i in range(12)]
    for ue in bloc1[:11]:
        AcquiredCredit.objects.create(student=registered.student, ue=ue, academic_year="2022-2023", note=12)
    rule = cli("pae.check", {"situation": "bloc1_non_reussi", "bloc1_credits_acquired": 55, "jury_agreement": jury,
                             "bloc1_codes": [u.code for u in bloc1], "acquired": [u.code for u in bloc1[:11]],
                             "ues": [{"code": u.code, "credits": 5, "bloc": u.bloc} for u in [bloc1[11], *bloc2]]})
    assert rule["admissible"] is admissible and rule["total_credits"] == 65
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["commission_admission"])
    data = {"ues": [str(u.pk) for u in [bloc1[11], *bloc2]]}
    if jury:
        data["jury_agreement"] = "on"
    client.post(reverse("request_pae", args=[req.pk]), data)
    proposal = registered.pae_proposals.get()
    assert proposal.verification["outcome"]["admissible"] is admissible


@pytest.mark.article("67 §2")
@pytest.mark.parametrize("stage,admissible", [("AD", True), ("PE", False)])
def test_the_pae_of_the_last_year_may_stay_under_60_credits(client, world, registered, stage, admissible):
    registered.bloc, registered.stage = 3, stage
    registered.save()
    past(registered.student, "2022-2023", "Bachelier : assistant social", 60)
    bloc3 = [UEFactory(programme=world.programme, code=f"B3{i:02d}", credits=10, bloc=3) for i in range(3)]
    rule = cli("pae.check", {"situation": "poursuite", "end_of_cycle": stage == "AD",
                             "remaining_first_cycle_credits": 180 if stage == "AD" else None,
                             "ues": [{"code": u.code, "credits": 10, "bloc": 3} for u in bloc3]})
    assert rule["admissible"] is admissible
    req = AdmissionRequest.objects.get(registration=registered)
    client.force_login(world.users["commission_admission"])
    client.post(reverse("request_pae", args=[req.pk]), {"ues": [str(u.pk) for u in bloc3]})
    assert registered.pae_proposals.get().verification["outcome"]["admissible"] is admissible


@pytest.mark.article("48", "32")
@pytest.mark.parametrize("registered_on,state", [("2024-01-12", "en_ordre"), ("2023-10-01", "inscription_annulee")])
def test_payment_status_knows_a_late_registration(world, registered, on, registered_on, state):
    registered.registered_on = dt.date.fromisoformat(registered_on)
    registered.save()
    Payment.objects.create(registration=registered, amount=Decimal("650.00"), paid_on=dt.date(2024, 1, 12),
                           recorded_by=world.users["secretariat"], reference="T1")
    rule = cli("fees.payment_status", {"fees": {**AS_MONS, "stage": "DC"}, "registered_on": registered_on,
                                       "payments": [{"date": "2024-01-12", "amount": "650.00"}], "on": "2024-01-15"})
    assert rule["state"] == state
    on("2024-01-15")
    assert payments.payment_status(registered).outcome["state"] == state


def test_every_workflow_the_registry_names_exists():
    import importlib

    from parcours.regulation.articles import REGISTRY

    for article in REGISTRY:
        if article.status != "workflow":
            continue
        for path in article.implemented_by:
            module, _, name = f"parcours.{path}".rpartition(".")
            assert callable(getattr(importlib.import_module(module), name, None)), (article.ref, path)


@pytest.mark.article("48", "32")
@pytest.mark.parametrize("registered_on,shown", [("2023-10-31", True), ("2023-11-02", False)])
def test_the_acompte_deadline_is_not_shown_to_a_registration_taken_after_it(client, world, on, registered_on, shown):
    world.registration.registered_on = dt.date.fromisoformat(registered_on)
    world.registration.save()
    on("2023-10-16")
    client.force_login(world.student.user)
    page = client.get(reverse("home")).content.decode()
    assert ("acompte de 50" in page) is shown  # the deadline's label; the fee reasons write « Acompte »


@pytest.mark.article("35 §5", "36")
@pytest.mark.parametrize("cursus,financable", [("Bachelier en comptabilité", True), ("Bachelier : assistant social",
                                                                                     False)])
def test_the_admission_request_records_the_clis_financabilite(client, world, applicant, on, cursus, financable):
    past(applicant, "2021-2022", cursus, 20)
    past(applicant, "2022-2023", cursus, 25)
    history = [{"academic_year": y, "cycle": 1, "cursus": cursus, "pae_credits": 60, "credits_acquired": c,
                "new_rules": True} for y, c in (("2021-2022", 20), ("2022-2023", 25))]
    rule = cli("financabilite.evaluate", {"cycle": 1, "cursus": "Bachelier : assistant social", "cursus_credits": 180,
                                          "credits_in_cursus": 0, "history": history})
    on("2023-09-20")
    req = submit(applicant, world)
    assert req.decision["financabilite"]["outcome"]["financable"] is rule["financable"] is financable
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("request_detail", args=[req.pk])).content.decode()
    assert ("Non finançable" in page) is (not financable)
