"""Demo data for `make run`: the 2023-2024 year, three programmes with their UEs, one account per
role and 60 students with histories and dossiers. Deterministic, idempotent."""

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from parcours.accounts.demo import set_demo_password
from parcours.accounts.models import Role, RoleAssignment, User
from parcours.admissions.demo import ensure_admissions_demo
from parcours.admissions.models import AdmissionRequest
from parcours.admissions.workflow import RequestStatus
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.uploads import store_upload
from parcours.dossiers.workflow import DossierStatus, SlotStatus
from parcours.evaluations import demo as evaluations_demo
from parcours.exchanges import demo as mobility_demo
from parcours.institutions.models import (
    UE,
    AcademicYear,
    Department,
    Institution,
    LearningActivity,
    Programme,
)
from parcours.institutions.services import load_academic_year
from parcours.students.models import AcquiredCredit, PaeEntry, PastRegistration, Registration, Student

YEAR = "2023-2024"
PASSWORD = "Parcours-Demo-2023"
DOMAIN = "demo.helha.be"
PROGRAMMES = {
    "Bachelier : assistant social": ("AS", ["Sociologie", "Droit social", "Psychologie", "Méthodologie du travail social",
                                            "Économie politique", "Stage d'observation", "Politiques sociales",
                                            "Droit familial", "Intervention collective", "Stage", "Éthique",
                                            "Anglais", "Travail de fin d'études", "Stage professionnel", "Séminaire",
                                            "Santé publique", "Gestion de projets", "Recherche sociale"]),
    "Bachelier en comptabilité": ("CPT", ["Comptabilité générale", "Droit civil", "Mathématiques financières",
                                          "Bureautique", "Économie", "Néerlandais", "Fiscalité", "Analyse financière",
                                          "Droit des sociétés", "Comptabilité analytique", "Audit", "Anglais", "TFE",
                                          "Stage", "Consolidation", "Déontologie", "Gestion", "Séminaire"]),
    "Bachelier en informatique de gestion": ("IG", ["Programmation", "Bases de données", "Systèmes", "Mathématiques",
                                                    "Anglais", "Gestion", "Développement web", "Réseaux",
                                                    "Analyse", "Programmation avancée", "Sécurité", "Projet",
                                                    "TFE", "Stage", "Cloud", "Droit du numérique", "Qualité",
                                                    "Intégration"]),
}
STAFF = [  # (login, first name, last name, role, scope)
    ("secretariat", "Sophie", "Lambert", Role.SECRETARIAT, "SOCIAL"),
    ("commission", "Marc", "Dubois", Role.ADMISSION, "SOCIAL"),
    ("enseignant", "Claire", "Martin", Role.TEACHER, "SOCIAL"),
    ("president.jury", "Paul", "Leroy", Role.JURY_PRESIDENT, "SOCIAL"),
    ("secretaire.jury", "Anne", "Simon", Role.JURY_SECRETARY, "SOCIAL"),
    ("coordinateur.ri", "Luc", "Thomas", Role.RI_COORDINATOR, "SOCIAL"),
    ("bureau.international", "Julie", "Petit", Role.INTERNATIONAL_OFFICE, None),
    ("comite.mobilite", "Nadia", "Bernard", Role.MOBILITY_COMMITTEE, "SOCIAL"),
    ("assistant.social", "Karim", "Maes", Role.SOCIAL_WORKER, "SOCIAL"),
    ("direction.departement", "Isabelle", "Lemaire", Role.DEPARTMENT_DIRECTION, "SOCIAL"),
    ("direction.domaine", "Philippe", "Dumont", Role.DOMAIN_DIRECTION, "SOCIAL"),
    ("college", "Catherine", "Renard", Role.COLLEGE, None),
    ("dpo", "Olivier", "Hubert", Role.DPO, None),
    ("commissaire", "Françoise", "Collin", Role.COMMISSIONER, None),
]
FIRST = ["Léa", "Lucas", "Emma", "Noah", "Chloé", "Louis", "Camille", "Hugo", "Manon", "Nathan", "Inès", "Théo",
         "Sarah", "Adam", "Julie", "Mehdi", "Laura", "Tom", "Amina", "Victor"]
LAST = ["Dupont", "Lefebvre", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
        "Wouters", "De Smet", "Dubois", "Lambert", "Dupuis", "Renard", "Leclercq", "Laurent", "Mahieu", "Collard"]
REGISTRATION_DOCS = [("identite", "Copie recto verso de la carte d'identité", "Art. 24"),
                     ("photo", "Photo récente format carte d'identité", "Art. 24"),
                     ("titre_acces", "Copie du titre d'accès aux études", "Art. 24"),
                     ("parcours", "Justificatifs des années depuis le secondaire", "Art. 24")]


def _pdf_bytes() -> bytes:
    from parcours.documents.pdf import render_pdf

    return render_pdf("documents/attestation_inscription.html", {
        "registration": None, "student": None, "pae_credits": 0, "issued_on": dt.date(2023, 9, 20),
        "reference": "DEMO"})


def ensure_programme_ues(programme: Programme, prefix: str, titles: list[str]) -> list[UE]:
    ues = []
    for i, title in enumerate(titles):
        bloc = i // 6 + 1
        ue, _ = UE.objects.get_or_create(programme=programme, code=f"{prefix}{bloc}{i % 6 + 1:02d}", defaults={
            "title": title, "credits": 10, "bloc": bloc, "quadrimestre": "1" if i % 2 == 0 else "2",
            "weight": Decimal(1), "language": "en" if title == "Anglais" else "fr"})
        for j in (1, 2):
            LearningActivity.objects.get_or_create(ue=ue, code=f"{ue.code}-{j}",
                                                   defaults={"title": f"{title} — partie {j}"})
        ues.append(ue)
    for ue in ues:
        if ue.bloc > 1:  # the UE of the same position in the previous bloc is a prerequisite
            ue.prerequisites.add(ues[(ue.bloc - 2) * 6 + (int(ue.code[-2:]) - 1)])
    return ues


def _user(login: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(email=f"{login}@{DOMAIN}", defaults={"first_name": first, "last_name": last})
    if created:
        set_demo_password(user, PASSWORD)
        user.save()
    return user


@transaction.atomic
def ensure_demo() -> list[tuple[str, str]]:
    """Create the demo data once; return (role, login) for every demo account."""
    load_academic_year(YEAR)
    year = AcademicYear.objects.get(label=YEAR)
    helha = Institution.objects.get(code="HELHA")
    for code, name, country, city in [("ULAVAL", "Université Laval", "CA", "Québec"),
                                      ("UPORTO", "Universidade do Porto", "PT", "Porto"),
                                      ("HOGENT", "Hogeschool Gent", "BE", "Gent"),
                                      ("ULILLE", "Université de Lille", "FR", "Lille")]:
        Institution.objects.update_or_create(code=code, defaults={"name": name, "kind": Institution.Kind.HOST,
                                                                  "country": country, "city": city})
    social = Department.objects.get(code="SOCIAL")
    ues = {}
    for name, (prefix, titles) in PROGRAMMES.items():
        programme = Programme.objects.get(name=name)
        ues[name] = ensure_programme_ues(programme, prefix, titles)
    # Comptabilité and informatique are taught in the economic department; give them a scope too.
    accounts = []
    for login, first, last, role, scope in STAFF:
        user = _user(login, first, last)
        if not user.role_assignments.exists():
            RoleAssignment.objects.create(user=user, role=role, institution=helha if scope is None else None,
                                          department=social if scope else None)
        if role == Role.TEACHER:
            for ue in ues["Bachelier : assistant social"][:3]:
                ue.teachers.add(user)
        accounts.append((str(role.label), user.email))
    admin_user, created = User.objects.get_or_create(email=f"admin@{DOMAIN}", defaults={
        "first_name": "Admin", "last_name": "Parcours", "is_staff": True, "is_superuser": True})
    if created:
        set_demo_password(admin_user, PASSWORD)
        admin_user.save()
    accounts.append(("Administrateur (Django admin)", admin_user.email))
    if not Student.objects.filter(user__email=f"etudiant@{DOMAIN}").exists():
        _students(year, ues)
    accounts += mobility_demo.seed()  # the mobility calls, coordinators and candidatures (exchanges)
    accounts += evaluations_demo.ensure_demo(domain=DOMAIN)
    accounts += ensure_admissions_demo(password=PASSWORD, domain=DOMAIN)
    from parcours.juries.demo import ensure_jury_demo

    accounts += ensure_jury_demo(PASSWORD)
    accounts.insert(0, ("Étudiant (un autre étudiant)", f"etudiant2@{DOMAIN}"))
    accounts.insert(0, ("Étudiant", f"etudiant@{DOMAIN}"))
    return accounts


def _students(year: AcademicYear, ues: dict[str, list[UE]]) -> None:
    rng = random.Random(2023)
    pdf = _pdf_bytes()
    plan = [("Bachelier : assistant social", 30), ("Bachelier en comptabilité", 15),
            ("Bachelier en informatique de gestion", 15)]
    n = 0
    for name, count in plan:
        programme = Programme.objects.get(name=name)
        for k in range(count):
            n += 1
            login = "etudiant" if n == 1 else ("etudiant2" if n == 2 else f"etudiant{n:03d}")
            first, last = (("Léa", "Dupont") if n == 1 else ("Lucas", "Peeters") if n == 2 else
                           (rng.choice(FIRST), rng.choice(LAST)))
            user = _user(login, first, last)
            bloc = 2 if n == 1 else (k % 3) + 1
            student = Student.objects.create(
                user=user, matricule=f"HE{230000 + n}", birth_date=dt.date(2000 + rng.randint(0, 5), rng.randint(1, 12),
                                                                            rng.randint(1, 28)),
                phone=f"+32 470 {rng.randint(100000, 999999)}", address=f"Rue de la Station {n}, 7000 Mons",
                grant_status=rng.choice(["non_boursier"] * 4 + ["boursier", "presume_boursier"]),
                condition_modeste=rng.random() < 0.1, non_eu=rng.random() < 0.05)
            _history(student, programme, bloc, rng, first_generation=(bloc == 1 and rng.random() < 0.7))
            status = Registration.Status.REGULAR if rng.random() < 0.9 or n <= 2 else Registration.Status.REQUESTED
            reg = Registration.objects.create(
                student=student, academic_year=year, programme=programme, bloc=bloc,
                stage="DC" if bloc == 1 else ("AD" if bloc == 3 else "PE"), status=status,
                requested_on=dt.date(2023, 9, rng.randint(1, 28)),
                registered_on=dt.date(2023, 9, 29) if status == Registration.Status.REGULAR else None)
            programme_ues = ues[name]
            for ue in programme_ues:
                if ue.bloc < bloc:
                    AcquiredCredit.objects.create(student=student, ue=ue, academic_year=f"{2023 - bloc + ue.bloc}-"
                                                  f"{2024 - bloc + ue.bloc}", note=Decimal(rng.randint(10, 17)))
                elif ue.bloc == bloc:
                    PaeEntry.objects.create(registration=reg, ue=ue)
            _dossiers(student, programme, year, n, rng, pdf)


def _history(student, programme, bloc, rng, first_generation):
    if first_generation:
        return
    start = 2023 - (bloc - 1) - (1 if rng.random() < 0.3 else 0)
    if rng.random() < 0.2:  # an earlier attempt elsewhere, then a réorientation
        PastRegistration.objects.create(student=student, academic_year=f"{start - 1}-{start}", cycle=1,
                                        cursus="Bachelier en droit (Université)", institution="UCLouvain",
                                        pae_credits=60, credits_acquired=rng.randint(5, 30))
    for y in range(start, 2023):
        PastRegistration.objects.create(student=student, academic_year=f"{y}-{y + 1}", cycle=1, cursus=programme.name,
                                        institution="HELHa", pae_credits=60, credits_acquired=rng.choice([45, 50, 60, 60]),
                                        new_rules=True, reorientation=(y == start and rng.random() < 0.2))


def _dossiers(student, programme, year, n, rng, pdf):
    dossier = Dossier.objects.create(student=student, programme=programme, academic_year=year, kind=Dossier.Kind.REGISTRATION,
                                     title=f"Inscription {YEAR}")
    states = [SlotStatus.ACCEPTED, SlotStatus.RECEIVED, SlotStatus.REQUESTED, SlotStatus.REFUSED]
    for i, (code, label, article) in enumerate(REGISTRATION_DOCS):
        status = states[(n + i) % 4] if n > 2 else [SlotStatus.ACCEPTED, SlotStatus.RECEIVED, SlotStatus.REQUESTED,
                                                    SlotStatus.REFUSED][i]
        slot = DocumentSlot(dossier=dossier, code=code, label=label, article=article, due_date=dt.date(2023, 9, 30),  # art. 24
                            status=status)
        if status != SlotStatus.REQUESTED:
            slot.file = store_upload(SimpleUploadedFile(f"{code}.pdf", pdf, "application/pdf"), actor=student.user)
        if status == SlotStatus.REFUSED:
            slot.refusal_reason = "Document illisible : merci de déposer un scan complet, recto et verso."
        slot.save()
    complete = all(s.status == SlotStatus.ACCEPTED for s in dossier.slots.all())
    if complete:
        dossier.status = DossierStatus.COMPLETE
        dossier.save()
    reg = Registration.objects.get(student=student, programme=programme, academic_year=year)
    regular = reg.status == Registration.Status.REGULAR
    AdmissionRequest.objects.create(
        student=student, programme=programme, academic_year=year, dossier=dossier, bloc=reg.bloc,
        registration=reg if regular else None, submitted_on=reg.requested_on,
        status=RequestStatus.REGULAR if regular else (RequestStatus.FINAL if complete else RequestStatus.SUBMITTED),
        final_request_on=dt.date(2023, 9, 29) if (regular or complete) else None)
    if not regular:
        reg.delete()  # the registration exists only once the request is accepted
