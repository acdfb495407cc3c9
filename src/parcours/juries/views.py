"""Jury screens: thin views over juries.services and juries.selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.accounts import permissions as account_permissions
from parcours.accounts.models import User
from parcours.audit.services import events_for
from parcours.institutions.models import AcademicYear
from parcours.jobs.services import job_url
from parcours.juries import diplomas, documents, forms, permissions, selectors, services
from parcours.juries import jobs as jury_jobs
from parcours.juries.models import Decision, DeliberationSession, Grant, Jury
from parcours.juries.publication import publication_day, routes_after
from parcours.juries.results import activity_detail
from parcours.juries.services import JuryError
from parcours.juries.workflow import SessionStatus
from parcours.web.clock import now, today
from parcours.web.i18n import reasons_sentence
from parcours.web.templatetags.dates import long_date


def _jury_or_404(user, pk) -> Jury:
    jury = get_object_or_404(Jury.objects.select_related("programme", "academic_year", "president", "secretary"), pk=pk)
    if not permissions.can_see_jury(user, jury):
        raise Http404
    return jury


def _session_or_404(user, pk) -> DeliberationSession:
    session = get_object_or_404(DeliberationSession.objects.select_related(
        "jury__programme", "jury__academic_year", "jury__president", "jury__secretary"), pk=pk)
    if not permissions.can_see_jury(user, session.jury):
        raise Http404
    return session


def _run(request, action, success: str):
    try:
        action()
    except JuryError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


def _with_form(request, form, error: str, action, success: str) -> None:
    """A posted form: its error (in the reader's language) when invalid, else the service call with the cleaned
    data."""
    if not form.is_valid():
        messages.error(request, error)
    else:
        _run(request, lambda: action(form.cleaned_data), success)


@login_required
def jury_list(request):
    juries = selectors.juries_of(request.user)
    programmes = permissions.composable_programmes(request.user)
    if not juries.exists() and not account_permissions.is_staff_member(request.user) \
            and not account_permissions.is_teacher(request.user):
        raise Http404
    department = (Jury.objects.filter(programme__in=programmes, academic_year__label=settings.ACADEMIC_YEAR)
                  .select_related("programme", "academic_year", "president", "secretary").order_by("programme__name"))
    return render(request, "juries/jury_list.html", {"juries": juries, "may_compose": programmes.exists(),
                                                     "department_juries": department})


def _programme_or_none(user, value):
    if not str(value or "").isdigit():
        return None
    return permissions.composable_programmes(user).filter(pk=int(value)).select_related("department").first()


@login_required
def jury_create(request):
    """The department's secretariat constitutes the jury of a cycle for the year (art. 127-128)."""
    programmes = permissions.composable_programmes(request.user)
    if not programmes.exists():
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    programme = _programme_or_none(request.user, data.get("programme"))
    context = {"programmes": programmes, "programme": programme, "subjury": data.get("sous_jury") == "1"}
    if programme is None:
        if data.get("programme"):
            messages.error(request, _("Choisissez un cursus de votre département."))
        return render(request, "juries/jury_create.html", context)
    year = get_object_or_404(AcademicYear, label=settings.ACADEMIC_YEAR)
    existing = Jury.objects.filter(programme=programme, academic_year=year, first_year_subjury=context["subjury"]).first()
    if existing is not None:  # one jury per cycle and programme and year (art. 127): lead to it, no form
        return render(request, "juries/jury_create.html", {**context, "existing": existing, "year": year})
    draft = Jury(programme=programme, academic_year=year, first_year_subjury=context["subjury"])
    computed = list(User.objects.filter(pk__in=services.teachers_of(draft)).order_by("last_name", "first_name"))
    kwargs = {"computed": computed, "domain_directors": services.domain_directors(),
              "schemes": selectors.annexe6_schemes(year.label)}
    if request.method == "POST":
        form = forms.JuryForm(request.POST, **kwargs)
        if form.is_valid():
            d = form.cleaned_data
            domain, _sep, kind = d["mention_scheme"].partition("|")
            members = {int(pk) for pk in d["members"]} | {u.pk for u in d["extra"]}
            try:
                jury = services.constitute_jury(
                    actor=request.user, programme=programme, academic_year=year, secretary=d["secretary"],
                    member_ids=members, first_year_subjury=context["subjury"], replacement=d["replacement"],
                    designated_by=d["designated_by"], mention_domain=domain, mention_kind=kind)
            except JuryError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("{jury} constitué : {n} membres.").format(jury=jury, n=jury.members.count()))
                return redirect("juries:composition", pk=jury.pk)
    else:
        form = forms.JuryForm(initial={"members": [str(u.pk) for u in computed]}, **kwargs)
    directors = services.directors_of(programme)
    return render(request, "juries/jury_create.html", {**context, "form": form, "year": year, "directors": directors,
                                                       "computed": computed})


def _composable_or_404(user, pk) -> Jury:
    jury = get_object_or_404(Jury.objects.select_related("programme", "academic_year", "president", "secretary",
                                                         "president_replaces", "president_designated_by"), pk=pk)
    if not permissions.can_edit_composition(user, jury):
        raise Http404
    return jury


@login_required
def jury_composition(request, pk):
    """The composition, editable by the secretariat and the jury's officers (art. 128: at least 5)."""
    jury = _composable_or_404(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            _with_form(request, forms.MemberForm(request.POST), _("Adresse inconnue ou invalide."),
                       lambda d: services.set_member(actor=request.user, jury_id=jury.pk, user=d["email"],
                                                     present_in_jury=True), _("Membre ajouté au jury."))
        elif action == "remove" and str(request.POST.get("user", "")).isdigit():
            member = jury.members.filter(user_id=int(request.POST["user"])).select_related("user").first()
            if member is None:
                messages.info(request, _("Cette personne n'est plus membre du jury."))
            else:
                _run(request, lambda: services.set_member(actor=request.user, jury_id=jury.pk, user=member.user,
                                                          present_in_jury=False), _("Membre retiré du jury."))
        else:
            messages.error(request, _("Action inconnue."))
        return redirect("juries:composition", pk=jury.pk)
    return render(request, "juries/jury_composition.html", {
        "jury": jury, "members": jury.members.select_related("user"), "member_form": forms.MemberForm(),
        "min_members": services.MIN_MEMBERS, "is_member": permissions.can_see_jury(request.user, jury),
        "history": events_for(jury)[:20]})


@login_required
def jury_detail(request, pk):
    jury = _jury_or_404(request.user, pk)
    member = selectors.member_of(jury, request.user)
    students = selectors.registrations_of(jury).select_related("student__user").order_by("student__matricule")
    return render(request, "juries/jury_detail.html", {
        "jury": jury, "members": jury.members.select_related("user"), "sessions": jury.sessions.all(),
        "is_secretary": permissions.is_secretary(request.user, jury), "member": member,
        "is_officer": permissions.is_officer(request.user, jury),
        "relationships": member.relationships.select_related("student__user") if member else [],
        "weighting": selectors.weighting(jury),
        "students": students, "session_form": forms.SessionForm(), "relationship_form": forms.RelationshipForm()})


@login_required
@require_POST
def session_create(request, pk):
    jury = _jury_or_404(request.user, pk)
    form = forms.SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une période d'évaluation (1, 2 ou 3)."))
        return redirect("juries:jury", pk=jury.pk)
    holder = {}

    def act():
        holder["s"] = services.create_session(actor=request.user, jury_id=jury.pk, period=form.cleaned_data["period"])
    if _run(request, act, _("Séance de délibération préparée.")):
        return redirect("juries:session", pk=holder["s"].pk)
    return redirect("juries:jury", pk=jury.pk)


@login_required
@require_POST
def relationship_declare(request, pk):
    jury = _jury_or_404(request.user, pk)
    _with_form(request, forms.RelationshipForm(request.POST), _("Lien ou degré invalide (art. 131)."),
               lambda d: services.declare_relationship(actor=request.user, jury_id=jury.pk, student_id=d["student"],
                                                       kind=d["kind"], degree=d["degree"]), _("Lien déclaré (art. 131)."))
    return redirect("juries:jury", pk=jury.pk)


@login_required
def session_detail(request, pk):
    session = _session_or_404(request.user, pk)
    jury = session.jury
    proposals = selectors.grid(session)
    attendance = session.attendance.select_related("member__user").order_by("member__user__last_name")
    return render(request, "juries/session_detail.html", {
        "session": session, "jury": jury, "proposals": proposals, "attendance": attendance,
        "actions": permissions.session_actions(request.user, session),
        "is_president": permissions.is_president(request.user, jury),
        "is_officer": permissions.is_officer(request.user, jury),
        "decisions": selectors.frozen_decisions(session) if session.status == "cloturee" else [],
        "diploma_form": forms.DiplomaIssuedForm(initial={"issued_on": today().isoformat()}),
        "reopen_form": forms.ReopenForm(), "publish_form": forms.PublishForm(initial={
            "publish_at": now().strftime("%Y-%m-%dT%H:%M")}),
        "thresholds_set": selectors.mention_thresholds(jury.academic_year) is not None,
        "history": events_for(session)[:30]})


@login_required
def session_student(request, pk, student_id):
    return _student_page(request, _session_or_404(request.user, pk), student_id)


def _student_page(request, session, student_id, *, grant_form=None, grant_ue=None):
    """One student's proposal; a refused grant comes back here with its typed data and its error at its UE."""
    proposals = selectors.grid(session, student_id=student_id)
    if not proposals:
        raise Http404
    activities = activity_detail(student_id, year=session.jury.academic_year.label, period=session.period)
    rows = []
    for row in proposals[0].rows:
        mine = grant_form is not None and row.ue.id == grant_ue
        rows.append((row, activities.get(row.ue.id, ()),
                     grant_form if mine else forms.GrantForm(auto_id=f"id_%s_{row.ue.id}")))
    if grant_form is not None and not any(r.ue.id == grant_ue for r in proposals[0].rows):
        for error in grant_form.errors.get("__all__", []):  # a UE outside the student's PAE
            messages.error(request, error)
    return render(request, "juries/session_student.html", {
        "session": session, "jury": session.jury, "p": proposals[0], "activities": rows,
        "actions": permissions.session_actions(request.user, session),
        "no_quorum": session.status == SessionStatus.OPEN and not session.quorum_valid,
        "mention_form": forms.MotivationForm(), "withdraw_form": forms.WithdrawForm(),
        "mention_raise": session.mention_raises.filter(student_id=student_id).select_related("decided_by").first(),
        "grants": session.grants.filter(student_id=student_id).select_related("ue", "granted_by")})


@login_required
@require_POST
def session_open(request, pk):
    session = _session_or_404(request.user, pk)
    _run(request, lambda: services.open_session(actor=request.user, session_id=session.pk), _("Séance ouverte."))
    return redirect("juries:session", pk=session.pk)


@login_required
@require_POST
def session_attendance(request, pk):
    session = _session_or_404(request.user, pk)
    ids = [v for v in request.POST.getlist("present") if v.isdigit()]
    holder = {}

    def act():
        holder["d"] = services.record_attendance(actor=request.user, session_id=session.pk, present_user_ids=ids)
    if _run(request, act, _("Présences enregistrées.")):
        decision = holder["d"]
        text = reasons_sentence(decision.reasons)
        if decision.outcome["valid"]:
            messages.success(request, _("Quorum atteint : {reasons}").format(reasons=text))
        else:
            messages.error(request, _("Quorum non atteint : {reasons}").format(reasons=text))
    return redirect("juries:session", pk=session.pk)


@login_required
@require_POST
def grant(request, pk, student_id):
    session = _session_or_404(request.user, pk)
    form = forms.GrantForm(request.POST)
    ue_id = form.fields["ue"].clean(request.POST.get("ue")) if str(request.POST.get("ue", "")).isdigit() else None
    if ue_id is None:  # no form to return to: said at the top of the page
        messages.error(request, form.fields["ue"].error_messages["required"])
        return redirect("juries:session_student", pk=session.pk, student_id=student_id)
    form.auto_id = f"id_%s_{ue_id}"
    if form.is_valid():
        try:
            services.grant_credits(actor=request.user, session_id=session.pk, student_id=student_id, ue_id=ue_id,
                                   criteria=form.cleaned_data["criteria"], motivation=form.cleaned_data["motivation"])
        except JuryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Crédits octroyés par le jury (art. 134)."))
            return redirect("juries:session_student", pk=session.pk, student_id=student_id)
    # The typed criteria and motivation stay, the error beside the UE's form (the page, not a redirect).
    return _student_page(request, session, student_id, grant_form=form, grant_ue=ue_id)


@login_required
@require_POST
def grant_withdraw(request, pk, grant_id):
    session = _session_or_404(request.user, pk)
    found = Grant.objects.filter(pk=grant_id, session=session).first()
    if found is None:  # double submission: already withdrawn
        messages.info(request, _("Cet octroi a déjà été retiré."))
        return redirect("juries:session", pk=session.pk)
    return _withdrawn(request, session, found.student_id,
                      lambda reason: services.withdraw_grant(actor=request.user, grant_id=found.pk, reason=reason),
                      _("Octroi retiré : les crédits de l'UE ne sont plus octroyés par le jury."))


@login_required
@require_POST
def mention_withdraw(request, pk, student_id):
    session = _session_or_404(request.user, pk)
    return _withdrawn(request, session, student_id,
                      lambda reason: services.withdraw_mention(actor=request.user, session_id=session.pk,
                                                               student_id=student_id, reason=reason),
                      _("Mention supérieure retirée : la mention au pourcentage s'applique (art. 136)."))


def _withdrawn(request, session, student_id, action, success: str):
    """Undoing a grant or a raised mention: a reason, kept in the history (art. 130)."""
    _with_form(request, forms.WithdrawForm(request.POST), _("Le retrait se motive : indiquez la raison."),
               lambda d: action(d["reason"]), success)
    return redirect("juries:session_student", pk=session.pk, student_id=student_id)


@login_required
@require_POST
def mention_raise(request, pk, student_id):
    session = _session_or_404(request.user, pk)
    _with_form(request, forms.MotivationForm(request.POST), _("Une mention supérieure doit être motivée (art. 136)."),
               lambda d: services.raise_mention(actor=request.user, session_id=session.pk, student_id=student_id,
                                                motivation=d["motivation"]), _("Mention supérieure attribuée (art. 136)."))
    return redirect("juries:session_student", pk=session.pk, student_id=student_id)


def _start_job(request, pk, start, success: str):
    """A session's long work started on the task queue; its starter follows it on /travaux/<id>/."""
    session = _session_or_404(request.user, pk)
    try:
        job = start(actor=request.user, session=session)
    except JuryError as exc:
        messages.error(request, str(exc))
        return redirect("juries:session", pk=session.pk)
    messages.success(request, success)
    return redirect(job_url(job))


@login_required
@require_POST
def session_close(request, pk):
    """Closing computes and writes every decision."""
    return _start_job(request, pk, jury_jobs.start_close,
                      _("Clôture lancée : les décisions sont calculées, arrêtées et inscrites au dossier des "
                        "étudiants. Vous suivez l'avancement sur cette page."))


@login_required
@require_POST
def session_documents(request, pk):
    """PV, valves, relevés and attestations de réussite of the session in one archive."""
    return _start_job(request, pk, jury_jobs.start_documents,
                      _("Production des documents lancée : l'archive sera à télécharger sur cette page."))


@login_required
@require_POST
def session_reopen(request, pk):
    session = _session_or_404(request.user, pk)
    scheduled = session.publish_at is not None and not session.published
    _with_form(request, forms.ReopenForm(request.POST), _("La réouverture d'une séance se motive : indiquez la raison."),
               lambda d: services.reopen_session(actor=request.user, session_id=session.pk, reason=d["reason"]),
               _("Séance rouverte. La publication prévue est annulée : fixez-la de nouveau après la clôture.")
               if scheduled else _("Séance rouverte."))
    return redirect("juries:session", pk=session.pk)


@login_required
@require_POST
def session_publish(request, pk):
    session = _session_or_404(request.user, pk)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Date et heure de publication invalides (JJ/MM/AAAA HH:MM)."))
        return redirect("juries:session", pk=session.pk)
    try:
        done = services.schedule_publication(actor=request.user, session_id=session.pk,
                                             publish_at=form.cleaned_data["publish_at"])
    except JuryError as exc:
        messages.error(request, str(exc))
    else:  # a time already past publishes at once (art. 103): say which happened
        messages.success(request, _("Résultats publiés : les étudiants en sont informés (art. 103).") if done.published
                         else _("Publication fixée au {day} à {time} : les étudiants seront informés à ce moment "
                                "(art. 103).").format(day=long_date(timezone.localtime(done.publish_at)),
                                                      time=f"{timezone.localtime(done.publish_at):%H:%M}"))
    return redirect("juries:session", pk=session.pk)


@login_required
@require_POST
def diploma_issued(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("session__jury"), pk=pk)
    if not permissions.can_see_jury(request.user, decision.session.jury):
        raise Http404
    _with_form(request, forms.DiplomaIssuedForm(request.POST), _("Indiquez la date de délivrance (JJ/MM/AAAA)."),
               lambda d: diplomas.record_diploma_issued(actor=request.user, decision_id=decision.pk,
                                                        issued_on=d["issued_on"]),
               _("Délivrance du diplôme enregistrée ; l'étudiant en est informé."))
    return redirect("juries:session", pk=decision.session_id)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def session_pv(request, pk):
    session = _session_or_404(request.user, pk)
    if not permissions.session_actions(request.user, session)["pv"]:
        raise Http404
    return _pdf(documents.pv(session), f"pv-{session.jury.programme_id}-{session.period}.pdf")


@login_required
def session_valves(request, pk):
    session = _session_or_404(request.user, pk)
    if not permissions.session_actions(request.user, session)["pv"]:
        raise Http404
    return _pdf(documents.valves(session), f"valves-{session.jury.programme_id}-{session.period}.pdf")


@login_required
def my_results(request):
    if not account_permissions.is_student(request.user):
        raise Http404
    decisions = list(selectors.published_decisions_of(request.user.student))
    shown = []
    for d in decisions:
        year = d.session.jury.academic_year.label
        shown.append((d, routes_after(publication_day(d.session, d), year),
                      selectors.next_year_outlook(request.user.student, d.session.jury.programme, year)))
    return render(request, "juries/my_results.html", {"decisions": shown})


DOCUMENTS = {"releve": documents.releve, "attestation": documents.attestation, "diplome": documents.diploma,
             "supplement": documents.supplement}


@login_required
def decision_document(request, pk, kind):
    decision = get_object_or_404(Decision.objects.select_related(
        "student__user", "session__jury__programme", "session__jury__academic_year", "registration"), pk=pk)
    if kind not in DOCUMENTS or not permissions.can_see_decision(request.user, decision):
        raise Http404
    if kind in ("diplome", "supplement") and not (decision.degree_conferred
                                                  and permissions.can_download_diploma(request.user, decision)):
        raise Http404  # art. 136: after the proclamation, to the student and the jury's signing officers
    if kind == "attestation" and decision.outcome not in ("reussite", "grade"):
        raise Http404
    content = DOCUMENTS[kind](decision)
    if content is None:  # a relevé with no result to show
        raise Http404
    return _pdf(content, f"{kind}-{decision.student.matricule}.pdf")
