"""The HTTP API: django-ninja, OpenAPI at /api/docs, the same permission checks as the pages."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Body, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth
from pydantic import ValidationError

from parcours.accounts import permissions
from parcours.accounts.models import ApiToken
from parcours.dossiers.models import Dossier
from parcours.regulation.explain import RuleError, french_errors
from parcours.regulation.rules import RULES
from parcours.regulation.rules import run as run_rule
from parcours.students.models import Student


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token), user__is_active=True).first()
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(title="Parcours API", version="1", auth=[django_auth, TokenAuth()],
               description="API de Parcours (HELHa) : mêmes règles d'accès que les écrans.")


class MeOut(Schema):
    email: str
    name: str
    roles: list[str]
    student_id: int | None


class SlotOut(Schema):
    id: int
    code: str
    label: str
    status: str
    refusal_reason: str
    due_date: str | None


class DossierOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    student_id: int
    slots: list[SlotOut]


class StudentOut(Schema):
    id: int
    matricule: str
    name: str
    email: str
    grant_status: str


def _dossier_out(d: Dossier) -> dict:
    return {"id": d.pk, "title": d.title, "kind": d.kind, "status": d.status, "student_id": d.student_id,
            "slots": [{"id": s.pk, "code": s.code, "label": s.label, "status": s.status,
                       "refusal_reason": s.refusal_reason, "due_date": s.due_date.isoformat() if s.due_date else None}
                      for s in d.slots.all()]}


@api.get("/me", response=MeOut, summary="Qui suis-je")
def me(request):
    user = request.user
    student = getattr(user, "student", None) if permissions.is_student(user) else None
    return {"email": user.email, "name": user.get_full_name(), "roles": sorted(permissions.roles_of(user)),
            "student_id": student.pk if student else None}


@api.get("/students/{student_id}", response=StudentOut, summary="Un dossier étudiant")
def student(request, student_id: int):
    s = get_object_or_404(Student.objects.select_related("user"), pk=student_id)
    if not permissions.can_view_student(request.user, s):
        raise HttpError(404, "Introuvable.")
    return {"id": s.pk, "matricule": s.matricule, "name": s.user.get_full_name(), "email": s.user.email,
            "grant_status": s.grant_status}


@api.get("/students/{student_id}/dossiers", response=list[DossierOut], summary="Les dossiers d'un étudiant")
def student_dossiers(request, student_id: int):
    s = get_object_or_404(Student, pk=student_id)
    if not permissions.can_view_student(request.user, s):
        raise HttpError(404, "Introuvable.")
    qs = permissions.dossiers_visible_to(request.user).filter(student=s).prefetch_related("slots")
    return [_dossier_out(d) for d in qs]


@api.get("/dossiers/{dossier_id}", response=DossierOut, summary="Un dossier")
def dossier(request, dossier_id: int):
    d = get_object_or_404(Dossier.objects.prefetch_related("slots"), pk=dossier_id)
    if not permissions.can_view_dossier(request.user, d):
        raise HttpError(404, "Introuvable.")
    return _dossier_out(d)


@api.get("/rules", summary="Les règles du RGE disponibles")
def rules(request):
    return [{"name": name, "summary": r.summary} for name, r in RULES.items()]


@api.post("/rules/{name}", summary="Appliquer une règle du RGE à des faits")
def apply_rule(request, name: str, facts: dict = Body(...)):  # noqa: B008 (django-ninja idiom)
    if name not in RULES:
        raise HttpError(404, f"Règle inconnue : {name}")
    try:
        return run_rule(name, facts).to_dict()
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{loc} : {msg}" for loc, msg in french_errors(exc))) from exc
    except RuleError as exc:
        raise HttpError(409, str(exc)) from exc


api.add_router("/evaluations/", "parcours.evaluations.api.router")
