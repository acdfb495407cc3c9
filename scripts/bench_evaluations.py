"""Measure the evaluation side on an institution-sized population.

    PARCOURS_DATA_DIR=data/bench .venv/bin/python manage.py migrate
    PARCOURS_DATA_DIR=data/bench .venv/bin/python manage.py generate_population --students 20000
    PARCOURS_DATA_DIR=data/bench .venv/bin/python scripts/bench_evaluations.py [--runs 5]

Prints the time and SQL query count of: an XLSX import of a 400-student sheet (built for the run in a
transaction rolled back at the end), the department progress overview, a student's results page; and the
floor measured in the same run (a trivial query; reading the 400-line XLSX without saving). Ends with one
line per figure: `<figure>: <value> <unit> (<queries> queries)`. Set DATABASE_URL for PostgreSQL (ANALYZE first).
"""

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")
os.environ.setdefault("PARCOURS_TODAY", "2024-01-20")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from parcours.accounts.models import User  # noqa: E402
from parcours.evaluations import sheet_files  # noqa: E402
from parcours.evaluations.models import ActivityNote, EvaluationPeriod, ScoreSheet, UEResult  # noqa: E402
from parcours.institutions.models import UE, LearningActivity  # noqa: E402
from parcours.students.models import Student  # noqa: E402

LINES = 400


class Rollback(Exception):
    pass


def timed(fn, runs):
    times, queries = [], 0
    fn()  # warm caches
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def workbook(matricules, k) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Matricule", "Nom", "Prénom", "Note"])
    for i, m in enumerate(matricules):
        ws.append([m, "", "", f"{(i + k) % 21},5" if (i + k) % 21 < 20 else "PP"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def bench_import(runs):
    teacher = User.objects.get(email="enseignant@demo.helha.be")
    period = EvaluationPeriod.objects.get(number=1, academic_year__label="2023-2024")
    students = list(Student.objects.filter(user__email__startswith="pop").order_by("pk")
                    .values_list("pk", "matricule")[:LINES])
    if len(students) < LINES:
        raise SystemExit(f"Il faut au moins {LINES} étudiants générés (generate_population).")
    out = {}
    try:
        with transaction.atomic():
            ue = UE.objects.filter(teachers=teacher).first()
            activity = LearningActivity.objects.create(ue=ue, code="BENCH-400", title="Mesure")
            sheet = ScoreSheet.objects.create(activity=activity, period=period)
            sheet.evaluators.add(teacher)
            ActivityNote.objects.bulk_create([ActivityNote(sheet=sheet, student_id=pk) for pk, _ in students])
            files = [workbook([m for _, m in students], k) for k in range(runs + 1)]
            counter = iter(range(runs + 1))

            def run_import():
                data = files[next(counter)]
                sheet_files.import_xlsx(actor=teacher, sheet_id=sheet.pk,
                                        uploaded=SimpleUploadedFile("n.xlsx", data))

            out["import"] = timed(run_import, runs)
            out["parse"] = timed(lambda: sheet_files.read_rows(SimpleUploadedFile("n.xlsx", files[0])), runs)
            raise Rollback
    except Rollback:
        pass
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = max(1, min(args.runs, 20))
    setup_test_environment()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Base : {connection.vendor} — {Student.objects.count()} étudiants, "
          f"{ActivityNote.objects.count()} notes d'activité, {UEResult.objects.count()} résultats d'UE")

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    floor = timed(select_one, runs)
    figures = bench_import(runs)
    client = Client()
    client.force_login(User.objects.get(email="secretariat@demo.helha.be"))
    period = EvaluationPeriod.objects.get(number=1, academic_year__label="2023-2024")

    def get(url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return fetch

    progress = timed(get(f"/evaluations/progression/?periode={period.pk}"), runs)
    student = (Student.objects.filter(user__email__startswith="pop", ue_results__published_at__isnull=False)
               .order_by("pk").first())
    client.force_login(student.user)
    results = timed(get("/evaluations/resultats/"), runs)
    print(f"sheet import 400: {figures['import'][0]:.0f} ms ({figures['import'][1]} queries)")
    print(f"sheet import 400 floor (reading the XLSX only): {figures['parse'][0]:.0f} ms ({figures['parse'][1]} queries)")
    print(f"department progress overview: {progress[0]:.0f} ms ({progress[1]} queries)")
    print(f"student results page: {results[0]:.0f} ms ({results[1]} queries)")
    print(f"floor (SELECT 1): {floor[0]:.2f} ms ({floor[1]} queries)")


if __name__ == "__main__":
    main()
