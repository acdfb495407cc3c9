"""The mobility dossier after selection (seed 000, point 2), run by the managing institution's coordinator:
BEFORE (social inquiry, insurance art. 201, grant contract, learning agreement), DURING (attestation de séjour signed by
the host, changes to the agreement), AFTER (host transcript, recognition with host grades, report, closure).
Every mobility document is a slot of the candidature's dossier: requested, received, verified or refused."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy, override

from parcours.audit.services import record
from parcours.dossiers.models import DocumentSlot
from parcours.dossiers.workflow import DossierStatus, SlotStatus, slot_transition_allowed
from parcours.exchanges import permissions as exchange_permissions
from parcours.exchanges.models import Candidature, GrantRate, MobilityFile
from parcours.exchanges.services import STUDY_KINDS, MobilityError
from parcours.exchanges.workflow import CandidatureStatus
from parcours.notifications.services import notify
from parcours.regulation import mobility
from parcours.regulation.explain import Decision, RuleError, fr_date
from parcours.students.models import AcquiredCredit
from parcours.web.clock import now, today
from parcours.web.i18n import localized, reasons_sentence

PROCEDURE = "Procédure mobilité AS, 2"
# The documents of the mobility dossier, by phase (seed 000, 2; art. 201 for the insurance).
FILE_DOCUMENTS = {
    "assurance": ("Attestation d'assurance responsabilité civile pour le séjour", "Art. 201"),
    "attestation_sejour": ("Attestation de séjour signée par l'établissement d'accueil (dates d'arrivée et de départ)",
                           f"{PROCEDURE} (PENDANT)"),
    "releve_accueil": ("Relevé de notes ou certificat de stage de l'établissement d'accueil", f"{PROCEDURE} (APRÈS)"),
}
REPORT_QUESTIONS = [
    ("accueil", gettext_lazy("Comment avez-vous été accueilli(e) par l'établissement d'accueil ?")),
    ("programme", gettext_lazy("Le programme suivi correspondait-il à la convention ? Qu'avez-vous appris ?")),
    ("vie", gettext_lazy("Logement, coût de la vie, démarches : que conseilleriez-vous au prochain étudiant ?")),
    ("recommandation", gettext_lazy("Recommanderiez-vous cette destination ? (oui / non, et pourquoi)")),
]
TFE_OR_STAGE = re.compile(r"\b(tfe|travail de fin d'études|stage)\b", re.IGNORECASE)


def _text(decision: Decision) -> str:
    return reasons_sentence(decision.reasons)  # in the language of the person who asked


def _file(file_id: int) -> MobilityFile:
    f = (MobilityFile.objects.select_for_update(of=("self",))
         .select_related("candidature__student__user", "candidature__call__programme", "candidature__destination__host",
                         "candidature__dossier", "candidature__managing_institution")
         .filter(pk=file_id).first())
    if f is None:
        raise MobilityError(gettext("Dossier de mobilité inconnu."))
    return f


def _runner(actor, f: MobilityFile) -> None:
    if not exchange_permissions.runs_file(actor, f.candidature):
        raise MobilityError(gettext("Seul le coordinateur de l'établissement gestionnaire (ou le Bureau International) agit ici."))


def _owner(actor, f: MobilityFile) -> None:
    if f.candidature.student.user_id != actor.pk:
        raise MobilityError(gettext("Seul l'étudiant en mobilité effectue cette étape."))


def _slot(f: MobilityFile, code: str) -> DocumentSlot | None:
    return f.candidature.dossier.slots.filter(code=code).first()


def _verified(f: MobilityFile, code: str) -> bool:
    slot = _slot(f, code)
    return slot is not None and slot.status == SlotStatus.ACCEPTED


@transaction.atomic
def open_file(*, actor, candidature_id: int, start: dt.date, end: dt.date) -> MobilityFile:
    c = (Candidature.objects.select_for_update(of=("self",)).select_related("destination__host", "call__programme", "dossier")
         .filter(pk=candidature_id).first())
    if c is None:
        raise MobilityError(gettext("Candidature inconnue."))
    if not exchange_permissions.runs_file(actor, c):
        raise MobilityError(gettext("Le dossier de mobilité est ouvert par le coordinateur de l'établissement gestionnaire."))
    if c.status != CandidatureStatus.SELECTED:
        raise MobilityError(gettext("Le dossier de mobilité suit une candidature retenue."))
    if MobilityFile.objects.filter(candidature=c).exists():
        raise MobilityError(gettext("Le dossier de mobilité est déjà ouvert."))
    if c.department_authorised is not True:
        raise MobilityError(gettext("Le séjour doit d'abord être autorisé par le directeur de département (art. 214)."))
    try:
        check = mobility.duration(mobility.DurationFacts(kind=c.destination.kind, start=start, end=end))
    except RuleError as exc:
        raise MobilityError(localized(exc)) from None
    if not check.outcome:
        raise MobilityError(gettext("Durée prévue non conforme : %(reasons)s") % {"reasons": _text(check)})
    try:
        with transaction.atomic():
            f = MobilityFile.objects.create(candidature=c, planned_start=start, planned_end=end, opened_by=actor)
    except IntegrityError:
        raise MobilityError(gettext("Le dossier de mobilité est déjà ouvert.")) from None
    for code, (label, article) in FILE_DOCUMENTS.items():
        if code == "releve_accueil" and c.destination.kind not in STUDY_KINDS:
            label = "Certificat de stage de l'organisme d'accueil"
        DocumentSlot.objects.get_or_create(dossier=c.dossier, code=code, defaults={
            "label": label, "article": article, "due_date": start if code == "assurance" else None})
    if c.dossier.status != DossierStatus.OPEN:
        c.dossier.status = DossierStatus.OPEN
        c.dossier.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="exchanges.file.opened", target=f,
           summary=f"Dossier de mobilité ouvert par {actor.get_full_name()} : du {fr_date(start)} au {fr_date(end)}")
    return f


@transaction.atomic
def verify_document(*, actor, slot_id: int, accept: bool, reason: str = "", arrival: dt.date | None = None,
                    departure: dt.date | None = None) -> DocumentSlot:
    """The coordinator verifies a mobility document. The attestation de séjour is checked against its dates, which
    cannot lie in the future: the arrival opens DURING, the departure AFTER (seed 000, 2)."""
    slot = DocumentSlot.objects.select_for_update().select_related("dossier").filter(pk=slot_id).first()
    c = Candidature.objects.select_related("call__programme", "managing_institution").filter(
        dossier_id=slot.dossier_id).first() if slot else None
    if slot is None or c is None:
        raise MobilityError(gettext("Document inconnu."))
    f = MobilityFile.objects.filter(candidature=c).first()
    if slot.code in FILE_DOCUMENTS:
        if f is None or not exchange_permissions.runs_file(actor, c):
            raise MobilityError(gettext("Seul le coordinateur de l'établissement gestionnaire vérifie les documents de mobilité."))
        f = _file(f.pk)
    elif not exchange_permissions.is_committee(actor, c.call):
        raise MobilityError(gettext("Seuls les coordinateurs qui reçoivent la candidature en vérifient les pièces."))
    elif c.status == CandidatureStatus.DRAFT:
        raise MobilityError(gettext("Les pièces se vérifient une fois la candidature soumise."))
    target = SlotStatus.ACCEPTED if accept else SlotStatus.REFUSED
    if slot_transition_allowed(slot.status, target) != "reviewer":
        raise MobilityError(gettext("Impossible de passer de « %(current)s » à « %(target)s ».")
            % {"current": slot.get_status_display(), "target": SlotStatus(target).label})
    reason = reason.strip()
    if not accept and not reason:
        raise MobilityError(gettext("Indiquez le motif du refus : l'étudiant doit savoir quoi corriger."))
    summary = ""
    if accept and slot.code == "attestation_sejour":
        if arrival is None:
            raise MobilityError(gettext("Reportez la date d'arrivée attestée par l'établissement d'accueil."))
        check = mobility.stay(mobility.StayFacts(kind=c.destination.kind, arrival=arrival, departure=departure,
                                                 today=today()))
        if not check.outcome:
            raise MobilityError(gettext("Attestation non conforme : %(reasons)s") % {"reasons": _text(check)})
        f.arrival, f.departure = arrival, departure
        f.phase = MobilityFile.Phase.AFTER if departure else MobilityFile.Phase.DURING
        f.save()
        summary = f" — arrivée {fr_date(arrival)}" + (f", départ {fr_date(departure)}" if departure else "")
    if accept and slot.code == "releve_accueil" and (f is None or f.phase != MobilityFile.Phase.AFTER):
        raise MobilityError(gettext("Le relevé de l'établissement d'accueil se vérifie après le séjour attesté."))
    slot.status, slot.refusal_reason = target, "" if accept else reason
    slot.reviewed_by, slot.reviewed_at = actor, now()
    slot.save()
    if accept and slot.code == "attestation_sejour" and not departure:
        # The same attestation comes back with the departure date at the end of the stay.
        slot.status, slot.label = SlotStatus.REQUESTED, FILE_DOCUMENTS["attestation_sejour"][0] + " — départ à attester"
        slot.save()
    verb = "vérifié" if accept else "refusé"
    record(actor=actor, action=f"exchanges.document.{'verified' if accept else 'refused'}", target=c,
           summary=f"Document {verb} : {slot.label}" + (summary or ("" if accept else f" — {reason}")))
    notify(user=c.student.user, template="document_reviewed", url=f"/dossiers/{slot.dossier_id}/",
           context={"slot": slot, "dossier": slot.dossier, "accepted": accept, "reason": reason})
    return slot


@transaction.atomic
def request_social_inquiry(*, actor, file_id: int, on: dt.date) -> MobilityFile:
    """Optional: the student asks the social worker for an appointment (additional financial aid)."""
    f = _file(file_id)
    _owner(actor, f)
    if f.social_inquiry_requested_on:
        raise MobilityError(gettext("Le rendez-vous est déjà demandé."))
    f.social_inquiry_requested_on = on
    f.save()
    from parcours.accounts.models import RoleAssignment

    workers = RoleAssignment.objects.filter(role="assistant_social",
                                            department=f.candidature.call.programme.department).select_related("user")
    for a in workers:
        notify(user=a.user, template="office_message", url=f"/mobilite/dossiers/{f.pk}/", context={
            "subject": f"Enquête sociale demandée : {f.candidature.student.user.get_full_name()}",
            "body": "Fixez le rendez-vous dans le dossier de mobilité."})
    record(actor=actor, action="exchanges.file.social_inquiry", target=f, summary="Rendez-vous demandé au travailleur social")
    return f


@transaction.atomic
def record_social_inquiry(*, actor, file_id: int, appointment_at: dt.datetime | None = None, outcome: str = "",
                          amount: Decimal | None = None) -> MobilityFile:
    """The social worker records the appointment, then its outcome (extra aid granted or not, and how much)."""
    f = _file(file_id)
    if not exchange_permissions.is_social_worker(actor, f.candidature):
        raise MobilityError(gettext("Seul le travailleur social du département enregistre l'enquête sociale."))
    if not f.social_inquiry_requested_on:
        raise MobilityError(gettext("L'étudiant n'a pas demandé d'enquête sociale."))
    if appointment_at is not None:
        f.social_appointment_at = appointment_at
        summary = f"Rendez-vous fixé le {appointment_at:%d/%m/%Y à %H:%M}"
    elif outcome:
        if f.social_appointment_at is None:
            raise MobilityError(gettext("Fixez d'abord le rendez-vous."))
        if outcome not in MobilityFile.Outcome.values:
            raise MobilityError(gettext("Issue inconnue."))
        if outcome == MobilityFile.Outcome.GRANTED and (amount is None or not 0 < amount < 1_000_000):
            raise MobilityError(gettext("Indiquez le montant de l'aide accordée (en euros, moins d'un million)."))
        f.social_outcome = outcome
        f.social_aid_amount = amount if outcome == MobilityFile.Outcome.GRANTED else None
        summary = f"Enquête sociale : {f.get_social_outcome_display()}" + (f" ({amount} €)" if f.social_aid_amount else "")
    else:
        raise MobilityError(gettext("Indiquez le rendez-vous ou l'issue de l'enquête."))
    f.save()
    record(actor=actor, action="exchanges.file.social_inquiry_recorded", target=f, summary=summary)
    notify(user=f.candidature.student.user, template="office_message", url=f"/mobilite/dossiers/{f.pk}/",
           context={"subject": "Enquête sociale", "body": summary})
    return f


def grant_rate_for(f: MobilityFile) -> GrantRate | None:
    c = f.candidature
    purpose = "etudes" if c.destination.kind in STUDY_KINDS else "stage"
    for rate in GrantRate.objects.filter(institution=c.managing_institution, purpose=purpose):
        if rate.covers(c.destination.host.country):
            return rate
    return None


def grant_decision(f: MobilityFile) -> Decision | None:
    rate = grant_rate_for(f)
    if rate is None:
        return None
    return mobility.grant(mobility.GrantFacts(
        start=f.planned_start, end=f.planned_end, monthly_rate=rate.monthly, fwb_topup_monthly=rate.fwb_topup_monthly,
        fwb_boursier=f.candidature.fwb_boursier, first_instalment_percent=rate.first_instalment_percent))


@transaction.atomic
def set_bank_account(*, actor, file_id: int, iban: str, holder: str) -> MobilityFile:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    f = _file(file_id)
    if f.candidature.student.user_id != actor.pk:
        _runner(actor, f)
    try:
        value = IBAN(iban)
    except SchwiftyException:
        raise MobilityError(gettext("IBAN invalide : vérifiez le numéro de compte (ex. BE68 5390 0754 7034).")) from None
    if not holder.strip():
        raise MobilityError(gettext("Indiquez le titulaire du compte."))
    if f.contract_issued_on:
        raise MobilityError(gettext("Le contrat est émis : le compte ne change plus sans nouveau contrat."))
    f.iban, f.account_holder = value.compact, holder.strip()
    f.save()
    record(actor=actor, action="exchanges.file.bank_account", target=f, summary=f"Compte bancaire : {value.formatted}")
    return f


def contract_window(f: MobilityFile) -> tuple[dt.date, dt.date]:
    """Seed 000, 2 AVANT: "dans le mois qui précède la date de début de la mobilité"."""
    return f.planned_start - relativedelta(months=1), f.planned_start - dt.timedelta(days=1)


def contract_conditions(f: MobilityFile) -> list[str]:
    """What is still missing before the contract can be issued (the conditions of the mobility)."""
    missing = []
    la = f.agreements.first()
    if la is None or la.status == la.Status.DRAFT or not la.conform:
        missing.append(gettext("une convention d'études ou de stage conforme, envoyée pour signature (art. 215)"))
    if not _verified(f, "assurance"):
        missing.append(gettext("l'attestation d'assurance vérifiée (art. 201)"))
    pending = f.candidature.dossier.slots.filter(required=True).exclude(code__in=list(FILE_DOCUMENTS)).exclude(
        status=SlotStatus.ACCEPTED)
    if pending.exists():
        missing.append(gettext("les pièces de candidature vérifiées"))
    if not f.iban:
        missing.append(gettext("le compte bancaire (IBAN)"))
    if grant_rate_for(f) is None:
        missing.append(gettext("le taux de bourse de l'établissement gestionnaire pour ce pays"))
    return missing


@transaction.atomic
def issue_contract(*, actor, file_id: int, on: dt.date | None = None) -> MobilityFile:
    """The grant contract: amount, schedule, account, dates; issued in the month before departure, conditions met."""
    on = on or today()
    f = _file(file_id)
    _runner(actor, f)
    if not f.candidature.wants_grant:
        raise MobilityError(gettext("L'étudiant n'a pas demandé de bourse."))
    if f.contract_issued_on:
        raise MobilityError(gettext("Le contrat de bourse est déjà émis."))
    opens, closes = contract_window(f)
    if not opens <= on <= closes:
        raise MobilityError(gettext("Le contrat de bourse s'émet dans le mois qui précède le départ : du %(opens)s au "
                                    "%(closes)s (%(procedure)s).")
                            % {"opens": fr_date(opens), "closes": fr_date(closes), "procedure": PROCEDURE})
    missing = contract_conditions(f)
    if missing:
        raise MobilityError(gettext("Conditions de la mobilité non remplies : %(missing)s.") % {"missing": " ; ".join(missing)})
    decision = grant_decision(f)
    f.grant_amount, f.grant_computation, f.contract_issued_on = decision.outcome, decision.to_dict(), on
    f.save()
    record(actor=actor, action="exchanges.file.contract_issued", target=f,
           summary=f"Contrat de bourse émis : {decision.outcome} €".replace(".", ","))
    student = f.candidature.student.user
    with override(student.language):  # the office's message, written here: in the student's language
        amount = str(decision.outcome).replace(".", ",") if student.language == "fr" else str(decision.outcome)
        context = {"subject": gettext("Contrat de bourse à signer"), "body": gettext(
            "Montant : %(amount)s €. Vous êtes convoqué(e) pour la signature avant le départ.") % {"amount": amount}}
    notify(user=student, template="office_message", url=f"/mobilite/dossiers/{f.pk}/", context=context)
    return f


@transaction.atomic
def sign_grant_contract(*, actor, file_id: int, on: dt.date | None = None) -> MobilityFile:
    on = on or today()
    f = _file(file_id)
    _runner(actor, f)
    if not f.contract_issued_on:
        raise MobilityError(gettext("Le contrat de bourse doit d'abord être émis."))
    if f.grant_contract_signed_on:
        raise MobilityError(gettext("Le contrat de bourse est déjà signé."))
    opens, closes = contract_window(f)
    if not max(opens, f.contract_issued_on) <= on <= closes:
        raise MobilityError(gettext("Le contrat de bourse se signe avant le départ, entre le %(issued)s et le %(closes)s.")
                            % {"issued": fr_date(f.contract_issued_on), "closes": fr_date(closes)})
    f.grant_contract_signed_on = on
    f.save()
    record(actor=actor, action="exchanges.file.grant_contract", target=f, summary=f"Contrat de bourse signé le {fr_date(on)}")
    return f


def _weighted(lines) -> Decimal:
    total = sum(line.ects for line in lines)
    return (sum(line.converted_grade * line.ects for line in lines) / total).quantize(Decimal("0.1"))


@transaction.atomic
def recognise_credits(*, actor, file_id: int, grades: dict[int, dict], confirm_tfe_stage: bool = False) -> int:
    """AFTER: the verified host transcript; each table-A component maps to a home UE of table B with the host grade
    and its conversion to /20 (art. 215). A TFE or a stage is recognised only on explicit confirmation."""
    f = _file(file_id)
    _runner(actor, f)
    if f.phase != MobilityFile.Phase.AFTER:
        raise MobilityError(gettext("La reconnaissance suit le retour attesté (attestation de séjour avec la date de départ)."))
    la = f.agreements.filter(status="signee").first()
    if la is None or la != f.agreements.first():
        raise MobilityError(gettext("La reconnaissance se fait sur la dernière convention signée par les trois parties."))
    if not _verified(f, "releve_accueil"):
        raise MobilityError(gettext("Le relevé de notes ou le certificat de stage de l'établissement d'accueil doit d'abord être "
                                    "déposé et vérifié."))
    home = {line.ue_id: line for line in la.lines.filter(side="home").select_related("ue")}
    host = list(la.lines.filter(side="host").exclude(change="deleted"))
    for line in host:
        g = grades.get(line.pk)
        if not g or not str(g.get("grade", "")).strip():
            raise MobilityError(gettext("Note de l'établissement d'accueil manquante pour %(code)s — %(title)s.")
                % {"code": line.code, "title": line.title})
        if g.get("ue") not in home:
            raise MobilityError(gettext("Choisissez l'UE du tableau B que %(code)s permet de reconnaître.") % {"code": line.code})
        try:
            converted = mobility.convert_grade(mobility.GradeFacts(
                host_grade=Decimal(str(g["grade"]).replace(",", ".")),
                host_max=Decimal(str(g.get("max", "20")).replace(",", ".")),
                host_pass=Decimal(str(g.get("pass", "10")).replace(",", "."))))
        except (InvalidOperation, ValueError, RuleError) as exc:
            raise MobilityError(gettext("Note invalide pour %(code)s : %(error)s") % {"code": line.code, "error": exc}) from None
        line.host_grade = f"{g['grade']}/{g.get('max', '20')}"
        line.converted_grade, line.recognised_as_id = converted.outcome, g["ue"]
    uncovered = [h.ue.code for ue_id, h in home.items() if ue_id not in {line.recognised_as_id for line in host}]
    if uncovered:
        raise MobilityError("UE du tableau B sans composante d'accueil correspondante : " + ", ".join(uncovered) + ".")
    sensitive = [h.ue.title for h in home.values() if TFE_OR_STAGE.search(h.ue.title) or TFE_OR_STAGE.search(h.ue.code)]
    if sensitive and not confirm_tfe_stage:
        raise MobilityError("Cette reconnaissance remplace un TFE ou un stage (" + ", ".join(sensitive) + ") : cochez la "
                            "confirmation explicite.")
    for line in host:
        line.save(update_fields=["host_grade", "converted_grade", "recognised_as"])
    count = 0
    for ue_id, h in home.items():
        note = _weighted([line for line in host if line.recognised_as_id == ue_id])
        _, made = AcquiredCredit.objects.update_or_create(student=f.candidature.student, ue=h.ue, defaults={
            "academic_year": f.candidature.call.mobility_year, "valorised": True, "note": note})
        count += 1
    f.recognised_on = today()
    f.save()
    record(actor=actor, action="exchanges.file.recognised", target=f,
           summary=f"{count} UE reconnue(s) selon la convention v{la.version}, notes de l'établissement d'accueil converties")
    notify(user=f.candidature.student.user, template="office_message", url=f"/mobilite/dossiers/{f.pk}/", context={
        "subject": "Crédits de mobilité reconnus", "body": "Vos notes de l'établissement d'accueil et leur conversion "
        "sont visibles dans votre dossier de mobilité."})
    return count


@transaction.atomic
def submit_report(*, actor, file_id: int, answers: dict[str, str], on: dt.date | None = None) -> MobilityFile:
    """AFTER: the mobility report, a short questionnaire filled in online after return."""
    f = _file(file_id)
    _owner(actor, f)
    if f.phase != MobilityFile.Phase.AFTER:
        raise MobilityError(gettext("Le rapport de mobilité se remplit après le retour."))
    clean = {code: str(answers.get(code, "")).strip()[:2000] for code, _ in REPORT_QUESTIONS}
    empty = [q for code, q in REPORT_QUESTIONS if not clean[code]]
    if empty:
        raise MobilityError(gettext("Répondez à chaque question du rapport : %(questions)s")
                            % {"questions": " ".join(str(q) for q in empty)})
    f.report, f.report_submitted_on = clean, on or today()
    f.save()
    record(actor=actor, action="exchanges.file.report", target=f, summary="Rapport de mobilité complété")
    return f


@transaction.atomic
def close(*, actor, file_id: int) -> MobilityFile:
    f = _file(file_id)
    _runner(actor, f)
    if f.phase != MobilityFile.Phase.AFTER:
        raise MobilityError(gettext("Le dossier se clôture après la mobilité."))
    if f.report_submitted_on is None or f.recognised_on is None:
        raise MobilityError(gettext("Le dossier se clôture quand le rapport est complété et les crédits reconnus."))
    open_slots = f.candidature.dossier.slots.filter(required=True).exclude(status=SlotStatus.ACCEPTED)
    if open_slots.exists():
        raise MobilityError("Documents encore à vérifier : " + ", ".join(s.label for s in open_slots) + ".")
    f.phase = MobilityFile.Phase.CLOSED
    f.save()
    dossier = f.candidature.dossier
    dossier.status = DossierStatus.CLOSED
    dossier.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="exchanges.file.closed", target=f, summary="Dossier de mobilité clôturé")
    return f
