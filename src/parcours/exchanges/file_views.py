"""Screens of the mobility dossier (BEFORE / DURING / AFTER), its PDFs and the EWP export: thin views over
exchanges.files and exchanges.agreements."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from parcours.documents.pdf import render_pdf
from parcours.exchanges import agreements, ewp, files, selectors, services
from parcours.exchanges import permissions as exchange_permissions
from parcours.exchanges.models import LearningAgreement, MobilityFile
from parcours.exchanges.views import candidature_or_404
from parcours.web.clock import DateRefused, check_day, parse_day, today
from parcours.web.safety import int_ids


def file_or_404(user, pk) -> MobilityFile:
    f = get_object_or_404(MobilityFile.objects.select_related(
        "candidature__call__programme", "candidature__student__user", "candidature__destination__host",
        "candidature__managing_institution", "candidature__dossier"), pk=pk)
    candidature_or_404(user, f.candidature_id)
    return f


@login_required
def file_detail(request, pk):
    f = file_or_404(request.user, pk)
    return render(request, "exchanges/file.html", selectors.file_page(request.user, f))


def _day(post, name, label="La date"):
    raw = post.get(name, "").strip()
    return parse_day(raw, label) if raw else None


def _agreement_or_404(f, post) -> int:
    """The id of one of this dossier's agreement versions; anything else is an unknown page."""
    ids = int_ids([post.get("agreement", "")])
    if not ids or not f.agreements.filter(pk=ids[0]).exists():
        raise Http404
    return ids[0]


def _grades(post) -> dict[int, dict]:
    out = {}
    for key in post:
        if key.startswith("grade-") and key[6:].isdigit():
            pk = int(key[6:])
            ue = post.get(f"ue-{pk}", "")
            out[pk] = {"grade": post.get(key, ""), "max": post.get(f"max-{pk}", "20") or "20",
                       "pass": post.get(f"pass-{pk}", "10") or "10", "ue": int(ue) if ue.isdigit() else None}
    return out


@login_required
@require_POST
def file_action(request, pk):
    f = file_or_404(request.user, pk)
    action, post, user = request.POST.get("action"), request.POST, request.user
    done = gettext("Enregistré.")
    try:
        if action == "enquete":
            files.request_social_inquiry(actor=user, file_id=f.pk, on=today())
        elif action == "enquete_rdv":
            at = dt.datetime.fromisoformat(post.get("appointment_at", ""))
            check_day(at.date(), "Le rendez-vous")
            files.record_social_inquiry(actor=user, file_id=f.pk, appointment_at=timezone.make_aware(at))
        elif action == "enquete_issue":
            amount = post.get("amount", "").strip().replace(",", ".")
            files.record_social_inquiry(actor=user, file_id=f.pk, outcome=post.get("outcome", ""),
                                        amount=Decimal(amount) if amount else None)
        elif action == "compte":
            files.set_bank_account(actor=user, file_id=f.pk, iban=post.get("iban", ""), holder=post.get("holder", ""))
        elif action == "contrat_emettre":
            files.issue_contract(actor=user, file_id=f.pk)
        elif action == "contrat_signer":
            files.sign_grant_contract(actor=user, file_id=f.pk, on=_day(post, "on") or today())
        elif action == "convention":
            new = [{"code": post.get(f"new-code-{i}", ""), "title": post.get(f"new-title-{i}", ""),
                    "ects": post.get(f"new-ects-{i}", ""), "semester": post.get(f"new-semester-{i}", "1")}
                   for i in range(3)]
            la = agreements.propose_agreement(
                actor=user, file_id=f.pk, home_ue_ids=int_ids(post.getlist("home")),
                host_course_ids=int_ids(post.getlist("course")), new_courses=new,
                reason=post.get("reason", ""), reason_code=post.get("reason_code", ""), language=post.get("language", "en"),
                traineeship={k: post[k] for k in LearningAgreement.TRAINEESHIP_FIELDS if k in post})
            done = (gettext("Convention v%(version)s enregistrée : conforme.") if la.conform else gettext(
                "Convention v%(version)s enregistrée : non conforme, à corriger.")) % {"version": la.version}
        elif action == "envoyer":
            agreements.send_for_signature(actor=user, agreement_id=_agreement_or_404(f, post))
            done = gettext("Convention envoyée pour signature.")
        elif action == "signer":
            agreements.sign_agreement(actor=user, agreement_id=_agreement_or_404(f, post), party=post.get("party", ""),
                                      signer=post.get("signer", ""))
            done = gettext("Signature enregistrée.")
        elif action == "verifier":
            files.verify_document(actor=user, slot_id=int(post.get("slot", 0)), accept=post.get("accept") == "oui",
                                  reason=post.get("reason", ""), arrival=_day(post, "arrival"),
                                  departure=_day(post, "departure"))
            done = gettext("Document vérifié.") if post.get("accept") == "oui" else gettext("Document refusé.")
        elif action == "reconnaitre":
            n = files.recognise_credits(actor=user, file_id=f.pk, grades=_grades(post),
                                        confirm_tfe_stage=post.get("confirm_tfe_stage") == "on")
            done = gettext("%(n)s UE reconnue(s) avec les notes de l'établissement d'accueil.") % {"n": n}
        elif action == "rapport":
            files.submit_report(actor=user, file_id=f.pk, answers={k: post.get(k, "") for k, _ in files.REPORT_QUESTIONS})
            done = gettext("Rapport de mobilité envoyé.")
        elif action == "cloturer":
            files.close(actor=user, file_id=f.pk)
            done = gettext("Dossier clôturé.")
        else:
            raise Http404
        messages.success(request, done)
    except DateRefused as exc:
        messages.error(request, str(exc))
    except (ValueError, TypeError, InvalidOperation, OverflowError):
        messages.error(request, gettext("Valeur invalide : vérifiez les dates (AAAA-MM-JJ), les montants et les nombres."))
    except services.MobilityError as exc:
        messages.error(request, str(exc))
    return redirect("mobility_file", pk=f.pk)


@login_required
def ewp_export(request, pk):
    f = file_or_404(request.user, pk)
    if not exchange_permissions.runs_file(request.user, f.candidature):
        raise Http404
    try:
        xml = ewp.export(f)
    except services.MobilityError as exc:
        messages.error(request, str(exc))
        return redirect("mobility_file", pk=f.pk)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="omobility-las-{f.pk}.xml"'
    return response


def document(user, pk, kind) -> tuple[str, dict, str, str]:
    """(template, context, language, file name) of a mobility PDF the user may read; 404 otherwise."""
    if kind == "nomination":
        c = candidature_or_404(user, pk)
        if c.nominated_on is None:
            raise Http404
        language = "fr" if c.destination.language == "fr" else "en"  # addressed to the host, in its language
        return ("exchanges/pdf_nomination.html", {"c": c, "today": today(), "contacts": selectors.contacts()}, language,
                f"nomination-{c.pk}.pdf")
    if kind not in ("convention", "contrat"):
        raise Http404
    f = file_or_404(user, pk)
    if kind == "convention":
        la = f.agreements.prefetch_related("lines").first()
        if la is None:
            raise Http404
        return ("exchanges/pdf_agreement.html", {
            "f": f, "c": f.candidature, "la": la, "today": today(), "contacts": selectors.contacts(),
            "lines": selectors.agreement_tables(la), "studies": agreements.is_studies(f)}, la.language,
            f"convention-{f.pk}-v{la.version}.pdf")
    if not f.contract_issued_on:
        raise Http404
    return ("exchanges/pdf_contract.html", {
        "f": f, "c": f.candidature, "today": today(), "grant": f.grant_computation,
        "iban": selectors.formatted_iban(f.iban), "contacts": selectors.contacts()}, "fr", f"contrat-{f.pk}.pdf")


@login_required
def document_pdf(request, pk, kind):
    template, context, language, name = document(request.user, pk, kind)
    with translation.override(language):
        pdf = render_pdf(template, context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
