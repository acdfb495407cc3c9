"""An institution-sized population for measuring: N students, each with up to five past years, a
current registration and a registration dossier of four documents. Bulk inserts, no password hashing."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from parcours.accounts.models import Role, RoleAssignment, User
from parcours.dossiers.models import DocumentSlot, Dossier
from parcours.dossiers.workflow import SlotStatus
from parcours.evaluations import population as evaluations_population
from parcours.institutions.models import AcademicYear, Programme
from parcours.students.models import PastRegistration, Registration, Student
from parcours.web.demo_data import FIRST, LAST, REGISTRATION_DOCS, ensure_demo

BATCH = 2000


def generate(students: int, *, years: int = 5, seed: int = 20000, log=print) -> dict[str, int]:
    ensure_demo()
    rng = random.Random(seed)
    year = AcademicYear.objects.get(label="2023-2024")
    programmes = list(Programme.objects.exclude(fee_section="").order_by("name"))
    start = Student.objects.count()
    unusable = make_password(None)
    counts = {"students": 0, "past_registrations": 0, "dossiers": 0, "slots": 0}
    for offset in range(0, students, BATCH):
        size = min(BATCH, students - offset)
        with transaction.atomic():
            users = User.objects.bulk_create([
                User(email=f"pop{start + offset + i:06d}@pop.helha.be", first_name=rng.choice(FIRST),
                     last_name=rng.choice(LAST), password=unusable) for i in range(size)])
            RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.STUDENT) for u in users])
            studs = Student.objects.bulk_create([
                Student(user=u, matricule=f"P{start + offset + i:07d}", grant_status=rng.choice(
                    ["non_boursier"] * 4 + ["boursier", "presume_boursier"])) for i, u in enumerate(users)])
            past, regs = [], []
            for s in studs:
                programme = rng.choice(programmes)
                history = rng.randint(0, years)
                for k in range(history):
                    y = 2022 - k
                    past.append(PastRegistration(student=s, academic_year=f"{y}-{y + 1}", cycle=1, cursus=programme.name,
                                                 pae_credits=60, credits_acquired=rng.choice([20, 45, 55, 60, 60]),
                                                 new_rules=rng.random() < 0.5))
                regs.append(Registration(student=s, academic_year=year, programme=programme, bloc=min(history + 1, 3),
                                         stage="DC" if history == 0 else "PE", status=Registration.Status.REGULAR,
                                         registered_on=dt.date(2023, 9, 29)))
            PastRegistration.objects.bulk_create(past)
            regs = Registration.objects.bulk_create(regs)
            dossiers = Dossier.objects.bulk_create([
                Dossier(student=r.student, programme=r.programme, academic_year=year, kind=Dossier.Kind.REGISTRATION,
                        title="Inscription 2023-2024") for r in regs])
            slots = [DocumentSlot(dossier=d, code=code, label=label, article=article, due_date=dt.date(2023, 9, 30),  # art. 24
                                  status=rng.choice([SlotStatus.REQUESTED, SlotStatus.ACCEPTED, SlotStatus.ACCEPTED,
                                                     SlotStatus.RECEIVED]))
                     for d in dossiers for code, label, article in REGISTRATION_DOCS]
            DocumentSlot.objects.bulk_create(slots)
        counts["students"] += size
        counts["past_registrations"] += len(past)
        counts["dossiers"] += len(dossiers)
        counts["slots"] += len(slots)
        log(f"  {counts['students']} / {students} étudiants")
    counts.update(evaluations_population.generate_notes(log=log))
    return counts
