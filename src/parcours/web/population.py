"""An institution-sized population for measuring: N students spread over the catalogue, each with up to five past
years, a current registration, a registration dossier of four documents (the received ones with their file),
payments, and for some a mobility candidature. Bulk inserts, no password hashing, no history rows.

Which programmes: every programme linked to an annexe-2 fee row (``fee_section``), so that fees and the
payment deadlines apply to every generated student; the students are spread over them in proportion to the
programme's length (a 180-credit bachelier gets three shares, a 120-credit master two, a 60-credit
specialisation one). As more programmes get their fee row, the population covers more of the catalogue.

Other areas add their own generated data through ``STEPS``: a function ``step(rng, registrations, log)`` called
once per batch, inside the batch's transaction (e.g. the evaluation issue's notes).
"""

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.contrib.auth.hashers import make_password

from parcours.accounts.models import Role, RoleAssignment, User
from parcours.admissions.models import Payment
from parcours.dossiers.models import DocumentSlot, Dossier, StoredFile
from parcours.dossiers.workflow import SlotStatus
from parcours.evaluations import population as evaluations_population
from parcours.exchanges.models import Call, Candidature
from parcours.exchanges.workflow import CandidatureStatus
from parcours.institutions.models import AcademicYear, Programme
from parcours.regulation import fees
from parcours.regulation.explain import RuleError
from parcours.regulation.params import load_year
from parcours.students.models import PastRegistration, Registration, Student
from parcours.web import clock
from parcours.web.bulk import Pipeline, reserve_ids, write_rows
from parcours.web.demo_data import FIRST, LAST, REGISTRATION_DOCS, ensure_demo

BATCH = 2000
# Per-batch hooks of other areas: step(rng, registrations, log). Issue 9 (evaluations) adds its notes here.
STEPS: list[Callable] = []


def _weighted(programmes: list[Programme]) -> list[Programme]:
    """One entry per 60 credits of the programme: drawing from it spreads students in proportion."""
    out = []
    for p in programmes:
        out += [p] * max(1, (p.min_credits or 180) // 60)
    return out


class _Totals:
    """The annexe-2 total of each (programme, stage, status), computed once by the rules themselves."""

    def __init__(self, year: str):
        self.year, self.cache = year, {}

    def has_row(self, programme: Programme, stage: str) -> bool:
        key = (programme.pk, stage, None)
        if key not in self.cache:
            try:
                fees.find_row(load_year(self.year), programme.fee_section, programme.fee_site, stage)
                self.cache[key] = True
            except RuleError:
                self.cache[key] = False
        return self.cache[key]

    def __call__(self, programme: Programme, stage: str, status: str) -> Decimal:
        key = (programme.pk, stage, status)
        if key not in self.cache:
            try:
                self.cache[key] = fees.compute(fees.FeeFacts(
                    year=self.year, section=programme.fee_section, site=programme.fee_site, stage=stage,
                    status=status, cycle=programme.cycle)).outcome["total"]
            except RuleError:
                self.cache[key] = Decimal(0)
        return self.cache[key]


def generate(students: int, *, years: int = 5, seed: int = 20000, log=print) -> dict[str, int]:
    ensure_demo()
    rng = random.Random(seed)
    year = AcademicYear.objects.get(label="2023-2024")
    programmes = list(Programme.objects.exclude(fee_section="").order_by("name"))
    shares = _weighted(programmes)
    calls = {c.programme_id: c for c in Call.objects.order_by("pk")}
    total_due = _Totals(year.label)

    def stage_of(programme: Programme, history: int) -> str:
        """DC for a first year, PE after; a stage the programme's annexe-2 rows do not list is not drawn (a
        one-year specialisation has its own rows), so that the fee rules decide every generated registration."""
        wanted = ["DC", "PE", "AD"] if history == 0 else ["PE", "AD", "DC"]
        return next((st for st in wanted if total_due.has_row(programme, st)), wanted[0])
    start = Student.objects.count()
    unusable = make_password(None)
    uploaded = dt.datetime(2023, 9, 1, 8, tzinfo=dt.UTC)
    now = clock.now()
    counts = {"students": 0, "past_registrations": 0, "dossiers": 0, "slots": 0, "payments": 0, "candidatures": 0}
    log(f"  {len(programmes)} programmes reliés à l'annexe 2")
    # Plain rows with their keys reserved beforehand (web.bulk): the same rows, in the same order, as bulk_create of
    # model instances, without building 250 000 of them; the draws happen in the same order too. Each batch is
    # written on a second connection while the next is drawn (a STEPS hook draws inside the batch: one connection).
    with Pipeline(threaded=not STEPS) as pipeline:
        for offset in range(0, students, BATCH):
            size = min(BATCH, students - offset)
            writes = []
            user_ids = reserve_ids(User, size)
            writes += [(User, ["id", "email", "first_name", "last_name", "password"], [
                (uid, f"pop{start + offset + i:06d}@pop.helha.be", rng.choice(FIRST), rng.choice(LAST), unusable)
                for i, uid in enumerate(user_ids)]),
                (RoleAssignment, ["user", "role"], [(uid, Role.STUDENT) for uid in user_ids])]
            student_ids = reserve_ids(Student, size)
            studs = [(sid, uid, f"P{start + offset + i:07d}", rng.choice(GRANTS))
                     for i, (sid, uid) in enumerate(zip(student_ids, user_ids, strict=True))]
            writes.append((Student, ["id", "user", "matricule", "grant_status"], studs))
            past, regs = [], []
            for sid, _, matricule, grant in studs:
                programme = shares[rng.randrange(len(shares))]
                history = rng.randint(0, years)
                for k in range(history):
                    y = 2022 - k
                    past.append((sid, f"{y}-{y + 1}", programme.cycle, programme.name, 60,
                                 rng.choice([20, 45, 55, 60, 60]), rng.random() < 0.5))
                regs.append(_Reg(sid, matricule, grant, programme, min(history + 1, 3), stage_of(programme, history)))
            writes.append((PastRegistration, ["student", "academic_year", "cycle", "cursus", "pae_credits",
                                              "credits_acquired", "new_rules"], past))
            for r, pk in zip(regs, reserve_ids(Registration, len(regs)), strict=True):
                r.pk = pk
            writes.append((Registration, ["id", "student", "academic_year", "programme", "bloc", "stage", "status",
                                          "registered_on"], [
                (r.pk, r.student_id, year.pk, r.programme.pk, r.bloc, r.stage, Registration.Status.REGULAR,
                 dt.date(2023, 9, 29)) for r in regs]))
            payments = []
            for r in regs:
                due = total_due(r.programme, r.stage, r.grant)
                luck = rng.random()
                if due <= 0 or luck < 0.1:  # nothing due, or nothing paid yet
                    continue
                amount = due if luck < 0.7 else min(due, Decimal(50))  # the whole amount, or the acompte only
                payments.append((r.pk, amount, dt.date(2023, 9, 20) + dt.timedelta(days=rng.randrange(30)),
                                 Payment.Method.TRANSFER, f"POP-{r.matricule}"))
            writes.append((Payment, ["registration", "amount", "paid_on", "method", "reference"], payments))
            dossier_ids = reserve_ids(Dossier, len(regs))
            writes.append((Dossier, ["id", "student", "programme", "academic_year", "kind", "title"], [
                (did, r.student_id, r.programme.pk, year.pk, Dossier.Kind.REGISTRATION, "Inscription 2023-2024")
                for did, r in zip(dossier_ids, regs, strict=True)]))
            slots = [[did, r.programme.pk, code, label, article, dt.date(2023, 9, 30), rng.choice(SLOT_DRAW), None,
                      None]  # art. 24
                     for did, r in zip(dossier_ids, regs, strict=True) for code, label, article in REGISTRATION_DOCS]
            received = [s for s in slots if s[6] == SlotStatus.RECEIVED]
            # Upload times spread over September, so the queue's order (oldest upload first) means something.
            files = [(uuid.uuid4(), f"{s[2]}.pdf", hashlib.sha1(f"{start + offset}-{i}".encode()).hexdigest(),
                      "application/pdf", 1024, "0" * 64, uploaded + dt.timedelta(minutes=rng.randrange(30 * 24 * 60)))
                     for i, s in enumerate(received)]
            writes.append((StoredFile, ["id", "original_name", "stored_name", "content_type", "size", "sha256",
                                        "uploaded_at"], files))
            for s, f in zip(received, files, strict=True):
                s[7], s[8] = f[0], f[6]  # the file and, as DocumentSlot.save keeps it, its upload time
            writes.append((DocumentSlot, ["dossier", "programme", "code", "label", "article", "due_date", "status",
                                          "file", "received_at"], [tuple(s) for s in slots]))
            candidatures = _candidatures(rng, regs, calls, year)
            writes += candidatures
            steps = partial(_steps, rng, regs, year, log) if STEPS else None
            pipeline.submit(partial(_write_batch, writes, now, steps))
            counts["students"] += size
            counts["past_registrations"] += len(past)
            counts["dossiers"] += len(dossier_ids) + len(candidatures[1][2])
            counts["slots"] += len(slots)
            counts["payments"] += len(payments)
            counts["candidatures"] += len(candidatures[1][2])
            log(f"  {counts['students']} / {students} étudiants")
    counts.update(evaluations_population.generate_notes(log=log))
    return counts


GRANTS = ["non_boursier"] * 4 + ["boursier", "presume_boursier"]
SLOT_DRAW = [SlotStatus.REQUESTED, SlotStatus.ACCEPTED, SlotStatus.ACCEPTED, SlotStatus.RECEIVED]


@dataclass(slots=True)
class _Reg:
    """A generated registration before and after it is written (its key reserved)."""

    student_id: int
    matricule: str
    grant: str
    programme: Programme
    bloc: int
    stage: str
    pk: int | None = None


def _write_batch(writes, now, steps) -> None:
    for model, names, rows in writes:
        write_rows(model, names, rows, now=now)
    if steps is not None:
        steps()


def _steps(rng, regs: list[_Reg], year, log) -> None:
    """The STEPS hooks, with the batch's registrations as model instances."""
    registrations = [Registration(pk=r.pk, student_id=r.student_id, academic_year=year, programme=r.programme,
                                  bloc=r.bloc, stage=r.stage, status=Registration.Status.REGULAR,
                                  registered_on=dt.date(2023, 9, 29)) for r in regs]
    for step in STEPS:
        step(rng, registrations, log)


def _candidatures(rng, regs: list[_Reg], calls, year) -> list[tuple]:
    """About one student in ten of a programme with a mobility call applies: drafts and submitted ones. Their
    dossiers (keys reserved after the batch's registration dossiers) and candidatures, as writes."""
    chosen = [r for r in regs if r.programme.pk in calls and r.bloc >= 2 and rng.random() < 0.1]
    dossier_ids = reserve_ids(Dossier, len(chosen))
    candidatures = []
    for r, did in zip(chosen, dossier_ids, strict=True):
        submitted = rng.random() < 0.5
        candidatures.append((calls[r.programme.pk].pk, r.student_id, did,
                             CandidatureStatus.SUBMITTED if submitted else CandidatureStatus.DRAFT,
                             dt.date(2023, 10, 20) if submitted else None))
    return [(Dossier, ["id", "student", "programme", "academic_year", "kind", "title"], [
                (did, r.student_id, r.programme.pk, year.pk, Dossier.Kind.MOBILITY, "Candidature de mobilité")
                for r, did in zip(chosen, dossier_ids, strict=True)]),
            (Candidature, ["call", "student", "dossier", "status", "submitted_on"], candidatures)]
