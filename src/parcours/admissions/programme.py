"""The programme annuel (art. 67-74): valorisation, allègement, the PAE proposed and validated."""

import datetime as dt

from django.db import transaction

from parcours.admissions.models import PaeProposal
from parcours.admissions.services import AdmissionError, _require, lock_registration_for_review  # noqa: F401
from parcours.admissions.workflow import ProposalStatus
from parcours.audit.services import record, set_status_each
from parcours.institutions.models import UE
from parcours.notifications.services import notify
from parcours.regulation import calendar, pae
from parcours.students import selectors
from parcours.students.models import AcquiredCredit, PaeEntry, Registration
from parcours.web.clock import today

ADMISSION_ROLES = {"commission_admission", "secretariat", "direction_departement"}


@transaction.atomic
def valorise_credits(*, actor, registration_id: int, ue_ids: list[int], basis: str, reason: str) -> int:
    """Art. 69-70: the admission commission valorises credits from earlier studies or from experience."""
    reg = Registration.objects.select_related("student", "programme", "academic_year").get(pk=registration_id)
    _require(actor, reg.student, ADMISSION_ROLES, "valoriser des crédits")
    if basis not in ("etudes", "experience") or not reason.strip():
        raise AdmissionError("Précisez la base (études antérieures, art. 69, ou expérience, art. 70) et le motif.")
    ues = UE.objects.filter(pk__in=ue_ids, programme=reg.programme)
    created = 0
    for ue in ues:
        _, made = AcquiredCredit.objects.get_or_create(
            student=reg.student, ue=ue, defaults={"academic_year": reg.academic_year.label, "valorised": True}
        )
        created += made
    record(
        actor=actor,
        action="admissions.credits.valorised",
        target=reg,
        summary=f"{created} UE valorisée(s) ({'art. 69' if basis == 'etudes' else 'art. 70'}) : {reason.strip()}",
    )
    return created


@transaction.atomic
def grant_allegement(*, actor, registration_id: int, requested_on: dt.date, grave: bool = False) -> Registration:
    """Art. 71-73: an allègement requested at registration before 31 October, or at any time for serious
    social or medical reasons; the fees become pro rata (art. 51)."""
    reg = (
        Registration.objects.select_for_update()
        .select_related("student__user", "academic_year")
        .get(pk=registration_id)
    )
    _require(actor, reg.student, ADMISSION_ROLES, "accorder un allègement")
    if not grave:
        window = calendar.fixed_date(
            calendar.FixedDateFacts(year=reg.academic_year.label, name="allegement_at_registration", on=requested_on)
        )
        if not window.outcome["in_time"]:
            raise AdmissionError(
                "La demande d'allègement à l'inscription s'introduit avant le 31 octobre (art. 72) ; "
                "après, seuls des motifs sociaux ou médicaux graves la permettent (art. 73)."
            )
    reg.allegement = True
    reg.save()
    record(
        actor=actor,
        action="admissions.allegement.granted",
        target=reg,
        summary=f"Allègement accordé (demande du {requested_on:%d/%m/%Y}, art. {'73' if grave else '72'})",
    )
    notify(
        user=reg.student.user,
        template="admission_decision",
        url="/",
        context={"request": None, "title": "Allègement accordé", "decision": None, "appeal": None},
    )
    return reg


@transaction.atomic
def propose_pae(
    *, actor, registration_id: int, ue_ids: list[int], derogation: str = "", jury_agreement: bool = False
) -> PaeProposal:
    """Art. 68: the admission commission proposes the PAE; the regulation lists every rule it breaks."""
    reg = lock_registration_for_review(
        actor, registration_id, "Vous n'êtes pas autorisé à proposer le programme annuel de cet étudiant."
    )
    ues = list(
        UE.objects.filter(pk__in=ue_ids, programme=reg.programme).prefetch_related("prerequisites", "corequisites")
    )
    if not ues:
        raise AdmissionError("Choisissez au moins une unité d'enseignement du programme.")
    if derogation and derogation not in pae.DEROGATIONS:
        raise AdmissionError(f"Dérogation inconnue : choisissez l'un des cas a) à e) de l'art. 67 §2 "
                             f"({', '.join(sorted(pae.DEROGATIONS))}) ou aucun.")
    decision = pae.check(selectors.pae_facts(reg, ues, derogation, jury_agreement))
    set_status_each(reg.pae_proposals.filter(status=ProposalStatus.PROPOSED), ProposalStatus.WITHDRAWN, actor=actor,
                    action="admissions.pae.withdrawn", summary="Proposition de PAE remplacée par une nouvelle")
    proposal = PaeProposal.objects.create(
        registration=reg, proposed_by=actor, verification=decision.to_dict(), derogation=derogation
    )
    proposal.ues.set(ues)
    record(
        actor=actor,
        action="admissions.pae.proposed",
        target=reg,
        summary=f"PAE proposé : {decision.outcome['total_credits']} crédits — "
        f"{'admissible' if decision.outcome['admissible'] else 'non admissible'}",
    )
    if decision.outcome["admissible"]:
        notify(
            user=reg.student.user, template="pae_proposed", context={"proposal": proposal, "registration": reg}, url="/"
        )
    return proposal


@transaction.atomic
def validate_pae(*, actor, proposal_id: int, on: dt.date | None = None) -> PaeProposal:
    """Art. 68: the student validates the proposed PAE, at the latest on 31 October."""
    on = on or today()
    proposal = (
        PaeProposal.objects.select_for_update()
        .select_related("registration__student__user", "registration__academic_year")
        .get(pk=proposal_id)
    )
    reg = proposal.registration
    if reg.student.user_id != actor.pk:
        raise AdmissionError("Seul l'étudiant valide son programme annuel.")
    if proposal.status != ProposalStatus.PROPOSED:
        raise AdmissionError("Cette proposition n'est plus à valider.")
    if not proposal.verification.get("outcome", {}).get("admissible"):
        raise AdmissionError("Ce programme enfreint le règlement ; la commission doit le corriger.")
    limit = calendar.fixed_date(calendar.FixedDateFacts(year=reg.academic_year.label, name="pae_validation", on=on))
    if not limit.outcome["in_time"]:
        raise AdmissionError(
            f"Le programme annuel se valide au plus tard le {limit.outcome['date']:%d/%m/%Y} (art. 68)."
        )
    proposal.status = ProposalStatus.VALIDATED
    proposal.validated_on = on
    proposal.save()
    PaeEntry.objects.filter(registration=reg).delete()
    PaeEntry.objects.bulk_create([PaeEntry(registration=reg, ue=ue) for ue in proposal.ues.all()])
    record(
        actor=actor,
        action="admissions.pae.validated",
        target=reg,
        summary=f"PAE validé par l'étudiant le {on:%d/%m/%Y}",
    )
    return proposal
