"""A student's login while `manage.py daily` runs the payment deadlines over the whole population.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcours_bench .venv/bin/python scripts/bench_daily.py [--on 2023-11-01]

The job cancels registrations: it runs on a scratch copy, ``<DATABASE_URL>_daily``, made afresh from the 20 000-student
database (itself created, migrated and generated when missing, ``scripts/benchdb.py``) and dropped at the end.

ANALYZE first; the floor is the same login (real password hashing) before the job starts. Then the job runs
in its own process (`manage.py daily --on 2023-11-01`: after 31 October, every registration without its
acompte is cancelled) and, while it runs, the student whose registration it is about to cancel logs in,
several times. Ends with ``login during daily: <worst> ms (floor <ms> ms, ratio <x>)``.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.config.settings")
if __name__ == "__main__" and "--child" not in sys.argv:
    # The parent: the population, its scratch copy, then this script again on the copy.
    import benchdb

    source = benchdb.ensure(os.environ.get("DATABASE_URL", ""), 20000)
    copy = benchdb.scratch_copy(source, "_daily")
    try:
        code = subprocess.run([sys.executable, __file__, "--child", *sys.argv[1:]],
                              env={**os.environ, "DATABASE_URL": copy}).returncode
    finally:
        benchdb.drop(copy)
    sys.exit(code)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from parcours.students.models import Registration  # noqa: E402

PASSWORD = "Mot-de-passe-du-banc-13"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--on", default="2023-11-01")
    parser.add_argument("--logins", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_test_environment()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The last registration the job will reach and cancel: no payment at all.
    reg = (Registration.objects.filter(status=Registration.Status.REGULAR, academic_year__label=settings.ACADEMIC_YEAR,
                                       payments__isnull=True, student__grant_status="non_boursier")
           .exclude(programme__fee_section="").select_related("student__user").order_by("-pk").first())
    user = reg.student.user
    user.set_password(PASSWORD)
    user.save()

    def login() -> float:
        client = Client()
        started = time.perf_counter()
        response = client.post("/connexion/", {"username": user.email, "password": PASSWORD})
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed * 1000

    floor = statistics.median(login() for _ in range(3))
    job = subprocess.Popen([sys.executable, "manage.py", "daily", "--on", args.on], cwd=ROOT,
                           stdout=subprocess.PIPE, text=True)
    time.sleep(2)  # the job has read its list and works through its chunks
    during = []
    while job.poll() is None and len(during) < args.logins:
        during.append(login())
        time.sleep(0.5)
    out, _ = job.communicate()
    print(out.strip())
    reg.refresh_from_db()
    print(f"{len(during)} connexion(s) pendant le passage ; l'inscription de l'étudiant : {reg.get_status_display()}")
    worst = max(during) if during else float("nan")
    print(f"login during daily: {worst:.0f} ms (floor {floor:.0f} ms, ratio {worst / floor:.2f})")


if __name__ == "__main__":
    main()
