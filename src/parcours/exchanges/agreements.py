"""The learning agreement in the European template (art. 215): a structured editor over the host's course catalogue,
each version started from the previous one, the credit checks on table A, sending for signature only when
conforming, and the three signatures dated by the one clock."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from parcours.audit.services import record
from parcours.exchanges import permissions as exchange_permissions
from parcours.exchanges.files import _file, _runner
from parcours.exchanges.models import AgreementLine, HostCourse, LearningAgreement, MobilityFile
from parcours.exchanges.services import STUDY_KINDS, MobilityError
from parcours.institutions.models import UE
from parcours.regulation import mobility
from parcours.regulation.explain import Decision, Explanation, gettext_noop, joined
from parcours.web.clock import now

CHANGE_REASONS = dict(AgreementLine.REASONS)


def is_studies(f: MobilityFile) -> bool:
    return f.candidature.destination.kind in STUDY_KINDS


def check(f: MobilityFile, host: list[tuple[int, int]], traineeship: dict | None = None) -> Decision:
    """Art. 215 on table A alone: (ECTS, quadrimestre) of the host components kept in this version. A traineeship
    states its programme instead (title, weekly hours, detailed programme)."""
    if not is_studies(f):
        ex = Explanation()
        t = traineeship or {}
        missing = [label for key, label in (("traineeship_title", gettext_noop("l'intitulé")), ("hours_per_week",
                   gettext_noop("les heures par semaine")), ("traineeship_programme", gettext_noop("le programme détaillé")))
                   if not t.get(key)]
        if missing:
            ex.add("Art. 215", gettext_noop("Convention de stage : indiquez {missing} (tableau A du modèle européen).",
                                            missing=joined(missing, ", ")))
        else:
            ex.add("Art. 215", gettext_noop("Convention de stage : programme décrit au tableau A, évalué à la Haute École "
                                            "(SMT), sans fourchette de crédits par quadrimestre."))
        return ex.decide(bool(host) and not missing)
    by_q: dict[int, int] = {}
    for ects, q in host:
        by_q[q] = by_q.get(q, 0) + ects
    return mobility.learning_agreement(mobility.LearningAgreementFacts(
        quadrimestre_credits=[by_q[q] for q in sorted(by_q)] or [0]))


def _can_edit(actor, f: MobilityFile) -> None:
    if f.candidature.student.user_id != actor.pk:
        _runner(actor, f)


@transaction.atomic
def propose_agreement(*, actor, file_id: int, home_ue_ids: list[int], host_course_ids: list[int],
                      new_courses: list[dict] | None = None, reason: str = "", reason_code: str = "",
                      language: str = "en", traineeship: dict | None = None) -> LearningAgreement:
    """Save the editor: table B (home UEs), table A (courses of the host's catalogue, new ones added to it). A draft
    version is updated in place; once sent or signed, a change makes a new version with its reason (DURING)."""
    f = _file(file_id)
    _can_edit(actor, f)
    if f.phase in (MobilityFile.Phase.AFTER, MobilityFile.Phase.CLOSED):
        raise MobilityError(gettext("La convention ne change plus après la mobilité."))
    host_institution = f.candidature.destination.host
    courses = list(HostCourse.objects.filter(pk__in=host_course_ids, host=host_institution))
    if len(courses) != len(set(host_course_ids)):
        raise MobilityError(gettext("Choisissez des cours du catalogue de l'établissement d'accueil."))
    for spec in new_courses or []:
        code, title = str(spec.get("code", "")).strip(), str(spec.get("title", "")).strip()
        if not code and not title:
            continue
        try:
            ects, semester = int(spec.get("ects") or 0), int(spec.get("semester") or 1)
        except (TypeError, ValueError):
            raise MobilityError(gettext("ECTS et quadrimestre s'écrivent en chiffres.")) from None
        if not code or not title or not 1 <= ects <= 60 or semester not in (1, 2):
            raise MobilityError(gettext("Nouveau cours : code, intitulé, ECTS (1 à 60) et quadrimestre (1 ou 2)."))
        if len(code) > 40 or len(title) > 200:  # the columns of the catalogue and of the agreement lines
            raise MobilityError(gettext("Nouveau cours : code de 40 et intitulé de 200 caractères au plus."))
        course, _ = HostCourse.objects.get_or_create(host=host_institution, code=code, defaults={
            "title": title, "ects": ects, "semester": semester})
        if course not in courses:
            courses.append(course)
    home = list(UE.objects.filter(pk__in=home_ue_ids, programme=f.candidature.call.programme))
    if not home or not courses:
        raise MobilityError(gettext("La convention reprend ligne par ligne les UE remplacées (tableau B) et les activités "
                                    "d'accueil (tableau A) (art. 215)."))
    if language not in dict(LearningAgreement._meta.get_field("language").choices):
        language = "en"
    previous = f.agreements.first()
    reason = reason.strip()
    if len(reason) > 200:
        raise MobilityError(gettext("Le motif du changement tient en 200 caractères au plus."))
    if previous is not None and previous.status == LearningAgreement.Status.DRAFT:
        la = previous
        la.lines.all().delete()
        base = f.agreements.exclude(pk=la.pk).first()
    else:
        base = previous
        if base is not None and not reason:
            raise MobilityError(gettext("Toute modification de la convention signée indique son motif (section DURING)."))
        if base is not None and reason_code not in CHANGE_REASONS:
            raise MobilityError(gettext("Choisissez le motif du changement dans la liste du modèle européen."))
        la = LearningAgreement(file=f, version=(base.version + 1) if base else 1)
    la.language = language
    # The text starts from the latest version (the draft itself, or the signed one it changes).
    values = {k: getattr(previous, k) for k in LearningAgreement.TRAINEESHIP_FIELDS} if previous else {}
    for key, value in (traineeship or {}).items():
        if key in LearningAgreement.TRAINEESHIP_FIELDS:
            values[key] = value
    try:
        hours = values.get("hours_per_week")
        values["hours_per_week"] = int(hours) if hours not in (None, "") else None
    except (TypeError, ValueError):
        raise MobilityError(gettext("Heures de travail par semaine : un nombre entier.")) from None
    if values["hours_per_week"] is not None and not 1 <= values["hours_per_week"] <= 60:
        raise MobilityError(gettext("Heures de travail par semaine : entre 1 et 60."))
    for key in LearningAgreement.TRAINEESHIP_FIELDS:
        value = values.get(key)
        setattr(la, key, value if key == "hours_per_week" else str(value or "").strip()[:4000 if key != "traineeship_title"
                                                                                           else 200])
    kept = [(c.ects, c.semester) for c in courses]
    la.verification = check(f, kept, {k: getattr(la, k) for k in LearningAgreement.TRAINEESHIP_FIELDS}).to_dict()
    la.save()
    before = {line.host_course_id: line for line in base.lines.filter(side="host").exclude(change="deleted")} \
        if base else {}
    for ue in home:
        AgreementLine.objects.create(agreement=la, side="home", ue=ue, code=ue.code, title=ue.title, ects=ue.credits)
    for c in courses:
        inserted = base is not None and c.pk not in before
        AgreementLine.objects.create(agreement=la, side="host", host_course=c, code=c.code, title=c.title, ects=c.ects,
                                     quadrimestre=c.semester, change="inserted" if inserted else "",
                                     reason_code=reason_code if inserted else "", change_reason=reason if inserted else "")
    for course_id, line in before.items():
        if course_id not in {c.pk for c in courses}:
            AgreementLine.objects.create(agreement=la, side="host", host_course_id=course_id, code=line.code,
                                         title=line.title, ects=line.ects, quadrimestre=line.quadrimestre,
                                         change="deleted", reason_code=reason_code, change_reason=reason)
    record(actor=actor, action="exchanges.agreement.proposed", target=f,
           summary=f"Convention v{la.version} : {'conforme' if la.conform else 'non conforme'}"
           + (f" — motif : {reason}" if reason else ""))
    return la


def _agreement(agreement_id) -> LearningAgreement:
    la = LearningAgreement.objects.select_for_update().filter(pk=agreement_id).first()
    if la is None:
        raise MobilityError(gettext("Convention inconnue."))
    return la


@transaction.atomic
def send_for_signature(*, actor, agreement_id: int) -> LearningAgreement:
    la = _agreement(agreement_id)
    f = _file(la.file_id)
    _can_edit(actor, f)
    if la != f.agreements.first() or la.status != LearningAgreement.Status.DRAFT:
        raise MobilityError(gettext("Seule la dernière version, en préparation, s'envoie pour signature."))
    if not la.conform:
        raise MobilityError("Convention non conforme : corrigez-la avant de l'envoyer pour signature. "
                            + " ".join(r["text"] for r in la.verification.get("reasons", [])))
    la.status = LearningAgreement.Status.SENT
    la.save()
    record(actor=actor, action="exchanges.agreement.sent", target=f, summary=f"Convention v{la.version} envoyée pour signature")
    return la


@transaction.atomic
def sign_agreement(*, actor, agreement_id: int, party: str, signer: str = "") -> LearningAgreement:
    """The student, the sending institution (the managing coordinator) and the receiving institution (recorded by the
    coordinator from the host's signed copy, with its signatory) — after the grant contract when a grant was asked."""
    la = _agreement(agreement_id)
    f = _file(la.file_id)
    if la != f.agreements.first():
        raise MobilityError(gettext("Seule la dernière version de la convention se signe."))
    if la.status != LearningAgreement.Status.SENT:
        raise MobilityError(gettext("La convention se signe une fois envoyée pour signature, et une seule fois."))
    if f.candidature.wants_grant and f.grant_contract_signed_on is None:
        raise MobilityError(gettext("La convention se signe après le contrat de bourse (point 2, AVANT)."))
    stamp = now()
    if party == "student":
        if f.candidature.student.user_id != actor.pk:
            raise MobilityError(gettext("Seul l'étudiant signe pour lui-même."))
        if la.student_signed_at:
            raise MobilityError(gettext("Déjà signée par l'étudiant."))
        la.student_signed_at = stamp
    elif party == "sending":
        _runner(actor, f)
        if la.sending_signed_at:
            raise MobilityError(gettext("Déjà signée par l'établissement d'envoi."))
        la.sending_signed_at, la.sending_signer = stamp, actor.get_full_name()
    elif party == "receiving":
        _runner(actor, f)
        if la.receiving_signed_at:
            raise MobilityError(gettext("Déjà signée par l'établissement d'accueil."))
        if not signer.strip():
            raise MobilityError(gettext("Indiquez le signataire de l'établissement d'accueil (copie signée reçue)."))
        la.receiving_signed_at, la.receiving_signer = stamp, signer.strip()[:150]
    else:
        raise MobilityError(gettext("Signataire inconnu."))
    if la.signed:
        la.status = LearningAgreement.Status.SIGNED
    la.save()
    record(actor=actor, action=f"exchanges.agreement.signed_{party}", target=f,
           summary=f"Convention v{la.version} signée ({party}) le {timezone.localtime(stamp):%d/%m/%Y %H:%M}")
    return la


def may_edit(user, f: MobilityFile) -> bool:
    return f.candidature.student.user_id == user.pk or exchange_permissions.runs_file(user, f.candidature)
