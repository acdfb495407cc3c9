"""Decision letters (art. 28-29, 36, 39-41): the regulation's reasons, the motivation written by the person
who decided, the appeal route and — for an acceptance — what is due, how to pay it and what comes next."""

from django.conf import settings

from parcours.accounts import permissions
from parcours.accounts.models import Role
from parcours.admissions.models import AdmissionRequest
from parcours.admissions.services import AdmissionError
from parcours.documents.pdf import render_pdf
from parcours.dossiers.workflow import SlotStatus
from parcours.regulation.params import load_year

TITLES = {
    "irrecevabilite": "Demande d'admission irrecevable",
    "refus": "Refus d'inscription",
    "inscription": "Inscription régulière",
}


def signatory(req: AdmissionRequest) -> str:
    """Who signs: the domain direction when it decided for a department with no one in Parcours (art. 40), the
    admission commission when it did, else the department direction."""
    roles = permissions.roles_of(req.decided_by) if req.decided_by is not None else set()
    if Role.DEPARTMENT_DIRECTION in roles or not roles & {Role.DOMAIN_DIRECTION, Role.ADMISSION}:
        return "La Direction de département"
    return "La Direction de domaine" if Role.DOMAIN_DIRECTION in roles else "La Commission d'admission"


def letter_context(req: AdmissionRequest) -> dict:
    from parcours.admissions.selectors import fees_summary

    key = next((k for k in ("irrecevabilite", "refus", "inscription") if k in req.decision), None)
    if key is None:
        raise AdmissionError("Aucune décision n'a encore été prise sur cette demande.")
    context = {"req": req, "title": TITLES[key], "decision": req.decision[key], "appeal": req.decision.get("appeal"),
               "issued_on": req.decided_on, "motivation": req.decision.get("motivation", ""),
               "site_url": settings.PARCOURS_SITE_URL, "signatory": signatory(req)}
    if key == "inscription" and req.registration is not None:
        dates = load_year(req.academic_year.label).deadlines.dates
        summary = fees_summary(req.registration, req.decided_on)
        context.update({
            "fees": summary if summary is not None and not summary.refused else None,
            "pae_by": dates["pae_validation"].date,
            # Read now: a preview reads them inside the savepoint it then rolls back.
            "expected": list(req.dossier.slots.filter(required=True).exclude(status=SlotStatus.ACCEPTED)),
        })
    return context


def decision_letter(req: AdmissionRequest) -> tuple[str, bytes]:
    """The decision letter (PDF) of a request."""
    pdf = render_pdf("documents/decision_letter.html", letter_context(req))
    return f"decision-{req.student.matricule}-{req.pk}.pdf", pdf
