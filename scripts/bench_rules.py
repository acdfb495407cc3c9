"""Finançabilité and fees for a whole population, through the app's own code path.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcours_bench .venv/bin/python scripts/bench_rules.py [--students 20000]

The database is created, migrated and generated when missing (``scripts/benchdb.py``).

ANALYZE first; then the floor: the raw read of every history row (one SELECT, tuples, no rules); then the batch
(``students.selectors.population_decisions``, which the student pages also go through). Prints the query count and
ends with the figure line ``financabilite batch N: <s> s (floor <ms> ms, ratio <x>)`` (target: ≤ 5 s at 20 000).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")
PARSER = argparse.ArgumentParser()
PARSER.add_argument("--students", type=int, default=20000)
ARGS = PARSER.parse_args()
if __name__ == "__main__":
    import benchdb

    benchdb.ensure(os.environ.get("DATABASE_URL", ""), ARGS.students)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from parcours.regulation.params import load_year  # noqa: E402
from parcours.students.models import PastRegistration, Student  # noqa: E402
from parcours.students.selectors import HISTORY_FIELDS, population_decisions  # noqa: E402


def main():
    args = ARGS
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    students = Student.objects.filter(pk__in=Student.objects.order_by("pk").values("pk")[: args.students])
    n = students.count()
    load_year(settings.ACADEMIC_YEAR)  # a server process has the year's parameters loaded already
    started = time.perf_counter()
    rows = len(PastRegistration.objects.filter(student__in=students).values_list("student_id", *HISTORY_FIELDS))
    floor = time.perf_counter() - started
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        decided = financable = priced = 0
        for d in population_decisions(students):
            decided += 1
            financable += not isinstance(d.financabilite, str) and bool(d.financabilite.outcome["financable"])
            priced += d.fees is not None
    batch = time.perf_counter() - started
    print(f"{connection.vendor} : {n} étudiants, {rows} inscriptions antérieures lues en {floor * 1000:.0f} ms ; "
          f"{decided} décisions ({financable} finançables, {priced} droits calculés) en {batch:.2f} s, "
          f"{len(ctx.captured_queries)} requêtes SQL")
    print(f"financabilite batch {n}: {batch:.2f} s (floor {floor * 1000:.0f} ms, ratio {batch / floor:.1f})")


if __name__ == "__main__":
    main()
