"""The mobility dossier after selection (seed 000, point 2): BEFORE (social inquiry, grant contract, learning
agreement signed by three parties), DURING (attestation de séjour, changes to the agreement) and AFTER
(transcript, recognition of credits, mobility report, closure). Rules from regulation.mobility (art. 215-217)."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from parcours.accounts import permissions
from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot
from parcours.dossiers.workflow import SlotStatus
from parcours.exchanges.models import AgreementLine, Candidature, LearningAgreement, MobilityFile
from parcours.exchanges.services import OFFICE, MobilityError
from parcours.exchanges.workflow import CandidatureStatus
from parcours.institutions.models import UE
from parcours.notifications.services import notify
from parcours.regulation import mobility
from parcours.regulation.explain import Decision, fr_date
from parcours.students.models import AcquiredCredit, Registration


def _text(decision: Decision) -> str:
    return " ".join(f"{r.text} ({r.article})" for r in decision.reasons)


def _file(file_id: int) -> MobilityFile:
    return (MobilityFile.objects.select_for_update(of=("self",))
            .select_related("candidature__student__user", "candidature__call__programme", "candidature__destination")
            .get(pk=file_id))


def _office(actor, f: MobilityFile) -> None:
    partners = permissions.partner_institutions(actor, {"coordinateur_ri"})
    if not (permissions.can_act_on_programme(actor, f.candidature.call.programme, OFFICE)
            or f.candidature.managing_institution_id in partners):
        raise MobilityError("Seul le Bureau International ou le coordinateur de l'établissement gestionnaire agit ici.")


def _owner(actor, f: MobilityFile) -> None:
    if f.candidature.student.user_id != actor.pk:
        raise MobilityError("Seul l'étudiant en mobilité effectue cette étape.")


@transaction.atomic
def open_file(*, actor, candidature_id: int, start: dt.date, end: dt.date) -> MobilityFile:
    c = Candidature.objects.select_related("destination", "call__programme").get(pk=candidature_id)
    if c.status != CandidatureStatus.SELECTED:
        raise MobilityError("Le dossier de mobilité suit une candidature retenue.")
    f = MobilityFile(candidature=c, planned_start=start, planned_end=end)
    _office(actor, f)
    check = mobility.duration(mobility.DurationFacts(kind=c.destination.kind, start=start, end=end))
    if not check.outcome:
        raise MobilityError("Durée prévue non conforme : " + _text(check))
    f.save()
    record(actor=actor, action="exchanges.file.opened", target=f,
           summary=f"Dossier de mobilité ouvert : du {fr_date(start)} au {fr_date(end)}")
    return f


@transaction.atomic
def request_social_inquiry(*, actor, file_id: int, on: dt.date) -> MobilityFile:
    """Optional: an appointment with the social worker for additional financial aid."""
    f = _file(file_id)
    _owner(actor, f)
    f.social_inquiry_requested_on = on
    f.save()
    from parcours.accounts.models import RoleAssignment

    workers = RoleAssignment.objects.filter(role="assistant_social",
                                            department=f.candidature.call.programme.department).select_related("user")
    for a in workers:
        notify(user=a.user, template="admission_decision", url=f"/mobilite/dossiers/{f.pk}/", context={
            "request": None, "title": f"Enquête sociale demandée : {f.candidature.student.user.get_full_name()}",
            "decision": None, "appeal": None})
    record(actor=actor, action="exchanges.file.social_inquiry", target=f, summary="Rendez-vous demandé au travailleur social")
    return f


@transaction.atomic
def sign_grant_contract(*, actor, file_id: int, on: dt.date) -> MobilityFile:
    """Seed 000, 2: the grant contract is signed in the month before the start, when the conditions are met."""
    f = _file(file_id)
    _office(actor, f)
    if not f.candidature.wants_grant:
        raise MobilityError("L'étudiant n'a pas demandé de bourse.")
    opens = f.planned_start - relativedelta(months=1)
    if not opens <= on < f.planned_start:
        raise MobilityError(f"Le contrat de bourse se signe dans le mois qui précède le départ : du {fr_date(opens)} "
                            f"au {fr_date(f.planned_start - dt.timedelta(days=1))}.")
    f.grant_contract_signed_on = on
    f.save()
    record(actor=actor, action="exchanges.file.grant_contract", target=f, summary=f"Contrat de bourse signé le {fr_date(on)}")
    return f


def _verify(f: MobilityFile, host_lines: list[tuple], home_ues: list[UE]) -> Decision:
    by_q: dict[int, int] = {}
    for _code, _title, ects, q in host_lines:
        by_q[q] = by_q.get(q, 0) + ects
    reg = Registration.objects.filter(student=f.candidature.student, programme=f.candidature.call.programme,
                                      status=Registration.Status.REGULAR).first()
    pae = sum(e.ue.credits for e in reg.pae.select_related("ue")) if reg else 60
    replaced = sum(u.credits for u in home_ues)
    return mobility.learning_agreement(mobility.LearningAgreementFacts(
        quadrimestre_credits=[by_q[q] for q in sorted(by_q)] or [0], year_total_credits=max(pae, 60) - replaced + sum(by_q.values()),
        accepted_by_department=True, accepted_by_host=True))


@transaction.atomic
def propose_agreement(*, actor, file_id: int, home_ue_ids: list[int], host_lines: list[tuple[str, str, int, int]],
                      reason: str = "") -> LearningAgreement:
    """A new version of the learning agreement; after the first, every change carries its reason (DURING)."""
    f = _file(file_id)
    if f.candidature.student.user_id != actor.pk:
        _office(actor, f)
    previous = f.agreements.first()
    if previous is not None and not reason.strip():
        raise MobilityError("Toute modification de la convention indique son motif (section DURING).")
    home = list(UE.objects.filter(pk__in=home_ue_ids, programme=f.candidature.call.programme))
    if not home or not host_lines:
        raise MobilityError("La convention reprend ligne par ligne les UE remplacées et les activités d'accueil (art. 215).")
    check = _verify(f, host_lines, home)
    la = LearningAgreement.objects.create(file=f, version=(previous.version + 1) if previous else 1,
                                          verification=check.to_dict())
    for ue in home:
        AgreementLine.objects.create(agreement=la, side="home", ue=ue, code=ue.code, title=ue.title, ects=ue.credits,
                                     change_reason=reason.strip())
    for code, title, ects, q in host_lines:
        AgreementLine.objects.create(agreement=la, side="host", code=code, title=title, ects=ects, quadrimestre=q,
                                     change_reason=reason.strip())
    record(actor=actor, action="exchanges.agreement.proposed", target=f,
           summary=f"Convention v{la.version} : {'conforme' if check.outcome else 'non conforme'}" +
           (f" — motif : {reason.strip()}" if reason.strip() else ""))
    return la


@transaction.atomic
def sign_agreement(*, actor, agreement_id: int, party: str) -> LearningAgreement:
    """Signed by the student, the sending and the receiving institution, each with its timestamp — after the
    grant contract when a grant was asked (seed 000, 2)."""
    la = LearningAgreement.objects.select_for_update().select_related("file").get(pk=agreement_id)
    f = _file(la.file_id)
    if la != f.agreements.first():
        raise MobilityError("Seule la dernière version de la convention se signe.")
    if not la.verification.get("outcome"):
        raise MobilityError("La convention enfreint les règles de crédits : " +
                            " ".join(r["text"] for r in la.verification.get("reasons", [])))
    if f.candidature.wants_grant and f.grant_contract_signed_on is None:
        raise MobilityError("La convention se signe après le contrat de bourse.")
    now = timezone.now()
    if party == "student":
        _owner(actor, f)
        la.student_signed_at = now
    elif party in ("sending", "receiving"):
        _office(actor, f)  # the receiving signature is recorded by the office from the host's signed copy
        setattr(la, f"{party}_signed_at", now)
    else:
        raise MobilityError("Signataire inconnu.")
    la.save()
    record(actor=actor, action=f"exchanges.agreement.signed_{party}", target=f,
           summary=f"Convention v{la.version} signée ({party}) le {now:%d/%m/%Y %H:%M}")
    return la


@transaction.atomic
def record_stay(*, actor, file_id: int, arrival: dt.date, departure: dt.date | None = None) -> Decision | None:
    """DURING: the attestation de séjour; the actual duration is checked against the kind's minimum and maximum."""
    f = _file(file_id)
    if f.candidature.student.user_id != actor.pk:
        _office(actor, f)
    la = f.agreements.first()
    if la is None or not la.signed:
        raise MobilityError("Le séjour commence avec une convention signée par les trois parties.")
    f.arrival, f.phase = arrival, MobilityFile.Phase.DURING
    check = None
    if departure is not None:
        check = mobility.duration(mobility.DurationFacts(kind=f.candidature.destination.kind, start=arrival, end=departure))
        f.departure, f.phase = departure, MobilityFile.Phase.AFTER
        # AFTER: the host's transcript of records or traineeship certificate is awaited in the dossier.
        DocumentSlot.objects.get_or_create(dossier=f.candidature.dossier, code="releve_accueil", defaults={
            "label": "Relevé de notes ou certificat de stage de l'établissement d'accueil",
            "article": "Procédure mobilité AS, 2 (APRÈS)"})
    f.save()
    record(actor=actor, action="exchanges.file.stay", target=f,
           summary=f"Attestation de séjour : arrivée {fr_date(arrival)}" +
           (f", départ {fr_date(departure)} — {'durée conforme' if check.outcome else 'durée non conforme'}"
            if check else ""))
    return check


@transaction.atomic
def recognise_credits(*, actor, file_id: int) -> int:
    """AFTER: the host's transcript received, the home UEs of the signed agreement are recognised."""
    f = _file(file_id)
    _office(actor, f)
    if f.phase != MobilityFile.Phase.AFTER:
        raise MobilityError("La reconnaissance des crédits suit le retour (attestation de séjour avec la date de départ).")
    la = f.agreements.first()
    if la is None or not la.signed:
        raise MobilityError("La reconnaissance se fait sur la convention signée.")
    transcript = f.candidature.dossier.slots.filter(code="releve_accueil").first()
    if transcript is None or transcript.status not in (SlotStatus.RECEIVED, SlotStatus.ACCEPTED):
        raise MobilityError("Le relevé de notes ou le certificat de stage de l'établissement d'accueil doit d'abord "
                            "être déposé dans le dossier (section AFTER).")
    count = 0
    for line in la.lines.filter(side="home").select_related("ue"):
        _, made = AcquiredCredit.objects.get_or_create(student=f.candidature.student, ue=line.ue, defaults={
            "academic_year": f.candidature.call.mobility_year, "valorised": True})
        count += made
    record(actor=actor, action="exchanges.file.recognised", target=f,
           summary=f"{count} UE reconnue(s) selon la convention v{la.version}")
    notify(user=f.candidature.student.user, template="admission_decision", url=f"/mobilite/dossiers/{f.pk}/", context={
        "request": None, "title": "Crédits de mobilité reconnus", "decision": None, "appeal": None})
    return count


@transaction.atomic
def submit_report(*, actor, file_id: int, on: dt.date) -> MobilityFile:
    f = _file(file_id)
    _owner(actor, f)
    if f.phase != MobilityFile.Phase.AFTER:
        raise MobilityError("Le rapport de mobilité se remplit après la mobilité.")
    f.report_submitted_on = on
    f.save()
    record(actor=actor, action="exchanges.file.report", target=f, summary="Rapport de mobilité complété")
    return f


@transaction.atomic
def close(*, actor, file_id: int) -> MobilityFile:
    f = _file(file_id)
    _office(actor, f)
    recognised = AcquiredCredit.objects.filter(student=f.candidature.student, valorised=True,
                                               academic_year=f.candidature.call.mobility_year).exists()
    if f.report_submitted_on is None or not recognised:
        raise MobilityError("Le dossier se clôture quand le rapport est complété et les crédits reconnus.")
    f.phase = MobilityFile.Phase.CLOSED
    f.save()
    record(actor=actor, action="exchanges.file.closed", target=f, summary="Dossier de mobilité clôturé")
    return f
