"""The HTTP API: django-ninja, OpenAPI at /api/docs, the same permission checks as the pages."""

from django.shortcuts import get_object_or_404
from ninja import Body, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth
from pydantic import ValidationError

from parcours.accounts import permissions
from parcours.accounts.models import ApiToken
from parcours.dossiers.models import Dossier
from parcours.regulation.explain import InputError, RuleError, french_errors
from parcours.regulation.rules import RULES
from parcours.regulation.rules import run as run_rule
from parcours.students.models import Student
from parcours.web.clock import now as clock_now


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token), user__is_active=True).first()
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock_now())
        request.user = found.user
        return found.user


# The token comes first: a request carrying `Authorization: Bearer` is authenticated by it and never meets
# the session's CSRF check (no cookie is involved); a request without it falls back to the session, CSRF included.
api = NinjaAPI(title="Parcours API", version="1", auth=[TokenAuth(), django_auth],
               description="API de Parcours (HELHa) : mêmes règles d'accès que les écrans. Authentification par "
                           "jeton (`Authorization: Bearer …`, sans contrôle CSRF) ou par la session du site "
                           "(contrôle CSRF : en-tête `X-CSRFToken`). Toute erreur répond `{\"detail\": …}` en français.")


class ErrorOut(Schema):
    detail: str | list[dict]


# Every operation may answer these: documented once, attached to each operation below.
AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut}
NOT_FOUND = {404: ErrorOut}


@api.exception_handler(RecursionError)
def too_deep(request, exc):
    return api.create_response(request, {"detail": "JSON trop profondément imbriqué."}, status=400)


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


@api.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="Qui suis-je")
def me(request):
    user = request.user
    student = getattr(user, "student", None) if permissions.is_student(user) else None
    return {"email": user.email, "name": user.get_full_name(), "roles": sorted(permissions.roles_of(user)),
            "student_id": student.pk if student else None}


@api.get("/students/{student_id}", response={200: StudentOut, **AUTH_ERRORS, **NOT_FOUND, 422: ErrorOut}, summary="Un dossier étudiant")
def student(request, student_id: int):
    s = get_object_or_404(Student.objects.select_related("user"), pk=student_id)
    if not permissions.can_view_student(request.user, s):
        raise HttpError(404, "Introuvable.")
    return {"id": s.pk, "matricule": s.matricule, "name": s.user.get_full_name(), "email": s.user.email,
            "grant_status": s.grant_status}


@api.get("/students/{student_id}/dossiers", response={200: list[DossierOut], **AUTH_ERRORS, **NOT_FOUND, 422: ErrorOut}, summary="Les dossiers d'un étudiant")
def student_dossiers(request, student_id: int):
    s = get_object_or_404(Student, pk=student_id)
    if not permissions.can_view_student(request.user, s):
        raise HttpError(404, "Introuvable.")
    qs = permissions.dossiers_visible_to(request.user).filter(student=s).prefetch_related("slots")
    return [_dossier_out(d) for d in qs]


@api.get("/dossiers/{dossier_id}", response={200: DossierOut, **AUTH_ERRORS, **NOT_FOUND, 422: ErrorOut}, summary="Un dossier")
def dossier(request, dossier_id: int):
    d = get_object_or_404(Dossier.objects.prefetch_related("slots"), pk=dossier_id)
    if not permissions.can_view_dossier(request.user, d):
        raise HttpError(404, "Introuvable.")
    return _dossier_out(d)


class RuleOut(Schema):
    name: str
    summary: str


class DecisionOut(Schema):
    outcome: object
    reasons: list[dict]
    details: dict | None = None


@api.get("/rules", response={200: list[RuleOut], **AUTH_ERRORS}, summary="Les règles du RGE disponibles")
def rules(request):
    return [{"name": name, "summary": r.summary} for name, r in RULES.items()]


@api.post("/rules/{name}", response={200: DecisionOut, 400: ErrorOut, **AUTH_ERRORS, **NOT_FOUND, 409: ErrorOut,
                                     422: ErrorOut},
          summary="Appliquer une règle du RGE à des faits",
          description="422 : faits invalides (champ, date ou nombre hors limites, année inconnue) ; "
                      "409 : le règlement ne permet pas de décider.")
def apply_rule(request, name: str, facts: dict = Body(...)):  # noqa: B008 (django-ninja idiom)
    if name not in RULES:
        raise HttpError(404, f"Règle inconnue : {name}")
    try:
        return run_rule(name, facts).to_dict(templates=False)
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{loc} : {msg}" for loc, msg in french_errors(exc))) from exc
    except InputError as exc:
        raise HttpError(422, f"Données invalides : {exc}") from exc
    except RuleError as exc:
        raise HttpError(409, str(exc)) from exc


api.add_router("/evaluations/", "parcours.evaluations.api.router")
