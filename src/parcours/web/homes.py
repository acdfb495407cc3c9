"""Each staff role opens Parcours on its own work: one function per role home, one template per role
(web/homes/<role>.html, extending web/homes/base.html; the secretariat's is web/staff_home.html). Other apps add a section by an include of a partial
rendered from their own selector; a person with several roles switches with ?role=.

Each home lists what waits for that person, oldest date first."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from parcours.accounts import permissions
from parcours.accounts.models import Role
from parcours.admissions.models import AdmissionRequest, FraudCase
from parcours.admissions.workflow import ProposalStatus, RequestStatus
from parcours.audit import actions as audit_actions
from parcours.audit.models import AuditEvent
from parcours.exchanges.selectors import ri_home
from parcours.regulation.params import load_year
from parcours.students.models import Registration, Student
from parcours.web import secretariat
from parcours.web.clock import today
from parcours.web.paging import CappedPaginator

PAGE_SIZE = 25


def _page(request, items, param="page"):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def _requests(user):
    return (AdmissionRequest.objects.filter(dossier__in=permissions.dossiers_visible_to(user),
                                            academic_year__label=settings.ACADEMIC_YEAR)
            .select_related("student__user", "programme"))


def _render(request, role: str, template: str, context: dict):
    roles = [r for r in ROLE_HOMES if r in permissions.roles_of(request.user)]
    path = "web/staff_home.html" if template == "secretariat" else f"web/homes/{template}.html"
    return render(request, path, {
        **context, "role": role, "role_label": Role(role).label, "today": today(),
        "other_roles": [(r, Role(r).label) for r in roles if r != role],
    })


def secretariat_home(request, role):
    with permissions.scope_read_once(request.user):  # its five lists and counts share one reading of the scope
        return _secretariat_home(request, role)


def _secretariat_home(request, role):
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    queue, students = secretariat.document_queue(user), secretariat.student_list(user, query)
    counted = secretariat.counts(user, queue, students, searching=bool(query),
                                 to_decide=_requests(user).filter(status=RequestStatus.FINAL),
                                 bank=Role.SECRETARIAT in permissions.roles_of(user))
    documents = CappedPaginator(queue, PAGE_SIZE, counted=lambda: counted["received"]).get_page(request.GET.get("page"))
    documents.object_list = secretariat.queue_rows(documents.object_list)
    return _render(request, role, "secretariat", {
        "queue": documents, "counts": counted, "query": query,
        "to_decide": counted["to_decide"], "bank_waiting": counted["bank_waiting"],
        "students": CappedPaginator(students, PAGE_SIZE, counted=lambda: counted["students"])
        .get_page(request.GET.get("spage")),
    })


def commission_home(request, role):
    """Art. 26-29, 38, 62-74: complete dossiers to decide, programmes (PAE) to propose."""
    requests = _requests(request.user).filter(status=RequestStatus.FINAL)
    programme, bloc = request.GET.get("programme", ""), request.GET.get("bloc", "")
    programmes = sorted({(r.programme_id, r.programme.name) for r in requests}, key=lambda p: p[1])
    if programme.isdigit():
        requests = requests.filter(programme_id=int(programme))
    if bloc.isdigit():
        requests = requests.filter(bloc=int(bloc))
    regs = (Registration.objects.filter(status=Registration.Status.REGULAR, academic_year__label=settings.ACADEMIC_YEAR,
                                        admission_request__dossier__in=permissions.dossiers_visible_to(request.user))
            .exclude(pae_proposals__status__in=[ProposalStatus.PROPOSED, ProposalStatus.VALIDATED])
            .exclude(pae__isnull=False)  # a programme already established
            .select_related("student__user", "programme", "admission_request").order_by("registered_on", "pk"))
    return _render(request, role, "commission", {
        "requests": _page(request, requests.order_by("final_request_on", "submitted_on", "pk")),
        "decide_by": load_year(settings.ACADEMIC_YEAR).deadlines.dates["registration_decision"].date,
        "programmes": programmes, "programme": programme, "bloc": bloc,
        "pae_to_propose": _page(request, regs, "ppage"),
    })


def _non_financable(requests):
    return requests.filter(decision__financabilite__outcome__financable=False)


def direction_home(request, role):
    """Art. 36, 40, 42: the non-finançable requests only the direction decides, the fraud reports."""
    requests = _requests(request.user).filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.FINAL])
    frauds = (FraudCase.objects.filter(student__in=permissions.students_visible_to(request.user))
              .exclude(status__in=[FraudCase.Status.PROVEN, FraudCase.Status.DISMISSED])
              .select_related("student__user").order_by("reported_on"))
    return _render(request, role, "direction", {
        "requests": _page(request, _non_financable(requests).order_by("final_request_on", "submitted_on", "pk")),
        "frauds": frauds[:50],
        "mobility": ri_home(request.user),  # art. 214: the stays waiting for the department's authorisation
    })


def domain_home(request, role):
    """Requests to a department where nobody can decide (no secretariat, commission or direction account):
    they reach the domain direction."""
    return _render(request, role, "domain", {
        "requests": _page(request, permissions.orphan_requests(request.user)
                          .filter(academic_year__label=settings.ACADEMIC_YEAR,
                                  status__in=[RequestStatus.SUBMITTED, RequestStatus.FINAL])
                          .select_related("student__user", "programme__department")
                          .order_by("final_request_on", "submitted_on", "pk")),
    })


def college_home(request, role):
    """Art. 42-46: fraud reports to convene, hearings to decide."""
    cases = FraudCase.objects.exclude(status__in=[FraudCase.Status.PROVEN, FraudCase.Status.DISMISSED])
    return _render(request, role, "college", {
        "to_convene": cases.filter(status=FraudCase.Status.REPORTED).select_related("student__user").order_by("reported_on"),
        "to_decide": cases.filter(status=FraudCase.Status.CONVENED).select_related("student__user")
        .order_by("hearing_on", "reported_on"),
    })


def social_worker_home(request, role):
    """Art. 53-56: presumed boursiers awaiting the allowance service, refused grants (30 days to pay)."""
    students = permissions.students_visible_to(request.user).select_related("user")
    return _render(request, role, "social_worker", {
        "presumed": _page(request, students.filter(grant_status=Student.Grant.PRESUME).order_by("user__last_name", "pk")),
        "refused": students.filter(grant_status=Student.Grant.REFUSED)
        .order_by("grant_refusal_notified_on", "pk")[:100],
    })


def mobility_home(request, role):
    """Seed 000: candidatures submitted to the programmes of the coordinator's scope, by call deadline."""
    from parcours.exchanges.models import Candidature
    from parcours.exchanges.workflow import CandidatureStatus

    candidatures = (Candidature.objects.filter(dossier__in=permissions.dossiers_visible_to(request.user),
                                               status__in=[CandidatureStatus.SUBMITTED, CandidatureStatus.WAITLISTED])
                    .select_related("student__user", "call").order_by("call__deadline", "pk"))
    return _render(request, role, "mobility", {"candidatures": _page(request, candidatures),
                                               "mobility": ri_home(request.user)})


def commissioner_home(request, role):
    """Art. 39, 180-182: decisions open to an appeal before the Commissaire, and silences past 31 October."""
    requests = _requests(request.user)
    decided = (requests.filter(status__in=[RequestStatus.IRRECEVABLE, RequestStatus.REFUSED])
               .order_by("-decided_on", "-pk"))
    decide_by = load_year(settings.ACADEMIC_YEAR).deadlines.dates["registration_decision"].date
    silent = requests.filter(status=RequestStatus.FINAL) if today() > decide_by else requests.none()
    return _render(request, role, "commissioner", {
        "decided": _page(request, decided), "silent": silent.order_by("final_request_on", "pk")[:100],
        "decide_by": decide_by,
    })


def dpo_home(request, role):
    """The data-protection officer: the latest actions on personal data, by kind."""
    events = AuditEvent.objects.select_related("actor").order_by("-created_at")
    kinds = [{**k, "label": audit_actions.label(k["action"])}
             for k in events.values("action").annotate(n=Count("id")).order_by("-n")[:15]]
    return _render(request, role, "dpo", {"events": _page(request, events), "kinds": kinds})


def jury_officer_home(request, role):
    """Art. 80-136: a jury president's or secretary's own work by date (sessions, publications, sheets, art. 83
    and 91 requests, session ouverte ends, diplomas), then the juries they sit on."""
    from parcours.juries.selectors import juries_of
    from parcours.juries.work import tasks_for

    if request.GET.get("listes"):  # the secretariat's lists of their scope, read-only, one link away
        return secretariat_home(request, role)
    tasks = tasks_for(request.user, settings.ACADEMIC_YEAR)
    return _render(request, role, "jury", {"tasks": tasks, "late": sum(t.late for t in tasks),
                                           "juries": juries_of(request.user)[:20]})


# Role → its home; the order decides which home opens first for a person holding several roles.
ROLE_HOMES = {
    Role.SECRETARIAT: secretariat_home,
    Role.ADMISSION: commission_home,
    Role.DEPARTMENT_DIRECTION: direction_home,
    Role.DOMAIN_DIRECTION: domain_home,
    Role.COLLEGE: college_home,
    Role.SOCIAL_WORKER: social_worker_home,
    Role.RI_COORDINATOR: mobility_home,
    Role.INTERNATIONAL_OFFICE: mobility_home,
    Role.MOBILITY_COMMITTEE: mobility_home,
    Role.COMMISSIONER: commissioner_home,
    Role.DPO: dpo_home,
    Role.JURY_PRESIDENT: jury_officer_home,
    Role.JURY_SECRETARY: jury_officer_home,
}


def staff_home(request):
    roles = permissions.roles_of(request.user)
    asked = request.GET.get("role", "")
    role = asked if asked in roles and asked in ROLE_HOMES else next((r for r in ROLE_HOMES if r in roles), None)
    if role is None:  # jury roles and others: the secretariat's lists, read-only
        return secretariat_home(request, next(iter(roles & permissions.READERS)))
    return ROLE_HOMES[role](request, role)
