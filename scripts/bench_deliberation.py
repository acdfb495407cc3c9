"""Compute every student's proposed jury outcome for the whole institution, and compare with merely reading
the rows it needs.

    PARCOURS_DATA_DIR=data/bench .venv/bin/python manage.py migrate
    PARCOURS_DATA_DIR=data/bench .venv/bin/python scripts/bench_deliberation.py [--students 20000]
    (DATABASE_URL=postgres://… for PostgreSQL; the population is generated when missing)

The computation is what the jury grid does (juries.selectors.inputs_for + juries.grid.propose): UE results
from the evaluation side, PAE, earlier credits, then regulation.grades / regulation.deliberation for the
credits, the weighted average, first-year success (art. 67 §1) and the mention (art. 136, annexe 6), per chunk
of 5000 students with a constant number of queries (fewer round trips than 2000: measured 2.5-3.0 against 3.2-4.6
on the same loaded machine). The floor is ONE SQL query reading the same rows (UE
results joined to the PAE and the UEs, and the earlier credits), measured in the same run after ANALYZE.
Last line: ``deliberation <N>: <T> s (floor <R> s, ratio <X>)``.
"""

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from parcours.institutions.models import UE, AcademicYear, LearningActivity, Programme  # noqa: E402
from parcours.juries import grid as engine  # noqa: E402
from parcours.juries.demo import DEMO_THRESHOLDS  # noqa: E402
from parcours.juries.selectors import inputs_for  # noqa: E402
from parcours.students.models import AcquiredCredit, PaeEntry, Registration, Student  # noqa: E402

YEAR = "2023-2024"
CHUNK = 5000
BATCH = 5000


def ensure_population(n: int) -> None:
    existing = Student.objects.filter(user__email__endswith="@pop.helha.be").count()
    if existing < n:
        from parcours.web.population import generate

        print(f"Population : {existing} étudiants générés, il en faut {n} : génération de {n - existing}.")
        generate(n - existing, log=lambda m: None)


def ensure_results(rng: random.Random) -> str:
    """PAE, UE results (periods 1 and 2) and earlier credits for every generated student who has none.
    Uses the evaluation side's activity notes when generate_population made them; otherwise writes UE results
    directly (and says so)."""
    from parcours.evaluations.models import ActivityNote, UEResult
    from parcours.evaluations.services import ensure_periods

    periods = {p.number: p for p in ensure_periods(YEAR)}
    year = AcademicYear.objects.get(label=YEAR)
    notes = ActivityNote.objects.count()
    regs = Registration.objects.filter(academic_year=year, status=Registration.Status.REGULAR,
                                       student__user__email__endswith="@pop.helha.be", pae__isnull=True)
    if not regs.exists():
        return f"{notes} notes d'activité, {UEResult.objects.count()} résultats d'UE déjà présents"
    ues: dict[int, list[UE]] = {}
    for programme in Programme.objects.filter(pk__in=regs.values("programme_id")):
        have = list(UE.objects.filter(programme=programme).order_by("bloc", "code"))
        if not have:
            for bloc in (1, 2, 3):
                for i in range(1, 7):
                    ue = UE.objects.create(programme=programme, code=f"B{programme.pk}-{bloc}{i:02d}",
                                           title=f"UE {bloc}.{i}", credits=10, bloc=bloc,
                                           quadrimestre="1" if i % 2 else "2")
                    LearningActivity.objects.bulk_create([LearningActivity(ue=ue, code=f"{ue.code}-{j}",
                                                                           title=f"Activité {j}") for j in (1, 2)])
                    have.append(ue)
        ues[programme.pk] = have
    made = 0
    pending = list(regs.values_list("pk", "student_id", "programme_id", "bloc"))
    for start in range(0, len(pending), BATCH):
        pae, results, credits = [], [], []
        for reg_id, student_id, programme_id, bloc in pending[start:start + BATCH]:
            for ue in ues[programme_id]:
                if ue.bloc < bloc:
                    credits.append(AcquiredCredit(student_id=student_id, ue=ue, academic_year=f"{2023 - bloc + ue.bloc}-"
                                                  f"{2024 - bloc + ue.bloc}", note=Decimal(rng.randint(20, 34)) / 2))
                elif ue.bloc == bloc:
                    pae.append(PaeEntry(registration_id=reg_id, ue=ue))
                    draw = rng.random()
                    note, code = ((None, "PP") if draw < 0.03 else (Decimal(rng.randint(8, 19)) / 2, "")
                                  if draw < 0.13 else (Decimal(rng.randint(20, 36)) / 2, ""))
                    results.append(UEResult(student_id=student_id, ue=ue, period=periods[1 if ue.quadrimestre == "1" else 2],
                                            note=note, code=code, acquired=bool(note and note >= 10),
                                            credits=10 if note and note >= 10 else 0, complete=True,
                                            reasons=[{"article": "Art. 100", "text": "Note de l'UE (génération)."}]))
        with transaction.atomic():
            PaeEntry.objects.bulk_create(pae, batch_size=BATCH)
            UEResult.objects.bulk_create(results, batch_size=BATCH)
            AcquiredCredit.objects.bulk_create(credits, batch_size=BATCH, ignore_conflicts=True)
        made += len(results)
    return (f"{notes} notes d'activité présentes ; ce script a écrit {made} résultats d'UE directement "
            "(le générateur de population n'en produit pas encore)")


def floor_query() -> tuple[float, int]:
    """ONE query reading every row the computation reads."""
    sql = """
        SELECT r.id, r.student_id, r.bloc, p.ue_id, u.code, u.credits, u.bloc, u.weight, res.note, res.code,
               res.reasons, ac.note, ac.valorised
        FROM students_registration r
        JOIN students_paeentry p ON p.registration_id = r.id
        JOIN institutions_ue u ON u.id = p.ue_id
        LEFT JOIN evaluations_ueresult res ON res.student_id = r.student_id AND res.ue_id = p.ue_id
        LEFT JOIN students_acquiredcredit ac ON ac.student_id = r.student_id AND ac.ue_id = p.ue_id
        WHERE r.academic_year_id = %s AND r.status = 'reguliere'
        UNION ALL
        SELECT NULL, c.student_id, NULL, c.ue_id, u.code, u.credits, u.bloc, u.weight, NULL, NULL, NULL, c.note,
               c.valorised
        FROM students_acquiredcredit c JOIN institutions_ue u ON u.id = c.ue_id
    """
    year_id = AcademicYear.objects.get(label=YEAR).pk
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [year_id])
        rows = cursor.fetchall()
    return time.perf_counter() - t0, len(rows)


def compute(ctx: engine.Context) -> tuple[float, int, int, dict]:
    year = AcademicYear.objects.get(label=YEAR)
    ids = list(Registration.objects.filter(academic_year=year, status=Registration.Status.REGULAR)
               .order_by("pk").values_list("pk", flat=True))
    outcomes: dict[str, int] = {}
    queries = 0
    t0 = time.perf_counter()
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        chunk = Registration.objects.filter(academic_year=year, status=Registration.Status.REGULAR,
                                            pk__gte=part[0], pk__lte=part[-1])
        connection.queries_log.clear()  # a full log (after the generation) would make the count read 0
        with CaptureQueriesContext(connection) as captured:
            inputs = inputs_for(chunk, year_label=YEAR, period=2)
        queries = max(queries, len(captured.captured_queries))
        for p in engine.propose_all(inputs, ctx):
            outcomes[p.outcome] = outcomes.get(p.outcome, 0) + 1
    return time.perf_counter() - t0, len(ids), queries, outcomes


def grid_page() -> tuple[str, int, float, int]:
    """The jury grid of the largest programme of the year, rendered as its secretary sees it."""
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from parcours.accounts.models import User
    from parcours.juries import services
    from parcours.juries.models import Jury

    setup_test_environment()
    year = AcademicYear.objects.get(label=YEAR)
    top = (Registration.objects.filter(academic_year=year, status=Registration.Status.REGULAR)
           .values("programme_id").annotate(n=Count("pk")).order_by("-n").first())
    programme = Programme.objects.get(pk=top["programme_id"])
    jury = Jury.objects.filter(programme=programme, academic_year=year, first_year_subjury=False).first()
    if jury is None:
        president, _ = User.objects.get_or_create(email="bench.president@pop.helha.be")
        secretary, _ = User.objects.get_or_create(email="bench.secretaire@pop.helha.be")
        jury = services.compose_jury(actor=president, programme=programme, academic_year=year, president=president,
                                     secretary=secretary, mention_domain="social", mention_kind="bachelier_3")
    session = services.create_session(actor=jury.secretary, jury_id=jury.pk, period=2)
    client = Client()
    client.force_login(jury.secretary)
    url = f"/jurys/seances/{session.pk}/"
    client.get(url)  # warm templates and year parameters
    with CaptureQueriesContext(connection) as captured:
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t0
    assert response.status_code == 200, response.status_code
    return programme.name, top["n"], elapsed, len(captured.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=20000)
    args = parser.parse_args()
    ensure_population(args.students)
    note = ensure_results(random.Random(args.students))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Base : {connection.vendor} — {note}.")
    ctx = engine.Context(year=YEAR, period=2, mention_domain="social", mention_kind="bachelier_3",
                         thresholds=DEMO_THRESHOLDS)
    floor_query()  # warm the cache: both measures read warm pages
    floor, rows = floor_query()
    elapsed, n, queries, outcomes = compute(ctx)
    print(f"Lignes lues par la requête plancher : {rows} ; requêtes par tranche de {CHUNK} étudiants : {queries}.")
    print("Propositions : " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    name, students, page, page_queries = grid_page()
    print(f"Grille du jury « {name} » ({students} étudiants) : {page:.2f} s, {page_queries} requêtes.")
    print(f"deliberation {n}: {elapsed:.2f} s (floor {floor:.2f} s, ratio {elapsed / floor:.1f})")


if __name__ == "__main__":
    main()
