"""Reads of the mobility screens: what each person sees and may do on a candidature or a mobility dossier."""

from django.db.models import Q
from django.utils.translation import gettext

from parcours.accounts import permissions
from parcours.dossiers.workflow import SlotStatus
from parcours.exchanges import agreements, ewp, files
from parcours.exchanges import permissions as exchange_permissions
from parcours.exchanges.models import AgreementLine, Candidature, HostCourse, MobilityFile
from parcours.exchanges.services import OFFICE, completeness, deadline_for, eligibility
from parcours.institutions.models import Institution, Programme
from parcours.regulation.params import load_year
from parcours.web.clock import today
from parcours.web.i18n import label_text

YEAR = "2023-2024"


def programmes_for_calls(user) -> list[Programme]:
    return [p for p in Programme.objects.order_by("name") if permissions.can_act_on_programme(user, p, OFFICE)]


def hosts():
    return Institution.objects.filter(kind=Institution.Kind.HOST).order_by("country", "name")


def kinds() -> list[tuple[str, str]]:
    return [(code, k.label) for code, k in load_year(YEAR).mobility.kinds.items()]


def year_deadlines():
    c = load_year(YEAR).mobility.candidature
    return {"general": c.deadline, "canada": c.deadline_canada}


def contacts() -> dict:
    return load_year(YEAR).mobility.candidature.contacts


def formatted_iban(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def candidature_page(user, c: Candidature) -> dict:
    check = completeness(c, today())
    member, _ = exchange_permissions.committee_institution(user, c.call)
    receptions = {r.institution_id: r for r in c.receptions.all()}
    partner_ids = permissions.partner_institutions(user, {"coordinateur_ri"})
    recipients = [(i, receptions.get(i.pk)) for i in c.call.recipients.all()]
    evaluations = list(c.evaluations.select_related("member", "institution"))
    mine = next((e for e in evaluations if e.member_id == user.pk), None)
    is_owner = c.student.user_id == user.pk
    deadline = deadline_for(c)
    file = MobilityFile.objects.filter(candidature=c).first()
    shown: set = set()
    conditions = []
    for choice, decision in zip(c.choices.select_related("destination__host"), eligibility(c), strict=True):
        fresh = [r for r in decision.reasons if (r.article, r.text) not in shown]  # say each condition once
        shown.update((r.article, r.text) for r in decision.reasons)
        conditions.append((choice.destination, decision.outcome, fresh))
    return {
        "c": c, "check": check, "conditions": conditions, "today": today(), "deadline": deadline,
        "days_left": (deadline - today()).days, "is_owner": is_owner, "is_committee": member,
        "can_open_file": c.status == "retenue" and file is None and c.department_authorised is True
        and exchange_permissions.runs_file(user, c),
        "can_authorise": c.status == "retenue" and c.department_authorised is None
        and exchange_permissions.authorises(user, c),
        "is_office": exchange_permissions.is_office(user, c.call),
        "partner_ids": partner_ids, "recipients": recipients, "file": file,
        "not_sent": [i for i, r in recipients if r is None or not (r.sent_on or r.received_at)],
        "evaluations": evaluations, "my_evaluation": mine,
        "can_decide": member and bool(evaluations) and c.status in ("soumise", "attente"),
        "choices": c.choices.select_related("destination__host"), "contacts": contacts(),
        "chosen": [ch.destination for ch in c.choices.select_related("destination__host")],
        "slots": c.dossier.slots.exclude(code__in=list(files.FILE_DOCUMENTS)).select_related("file"),
        "can_verify": member and c.status != "brouillon",
    }


def agreement_tables(la) -> dict:
    lines = list(la.lines.select_related("recognised_as"))
    table_a = [line for line in lines if line.side == "host" and line.change != "deleted"]
    return {"a": table_a, "b": [line for line in lines if line.side == "home"],
            "changes": [line for line in lines if line.side == "host" and line.change],
            "a_total": sum(line.ects for line in table_a),
            "b_total": sum(line.ects for line in lines if line.side == "home")}


def file_page(user, f: MobilityFile) -> dict:
    c = f.candidature
    runs = exchange_permissions.runs_file(user, c)
    la = f.agreements.prefetch_related("lines").first()
    base = la
    slots = {s.code: s for s in c.dossier.slots.select_related("file")}
    is_owner = c.student.user_id == user.pk
    selected_courses = {line.host_course_id for line in base.lines.all() if line.side == "host"
                        and line.change != "deleted"} if base else set()
    selected_home = {line.ue_id for line in base.lines.all() if line.side == "home"} if base else set()
    home = c.managing_institution
    contact = contacts().get(home.code) if home else None
    opens, closes = files.contract_window(f)
    return {
        "f": f, "c": c, "la": la, "tables": agreement_tables(la) if la else None, "is_owner": is_owner,
        "is_office": runs, "today": today(), "contact": contact,
        "platform": contact.platform if contact else None,
        "studies": agreements.is_studies(f), "versions": f.agreements.all(), "may_edit": agreements.may_edit(user, f)
        and f.phase in (MobilityFile.Phase.BEFORE, MobilityFile.Phase.DURING),
        "catalogue": HostCourse.objects.filter(host=c.destination.host),
        "selected_courses": selected_courses, "selected_home": selected_home,
        "home_ues": c.call.programme.ues.order_by("bloc", "code"),
        "reasons": AgreementLine.REASONS, "needs_reason": la is not None and la.status != "brouillon",
        "documents": [slots[code] for code in files.FILE_DOCUMENTS if code in slots],
        "grant": files.grant_decision(f) if c.wants_grant and c.managing_institution_id else None,
        "contract_missing": files.contract_conditions(f) if runs and not f.contract_issued_on else [],
        "contract_window": (opens, closes), "in_window": opens <= today() <= closes,
        "social_worker": exchange_permissions.is_social_worker(user, c),
        "outcomes": MobilityFile.Outcome.choices, "questions": [(k, q, f.report.get(k, "")) for k, q in
                                                               files.REPORT_QUESTIONS],
        "can_read_report": runs or is_owner or permissions.can_act_on_programme(user, c.call.programme, OFFICE),
        "tfe_stage": bool(la) and any(files.TFE_OR_STAGE.search(f"{line.code} {line.title}")
                                      for line in la.lines.all() if line.side == "home"),
        "can_recognise": runs and f.phase == MobilityFile.Phase.AFTER and la is not None and la.status == "signee"
        and slots.get("releve_accueil") is not None and slots["releve_accueil"].status == SlotStatus.ACCEPTED
        and not f.recognised_on,
        "exportable": runs and la is not None and not ewp.missing_data(f),
    }


def ri_home(user) -> dict | None:
    """The international office's and RI coordinators' mobility files by phase, each with what waits for them; for the
    department direction, the stays waiting for its authorisation (art. 214)."""
    partners = permissions.partner_institutions(user, {"coordinateur_ri"})
    with_calls = Programme.objects.filter(mobility_calls__isnull=False).distinct()
    programmes = [p.pk for p in with_calls if permissions.can_act_on_programme(user, p, OFFICE)]
    directed = [p.pk for p in with_calls if permissions.can_act_on_programme(user, p, {"direction_departement"})]
    to_authorise = list(Candidature.objects.filter(status="retenue", department_authorised__isnull=True,
                                                   call__programme__in=directed)
                        .select_related("student__user", "destination__host"))
    if not partners and not programmes:
        return {"to_authorise": to_authorise, "phases": None} if directed else None
    visible = Q(candidature__managing_institution__in=partners) | Q(candidature__call__programme__in=programmes)
    phases = {p: [] for p, _ in MobilityFile.Phase.choices}
    for f in (MobilityFile.objects.filter(visible).select_related(
            "candidature__student__user", "candidature__destination__host", "candidature__managing_institution")
            .prefetch_related("candidature__dossier__slots", "agreements").order_by("planned_start")):
        phases[f.phase].append((f, _waiting(f)))
    pending = Candidature.objects.filter(status__in=["soumise", "attente"]).filter(
        Q(call__recipients__in=partners) | Q(call__programme__in=programmes)).distinct().count()
    to_open = Candidature.objects.filter(status="retenue", mobility_file__isnull=True).filter(
        Q(managing_institution__in=partners) | Q(call__programme__in=programmes)).distinct().count()
    return {"phases": [(code, label, phases[code]) for code, label in MobilityFile.Phase.choices],
            "pending": pending, "to_open": to_open, "to_authorise": to_authorise}


def _waiting(f: MobilityFile) -> list[str]:
    waits = [gettext("document à vérifier : %(label)s") % {"label": label_text(s.label)}
             for s in f.candidature.dossier.slots.all() if s.status == SlotStatus.RECEIVED]
    la = f.agreements.all()[0] if f.agreements.all() else None
    if f.phase == MobilityFile.Phase.BEFORE:
        if la is None:
            waits.append(gettext("convention à établir"))
        elif la.status == "envoyee" and not la.sending_signed_at:
            waits.append(gettext("convention à signer (établissement d'envoi)"))
        elif la.status == "brouillon":
            waits.append(gettext("convention en préparation"))
        if f.candidature.wants_grant and not f.contract_issued_on:
            opens, _ = files.contract_window(f)
            waits.append(gettext("contrat de bourse à émettre dès le %(date)s") % {"date": f"{opens:%d/%m/%Y}"})
    if f.phase == MobilityFile.Phase.AFTER and not f.recognised_on:
        waits.append(gettext("reconnaissance des crédits"))
    if f.phase == MobilityFile.Phase.AFTER and f.recognised_on and f.report_submitted_on:
        waits.append(gettext("dossier à clôturer"))
    return waits
