"""Demo data for paying and for requests across the catalogue: applicants to programmes of every department
(one of them with no staff account: the domain direction's home shows it), and a CODA statement already
imported — acomptes matched by their structured communication, two lines waiting to be assigned."""

import datetime as dt
import random

from django.conf import settings

from parcours.accounts.demo import set_demo_password
from parcours.accounts.models import User
from parcours.admissions import bank_import, banking, services
from parcours.admissions.models import BankTransaction
from parcours.institutions.models import Programme
from parcours.students.models import Registration, Student

# Programmes from across Titre III (several departments), one applicant each.
CATALOGUE = [
    "Bachelier en agronomie, orientation technologie animalière",
    "Bachelier en animation 3D en temps réel",
    "Bachelier : infirmier responsable de soins généraux",
    "Bachelier en enseignement section 3 mathématiques et formation numérique",
    "Bachelier en construction",
    "Bachelier en marketing",
    "Master en sciences de l'ingénieur industriel, orientation chimie",
]
NAMES = [("Zoé", "Hermans"), ("Arthur", "Lejeune"), ("Yasmine", "Benali"), ("Jules", "Piron"), ("Elena", "Rossi"),
         ("Maxime", "Gilson"), ("Clara", "Vandenberghe")]


def ensure_admissions_demo(*, password: str, domain: str) -> list[tuple[str, str]]:
    """Idempotent; returns the demo accounts it adds, as (what, login)."""
    accounts = []
    for n, (name, (first, last)) in enumerate(zip(CATALOGUE, NAMES, strict=True), start=1):
        user, created = User.objects.get_or_create(email=f"candidat{n}@{domain}",
                                                   defaults={"first_name": first, "last_name": last})
        if created:
            set_demo_password(user, password)
            user.save()
            Student.objects.create(user=user, matricule=f"HE{239000 + n}", birth_date=dt.date(2004, n, 10 + n),
                                   address=f"Rue du Parc {n}, 7000 Mons")
        programme = Programme.objects.filter(name=name).first()
        if programme is not None and not user.student.admission_requests.exists():
            services.submit_request(actor=user, programme_id=programme.pk, on=dt.date(2023, 9, 12))
        if n == 1:
            accounts.append(("Candidat (agronomie, département sans personnel)", user.email))
    _statement()
    return accounts


def _statement() -> None:
    """Acomptes of the first ten regular registrations, paid by transfer with their communication."""
    if BankTransaction.objects.filter(reference__startswith="DEMO").exists():
        return
    secretariat = User.objects.filter(role_assignments__role="secretariat").order_by("pk").first()
    regs = (Registration.objects.filter(status=Registration.Status.REGULAR, academic_year__label=settings.ACADEMIC_YEAR)
            .exclude(programme__fee_section="").exclude(student__grant_status__in=["boursier", "presume_boursier"])
            .order_by("pk")[:10])
    rng = random.Random(11)
    rows = ["date;montant;communication;reference;donneur d'ordre"]
    for i, reg in enumerate(regs, start=1):
        rows.append(f"{rng.randint(2, 13):02d}/10/2023;50,00;{banking.communication(reg)};DEMO-{i:04d};"
                    f"{reg.student.user.get_full_name()}")
    rows.append("09/10/2023;50,00;inscription de mon fils;DEMO-0900;M. Dupont")
    rows.append("10/10/2023;650,00;+++999/9999/99999+++;DEMO-0901;A. Janssens")
    if secretariat is not None:
        bank_import.import_statement(actor=secretariat, raw="\n".join(rows).encode())
