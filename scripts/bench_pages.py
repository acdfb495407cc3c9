"""Measure the student home page and the staff work queues on an institution-sized population.

    PARCOURS_DATA_DIR=data/bench .venv/bin/python manage.py migrate
    PARCOURS_DATA_DIR=data/bench .venv/bin/python manage.py generate_population --students 20000
    PARCOURS_DATA_DIR=data/bench .venv/bin/python scripts/bench_pages.py [--runs 30]

Prints, for each page, the median, 95th percentile and worst time in milliseconds and the number
of SQL queries per request. Set DATABASE_URL to measure on PostgreSQL.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from parcours.accounts import permissions  # noqa: E402
from parcours.accounts.models import User  # noqa: E402
from parcours.dossiers.models import DocumentSlot, Dossier  # noqa: E402
from parcours.students.models import Student  # noqa: E402


def measure(client, url, runs):
    times, queries = [], 0
    client.get(url)  # warm caches (templates, year parameters)
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, times[-1], queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    print(f"Base : {connection.vendor} — {Student.objects.count()} étudiants, {Dossier.objects.count()} dossiers, "
          f"{DocumentSlot.objects.count()} pièces")
    rng = random.Random(1)
    students = list(Student.objects.filter(user__email__startswith="pop").values_list("pk", "user_id")[:5000])
    rows = []
    client = Client()
    for label, email in [("secrétariat (département social)", "secretariat@demo.helha.be"),
                         ("collège de direction (toute la HELHa)", "college@demo.helha.be")]:
        staff = User.objects.get(email=email)
        client.force_login(staff)
        visible = list(permissions.students_visible_to(staff).filter(user__email__startswith="pop")
                       .values_list("pk", flat=True)[:2000])
        for name, url in [("file de travail, page 1", "/"), ("file de travail, page 40", "/?page=40"),
                          ("liste des étudiants, page 100", "/?spage=100"), ("recherche « Dupont »", "/?q=Dupont"),
                          ("fiche étudiant", f"/etudiants/{rng.choice(visible)}/"),
                          ("API dossiers d'un étudiant", f"/api/students/{rng.choice(visible)}/dossiers")]:
            rows.append((f"{label} — {name}", *measure(client, url, args.runs)))
    times, queries = [], 0
    for _pk, user_id in rng.sample(students, min(args.runs, len(students))):
        client.force_login(User.objects.get(pk=user_id))
        _, _, worst, queries = measure(client, "/", 3)
        times.append(worst)
    times.sort()
    rows.append(("accueil étudiant (30 étudiants différents)", statistics.median(times),
                 times[max(0, int(len(times) * 0.95) - 1)], times[-1], queries))
    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  médiane   p95      pire    requêtes SQL")
    for name, med, p95, worst, q in rows:
        print(f"{name:<{width}}  {med:6.1f}  {p95:6.1f}  {worst:6.1f}  {q:4d}")


if __name__ == "__main__":
    main()
