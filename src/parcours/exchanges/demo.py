"""Demo data of outgoing mobility: the social-work bachelor's calls (2024-2025 and 2023-2024) with fact sheets and
criteria, the HENALLUX and HERS coordinators, the managing institutions' grant rates (institution choices), host course
catalogues, and candidatures in every state, their dossiers in every phase. Built through the services, the clock moved
to the day each step happened, so the history reads as it would have. Idempotent: nothing is added twice."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from parcours.accounts.demo import set_demo_password
from parcours.accounts.models import Role, RoleAssignment, User
from parcours.dossiers.services import upload_document
from parcours.exchanges import agreements, files, services
from parcours.exchanges.models import Call, GrantRate, HostCourse
from parcours.institutions.models import UE, Institution, Programme
from parcours.students.models import Registration

DOMAIN = "demo.helha.be"
TRAINEESHIP = {"traineeship_title": "Stage en service social de première ligne", "hours_per_week": 36,
               "traineeship_programme": "Accueil et accompagnement des usagers ; travail en réseau ; participation aux "
               "réunions d'équipe ; un projet collectif mené avec l'équipe.",
               "skills": "Analyser une demande sociale ; mener un entretien ; rédiger un rapport social.",
               "monitoring": "Tutrice sur place chaque semaine ; visite à distance du superviseur de la Haute École.",
               "evaluation": "Évaluation conjointe de la tutrice et du superviseur, grille du stage de bloc 3."}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA = ("Cohérence du projet avec la formation et le stage\nRésultats académiques (bulletins de bloc 1 et 2)\n"
            "Niveau de langue au regard du niveau exigé\nMaturité et autonomie (entretien)")
FACT_SHEETS = {  # host: language, level, period, coordinator, e-mail, fact sheet
    "UPORTO": ("pt", "B1", "Q1 (mi-septembre – fin janvier)", "Ana Silva", "international@fpce.up.pt",
               "https://www.up.pt/portal/en/"),
    "ULILLE": ("fr", "B2", "Q1 ou Q2", "Claire Dubus", "ri-travail-social@univ-lille.fr", "https://www.univ-lille.fr/"),
    "ULAVAL": ("fr", "B2", "Automne (septembre – décembre)", "Marc Tremblay", "bi@ulaval.ca", "https://www.ulaval.ca/"),
    "HOGENT": ("nl", "B2", "Q2 (février – juin)", "Els Peeters", "international@hogent.be", "https://www.hogent.be/"),
}
CATALOGUE = {
    "UPORTO": [("SS101", "Serviço social e direitos humanos", 6, 1), ("SS102", "Políticas sociais", 6, 1),
               ("SS103", "Intervenção comunitária", 6, 1), ("SS104", "Metodologias de investigação", 6, 1),
               ("SS105", "Família e proteção social", 6, 1), ("SS201", "Estágio em serviço social", 30, 2)],
    "ULILLE": [("TS1", "Travail social et territoires", 10, 1), ("TS2", "Droit de l'action sociale", 10, 1),
               ("TS3", "Méthodologie de projet", 10, 1), ("TS4", "Stage d'immersion", 30, 2)],
}
# Monthly grant rates chosen by the managing institutions (Erasmus+ country groups), with the FWB top-up.
RATES = [("etudes", "Groupe 1", "DK,FI,IS,IE,LI,LU,NO,SE", "600", "250"),
         ("etudes", "Groupe 2", "AT,BE,CY,DE,ES,FR,GR,IT,MT,NL,PT", "540", "250"),
         ("etudes", "Groupe 3", "BG,CZ,EE,HR,HU,LT,LV,MK,PL,RO,RS,SI,SK,TR", "490", "250"),
         ("etudes", "Hors Europe", "CA", "700", "250"),
         ("stage", "Groupe 2", "AT,BE,CY,DE,ES,FR,GR,IT,MT,NL,PT", "690", "0"),
         ("stage", "Hors Europe", "CA", "850", "0")]


def _user(login, first, last):
    user, created = User.objects.get_or_create(email=f"{login}@{DOMAIN}", defaults={"first_name": first, "last_name": last})
    if created:
        from parcours.web.demo_data import PASSWORD

        set_demo_password(user, PASSWORD)
        user.save()
    return user


def _upload(user, c, codes):
    for slot in c.dossier.slots.filter(code__in=codes):
        upload_document(actor=user, slot_id=slot.pk, uploaded=SimpleUploadedFile(f"{slot.code}.pdf", PDF))


def seed() -> list[tuple[str, str]]:
    programme = Programme.objects.get(name="Bachelier : assistant social")
    accounts, coordinators = [], {}
    for code, first, last in (("HENALLUX", "Murielle", "Thunus"), ("HERS", "Patrick", "Galliez")):
        inst = Institution.objects.get(code=code)
        user = _user(f"ri.{code.lower()}", first, last)
        if not user.role_assignments.exists():
            RoleAssignment.objects.create(user=user, role=Role.RI_COORDINATOR, institution=inst)
        coordinators[code] = user
        accounts.append((f"Coordinateur RI {code}", user.email))
        for purpose, group, countries, monthly, topup in RATES:
            GrantRate.objects.get_or_create(institution=inst, purpose=purpose, group=group, defaults={
                "countries": countries, "monthly": Decimal(monthly), "fwb_topup_monthly": Decimal(topup)})
    for host, courses in CATALOGUE.items():
        inst = Institution.objects.get(code=host)
        for code, title, ects, semester in courses:
            HostCourse.objects.get_or_create(host=inst, code=code, defaults={"title": title, "ects": ects,
                                                                             "semester": semester})
    if Call.objects.filter(programme=programme).exists():
        return accounts
    office = User.objects.get(email=f"bureau.international@{DOMAIN}")
    destinations = [("UPORTO", "SMS", 2), ("ULILLE", "SMS", 2), ("ULAVAL", "SMS", 1), ("HOGENT", "BELGICA_STUDIES", 2),
                    ("ULILLE", "SMT", None), ("ULAVAL", "SMT", None)]

    def sheet(code, kind, places):
        lang, level, period, name, email, url = FACT_SHEETS[code]
        return {"host_id": Institution.objects.get(code=code).pk, "kind": kind, "places": places, "language": lang,
                "language_level": level, "period": period, "host_contact_name": name, "host_contact_email": email,
                "info_url": url}

    with override_settings(PARCOURS_TODAY="2023-09-20"):
        call = services.open_call(actor=office, programme_id=programme.pk, mobility_year="2024-2025",
                                  title="Mobilité OUT 2024-2025 — Bachelier en assistant social",
                                  department_min_credits=45, selection_criteria=CRITERIA, isced_f_code="0923",
                                  destinations=[sheet(*d) for d in destinations])
    students = list(Registration.objects.filter(programme=programme, status=Registration.Status.REGULAR, bloc__gte=2)
                    .select_related("student__user").order_by("student__matricule"))
    by_login = {r.student.user.email.split("@")[0]: r.student for r in students}
    others = [r.student for r in students if r.student.user.email.split("@")[0] not in ("etudiant", "etudiant2")]
    dest = {(d.host.code, d.kind): d for d in call.destinations.select_related("host")}
    committee = User.objects.get(email=f"comite.mobilite@{DOMAIN}")
    direction = User.objects.get(email=f"direction.departement@{DOMAIN}")
    _states(call, dest, by_login, others, coordinators, committee, direction)
    with override_settings(PARCOURS_TODAY="2022-12-01"):
        past = services.open_call(actor=office, programme_id=programme.pk, mobility_year="2023-2024",
                                  title="Mobilité OUT 2023-2024 — Bachelier en assistant social",
                                  department_min_credits=45, selection_criteria=CRITERIA, isced_f_code="0923",
                                  destinations=[sheet(*d) for d in destinations])
    # The year's parameters carry the 2024 dates; this earlier call closed a year before.
    Call.objects.filter(pk=past.pk).update(deadline=dt.date(2023, 2, 20), deadline_canada=dt.date(2022, 12, 8))
    _past(past, {(d.host.code, d.kind): d for d in past.destinations.select_related("host")}, others[7:10],
          coordinators, committee, direction)
    return accounts


def _candidate(student, call, choices, *, on="2023-10-02", submit=True, sent=("HENALLUX", "HERS"), grant=True):
    with override_settings(PARCOURS_TODAY=on):
        c = services.start_candidature(actor=student.user, call_id=call.pk, destination_ids=[d.pk for d in choices],
                                       wants_grant=grant, fwb_boursier=student.grant_status == "boursier")
        _upload(student.user, c, ["formulaire", "lettre_motivation", "cv", "bulletins"])
        if submit:
            ids = list(call.recipients.filter(code__in=sent).values_list("pk", flat=True))
            c = services.submit(actor=student.user, candidature_id=c.pk, letter_signed=True, sent_to=ids)
    return c


def _evaluate(c, members, scores, on="2023-10-09"):
    with override_settings(PARCOURS_TODAY=on):
        for member, (score, comment) in zip(members, scores, strict=True):
            services.evaluate(actor=member, candidature_id=c.pk, score=score, comment=comment)


def _states(call, dest, by_login, others, coord, committee, direction):
    hers, henallux = coord["HERS"], coord["HENALLUX"]
    inst = {code: Institution.objects.get(code=code) for code in ("HENALLUX", "HERS")}
    crit = call.criteria[:2]
    # In preparation, and submitted but sent to HENALLUX only: incomplete for the student and the coordinators.
    _candidate(by_login["etudiant2"], call, [dest["ULILLE", "SMS"]], submit=False)
    _candidate(others[0], call, [dest["UPORTO", "SMS"], dest["ULILLE", "SMS"]], sent=("HENALLUX",))
    # Submitted, received by both, scored by two members: waiting for the committee's decision.
    c = _candidate(others[1], call, [dest["ULAVAL", "SMS"]], on="2023-10-03")
    for who, code in ((hers, "HERS"), (henallux, "HENALLUX")):
        services.record_reception(actor=who, candidature_id=c.pk, institution_id=inst[code].pk)
    _evaluate(c, [hers, henallux], [("16,5", "Projet très clair"), ("15", "Bon niveau de français")])
    # Waitlisted and not selected.
    for student, status, reason in ((others[2], "attente", "Places de Porto attribuées ; liste d'attente"),
                                    (others[3], "refusee", "Projet à préciser ; représentez-vous l'an prochain")):
        c = _candidate(student, call, [dest["UPORTO", "SMS"]])
        _evaluate(c, [committee], [("11,5" if status == "attente" else "8", "")])
        with override_settings(PARCOURS_TODAY="2023-10-11"):
            services.decide(actor=committee, candidature_id=c.pk, status=status, reason=reason, criteria=crit)
    # Selected, waiting for the department's authorisation (art. 214).
    c = _candidate(others[4], call, [dest["HOGENT", "BELGICA_STUDIES"]])
    _evaluate(c, [henallux], [("14", "")])
    with override_settings(PARCOURS_TODAY="2023-10-11"):
        services.decide(actor=committee, candidature_id=c.pk, status="retenue", reason="Projet cohérent", criteria=crit,
                        destination_id=dest["HOGENT", "BELGICA_STUDIES"].pk, managing_institution_id=inst["HENALLUX"].pk)
    # Léa Dupont: selected for Porto, authorised, her dossier opened by HERS, learning agreement in preparation.
    lea = by_login["etudiant"]
    c = _candidate(lea, call, [dest["UPORTO", "SMS"], dest["ULILLE", "SMS"]])
    _evaluate(c, [hers, committee], [("15,5", "Projet mûri avec le stage de bloc 3"), ("16", "")])
    with override_settings(PARCOURS_TODAY="2023-10-12"):
        services.decide(actor=committee, candidature_id=c.pk, status="retenue", reason="Projet cohérent avec la formation",
                        criteria=crit, destination_id=dest["UPORTO", "SMS"].pk, managing_institution_id=inst["HERS"].pk)
        services.authorise(actor=direction, candidature_id=c.pk, authorised=True)
        f = files.open_file(actor=hers, candidature_id=c.pk, start=dt.date(2024, 9, 16), end=dt.date(2025, 1, 31))
        for slot in c.dossier.slots.filter(status="recu"):  # HERS has checked the candidature documents
            files.verify_document(actor=hers, slot_id=slot.pk, accept=True)
        porto = HostCourse.objects.filter(host__code="UPORTO", semester=1)
        home = UE.objects.filter(programme=call.programme, code__in=["AS201", "AS203", "AS205"])
        agreements.propose_agreement(actor=lea.user, file_id=f.pk, home_ue_ids=[u.pk for u in home],
                                     host_course_ids=[h.pk for h in porto])
    # A traineeship at Lille managed by HENALLUX, agreement signed; and one at Laval, the dossier to open.
    c = _candidate(others[5], call, [dest["ULILLE", "SMT"]], grant=False)
    _evaluate(c, [henallux, committee], [("17", "Lieu de stage confirmé"), ("16", "")])
    with override_settings(PARCOURS_TODAY="2023-10-12"):
        services.decide(actor=committee, candidature_id=c.pk, status="retenue", reason="Stage confirmé", criteria=crit,
                        destination_id=dest["ULILLE", "SMT"].pk, managing_institution_id=inst["HENALLUX"].pk)
        services.authorise(actor=direction, candidature_id=c.pk, authorised=True)
        f = files.open_file(actor=henallux, candidature_id=c.pk, start=dt.date(2025, 2, 3), end=dt.date(2025, 5, 2))
        stage = HostCourse.objects.get(host__code="ULILLE", code="TS4")
        home = UE.objects.filter(programme=call.programme, code__in=["AS302"])  # Stage professionnel
        la = agreements.propose_agreement(actor=others[5].user, file_id=f.pk, home_ue_ids=[u.pk for u in home],
                                          host_course_ids=[stage.pk], traineeship=TRAINEESHIP)
        agreements.send_for_signature(actor=others[5].user, agreement_id=la.pk)
        agreements.sign_agreement(actor=others[5].user, agreement_id=la.pk, party="student")
        agreements.sign_agreement(actor=henallux, agreement_id=la.pk, party="sending")
    c = _candidate(others[6], call, [dest["ULAVAL", "SMT"]])
    _evaluate(c, [hers], [("13,5", "")])
    with override_settings(PARCOURS_TODAY="2023-10-13"):
        services.decide(actor=committee, candidature_id=c.pk, status="retenue", reason="Stage au Québec confirmé",
                        criteria=crit, destination_id=dest["ULAVAL", "SMT"].pk, managing_institution_id=inst["HERS"].pk)
        services.authorise(actor=direction, candidature_id=c.pk, authorised=True)


def _run_agreement(student, runner, f, home_codes, courses, on):
    with override_settings(PARCOURS_TODAY=on):
        home = UE.objects.filter(programme=f.candidature.call.programme, code__in=home_codes)
        host = f.candidature.destination.host
        ids = [HostCourse.objects.get_or_create(host=host, code=code, defaults={"title": title, "ects": ects,
                                                                                "semester": 1})[0].pk
               for code, title, ects in courses]
        la = agreements.propose_agreement(actor=student.user, file_id=f.pk, home_ue_ids=[u.pk for u in home],
                                          host_course_ids=ids, traineeship=TRAINEESHIP)
        agreements.send_for_signature(actor=student.user, agreement_id=la.pk)
        agreements.sign_agreement(actor=student.user, agreement_id=la.pk, party="student")
        agreements.sign_agreement(actor=runner, agreement_id=la.pk, party="sending")
        agreements.sign_agreement(actor=runner, agreement_id=la.pk, party="receiving",
                                  signer=f.candidature.destination.host_contact_name)


def _slot(f, code):
    return f.candidature.dossier.slots.get(code=code)


def _verify(runner, f, code, on, **dates):
    with override_settings(PARCOURS_TODAY=on):
        files.verify_document(actor=runner, slot_id=_slot(f, code).pk, accept=True, **dates)


def _past(call, dest, students, coord, committee, direction):
    """Mobilities of the current year: one abroad now (PENDANT), one back (APRÈS), one closed."""
    inst = {code: Institution.objects.get(code=code) for code in ("HENALLUX", "HERS")}
    crit = call.criteria[:2]
    plans = [  # student, destination, managing, grant, start, end
        (students[0], dest["UPORTO", "SMS"], "HERS", True, dt.date(2023, 9, 11), dt.date(2024, 1, 26)),
        (students[1], dest["ULILLE", "SMT"], "HENALLUX", False, dt.date(2023, 6, 26), dt.date(2023, 9, 1)),
        (students[2], dest["ULAVAL", "SMT"], "HERS", False, dt.date(2023, 6, 5), dt.date(2023, 8, 25)),
    ]
    made = []
    for student, d, managing, grant, start, end in plans:
        c = _candidate(student, call, [d], on="2023-01-16", grant=grant)
        runner = coord[managing]
        _evaluate(c, [runner, committee], [("15", ""), ("15,5", "")], on="2023-02-27")
        with override_settings(PARCOURS_TODAY="2023-03-06"):
            services.decide(actor=committee, candidature_id=c.pk, status="retenue", reason="Projet retenu",
                            criteria=crit, destination_id=d.pk, managing_institution_id=inst[managing].pk)
            services.authorise(actor=direction, candidature_id=c.pk, authorised=True)
            made.append((student, runner, files.open_file(actor=runner, candidature_id=c.pk, start=start, end=end)))
    # Abroad now: the grant contract issued and signed in August, the arrival attested.
    student, runner, f = made[0]
    with override_settings(PARCOURS_TODAY="2023-08-14"):
        _upload(student.user, f.candidature, ["assurance"])
        files.verify_document(actor=runner, slot_id=_slot(f, "assurance").pk, accept=True)
        for slot in f.candidature.dossier.slots.filter(status="recu"):
            files.verify_document(actor=runner, slot_id=slot.pk, accept=True)
        files.set_bank_account(actor=student.user, file_id=f.pk, iban="BE71 0961 2345 6769",
                               holder=student.user.get_full_name())
        home = UE.objects.filter(programme=call.programme, code__in=["AS301", "AS303", "AS304"])
        porto = HostCourse.objects.filter(host__code="UPORTO", semester=1)
        la = agreements.propose_agreement(actor=student.user, file_id=f.pk, home_ue_ids=[u.pk for u in home],
                                          host_course_ids=[h.pk for h in porto])
        agreements.send_for_signature(actor=student.user, agreement_id=la.pk)
        files.issue_contract(actor=runner, file_id=f.pk)
        files.sign_grant_contract(actor=runner, file_id=f.pk)
        agreements.sign_agreement(actor=student.user, agreement_id=la.pk, party="student")
        agreements.sign_agreement(actor=runner, agreement_id=la.pk, party="sending")
        agreements.sign_agreement(actor=runner, agreement_id=la.pk, party="receiving", signer="Ana Silva")
    with override_settings(PARCOURS_TODAY="2023-09-15"):
        _upload(student.user, f.candidature, ["attestation_sejour"])
    _verify(runner, f, "attestation_sejour", "2023-09-18", arrival=dt.date(2023, 9, 11))
    # Back from Lille: the stay attested, the traineeship certificate waiting to be verified.
    for student, runner, f in made[1:]:
        _run_agreement(student, runner, f, ["AS204"], [("STG-TS", "Stage en travail social", 10)], "2023-05-15")
        with override_settings(PARCOURS_TODAY="2023-09-05"):
            _upload(student.user, f.candidature, ["assurance", "attestation_sejour"])
        _verify(runner, f, "assurance", "2023-09-06")
        for slot in f.candidature.dossier.slots.filter(status="recu").exclude(code="attestation_sejour"):
            files.verify_document(actor=runner, slot_id=slot.pk, accept=True)
        _verify(runner, f, "attestation_sejour", "2023-09-08", arrival=f.planned_start, departure=f.planned_end)
        with override_settings(PARCOURS_TODAY="2023-09-12"):
            _upload(student.user, f.candidature, ["releve_accueil"])
    # Closed: the certificate verified, the stage recognised on confirmation, the report filled in.
    student, runner, f = made[2]
    _verify(runner, f, "releve_accueil", "2023-09-14")
    line = f.agreements.first().lines.get(side="host")
    stage_ue = f.agreements.first().lines.get(side="home").ue_id
    with override_settings(PARCOURS_TODAY="2023-09-14"):
        files.recognise_credits(actor=runner, file_id=f.pk, confirm_tfe_stage=True,
                                grades={line.pk: {"grade": "15", "max": "20", "pass": "12", "ue": stage_ue}})
        files.submit_report(actor=student.user, file_id=f.pk, answers={
            "accueil": "Équipe très disponible, tutrice présente chaque semaine.",
            "programme": "Conforme à la convention ; travail de rue et accompagnement de familles.",
            "vie": "Prévoir un budget logement plus élevé que prévu et l'assurance santé du Québec.",
            "recommandation": "Oui, pour les étudiants autonomes."})
        files.close(actor=runner, file_id=f.pk)
